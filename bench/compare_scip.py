#!/usr/bin/env python3
"""Symbol references: vantage's symbol graph against a precise indexer (SCIP).

Peers: scip-python (Pyright) for Django, scip-typescript (the TypeScript
compiler) for rxjs, rust-analyzer (`rust-analyzer scip`) for tokio. All write
index.scip, a protobuf; it is decoded here by
a small hand-written protobuf reader (only Index.metadata.project_root,
Index.documents, Document.relative_path and Document.occurrences with
range, symbol, symbol_roles and enclosing_range are read), so no protoc,
no scip CLI.

    python3 bench/compare_scip.py [--package django|rxjs|tokio|all] [--bench-dir .bench]
        [--vantage target/release/vantage] [--show 30] [--reuse | --reuse-index]
        [--rust-analyzer rust-analyzer] [--json OUT] [--min-precision P --min-recall R]

Corpus packages (../shared/bench/corpus.sh): python/django indexed as its
`django/` package alone (scip-python --target-only django; the test suite,
docs and extras are left out, and vantage is run with the same folders
excluded), and ts/rxjs with its own tsconfig.json (src/**/*.ts). Peers:
../shared/bench/peers.sh puts scip-python and scip-typescript under
BENCH/peers/npm-scip. scip-python is given an empty environment
(`--environment`, a JSON `[]`): no site-packages are indexed, only the
package itself and Pyright's bundled typeshed. Indexes, logs and vantage's
output go to BENCH/scip/. With --reuse, an existing index and vantage output
are read again instead of re-running the tools (no run times then); with
--reuse-index, the index only (vantage runs: numbers for the binary given).

Rust (tokio, rust/tokio: the crates.io crate, Cargo.toml and Cargo.lock).
`rustup component add rust-analyzer rust-src` (rust-src: std's source, for
method resolution through Arc, Box, Pin ...); cargo fetches the dependencies
on the first run. rust-analyzer is given a config (`--config-path`, written to
BENCH/scip/tokio-ra-config.json): all features and `--cfg tokio_unstable` (as
docs.rs builds it), no build scripts, no proc macros. It sees that one
configuration, where vantage reads every #[cfg] alternative. Only the library
is compared: vantage without `/tests/`, SCIP documents under src/ (rust-analyzer
indexes every target). Where the Method below differs for Rust:
  - descriptors: `m/impl#[`Sender<T>`][Trait]send().` is the method `send` of
    the type Sender (vantage: `m::Sender::send`, impl blocks are no symbols);
    `m/` at a file's start is the file's module, elsewhere an inline `mod m { }`
    (vantage's namespace symbol); `name!` macros map onto vantage's
    macro_rules symbols; function-local items are named by rust-analyzer at the
    module's level (`m/NEXT_ID.`), mapped by span as any other.
  - enclosing: every definition has an enclosing_range, but an item written
    inside a macro call (`cfg_rt! { ... }`, `pin_project! { ... }`) gets the
    whole call: such an item encloses by its own braces, found lexically. An
    impl block encloses as its self type (the references in its header, the
    trait and bounds, are the type's, as a class's bases are in Python).
  - `Self` is counted as the type (rust-analyzer names the impl block) or, in a
    trait, as the trait (rust-analyzer: a local type parameter); the self type
    named by `impl X` is dropped, as a class's own name is a definition.
  - writes are plain `=` targets and import lines `use` declarations, both
    found lexically (comments and strings blanked); the scip-wrong-symbol rule
    is not applied (the other name is a `use X as Y` alias, resolved right).
  - code rust-analyzer does not see (#[cfg] off: it gives such items no
    definition, yet some references) is the span of a vantage symbol with no
    SCIP definition occurrence at all in it: neither side's references there
    are compared. vantage edges to namespaces (inline modules) are dropped as
    SCIP's to modules are.
  - the pairs only one side has get a second, lexical reading of the code at
    the site (a struct literal's field, a pattern, a macro call ...), printed
    by category with two examples each and written to --json as `category`.

Method
------
1. SCIP definitions. Every occurrence with the Definition role
   (symbol_roles & 1) of a global symbol (not `local N`) defines that symbol
   in its document; these are "the repository's symbols". Parameters `(x)`,
   type parameters `[T]` and local symbols are not definitions here. A
   module is the namespace symbol of a file (TypeScript `src/a.ts/`, Python
   `pkg.mod/__init__:`).
2. Mapping onto vantage. Each definition occurrence is mapped to the
   vantage symbol of the same file whose span (`line`..`end_line`, which
   includes decorators) contains the occurrence's line and whose last name
   segment equals the SCIP descriptor's name (TypeScript `<constructor>`
   is vantage's `constructor`, `<get>x`/`<set>x` are `x`); the innermost
   such span wins. When no span holds it, the only vantage symbol of that
   file with that name under the same parent is taken ("by name alone",
   counted: vantage's span of a merged definition, e.g. an interface and a
   const of one name, covers only the first). A module symbol maps to the
   file's `kind: module` node. A SCIP symbol maps through its first
   definition occurrence that maps. Unmapped definitions are mostly
   attributes (Python `self.x = ...` instance attributes, TypeScript
   interface properties and object-literal members), which vantage has no
   symbols for. Mapping rates are printed both ways (SCIP definitions
   mapped; vantage symbols of the indexed files that some SCIP definition
   maps to), and the vantage symbols whose span ends before SCIP's
   enclosing_range of one of their definitions does (an overload's
   implementation, an `if`/`else` alternative, a property setter).
3. SCIP pairs. Every non-definition occurrence of a mapped symbol is a
   reference; its target is the mapped vantage symbol. Its source is the
   innermost enclosing definition by SCIP's own enclosing_range (both
   indexers emit it on definitions): among the definition occurrences of
   the same document whose symbol mapped onto vantage (every occurrence:
   a TypeScript overload's implementation is one), the one with the smallest
   enclosing_range containing the reference's start; none -> the file's
   module. A definition without an enclosing_range (both indexers leave it
   off variables and properties, scip-typescript off accessors and
   signatures) encloses by the declaration the language's parser (Python
   ast, the TypeScript compiler's parser) finds with that name on that line:
   a Python assignment statement, a TypeScript variable statement,
   property or accessor; else by its own line. Definitions that did not
   map (a local function, an attribute) are passed over to the next
   enclosing one. The attribution by vantage's own spans (innermost vantage
   symbol containing the line, then lifted as in 4) is computed too and its
   agreement is printed; `--from-spans vantage` uses it instead.
4. vantage pairs. Its edges (from, to), keeping those whose `from` is in a
   file SCIP indexed and whose `to` is a vantage symbol some SCIP definition
   maps to (both ends known to both tools). A `from` no SCIP definition maps
   to (TypeScript: a function or const local to a function, which SCIP
   names `local N` and so attributes its references to the enclosing
   definition) is lifted to the source SCIP gives the first line of that
   symbol (3), so both sides attribute its code alike.
5. Scope. Pairs whose target is a module are dropped (vantage draws module
   dependencies in the file graph, never as symbol edges). Conventions
   aligned: a plain `=` assignment to a name or attribute (`self.x = ...`,
   found by the parser) is a write, not a reference (vantage's `reference`
   is a read), so those SCIP occurrences are dropped; vantage's `call` of a
   constructor (`__init__`, `__new__`, `constructor`) at a site that does
   not spell its name (`X()`, `new X()`) is dropped, as SCIP names the class
   there (and so does vantage's `instantiate`); likewise scip-typescript's
   reference to `X#<constructor>` at `new X()` or `super(...)` is dropped,
   and at `new X()` counts as a reference to X. A SCIP
   reference whose identifier is the name of another repository definition
   than the symbol SCIP gives (scip-python gives `models.CharField` the
   symbol of DateTimeField, through django.db.models' star re-exports) is
   dropped as the indexer's error and counted. Self pairs
   (recursion) are kept on both sides. Two comparisons are printed:
     all        every vantage edge kind vs every SCIP reference;
     no-import  vantage without `import` edges vs SCIP references that are
                not on an import statement (Python: an ast Import/ImportFrom
                node; TypeScript: an import declaration or an `export ... from`,
                by the TypeScript parser). A pair counts if at least one of
                its sites is outside import statements. This is the headline
                comparison: SCIP reports the name in `from m import X` as a
                reference, vantage as an `import` edge from the module, and
                the two are compared in `all`.
   recall = |vantage & scip| / |scip|, precision = |vantage & scip| / |vantage|.
   Precision per vantage edge kind (a pair with several kinds counts in each)
   and recall per target kind are printed too, and no-import precision
   counting the scip-wrong-symbol pairs (6) as right; vantage's `import`
   pairs SCIP lacks are diagnosed apart (a function-local import: vantage
   draws it from the module, SCIP from the function).
6. Samples (--show N of each, fixed seed) of the pairs only one side has,
   each with a mechanical first diagnosis:
   only SCIP (vantage misses it), at SCIP's first site:
     unresolved:REASON  vantage reported the use as unresolved (its reason);
     other-target:X     vantage resolved that name on that line to X (an
                        equal-named symbol: a base-class method, another
                        overload, ...);
     other-source:F     vantage has the edge from F at that line (attribution);
     no-use             vantage recorded no use of the name there.
   only vantage (SCIP does not have it), at vantage's first site:
     scip-wrong-symbol:X  SCIP gives the identifier on that line the symbol
                        of a differently named definition X (an indexer mix-up);
     scip-other:X       SCIP resolves the name on that line to vantage symbol X;
     scip-unmapped:S    ... to a repository symbol with no vantage symbol;
     scip-external:S    ... to a symbol outside the repository (or a local);
     scip-source:F      SCIP has the pair's target there but from F;
     implicit-constructor  a call of `__init__`/`__new__`/`constructor`
                        SCIP has no reference to there;
     scip-alias:A       SCIP has no occurrence on that line, where the name
                        is used under the alias A of an `import ... as A`
                        (scip-python indexes no aliased use);
     scip-none          SCIP has no occurrence of the name on that line
                        (an implicit use, a pytest fixture ... or SCIP's miss).
   These are first diagnoses; the source line is printed to read the cause.
   With --json, every pair only one side has is written with its diagnosis.
"""
import argparse
import ast
import collections
import json
import os
import random
import re
import subprocess
import sys
import time
import urllib.parse

