#!/usr/bin/env python3
"""Failing tests as oracle for `vantage impact --since HEAD --tests` on TypeScript (issue 20).

The TypeScript twin of bench/test_oracle.py. A real TypeScript project from
the npm registry: zod (pinned below), whose published tarball ships its
TypeScript source with its vitest tests. The repository is the part of it
that is zod 3 (`src/v3`, published as `zod/v3`, with `package.json`, whose
`exports` the tests import it through: `import * as z from "zod/v3"`):
about 7 000 lines of schema classes (`ZodType` and its forty subclasses in
one 5 000-line `types.ts`, `ZodError`, parse helpers) calling each other
through inheritance, overrides, `this`, static `create` functions assigned
to classes and values of inferred types, and 59 test files (548 tests,
green in 6 s here with vitest's vmThreads pool, 20 s with its default
forks: `--pool`; both gave the same failing tests on the 15 mutants
compared). zod 4 (`src/v4`, 140 more test files: 90 s a run with forks
against zod 3's 20 s) is left out: it is a separate code base the v3 tree
never imports, and it would make each mutant four to five times as long. The repository lives under
BENCH/oracle-ts/ as a git repository; the test tools (vitest with the istanbul
coverage provider, and `typescript`, whose parser lists the functions) are
installed beside it in BENCH/oracle-ts/node_modules, where Node's resolution
from the repository's files finds them, with a vitest config outside the
repository (the `@zod/source` export condition, so that `zod/v3` resolves to
the TypeScript source). Then, for N functions and methods of the source (not
of its tests) drawn with a fixed seed:

1. `throw new Error("vantage-mutant");` becomes the first statement of the
   function's body, on a line of its own before the body's first statement
   (inside `{}` when the body is empty); an arrow function with an
   expression body `=> EXPR` becomes `=> { throw ...; return (EXPR); }`;
2. the suite runs (`vitest run --reporter=json`): the failing test files
   are the oracle, a file failing to load (the throw reached at import)
   included;
3. `vantage impact REPO --since HEAD --format json` answers: the files of
   its `tests_to_run`, strong only (`weak: false`) and all (for TypeScript
   the ids are test files: a file's cases are callbacks of its top-level
   code, so vantage selects whole files);
4. the mutation is reverted (`git checkout`).

Recall is the share of the failing test files that vantage selected; the
goal is 1.00 on every mutant (a mutant no test fails has none). Also shown:
the "strong reach", the test files holding a definition reached strongly
(`symbols`, `weak: false`). Precision is measured against the dynamic bound,
taken once before mutating from coverage: vitest runs each test file alone
with istanbul coverage (whose JSON `fnMap` has a call count for every
function of the source; the v8 provider is not used, as it counts a static
method called once whenever its class is evaluated) and a function is
executed by a test file when its entry there counts a call, import time
included (a per-file run cannot tell module loading from the tests); the
bound is those test files joined with the files the mutant fails. The goal
is a selection at most 1.5 times the bound. The same mutants are answered
at `--level file` too (key `tests`: every test file reached through imports)
for comparison. Test cases are counted by file only (coverage per test case
would need a run per case): the cases of the selected files, of the
file-level files and of the bound's files.

Candidates are the functions with a body in the source's `.ts` files
(`src/v3/tests` and `src/v3/benchmarks`, which no test runs, left out):
function declarations, methods, constructors, getters and setters (of
classes and of object literals), and function or arrow expressions bound to
a name (a variable, a class property, an object literal's property, an
assignment `ZodString.create = ...`). Names are `module.Class.method`
relative to the source (`helpers.util.util.assertEqual`; `<locals>` for a
function nested in another, `@LINE` added when a name is defined twice, as a
getter and its setter). Left out of the draw, and counted in results.json:
bodiless declarations (overload signatures, `abstract` and `declare`
members: nothing to run), generators (a throw there runs only when the
generator is iterated: there are none in zod 3) and anonymous functions
(callbacks passed as arguments, arrows returned or put in an array: the
definition their change maps to is the named function around them, already
a candidate).

    python3 bench/test_oracle_ts.py [--bench-dir .bench] [--vantage target/release/vantage]
                                    [--mutants 40] [--seed 20] [--function types.ZodString.min]
                                    [--pool vmThreads|threads|forks] [--keep]

`--mutants 0` mutates every candidate (346 in 4.6.7). A mutant costs about
7 s on 2 cores (the suite, then vantage three times): 40 in 5 minutes, 150 in
18, all in 45. The per-file coverage takes 3 to 4 minutes the first time and
is reused while the repository's commit and the pinned versions are the
same. Standard library only (Python 3.9+) besides Node.js 20+ and npm,
which install the pinned packages.

Prints a table per mutant and the totals, and writes them to
BENCH/oracle-ts/results.json (with each selected file's shortest
why-chain, for diagnosis) and each mutant's diff to BENCH/oracle-ts/mutants/.
Reuses the download, the repository and node_modules of an earlier run.
`--keep` leaves the last mutant in the working tree. Exit 0 whatever the
recall; non-zero only when the script itself fails (a download, the
baseline suite not green, vantage failing).
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

PROJECT = "zod"
VERSION = "4.6.7"
KEEP = ["package.json", "src/v3"]  # what of the published tarball becomes the repository
SOURCE = "src/v3"                  # the source whose functions are mutated
LEFT_OUT = ["src/v3/tests/", "src/v3/benchmarks/"]  # not source: the tests, and benchmarks no test runs
TEST_GLOB = "src/v3/**/*.test.ts"
CONDITION = "@zod/source"          # the export condition under which `zod/v3` is the TypeScript source
TOOLS = {                          # installed in BENCH/oracle-ts/node_modules
    "vitest": "3.2.7", "vite": "7.3.8", "@vitest/coverage-istanbul": "3.2.7", "typescript": "5.9.3",
}
MUTANT = 'throw new Error("vantage-mutant");'
TIMEOUT = 600                      # seconds for one run of the suite
POOL = "vmThreads"                 # vitest's pool for the suite's runs: 6 s a run here (threads 14 s, forks 20 s)
COVERAGE_POOL = "threads"          # and for the coverage runs

VITEST_CONFIG = '''\
// Written by bench/test_oracle_ts.py: vitest for the oracle's repository, kept outside it.
import { defineConfig } from "vitest/config";

const conditions = [%(condition)s];
export default defineConfig({
  cacheDir: %(cache)s,
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: [%(include)s],
    watch: false,
    coverage: {
      provider: "istanbul",
      reporter: ["json"],
      include: ["%(source)s/**/*.ts"],
      exclude: [%(exclude)s],
    },
  },
});
'''

FUNCTIONS_JS = r'''// Written by bench/test_oracle_ts.py: the functions of TypeScript files as JSON (TypeScript's parser).
// node functions.mjs REPO FILE...  ->  [{path, qualname, kind, line, skip, body: {...}}]
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const [repo, ...files] = process.argv.slice(2);
const out = [];

function pos(sf, offset) {
  const { line, character } = sf.getLineAndCharacterOfPosition(offset);
  return [line + 1, character];
}

function propName(sf, name) {
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name))
    return name.text;
  return name.getText(sf);  // computed: [Symbol.iterator]
}

// The name a function expression or arrow is bound to, climbing parentheses and type assertions.
function boundName(sf, node) {
  let child = node;
  let parent = node.parent;
  while (parent && (ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent) ||
                    ts.isSatisfiesExpression(parent) || ts.isTypeAssertionExpression(parent) ||
                    ts.isNonNullExpression(parent))) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return null;
  if (ts.isVariableDeclaration(parent) && parent.initializer === child && ts.isIdentifier(parent.name))
    return { name: parent.name.text };
  if ((ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.initializer === child)
    return { name: propName(sf, parent.name) };
  if (ts.isBinaryExpression(parent) && parent.right === child &&
      parent.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isPropertyAccessExpression(parent.left) || ts.isIdentifier(parent.left)))
    return { name: parent.left.getText(sf), assigned: true };
  if (ts.isExportAssignment(parent)) return { name: "default" };
  if (node.name) return { name: node.name.text };
  return null;
}

// The name an object literal or class expression gives its members.
function containerName(sf, node) {
  if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.name) return node.name.text;
  const bound = boundName(sf, node);
  return bound ? bound.name : null;
}

function visit(sf, rel, node, scope) {
  ts.forEachChild(node, (child) => {
    if (ts.isClassDeclaration(child) || ts.isClassExpression(child) || ts.isObjectLiteralExpression(child)) {
      const name = containerName(sf, child);
      visit(sf, rel, child, name ? [...scope, name] : scope);
    } else if (ts.isModuleDeclaration(child) && child.name && ts.isIdentifier(child.name)) {
      visit(sf, rel, child, [...scope, child.name.text]);
    } else if (ts.isFunctionDeclaration(child) || ts.isMethodDeclaration(child) || ts.isConstructorDeclaration(child) ||
               ts.isGetAccessorDeclaration(child) || ts.isSetAccessorDeclaration(child) ||
               ts.isFunctionExpression(child) || ts.isArrowFunction(child)) {
      let name;
      let kind = ts.SyntaxKind[child.kind];
      let skip = null;
      let qual;
      if (ts.isConstructorDeclaration(child)) name = "constructor";
      else if (ts.isFunctionDeclaration(child)) name = child.name ? child.name.text : "default";
      else if (ts.isFunctionExpression(child) || ts.isArrowFunction(child)) {
        const bound = boundName(sf, child);
        if (bound) {
          name = bound.name;
          if (bound.assigned) qual = [...scope, name].join(".");
        } else skip = "anonymous";
      } else name = propName(sf, child.name);
      if (!child.body) skip = "no body";
      else if (child.asteriskToken) skip = "generator";
      const start = child.getStart(sf);
      const rec = { path: rel, qualname: qual || [...scope, name || "<anonymous>"].join("."), kind,
                    line: pos(sf, start)[0], end_line: pos(sf, child.end)[0], skip };
      if (child.body) {
        const b = child.body;
        const bstart = b.getStart(sf);
        rec.body = { block: ts.isBlock(b), start: bstart, end: b.end,
                     start_pos: pos(sf, bstart), end_pos: pos(sf, b.end) };
        if (ts.isBlock(b) && b.statements.length) {
          const first = b.statements[0].getStart(sf);
          rec.body.first = first;
          rec.body.first_pos = pos(sf, first);
        }
      }
      out.push(rec);
      // What is nested in a named function is its locals; an anonymous one adds nothing to the name.
      visit(sf, rel, child, skip === "anonymous" ? scope : [...scope, name, "<locals>"]);
    } else {
      visit(sf, rel, child, scope);
    }
  });
}

for (const rel of files) {
  const text = fs.readFileSync(path.join(repo, rel), "utf8");
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  visit(sf, rel, sf, []);
}
process.stdout.write(JSON.stringify(out));
'''


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def git(repo, *args):
    return run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                "-c", "commit.gpgsign=false", *args]).stdout


def js_string(s):
    return json.dumps(s)


# ---------------------------------------------------------------- set-up


def prepare(oracle):
    """The tarball's kept part as a git repository, and the tools beside it: repo."""
    downloads = os.path.join(oracle, "downloads")
    os.makedirs(downloads, exist_ok=True)
    archive = os.path.join(downloads, f"{PROJECT}-{VERSION}.tgz")
    if not os.path.exists(archive):
        log(f"downloading {PROJECT}@{VERSION}")
        run(["npm", "pack", "--silent", f"{PROJECT}@{VERSION}", "--pack-destination", downloads])
    repo = os.path.join(oracle, f"{PROJECT}-{VERSION}")
    if not os.path.isdir(os.path.join(repo, ".git")):
        shutil.rmtree(repo, ignore_errors=True)
        with tempfile.TemporaryDirectory(dir=oracle) as tmp:
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(tmp)
            for keep in KEEP:
                src = os.path.join(tmp, "package", keep)
                dst = os.path.join(repo, keep)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                (shutil.copytree if os.path.isdir(src) else shutil.copy2)(src, dst)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"{PROJECT} {VERSION} as published: {', '.join(KEEP)}")
    # A mutant left by --keep or by an interrupted run goes.
    git(repo, "reset", "-q", "--hard", "HEAD")
    git(repo, "clean", "-q", "-fdx", "-e", ".vantage")

    # The tools, where Node's resolution from the repository's files finds them (its parent's node_modules).
    manifest = {"name": "vantage-oracle-ts", "private": True, "type": "module", "dependencies": TOOLS}
    wanted = json.dumps(manifest, indent=1) + "\n"
    stamp = os.path.join(oracle, "node_modules", ".oracle-tools")
    if not (os.path.exists(stamp) and open(stamp).read() == wanted):
        log(f"installing {', '.join(f'{k}@{v}' for k, v in TOOLS.items())} in {oracle}/node_modules")
        open(os.path.join(oracle, "package.json"), "w").write(wanted)
        run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--save-exact"], cwd=oracle)
        open(stamp, "w").write(wanted)
    config = os.path.join(oracle, "vitest.config.mjs")
    open(config, "w").write(VITEST_CONFIG % {
        "condition": js_string(CONDITION), "cache": js_string(os.path.join(oracle, "vite-cache")),
        "include": js_string(TEST_GLOB), "source": SOURCE,
        "exclude": ", ".join(js_string(p + "**") for p in LEFT_OUT)})
    open(os.path.join(oracle, "functions.mjs"), "w").write(FUNCTIONS_JS)
    return repo


