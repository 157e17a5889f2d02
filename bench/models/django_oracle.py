#!/usr/bin/env python3
"""The models of a real Django project as Django itself sees them.

The oracle for `vantage models` on Django: it configures the project's
settings exactly as bench/routes/django_oracle.py does (same APPS table:
source root, sys.path entry, settings module, environment), runs
django.setup() and dumps every model whose class is defined under the
source root (registered ones from apps.get_models(), abstract ones read
off the imported modules) in the schema's shape (django_dump.py):
symbol = __module__ + "." + __qualname__, file relative to the root,
table, primary_key, parents, fields, relations, indexes. Nothing is served
and no database is touched (setup imports the models, it does not connect).

    .bench/routes/venv/label-studio/bin/python bench/models/django_oracle.py [--app label-studio] > .bench/models/label-studio-oracle.json

Extra keys beyond the schema: "_file" (where an inherited field is written:
absolute when outside the root, e.g. django.contrib.auth's AbstractUser),
"_target_model" (Django's resolved target, always a symbol) and
"_target_written" on relations, "proxy": true on proxy models.
Disagreements between the source text and Django (see django_dump.py) go
to stderr with the counts.
"""
import argparse
import importlib.util
import json
import os
import sys
import sysconfig

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the repository

# The routes oracle's per-project settings, loaded under another module name
# (this file has the same name).
_spec = importlib.util.spec_from_file_location("routes_django_oracle", os.path.join(HERE, "..", "routes", "django_oracle.py"))
routes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(routes)
APPS = routes.APPS
BENCH = routes.BENCH  # .bench/routes: the venvs and the projects' data dirs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", default="label-studio", choices=sorted(APPS))
    args = ap.parse_args()
    app = APPS[args.app]

    site = sysconfig.get_paths()["purelib"]
    root = os.path.realpath(os.path.join(site, app["root"]))
    sys.path.insert(0, os.path.join(site, app["path"]))
    data = os.path.join(BENCH, "data", args.app)
    os.makedirs(data, exist_ok=True)
    os.environ.setdefault("BASE_DATA_DIR", data)
    for k, v in app["env"].items():
        os.environ.setdefault(k, v)
    os.environ["DJANGO_SETTINGS_MODULE"] = app["settings"]

    import django

    django.setup()
    # A served application loads its URL configuration, and with it the
    # views that import the remaining model modules (Label Studio's
    # local-files storage): the registry a request sees.
    from django.urls import get_resolver

    get_resolver().url_patterns
    import django_dump

    models, problems = django_dump.dump(root)
    json.dump({"version": 1, "root": root, "models": models}, sys.stdout, indent=1)
    print()
    for file, line, msg in problems:
        print(f"problem: {file}:{line}: {msg}", file=sys.stderr)
    nf = sum(len(m["fields"]) for m in models)
    nr = sum(len(m["relations"]) for m in models)
    ni = sum(len(m["indexes"]) for m in models)
    na = sum(1 for m in models if m["abstract"])
    print(f"{args.app}: {len(models)} models ({na} abstract), {nf} fields, {nr} relations, {ni} indexes", file=sys.stderr)


if __name__ == "__main__":
    main()