PACKAGES = {
    "django": {"lang": "python", "corpus": "python/django", "target": "django",
               "exclude": ["/tests/", "/docs/", "/js_tests/", "/extras/", "/Gruntfile.js", "/scripts/"]},
    "rxjs": {"lang": "ts", "corpus": "ts/rxjs", "target": None, "exclude": []},
    # the library alone: rust-analyzer indexes every target (tests/ too, as crates of their own), vantage is
    # run without the integration tests and the SCIP documents outside src/ are left out
    "tokio": {"lang": "rust", "corpus": "rust/tokio", "target": None, "exclude": ["/tests/"], "only": "src/",
              # rust-analyzer sees one configuration, vantage every #[cfg] alternative: turn on as much as
              # docs.rs does (all features, --cfg tokio_unstable, also given to cargo so that the Linux-only
              # io-uring dependencies resolve); cfgs replaces the default ["debug_assertions", "miri"], which
              # would take the `cfg(not(miri))` code away; no build scripts or proc macros (cheap, offline)
              "ra_config": {"cargo": {"buildScripts": {"enable": False}, "features": "all",
                                      "cfgs": ["debug_assertions", "tokio_unstable"],
                                      "extraEnv": {"RUSTFLAGS": "--cfg tokio_unstable"}},
                            "procMacro": {"enable": False}}},
}

DEFINITION = 1
CONSTRUCTORS = ("__init__", "__new__", "constructor")


# ---------------------------------------------------------------- protobuf

def _varint(buf, i):
    b = buf[i]
    if b < 0x80:
        return b, i + 1
    r = b & 0x7F
    s = 7
    i += 1
    while True:
        b = buf[i]
        i += 1
        r |= (b & 0x7F) << s
        if b < 0x80:
            return r, i
        s += 7


def _fields(buf, i, end):
    """(field number, value) for each field of the message in buf[i:end]; a length-delimited value is (start, end)."""
    while i < end:
        key, i = _varint(buf, i)
        wt = key & 7
        if wt == 0:
            v, i = _varint(buf, i)
            yield key >> 3, v
        elif wt == 2:
            n, i = _varint(buf, i)
            yield key >> 3, (i, i + n)
            i += n
        elif wt == 1:
            i += 8
        elif wt == 5:
            i += 4
        else:
            raise ValueError(f"wire type {wt} at {i}")


def _ints(buf, v):
    if isinstance(v, int):  # an unpacked repeated int32
        return [v]
    out, i = [], v[0]
    while i < v[1]:
        x, i = _varint(buf, i)
        out.append(x)
    return out


def read_scip(path):
    """-> (project_root, [(relative_path, [(line, col, symbol, roles, enclosing or None, end col or None)])]),
    0-based positions (end col None: the range spans lines)."""
    buf = open(path, "rb").read()
    root, docs, intern = "", [], {}
    for fn, v in _fields(buf, 0, len(buf)):
        if fn == 1:
            for f2, v2 in _fields(buf, *v):
                if f2 == 3:
                    root = buf[v2[0]:v2[1]].decode()
        elif fn == 2:
            rel, occs = "", []
            for f2, v2 in _fields(buf, *v):
                if f2 == 1:
                    rel = buf[v2[0]:v2[1]].decode()
                elif f2 == 2:
                    rng, sym, roles, encl = [], "", 0, None
                    for f3, v3 in _fields(buf, *v2):
                        if f3 == 1:
                            rng += _ints(buf, v3)
                        elif f3 == 2:
                            s = buf[v3[0]:v3[1]]
                            sym = intern.get(s)
                            if sym is None:
                                sym = intern[s] = s.decode()
                        elif f3 == 3:
                            roles = v3
                        elif f3 == 7:
                            e = _ints(buf, v3)
                            encl = (e[0], e[1], e[2], e[3]) if len(e) == 4 else (e[0], e[1], e[0], e[2])
                    if sym and len(rng) >= 3:
                        occs.append((rng[0], rng[1], sym, roles, encl, rng[2] if len(rng) == 3 else None))
            docs.append((rel, occs))
    return root, docs


# ---------------------------------------------------------------- SCIP symbols

def _descriptors(sym):
    """The descriptors of a global SCIP symbol as (name, suffix); suffix one of / # . : ! () (param) [tparam]."""
    # skip scheme, manager, package name, version (a double space escapes a space)
    i, n = 0, len(sym)
    for _ in range(4):
        while i < n:
            if sym[i] == " ":
                if i + 1 < n and sym[i + 1] == " ":
                    i += 2
                    continue
                break
            i += 1
        i += 1
    out = []

    def ident(i):
        if i < n and sym[i] == "`":
            j, name = i + 1, []
            while j < n:
                if sym[j] == "`":
                    if j + 1 < n and sym[j + 1] == "`":
                        name.append("`")
                        j += 2
                        continue
                    return "".join(name), j + 1
                name.append(sym[j])
                j += 1
            return "".join(name), j
        j = i
        while j < n and (sym[j].isalnum() or sym[j] in "_+-$"):
            j += 1
        return sym[i:j], j

    while i < n:
        c = sym[i]
        if c == "(":
            name, i = ident(i + 1)
            out.append((name, "(param)"))
            i += 1  # ')'
        elif c == "[":
            name, i = ident(i + 1)
            out.append((name, "[tparam]"))
            i += 1  # ']'
        else:
            name, i = ident(i)
            if i >= n:
                out.append((name, "?"))
                break
            c = sym[i]
            if c == "(":
                j = sym.index(").", i)
                out.append((name, "()"))
                i = j + 2
            else:
                out.append((name, c))
                i += 1
    return out


def rust_type_name(text):
    """The last name of a Rust type as rust-analyzer writes it in an impl descriptor: `io::Cursor<Vec<u8>>`
    -> Cursor, `&mut T` -> T, `Harness<T, S>` -> Harness (vantage names an impl's methods after it so)."""
    text = text.split("<", 1)[0].strip()
    text = re.sub(r"^(?:&\s*(?:'\w+\s+)?(?:mut\s+)?|\*(?:const|mut)\s+|dyn\s+|\[)+", "", text)
    return text.rstrip("]").split("::")[-1].strip()


def _rust_descriptors(sym):
    """_descriptors, with rust-analyzer's impl blocks folded: `m/impl#[`Sender<T>`][Trait]send().` reads as
    ('impl', '#'), ('Sender<T>', '[tparam]'), ('Trait', '[tparam]'), ...; here one (self type's name, 'impl')."""
    d, out, i = _descriptors(sym), [], 0
    while i < len(d):
        if d[i] == ("impl", "#") and i + 1 < len(d) and d[i + 1][1] == "[tparam]":
            out.append((rust_type_name(d[i + 1][0]), "impl"))
            i += 2
            while i < len(d) and d[i][1] == "[tparam]":  # the trait
                i += 1
            continue
        out.append(d[i])
        i += 1
    return out


