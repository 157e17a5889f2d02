#!/usr/bin/env python3
"""Compare vantage's impact sets on Django with grimp's find_downstream_modules.

For a few targets of the Django package, the files vantage finds impacted
(every depth, type-only imports included, as grimp counts them) are mapped
to dotted module names and compared with grimp's downstream modules (the
modules that import the target, directly or indirectly).

    .bench/peers/venv/bin/python bench/compare_impact.py [--bench-dir .bench] [--vantage target/release/vantage]

Exit 1 when a set differs.
"""
import argparse
import json
import os
import subprocess
import sys


def dotted(path):
    stem = path[:-3] if path.endswith(".py") else path
    parts = ["django"] + stem.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def vantage_impact(vantage, root, args):
    out = subprocess.run([vantage, "impact", root, "--format", "json", *args],
                         check=True, capture_output=True, text=True).stdout
    doc = json.loads(out)
    return doc, {dotted(i["path"]) for i in doc["impacted"] if i["path"].endswith(".py")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    args = ap.parse_args()
    sdist = os.path.join(args.bench_dir, "corpus", "python", "django")
    root = os.path.join(sdist, "django")
    sys.path.insert(0, os.path.abspath(sdist))
    import grimp

    graph = grimp.build_graph("django", cache_dir=None)
    ok = True
    cases = [
        ("--module django.db", ["--module", "django.db"], "django.db", True),
        ("--module django.http", ["--module", "django.http"], "django.http", True),
        ("--file db/models/query.py", ["--file", "db/models/query.py"], "django.db.models.query", False),
        ("--file utils/text.py", ["--file", "utils/text.py"], "django.utils.text", False),
        ("--file contrib/auth/models.py", ["--file", "contrib/auth/models.py"], "django.contrib.auth.models", False),
    ]
    for label, vantage_args, module, as_package in cases:
        doc, ours = vantage_impact(args.vantage, root, vantage_args)
        theirs = set(graph.find_downstream_modules(module, as_package=as_package))
        agree = ours == theirs
        ok &= agree
        print(f"{label}: vantage {len(ours)} modules, grimp find_downstream_modules({module!r}"
              f"{', as_package=True' if as_package else ''}) {len(theirs)}: "
              f"{'identical' if agree else 'differ'}")
        for name, diff in (("only vantage", ours - theirs), ("only grimp", theirs - ours)):
            if diff:
                print(f"  {name}: {sorted(diff)[:10]}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
