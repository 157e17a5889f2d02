#!/usr/bin/env node
// The hand-written expected.json of the TypeScript fixtures (express_shop,
// nest_shop) against the frameworks themselves: the TypeScript counterpart of
// check_fixtures.py.
//
// Each fixture is compiled with tsc (its own tsconfig.json: Nest needs
// emitDecoratorMetadata, which tsx/esbuild do not emit) into
// .bench/fixture-node/build/<fixture>, loaded in this process, and asked what
// it serves: the Express application's router stack walked recursively
// (express_routes.mjs); for Nest, the Express instance under it after
// app.init(), whose route handlers Nest names `Class.method`.
//
// Compared, per fixture:
//   * (method, path, handler.symbol) triples, one per method of a route, the
//     symbol found from the running function: Express, where V8 says it is
//     defined (mapped back to the .ts by the source map) and its name; Nest,
//     the controller class's file; handler.method for Nest;
//   * an inline function handler: handler null, `outside: "inline function"`,
//     and the function starts on the site line;
//   * guards: a route with guards must refuse an anonymous request (401/403),
//     one without must not (requests to 127.0.0.1 on a port the OS picks);
//   * what a `dynamic` registration yields at runtime: absent from `routes`,
//     and the dynamic entry present;
//   * every file:line of expected.json against the source.
//
//     node bench/routes/check_fixtures_ts.mjs [fixture ...]
//
// Prints the differences; exit 1 when there is one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire, findSourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expressRoutes, functionLocator, nameOf } from './express_routes.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures', 'routes');
const NODE = path.join(ROOT, '.bench', 'fixture-node');
const BUILD = path.join(NODE, 'build');
const PACKAGES = 'express@5.3.0 @nestjs/core@12.6.3 @nestjs/common@12.6.3 @nestjs/platform-express@12.6.3 '
  + 'reflect-metadata@0.2.2 rxjs@7.8.2 typescript@7.0.2 tsx@4.23.15 @types/node@22.20.7 @types/express@5.0.6';
const FRAMEWORKS = { express_shop: 'express', nest_shop: 'nest' };
const ROUTE_FIELDS = ['methods', 'path', 'framework', 'handler', 'name', 'site', 'guards', 'module', 'outside'];

// What each `dynamic` registration of a fixture yields at runtime: the
// handler it registers. Its triples must be absent from `routes`, and a
// `dynamic` entry must point at its file, on a line naming the handler.
const DYNAMIC = {
  express_shop: [{ file: 'src/app.ts', symbol: 'src/handlers/misc.ts#renderPage' }],
};

// ---------------------------------------------------------------- the source

function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

/**
 * {symbol: {file, line}} of the fixture's definitions, named as vantage's
 * symbol graph names them: top-level functions, consts and classes
 * `file#name`, class members `file#Class.member`; line = the first line,
 * decorators included. A regex over the fixtures' own formatting
 * (declarations at column 0, members indented two spaces), not a parser.
 */