def vitest(repo, oracle, files=(), coverage_dir=None, pool=POOL):
    """One run of the suite (or of some files): the JSON report, or {"error": ...}."""
    report = os.path.join(oracle, "vitest-report.json")
    if os.path.exists(report):
        os.remove(report)
    cmd = [os.path.join(oracle, "node_modules", ".bin", "vitest"), "run", "--config",
           os.path.join(oracle, "vitest.config.mjs"), "--root", repo, f"--pool={pool}",
           "--reporter=json", f"--outputFile={report}"]
    if coverage_dir:
        cmd += ["--coverage.enabled", f"--coverage.reportsDirectory={coverage_dir}"]
    cmd += list(files)
    env = dict(os.environ, CI="1", NO_COLOR="1")
    try:
        done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"error": "timeout"}
    if not os.path.exists(report):
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        return {"error": " | ".join(tail) or f"exit {done.returncode}"}
    return json.load(open(report))


def outcome(doc, repo):
    """{"files": {test file: passed?}, "failed": [test ids], "collected": [test ids]} of a vitest report."""
    files, failed, collected = {}, [], []
    for result in doc.get("testResults", []):
        path = os.path.relpath(result["name"], repo)
        cases = result.get("assertionResults", [])
        files[path] = result["status"] == "passed" or (result["status"] != "failed" and not result.get("message"))
        if result["status"] == "failed" and not any(c["status"] == "failed" for c in cases):
            failed.append(path)  # the file failed to load, or outside a test (a hook)
        for case in cases:
            nodeid = f"{path} > {case['fullName']}"
            collected.append(nodeid)
            if case["status"] == "failed":
                failed.append(nodeid)
    return {"files": files, "failed": failed, "collected": collected}


