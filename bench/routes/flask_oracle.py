#!/usr/bin/env python3
"""The endpoints of a real Flask application as Flask itself maps them.

The oracle for `vantage routes` on Flask: it builds the application with its
own factory and reads `app.url_map`, so blueprints registered in loops and
url_prefixes given at registration are as the running server would see them.
Run it with the venv of bench/routes/setup.sh:

    .bench/routes/venv/lektor/bin/python bench/routes/flask_oracle.py --app lektor > .bench/routes/lektor-oracle.json
    .bench/routes/venv/pgadmin4/bin/python bench/routes/flask_oracle.py --app pgadmin4 > .bench/routes/pgadmin4-oracle.json

Output: a sorted JSON list of {"method", "path", "view", "name"} rows (name:
the endpoint), "outside": true on rows whose view is not defined under the
application's source root. Flask's `static` endpoint is left out.
"""
import argparse
import inspect
import json
import os
import sys
import sysconfig

BENCH = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", ".bench", "routes"))


def lektor_admin():
    # Lektor's admin UI (`lektor server`) is a Flask app built around a
    # Lektor project: an empty one, made in the bench folder, is enough.
    from lektor.admin.webui import WebAdmin
    from lektor.project import Project

    site = os.path.join(BENCH, "data", "lektor", "site")
    os.makedirs(site, exist_ok=True)
    with open(os.path.join(site, "oracle.lektorproject"), "w") as f:
        f.write("[project]\nname = routes-oracle\n")
    env = Project.from_path(site).make_env(load_plugins=False)
    return WebAdmin(env, output_path=os.path.join(BENCH, "data", "lektor", "out"))


def pgadmin4():
    # pgAdmin 4 in desktop mode (what `pgadmin4` runs): its modules import as
    # `pgadmin.*` with site-packages/pgadmin4 on sys.path, as pgAdmin4.py
    # does. Settings come from a config_distro.py of ours (the package reads
    # CONFIG_DISTRO_FILE_PATH) so its sqlite DB and logs stay in the bench.
    import builtins

    data = os.path.join(BENCH, "data", "pgadmin4")
    os.makedirs(data, exist_ok=True)
    conf = os.path.join(data, "config_distro.py")
    with open(conf, "w") as f:
        f.write(f"SERVER_MODE = False\nDATA_DIR = {data!r}\nUPGRADE_CHECK_ENABLED = False\n")
    os.environ["CONFIG_DISTRO_FILE_PATH"] = conf
    sys.path.insert(0, os.path.join(sysconfig.get_paths()["purelib"], "pgadmin4"))
    builtins.SERVER_MODE = False
    import config  # noqa: F401  (first, as pgAdmin4.py: pgadmin.model needs it)
    from pgadmin import create_app

    return create_app()


# app: (source root inside site-packages, factory)
APPS = {"lektor": ("lektor", lektor_admin), "pgadmin4": ("pgadmin4", pgadmin4)}


def unwrap(fn):
    # Decorators made with functools.wraps keep the real function here.
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
    ap.add_argument("--app", required=True, choices=sorted(APPS))
    args = ap.parse_args()
    pkg, factory = APPS[args.app]
    root = os.path.realpath(os.path.join(sysconfig.get_paths()["purelib"], pkg))
    app = factory()

    rows = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        fn = app.view_functions[rule.endpoint]
        # MethodView / View.as_view(): the class is the view.
        view = getattr(fn, "view_class", None) or unwrap(fn)
        inside = source_file(view).startswith(root + os.sep)
        for m in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            row = {"method": m, "path": rule.rule, "view": f"{view.__module__}.{view.__qualname__.replace('.<locals>', '')}", "name": rule.endpoint}
            if not inside:
                row["outside"] = True
            rows.append(row)
    rows.sort(key=lambda r: (r["path"], r["method"], r["view"], r["name"]))
    json.dump(rows, sys.stdout, indent=1)
    print()
    n = sum(1 for r in rows if "outside" not in r)
    print(f"{args.app}: {len(rows)} rows, {n} in the application", file=sys.stderr)


if __name__ == "__main__":
    main()
