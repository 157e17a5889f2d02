#!/usr/bin/env python3
"""Share of internal references that resolve to a file, on Symfony and tokio.

Internal references are the imports and names used in code that belong to
the project itself: PHP names under `Symfony\\`, Rust paths from `crate::`,
`self::` or `super::`. For each, `vantage resolutions` (a hidden debugging
command: every import with its outcome) says whether it reached a file
(another file, or the importing file itself). What remains is listed by
cause, and the resolved ones are checked: the target file must declare the
name (PHP: `class|interface|trait|enum Name`; Rust: the last module-like
segment is the file's module, or the file defines or re-exports the item).

    python3 bench/resolution_share.py [--bench-dir .bench] [--vantage target/release/vantage] [--show N]
"""
import argparse
import collections
import json
import os
import re
import subprocess


def resolutions(vantage, root):
    out = subprocess.run([vantage, "resolutions", root], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def php(args, root):
    rows = [r for r in resolutions(args.vantage, root) if r["specifier"].lower().startswith("symfony\\")]
    outcomes = collections.Counter(r["outcome"] for r in rows)
    resolved = outcomes["files"] + outcomes["local"]
    print(f"Symfony: {len(rows)} internal names (imports and references), "
          f"{resolved} resolve to a file ({resolved / len(rows):.2%}); outcomes {dict(outcomes)}")
    # Names whose namespace folder is in the corpus: the classes that can be
    # there (Symfony\\Contracts, Polyfill and the Mailer/Messenger/Notifier
    # bridges are separate Debian packages the corpus does not fetch).
    present = [r for r in rows if os.path.isdir(os.path.join(root, *r["specifier"].split("\\")[:-1]))]
    done = sum(1 for r in present if r["outcome"] in ("files", "local"))
    print(f"  of them under a namespace folder present in the corpus: {len(present)}, "
          f"{done} resolve ({done / len(present):.2%})")
    for r in [r for r in present if r["outcome"] not in ("files", "local")][: args.show]:
        print(f"    {r['path']}:{r['line']} {r['specifier']} ({r['outcome']})")
    # Check: the file declares the class.
    bad = 0
    for r in rows:
        if r["outcome"] == "files":
            short = r["specifier"].rsplit("\\", 1)[-1]
            text = open(os.path.join(root, r["targets"][0]), encoding="utf-8", errors="replace").read()
            if not re.search(r"\b(class|interface|trait|enum)\s+" + re.escape(short) + r"\b", text, re.I):
                bad += 1
    print(f"  resolved to a file that does not declare the name: {bad}")
    # What remains, by namespace (two levels below Symfony).
    rest = collections.Counter()
    for r in rows:
        if r["outcome"] not in ("files", "local"):
            key = "\\".join(r["specifier"].split("\\")[:3])
            rest[(r["outcome"], key)] += 1
    for (outcome, key), n in rest.most_common(args.show):
        print(f"  {n:>5}  {outcome:<10} {key}")


def rust(args, root):
    rows = [r for r in resolutions(args.vantage, root) if r["specifier"].split("::")[0] in ("crate", "self", "super")]
    outcomes = collections.Counter(r["outcome"] for r in rows)
    resolved = outcomes["files"] + outcomes["local"]
    print(f"tokio: {len(rows)} internal paths (uses and paths in code), "
          f"{resolved} resolve to a file ({resolved / len(rows):.2%}); outcomes {dict(outcomes)}")
    checked = collections.Counter()
    examples = []
    for r in rows:
        if r["outcome"] != "files":
            continue
        target = r["targets"][0]
        text = open(os.path.join(root, target), encoding="utf-8", errors="replace").read()
        segments = [s for s in r["specifier"].split("::") if s not in ("crate", "self", "super")]
        stem = target[:-3].split("/")
        if stem[-1] == "mod":
            stem.pop()
        # The path names the target module itself (or a parent: `use super::*`)?
        if not segments or segments[-1] == stem[-1]:
            checked["module"] += 1
            continue
        found = False
        for name in reversed(segments):
            pattern = r"\b(fn|struct|enum|trait|type|const|static|union|mod|macro_rules!)\s+" + re.escape(name) + r"\b" \
                      + r"|\buse\b[^;]*\b" + re.escape(name) + r"\b" + r"|\b" + re.escape(name) + r"\s*[:(,{]"
            if re.search(pattern, text):
                found = True
                break
        checked["item found in target" if found else "item not found in target"] += 1
        if not found and len(examples) < args.show:
            examples.append(f"{r['path']}:{r['line']} {r['specifier']} -> {target}")
    print(f"  checks of the resolved paths: {dict(checked)}")
    for e in examples:
        print(f"    {e}")
    rest = collections.Counter()
    for r in rows:
        if r["outcome"] not in ("files", "local"):
            rest[(r["outcome"], "::".join(r["specifier"].split("::")[:3]))] += 1
    for (outcome, key), n in rest.most_common(args.show):
        print(f"  {n:>5}  {outcome:<10} {key}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--show", type=int, default=12)
    args = ap.parse_args()
    php(args, os.path.join(args.bench_dir, "corpus", "php", "symfony"))
    rust(args, os.path.join(args.bench_dir, "corpus", "rust", "tokio"))


if __name__ == "__main__":
    main()