def file_of(nodeid):
    return nodeid.split(" > ", 1)[0]


# ---------------------------------------------------------------- mutants


def functions(repo, oracle):
    """Every function of the source that a mutant can be put in, and those left out: (found, skipped)."""
    files = []
    for folder, dirs, names in os.walk(os.path.join(repo, SOURCE)):
        dirs.sort()
        for name in sorted(names):
            rel = os.path.relpath(os.path.join(folder, name), repo)
            if name.endswith(".ts") and not name.endswith(".d.ts") and not any(rel.startswith(p) for p in LEFT_OUT):
                files.append(rel)
    listed = json.loads(run(["node", os.path.join(oracle, "functions.mjs"), repo, *files], cwd=oracle).stdout)
    found, skipped = [], []
    for fn in listed:
        module = os.path.relpath(fn["path"], SOURCE)[:-3].replace(os.sep, ".").replace("/", ".")
        module = module.removesuffix(".index") if module != "index" else module
        fn["name"] = f"{module}.{fn['qualname']}"
        (skipped if fn["skip"] else found).append(fn)
    counts = {}
    for fn in found:
        counts[fn["name"]] = counts.get(fn["name"], 0) + 1
    for fn in found:
        if counts[fn["name"]] > 1:
            fn["name"] += f"@{fn['line']}"
    return found, skipped


