#!/usr/bin/env python3
"""Recall and precision of `vantage routes` against a framework's own resolver.

    python3 bench/routes/compare.py ORACLE.json VANTAGE.json [--root-prefix X] [--strip-prefix Y] [--site-under DIR] [--skip-tests]

ORACLE.json: a list of {"method", "path", "view", "name"[, "outside"]} rows
from django_oracle.py, flask_oracle.py or fastapi_oracle.py. VANTAGE.json:
`vantage routes <root> --format json` (routes[].methods, .path,
.handler.symbol). Both become (method, path, view) triples; "*" on either
side matches any method, paths must be equal, views equal after the prefix
options (vantage names modules from the folder it analysed: run on
site-packages/lektor it may say `admin.modules.api.ping` for the oracle's
`lektor.admin.modules.api.ping`, so --root-prefix lektor).

Recall: in-application oracle rows (no "outside") that vantage found.
Precision: vantage rows that are in-application oracle rows, out of vantage
rows less those that match an outside oracle row by method and path (a
route to django.contrib.admin or RedirectView is right, but not counted).
--site-under keeps only vantage routes registered in files under DIR (the
package holds other apps: prefect's runner and worker servers), --skip-tests
drops those registered in test files (pgAdmin ships tests that build apps).
"""
import argparse
import collections
import json
import sys


def compatible(a, b):
    return a == b or a == "*" or b == "*"


def module_of(view):
    # The module part of a dotted view: before a capitalised class, a
    # `<locals>`, or else the last name.
    parts = (view or "?").split(".")
    for i, p in enumerate(parts):
        if p[:1].isupper() or p.startswith("<"):
            return ".".join(parts[: max(i, 1)])
    return ".".join(parts[:-1]) or parts[0]


def prefix_of(path):
    segs = [s for s in path.split("/") if s][:2]
    return "/" + "".join(s + "/" for s in segs)


def is_test(file):
    parts = file.split("/")
    name = parts[-1]
    return any(p in ("tests", "test") for p in parts[:-1]) or name.startswith("test_") or name == "conftest.py"


def load_vantage(path, args):
    doc = json.load(open(path))
    rows = []
    for r in doc["routes"]:
        site = (r.get("site") or {}).get("file") or ""
        if args.site_under and not site.startswith(args.site_under):
            continue
        if args.skip_tests and is_test(site):
            continue
        sym = (r.get("handler") or {}).get("symbol")
        if sym and args.strip_prefix and sym.startswith(args.strip_prefix + "."):
            sym = sym[len(args.strip_prefix) + 1 :]
        if sym and args.root_prefix and not sym.startswith(args.root_prefix + "."):
            sym = f"{args.root_prefix}.{sym}"
        for m in r["methods"]:
            rows.append((m, r["path"], sym))
    return sorted(set(rows), key=lambda t: (t[1], t[0], t[2] or ""))


def why(row, others):
    """How a row unmatched on the other side is near to it, for classifying."""
    m, path, view = row
    if any(p == path and compatible(m, om) for om, p, _ in others):
        views = sorted({v or "null" for om, p, v in others if p == path and compatible(m, om)})
        return "same path, view " + ", ".join(views)
    if any(p == path for _, p, _ in others):
        return "same path, methods " + ",".join(sorted({om for om, p, _ in others if p == path}))
    elsewhere = sorted({p for om, p, v in others if v == view and view and compatible(m, om)})
    if elsewhere:
        return "same view at " + ", ".join(elsewhere[:3]) + (" ..." if len(elsewhere) > 3 else "")
    return "absent"


def report(title, rows, others, group):
    print(f"\n== {title}: {len(rows)}")
    by = collections.defaultdict(list)
    for r in rows:
        by[group(r)].append(r)
    for key in sorted(by, key=lambda k: (-len(by[k]), k)):
        print(f"-- {key} ({len(by[key])})")
        for m, path, view in by[key]:
            print(f"   {m:6} {path}  {view or 'null'}  [{why((m, path, view), others)}]")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("oracle")
    ap.add_argument("vantage")
    ap.add_argument("--root-prefix", help="put X. in front of vantage's handler symbols")
    ap.add_argument("--strip-prefix", help="take Y. off vantage's handler symbols")
    ap.add_argument("--site-under", help="only vantage routes whose site.file starts with DIR")
    ap.add_argument("--skip-tests", action="store_true", help="drop vantage routes registered in test files (tests/, test_*.py)")
    args = ap.parse_args()

    oracle = json.load(open(args.oracle))
    inside = [(o["method"], o["path"], o["view"]) for o in oracle if not o.get("outside")]
    outside = [(o["method"], o["path"], o["view"]) for o in oracle if o.get("outside")]
    vantage = load_vantage(args.vantage, args)

    def found(o, rows):
        return any(p == o[1] and v == o[2] and compatible(m, o[0]) for m, p, v in rows)

    hits = [o for o in inside if found(o, vantage)]
    misses = [o for o in inside if not found(o, vantage)]
    # Vantage rows on an outside oracle route: right, but not the code's own.
    counted = [
        r for r in vantage if not any(p == r[1] and compatible(m, r[0]) for m, p, _ in outside) or found(r, inside)
    ]
    good = [r for r in counted if found(r, inside)]
    false = [r for r in counted if not found(r, inside)]

    report("missed (oracle rows vantage lacks), by view module", misses, vantage, lambda r: module_of(r[2]))
    report("false positives (vantage rows the oracle lacks), by path prefix", false, inside + outside, lambda r: prefix_of(r[1]))
    recall = len(hits) / len(inside) if inside else 1.0
    precision = len(good) / len(counted) if counted else 1.0
    print(f"\nrecall {recall:.3f} precision {precision:.3f} ({len(inside)} oracle, {len(counted)} vantage)")


if __name__ == "__main__":
    sys.exit(main())
