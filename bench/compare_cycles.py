#!/usr/bin/env python3
"""Compare vantage's file-level cycles with the peers'.

- TypeScript (rxjs, and the TypeScript folder of the polyglot copy):
  dependency-cruiser marks every dependency that lies on a cycle
  (`circular: true`, type-only imports included with
  --ts-pre-compilation-deps): those edges must be exactly the edges inside
  vantage's components (cycles and type-only cycles together). madge
  --circular lists cycles it met (not all of them): each must lie inside one
  vantage component, and the files it names must cover them.
- Python (the Django package): the strongly connected components of grimp's
  import graph (every import, TYPE_CHECKING and function-level included),
  computed here with Tarjan's algorithm, must be vantage's components.

An edge vantage puts on a cycle and dependency-cruiser does not is printed
with the path that closes the cycle (dependency-cruiser's search for a cycle
through each dependency is not exhaustive); it counts as a difference only
when there is no such path.

    .bench/peers/venv/bin/python bench/compare_cycles.py [--bench-dir .bench] [--vantage target/release/vantage]

Exit 1 on any difference.
"""
import argparse
import json
import os
import subprocess
import sys

sys.setrecursionlimit(100000)


def vantage_components(vantage, root):
    out = subprocess.run([vantage, "cycles", root, "--format", "json"], check=True, capture_output=True, text=True).stdout
    return [set(c["members"]) for c in json.loads(out)["components"]]


def vantage_edges(vantage, root):
    out = subprocess.run([vantage, "graph", root, "--format", "json"], check=True, capture_output=True, text=True).stdout
    return {(e["from"], e["to"]) for e in json.loads(out)["edges"]}


def path(edges, start, goal):
    """A shortest path start -> ... -> goal over edges, or None."""
    succ = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
    parent, queue = {start: None}, [start]
    for node in queue:
        if node == goal:
            out = []
            while node is not None:
                out.append(node)
                node = parent[node]
            return out[::-1]
        for nxt in sorted(succ.get(node, ())):
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return None


def tarjan(nodes, edges):
    succ = {n: [] for n in nodes}
    for a, b in edges:
        succ[a].append(b)
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1 or (v, v) in edges:
                out.append(comp)

    for n in sorted(nodes):
        if n not in index:
            visit(n)
    return out


def compare_ts(args, folder):
    root = os.path.join(args.bench_dir, "corpus", folder)
    bin_dir = os.path.abspath(os.path.join(args.bench_dir, "peers", "npm", "node_modules", ".bin"))
    ok = True
    ours = vantage_components(args.vantage, root)
    edges = vantage_edges(args.vantage, root)
    inside = {(a, b) for a, b in edges if any(a in c and b in c for c in ours)}
    dc = json.loads(subprocess.run(
        [os.path.join(bin_dir, "depcruise"), "--no-config", "--output-type", "json", "--ts-pre-compilation-deps",
         "--ts-config", "tsconfig.json", "src"], cwd=root, check=True, capture_output=True, text=True).stdout)
    circular = {(m["source"], d["resolved"]) for m in dc["modules"] for d in m["dependencies"] if d.get("circular")}
    print(f"{folder}: vantage {len(ours)} components, {sum(map(len, ours))} files, {len(inside)} edges inside;"
          f" dependency-cruiser {len(circular)} circular dependencies")
    only_ours, only_theirs = inside - circular, circular - inside
    for a, b in sorted(only_ours):
        # An edge on a cycle has a path back: show it, so the difference can
        # be checked by reading the imports.
        back = path(edges, b, a)
        print(f"  only vantage: {a} -> {b}; path back: {' -> '.join(back) if back else 'none'}")
        ok &= back is not None
    for a, b in sorted(only_theirs):
        ok = False
        print(f"  only dependency-cruiser: {a} -> {b}")
    # madge exits 1 when it finds cycles.
    madge = json.loads(subprocess.run(
        [os.path.join(bin_dir, "madge"), "--circular", "--json", "--extensions", "ts,tsx,js,jsx,mjs,cjs",
         "--ts-config", "tsconfig.json", "src"], cwd=root, capture_output=True, text=True).stdout)
    madge = [{"src/" + f for f in cycle} for cycle in madge]
    outside = [c for c in madge if not any(c <= o for o in ours)]
    covered = set().union(*madge) if madge else set()
    print(f"  madge --circular: {len(madge)} cycles over {len(covered)} files; "
          f"{len(outside)} outside a vantage component; vantage files madge names in no cycle: "
          f"{sorted(set().union(*ours) - covered) if ours else []}")
    if outside:
        ok = False
    return ok


def compare_django(args):
    sdist = os.path.join(args.bench_dir, "corpus", "python", "django")
    sys.path.insert(0, os.path.abspath(sdist))
    import grimp

    graph = grimp.build_graph("django", cache_dir=None)
    edges = {(a, b) for a in graph.modules for b in graph.find_modules_directly_imported_by(a)}
    theirs = {frozenset(c) for c in tarjan(graph.modules, edges)}

    def name(path):
        stem = path[:-3]
        parts = ["django"] + stem.split("/")
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    ours = {frozenset(name(p) for p in c if p.endswith(".py")) for c in vantage_components(args.vantage, os.path.join(sdist, "django"))}
    ours = {c for c in ours if c}
    print(f"django: vantage {len(ours)} components ({sum(map(len, ours))} modules), "
          f"grimp graph {len(theirs)} components ({sum(map(len, theirs))} modules), identical: {ours == theirs}")
    for label, diff in (("only vantage", ours - theirs), ("only grimp", theirs - ours)):
        for c in sorted(diff, key=len):
            print(f"  {label}: {len(c)} modules: {sorted(c)[:6]}{' ...' if len(c) > 6 else ''}")
    return ours == theirs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    args = ap.parse_args()
    ok = compare_django(args)
    for folder in ("ts/rxjs", "mono/services/ts-rxjs"):
        ok &= compare_ts(args, folder)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