def utf16_splice(text, start, end, insert):
    """text with UTF-16 code units [start, end) (TypeScript's offsets) replaced by `insert`."""
    units = text.encode("utf-16-le")
    return (units[:2 * start].decode("utf-16-le") + insert + units[2 * end:].decode("utf-16-le"))


def mutate(repo, fn):
    """Put the mutant in the working tree: the throw before the body's first statement."""
    full = os.path.join(repo, fn["path"])
    text = open(full, encoding="utf-8").read()
    body = fn["body"]
    if not body["block"]:
        # `=> EXPR` becomes `=> { throw ...; return (EXPR); }`.
        expr = text.encode("utf-16-le")[2 * body["start"]:2 * body["end"]].decode("utf-16-le")
        mutated = utf16_splice(text, body["start"], body["end"], "{ " + MUTANT + " return (" + expr + "); }")
    elif "first" in body and body["first_pos"][0] > body["start_pos"][0]:
        # A line of its own before the first statement, with its indentation.
        lines = text.split("\n")
        line_no, col = body["first_pos"]
        line = lines[line_no - 1]
        indent = line[:len(line) - len(line.lstrip())]
        lines.insert(line_no - 1, indent + MUTANT)
        mutated = "\n".join(lines)
    else:
        # `{}`, or `{ return x; }` on the brace's line: right after the brace.
        mutated = utf16_splice(text, body["start"] + 1, body["start"] + 1, " " + MUTANT + " ")
    open(full, "w", encoding="utf-8").write(mutated)