def scip_parent(sym, lang=None):
    """The name of the definition a global SCIP symbol is nested in, None at a file's top level
    (Rust: a method of an impl block is its self type's)."""
    d = _rust_descriptors(sym) if lang == "rust" else _descriptors(sym)
    if len(d) < 2 or d[-2][1] in ("/", ":"):
        return None
    return d[-2][0]


def scip_kind(sym, lang=None):
    """('module', None) | ('skip', None) | (suffix, name) for a global symbol.
    Rust: ('module', name), as an inline `mod x { }` is a vantage symbol (namespace); an impl block itself
    (`m/impl#[X]`, what `Self` names) is skipped here and read as its self type in `Self` references."""
    if sym.startswith("local "):
        return "skip", None
    d = _rust_descriptors(sym) if lang == "rust" else _descriptors(sym)
    if not d:
        return "skip", None
    name, suffix = d[-1]
    if lang == "rust" and suffix == "impl":
        return "skip", None
    if suffix == "/" or (suffix == ":" and name == "__init__"):
        return "module", (name if lang == "rust" else None)
    if suffix in ("(param)", "[tparam]", "?"):
        return "skip", None
    if name == "<constructor>":
        name = "constructor"
    elif name.startswith(("<get>", "<set>")):  # TypeScript accessors
        name = name[5:]
    return suffix, name


# ---------------------------------------------------------------- import statements, declaration ranges

TS_SYNTAX = r"""
const ts = require('typescript'); const fs = require('fs');
const out = {};
for (const f of JSON.parse(fs.readFileSync(0, 'utf8'))) {
  const text = fs.readFileSync(f, 'utf8');
  const sf = ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true);
  const line = (pos) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const imports = [], decls = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st) ||
        (ts.isExportDeclaration(st) && st.moduleSpecifier)) {
      for (let l = line(st.getStart(sf)); l <= line(st.getEnd()); l++) imports.push(l);
    }
  }
  const writes = [];
  const visit = (node) => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      let t = node.left;
      if (ts.isPropertyAccessExpression(t)) t = t.name;
      if (ts.isIdentifier(t) || ts.isPrivateIdentifier(t)) {
        const lc = sf.getLineAndCharacterOfPosition(t.getStart(sf));
        writes.push([lc.line + 1, lc.character]);
      }
    }
    if (node.name && (ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      let span = node;
      if (ts.isVariableDeclaration(node) && ts.isVariableDeclarationList(node.parent) &&
          node.parent.declarations.length === 1 && ts.isVariableStatement(node.parent.parent))
        span = node.parent.parent;
      decls.push([line(node.name.getStart(sf)), line(span.getStart(sf)), line(span.getEnd()), node.name.text]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  out[f] = {imports, decls, writes};
}
process.stdout.write(JSON.stringify(out));
"""


