'use strict';
// vantage report: draws every section from the JSON island. Every name,
// path and fragment is set as text (textContent, setAttribute), never as
// markup: file names are whatever the repository holds.
(function () {
  const started = performance.now();
  const problems = [];
  window.addEventListener('error', (event) => {
    problems.push(String(event.message));
    document.body.dataset.errors = String(problems.length);
  });
  const data = JSON.parse(document.getElementById('vantage-data').textContent);
  const SVG = 'http://www.w3.org/2000/svg';

  // ---------------------------------------------------------------- helpers
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function sv(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) if (child) node.append(child);
    return node;
  }
  const fmt = (n) => Number(n).toLocaleString('en-US');
  const pct = (x) => (x === null || x === undefined ? '–' : Number(x).toFixed(2) + '%');
  const num2 = (x) => (x === null || x === undefined ? '–' : Number(x).toFixed(2));
  const plural = (n, word, many) => fmt(n) + ' ' + (n === 1 ? word : (many || word + 's'));
  const file = (id) => data.files[id];
  const path = (id) => data.files[id][0];
  const moduleOf = (id) => data.files[id][1];
  const moduleName = (m) => data.modules[m].name;
  const short = (text, max) => (text.length > max ? '…' + text.slice(text.length - max + 1) : text);

  function fileButton(id, line) {
    const label = line ? path(id) + ':' + line : path(id);
    return el('button', { class: 'linkish mono', type: 'button', text: label, title: 'Open ' + path(id), onclick: () => openFile(id) });
  }
  function moduleButton(m) {
    return el('button', { class: 'linkish', type: 'button', text: moduleName(m), onclick: () => { show('graph'); selectModule(m); } });
  }
  // "Show more" for long lists: renders `step` items at a time.
  function paged(container, items, render, step) {
    let shown = 0;
    const more = el('button', { class: 'more', type: 'button' });
    more.addEventListener('click', () => next());
    function next() {
      const end = Math.min(items.length, shown + step);
      for (; shown < end; shown++) container.append(render(items[shown], shown));
      if (shown >= items.length) more.remove();
      else more.textContent = 'Show ' + Math.min(step, items.length - shown) + ' more (' + fmt(items.length - shown) + ' left)';
    }
    next();
    return shown < items.length ? more : null;
  }

  // ------------------------------------------------------------ file graph
  const importersOf = data.files.map(() => []);
  const importsOf = data.files.map(() => []);
  for (const [from, to, kind, sites, line] of data.edges) {
    if (from === to) continue;
    importersOf[to].push([from, kind, sites, line]);
    importsOf[from].push([to, kind, sites, line]);
  }
  const LOADS = new Set(['extends', 'implements', 'static', 'reexport', 'require', 'model_ref']);

  // --------------------------------------------------------------- panel
  const panel = document.getElementById('panel');
  let opener = null;
  function closePanel() {
    panel.hidden = true;
    if (opener) opener.focus();
  }
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape' && !panel.hidden) closePanel(); });
  function openFile(id) {
    opener = document.activeElement;
    panel.replaceChildren();
    const [p, m, lines] = file(id);
    panel.append(
      el('button', { class: 'small close', type: 'button', text: 'Close', onclick: closePanel }),
      el('h3', { id: 'panel-title', class: 'mono', text: p }),
      el('p', {}, 'Module ', moduleButton(m), ' · ' + plural(lines, 'line')),
      el('button', { class: 'small', type: 'button', text: 'What depends on it', onclick: () => { closePanel(); show('impact'); pickImpact({ file: id }); } })
    );
    const hot = data.hot.find((h) => h.file === id);
    if (hot) panel.append(el('p', { class: 'note' }, 'Hot spot score ' + hot.score + ' (fan-in ' + hot.fan_in + (hot.churn !== null ? ', ' + hot.churn + ' commits' : '') + (hot.cycle ? ', in a cycle of ' + hot.cycle + ' files' : '') + ')'));
    const list = (title, items) => {
      panel.append(el('h4', { text: title + ' (' + items.length + ')' }));
      const ul = el('ul', { class: 'sites' });
      panel.append(ul);
      const more = paged(ul, items, ([other, kind, sites, line]) => el('li', {}, fileButton(other), el('span', { class: 'muted', text: ' ' + kind + (sites > 1 ? ', ' + sites + ' sites' : '') + ' · line ' + line })), 40);
      if (more) panel.append(more);
    };
    list('Imports', importsOf[id]);
    list('Imported by', importersOf[id]);
    panel.hidden = false;
    panel.querySelector('.close').focus();
  }

  // ------------------------------------------------------------- overview
  function overview() {
    const s = data.summary;
    const card = (value, label, bad) => el('div', { class: 'card' + (bad ? ' bad' : '') }, el('div', { class: 'value', text: value }), el('div', { class: 'label', text: label }));
    const out = [el('h2', { text: 'Overview' }),
      el('p', { class: 'lead', text: 'The dependency graph of ' + data.root + ': ' + plural(s.parsed, 'file') + ' read in ' + plural(s.modules, 'module') + '. Pick a section above, or a file anywhere, to see more.' }),
      el('div', { class: 'cards' },
        card(fmt(s.parsed), 'files parsed' + (s.skipped ? ' (' + s.skipped + ' skipped)' : '')),
        el('div', { class: 'card' }, el('div', { class: 'value small', text: data.languages.map(([l, n]) => l + ' ' + fmt(n)).join(' · ') || '–' }), el('div', { class: 'label', text: 'files per language' })),
        card(fmt(s.modules), 'modules'),
        card(fmt(s.file_edges), 'file dependencies (' + fmt(s.sites) + ' import sites)'),
        card(fmt(s.module_edges), 'module dependencies'),
        card(fmt(s.module_cycles), 'module cycles', s.module_cycles > 0),
        card(fmt(s.files_in_cycles), 'files in import cycles', s.files_in_cycles > 0),
        card(pct(s.duplication), 'duplicated code lines (' + fmt(s.duplicated_lines) + ' of ' + fmt(s.code_lines) + ')'),
        card(fmt(s.clone_classes), 'clone classes'),
        card(fmt(s.unresolved), 'unresolved imports', s.unresolved > 0))];
    if (data.check) {
      const c = data.check;
      const failing = c.violations.filter((v) => v[4]);
      const box = el('div', { class: 'box' }, el('h3', {}, 'Check: ', el('span', { class: c.passed ? 'pass' : 'fail', text: c.passed ? 'passed' : 'FAILED' }), ' ', el('span', { class: 'muted', text: '(' + plural(c.violations.length, 'violation') + ', the rules of vantage.toml)' })));
      const rules = el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'rule' }), el('th', { text: 'measured' }), el('th', { class: 'num', text: 'violations' }))));
      const body = el('tbody');
      for (const [id, measured] of c.rules) {
        const n = c.violations.filter((v) => v[0] === id).length;
        body.append(el('tr', {}, el('td', { class: 'mono', text: id }), el('td', { text: measured }), el('td', { class: 'num' }, el('span', { class: 'badge' + (n ? ' bad' : ' good'), text: n ? String(n) : 'ok' }))));
      }
      rules.append(body);
      box.append(rules);
      if (failing.length) {
        const ul = el('ul', { class: 'sites' });
        box.append(el('h4', { text: 'Violations' }), ul);
        const more = paged(ul, failing, ([rule, , place, message]) => el('li', {}, el('span', { class: 'mono', text: rule + '  ' + place }), el('div', { class: 'muted', text: message })), 20);
        if (more) box.append(more);
      }
      out.push(box);
    }
    const spots = data.hot.filter((h) => h.cycle || h.duplicated_lines > 0).sort((a, b) => b.fan_in - a.fan_in || a.file - b.file).slice(0, 12);
    const box = el('div', { class: 'box' }, el('h3', { text: 'Hot spots' }), el('p', { class: 'note', text: 'Files many others import that sit in an import cycle or hold copied code: where a change ripples furthest. The debt section ranks every file.' }));
    if (!spots.length) box.append(el('p', { class: 'muted', text: 'No file is both imported and in a cycle or a clone.' }));
    else {
      const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'file' }), el('th', { text: 'module' }), el('th', { class: 'num', text: 'imported by' }), el('th', { class: 'num', text: 'cycle (files)' }), el('th', { class: 'num', text: 'copied lines' }))));
      const tb = el('tbody');
      for (const h of spots) tb.append(el('tr', {}, el('td', {}, fileButton(h.file)), el('td', {}, moduleButton(moduleOf(h.file))), el('td', { class: 'num', text: fmt(h.fan_in) }), el('td', { class: 'num', text: h.cycle ? fmt(h.cycle) : '–' }), el('td', { class: 'num', text: fmt(h.duplicated_lines) })));
      table.append(tb);
      box.append(table);
    }
    out.push(box);
    return out;
  }

  // ------------------------------------------------------------ module graph
  let graphState = null;
  function graph() {
    const modules = data.modules.map((m, i) => i).filter((i) => data.modules[i].files > 0);
    const LIMIT = 150;
    let shownModules = modules;
    let note = null;
    if (modules.length > LIMIT) {
      const weight = modules.map(() => 0);
      for (const [a, b, sites] of data.module_edges) { weight[a] += sites; weight[b] += sites; }
      shownModules = modules.slice().sort((x, y) => weight[y] - weight[x] || x - y).slice(0, LIMIT);
      note = el('p', { class: 'note', text: 'The ' + LIMIT + ' most coupled of ' + modules.length + ' modules are drawn.' });
    }
    const shown = new Set(shownModules);
    const edges = data.module_edges.filter(([a, b]) => shown.has(a) && shown.has(b) && a !== b);
    const cycleOf = data.dsm.cycle_of;
    // The cheapest cut of each module cycle: without those edges the graph
    // has no cycle, so every module gets a column right of what it uses,
    // and the cut shows as the red arrows pointing the other way.
    const cut = new Set(data.cycles.filter((c) => c.level === 'module').flatMap((c) => c.cut.map((h) => h.from + ',' + h.to)));
    const cycleSize = new Map();
    for (const m of shownModules) if (cycleOf[m] !== null) cycleSize.set(cycleOf[m], (cycleSize.get(cycleOf[m]) || 0) + 1);
    const cyclic = (m) => cycleOf[m] !== null && cycleSize.get(cycleOf[m]) > 1;
    const deps = new Map(shownModules.map((m) => [m, []]));
    for (const [a, b] of edges) if (!cut.has(a + ',' + b)) deps.get(a).push(b);
    const layer = new Map();
    const visiting = new Set();
    function layerOf(m) {
      if (layer.has(m)) return layer.get(m);
      // A cycle closed only by type-only imports: the cut does not open it.
      if (visiting.has(m)) return 0;
      visiting.add(m);
      let best = 0;
      for (const d of deps.get(m)) best = Math.max(best, layerOf(d) + 1);
      visiting.delete(m);
      layer.set(m, best);
      return best;
    }
    const columns = [];
    for (const m of shownModules) {
      const l = layerOf(m);
      (columns[l] = columns[l] || []).push(m);
    }
    // Order each column by the mean row of its neighbours, a few sweeps.
    const row = new Map();
    columns.forEach((col) => col.forEach((m, i) => row.set(m, i)));
    const neighbours = new Map(shownModules.map((m) => [m, []]));
    for (const [a, b] of edges) { neighbours.get(a).push(b); neighbours.get(b).push(a); }
    for (let sweep = 0; sweep < 4; sweep++) {
      for (const col of columns) {
        if (!col) continue;
        const key = (m) => {
          const ns = neighbours.get(m);
          return ns.length ? ns.reduce((acc, n) => acc + row.get(n), 0) / ns.length : row.get(m);
        };
        const keys = new Map(col.map((m) => [m, key(m)]));
        col.sort((x, y) => keys.get(x) - keys.get(y) || x - y);
        col.forEach((m, i) => row.set(m, i));
      }
    }
    // Top to bottom: what uses stands above what it uses (the page scrolls
    // down a long chain); layer 0, depending on nothing drawn, at the foot.
    const W = 180, H = 30, GAPX = 22, GAPY = 58, PAD = 24, SIDE = 150;
    const pos = new Map();
    const widest = Math.max(1, ...columns.map((c) => (c ? c.length : 0)));
    const rows = columns.length;
    columns.forEach((col, l) => {
      if (!col) return;
      const offset = ((widest - col.length) * (W + GAPX)) / 2;
      col.forEach((m, i) => pos.set(m, { x: SIDE + offset + i * (W + GAPX), y: PAD + (rows - 1 - l) * (H + GAPY) }));
    });
    const width = SIDE * 2 + widest * (W + GAPX) - GAPX;
    const height = PAD * 2 + rows * (H + GAPY) - GAPY;
    const svgNode = sv('svg', { width: Math.max(width, 300), height: Math.max(height, 120), viewBox: '0 0 ' + Math.max(width, 300) + ' ' + Math.max(height, 120), role: 'img', 'aria-label': 'Module dependency graph' });
    const maxSites = Math.max(1, ...edges.map((e) => e[2]));
    const edgeNodes = [];
    for (const [a, b, sites, files, kind] of edges) {
      const p = pos.get(a), q = pos.get(b);
      let d;
      const isCut = cut.has(a + ',' + b);
      const inner = !isCut && cyclic(a) && cyclic(b) && cycleOf[a] === cycleOf[b];
      const side = edgeNodes.length % 2 ? 1 : -1;
      if (p.y < q.y) {
        // Down to a dependency: one row is a plain curve; a longer drop
        // swings out to a side, past the rows between.
        const x1 = p.x + W / 2, y1 = p.y + H, x2 = q.x + W / 2, y2 = q.y;
        const span = Math.round((q.y - p.y) / (H + GAPY));
        if (span <= 1) d = 'M' + x1 + ',' + y1 + ' C' + x1 + ',' + (y1 + GAPY / 2) + ' ' + x2 + ',' + (y2 - GAPY / 2) + ' ' + x2 + ',' + y2;
        else {
          const swing = side * Math.min(SIDE + W / 2, 40 + 30 * span);
          d = 'M' + x1 + ',' + y1 + ' C' + (x1 + swing) + ',' + (y1 + GAPY) + ' ' + (x2 + swing) + ',' + (y2 - GAPY) + ' ' + x2 + ',' + y2;
        }
      } else if (p.y > q.y) {
        // Up (a cut edge, against the flow): around the side.
        const x1 = p.x + (side > 0 ? W : 0), y1 = p.y + H / 2, x2 = q.x + (side > 0 ? W : 0), y2 = q.y + H / 2;
        const swing = side * Math.min(SIDE - 10, 50 + (y1 - y2) / 5);
        d = 'M' + x1 + ',' + y1 + ' C' + (x1 + swing) + ',' + y1 + ' ' + (x2 + swing) + ',' + y2 + ' ' + x2 + ',' + y2;
      } else {
        // One row (a cycle closed by type-only imports): an arc below.
        const x1 = p.x + W / 2, x2 = q.x + W / 2, y = p.y + H;
        d = 'M' + x1 + ',' + y + ' C' + x1 + ',' + (y + GAPY * 0.8) + ' ' + x2 + ',' + (y + GAPY * 0.8) + ' ' + x2 + ',' + y;
      }
      const widthPx = 1 + 3 * Math.log(1 + sites) / Math.log(1 + maxSites);
      const pathNode = sv('path', { class: 'edge' + (isCut ? ' back' : inner ? ' inner' : ''), d, 'stroke-width': widthPx.toFixed(2), 'marker-end': isCut ? 'url(#arrow-back)' : 'url(#arrow)' },
        sv('title', { text: moduleName(a) + ' → ' + moduleName(b) + ': ' + plural(sites, 'import site') + ' from ' + plural(files, 'file') + (isCut ? ' (the cheapest cut of a cycle)' : inner ? ' (inside a cycle)' : '') }));
      pathNode.dataset.from = a; pathNode.dataset.to = b;
      edgeNodes.push(pathNode);
      svgNode.append(pathNode);
    }
    const marker = (id, colour) => sv('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, sv('path', { d: 'M0,0 L10,5 L0,10 z', style: 'fill: ' + colour }));
    svgNode.prepend(sv('defs', {}, marker('arrow', 'var(--muted)'), marker('arrow-back', 'var(--bad)')));
    const nodeEls = new Map();
    for (const m of shownModules) {
      const { x, y } = pos.get(m);
      const d = data.modules[m];
      const g = sv('g', { class: 'node' + (cyclic(m) ? ' cyclic' : ''), transform: 'translate(' + x + ',' + y + ')', tabindex: 0, role: 'button', 'aria-label': d.name + ', ' + d.files + ' files' },
        sv('rect', { width: W, height: H }),
        sv('text', { x: 10, y: 19, text: short(d.name, 26) }),
        sv('text', { x: W - 8, y: 19, 'text-anchor': 'end', class: 'muted', text: String(d.files), style: 'fill: var(--muted)' }),
        sv('title', { text: d.name + ': ' + plural(d.files, 'file') + ', Ca ' + d.ca + ', Ce ' + d.ce + ', I ' + num2(d.instability) }));
      g.addEventListener('click', () => selectModule(m));
      g.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); selectModule(m); } });
      nodeEls.set(m, g);
      svgNode.append(g);
    }
    const side = el('div', { class: 'box', id: 'module-detail' }, el('p', { class: 'muted', text: 'Select a module (click, or Tab then Enter) to see its files and its dependencies both ways.' }));
    graphState = { nodeEls, edgeNodes, side };
    return [el('h2', { text: 'Module graph' }),
      el('p', { class: 'lead', text: 'Each module is a box (its file count on the right); an arrow goes from a module to one it depends on, thicker for more import sites. What uses stands above what it uses; modules in a cycle have a red border, and the cheapest imports to cut to break the cycles are the dashed red arrows, the only ones pointing up.' }),
      note,
      el('div', { class: 'legend' }, el('span', {}, el('i', { style: 'background: var(--bad)' }), 'the cheapest cut of a cycle'), el('span', {}, el('i', { style: 'background: var(--warn)' }), 'dependency inside a cycle'), el('span', {}, el('i', { style: 'background: var(--muted)' }), 'dependency')),
      el('div', { class: 'row' }, el('div', { class: 'grow scroll', id: 'graph-canvas' }, svgNode), el('div', { style: 'flex: 0 1 380px; min-width: 280px' }, side))];
  }
  function selectModule(m) {
    if (!graphState) render('graph');
    const { nodeEls, edgeNodes, side } = graphState;
    for (const [id, node] of nodeEls) {
      node.classList.toggle('selected', id === m);
    }
    const linked = new Set([m]);
    for (const e of edgeNodes) {
      const on = Number(e.dataset.from) === m || Number(e.dataset.to) === m;
      e.classList.toggle('on', on);
      e.classList.toggle('faded', !on);
      if (on) { linked.add(Number(e.dataset.from)); linked.add(Number(e.dataset.to)); }
    }
    for (const [id, node] of nodeEls) node.classList.toggle('faded', !linked.has(id));
    const d = data.modules[m];
    side.replaceChildren(el('h3', { text: d.name }),
      el('p', { class: 'muted', text: plural(d.files, 'file') + ' · Ca ' + d.ca + ' · Ce ' + d.ce + ' · I ' + num2(d.instability) + ' · A ' + num2(d.abstractness) + ' · D ' + num2(d.distance) + ' · copied ' + pct(d.duplication) }),
      el('button', { class: 'small', type: 'button', text: 'Clear selection', onclick: clearSelection }));
    const out = data.module_edges.filter((e) => e[0] === m && e[1] !== m).sort((x, y) => y[2] - x[2]);
    const inn = data.module_edges.filter((e) => e[1] === m && e[0] !== m).sort((x, y) => y[2] - x[2]);
    const edgeList = (title, items, other) => {
      side.append(el('h4', { text: title + ' (' + items.length + ')' }));
      const ul = el('ul', { class: 'sites' });
      for (const e of items) ul.append(el('li', {}, moduleButton(e[other]), el('span', { class: 'muted', text: ' ' + plural(e[2], 'site') + ', ' + plural(e[3], 'file') })));
      side.append(ul);
    };
    edgeList('Depends on', out, 1);
    edgeList('Used by', inn, 0);
    const files = data.files.map((f, i) => i).filter((i) => moduleOf(i) === m);
    side.append(el('h4', { text: 'Files (' + files.length + ')' }));
    const ul = el('ul', { class: 'sites' });
    side.append(ul);
    const more = paged(ul, files, (i) => el('li', {}, fileButton(i)), 30);
    if (more) side.append(more);
  }
  function clearSelection() {
    const { nodeEls, edgeNodes, side } = graphState;
    for (const [, n] of nodeEls) n.classList.remove('selected', 'faded');
    for (const e of edgeNodes) e.classList.remove('on', 'faded');
    side.replaceChildren(el('p', { class: 'muted', text: 'Select a module to see its files and its dependencies both ways.' }));
  }

  // ------------------------------------------------------------------- DSM
  function matrix() {
    const order = data.dsm.order.filter((m) => data.modules[m].files > 0).slice(0, 200);
    const n = order.length;
    const index = new Map(order.map((m, i) => [m, i]));
    const cell = Math.max(10, Math.min(28, Math.floor(760 / Math.max(n, 1))));
    const labelW = 220;
    const size = labelW + n * cell + 10;
    const svgNode = sv('svg', { width: size, height: n * cell + 40, viewBox: '0 0 ' + size + ' ' + (n * cell + 40), role: 'img', 'aria-label': 'Dependency structure matrix' });
    const top = 30;
    const max = Math.max(1, ...data.module_edges.map((e) => e[2]));
    let above = 0;
    order.forEach((m, i) => {
      svgNode.append(sv('text', { x: labelW - 6, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'end', class: 'dsm-label', text: short(moduleName(m), 30) + ' ' + (i + 1) }));
      svgNode.append(sv('text', { x: labelW + i * cell + cell / 2, y: top - 8, 'text-anchor': 'middle', class: 'dsm-label', text: String(i + 1) }));
      svgNode.append(sv('rect', { class: 'cell-diag', x: labelW + i * cell, y: top + i * cell, width: cell, height: cell }));
    });
    for (const [a, b, sites, files] of data.module_edges) {
      if (!index.has(a) || !index.has(b) || a === b) continue;
      const r = index.get(a), c = index.get(b);
      if (c > r) above++;
      const alpha = 0.18 + 0.82 * Math.log(1 + sites) / Math.log(1 + max);
      svgNode.append(sv('rect', { x: labelW + c * cell + 1, y: top + r * cell + 1, width: cell - 2, height: cell - 2, rx: 2, style: 'fill: rgba(var(--heat), ' + alpha.toFixed(3) + ')' },
        sv('title', { text: moduleName(a) + ' uses ' + moduleName(b) + ': ' + plural(sites, 'import site') + ' from ' + plural(files, 'file') })));
      if (cell >= 18 && sites > 0) svgNode.append(sv('text', { x: labelW + c * cell + cell / 2, y: top + r * cell + cell / 2 + 4, 'text-anchor': 'middle', style: 'font-size: 10px; pointer-events: none' + (alpha > 0.6 ? '; fill: #fff' : ''), text: sites > 999 ? '1k+' : String(sites) }));
    }
    // Cycle blocks: consecutive members of one cycle.
    let i = 0;
    while (i < n) {
      const c = data.dsm.cycle_of[order[i]];
      let j = i;
      while (j + 1 < n && c !== null && data.dsm.cycle_of[order[j + 1]] === c) j++;
      if (c !== null && j > i) svgNode.append(sv('rect', { class: 'block', x: labelW + i * cell, y: top + i * cell, width: (j - i + 1) * cell, height: (j - i + 1) * cell }, sv('title', { text: 'module cycle of ' + (j - i + 1) + ' modules' })));
      i = j + 1;
    }
    return [el('h2', { text: 'Dependency structure matrix' }),
      el('p', { class: 'lead', text: 'Row uses column (import sites, darker is more). Modules come dependencies first, so marks below the diagonal point to what is used; every mark above it lies in a cycle, outlined in red.' }),
      el('p', { class: 'note', text: plural(n, 'module') + ' · ' + plural(above, 'dependency', 'dependencies') + ' above the diagonal' }),
      el('div', { class: 'scroll', id: 'dsm' }, svgNode)];
  }

  // -------------------------------------------------------------- coupling
  function coupling() {
    const mods = data.modules.map((m, i) => i).filter((i) => data.modules[i].files > 0);
    const columns = [['module', (m) => moduleName(m)], ['files', (m) => data.modules[m].files], ['Ca', (m) => data.modules[m].ca], ['Ce', (m) => data.modules[m].ce], ['I', (m) => data.modules[m].instability], ['A', (m) => data.modules[m].abstractness], ['D', (m) => data.modules[m].distance], ['types', (m) => data.modules[m].types], ['copied', (m) => data.modules[m].duplication]];
    let sortBy = 6, desc = true;
    const tbody = el('tbody');
    const head = el('tr');
    function draw() {
      const rows = mods.slice().sort((x, y) => {
        const a = columns[sortBy][1](x), b = columns[sortBy][1](y);
        // Modules without a value go last whichever the direction.
        const missing = (a === null) - (b === null);
        if (missing) return missing;
        const cmp = typeof a === 'string' ? a.localeCompare(b) : a - b;
        return (desc ? -cmp : cmp) || x - y;
      });
      tbody.replaceChildren(...rows.map((m) => {
        const d = data.modules[m];
        return el('tr', {}, el('td', {}, moduleButton(m)), el('td', { class: 'num', text: fmt(d.files) }), el('td', { class: 'num', text: d.ca }), el('td', { class: 'num', text: d.ce }), el('td', { class: 'num', text: num2(d.instability) }), el('td', { class: 'num', text: num2(d.abstractness) }), el('td', { class: 'num', text: num2(d.distance) }), el('td', { class: 'num', text: d.types }), el('td', { class: 'num', text: pct(d.duplication) }));
      }));
      head.querySelectorAll('th').forEach((th, i) => th.setAttribute('aria-sort', i === sortBy ? (desc ? 'descending' : 'ascending') : 'none'));
    }
    columns.forEach(([name], i) => head.append(el('th', { class: i ? 'num' : '' }, el('button', { type: 'button', text: name, onclick: () => { desc = sortBy === i ? !desc : i !== 0; sortBy = i; draw(); } }))));
    draw();
    // Main sequence: abstractness over instability.
    const S = 360, P = 36, LABELS = 150;
    const plot = sv('svg', { width: S + P * 2 + LABELS, height: S + P * 2, viewBox: '0 0 ' + (S + P * 2 + LABELS) + ' ' + (S + P * 2), role: 'img', 'aria-label': 'Main sequence: abstractness against instability' });
    const X = (i) => P + i * S, Y = (a) => P + (1 - a) * S;
    plot.append(sv('path', { class: 'zone', d: 'M' + X(0) + ',' + Y(0) + ' L' + X(0.5) + ',' + Y(0) + ' L' + X(0) + ',' + Y(0.5) + ' z' }, sv('title', { text: 'zone of pain: stable and concrete' })));
    plot.append(sv('path', { class: 'zone', d: 'M' + X(1) + ',' + Y(1) + ' L' + X(0.5) + ',' + Y(1) + ' L' + X(1) + ',' + Y(0.5) + ' z' }, sv('title', { text: 'zone of uselessness: abstract and unstable' })));
    plot.append(sv('line', { class: 'axis', x1: X(0), y1: Y(0), x2: X(1), y2: Y(0) }), sv('line', { class: 'axis', x1: X(0), y1: Y(0), x2: X(0), y2: Y(1) }), sv('line', { class: 'main-seq', x1: X(0), y1: Y(1), x2: X(1), y2: Y(0) }));
    plot.append(sv('text', { x: X(0.5), y: S + P * 2 - 6, 'text-anchor': 'middle', text: 'instability I' }), sv('text', { x: 12, y: Y(0.5), transform: 'rotate(-90 12 ' + Y(0.5) + ')', 'text-anchor': 'middle', text: 'abstractness A' }));
    for (const t of [0, 0.5, 1]) plot.append(sv('text', { x: X(t), y: Y(0) + 16, 'text-anchor': 'middle', style: 'font-size: 10px', text: String(t) }), sv('text', { x: X(0) - 6, y: Y(t) + 4, 'text-anchor': 'end', style: 'font-size: 10px', text: String(t) }));
    const placed = mods.filter((m) => data.modules[m].abstractness !== null && data.modules[m].instability !== null);
    const far = new Set(placed.slice().sort((x, y) => data.modules[y].distance - data.modules[x].distance).slice(0, 6));
    // Labels for the farthest modules, those at one point joined.
    const labels = new Map();
    for (const m of placed) {
      const d = data.modules[m];
      const r = 3 + Math.sqrt(d.files);
      plot.append(sv('circle', { class: 'dot' + (far.has(m) ? ' far' : ''), cx: X(d.instability), cy: Y(d.abstractness), r: Math.min(r, 18).toFixed(1) }, sv('title', { text: d.name + ': I ' + num2(d.instability) + ', A ' + num2(d.abstractness) + ', D ' + num2(d.distance) + ', ' + plural(d.files, 'file') })));
      if (far.has(m)) {
        const key = d.instability.toFixed(2) + ',' + d.abstractness.toFixed(2);
        (labels.get(key) || labels.set(key, { i: d.instability, a: d.abstractness, names: [] }).get(key)).names.push(d.name);
      }
    }
    for (const { i, a, names } of labels.values()) {
      const text = names.length > 2 ? short(names[0], 18) + ' and ' + (names.length - 1) + ' more' : names.map((n) => short(n, 18)).join(', ');
      plot.append(sv('text', { x: X(i) + 8, y: Y(a) - 7, style: 'font-size: 11px', text }));
    }
    return [el('h2', { text: 'Coupling' }),
      el('p', { class: 'lead', text: 'Per module, file-based: afferent coupling Ca (files outside importing it), efferent Ce (its files importing outside), instability I = Ce / (Ca + Ce), abstractness A (abstract types over types), distance D = |A + I − 1| from the main sequence. Click a header to sort.' }),
      el('div', { class: 'row' }, el('div', { class: 'grow box' }, el('table', { id: 'coupling-table' }, el('thead', {}, head), tbody)),
        el('div', { class: 'box' }, el('h3', { text: 'Main sequence' }), plot, el('p', { class: 'note', text: 'Dots sized by files; red: farthest from the line A + I = 1. ' + (mods.length - placed.length) + ' modules define no type or touch nothing and are not placed.' })))];
  }

  // ----------------------------------------------------------------- cycles
  function cycles() {
    const name = (level, id) => (level === 'module' ? moduleName(id) : path(id));
    const out = [el('h2', { text: 'Import cycles' }), el('p', { class: 'lead', text: 'Each strongly connected component (every import but type-only ones, and never a Django model named by a string), with a shortest cycle through it and the cheapest imports to cut. Click an import site to open its file.' })];
    if (!data.cycles.length) out.push(el('p', { class: 'pass', text: 'No import cycle.' }));
    const card = (c) => {
      const box = el('div', { class: 'box cycle' }, el('h3', { text: (c.level === 'module' ? 'Module cycle: ' : 'File cycle: ') + plural(c.members.length, c.level) + ', ' + plural(c.edges, 'dependency', 'dependencies') + ', ' + plural(c.sites, 'import site') }));
      const members = el('p', { class: 'muted' });
      c.members.slice(0, 40).forEach((m, i) => members.append(i ? ', ' : '', c.level === 'module' ? moduleButton(m) : fileButton(m)));
      if (c.members.length > 40) members.append(' and ' + (c.members.length - 40) + ' more');
      box.append(members);
      const hops = (title, list) => {
        box.append(el('h4', { text: title }));
        for (const h of list) {
          const sites = el('span', { class: 'muted' });
          h.sites.slice(0, 8).forEach(([f, line], i) => sites.append(i ? ', ' : ' ', fileButton(f, line)));
          if (h.sites.length > 8) sites.append(' and ' + (h.sites.length - 8) + ' more');
          box.append(el('div', { class: 'hop' }, el('span', { class: 'mono', text: short(name(c.level, h.from), 60) + ' → ' + short(name(c.level, h.to), 60) }), sites));
        }
      };
      hops('A shortest cycle', c.witness);
      hops('Cheapest cut (' + plural(c.cut.reduce((s, h) => s + h.sites.length, 0), 'import site') + ')', c.cut);
      return box;
    };
    const holder = el('div');
    out.push(holder);
    const more = paged(holder, data.cycles, card, 10);
    if (more) out.push(more);
    return out;
  }

  // ----------------------------------------------------------------- clones
  function clones() {
    const out = [el('h2', { text: 'Copied code' })];
    if (data.clones.length) {
      const withCode = data.clones.filter((c) => c.code.length).length;
      out.push(el('p', { class: 'lead', text: plural(data.summary.clone_classes, 'clone class', 'clone classes') + ' (every place a fragment occurs, names and literals renamed consistently), ' + pct(data.summary.duplication) + ' of code lines. The largest ' + data.clones.length + ' are listed; the first ' + withCode + ' show two copies side by side.' }));
    }
    const card = (c, i) => {
      const box = el('div', { class: 'box clone' }, el('h3', {}, '#' + (i + 1) + ': ' + plural(c.tokens, 'token') + ', ' + plural(c.lines, 'line') + ', ' + plural(c.places.length, 'place') + ' ', c.modules.length > 1 ? el('span', { class: 'badge bad', text: 'across ' + c.modules.map(moduleName).join(', ') }) : el('span', { class: 'badge', text: moduleName(c.modules[0]) })));
      const ul = el('ul', { class: 'sites' });
      c.places.slice(0, 12).forEach(([f, a, b]) => ul.append(el('li', {}, fileButton(f, a + '-' + b))));
      if (c.places.length > 12) ul.append(el('li', { class: 'muted', text: 'and ' + (c.places.length - 12) + ' more places' }));
      box.append(ul);
      if (c.code.length) {
        const code = el('div', { class: 'code' });
        c.code.forEach((text, k) => code.append(el('div', {}, el('div', { class: 'place mono', text: path(c.places[k][0]) + ':' + c.places[k][1] + '-' + c.places[k][2] }), el('pre', { text }))));
        box.append(code);
      }
      return box;
    };
    const holder = el('div', { id: 'clone-list' });
    out.push(holder);
    const more = paged(holder, data.clones, card, 20);
    if (more) out.push(more);
    if (!data.clones.length) out.push(el('p', { class: 'pass', text: 'No copied code of the minimum size.' }));
    out.push(...nearClones());
    return out;
  }

  // Functions copied and then edited: each class's members with their
  // similarity to the first, and the first two side by side with the
  // lines that differ marked.
  function nearClones() {
    const s = data.summary;
    const out = [el('h2', { text: 'Copied and edited' })];
    if (!data.near.length) {
      out.push(el('p', { class: 'pass', text: 'No function copied and edited (similarity ' + s.near_similarity + ' or more) of the minimum size.' }));
      return out;
    }
    const withCode = data.near.filter((c) => c.sides).length;
    out.push(el('p', { class: 'lead', text: plural(s.near_classes, 'near-miss class', 'near-miss classes') + ': functions and methods copied and then edited (a statement added, removed or changed, names renamed), similarity ' + s.near_similarity + ' or more, ' + pct(s.near_duplication) + ' of code lines. The largest ' + data.near.length + ' are listed; the first ' + withCode + ' show the first member beside a copy, the lines that differ marked.' }));
    const side = (member, shown) => {
      const differs = new Set(shown.differs);
      const pre = el('pre', { class: 'numbered' });
      shown.lines.forEach((text, k) => {
        const line = shown.first_line + k;
        pre.append(el('span', { class: differs.has(line) ? 'line differs' : 'line', title: differs.has(line) ? 'differs from the other side' : null }, el('span', { class: 'ln', text: String(line) }), text));
      });
      if (shown.total > shown.lines.length) pre.append(el('span', { class: 'muted', text: '… (' + shown.total + ' lines in all)' }));
      return el('div', {}, el('div', { class: 'place mono', text: path(member[0]) + ':' + member[1] + '-' + member[2] + ' · ' + plural(shown.differs.length, 'line differs', 'lines differ') }), pre);
    };
    const card = (c, i) => {
      const badge = c.modules.length > 1 ? el('span', { class: 'badge bad', text: 'across ' + c.modules.map(moduleName).join(', ') }) : el('span', { class: 'badge', text: moduleName(c.modules[0]) });
      const box = el('div', { class: 'box clone' }, el('h3', {}, '#' + (i + 1) + ': similarity ' + c.similarity.toFixed(2) + ', ' + plural(c.members.length, 'member') + ', ' + plural(c.tokens, 'token') + ' in all ', badge));
      const ul = el('ul', { class: 'sites' });
      c.members.slice(0, 12).forEach(([f, a, b, tokens, similarity], k) => ul.append(el('li', {}, fileButton(f, a + '-' + b), ' ' + plural(tokens, 'token') + (k ? ', similarity ' + similarity.toFixed(3) : ', the first member'))));
      if (c.members.length > 12) ul.append(el('li', { class: 'muted', text: 'and ' + (c.members.length - 12) + ' more members' }));
      box.append(ul);
      if (c.sides) box.append(el('div', { class: 'code' }, side(c.members[0], c.sides[0]), side(c.members[1], c.sides[1])));
      return box;
    };
    const holder = el('div', { id: 'near-list' });
    out.push(holder);
    const more = paged(holder, data.near, card, 20);
    if (more) out.push(more);
    return out;
  }

  // -------------------------------------------------------------- endpoints
  // Every endpoint with its guards; a row opens its trace (the definitions
  // its handler reaches and the calls leaving the code on the way).
  function endpoints() {
    const out = [];
    const all = data.endpoints;
    if (!all.length) {
      out.push(el('p', { class: 'pass', text: 'No endpoint found (Django, Flask, FastAPI, Express and NestJS registrations are read).' }));
    } else {
      const open = all.filter((e) => !e.guards.length).length;
      const listed = data.endpoints_found > all.length ? ' (the first ' + fmt(all.length) + ' listed)' : '';
      out.push(el('p', { class: 'lead', text: plural(data.endpoints_found, 'endpoint') + listed + ', ' + plural(open, 'without a guard', 'without a guard') + '. Click a row for its trace.' }));
      const methods = [...new Set(all.flatMap((e) => e.methods.split(',')))].sort();
      const modules = [...new Set(all.map((e) => e.module))].sort((a, b) => moduleName(a).localeCompare(moduleName(b)));
      const method = el('select', { 'aria-label': 'Method', id: 'endpoint-method' }, el('option', { value: '', text: 'every method' }), methods.map((m) => el('option', { value: m, text: m })));
      const module = el('select', { 'aria-label': 'Module', id: 'endpoint-module' }, el('option', { value: '', text: 'every module' }), modules.map((m) => el('option', { value: String(m), text: moduleName(m) })));
      const guard = el('select', { 'aria-label': 'Guard', id: 'endpoint-guard' }, el('option', { value: '', text: 'guarded or not' }), el('option', { value: 'yes', text: 'with a guard' }), el('option', { value: 'no', text: 'without a guard' }));
      const search = el('input', { type: 'search', placeholder: 'path or handler', 'aria-label': 'Path or handler', id: 'endpoint-search' });
      const tbody = el('tbody', { id: 'endpoint-rows' });
      const table = el('table', { id: 'endpoints-table' }, el('thead', {}, el('tr', {}, el('th', { text: 'method' }), el('th', { text: 'path' }), el('th', { text: 'handler' }), el('th', { text: 'guards' }), el('th', { text: 'module' }))), tbody);
      const rows = all.map((e, i) => {
        const guards = e.guards.length ? e.guards.map((g) => g[0]).join(', ') : 'none';
        const row = el('tr', { class: 'endpoint' + (e.guards.length ? '' : ' unguarded'), 'data-index': i, 'data-path': e.path, 'data-guarded': e.guards.length ? '1' : '0', tabindex: 0, title: 'Show the trace' },
          el('td', { class: 'mono', text: e.methods }), el('td', { class: 'mono', text: e.path }), el('td', { class: 'mono', text: e.handler }),
          el('td', { class: e.guards.length ? '' : 'bad', text: guards }), el('td', { text: moduleName(e.module) }));
        const detail = el('tr', { class: 'trace', hidden: true }, el('td', { colspan: 5 }, traceBox(e)));
        const toggle = () => { detail.hidden = !detail.hidden; row.setAttribute('aria-expanded', String(!detail.hidden)); };
        row.addEventListener('click', toggle);
        row.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); toggle(); } });
        tbody.append(row, detail);
        return [e, row, detail];
      });
      const filter = () => {
        const q = search.value.toLowerCase();
        let shown = 0;
        for (const [e, row, detail] of rows) {
          const keep = (!method.value || e.methods.split(',').some((m) => m === method.value || m === '*'))
            && (!module.value || String(e.module) === module.value)
            && (!guard.value || (guard.value === 'yes') === (e.guards.length > 0))
            && (!q || e.path.toLowerCase().includes(q) || e.handler.toLowerCase().includes(q));
          row.hidden = !keep;
          if (!keep) detail.hidden = true;
          if (keep) shown++;
        }
        count.textContent = plural(shown, 'endpoint') + ' shown';
      };
      const count = el('span', { class: 'muted' });
      for (const control of [method, module, guard]) control.addEventListener('change', filter);
      search.addEventListener('input', filter);
      out.push(el('div', { class: 'row controls' }, method, module, guard, search, count), el('div', { class: 'box scroll' }, table));
      filter();
    }
    if (data.dynamic.length) {
      out.push(el('h2', { text: 'Not read statically' }));
      const ul = el('ul', { class: 'sites', id: 'endpoint-dynamic' });
      for (const [f, line, framework, reason] of data.dynamic) ul.append(el('li', {}, fileButton(f, line), ' (' + framework + ') ' + reason));
      out.push(ul);
    }
    return out;
  }
  function traceBox(e) {
    const box = el('div', { class: 'trace-box' });
    const head = el('p', {}, 'registered at ', fileButton(e.site[0], e.site[1]));
    if (e.guards.length) {
      head.append('; guards: ');
      e.guards.forEach(([name, f, line, on], k) => head.append(k ? ', ' : '', name + ' (' + on + ', ', fileButton(f, line), ')'));
    }
    box.append(head);
    if (!e.trace.length) {
      box.append(el('p', { class: 'muted', text: 'No handler in the repository to follow.' }));
      return box;
    }
    const list = el('ul', { class: 'trace-tree' });
    for (const [depth, how, name, f, line] of e.trace) {
      const effect = !['start', 'call', 'instantiate'].includes(how);
      list.append(el('li', { class: effect ? 'effect ' + how : 'step', style: 'padding-left:' + (depth * 1.2) + 'em' },
        el('span', { class: 'badge' + (effect ? ' bad' : ''), text: how }), ' ', el('span', { class: 'mono', text: name }), ' ', fileButton(f, line)));
    }
    if (e.trace_more) list.append(el('li', { class: 'muted', text: 'and ' + e.trace_more + ' more steps' }));
    box.append(list);
    return box;
  }

  // ----------------------------------------------------------------- impact
  // The symbol graph: a node's name is its parent's name and its own part.
  const sym = data.symbols;
  let symNames = null;
  function symName(i) {
    if (!symNames) {
      symNames = new Array(sym.nodes.length);
      for (let k = 0; k < sym.nodes.length; k++) {
        const chain = [];
        let at = k;
        while (at >= 0 && symNames[at] === undefined && chain.length <= sym.nodes.length) { chain.push(at); at = sym.nodes[at][1]; }
        let prefix = at >= 0 && symNames[at] !== undefined ? symNames[at] : '';
        for (let j = chain.length - 1; j >= 0; j--) { prefix += sym.nodes[chain[j]][0]; symNames[chain[j]] = prefix; }
      }
    }
    return symNames[i];
  }
  const symKind = (i) => sym.kinds[sym.nodes[i][2]];
  let impactState = null;
  function impact() {
    const input = el('input', { type: 'search', placeholder: 'A definition (function, method, class) or a file path', 'aria-label': 'Definition or file', 'aria-autocomplete': 'list', 'aria-controls': 'impact-suggestions', autocomplete: 'off' });
    const loads = el('input', { type: 'checkbox', id: 'impact-loads' });
    const list = el('ul', { class: 'suggestions', id: 'impact-suggestions', role: 'listbox', hidden: true });
    const result = el('div', { id: 'impact-result' });
    let options = [];
    let active = -1;
    function suggest() {
      const q = input.value.trim().toLowerCase();
      options = [];
      if (q.length) {
        // Names ending in what was typed first (`save` finds `Order.save`).
        const ends = [];
        const contains = [];
        for (let i = 0; i < sym.nodes.length && ends.length < 12; i++) {
          if (symKind(i) === 'module') continue;
          const name = symName(i).toLowerCase();
          if (name.endsWith(q)) ends.push({ symbol: i });
          else if (contains.length < 12 && name.includes(q)) contains.push({ symbol: i });
        }
        options = ends.concat(contains).slice(0, 12);
        for (let i = 0; i < data.files.length && options.length < 30; i++) if (path(i).toLowerCase().includes(q)) options.push({ file: i });
      }
      active = -1;
      list.replaceChildren(...options.map((o, k) => el('li', { role: 'option', id: 'impact-option-' + k, onmousedown: (event) => { event.preventDefault(); pickImpact(o); } }, o.symbol !== undefined ? [el('strong', { text: symName(o.symbol) }), el('span', { class: 'muted', text: ' ' + symKind(o.symbol) + ' in ' + path(sym.nodes[o.symbol][3]) })] : el('span', { class: 'mono', text: path(o.file) }))));
      list.hidden = !options.length;
    }
    input.addEventListener('input', suggest);
    input.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        if (!options.length) return;
        active = (active + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length;
        list.querySelectorAll('li').forEach((li, k) => li.setAttribute('aria-selected', String(k === active)));
        input.setAttribute('aria-activedescendant', 'impact-option-' + active);
      } else if (event.key === 'Enter') {
        event.preventDefault();
        const o = options[active >= 0 ? active : 0];
        if (o) pickImpact(o);
      }
    });
    loads.addEventListener('change', () => { if (impactState.picked) pickImpact(impactState.picked); });
    impactState = { input, list, result, loads, picked: null };
    return [el('h2', { text: 'Impact explorer' }),
      el('p', { class: 'lead', text: 'What a change reaches. A definition: the definitions that use it (call, instantiate, extend, read; not an import or a type annotation alone), then those that use them, by depth, and the tests among them. A file: the files that import it, then their importers. vantage impact --level symbol answers on the command line, with the why-chain of each use, overrides reached through dispatch, and the files reached by uses it could not resolve.' }),
      el('div', { class: 'box' }, el('div', { class: 'search' }, input, el('label', {}, loads, ' files: only imports that run when the code loads')), list),
      result];
  }
  function pickImpact(target) {
    if (!impactState) render('impact');
    const { input, list, result, loads } = impactState;
    impactState.picked = target;
    list.hidden = true;
    if (target.symbol !== undefined) return pickSymbol(target.symbol);
    const onlyLoads = loads.checked;
    const depth = new Map();
    input.value = path(target.file);
    const title = path(target.file);
    depth.set(target.file, 0);
    let frontier = expand([target.file], depth, 1, onlyLoads);
    let level = 1;
    while (frontier.length) { level++; frontier = expand(frontier, depth, level, onlyLoads); }
    const byDepth = [];
    for (const [f, d] of depth) if (d > 0) (byDepth[d] = byDepth[d] || []).push(f);
    const total = depth.size - 1;
    const modules = new Set([...depth.keys()].filter((f) => depth.get(f) > 0).map(moduleOf));
    result.replaceChildren(el('h3', { text: title }), el('p', {}, el('strong', { text: plural(total, 'file') }), ' in ' + plural(modules.size, 'module') + ' depend on it' + (onlyLoads ? ' when the code loads' : '') + '.'));
    byDepth.forEach((files, d) => {
      if (!files) return;
      files.sort((a, b) => path(a).localeCompare(path(b)));
      const ul = el('ul', { class: 'files' });
      const box = el('div', { class: 'depth' }, el('h4', { text: 'Depth ' + d + ': ' + plural(files.length, 'file') }), ul);
      const more = paged(ul, files, (f) => el('li', {}, fileButton(f)), 40);
      if (more) box.append(more);
      result.append(box);
    });
  }
  function pickSymbol(id) {
    const { input, result } = impactState;
    const node = sym.nodes[id];
    input.value = symName(id);
    const depth = new Map([[id, 0]]);
    const byDepth = [];
    let frontier = [id];
    for (let level = 1; frontier.length; level++) {
      const next = [];
      for (const n of frontier) for (const u of sym.users[n]) if (!depth.has(u)) { depth.set(u, level); next.push(u); }
      if (next.length) byDepth[level] = next;
      frontier = next;
    }
    const reached = [...depth.keys()].filter((n) => n !== id);
    const files = new Set(reached.map((n) => sym.nodes[n][3]));
    const modules = new Set([...files].map(moduleOf));
    const testFiles = [...new Set(reached.filter((n) => sym.nodes[n][5]).map((n) => sym.nodes[n][3]))].sort((a, b) => path(a).localeCompare(path(b)));
    const cases = reached.filter((n) => sym.nodes[n][5] === 1).length;
    result.replaceChildren(el('h3', {}, symKind(id) + ' ', el('span', { class: 'mono', text: symName(id) }), ' ', fileButton(node[3], node[4])),
      el('p', {}, el('strong', { text: plural(reached.length, 'definition') }), ' in ' + plural(files.size, 'file') + ' and ' + plural(modules.size, 'module') + ' use it, directly or through others, by the uses vantage resolved; ' + (testFiles.length ? plural(testFiles.length, 'test file') + (cases ? ' (' + plural(cases, 'test case') + ')' : '') + ' reach' + (testFiles.length === 1 && !cases ? 'es' : '') + ' it.' : 'no test reaches it.')));
    result.append(el('p', { class: 'muted' }, 'The command line adds what this graph leaves out (overrides reached through dispatch, code run when a reached module loads, uses it could not resolve): ', el('code', { text: 'vantage impact --symbol ' + symName(id) + ' --tests' }), '.'));
    if (testFiles.length) {
      const ul = el('ul', { class: 'files', id: 'impact-tests' });
      const box = el('div', { class: 'depth' }, el('h4', { text: 'Tests to run: ' + plural(testFiles.length, 'file') }), ul);
      const more = paged(ul, testFiles, (f) => el('li', {}, fileButton(f)), 40);
      if (more) box.append(more);
      result.append(box);
    }
    byDepth.forEach((nodes, d) => {
      nodes.sort((a, b) => symName(a).localeCompare(symName(b)));
      const ul = el('ul', { class: 'files' });
      const box = el('div', { class: 'depth' }, el('h4', { text: 'Depth ' + d + ': ' + plural(nodes.length, 'definition') }), ul);
      const more = paged(ul, nodes, (n) => el('li', { 'data-symbol': symName(n) }, el('span', { class: 'muted', text: symKind(n) + ' ' }), el('span', { class: 'mono', text: symName(n) + (sym.nodes[n][5] ? ' (test)' : '') + ' ' }), fileButton(sym.nodes[n][3], sym.nodes[n][4])), 40);
      if (more) box.append(more);
      result.append(box);
    });
  }
  function expand(frontier, depth, level, onlyLoads) {
    const next = [];
    for (const f of frontier) for (const [from, kind] of importersOf[f]) {
      if (onlyLoads && !LOADS.has(kind)) continue;
      if (kind === 'model_ref') continue;
      if (!depth.has(from)) { depth.set(from, level); next.push(from); }
    }
    return next;
  }

  // ------------------------------------------------------------------ debt
  function debt() {
    const parts = ['fan-in', 'churn', 'in a cycle', 'copied share'];
    const out = [el('h2', { text: 'Technical debt: hot spots' }),
      el('p', { class: 'lead', text: 'Every file scored from four parts, each from 0 to 1: fan-in (files importing it, over the most any file has), churn (commits touching it, over the most), membership in an import cycle, and its share of copied lines. The score is their sum, up to 4.' }),
      el('div', { class: 'legend' }, parts.map((p, i) => el('span', {}, el('i', { style: 'background: var(--part-' + i + ')' }), p)))];
    if (!data.churn) out.push(el('p', { class: 'note', text: 'Churn is 0 everywhere: the folder is not in a git repository.' }));
    else if (data.hot.every((h) => !h.churn)) out.push(el('p', { class: 'note', text: 'Churn is 0 everywhere: no commit of the history read touches these files (a folder git ignores, or not committed yet).' }));
    const table = el('table', {}, el('thead', {}, el('tr', {}, el('th', { class: 'num', text: '#' }), el('th', { text: 'file' }), el('th', { text: 'score' }), el('th', { class: 'num', text: 'fan-in' }), el('th', { class: 'num', text: 'commits' }), el('th', { class: 'num', text: 'cycle' }), el('th', { class: 'num', text: 'copied' }))));
    const tbody = el('tbody');
    table.append(tbody);
    const more = paged(tbody, data.hot, (h, i) => {
      const bar = el('div', { class: 'bar', title: parts.map((p, k) => p + ' ' + h.parts[k]).join(', ') });
      h.parts.forEach((v, k) => bar.append(el('span', { style: 'width: ' + (v * 25).toFixed(1) + '%; background: var(--part-' + k + ')' })));
      return el('tr', {}, el('td', { class: 'num', text: i + 1 }), el('td', {}, fileButton(h.file)), el('td', {}, el('div', { style: 'display: flex; gap: 8px; align-items: center' }, bar, el('span', { class: 'mono', text: h.score.toFixed(2) }))), el('td', { class: 'num', text: fmt(h.fan_in) }), el('td', { class: 'num', text: h.churn === null ? '–' : fmt(h.churn) }), el('td', { class: 'num', text: h.cycle ? fmt(h.cycle) : '–' }), el('td', { class: 'num', text: h.code_lines ? pct(100 * h.duplicated_lines / h.code_lines) : '–' }));
    }, 50);
    out.push(el('div', { class: 'box' }, table, more));
    return out;
  }

  // ------------------------------------------------------------ decoupling
  function decoupling() {
    const out = [el('h2', { text: 'Decoupling suggestions' }),
      el('p', { class: 'lead', text: 'For the most coupled module pairs: the interface each pair really has (the names each side uses of the other, with the file offering them), and the files whose move to the other module would remove the most cross-module import sites.' })];
    if (!data.decoupling.length) out.push(el('p', { class: 'muted', text: 'No two modules depend on each other.' }));
    for (const p of data.decoupling) {
      const box = el('div', { class: 'box' }, el('h3', {}, moduleButton(p.a), ' ⇄ ', moduleButton(p.b), ' ', el('span', { class: 'muted', text: moduleName(p.a) + ' uses ' + moduleName(p.b) + ' at ' + plural(p.a_to_b, 'site') + ', ' + moduleName(p.b) + ' uses ' + moduleName(p.a) + ' at ' + plural(p.b_to_a, 'site') + ' ' }), p.cyclic ? el('span', { class: 'badge bad', text: 'depend on each other' }) : null));
      const side = (user, other) => {
        const names = p.interface.filter((u) => u[0] === user);
        const t = el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'name' }), el('th', { text: 'offered by' }), el('th', { class: 'num', text: 'sites' }), el('th', { class: 'num', text: 'files' }))));
        const tb = el('tbody');
        for (const [, f, name, sites, files] of names.slice(0, 15)) tb.append(el('tr', {}, el('td', { class: 'mono', text: name }), el('td', {}, fileButton(f)), el('td', { class: 'num', text: sites }), el('td', { class: 'num', text: files })));
        t.append(tb);
        return el('div', { class: 'grow' }, el('h4', { text: moduleName(user) + ' uses of ' + moduleName(other) + ' (' + plural(names.length, 'name') + ')' }), names.length ? t : el('p', { class: 'muted', text: 'nothing' }));
      };
      box.append(el('div', { class: 'row' }, side(p.a, p.b), side(p.b, p.a)));
      if (p.moves.length) {
        const t = el('table', {}, el('thead', {}, el('tr', {}, el('th', { text: 'file' }), el('th', { text: 'move to' }), el('th', { class: 'num', text: 'crossings removed' }), el('th', { class: 'num', text: 'added' }), el('th', { class: 'num', text: 'net' }))));
        const tb = el('tbody');
        for (const [f, to, removed, added] of p.moves) tb.append(el('tr', {}, el('td', {}, fileButton(f)), el('td', {}, moduleButton(to)), el('td', { class: 'num', text: removed }), el('td', { class: 'num', text: added }), el('td', { class: 'num', text: removed - added })));
        t.append(tb);
        box.append(el('h4', { text: 'Extraction candidates' }), t);
      } else if (p.cyclic) box.append(el('p', { class: 'note', text: 'No single file would remove more crossings than it adds by moving.' }));
      else box.append(el('p', { class: 'note', text: 'One way only: no file needs moving; the names above are the interface to keep narrow.' }));
      out.push(box);
    }
    return out;
  }

  // ------------------------------------------------------------------ tabs
  const sections = [['overview', 'Overview', overview], ['graph', 'Module graph', graph], ['matrix', 'Matrix', matrix], ['coupling', 'Coupling', coupling], ['cycles', 'Cycles', cycles], ['clones', 'Clones', clones], ['endpoints', 'Endpoints', endpoints], ['impact', 'Impact', impact], ['debt', 'Debt', debt], ['decoupling', 'Decoupling', decoupling]];
  const main = document.getElementById('main');
  const nav = document.getElementById('tabs');
  const rendered = new Map();
  function render(id) {
    if (rendered.has(id)) return rendered.get(id);
    const [, label, draw] = sections.find((s) => s[0] === id);
    const section = el('section', { id: 'section-' + id, role: 'tabpanel', 'aria-label': label, 'data-section': id, hidden: true }, draw());
    main.append(section);
    rendered.set(id, section);
    return section;
  }
  const buttons = sections.map(([id, label], i) => el('button', { type: 'button', role: 'tab', id: 'tab-' + id, 'aria-controls': 'section-' + id, text: label, tabindex: i ? -1 : 0, onclick: () => show(id, true) }));
  nav.append(...buttons);
  nav.addEventListener('keydown', (event) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const b = buttons[(next + buttons.length) % buttons.length];
    b.focus();
    show(b.id.slice(4));
  });
  function show(id, focus) {
    const section = render(id);
    for (const [other, s] of rendered) s.hidden = other !== id;
    buttons.forEach((b) => { const on = b.id === 'tab-' + id; b.setAttribute('aria-selected', String(on)); b.tabIndex = on ? 0 : -1; });
    if (location.hash !== '#' + id && location.hash !== '#all') history.replaceState(null, '', '#' + id);
    if (focus) main.focus();
    return section;
  }
  document.getElementById('root').textContent = data.root;
  const theme = document.getElementById('theme');
  theme.addEventListener('click', () => {
    const dark = document.documentElement.dataset.theme ? document.documentElement.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    document.documentElement.dataset.theme = dark ? 'light' : 'dark';
  });
  let wanted = location.hash.slice(1);
  try { wanted = decodeURIComponent(wanted); } catch (e) { /* a malformed escape: the hash as written */ }
  if (wanted.startsWith('impact:')) {
    // `#impact:shop.orders.Order.save` (or a file path) opens the explorer on it.
    const name = wanted.slice('impact:'.length);
    show('impact');
    let found = -1;
    for (let i = 0; i < sym.nodes.length && found < 0; i++) if (symName(i) === name) found = i;
    if (found >= 0) pickImpact({ symbol: found });
    else for (let i = 0; i < data.files.length; i++) if (path(i) === name) { pickImpact({ file: i }); break; }
  } else if (wanted === 'all') {
    for (const [id] of sections) render(id).hidden = false;
  } else {
    show(sections.some((s) => s[0] === wanted) ? wanted : 'overview');
  }
  document.body.dataset.rendered = String(Math.round(performance.now() - started));
  document.body.dataset.errors = String(problems.length);
})();