# ---------------------------------------------------------------- coverage


def coverage_by_file(repo, oracle, test_files):
    """{test file: {source path: [[line, column, end line], ...]}}: the functions each test file's run calls."""
    cache = os.path.join(oracle, "coverage.json")
    stamp = {"commit": git(repo, "rev-parse", "HEAD").strip(), "tools": TOOLS, "pool": COVERAGE_POOL,
             "tests": test_files}
    if os.path.exists(cache):
        doc = json.load(open(cache))
        if doc.get("stamp") == stamp:
            return doc["executed"]
    executed = {}
    workdir = os.path.join(oracle, "coverage")
    started = time.time()
    for index, test in enumerate(test_files):
        shutil.rmtree(workdir, ignore_errors=True)
        got = vitest(repo, oracle, [test], coverage_dir=workdir, pool=COVERAGE_POOL)
        final = os.path.join(workdir, "coverage-final.json")
        if got.get("error") or not os.path.exists(final):
            raise RuntimeError(f"coverage run of {test} failed: {got.get('error')}")
        calls = {}
        for path, cov in json.load(open(final)).items():
            rel = os.path.relpath(path, repo)
            hit = [[f["loc"]["start"]["line"], f["loc"]["start"]["column"], f["loc"]["end"]["line"]]
                   for key, f in cov["fnMap"].items() if cov["f"][key] > 0]
            if hit:
                calls[rel] = hit
        executed[test] = calls
        if (index + 1) % 10 == 0:
            log(f"  coverage: {index + 1}/{len(test_files)} test files ({time.time() - started:.0f}s)")
    shutil.rmtree(workdir, ignore_errors=True)
    json.dump({"stamp": stamp, "executed": executed}, open(cache, "w"))
    return executed


def fn_map_entries(repo, oracle, test_files):
    """{source path: [[line, column, end line], ...]}: every function istanbul's fnMap knows (any file's run)."""
    # One coverage run's fnMap lists every function of every source file (`all`), called or not.
    cache = os.path.join(oracle, "fnmap.json")
    commit = git(repo, "rev-parse", "HEAD").strip()
    if os.path.exists(cache):
        doc = json.load(open(cache))
        if doc.get("commit") == commit and doc.get("tools") == TOOLS:
            return doc["fnmap"]
    workdir = os.path.join(oracle, "coverage")
    shutil.rmtree(workdir, ignore_errors=True)
    got = vitest(repo, oracle, [test_files[0]], coverage_dir=workdir, pool=COVERAGE_POOL)
    final = os.path.join(workdir, "coverage-final.json")
    if got.get("error") or not os.path.exists(final):
        raise RuntimeError(f"coverage run failed: {got.get('error')}")
    fnmap = {}
    for path, cov in json.load(open(final)).items():
        fnmap[os.path.relpath(path, repo)] = [[f["loc"]["start"]["line"], f["loc"]["start"]["column"],
                                               f["loc"]["end"]["line"]] for f in cov["fnMap"].values()]
    shutil.rmtree(workdir, ignore_errors=True)
    json.dump({"commit": commit, "tools": TOOLS, "fnmap": fnmap}, open(cache, "w"))
    return fnmap


def fn_key(fn, fnmap):
    """The fnMap location ([line, column, end line]) of a function: its body's start, the same end line."""
    line, col = fn["body"]["start_pos"]
    end = fn["body"]["end_pos"][0]
    entries = [e for e in fnmap.get(fn["path"], []) if e[0] == line and e[2] == end]
    if not entries:
        entries = [e for e in fnmap.get(fn["path"], []) if e[0] == line]
    if not entries:
        return None
    return min(entries, key=lambda e: abs((e[1] if e[1] is not None else 0) - col))


# ---------------------------------------------------------------- vantage