function definitions(folder) {
  const out = {};
  for (const file of tsFiles(path.join(folder, 'src'))) {
    const rel = path.relative(folder, file);
    let cls = null;
    let decorated = null; // first line of the decorators above the next definition
    fs.readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
      const line = i + 1;
      let m;
      if (/^\s*@\w/.test(text)) {
        decorated ??= line;
      } else if ((m = /^(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+(\w+)/.exec(text))) {
        cls = m[1];
        out[`${rel}#${cls}`] = { file: rel, line: decorated ?? line };
        decorated = null;
      } else if ((m = /^(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*(\w+)|^(?:export\s+)?(?:const|let|var)\s+(\w+)\s*=/.exec(text))) {
        cls = null;
        out[`${rel}#${m[1] ?? m[2]}`] = { file: rel, line: decorated ?? line };
        decorated = null;
      } else if (cls && (m = /^ {2}(?:(?:public|private|protected|static|async|readonly)\s+)*(\w+)\s*\(/.exec(text))
                 && m[1] !== 'constructor') {
        out[`${rel}#${cls}.${m[1]}`] = { file: rel, line: decorated ?? line };
        decorated = null;
      } else if (text.trim() === '') {
        decorated = null;
      }
    });
  }
  return out;
}

const lastName = (symbol) => symbol.split('#')[1].split('.').at(-1);

/** Every file:line of expected.json against the source. */
function lint(folder, doc, framework, defs) {
  const errors = [];
  const cache = {};
  const lineOf = (file, line) => {
    const full = path.join(folder, file);
    if (!fs.existsSync(full)) {
      errors.push(`${file}: no such file`);
      return '';
    }
    cache[file] ??= fs.readFileSync(full, 'utf8').split('\n');
    if (!(line >= 1 && line <= cache[file].length)) {
      errors.push(`${file}:${line}: no such line`);
      return '';
    }
    return cache[file][line - 1];
  };
  // The definition a decorator at file:line belongs to: the next line that is not a decorator.
  const decorates = (file, line) => {
    lineOf(file, line);
    return (cache[file] ?? []).slice(line).find((s) => !/^\s*(@|\}\)|\s*\w+:)/.test(s))?.trim() ?? '';
  };
  const seen = new Set();
  for (const r of doc.routes) {
    const where = `${r.path} ${JSON.stringify(r.methods)}`;
    const unknown = Object.keys(r).filter((k) => !ROUTE_FIELDS.includes(k));
    if (unknown.length) errors.push(`${where}: unknown fields ${unknown}`);
    if (r.framework !== framework) errors.push(`${where}: framework ${r.framework}`);
    if (!r.methods.length || r.methods.join() !== [...r.methods].sort().join() || r.methods.some((m) => m !== m.toUpperCase()))
      errors.push(`${where}: methods not uppercase and sorted`);
    if (r.methods.includes('*') && r.methods.length > 1) errors.push(`${where}: '*' with other methods`);
    if (!r.path.startsWith('/') || (r.path !== '/' && r.path.endsWith('/')) || r.path.includes('//'))
      errors.push(`${where}: path not "/"-led, or with a trailing or double slash`);
    if (r.name !== null) errors.push(`${where}: name ${r.name}, null for ${framework}`);
    for (const m of r.methods) {
      const key = `${m} ${r.path} ${r.handler?.symbol}`;
      if (seen.has(key)) errors.push(`${where}: triple listed twice`);
      seen.add(key);
    }
    const site = lineOf(r.site.file, r.site.line);
    const h = r.handler;
    if (h === null) {
      if (r.outside !== 'inline function') errors.push(`${where}: handler null without outside "inline function"`);
      if (!/=>|function\s*\(/.test(site)) errors.push(`${where}: site ${r.site.file}:${r.site.line} writes no inline function`);
    } else {
      if ('outside' in r) errors.push(`${where}: outside with a handler`);
      const def = defs[h.symbol];
      if (!def || def.file !== h.file || def.line !== h.line)
        errors.push(`${where}: handler ${h.symbol} at ${h.file}:${h.line}, the source defines it at ${def ? `${def.file}:${def.line}` : 'no line'}`);
      if (framework === 'express' && h.method !== null) errors.push(`${where}: handler.method ${h.method}, null for Express`);
      if (framework === 'nest' && !(h.method?.startsWith(`${h.symbol}.`) && defs[h.method]))
        errors.push(`${where}: handler.method ${h.method} is not a method of ${h.symbol} defined in the fixture`);
      const last = lastName(h.method ?? h.symbol);
      if (framework === 'nest') {
        const next = decorates(r.site.file, r.site.line);
        if (!/^\s*@(Get|Post|Put|Patch|Delete|All|Head|Options)\(/.test(site) || !new RegExp(`^${last}\\s*\\(`).test(next))
          errors.push(`${where}: site ${r.site.file}:${r.site.line} is not a route decorator of ${last}`);
      } else if (!new RegExp(`\\b${last}\\b`).test(site)) {
        errors.push(`${where}: site ${r.site.file}:${r.site.line} ${JSON.stringify(site.trim())} does not name ${last}`);
      }
    }
    for (const g of r.guards) {
      if (!['handler', 'route', 'group'].includes(g.on)) errors.push(`${where}: guard on ${g.on}`);
      const text = lineOf(g.file, g.line);
      if (!text.includes(g.name)) errors.push(`${where}: guard ${g.name} not written at ${g.file}:${g.line}`);
      if (g.on === 'route' && (g.file !== r.site.file || Math.abs(g.line - r.site.line) > 0))
        errors.push(`${where}: a route guard is written at the registration site`);
      if (framework === 'nest' && g.on === 'handler') {
        const next = decorates(g.file, g.line);
        const target = new RegExp(`^(${lastName(h.method)}\\s*\\(|export class ${lastName(h.symbol)}\\b)`);
        if (!/@UseGuards\(/.test(text) || !target.test(next))
          errors.push(`${where}: guard ${g.name} at ${g.file}:${g.line} decorates ${JSON.stringify(next)}`);
      }
    }
  }
  for (const d of doc.dynamic) {
    if (!lineOf(d.file, d.line).trim() || d.framework !== framework || !d.reason)
      errors.push(`dynamic ${JSON.stringify(d)}: empty line, wrong framework or no reason`);
  }
  return errors;
}

// ---------------------------------------------------------------- the framework

function compile(fixture) {
  const out = path.join(BUILD, fixture);
  fs.rmSync(out, { recursive: true, force: true });
  // --noCheck: the fixture has no node_modules of its own to resolve imports
  // against (at run time they resolve from the build folder, under NODE);
  // --typeRoots: the "types": ["node"] of its tsconfig.
  execFileSync(path.join(NODE, 'node_modules', '.bin', 'tsc'),
    ['-p', path.join(FIXTURES, fixture, 'tsconfig.json'), '--outDir', out, '--noCheck', '--sourceMap',
      '--typeRoots', path.join(NODE, 'node_modules', '@types')], { stdio: 'inherit' });
  fs.writeFileSync(path.join(BUILD, 'package.json'), '{"type": "commonjs"}\n'); // tsc emits CommonJS
  return out;
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// The served rows of a fixture: {method, path, symbol, handlerMethod, at, probe, refused}.
async function served(fixture, folder, defs, locate) {
  const out = compile(fixture);
  const require = createRequire(path.join(NODE, 'package.json'));
  let app;
  let server;
  let rows;
  if (FRAMEWORKS[fixture] === 'express') {
    app = require(path.join(out, 'src', 'app.js')).app;
    rows = [];
    for (const row of expressRoutes(app)) {
      // Where V8 says the handler is defined, mapped back to the .ts source.
      const loc = await locate(row.handler);
      const entry = loc && findSourceMap(loc.file)?.findEntry(loc.line - 1, loc.column - 1);
      const file = entry?.originalSource ? path.relative(folder, fileURLToPath(entry.originalSource)) : loc?.file;
      const name = nameOf(row.handler);
      const matches = Object.keys(defs).filter((s) => defs[s].file === file && name && lastName(s) === name);
      const symbol = matches.length === 1 ? matches[0] : name ? `?${file}#${name}` : null;
      rows.push({ method: row.method, path: row.path, symbol, handlerMethod: null, at: `${file}:${entry ? entry.originalLine + 1 : '?'}` });
    }
    server = http.createServer(app);
  } else {
    require('@nestjs/common').Logger.overrideLogger(false); // no route-mapping log on stdout
    app = await require(path.join(out, 'src', 'main.js')).createApp();
    await app.init();
    rows = [];
    for (const row of expressRoutes(app.getHttpAdapter().getInstance())) {
      // Nest names each handler it registers `Class.method`; Nest's own
      // not-found route (`*path`) has no such name.
      const m = /^(\w+)\.(\w+)$/.exec(nameOf(row.handler));
      if (!m) continue;
      const cls = Object.keys(defs).filter((s) => s.endsWith(`#${m[1]}`));
      const symbol = cls.length === 1 ? cls[0] : `?#${m[1]}`;
      rows.push({ method: row.method, path: row.path, symbol, handlerMethod: `${symbol}.${m[2]}`, at: null });
    }
    server = app.getHttpServer();
  }
  const port = await listen(server);
  for (const row of rows) {
    const method = row.method === '*' ? 'GET' : row.method;
    const url = row.path.replace(/:(\w+)/g, '1');
    const response = await fetch(`http://127.0.0.1:${port}${url}`, { method });
    row.refused = [401, 403].includes(response.status);
    row.probe = `${method} ${url} -> ${response.status}`;
  }
  await new Promise((resolve) => server.close(resolve));
  if (app.close) await app.close();
  return rows;
}

// ---------------------------------------------------------------- the comparison

async function check(fixture, locate) {
  const folder = path.join(FIXTURES, fixture);
  const framework = FRAMEWORKS[fixture];
  const doc = JSON.parse(fs.readFileSync(path.join(folder, 'expected.json'), 'utf8'));
  const defs = definitions(folder);
  const errors = lint(folder, doc, framework, defs);

  const actual = new Map();
  for (const row of await served(fixture, folder, defs, locate)) {
    const key = `${row.method} ${row.path} ${row.symbol}`;
    if (actual.has(key)) errors.push(`the framework serves ${key} twice`);
    actual.set(key, row);
  }

  for (const dyn of DYNAMIC[fixture] ?? []) {
    const yielded = [...actual.values()].filter((r) => r.symbol === dyn.symbol);
    yielded.forEach((r) => actual.delete(`${r.method} ${r.path} ${r.symbol}`));
    const name = lastName(dyn.symbol);
    const source = fs.readFileSync(path.join(folder, dyn.file), 'utf8').split('\n');
    const entries = doc.dynamic.filter((d) => d.file === dyn.file && source[d.line - 1]?.includes(name));
    if (!entries.length) errors.push(`no dynamic entry at ${dyn.file} on a line naming ${name}`);
    if (!yielded.length) errors.push(`the dynamic registration of ${dyn.symbol} yields nothing at runtime`);
    console.log(`  dynamic ${dyn.file}:${entries[0]?.line ?? '?'} yields at runtime: `
      + yielded.map((r) => `${r.method} ${r.path}`).join(', '));
  }
  const dynamicSymbols = new Set((DYNAMIC[fixture] ?? []).map((d) => d.symbol));

  const expected = new Map();
  for (const r of doc.routes) {
    if (dynamicSymbols.has(r.handler?.symbol)) errors.push(`${r.path}: a route of the dynamic registration is listed in routes`);
    for (const m of r.methods) expected.set(`${m} ${r.path} ${r.handler?.symbol ?? null}`, r);
  }
  for (const key of [...expected.keys()].filter((k) => !actual.has(k)).sort()) errors.push(`expected, not served: ${key}`);
  for (const key of [...actual.keys()].filter((k) => !expected.has(k)).sort()) errors.push(`served, not expected: ${key}`);
  for (const [key, r] of expected) {
    const row = actual.get(key);
    if (!row) continue;
    if ((r.handler?.method ?? null) !== row.handlerMethod)
      errors.push(`${key}: handler.method ${r.handler?.method}, the framework ${row.handlerMethod}`);
    if (r.handler === null && row.at !== `${r.site.file}:${r.site.line}`)
      errors.push(`${key}: the inline handler starts at ${row.at}, not at the site ${r.site.file}:${r.site.line}`);
    if ((r.guards.length > 0) !== row.refused)
      errors.push(`${key}: guards [${r.guards.map((g) => g.name)}], anonymous ${row.probe}`);
  }
  const guarded = [...expected.values()].filter((r) => r.guards.length).length;
  return { errors, counts: [doc.routes.length, expected.size, guarded, doc.dynamic.length] };
}

async function main(argv) {
  if (!fs.existsSync(path.join(NODE, 'node_modules', '@nestjs', 'platform-express'))) {
    console.error(`needs the frameworks in ${NODE}:\n  mkdir -p ${NODE} && npm install --prefix ${NODE} --no-audit --no-fund ${PACKAGES}`);
    return 2;
  }
  process.setSourceMapsEnabled(true); // before the fixtures load: findSourceMap needs it
  const locate = await functionLocator();
  let failed = false;
  for (const fixture of argv.length ? argv : Object.keys(FRAMEWORKS)) {
    console.log(`${fixture}:`);
    const { errors, counts } = await check(fixture, locate);
    errors.forEach((e) => console.log(`  DIFF ${e}`));
    const [routes, triples, guarded, dynamic] = counts;
    console.log(`  ${routes} routes (${triples} method triples, ${guarded} guarded), ${dynamic} dynamic: `
      + (errors.length ? `${errors.length} differences` : 'agree with the framework'));
    failed ||= errors.length > 0;
  }
  return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