def syntax(root, paths, lang, node_modules):
    """-> ({path: set of 1-based lines inside import statements},
           {path: {(name line, name): (first line, last line) of the smallest declaration}},
           {path: set of (1-based line, 0-based column) of names assigned with a plain `=`}).

    The declarations are those SCIP gives no enclosing_range: Python assignments (module and class
    variables, attributes), TypeScript variables, properties and accessors (every named declaration).
    The written names are a Name or an attribute's name (`self.x`, `this.x`) a plain `=` assigns."""
    imports, decls, writes = {}, {}, {}

    def add(d, key, a, b):
        if key not in d or b - a < d[key][1] - d[key][0]:
            d[key] = (a, b)

    if lang == "python":
        for p in paths:
            imp, dec, wr = set(), {}, set()
            imports[p], decls[p], writes[p] = imp, dec, wr
            try:
                text = open(os.path.join(root, p), encoding="utf-8", errors="replace").read()
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            lines = text.split("\n")

            def char_col(line, byte_col):  # ast columns are UTF-8 bytes, SCIP's are characters
                return len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", "ignore"))
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    imp.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
                elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for t in targets:
                        for n in ast.walk(t):
                            name = n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute) else None
                            if not name:
                                continue
                            add(dec, (n.end_lineno, name), node.lineno, node.end_lineno)
                            if isinstance(node, ast.AugAssign) or not isinstance(getattr(n, "ctx", None), ast.Store):
                                continue
                            if isinstance(n, ast.Name):
                                wr.add((n.lineno, char_col(n.lineno, n.col_offset)))
                            else:
                                wr.add((n.end_lineno, char_col(n.end_lineno, n.end_col_offset) - len(name)))
        return imports, decls, writes
    if lang == "rust":
        # no Rust parser at hand in Python, and none needed for declarations: rust-analyzer gives every
        # definition its enclosing_range. `use` declarations and plain `=` targets are found lexically.
        use_re = re.compile(r"^\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\s*\([^)]*\))?\s+)?use\s")
        write_re = re.compile(r"\b([A-Za-z_]\w*)\s*=(?![=>])")   # `x = `, `self.x = `; not ==, =>, +=, <=
        for p in paths:
            imp, wr = set(), set()
            imports[p], decls[p], writes[p] = imp, {}, wr
            in_use = False
            for i, code in enumerate(rust_code_of(root, p)[0].split("\n"), 1):  # comments, strings blanked
                if not in_use and use_re.match(code):
                    in_use = True
                if in_use:
                    imp.add(i)
                    in_use = ";" not in code
                for m in write_re.finditer(code):
                    before = code[:m.start(1)].rstrip()
                    # not `let x =`, `type X =`, `const X: T =` (definitions or locals, not SCIP references)
                    if not re.search(r"\b(?:let|type|mut|const|static)$", before):
                        wr.add((i, m.start(1)))
        return imports, decls, writes
    # scip-typescript's own TypeScript (5.x; the top-level `typescript` there may be the native 7.x preview)
    env = dict(os.environ, NODE_PATH=os.pathsep.join(
        [os.path.join(node_modules, "@sourcegraph", "scip-typescript", "node_modules"), node_modules]))
    r = subprocess.run(["node", "-e", TS_SYNTAX], input=json.dumps([os.path.join(root, p) for p in paths]),
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit(f"the TypeScript parser failed: {r.stderr[-2000:]}")
    got = json.loads(r.stdout)
    for p in paths:
        g = got.get(os.path.join(root, p), {"imports": [], "decls": [], "writes": []})
        imports[p] = set(g["imports"])
        writes[p] = {tuple(w) for w in g["writes"]}
        dec = decls[p] = {}
        for name_line, a, b, name in g["decls"]:
            add(dec, (name_line, name), a, b)
    return imports, decls, writes


# ---------------------------------------------------------------- running the tools

def timed(cmd, cwd, log):
    """Run cmd, stdout+stderr to log; -> (seconds, peak RSS in MB of the process tree's largest process)."""
    t = time.time()
    with open(log, "w") as fh:
        p = subprocess.Popen(cmd, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed ({p.returncode}): see {log}")
    return time.time() - t, ru.ru_maxrss / 1024


def run_vantage(args, pkg, root, out_dir):
    out = os.path.join(out_dir, f"{pkg}.vantage.json")
    if args.reuse and not args.reuse_index and os.path.exists(out):
        return json.load(open(out)), None
    cmd = [os.path.abspath(args.vantage), "graph", root, "--level", "symbol", "--format", "json"]
    for g in PACKAGES[pkg]["exclude"]:
        cmd += ["--exclude", g]
    t = time.time()
    with open(out, "w") as fh:
        subprocess.run(cmd, stdout=fh, check=True)
    return json.load(open(out)), (time.time() - t, None)


def run_scip(args, pkg, root, out_dir, npm_bin):
    spec = PACKAGES[pkg]
    index = os.path.join(out_dir, f"{pkg}.scip")
    if (args.reuse or args.reuse_index) and os.path.exists(index):
        return index, None
    log = os.path.join(out_dir, f"{pkg}.scip.log")
    if spec["lang"] == "rust":
        # `rustup component add rust-analyzer`; cargo metadata may fetch the dependencies (network)
        config = os.path.join(out_dir, f"{pkg}-ra-config.json")
        with open(config, "w") as fh:
            json.dump(spec["ra_config"], fh)
        return index, timed([args.rust_analyzer, "scip", ".", "--output", index, "--config-path", config], root, log)
    if spec["lang"] == "python":
        env_json = os.path.join(out_dir, "scip-python-env.json")
        with open(env_json, "w") as fh:
            fh.write("[]\n")
        version = "0"
        pkg_info = os.path.join(root, "PKG-INFO")
        if os.path.exists(pkg_info):
            m = re.search(r"^Version: (\S+)", open(pkg_info).read(), re.M)
            version = m.group(1) if m else version
        cmd = [os.path.join(npm_bin, "scip-python"), "index", "--project-name", pkg, "--project-version", version,
               "--environment", env_json, "--output", index, "--quiet"]
        if spec["target"]:
            cmd += ["--target-only", spec["target"]]
    else:
        cmd = [os.path.join(npm_bin, "scip-typescript"), "index", "--no-progress-bar", "--output", index]
    os.environ.setdefault("NODE_OPTIONS", "--max-old-space-size=8192")
    return index, timed(cmd, root, log)


# ---------------------------------------------------------------- the comparison

def last_name(sym, lang):
    if sym["kind"] == "module":
        return None
    name = sym["name"]
    if lang == "rust":  # tokio::runtime::handle::Handle::spawn
        return name.rsplit("::", 1)[-1]
    if lang == "ts":
        name = name.split("#", 1)[1] if "#" in name else name
    return name.rsplit(".", 1)[-1]


def short(name):
    return re.split(r"::|[.#]", name)[-1]


class Vantage:
    def __init__(self, doc, lang):
        self.doc = doc
        self.lang = lang
        self.syms = {s["name"]: s for s in doc["symbols"]}
        self.by_path = collections.defaultdict(list)
        self.module = {}
        for s in doc["symbols"]:
            self.by_path[s["path"]].append(s)
            if s["kind"] == "module":
                self.module[s["path"]] = s["name"]
        self.by_path_name = collections.defaultdict(list)
        for s in doc["symbols"]:
            n = last_name(s, lang)
            if n is not None:
                self.by_path_name[(s["path"], n)].append(s)
        self._paint = {}
        # edges by (from, line) and unresolved uses by (from, line), for the diagnoses
        self.edges_at = collections.defaultdict(list)
        for e in doc["edges"]:
            for site in e.get("sites", []):
                self.edges_at[(e["from"], site["line"])].append((e["to"], e["kind"]))
        self.edges_at_path = collections.defaultdict(list)
        for e in doc["edges"]:
            p = self.syms[e["from"]]["path"]
            for site in e.get("sites", []):
                self.edges_at_path[(p, site["line"])].append((e["from"], e["to"], e["kind"]))
        self.unresolved_at = collections.defaultdict(list)
        for u in doc.get("unresolved", {}).get("uses", []):
            self.unresolved_at[(u["path"], u["line"])].append(u)

    def parent_short(self, name):
        """The last segment of the definition `name` is nested in, None at a file's top level."""
        s = self.syms[name]
        if self.lang == "rust":  # `m::X::f`; a module chosen by #[path] is `m@src/x.rs`
            parent = name.rsplit("::", 1)[0]
            return None if parent == self.module.get(s["path"]) else parent.rsplit("::", 1)[-1].split("@")[0]
        if self.lang == "ts":
            inner = name.split("#", 1)[1] if "#" in name else ""
            return inner.rsplit(".", 1)[0].rsplit(".", 1)[-1] if "." in inner else None
        parent = name.rsplit(".", 1)[0]
        return None if parent == self.module.get(s["path"]) else parent.rsplit(".", 1)[-1]

    def innermost(self, path, line):
        """The innermost vantage symbol of path whose span contains line (1-based)."""
        paint = self._paint.get(path)
        if paint is None:
            syms = self.by_path.get(path, [])
            end = max((s["end_line"] for s in syms), default=0)
            paint = [None] * (end + 2)
            for s in sorted(syms, key=lambda s: (-(s["end_line"] - s["line"]), s["kind"] != "module")):
                for ln in range(s["line"], s["end_line"] + 1):
                    paint[ln] = s["name"]
            self._paint[path] = paint
        return paint[line] if 0 < line < len(paint) else self.module.get(path)

    def map_def(self, path, line, name):
        """The innermost vantage symbol of path named `name` whose span contains line (1-based)."""
        best = None
        for s in self.by_path_name.get((path, name), ()):
            if s["line"] <= line <= s["end_line"] and (best is None or s["end_line"] - s["line"] < best["end_line"] - best["line"]):
                best = s
        return best["name"] if best else None


_lines = {}


def source_line(root, path, line):
    """Line `line` (1-based) of root/path, '' if none."""
    text = _lines.get(path)
    if text is None:
        try:
            with open(os.path.join(root, path), encoding="utf-8", errors="replace") as fh:
                text = _lines[path] = fh.read().split("\n")
        except OSError:
            text = _lines[path] = []
    return text[line - 1] if 0 < line <= len(text) else ""


_RAW_STRING = re.compile(r'b?r(#*)"')
_CHAR = re.compile(r"'(?:\\.[^']*|[^\\'])'")


def rust_code(text):
    """Rust source with comments, strings and char literals blanked (same length, newlines kept)."""
    out, i, n = list(text), 0, len(text)

    def blank(a, b):
        for j in range(a, b):
            if out[j] != "\n":
                out[j] = " "
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif (m := _RAW_STRING.match(text, i)) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            end = text.find('"' + m.group(1), m.end())
            j = n if end < 0 else end + 1 + len(m.group(1))
            blank(i, j)
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif c == "'" and (m := _CHAR.match(text, i)):
            blank(i, m.end())  # a char literal; 'a (a lifetime) has no closing quote
            i = m.end()
        else:
            i += 1
    return "".join(out)


_IMPL = re.compile(r"^[ \t]*(?:(?:unsafe|default)\s+)*impl\b", re.M)
_MACRO_CALL = re.compile(r"^\s*[\w:]+!\s*[{(\[]")
_code = {}


def rust_code_of(root, path):
    """(blanked code, offset of each line) of root/path, cached."""
    got = _code.get(path)
    if got is None:
        try:
            text = open(os.path.join(root, path), encoding="utf-8", errors="replace").read()
        except OSError:
            text = ""
        code = rust_code(text)
        starts = [0] + [m.end() for m in re.finditer("\n", code)]
        got = _code[path] = (code, starts)
    return got


def rust_item_range(root, path, line, col):
    """The 0-based lines of the item whose name is at (line, col), found lexically: up to its `{ ... }`
    block, or the `;` / `,` ending it (a field, a variant, a constant)."""
    code, starts = rust_code_of(root, path)
    i, depth, where = starts[line] + col if line < len(starts) else len(code), 0, False
    while i < len(code):
        ch = code[i]
        if ch in "([<" and not (ch == "<" and code[i - 1] in "-="):
            depth += 1
        elif ch in ")]>" and not (ch == ">" and code[i - 1] in "-="):
            depth -= 1
        elif depth <= 0 and code.startswith("where", i) and not re.match(r"\w", code[i - 1] + code[i + 5:i + 6]):
            where = True  # `where A: X, B: Y` commas
        elif depth <= 0 and (ch in ";}" or (ch == "," and not where)):
            break
        elif depth <= 0 and ch == "{":
            level = 0
            while i < len(code):
                level += {"{": 1, "}": -1}.get(code[i], 0)
                if level == 0:
                    break
                i += 1
            break
        i += 1
    return line, code.count("\n", 0, i)


def rust_impl_blocks(root, path):
    """[(first line, last line, header's last line, self type's name)] (0-based) of the impl blocks of a
    file, found lexically: an `impl` starting a line, its header up to `{` and the matching `}`."""
    code = rust_code_of(root, path)[0]
    out = []
    for m in _IMPL.finditer(code):
        i, depth = m.end(), 0
        while i < len(code) and not (code[i] == "{" and depth == 0):
            depth += {"<": 1, ">": -1}.get(code[i], 0) if code[i - 1] != "-" else 0  # `-> T` is no `>`
            if code[i] == ";":
                break
            i += 1
        if i >= len(code) or code[i] != "{":
            continue
        header, open_at, level = code[m.end():i], i, 0
        while i < len(code):
            level += {"{": 1, "}": -1}.get(code[i], 0)
            if level == 0:
                break
            i += 1
        # the self type: after the generics, after a top-level ` for ` (a trait impl), before `where`
        h, depth, seen_for, cur = header.strip(), 0, False, ""
        if h.startswith("<"):
            for j, ch in enumerate(h):
                depth += {"<": 1, ">": -1}.get(ch, 0)
                if depth == 0:
                    h = h[j + 1:]
                    break
        for word in re.split(r"(\s+|[<>(),])", h):
            depth += {"<": 1, ">": -1, "(": 1, ")": -1}.get(word, 0)
            if depth == 0 and word == "where":
                break
            if depth == 0 and word == "for" and not seen_for and cur.strip():
                seen_for, cur = True, ""  # `impl Trait for X`; a later `for<'a>` is a bound's
                continue
            cur += word
        out.append((code.count("\n", 0, m.start()), code.count("\n", 0, i),
                    code.count("\n", 0, open_at), rust_type_name(cur.strip())))
    return out


def rust_impls(root, path, occs):
    """The impl blocks of a file (rust_impl_blocks) with the occurrence naming the self type in the header:
    [(first line, last line, occurrence or None)], 0-based. The occurrence is the last one of the type's name
    from the block's first line to its `{` (after `for` in `impl Trait for X`) whose symbol is a type (`#`)."""
    by_line = collections.defaultdict(list)
    for o in occs:
        by_line[o[0]].append(o)
    out = []
    for first, last, header, name in rust_impl_blocks(root, path):
        found = [o for ln in range(first, header + 1) for o in by_line[ln]
                 if o[5] is not None and o[2].endswith("#") and not o[2].startswith("local ")
                 and not o[3] & DEFINITION and source_line(root, path, ln + 1)[o[1]:o[5]] == name]
        out.append((first, last, found[-1] if found else None))
    return out


def rust_self_refs(root, path, occs, impls):
    """{(line, col): symbol} for each `Self` of a file, as vantage reads it. rust-analyzer names `Self` in an
    impl block the block (`m/impl#[`Sender<T>`]`), here its self type (the innermost impl block around, as
    its header names the type); in a trait, a local type parameter whose enclosing_range is the trait's,
    here the trait (the definition with that enclosing_range)."""
    traits = collections.defaultdict(list)
    for o in occs:
        if o[3] & DEFINITION and o[4] is not None and o[2].endswith("#") and not o[2].startswith("local "):
            traits[o[4]].append(o[2])
    out = {}
    for line, col, sym, roles, encl, ecol in occs:
        if roles & DEFINITION or ecol is None or source_line(root, path, line + 1)[col:ecol] != "Self":
            continue
        if sym.startswith("local "):
            cands = traits.get(encl, [])
            if len(cands) == 1:
                out[(line, col)] = cands[0]
        elif sym.endswith("]") and _rust_descriptors(sym)[-1][1] == "impl":
            around = [(b - a, o) for a, b, o in impls if a <= line <= b]
            if around and min(around, key=lambda x: x[0])[1] is not None:
                out[(line, col)] = min(around, key=lambda x: x[0])[1][2]
    return out


def rust_missed_category(text, name, kind, variant, diagnosis):
    """The kind of Rust code where SCIP has a pair vantage lacks, read from the line (lexically) and the
    first diagnosis."""
    code = text.split("//", 1)[0]
    m = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", code)
    if m is None:
        if ".await" in code:
            return "implicit call: `.await` (IntoFuture, poll)"
        return "name not on the line: an implicit call (operator, `*` deref, `?`, `for`) or an alias"
    before, after = code[:m.start()].rstrip(), code[m.end():].lstrip()
    if after.startswith("!"):
        return "macro invocation (`cfg_rt! {`, `ready!(..)`)"
    if kind == "variable" and (re.match(r":(?!:)", after) or
                               re.match(r"[,}]", after) and re.search(r"(^|[{,])$", before)):
        return "field named in a struct literal or pattern (`Foo { field: x }`, `Foo { field, .. }`)"
    if diagnosis.startswith("other-target"):
        return "resolved to another definition of the name (another #[cfg] alternative, the test mocks, " \
               "a member of the enclosing type)"
    if diagnosis.startswith("other-source"):
        return "attributed to another source"
    if re.search(r"\w!\s*[(\[{]", before) and not re.match(r"\s*[\w:]+!\s*\{\s*$", code):
        return "inside a macro call's arguments (`assert!(..)`, `ready!(..)`)"
    if (variant or kind == "enum" or after.startswith("::")) and \
            ("=>" in code[m.end():] or re.search(r"\b(?:if|while) let\b|^\s*\|", code)):
        return "enum variant or type in a pattern (`E::A(x) =>`, `if let`)"
    if before.endswith("."):
        if diagnosis.startswith("unresolved"):
            return "member of a receiver vantage has no type for (reported unresolved)"
        return "member of a receiver whose type vantage does not follow (no use reported)"
    if before.endswith("::"):
        return "qualified path `a::b::name` not followed"
    if kind == "trait":
        return "trait in a bound, a where clause, dyn/impl Trait"
    if kind in ("struct", "enum", "type", "impl"):
        return "type in a signature, generic argument, cast, turbofish or `Type::` prefix"
    return "other: " + diagnosis.split(":")[0].split(" (")[0] + " " + kind


def contains(encl, line, col):
    sl, sc, el, ec = encl
    return (sl, sc) <= (line, col) and (line, col) <= (el, ec)


def compare(pkg, args, bench, npm_bin, out_dir):
    spec = PACKAGES[pkg]
    lang = spec["lang"]
    root = os.path.abspath(os.path.join(bench, "corpus", spec["corpus"]))
    if not os.path.isdir(root):
        sys.exit(f"no corpus folder {root}: run bash ../shared/bench/corpus.sh {bench}")
    index, scip_time = run_scip(args, pkg, root, out_dir, npm_bin)
    vdoc, v_time = run_vantage(args, pkg, root, out_dir)
    v = Vantage(vdoc, lang)

    project_root, docs = read_scip(index)
    proot = urllib.parse.unquote(urllib.parse.urlparse(project_root).path)
    prefix = os.path.relpath(proot, root)
    prefix = "" if prefix == "." else prefix.rstrip("/") + "/"
    docs = [(prefix + rel, occs) for rel, occs in docs if (prefix + rel).startswith(spec.get("only", ""))]
    indexed = {p for p, _ in docs}
    impls, self_refs_at = {}, {}   # Rust: per file, the impl blocks and what each `Self` stands for
    if lang == "rust":
        for path, occs in docs:
            impls[path] = rust_impls(root, path, occs)
            self_refs_at[path] = rust_self_refs(root, path, occs, impls[path])

    # 1-2. definitions and their mapping
    kinds = {}
    sym_map = {}              # scip symbol -> vantage name
    def_total = collections.Counter()
    defined = set()
    mapped_occ = []           # per doc: [(encl, vantage name)]
    by_name_only = {}         # scip symbol -> (path, line, vantage name) mapped by name, no span holding it
    short_spans = {}          # vantage name -> (path, scip first, scip last, vantage line, end_line)

    def in_macro_call(path, encl, line):
        """rust-analyzer gives an item written inside a macro call (`cfg_rt! { ... }`, `pin_project! { ... }`)
        the whole call as enclosing_range."""
        return encl is not None and encl[0] < line and bool(_MACRO_CALL.match(source_line(root, path, encl[0] + 1)))

    for path, occs in docs:
        mine = []
        for line, col, sym, roles, encl, _ in occs:
            if not roles & DEFINITION or sym.startswith("local "):
                continue
            k = kinds.get(sym)
            if k is None:
                k = kinds[sym] = scip_kind(sym, lang)
            if k[0] == "skip":
                continue
            defined.add(sym)
            if k[0] == "module" and (lang != "rust" or (line, col) == (0, 0)):
                # a file's module (Rust: defined at the file's start; an inline `mod x { }` is defined at
                # its name and maps as any other definition, onto vantage's namespace symbol)
                target = v.module.get(path)
            else:
                target = v.map_def(path, line + 1, k[1])
                if target is None and sym not in sym_map:
                    # no vantage span holds this definition: the only equal-named symbol under the same parent
                    parent = scip_parent(sym, lang)
                    cands = [c for c in v.by_path_name.get((path, k[1]), ()) if v.parent_short(c["name"]) == parent]
                    if len(cands) == 1:
                        target = cands[0]["name"]
                        by_name_only[sym] = (path, line + 1, target)
            if target is not None:
                sym_map.setdefault(sym, target)
            target = sym_map.get(sym)
            if target is not None:
                if encl is not None and k[0] != "module" and not (lang == "rust" and in_macro_call(path, encl, line)):
                    vs = v.syms[target]
                    if vs["path"] == path and encl[2] + 1 > vs["end_line"]:
                        if encl[2] + 1 > short_spans.get(target, ("", 0, 0))[2]:
                            short_spans[target] = (path, encl[0] + 1, encl[2] + 1, vs["line"], vs["end_line"])
            mine.append((encl, sym, line, col))
        mapped_occ.append(mine)
    # every definition occurrence of a mapped symbol encloses (a TypeScript overload's implementation too),
    # by its enclosing_range, else (a variable, property, accessor) by the declaration the parser finds
    # named so on that line, else by its own line
    imports, decls, writes = syntax(root, sorted(indexed), lang, os.path.dirname(npm_bin))
    no_range = collections.Counter()
    impl_ranges = 0
    impl_names = set()   # (path, line, col) of the self type's name in an impl header (Rust)
    for (path, _), mine in zip(docs, mapped_occ):
        ranges = []
        for encl, sym, line, col in mine:
            target = sym_map.get(sym)
            if target is None or target == v.module.get(path):
                continue
            if lang == "rust" and in_macro_call(path, encl, line):
                a, b = rust_item_range(root, path, line, col)
                encl = (a, 0, b, 1 << 30)
                no_range["its own braces, inside a macro call (lexically)"] += 1
            if encl is None:
                span = decls.get(path, {}).get((line + 1, kinds[sym][1]))
                no_range["parser" if span else "own line"] += 1
                a, b = span or (line + 1, line + 1)
                encl = (a - 1, 0, b - 1, 1 << 30)
            ranges.append((encl, target))
        if lang == "rust":
            # an impl block is no definition for SCIP, whose references outside the block's items (the
            # header: the trait, bounds) fall to the module; vantage, like a class for Python or TypeScript,
            # gives them to the self type (`impl Trait for X`: X uses Trait). The block encloses as X here.
            for first, last, named in impls[path]:
                target = sym_map.get(named[2]) if named else None
                if target is not None:
                    # `impl X` names the block as `class X` does a class: no reference of X by X
                    impl_names.add((path, named[0], named[1]))
                    ranges.append(((first, 0, last, 1 << 30), target))
                    impl_ranges += 1
        mine[:] = ranges
    for sym in defined:
        def_total[kinds[sym][0]] += 1
    def_mapped = collections.Counter(kinds[s][0] for s in sym_map)
    images = set(sym_map.values())
    v_in_files = [s for s in vdoc["symbols"] if s["path"] in indexed]
    v_kind_total = collections.Counter(s["kind"] for s in v_in_files)
    v_kind_mapped = collections.Counter(s["kind"] for s in v_in_files if s["name"] in images)

    ranges_of = {path: sorted(mine, key=lambda m: (m[0][2] - m[0][0], m[0][3] - m[0][1]))  # smallest first
                 for (path, _), mine in zip(docs, mapped_occ)}

    def scip_source(path, line, col):
        """The innermost mapped SCIP definition enclosing a 0-based position, else the file's module."""
        return next((t for e, t in ranges_of.get(path, ()) if contains(e, line, col)), None) or v.module.get(path)

    # Rust: rust-analyzer analyses one configuration; an item #[cfg]'d off gets no definition, no locals, yet
    # still references where a path resolves from the module (`self` as the module, constants, types).
    # Unseen: the span of a vantage symbol (not a module or namespace) no SCIP definition maps to, holding no
    # SCIP definition occurrence at all (not even a local). Neither side's references there are compared:
    # there is no oracle for them.
    unseen = collections.defaultdict(set)   # path -> 1-based lines
    if lang == "rust":
        def_lines = collections.defaultdict(set)
        for path, occs in docs:
            def_lines[path] = {o[0] + 1 for o in occs if o[3] & DEFINITION}
        for sv in v_in_files:
            if sv["name"] not in images and sv["kind"] not in ("module", "namespace") and \
                    not any(ln in def_lines[sv["path"]] for ln in range(sv["line"], sv["end_line"] + 1)):
                unseen[sv["path"]].update(range(sv["line"], sv["end_line"] + 1))
    unseen_refs = 0

    lifted = {}

    def lift(name):
        """A vantage symbol no SCIP definition maps to (a function local to a function: SCIP's `local N`)
        -> the mapped definition SCIP attributes its code to."""
        if name is None or name in images or name not in v.syms:
            return name
        got = lifted.get(name)
        if got is None:
            sv = v.syms[name]
            text = source_line(root, sv["path"], sv["line"])
            got = lifted[name] = scip_source(sv["path"], sv["line"] - 1, len(text) - len(text.lstrip()))
        return got

    # 3. SCIP's reference pairs
    scip_pairs = collections.defaultdict(list)   # (from, to) -> [(path, line, is_import)]
    agree = disagree = 0
    to_module = unmapped_refs = external_refs = constructors = written = self_refs = impl_named = 0
    at_line = collections.defaultdict(list)      # (path, line) -> [(symbol, from by scip)]
    def_names = {kinds[sym][1] for sym in defined if kinds[sym][0] != "module"}
    misnamed = collections.Counter()
    for path, occs in docs:
        for line, col, sym, roles, encl, ecol in occs:
            if roles & DEFINITION:
                continue
            if line + 1 in unseen.get(path, ()):
                unseen_refs += 1
                continue
            if (line, col) in self_refs_at.get(path, ()):  # Rust `Self`, as the type (impl) or the trait
                sym = self_refs_at[path][(line, col)]
                self_refs += 1
            by_scip = scip_source(path, line, col)
            by_spans = lift(v.innermost(path, line + 1))
            frm = by_scip if args.from_spans == "scip" else by_spans
            at_line[(path, line + 1)].append((sym, frm, source_line(root, path, line + 1)[col:ecol] if ecol else ""))
            if sym.startswith("local ") or sym not in defined:
                external_refs += 1
                continue
            to = sym_map.get(sym)
            if to is None:
                unmapped_refs += 1
                continue
            if kinds[sym][0] == "module":
                to_module += 1
                continue
            if frm is None:
                continue
            if (path, line, col) in impl_names:
                impl_named += 1
                continue
            if (line + 1, col) in writes.get(path, ()):
                written += 1
                continue
            # (not Rust: there the other name is a `use X as Y` alias, which rust-analyzer resolves right)
            if ecol is not None and kinds[sym][0] != "module" and lang != "rust":
                text = source_line(root, path, line + 1)[col:ecol]
                if text != kinds[sym][1] and text.isidentifier() and text in def_names and \
                        not ("`<constructor>`" in sym and sym_map.get(sym[:sym.rindex("`<constructor>`")], "").endswith(text)):
                    misnamed[f"{text} -> {kinds[sym][1]}"] += 1
                    continue
            if by_scip == by_spans:
                agree += 1
            else:
                disagree += 1
            site = (path, line + 1, (line + 1) in imports.get(path, ()))
            if "`<constructor>`" in sym and ecol is not None and \
                    source_line(root, path, line + 1)[col:ecol] != "constructor":
                # scip-typescript names X's constructor at `new X()` (and at `super(...)`): an implicit call,
                # dropped as vantage's are; `new X()` counts as a reference to X (vantage's `instantiate`)
                constructors += 1
                cls = sym_map.get(sym[:sym.rindex("`<constructor>`")])
                if cls and source_line(root, path, line + 1)[col:ecol] == short(cls):
                    scip_pairs[(frm, cls)].append(site)
                continue
            scip_pairs[(frm, to)].append(site)

    # 4. vantage's pairs
    v_pairs = collections.defaultdict(list)  # (from, to) -> [(kind, line, vantage's own from)]
    out_of_scope = collections.Counter()
    implicit_ctor = 0
    implicit_class = 0
    for e in vdoc["edges"]:
        fs = v.syms[e["from"]]
        if fs["path"] not in indexed:
            out_of_scope["from outside the indexed files"] += 1
            continue
        if e["to"] not in images:
            out_of_scope["to a symbol SCIP does not define"] += 1
            continue
        if v.syms[e["to"]]["kind"] in ("module", "namespace"):  # Rust `mod x { }`: SCIP's are dropped too
            out_of_scope["to an inline module"] += 1
            continue
        frm = lift(e["from"])
        if frm != e["from"]:
            out_of_scope["source lifted to an enclosing symbol"] += 1
        ctor = e["kind"] == "call" and short(e["to"]) in CONSTRUCTORS and lang != "rust"
        for site in e.get("sites") or [{"line": fs["line"]}]:
            if site["line"] in unseen.get(fs["path"], ()):
                out_of_scope["sites in code rust-analyzer does not see"] += 1
                continue
            if ctor and short(e["to"]) not in source_line(root, fs["path"], site["line"]):
                implicit_ctor += 1  # `X()` / `new X()`: SCIP names the class only, as vantage's `instantiate` does
                continue
            if (lang == "python" and fs["kind"] == "class" and e["kind"] in ("instantiate", "call")
                    and re.match(r"\s*class\s", source_line(root, fs["path"], site["line"]))
                    and short(e["to"]) not in source_line(root, fs["path"], site["line"])):
                # `class X(Base):` runs Base's metaclass and `__init_subclass__`:
                # no name of them is written there, so SCIP has no occurrence.
                implicit_class += 1
                continue
            v_pairs[(frm, e["to"])].append((e["kind"], site["line"], e["from"]))

    result = {"package": pkg, "lang": lang,
              "vantage_seconds": v_time[0] if v_time else None,
              "scip_seconds": scip_time[0] if scip_time else None,
              "scip_peak_mb": scip_time[1] if scip_time else None}
    print(f"== {pkg} ({spec['corpus']}{'/' + spec['target'] if spec['target'] else ''}): "
          f"{len(indexed)} files indexed by SCIP, {len(v_in_files)} vantage symbols in them")
    tool = {"python": "scip-python", "ts": "scip-typescript", "rust": "rust-analyzer"}[lang]
    times = []
    if v_time:
        times.append(f"vantage {v_time[0]:.1f}s")
    if scip_time:
        times.append(f"{tool} {scip_time[0]:.1f}s (peak RSS {scip_time[1]:.0f} MB)")
    print("   run time: " + ("; ".join(times) if times else "not measured (--reuse)"))
    print(f"   SCIP definitions mapped onto vantage symbols: {sum(def_mapped.values())}/{sum(def_total.values())} "
          f"({sum(def_mapped.values()) / max(1, sum(def_total.values())):.1%}); by descriptor: " +
          ", ".join(f"{k} {def_mapped[k]}/{def_total[k]}" for k in sorted(def_total, key=lambda k: -def_total[k])))
    if by_name_only:
        ex = sorted(by_name_only.values())[:3]
        print(f"   ... of which {len(by_name_only)} by name alone (no vantage span holds the definition), e.g. " +
              "; ".join(f"{p}:{ln} -> {t}" for p, ln, t in ex))
    if short_spans:
        ex = sorted(short_spans.items(), key=lambda x: x[1])[:4]
        print(f"   vantage symbols whose span ends before SCIP's definition does: {len(short_spans)}, e.g. " +
              "; ".join(f"{t} {p} SCIP {a}-{b} vantage {vl}-{ve}" for t, (p, a, b, vl, ve) in ex))
    print(f"   vantage symbols with a SCIP definition: {sum(v_kind_mapped.values())}/{len(v_in_files)} "
          f"({sum(v_kind_mapped.values()) / max(1, len(v_in_files)):.1%}); " +
          ", ".join(f"{k} {v_kind_mapped[k]}/{v_kind_total[k]}" for k in sorted(v_kind_total, key=lambda k: -v_kind_total[k])))
    print(f"   SCIP reference occurrences: to mapped definitions {agree + disagree} (kept), "
          f"to modules {to_module} (dropped), to unmapped repository symbols {unmapped_refs}, "
          f"external or local {external_refs}; assignments (`x.attr = ...`, dropped) {written}; "
          f"implicit constructor references (`new X()`, `super()`; counted as X) {constructors}" +
          (f"; `Self` (rust-analyzer: the impl block, a trait's type parameter; counted as the type, the trait) "
           f"{self_refs}; the self type named by "
           f"`impl X` (dropped) {impl_named}" if lang == "rust" else ""))
    if misnamed:
        print(f"   SCIP references dropped because the identifier there names another repository definition than the "
              f"symbol SCIP gives (an indexer mix-up): {sum(misnamed.values())}, most common: " +
              ", ".join(f"{k} ({n})" for k, n in misnamed.most_common(6)))
    if no_range:
        print(f"   definitions without a usable enclosing_range enclose by: " +
              ", ".join(f"{k} {n}" for k, n in no_range.items()))
    if lang == "rust":
        print(f"   code rust-analyzer does not see (#[cfg] off: vantage symbols without any SCIP definition in their "
              f"span): {sum(map(len, unseen.values()))} lines, SCIP references there left out {unseen_refs}")
        print(f"   impl blocks enclosing as their self type (a repository type SCIP names in the header): "
              f"{impl_ranges}")
    print(f"   source attribution ({args.from_spans}): the other method agrees on {agree / max(1, agree + disagree):.1%} "
          f"of the reference sites")
    print(f"   vantage edges left out: " + ", ".join(f"{k} {n}" for k, n in out_of_scope.items()) +
          f"; implicit constructor call sites (`X()` -> X.__init__, dropped) {implicit_ctor}"
          + (f"; a class statement's implicit calls (its metaclass, `__init_subclass__`, dropped) {implicit_class}"
             if implicit_class else ""))
    result["mapping"] = {"scip_defs": sum(def_total.values()), "scip_defs_mapped": sum(def_mapped.values()),
                         "vantage_symbols": len(v_in_files), "vantage_symbols_mapped": sum(v_kind_mapped.values()),
                         "attribution_agreement": agree / max(1, agree + disagree),
                         "mapped_by_name_only": len(by_name_only), "short_spans": len(short_spans)}

    def headline(label, ours, theirs):
        both = ours & theirs
        p = len(both) / len(ours) if ours else 1.0
        r = len(both) / len(theirs) if theirs else 1.0
        print(f"   {label:9s}: vantage {len(ours)} pairs, SCIP {len(theirs)}, common {len(both)}: "
              f"precision {p:.1%} recall {r:.1%}")
        return {"vantage": len(ours), "scip": len(theirs), "common": len(both), "precision": p, "recall": r}

    scip_all = set(scip_pairs)
    scip_noimp = {k for k, sites in scip_pairs.items() if any(not imp for _, _, imp in sites)}
    v_all = set(v_pairs)
    v_noimp = {k for k, sites in v_pairs.items() if any(kd != "import" for kd, _, _ in sites)}
    result["all"] = headline("all", v_all, scip_all)
    result["no-import"] = headline("no-import", v_noimp, scip_noimp)

    # per kind
    print("   precision by vantage edge kind (no-import for all but import):")
    by_kind = collections.defaultdict(set)
    for k, sites in v_pairs.items():
        for kd, _, _ in sites:
            by_kind[kd].add(k)
    result["by_kind"] = {}
    for kd in sorted(by_kind, key=lambda kd: -len(by_kind[kd])):
        ref = scip_all if kd == "import" else scip_noimp
        n, c = len(by_kind[kd]), len(by_kind[kd] & ref)
        result["by_kind"][kd] = {"pairs": n, "confirmed": c}
        print(f"     {kd:12s} {c}/{n} = {c / n:.1%}")
    print("   recall (no-import) by the target's vantage kind:")
    tk = collections.defaultdict(lambda: [0, 0])
    for k in scip_noimp:
        t = v.syms[k[1]]["kind"]
        tk[t][0] += 1
        tk[t][1] += k in v_noimp
    for t, (n, c) in sorted(tk.items(), key=lambda x: -x[1][0]):
        print(f"     {t:12s} {c}/{n} = {c / n:.1%}")
    result["recall_by_target_kind"] = {t: {"pairs": n, "found": c} for t, (n, c) in tk.items()}

    # 6. diagnoses
    def src(path, line):
        return source_line(root, path, line).strip()[:140]

    def why_missed(frm, to, path, line):
        name = short(to)
        here = [u for u in v.unresolved_at.get((path, line), []) if lift(u["from"]) == frm]
        named = [u for u in here if u["name"] == name or short(u["name"]) == name]
        if named:
            u = named[0]
            return f"unresolved:{u['reason']}" + (f" ({u['name']} in {u.get('missing_in')})" if u.get("missing_in") else f" ({u['name']})")
        edges = v.edges_at_path.get((path, line), [])
        others = [(t, kd) for f, t, kd in edges if lift(f) == frm and short(t) == name and t != to]
        if others:
            return f"other-target:{others[0][0]} [{others[0][1]}]"
        srcs = [f for f, t, kd in edges if t == to and lift(f) != frm]
        if srcs:
            return f"other-source:{lift(srcs[0])}"
        if here:
            return f"no-use (unresolved on the line: {here[0]['name']} {here[0]['reason']})"
        return "no-use"

    def why_extra(frm, to, path, line):
        name = short(to)
        occ = at_line.get((path, line), [])
        same = [(sym, f) for sym, f, _ in occ if sym_map.get(sym) == to]
        if same:
            return f"scip-source:{same[0][1]}"
        if name in CONSTRUCTORS and lang != "rust":
            return "implicit-constructor"  # `X()` / `new X()` runs X's (or an inherited) constructor: SCIP names X
        for sym, f, text in occ:
            if text != name:
                continue
            k = kinds.get(sym) or scip_kind(sym, lang)
            shown = sym.split(" ", 4)[-1]
            if sym in sym_map:
                return f"scip-wrong-symbol:{sym_map[sym]}" if k[1] != name else f"scip-other:{sym_map[sym]}"
            if sym in defined:
                return f"scip-unmapped:{shown}"
            return f"scip-external:{shown}"
        # `from m import gettext_lazy as _` then `_("x")`: scip-python
        # records no occurrence of a name imported under an alias.
        if lang == "python":
            source = source_line(root, path, line)
            text = "\n".join(_lines.get(path, []))
            for alias in re.findall(rf"\b{re.escape(name)}\s+as\s+(\w+)", text):
                if re.search(rf"(?<![\w.]){re.escape(alias)}\b", source):
                    return f"scip-alias:{alias}"
        return "scip-none"

    rng = random.Random(7)
    fn = sorted(scip_noimp - v_noimp)
    fp = sorted(v_noimp - scip_noimp)
    cause_fn = collections.Counter()
    cause_fp = collections.Counter()
    diag_fn = {}
    diag_fp = {}
    for k in fn:
        path, line, _ = next(s for s in scip_pairs[k] if not s[2])
        d = why_missed(k[0], k[1], path, line)
        diag_fn[k] = (path, line, d)
        cause_fn[d.split(":")[0].split(" (")[0]] += 1
    for k in fp:
        kd, line, orig = next(s for s in v_pairs[k] if s[0] != "import")
        path = v.syms[k[0]]["path"]
        d = why_extra(k[0], k[1], path, line)
        diag_fp[k] = (path, line, d, kd)
        cause_fp[(kd, d.split(":")[0])] += 1
    print(f"   only SCIP (no-import) {len(fn)}, first diagnosis: " +
          ", ".join(f"{c} {n}" for c, n in cause_fn.most_common()))
    unres = collections.Counter(d.split(" (")[0] for _, _, d in diag_fn.values() if d.startswith("unresolved"))
    if unres:
        print("     unresolved by reason: " + ", ".join(f"{c} {n}" for c, n in unres.most_common()))
    print(f"   only vantage (no-import) {len(fp)}, first diagnosis by edge kind: " +
          ", ".join(f"{kd}/{c} {n}" for (kd, c), n in cause_fp.most_common()))
    excused = sum(n for (kd, c), n in cause_fp.items() if c == "scip-wrong-symbol")
    if excused:
        ni = result["no-import"]
        print(f"   no-import precision counting the {excused} pairs SCIP gives a misnamed symbol (scip-wrong-symbol) "
              f"as vantage's: {(ni['common'] + excused) / max(1, ni['vantage']):.1%}")
        result["no-import"]["precision_excusing_scip_wrong_symbol"] = (ni["common"] + excused) / max(1, ni["vantage"])
    aliased = sum(n for (kd, c), n in cause_fp.items() if c == "scip-alias")
    if aliased:
        ni = result["no-import"]
        print(f"   ... and the {aliased} pairs used through an import alias SCIP records no occurrence of (scip-alias): "
              f"{(ni['common'] + excused + aliased) / max(1, ni['vantage']):.1%}")
        result["no-import"]["precision_excusing_scip_alias"] = (ni["common"] + excused + aliased) / max(1, ni["vantage"])
    imp_only = sorted(k for k in v_all - scip_all if all(kd == "import" for kd, _, _ in v_pairs[k]))
    if imp_only:
        cause_imp = collections.Counter()
        for k in imp_only:
            _, line, _ = v_pairs[k][0]
            cause_imp[why_extra(k[0], k[1], v.syms[k[0]]["path"], line).split(":")[0]] += 1
        print(f"   import pairs only vantage has {len(imp_only)}: " +
              ", ".join(f"{c} {n}" for c, n in cause_imp.most_common()))
    result["only_scip_causes"] = dict(cause_fn)
    result["only_vantage_causes"] = {f"{kd}/{c}": n for (kd, c), n in cause_fp.items()}
    category = {}
    if lang == "rust":
        # a second reading, by the code around the site: what kind of Rust vantage misses or adds
        def extra_category(frm, to, path, line, d):
            name, text = short(to), source_line(root, path, line)
            if v.syms[to]["kind"] == "type" and re.search(r"\bSelf::" + re.escape(name) + r"\b", text):
                return "`Self::Assoc`: vantage the impl's associated type, SCIP the trait's"
            named = [sym for sym, _, t in at_line.get((path, line), []) if t == name]
            own = to == frm or to.rsplit("::", 1)[0] in (frm, frm.rsplit("::", 1)[0])  # the type's own member
            if own and (d.startswith(("scip-external", "scip-other", "scip-unmapped")) or
                        named and all(sym.endswith("/") for sym in named)):
                if re.search(r"\.\s*" + re.escape(name) + r"\s*\(", text):
                    return "a method called on a derived receiver (`self.as_deref_mut().poll_write()`, " \
                           "`(**self).fmt()`) resolved to the calling impl's own method"
                return "a name looked up among the enclosing type's members, which Rust never does implicitly " \
                       "(`impl fmt::Debug` -> X::fmt, `chan: chan::Tx` -> the field, `type Handle = Handle`)"
            return d.split(":")[0]
        for k in fn:
            path, line, d = diag_fn[k]
            to = v.syms[k[1]]
            category[k] = rust_missed_category(source_line(root, path, line), short(k[1]), to["kind"],
                                               to["kind"] == "constant" and  # an enum's variant
                                               v.syms.get(k[1].rsplit("::", 1)[0], {}).get("kind") == "enum", d)
        for k in fp:
            path, line, d, _ = diag_fp[k]
            category[k] = extra_category(k[0], k[1], path, line, d)
        for label, pairs, diag in (("only SCIP", fn, diag_fn), ("only vantage", fp, diag_fp)):
            by = collections.defaultdict(list)
            for k in pairs:
                by[category[k]].append(k)
            print(f"   {label} (no-import) by the code at the site (Rust, lexical), two examples each:")
            for c, ks in sorted(by.items(), key=lambda x: (-len(x[1]), x[0])):
                print(f"     {len(ks):5d} {c}")
                for k in sorted(rng.sample(ks, min(2, len(ks)))):
                    print(f"             {diag[k][0]}:{diag[k][1]} | {src(diag[k][0], diag[k][1])}")
        result["only_scip_categories"] = dict(collections.Counter(category[k] for k in fn))
        result["only_vantage_categories"] = dict(collections.Counter(category[k] for k in fp))
    if args.show:
        print(f"   sample of {min(args.show, len(fn))} pairs only SCIP has:")
        for k in sorted(rng.sample(fn, min(args.show, len(fn)))):
            path, line, d = diag_fn[k]
            print(f"     {k[0]} -> {k[1]}\n       {path}:{line}  {d}\n       | {src(path, line)}")
        print(f"   sample of {min(args.show, len(fp))} pairs only vantage has:")
        for k in sorted(rng.sample(fp, min(args.show, len(fp)))):
            path, line, d, kd = diag_fp[k]
            print(f"     {k[0]} -> {k[1]} [{kd}]\n       {path}:{line}  {d}\n       | {src(path, line)}")
    result["only_scip"] = [{"from": k[0], "to": k[1], "path": diag_fn[k][0], "line": diag_fn[k][1],
                            "diagnosis": diag_fn[k][2], **({"category": category[k]} if category else {})}
                           for k in fn]
    result["only_vantage"] = [{"from": k[0], "to": k[1], "kind": diag_fp[k][3], "path": diag_fp[k][0],
                               "line": diag_fp[k][1], "diagnosis": diag_fp[k][2],
                               **({"category": category[k]} if category else {})} for k in fp]
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--package", choices=[*PACKAGES, "all"], default="all")
    ap.add_argument("--from-spans", choices=["scip", "vantage"], default="scip",
                    help="attribute a SCIP reference to its source by SCIP's enclosing ranges (default) or vantage's spans")
    ap.add_argument("--show", type=int, default=30, help="sample size of the pairs only one side has")
    ap.add_argument("--reuse", action="store_true", help="read existing indexes and vantage output in BENCH/scip")
    ap.add_argument("--reuse-index", action="store_true",
                    help="read existing indexes in BENCH/scip, but run vantage again (numbers for the current binary)")
    ap.add_argument("--rust-analyzer", default="rust-analyzer", help="(rustup component add rust-analyzer)")
    ap.add_argument("--json", help="write the numbers and every unmatched pair with its diagnosis to this file")
    ap.add_argument("--min-precision", type=float)
    ap.add_argument("--min-recall", type=float)
    args = ap.parse_args()
    bench = os.path.abspath(args.bench_dir)
    npm_bin = os.path.join(bench, "peers", "npm-scip", "node_modules", ".bin")
    pkgs = list(PACKAGES) if args.package == "all" else [args.package]
    if any(PACKAGES[p]["lang"] != "rust" for p in pkgs) and not os.path.exists(os.path.join(npm_bin, "scip-python")):
        sys.exit(f"no scip indexers in {npm_bin}: run bash ../shared/bench/peers.sh {args.bench_dir}")
    out_dir = os.path.join(bench, "scip")
    os.makedirs(out_dir, exist_ok=True)
    results = [compare(p, args, bench, npm_bin, out_dir) for p in pkgs]
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1)
    failed = any((args.min_precision is not None and r["no-import"]["precision"] < args.min_precision) or
                 (args.min_recall is not None and r["no-import"]["recall"] < args.min_recall) for r in results)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