def vantage_json(vantage, repo, *extra):
    done = subprocess.run([vantage, "impact", repo, "--since", "HEAD", "--format", "json", "-q", *extra],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"vantage impact {' '.join(extra)} failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def seeds(vantage, repo):
    """The definitions the change maps to, as the text answer names them (`change PATH (...): KIND NAME, ...`)."""
    done = subprocess.run([vantage, "impact", repo, "--since", "HEAD", "-q"], capture_output=True, text=True)
    return [line.split(": ", 1)[1] for line in done.stdout.splitlines()
            if line.startswith("  change ") and ": " in line]


def shortest_why(doc, path):
    """The chain of the least deep reached symbol of `path`, as `name <-via- name ...` text."""
    best = None
    for sym in doc.get("symbols", []):
        if sym.get("path") == path and (best is None or (sym["weak"], sym["depth"]) < (best["weak"], best["depth"])):
            best = sym
    if best is None:
        return None
    hops = [f"{h['from']} ({h['path']}:{h['line']}) -{h['via']}-> {h['to']}" for h in best.get("why", [])]
    return {"symbol": best["name"], "depth": best["depth"], "via": best["via"], "weak": best["weak"], "why": hops}


# ---------------------------------------------------------------- main


def ratio(a, b):
    return a / b if b else None


def fmt(x, digits=2):
    return "-" if x is None else f"{x:.{digits}f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--mutants", type=int, default=40, help="how many functions to mutate (default 40; 0: all)")
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--function", action="append", default=[],
                    help="mutate this function (`module.Class.method`, module relative to the source: "
                         "`types.ZodString.min`; `NAME@LINE` when the name is defined twice) instead of drawing; repeatable")
    ap.add_argument("--pool", default=POOL, choices=["vmThreads", "threads", "forks"],
                    help=f"vitest's pool for the baseline and the mutants' runs (default {POOL})")
    ap.add_argument("--keep", action="store_true", help="leave the last mutant in the working tree")
    args = ap.parse_args()
    vantage = os.path.abspath(args.vantage)
    if not os.access(vantage, os.X_OK):
        sys.exit(f"no vantage at {vantage}: build it (cargo build --release) or pass --vantage")
    oracle = os.path.join(os.path.abspath(args.bench_dir), "oracle-ts")
    os.makedirs(oracle, exist_ok=True)
    repo = prepare(oracle)

    # The baseline: green, what it collects, what each test file executes.
    log("baseline run")
    base_doc = vitest(repo, oracle, pool=args.pool)
    if base_doc.get("error") or not base_doc.get("testResults"):
        sys.exit(f"baseline suite did not run: {base_doc.get('error')}")
    base = outcome(base_doc, repo)
    base_failed = set(base["failed"])
    if base_failed:
        log(f"baseline: {len(base_failed)} failing test(s), left out of every mutant: {sorted(base_failed)[:5]}")
    collected = base["collected"]
    test_files = sorted(base["files"])
    cases_in = {f: sum(1 for t in collected if file_of(t) == f) for f in test_files}
    log(f"baseline: {len(collected)} tests in {len(test_files)} files; coverage per test file")
    fnmap = fn_map_entries(repo, oracle, test_files)
    executed = coverage_by_file(repo, oracle, test_files)

    candidates, skipped = functions(repo, oracle)
    skip_counts = {}
    for fn in skipped:
        skip_counts[fn["skip"]] = skip_counts.get(fn["skip"], 0) + 1
    by_name = {f["name"]: f for f in candidates}
    if args.function:
        missing = [name for name in args.function if name not in by_name]
        if missing:
            sys.exit(f"no such function: {', '.join(missing)}")
        chosen = [by_name[name] for name in args.function]
    else:
        n = len(candidates) if args.mutants <= 0 else min(args.mutants, len(candidates))
        chosen = sorted(random.Random(args.seed).sample(candidates, n), key=lambda f: (f["path"], f["line"]))
    log(f"{len(chosen)} mutants of {len(candidates)} candidate functions (seed {args.seed}); "
        f"left out: {', '.join(f'{v} {k}' for k, v in sorted(skip_counts.items()))}")

    mutants_dir = os.path.join(oracle, "mutants")
    shutil.rmtree(mutants_dir, ignore_errors=True)
    os.makedirs(mutants_dir)
    results = []
    started = time.time()
    for index, fn in enumerate(chosen):
        name = fn["name"]
        mutate(repo, fn)
        open(os.path.join(mutants_dir, f"{index:03d}-{name.replace('/', '_')}.diff"), "w").write(git(repo, "diff"))
        got_doc = vitest(repo, oracle, pool=args.pool)
        if got_doc.get("error") or not got_doc.get("testResults"):
            failing_ids = ["<session>"]          # the run itself failed: every file fails
            failing = set(test_files)
            got = {"files": {}, "failed": []}
        else:
            got = outcome(got_doc, repo)
            failing_ids = sorted(set(got["failed"]) - base_failed)
            failing = {file_of(t) for t in failing_ids}
        doc = vantage_json(vantage, repo)
        file_doc = vantage_json(vantage, repo, "--level", "file")
        seed_names = seeds(vantage, repo)
        last = index == len(chosen) - 1
        if not (args.keep and last):
            git(repo, "checkout", "-q", "--", ".")

        to_run = doc["tests_to_run"]
        sel_all = {t["path"] for t in to_run}
        sel_strong = {t["path"] for t in to_run if not t["weak"]}
        file_level = set(file_doc["tests"]) & set(test_files)
        key = fn_key(fn, fnmap)
        executing_files = set()
        if key is not None:
            executing_files = {t for t, calls in executed.items() if key in calls.get(fn["path"], [])}
        bound = executing_files | failing
        strong_reach = sel_strong | ({sym["path"] for sym in doc["symbols"] if not sym["weak"]} & set(test_files))
        missed_strong = sorted(failing - sel_strong)
        missed_all = sorted(failing - sel_all)
        cases = lambda files: sum(cases_in.get(f, 0) for f in files)
        result = {
            "function": name, "path": fn["path"], "line": fn["line"], "kind": fn["kind"],
            "body": "block" if fn["body"]["block"] else "expression",
            "session_error": got_doc.get("error"),
            "failing_files": sorted(failing), "failing_tests": failing_ids,
            "selected_strong": sorted(sel_strong), "selected_all": sorted(sel_all),
            "selected_outside_tests": sorted(sel_all - set(test_files)),
            "tests_to_run": to_run,
            "bound": sorted(bound), "coverage_matched": key is not None,
            "executing_not_failing": sorted(executing_files - failing),
            "failing_not_executing": sorted(failing - executing_files),
            "file_level": sorted(file_level),
            "missed_strong": missed_strong, "missed_all": missed_all,
            "recall_strong": ratio(len(failing & sel_strong), len(failing)),
            "recall_all": ratio(len(failing & sel_all), len(failing)),
            "ratio_strong": ratio(len(sel_strong), len(bound)), "ratio_all": ratio(len(sel_all), len(bound)),
            "ratio_file_level": ratio(len(file_level), len(bound)),
            "recall_file_level": ratio(len(failing & file_level), len(failing)),
            "missed_file_level": sorted(failing - file_level),
            "tests_bound": cases(bound), "tests_run_strong": cases(sel_strong), "tests_run_all": cases(sel_all),
            "tests_run_file_level": cases(file_level),
            "why": {path: shortest_why(doc, path) for path in sorted(sel_all)},
            "seeds": seed_names,
            "strong_reach": sorted(strong_reach), "recall_strong_reach": ratio(len(failing & strong_reach), len(failing)),
        }
        results.append(result)
        log(f"[{index + 1}/{len(chosen)}] {name}: {len(failing)} failing, {len(sel_strong)}/{len(sel_all)} selected, "
            f"bound {len(bound)} ({time.time() - started:.0f}s)")

    report(results, test_files, collected)
    summary = totals(results)
    json.dump({"project": PROJECT, "version": VERSION, "kept": KEEP, "source": SOURCE, "seed": args.seed,
               "vantage": vantage, "tools": TOOLS, "test_files": test_files, "tests": len(collected),
               "candidates": len(candidates), "left_out": skip_counts,
               "left_out_functions": [{"name": f"{f['path']}:{f['line']} {f['qualname']}", "why": f["skip"]}
                                      for f in skipped],
               "totals": summary, "mutants": results},
              open(os.path.join(oracle, "results.json"), "w"), indent=1)
    print(f"\nresults: {os.path.join(oracle, 'results.json')}")


