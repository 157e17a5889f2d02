#!/usr/bin/env python3
"""The compiler as oracle for `vantage impact --since` (issue 15).

For each case, a package of the corpus becomes a git repository; an exported
name used across the package is deleted (its definitions, and for Rust its
`impl` blocks); the language's own checker runs before and after (`tsc
--noEmit` with the TypeScript that peers.sh installs, `cargo check`); every
file it newly reports must be in vantage's answer (the changed file aside).
Errors cascade through types, so some sit deeper than depth 1.

    python3 bench/impact_oracle.py [--bench-dir .bench] [--vantage target/release/vantage] [--checker tsc|cargo]

Prints recall and the answer's size per case, and how many of the newly
failing files vantage marks broken at depth 1 (issue 20's measure); exit 1
when a newly broken file is missing from vantage's answer. Needs the corpus (corpus.sh), the peers
(peers.sh: typescript) and, for tokio, its crates from the registry (cargo
fetches them into BENCH/target-oracle).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

CASES = [
    # (checker, corpus folder, file, name)
    ("tsc", "ts/rxjs", "src/internal/util/isFunction.ts", "isFunction"),
    ("tsc", "ts/rxjs", "src/internal/util/noop.ts", "noop"),
    ("tsc", "ts/rxjs", "src/internal/util/arrRemove.ts", "arrRemove"),
    ("cargo", "rust/tokio", "src/util/wake_list.rs", "WakeList"),
    ("cargo", "rust/tokio", "src/util/try_lock.rs", "TryLock"),
]


def git(repo, *args):
    subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def tsc_errors(tsc, repo):
    out = subprocess.run([tsc, "--noEmit", "-p", repo], capture_output=True, text=True).stdout
    files = set()
    for line in out.splitlines():
        m = re.match(r"^(\S[^(]*)\(\d+,\d+\): error", line)
        if m:
            files.add(os.path.relpath(os.path.join(repo, m.group(1)), repo) if not os.path.isabs(m.group(1))
                      else os.path.relpath(m.group(1), repo))
    return files


def cargo_errors(target_dir, repo):
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir)
    out = subprocess.run(["cargo", "check", "--features", "full", "--lib", "--message-format=json", "--quiet"],
                         cwd=repo, env=env, capture_output=True, text=True).stdout
    files = set()
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        message = msg.get("message") or {}
        if msg.get("reason") != "compiler-message" or message.get("level") != "error":
            continue
        for span in message.get("spans", []):
            if span.get("is_primary") and not os.path.isabs(span["file_name"]):
                files.add(span["file_name"])
    return files


def definitions(vantage, path, name):
    """Line spans of the file's top-level definitions of `name` (facts)."""
    out = subprocess.run([vantage, "facts", path], capture_output=True, text=True, check=True).stdout
    spans = []
    for block in re.findall(r"Definition \{(.*?)\}", out, re.S):
        got = dict(re.findall(r"(\w+): (\"[^\"]*\"|\d+)", block))
        if got.get("name", "").strip('"') == name:
            spans.append((int(got["start_line"]), int(got["end_line"])))
    return spans


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--checker", choices=["tsc", "cargo"], help="only the cases of this checker")
    args = ap.parse_args()
    vantage = os.path.abspath(args.vantage)
    bench = os.path.abspath(args.bench_dir)
    tsc = os.path.join(bench, "peers/npm/node_modules/.bin/tsc")
    target_dir = os.path.join(bench, "target-oracle")
    failed = False
    for checker, folder, path, name in CASES:
        if args.checker and checker != args.checker:
            continue
        source = os.path.join(bench, "corpus", folder)
        if not os.path.isdir(source):
            sys.exit(f"no corpus at {source}: run bash ../shared/bench/corpus.sh {args.bench_dir}")
        repo = tempfile.mkdtemp(prefix="vantage-oracle-")
        shutil.copytree(source, repo, dirs_exist_ok=True)
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "base")
        errors = (lambda: tsc_errors(tsc, repo)) if checker == "tsc" else (lambda: cargo_errors(target_dir, repo))
        before = errors()
        spans = definitions(vantage, os.path.join(repo, path), name)
        if not spans:
            print(f"{folder} {path} {name}: no such definition")
            failed = True
            continue
        lines = open(os.path.join(repo, path)).read().split("\n")
        for start, end in sorted(spans, reverse=True):
            # The doc comment and attributes above go with the definition:
            # a doc comment left documenting nothing is a syntax error.
            while start > 1 and re.match(r"^\s*(///|//!|/\*\*|\*|\*/|#\[|@)", lines[start - 2]):
                start -= 1
            del lines[start - 1:end]
        open(os.path.join(repo, path), "w").write("\n".join(lines))
        after = errors()
        broken = sorted((after - before) - {path})
        doc = json.loads(subprocess.run([vantage, "impact", repo, "--since", "HEAD", "--format", "json"],
                                        capture_output=True, text=True, check=True).stdout)
        impacted = {i["path"]: i for i in doc["impacted"]}
        found = [f for f in broken if f in impacted]
        missing = [f for f in broken if f not in impacted]
        recall = len(found) / len(broken) if broken else 1.0
        # Issue 20: the newly failing files vantage itself says are broken
        # (depth 1, `broken` at the symbol level, `removed` at the file
        # level), not merely reached.
        marked = [f for f in found if impacted[f]["depth"] == 1 and impacted[f]["via"] in ("broken", "removed")]
        broken_recall = len(marked) / len(broken) if broken else 1.0
        depths = {}
        for f in found:
            depths[impacted[f]["depth"]] = depths.get(impacted[f]["depth"], 0) + 1
        strong = sum(1 for i in doc["impacted"] if not i["weak"])
        print(f"{folder}: delete {name} ({path}, {len(spans)} definition(s)); {checker} newly reports {len(broken)} file(s); "
              f"vantage answers {len(impacted)} ({strong} when the code loads, {doc['risk']['broken']} broken by name), "
              f"risk {doc['risk']['level']}: recall {recall:.3f}, found at depths {dict(sorted(depths.items()))}, "
              f"marked broken {len(marked)}/{len(broken)} ({broken_recall:.3f})")
        for f in missing:
            print(f"  missed: {f}")
        failed |= bool(missing)
        shutil.rmtree(repo)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
