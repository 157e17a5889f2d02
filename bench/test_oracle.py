#!/usr/bin/env python3
"""Failing tests as oracle for `vantage impact --since HEAD --tests` (issue 20).

A real Python project from PyPI (marshmallow, pinned below: its sdist ships
its tests, about 1 200 of them in 12 files that run green in ~2 s, and its
fields and schemas are classes calling each other through inheritance,
overrides and values of unannotated types: what a symbol graph finds hard)
becomes a git repository under BENCH/oracle/, with its test dependencies in
a venv there (the project installed with `pip install -e`, so the tests
import the working tree). Then, for N functions and methods of the package
(not of its tests) drawn with a fixed seed:

1. `raise RuntimeError("vantage-mutant")` becomes the first statement of the
   function's body (after its docstring), in the working tree;
2. the suite runs (`-p no:cacheprovider`, a small plugin recording every
   failed report): the failing test files are the oracle, a collection
   error failing its whole file and an error loading a conftest every file;
3. `vantage impact REPO --since HEAD --format json` answers: the files of
   its `tests_to_run`, strong only (`weak: false`) and all;
4. the mutation is reverted (`git checkout`).

Recall is the share of the failing test files that vantage selected; the
goal is 1.00 on every mutant (a mutant no test fails has none). Also shown:
the "strong reach", the test files holding a definition reached strongly
(`symbols`, `weak: false`), which `tests_to_run` may fold into a weak
whole-file entry. Precision is measured against the dynamic
bound, taken once before mutating from coverage with per-test contexts
(`--cov-context=test`): the test files some test of which executes a line
of the function's own body (its nested functions' bodies left out), joined
with the files the mutant fails (code run at import, by collection, has no
test context). The goal is a selection at most 1.5 times the bound. The
same mutants are answered at `--level file` too (key `tests`: every test
file reached through imports) for comparison. Also counted at the level of
test cases: how many collected tests the selection runs (a selected class
runs its methods, a file all of its tests) against the tests that execute
the function.

Names are `module.Class.method` relative to the package (`<locals>` for a
nested function, `@LINE` added when a name is defined twice, as a
property's getter and setter). Left out of the draw: generators (a `raise` there runs only when the
generator is iterated), `@overload` stubs and definitions under
`if TYPE_CHECKING:` (never run).

    python3 bench/test_oracle.py [--bench-dir .bench] [--vantage target/release/vantage]
                                 [--mutants 40] [--seed 20] [--function fields.Email.__init__] [--keep]

`--mutants 0` mutates every candidate (253 in 3.21.3). A mutant costs about
3 s on 2 cores (the suite, then vantage three times): 40 in 2 minutes, all
in 13. Standard library only (Python 3.9+) besides the venv it makes.

Prints a table per mutant and the totals, and writes them to
BENCH/oracle/results.json (with each selected file's shortest why-chain,
for diagnosis) and each mutant's diff to BENCH/oracle/mutants/. Reuses the
download, the repository and the venv of an earlier run. `--keep` leaves
the last mutant in the working tree. Exit 0 whatever the recall; non-zero
only when the script itself fails (a download, the baseline suite not
green, vantage failing).
"""
import argparse
import ast
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import time

PROJECT = "marshmallow"
VERSION = "3.21.3"
PACKAGE = "marshmallow"            # import name, for --cov
SOURCE = "src/marshmallow"         # the package's source, relative to the sdist root
REQUIREMENTS = [                   # its `tests` extra, and coverage
    "pytest==9.2.0", "pytest-cov==7.1.0", "coverage==7.18.0",
    "pytz==2026.6", "simplejson==4.3.0", "packaging==26.4",
]
MUTANT = 'raise RuntimeError("vantage-mutant")'
TIMEOUT = 600                      # seconds for one run of the suite

PLUGIN = '''\
"""Records what a pytest run collected and which reports failed."""
import json
import os

_failed = {}
_collected = []


def pytest_collectreport(report):
    if report.failed:
        _failed.setdefault(report.nodeid, "collect")


def pytest_runtest_logreport(report):
    if report.failed:
        _failed.setdefault(report.nodeid, report.when)


def pytest_collection_finish(session):
    _collected.extend(item.nodeid for item in session.items)


def pytest_sessionfinish(session, exitstatus):
    with open(os.environ["VANTAGE_ORACLE_REPORT"], "w") as out:
        json.dump({"failed": _failed, "collected": _collected, "exitstatus": int(exitstatus)}, out)
'''


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def git(repo, *args):
    return run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                "-c", "commit.gpgsign=false", *args]).stdout


# ---------------------------------------------------------------- set-up