def totals(results):
    killed = [r for r in results if r["failing_files"]]
    with_bound = [r for r in results if r["bound"]]

    def stats(values):
        values = [v for v in values if v is not None]
        return {"mean": statistics.mean(values) if values else None,
                "median": statistics.median(values) if values else None,
                "worst": min(values) if values else None, "max": max(values) if values else None}

    sel = lambda key: sum(len(r[key]) for r in with_bound)
    return {
        "mutants": len(results), "killed": len(killed), "survived": len(results) - len(killed),
        "recall_1_strong": sum(1 for r in killed if r["recall_strong"] == 1.0),
        "recall_1_all": sum(1 for r in killed if r["recall_all"] == 1.0),
        "recall_strong": stats(r["recall_strong"] for r in killed),
        "recall_all": stats(r["recall_all"] for r in killed),
        "recall_1_strong_reach": sum(1 for r in killed if r["recall_strong_reach"] == 1.0),
        "recall_1_file_level": sum(1 for r in killed if r["recall_file_level"] == 1.0),
        "recall_file_level": stats(r["recall_file_level"] for r in killed),
        "ratio_strong": stats(r["ratio_strong"] for r in with_bound),
        "ratio_all": stats(r["ratio_all"] for r in with_bound),
        "ratio_file_level": stats(r["ratio_file_level"] for r in with_bound),
        "within_1_5_all": sum(1 for r in with_bound if r["ratio_all"] <= 1.5),
        "with_bound": len(with_bound),
        "files_bound": sel("bound"), "files_strong": sel("selected_strong"), "files_all": sel("selected_all"),
        "files_file_level": sel("file_level"),
        "tests_bound": sum(r["tests_bound"] for r in with_bound),
        "tests_run_all": sum(r["tests_run_all"] for r in with_bound),
        "tests_run_strong": sum(r["tests_run_strong"] for r in with_bound),
        "tests_run_file_level": sum(r["tests_run_file_level"] for r in with_bound),
        "coverage_unmatched": sum(1 for r in results if not r["coverage_matched"]),
    }


