#!/usr/bin/env python3
"""Abstractness of Symfony's modules: vantage against PHP_Depend.

PHP_Depend 2.12 (Debian's `pdepend`) writes, per namespace, its concrete
and abstract classes (abstract classes and interfaces; traits are in
neither) with the file each lives in. Each class is put in the vantage
module of its file, and A = abstract / (concrete + abstract) is summed per
module and compared with `vantage coupling`'s A, types and abstract types.

    python3 bench/compare_pdepend.py [--bench-dir .bench] [--vantage target/release/vantage]

Needs `pdepend` (apt-get install pdepend). Exits 1 when a module differs.
"""
import argparse
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--show", type=int, default=10)
    args = ap.parse_args()
    root = os.path.abspath(os.path.join(args.bench_dir, "corpus", "php", "symfony"))
    if not os.path.isdir(root):
        sys.exit(f"no Symfony corpus at {root}: bash ../shared/bench/corpus.sh {args.bench_dir}")
    # One run per component: PHP_Depend stops at the first file its parser
    # cannot take, and that should cost one component, not the comparison.
    out_dir = os.path.join(args.bench_dir, "pdepend")
    os.makedirs(out_dir, exist_ok=True)
    trees, failed = {}, []
    for group in ("Bridge", "Bundle", "Component"):
        for name in sorted(os.listdir(os.path.join(root, "Symfony", group))):
            folder = os.path.join(root, "Symfony", group, name)
            if not os.path.isdir(folder):
                continue
            module = f"Symfony/{group}/{name}"
            xml_path = os.path.join(out_dir, f"{group}-{name}.xml")
            if not os.path.exists(xml_path):
                done = subprocess.run(["pdepend", f"--jdepend-xml={xml_path}", folder],
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    if os.path.exists(xml_path):
                        os.remove(xml_path)
                    error = next((line for line in done.stdout.splitlines() + done.stderr.splitlines()
                                  if "Fatal error" in line or "Exception" in line), "failed")
                    failed.append((module, error.strip()[:160]))
                    continue
            trees[module] = ET.parse(xml_path)

    graph = json.loads(subprocess.run(
        [args.vantage, "graph", root, "--format", "json", "--no-cache"],
        check=True, capture_output=True, text=True).stdout)
    module_of = {f["path"]: f["module"] for f in graph["files"]}
    coupling = json.loads(subprocess.run(
        [args.vantage, "coupling", root, "--format", "json", "--no-cache"],
        check=True, capture_output=True, text=True).stdout)

    theirs = {}  # module -> [abstract, total]
    unplaced = 0
    packages = [p for tree in trees.values() for p in tree.getroot().iter("Package")]
    for package in packages:
        for kind, abstract in (("ConcreteClasses", 0), ("AbstractClasses", 1)):
            for cls in package.findall(f"{kind}/Class"):
                path = os.path.relpath(cls.get("sourceFile"), root)
                module = module_of.get(path)
                if module is None:
                    unplaced += 1
                    continue
                counts = theirs.setdefault(module, [0, 0])
                counts[0] += abstract
                counts[1] += 1

    same, differ, compared = 0, [], 0
    for m in coupling["modules"]:
        name = m["name"]
        if name not in trees:
            continue
        compared += 1
        abstract, total = theirs.get(name, [0, 0])
        expected = round(abstract / total, 4) if total else None
        ours = m["abstractness"]
        if (ours, m["types"], m["abstract_types"]) == (expected, total, abstract):
            same += 1
        else:
            differ.append((name, m["types"], m["abstract_types"], ours, total, abstract, expected))
    print(f"Symfony: {len(coupling['modules'])} vantage modules, {len(trees)} components PHP_Depend read; "
          f"its classes in files vantage does not analyse: {unplaced}")
    for module, error in failed:
        print(f"  PHP_Depend failed on {module}: {error}")
    print(f"  A equal to PHP_Depend's, with the same counts: {same} of {compared} modules")
    for name, types, abstract, ours, total, theirs_abstract, expected in differ[: args.show]:
        print(f"    {name}: vantage {abstract}/{types} = {ours}; PHP_Depend {theirs_abstract}/{total} = {expected}")
    if len(differ) > args.show:
        print(f"    ... and {len(differ) - args.show} more")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