def prepare(oracle):
    """The sdist as a git repository, and the venv: (repo, python)."""
    downloads = os.path.join(oracle, "downloads")
    os.makedirs(downloads, exist_ok=True)
    archive = os.path.join(downloads, f"{PROJECT}-{VERSION}.tar.gz")
    if not os.path.exists(archive):
        log(f"downloading {PROJECT}=={VERSION}")
        run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             f"{PROJECT}=={VERSION}", "-d", downloads])
    repo = os.path.join(oracle, f"{PROJECT}-{VERSION}")
    if not os.path.isdir(os.path.join(repo, ".git")):
        shutil.rmtree(repo, ignore_errors=True)
        with tarfile.open(archive) as tar:
            tar.extractall(oracle, filter="data") if hasattr(tarfile, "data_filter") else tar.extractall(oracle)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"{PROJECT} {VERSION} as released")
    # A mutant left by --keep or by an interrupted run goes.
    git(repo, "reset", "-q", "--hard", "HEAD")
    git(repo, "clean", "-q", "-fdx", "-e", ".vantage")

    venv = os.path.join(oracle, "venv")
    python = os.path.join(venv, "bin", "python")
    stamp = os.path.join(venv, ".oracle-requirements")
    wanted = "\n".join(REQUIREMENTS + [f"-e {repo}"])
    if not (os.path.exists(stamp) and open(stamp).read() == wanted):
        log(f"creating the venv in {venv}")
        shutil.rmtree(venv, ignore_errors=True)
        run([sys.executable, "-m", "venv", venv])
        run([python, "-m", "pip", "install", "--quiet", *REQUIREMENTS])
        run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", repo])
        open(stamp, "w").write(wanted)
    git(repo, "clean", "-q", "-fdx", "-e", ".vantage")  # what the editable build left, if anything

    plugin_dir = os.path.join(oracle, "plugin")
    os.makedirs(plugin_dir, exist_ok=True)
    open(os.path.join(plugin_dir, "vantage_oracle_plugin.py"), "w").write(PLUGIN)
    return repo, python, plugin_dir


def pytest(repo, python, plugin_dir, oracle, extra=(), env_extra=None):
    """One run of the suite: {"failed": {nodeid: phase}, "collected": [...], "exitstatus"}."""
    report = os.path.join(oracle, "pytest-report.json")
    if os.path.exists(report):
        os.remove(report)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=plugin_dir, VANTAGE_ORACLE_REPORT=report,
               **(env_extra or {}))
    env.pop("PYTEST_ADDOPTS", None)
    cmd = [python, "-m", "pytest", "-p", "no:cacheprovider", "-p", "vantage_oracle_plugin",
           "-o", "addopts=", "-q", "--tb=no", "--no-header", *extra]
    try:
        done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"failed": {}, "collected": [], "exitstatus": None, "error": "timeout"}
    if not os.path.exists(report):
        # pytest stopped before the session (an error loading a conftest).
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        return {"failed": {}, "collected": [], "exitstatus": done.returncode, "error": " | ".join(tail)}
    return json.load(open(report))


# ---------------------------------------------------------------- mutants


def own_nodes(fn):
    """The nodes of a function's own body: nested functions, lambdas and classes are not walked."""
    stack = list(fn.body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                stack.append(child)


def own_lines(fn):
    """Line numbers of the function's own body, a nested function's body left out (its `def` kept)."""
    lines = set(range(fn.body[0].lineno, fn.end_lineno + 1))
    for node in ast.walk(fn):
        if node is not fn and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines -= set(range(node.body[0].lineno, node.end_lineno + 1))
    return lines


def decorator_names(fn):
    for d in fn.decorator_list:
        d = d.func if isinstance(d, ast.Call) else d
        yield d.attr if isinstance(d, ast.Attribute) else getattr(d, "id", "")


def is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def functions(repo):
    """Every function and method of the package's source that a mutant can be put in."""
    found = []
    root = os.path.join(repo, SOURCE)
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.relpath(os.path.join(folder, name), repo)
            module = os.path.relpath(os.path.join(folder, name), os.path.dirname(root))[:-3].replace(os.sep, ".")
            module = module.removesuffix(".__init__")
            tree = ast.parse(open(os.path.join(repo, path)).read())

            def visit(node, scope, skipped):
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.If) and is_type_checking(child.test):
                        visit(child, scope, True)
                    elif isinstance(child, ast.ClassDef):
                        visit(child, scope + [child.name], skipped)
                    elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        qual = ".".join(scope + [child.name])
                        generator = any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(child))
                        if not (skipped or generator or "overload" in decorator_names(child)):
                            found.append({"path": path, "module": module, "qualname": qual, "line": child.lineno,
                                          "lines": sorted(own_lines(child))})
                        visit(child, scope + [child.name, "<locals>"], skipped)
                    else:
                        visit(child, scope, skipped)

            visit(tree, [], False)
    # A name defined twice (a property's getter and setter, a redefinition) gets its line.
    for fn in found:
        fn["name"] = f"{fn['module'].removeprefix(PACKAGE + '.')}.{fn['qualname']}"
    counts = {}
    for fn in found:
        counts[fn["name"]] = counts.get(fn["name"], 0) + 1
    for fn in found:
        if counts[fn["name"]] > 1:
            fn["name"] += f"@{fn['line']}"
    return found