def report(results, test_files, collected):
    width = max(len(r["function"]) for r in results)
    print(f"{PROJECT} {VERSION} ({SOURCE}): {len(collected)} tests in {len(test_files)} files; "
          f"recall and sizes in test files; sel = selected strong/all; file = --level file")
    print(f"{'function':<{width}}  fail  sel    bound  file  recall s/a   sel/bound  cases run/bound")
    for r in results:
        print(f"{r['function']:<{width}}  {len(r['failing_files']):>4}  "
              f"{len(r['selected_strong']):>2}/{len(r['selected_all']):<2}  {len(r['bound']):>5}  {len(r['file_level']):>4}  "
              f"{fmt(r['recall_strong']):>4}/{fmt(r['recall_all']):<4}  {fmt(r['ratio_all']):>9}  "
              f"{r['tests_run_all']:>5}/{r['tests_bound']:<5}"
              + (f"  MISSED {', '.join(r['missed_all'])}" if r["missed_all"] else "")
              + (f"  (weak only: {', '.join(sorted(set(r['missed_strong']) - set(r['missed_all'])))})"
                 if set(r["missed_strong"]) - set(r["missed_all"]) else ""))
    t = totals(results)
    print()
    print(f"mutants: {t['mutants']}, killed (some test fails) {t['killed']}, survived {t['survived']}")
    print(f"recall 1.00: {t['recall_1_all']}/{t['killed']} (strong only: {t['recall_1_strong']}/{t['killed']}); "
          f"mean {fmt(t['recall_all']['mean'], 3)}, worst {fmt(t['recall_all']['worst'])} "
          f"(strong only: mean {fmt(t['recall_strong']['mean'], 3)}, worst {fmt(t['recall_strong']['worst'])})")
    print(f"strong reach (test files holding a definition reached strongly, `symbols`): recall 1.00 on "
          f"{t['recall_1_strong_reach']}/{t['killed']}")
    print(f"selection / dynamic bound over {t['with_bound']} mutants with a bound: "
          f"median {fmt(t['ratio_all']['median'])}, mean {fmt(t['ratio_all']['mean'])}, max {fmt(t['ratio_all']['max'])} "
          f"(strong only: median {fmt(t['ratio_strong']['median'])}, mean {fmt(t['ratio_strong']['mean'])}); "
          f"within 1.5x: {t['within_1_5_all']}/{t['with_bound']}")
    print(f"--level file: recall 1.00 on {t['recall_1_file_level']}/{t['killed']}, "
          f"mean {fmt(t['recall_file_level']['mean'], 3)}, worst {fmt(t['recall_file_level']['worst'])}; "
          f"median {fmt(t['ratio_file_level']['median'])}, mean {fmt(t['ratio_file_level']['mean'])}x "
          f"the bound; test files summed over those mutants: bound {t['files_bound']}, symbol level "
          f"{t['files_strong']} strong / {t['files_all']} all, file level {t['files_file_level']} "
          f"({fmt(ratio(t['files_file_level'], t['files_all']))}x the symbol level)")
    print(f"test cases summed (by file: the cases of the files): in the bound's files {t['tests_bound']}, "
          f"run by the symbol level {t['tests_run_strong']} strong / {t['tests_run_all']} all, "
          f"by the file level {t['tests_run_file_level']} (of {len(collected)} per mutant)")
    if t["coverage_unmatched"]:
        print(f"functions not found in coverage's fnMap (bound = failing files only): {t['coverage_unmatched']}")


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as e:
        sys.exit(f"error: {' '.join(map(str, e.cmd))}: {e.stderr.strip() if e.stderr else e}")
