#!/usr/bin/env python3
"""Compare vantage's TypeScript/JavaScript file graph with dependency-cruiser's and madge's.

For a folder of the corpus (default ts/rxjs): runs `vantage graph --format
json`, `depcruise --output-type json --ts-pre-compilation-deps` (type-only
imports included) and `madge --json`, keeps the edges between files of the
folder, and reports precision and recall of vantage against each, with the
edges only one side has.

    python3 bench/compare_ts.py [--bench-dir .bench] [--folder ts/rxjs] [--src src]
        [--vantage target/release/vantage] [--show N] [--min-precision P --min-recall R]

Needs ../shared/bench/corpus.sh and ../shared/bench/peers.sh to have run.
"""
import argparse
import json
import os
import subprocess
import sys

CODE = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def vantage_edges(vantage, root, src):
    doc = json.loads(subprocess.run([vantage, "graph", root, "--format", "json"],
                                    check=True, capture_output=True, text=True).stdout)
    edges = {}
    prefix = src.rstrip("/") + "/" if src else ""
    for e in doc["edges"]:
        if e["from"].startswith(prefix) and e["to"].startswith(prefix) and e["from"].endswith(CODE) and e["to"].endswith(CODE):
            edges[(e["from"], e["to"])] = e["sites"]
    return edges


def depcruise_edges(bin_dir, root, src):
    out = subprocess.run(
        [os.path.join(bin_dir, "depcruise"), "--no-config", "--output-type", "json",
         "--ts-pre-compilation-deps", "--ts-config", "tsconfig.json", src],
        cwd=root, check=True, capture_output=True, text=True).stdout
    edges = set()
    for m in json.loads(out)["modules"]:
        for d in m["dependencies"]:
            if not d.get("couldNotResolve") and not d.get("coreModule") and d["resolved"].startswith(src) \
                    and d["resolved"].endswith(CODE):
                edges.add((m["source"], d["resolved"]))
    return edges


def madge_edges(bin_dir, root, src):
    out = subprocess.run(
        [os.path.join(bin_dir, "madge"), "--json", "--extensions", "ts,tsx,js,jsx,mjs,cjs",
         "--ts-config", "tsconfig.json", src],
        cwd=root, check=True, capture_output=True, text=True).stdout
    edges = set()
    base = src.rstrip("/") + "/"
    for source, deps in json.loads(out).items():
        for d in deps:
            if d.endswith(CODE):
                edges.add((base + source, base + d))
    return edges


def report(name, ours, theirs, show):
    ours_set = set(ours)
    both = ours_set & theirs
    precision = len(both) / len(ours_set) if ours_set else 1.0
    recall = len(both) / len(theirs) if theirs else 1.0
    print(f"vs {name}: vantage {len(ours_set)} edges, {name} {len(theirs)}, common {len(both)}: "
          f"precision {precision:.2%} recall {recall:.2%}")
    for label, diff in (("only vantage", sorted(ours_set - theirs)), (f"only {name}", sorted(theirs - ours_set))):
        if diff:
            print(f"  {label} ({len(diff)}):")
            for a, b in diff[:show]:
                sites = ours.get((a, b))
                where = "" if not sites else "  [" + ", ".join(f"{s['line']} {s['kind']} {s['specifier']}" for s in sites[:2]) + "]"
                print(f"    {a} -> {b}{where}")
    return precision, recall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--folder", default="ts/rxjs")
    ap.add_argument("--src", default="src", help="the source folder inside --folder the peers are pointed at")
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--show", type=int, default=15)
    ap.add_argument("--min-precision", type=float)
    ap.add_argument("--min-recall", type=float)
    args = ap.parse_args()
    root = os.path.join(args.bench_dir, "corpus", args.folder)
    bin_dir = os.path.abspath(os.path.join(args.bench_dir, "peers", "npm", "node_modules", ".bin"))
    if not os.path.isdir(root):
        sys.exit(f"no corpus folder {root}: run bash ../shared/bench/corpus.sh {args.bench_dir}")
    if not os.path.exists(os.path.join(bin_dir, "depcruise")):
        sys.exit(f"no peers in {bin_dir}: run bash ../shared/bench/peers.sh {args.bench_dir}")
    ours = vantage_edges(args.vantage, root, args.src)
    results = [report("dependency-cruiser", ours, depcruise_edges(bin_dir, root, args.src), args.show),
               report("madge", ours, madge_edges(bin_dir, root, args.src), args.show)]
    failed = any((args.min_precision is not None and p < args.min_precision) or
                 (args.min_recall is not None and r < args.min_recall) for p, r in results)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