def find_def(tree, fn):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno == fn["line"]:
            return node
    raise LookupError(f"{fn['path']}:{fn['line']}: no function")


def mutate(repo, fn):
    """Put the mutant in the working tree: the raise before the body's first statement (after a docstring)."""
    full = os.path.join(repo, fn["path"])
    text = open(full).read()
    lines = text.split("\n")
    node = find_def(ast.parse(text), fn)
    body = node.body
    docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str)
    if docstring and len(body) == 1:
        # Only a docstring: the raise comes after it.
        doc = body[0]
        line = lines[doc.end_lineno - 1]
        if line[:doc.col_offset].strip() == "" and line[doc.end_col_offset:].strip() == "":
            lines.insert(doc.end_lineno, " " * doc.col_offset + MUTANT)
        else:
            lines[doc.end_lineno - 1] = line[:doc.end_col_offset] + "; " + MUTANT + line[doc.end_col_offset:]
    else:
        first = body[1] if docstring else body[0]
        line = lines[first.lineno - 1]
        if line[:first.col_offset].strip() == "":
            lines.insert(first.lineno - 1, line[:first.col_offset] + MUTANT)
        else:
            # `def f(): return x` on one line.
            lines[first.lineno - 1] = line[:first.col_offset] + MUTANT + "; " + line[first.col_offset:]
    mutated = "\n".join(lines)
    ast.parse(mutated)
    open(full, "w").write(mutated)


# ---------------------------------------------------------------- coverage


def numbits_to_lines(numbits):
    return {i * 8 + bit for i, byte in enumerate(numbits) for bit in range(8) if byte & (1 << bit)}


def executed_by(coverage_db, repo):
    """{(repo-relative source path, line): {test nodeid}} from per-test contexts."""
    db = sqlite3.connect(coverage_db)
    files = {fid: os.path.relpath(path, repo) for fid, path in db.execute("select id, path from file")}
    contexts = {cid: ctx for cid, ctx in db.execute("select id, context from context")}
    lines = {}
    for fid, cid, numbits in db.execute("select file_id, context_id, numbits from line_bits"):
        test = contexts[cid].rsplit("|", 1)[0]
        if not test:
            continue  # import time: no test
        for line in numbits_to_lines(numbits):
            lines.setdefault((files[fid], line), set()).add(test)
    db.close()
    return lines


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


def file_of(nodeid):
    return nodeid.split("::", 1)[0]


