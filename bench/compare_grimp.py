#!/usr/bin/env python3
"""Compare vantage's Python import graph of Django with grimp's.

Runs `vantage graph --format json` on the Django package folder of the corpus
and `grimp.build_graph("django")` on the same files, maps vantage's file
edges to dotted module names, and reports precision and recall of the
module-to-module edges (both ends inside django), and every edge that only
one side has, with its import line.

    .bench/peers/venv/bin/python bench/compare_grimp.py [--bench-dir .bench]
        [--vantage target/release/vantage] [--show N] [--min-precision P --min-recall R]

Needs ../shared/bench/corpus.sh and ../shared/bench/peers.sh to have run.
Exit 1 when --min-precision / --min-recall are given and not met.
"""
import argparse
import json
import os
import subprocess
import sys


def module_name(path, package):
    """django/db/models/base.py -> django.db.models.base ; .../__init__.py -> the package."""
    stem = path[: -len(".pyi")] if path.endswith(".pyi") else path[: -len(".py")]
    parts = [package] + stem.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def vantage_edges(vantage, root, package, skip_kinds):
    out = subprocess.run(
        [vantage, "graph", root, "--format", "json", "--level", "file"],
        check=True, capture_output=True, text=True,
    ).stdout
    doc = json.loads(out)
    edges = {}
    for edge in doc["edges"]:
        if not (edge["from"].endswith((".py", ".pyi")) and edge["to"].endswith((".py", ".pyi"))):
            continue
        sites = [s for s in edge["sites"] if s["kind"] not in skip_kinds]
        if not sites:
            continue
        key = (module_name(edge["from"], package), module_name(edge["to"], package))
        edges.setdefault(key, []).extend(sites)
    return edges


def grimp_edges(package):
    import grimp

    graph = grimp.build_graph(package, cache_dir=None)
    edges = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            edges.add((importer, imported))
    return graph, edges


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--show", type=int, default=15, help="differences listed per side")
    ap.add_argument("--include-dynamic", action="store_true",
                    help="count importlib.import_module() edges (grimp does not see them)")
    ap.add_argument("--min-precision", type=float)
    ap.add_argument("--min-recall", type=float)
    args = ap.parse_args()

    sdist = os.path.join(args.bench_dir, "corpus", "python", "django")
    root = os.path.join(sdist, "django")
    if not os.path.isdir(root):
        sys.exit(f"no Django corpus at {root}: run bash ../shared/bench/corpus.sh {args.bench_dir}")
    sys.path.insert(0, os.path.abspath(sdist))

    # grimp sees imports only: Django models named by strings are vantage's own.
    skip = {"model_ref"} if args.include_dynamic else {"dynamic", "model_ref"}
    ours = vantage_edges(args.vantage, root, "django", skip)
    graph, theirs = grimp_edges("django")

    ours_set = set(ours)
    both = ours_set & theirs
    precision = len(both) / len(ours_set) if ours_set else 1.0
    recall = len(both) / len(theirs) if theirs else 1.0
    print(f"django: vantage {len(ours_set)} edges, grimp {len(theirs)} edges, common {len(both)}")
    print(f"precision {precision:.4%}  recall {recall:.4%}" + ("" if args.include_dynamic else "  (dynamic imports excluded)"))

    only_ours = sorted(ours_set - theirs)
    only_theirs = sorted(theirs - ours_set)
    if only_ours:
        print(f"\nonly vantage ({len(only_ours)}):")
        for a, b in only_ours[: args.show]:
            sites = ", ".join(f"{s['path']}:{s['line']} {s['kind']} {s['specifier']}" for s in ours[(a, b)][:2])
            print(f"  {a} -> {b}   [{sites}]")
    if only_theirs:
        print(f"\nonly grimp ({len(only_theirs)}):")
        for a, b in only_theirs[: args.show]:
            details = graph.get_import_details(importer=a, imported=b)
            where = ", ".join(f"line {d['line_number']}: {d['line_contents']}" for d in details[:2])
            print(f"  {a} -> {b}   [{where}]")

    failed = (args.min_precision is not None and precision < args.min_precision) or (
        args.min_recall is not None and recall < args.min_recall
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
