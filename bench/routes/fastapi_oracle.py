#!/usr/bin/env python3
"""The endpoints of a real FastAPI application as FastAPI itself routes them.

The oracle for `vantage routes` on FastAPI: it builds the application with its
own factory (never serves it) and walks its routes, through Starlette Mounts
(joining the mount path in front) and FastAPI's included routers. Run it
with the venv of bench/routes/setup.sh:

    .bench/routes/venv/prefect/bin/python bench/routes/fastapi_oracle.py [--app prefect] > .bench/routes/prefect-oracle.json

Output: a sorted JSON list of {"method", "path", "view", "name"} rows,
"outside": true on rows whose endpoint is not defined under the
application's source root (FastAPI's /docs, /openapi.json, ...).
"""
import argparse
import inspect
import json
import os
import sys
import sysconfig

BENCH = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", ".bench", "routes"))


def prefect_server():
    # `prefect server start` serves create_app(): the REST API mounted at
    # /api and the UI app at the root. Its home (sqlite DB, settings) stays
    # in the bench folder.
    os.environ.setdefault("PREFECT_HOME", os.path.join(BENCH, "data", "prefect"))
    from prefect.server.api.server import create_app

    return create_app()


# app: (source root inside site-packages, factory)
APPS = {"prefect": ("prefect", prefect_server)}


def routes_of(routes):
    """The routes a request can reach, included routers flattened.

    FastAPI >= 0.137 keeps `include_router()` as one _IncludedRouter entry;
    iter_route_contexts() gives its routes with the joined prefix, as the
    OpenAPI generator reads them. Older FastAPI copied them into app.routes.
    """
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:
        return list(routes)
    return list(iter_route_contexts(routes))


def walk(routes, prefix, out):
    from starlette.routing import Mount

    for r in routes_of(routes):
        original = getattr(r, "original_route", r)
        if isinstance(original, Mount):
            if original.routes:  # a sub-application or router, not StaticFiles
                walk(original.routes, prefix + r.path, out)
        elif getattr(r, "methods", None):  # Route / APIRoute (not websockets)
            out.append((prefix + r.path, r))


def unwrap(fn):
    while hasattr(fn, "__wrapped__"):
        fn = fn.__wrapped__
    return fn


def source_file(obj):
    try:
        return os.path.realpath(inspect.getsourcefile(obj) or "")
    except TypeError:
        return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", default="prefect", choices=sorted(APPS))
    args = ap.parse_args()
    pkg, factory = APPS[args.app]
    root = os.path.realpath(os.path.join(sysconfig.get_paths()["purelib"], pkg))
    found = []
    walk(factory().routes, "", found)

    out = set()
    for path, r in found:
        view = unwrap(r.endpoint)
        inside = source_file(view).startswith(root + os.sep)
        for m in r.methods - {"HEAD"}:  # Starlette adds HEAD to every GET
            out.add((path, m, f"{view.__module__}.{view.__qualname__.replace('.<locals>', '')}", r.name, inside))
    rows = [
        dict(method=m, path=p, view=v, name=n, **({} if inside else {"outside": True}))
        for p, m, v, n, inside in sorted(out)
    ]
    json.dump(rows, sys.stdout, indent=1)
    print()
    n = sum(1 for r in rows if "outside" not in r)
    print(f"{args.app}: {len(rows)} rows, {n} in the application", file=sys.stderr)


if __name__ == "__main__":
    main()