def covers(selected, nodeid):
    """Whether running the selected id runs the test `nodeid` (a file, a class, a test, its parameters)."""
    return nodeid == selected or nodeid.startswith(selected + "::") or nodeid.startswith(selected + "[")


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
                    help="mutate this function (`module.Class.method`, module relative to the package: "
                         "`fields.Email.__init__`; `NAME@LINE` when the name is defined twice) instead of drawing; repeatable")
    ap.add_argument("--keep", action="store_true", help="leave the last mutant in the working tree")
    args = ap.parse_args()
    vantage = os.path.abspath(args.vantage)
    if not os.access(vantage, os.X_OK):
        sys.exit(f"no vantage at {vantage}: build it (cargo build --release) or pass --vantage")
    oracle = os.path.join(os.path.abspath(args.bench_dir), "oracle")
    repo, python, plugin_dir = prepare(oracle)

    # The baseline: green, what it collects, what each test executes.
    log("baseline run with per-test coverage")
    coverage_db = os.path.join(oracle, "coverage.db")
    if os.path.exists(coverage_db):
        os.remove(coverage_db)
    base = pytest(repo, python, plugin_dir, oracle,
                  ["--cov", PACKAGE, "--cov-context", "test", "--cov-report="], {"COVERAGE_FILE": coverage_db})
    if base.get("error") or not base["collected"]:
        sys.exit(f"baseline suite did not run: {base.get('error')}")
    base_failed = set(base["failed"])
    if base_failed:
        log(f"baseline: {len(base_failed)} failing test(s), left out of every mutant: {sorted(base_failed)[:5]}")
    collected = base["collected"]
    test_files = sorted({file_of(t) for t in collected})
    executed = executed_by(coverage_db, repo)
    log(f"baseline: {len(collected)} tests in {len(test_files)} files")

    candidates = functions(repo)
    by_name = {f["name"]: f for f in candidates}
    if args.function:
        missing = [name for name in args.function if name not in by_name]
        if missing:
            sys.exit(f"no such function: {', '.join(missing)}")
        chosen = [by_name[name] for name in args.function]
    else:
        n = len(candidates) if args.mutants <= 0 else min(args.mutants, len(candidates))
        chosen = sorted(random.Random(args.seed).sample(candidates, n), key=lambda f: (f["path"], f["line"]))
    log(f"{len(chosen)} mutants of {len(candidates)} candidate functions (seed {args.seed})")

    mutants_dir = os.path.join(oracle, "mutants")
    shutil.rmtree(mutants_dir, ignore_errors=True)
    os.makedirs(mutants_dir)
    results = []
    started = time.time()
    for index, fn in enumerate(chosen):
        name = fn["name"]
        mutate(repo, fn)
        open(os.path.join(mutants_dir, f"{index:03d}-{name}.diff"), "w").write(git(repo, "diff"))
        got = pytest(repo, python, plugin_dir, oracle)
        if got.get("error"):
            failing_ids = ["<session>"]          # a conftest failed to load: every file fails
            failing = set(test_files)
        else:
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
        tests_executing = set()
        for line in fn["lines"]:
            tests_executing |= executed.get((fn["path"], line), set())
        tests_executing -= base_failed
        if failing_ids != ["<session>"]:
            tests_executing |= set(failing_ids)
        bound = {file_of(t) for t in tests_executing} | failing
        run_all = [t for t in collected if any(covers(s["id"], t) for s in to_run)]
        run_strong = [t for t in collected if any(covers(s["id"], t) for s in to_run if not s["weak"])]
        # Test files holding a definition reached strongly, whether or not `tests_to_run` keeps them apart
        # from a weak whole-file entry.
        strong_reach = sel_strong | ({sym["path"] for sym in doc["symbols"] if not sym["weak"]} & set(test_files))
        missed_strong = sorted(failing - sel_strong)
        missed_all = sorted(failing - sel_all)
        missed_ids = [t for t in failing_ids if t != "<session>" and not any(covers(s["id"], t) for s in to_run)]
        result = {
            "function": name, "path": fn["path"], "line": fn["line"],
            "session_error": got.get("error"),
            "failing_files": sorted(failing), "failing_tests": failing_ids,
            "selected_strong": sorted(sel_strong), "selected_all": sorted(sel_all),
            "selected_outside_tests": sorted(sel_all - set(test_files)),
            "tests_to_run": to_run,
            "bound": sorted(bound), "file_level": sorted(file_level),
            "missed_strong": missed_strong, "missed_all": missed_all, "missed_tests": missed_ids,
            "recall_strong": ratio(len(failing & sel_strong), len(failing)),
            "recall_all": ratio(len(failing & sel_all), len(failing)),
            "ratio_strong": ratio(len(sel_strong), len(bound)), "ratio_all": ratio(len(sel_all), len(bound)),
            "ratio_file_level": ratio(len(file_level), len(bound)),
            "recall_file_level": ratio(len(failing & file_level), len(failing)),
            "missed_file_level": sorted(failing - file_level),
            "tests_bound": len(tests_executing), "tests_run_strong": len(run_strong), "tests_run_all": len(run_all),
            "tests_run_file_level": sum(1 for t in collected if file_of(t) in file_level),
            "why": {path: shortest_why(doc, path) for path in sorted(sel_all)},
            "seeds": seed_names,
            "strong_reach": sorted(strong_reach), "recall_strong_reach": ratio(len(failing & strong_reach), len(failing)),
        }
        results.append(result)
        log(f"[{index + 1}/{len(chosen)}] {name}: {len(failing)} failing, {len(sel_strong)}/{len(sel_all)} selected, "
            f"bound {len(bound)} ({time.time() - started:.0f}s)")

    report(results, test_files, collected)
    summary = totals(results)
    json.dump({"project": PROJECT, "version": VERSION, "seed": args.seed, "vantage": vantage,
               "test_files": test_files, "tests": len(collected), "candidates": len(candidates),
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
    }


def report(results, test_files, collected):
    width = max(len(r["function"]) for r in results)
    print(f"{PROJECT} {VERSION}: {len(collected)} tests in {len(test_files)} files; "
          f"recall and sizes in test files; sel = selected strong/all; file = --level file")
    print(f"{'function':<{width}}  fail  sel    bound  file  recall s/a   sel/bound  tests run/bound")
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
    print(f"test cases summed: executing the function {t['tests_bound']}, run by the symbol level's ids "
          f"{t['tests_run_strong']} strong / {t['tests_run_all']} all, by the file level {t['tests_run_file_level']} "
          f"(of {len(collected)} per mutant)")


if __name__ == "__main__":
    try:
        main()
    except subprocess.CalledProcessError as e:
        sys.exit(f"error: {' '.join(map(str, e.cmd))}: {e.stderr.strip() if e.stderr else e}")
