#!/usr/bin/env python3
"""The endpoints of a real Django project as Django itself resolves them.

The oracle for `vantage routes` on Django: it configures the project's
settings, imports its ROOT_URLCONF and walks `django.urls.get_resolver()`,
so every include(), router and conditional in the urls modules is as the
running server would see it. (The oracle imports the project; vantage never
does.) Run it with the venv of bench/routes/setup.sh:

    .bench/routes/venv/label-studio/bin/python bench/routes/django_oracle.py [--app label-studio] > .bench/routes/label-studio-oracle.json

Output: a sorted JSON list of {"method", "path", "view", "name"} rows,
"outside": true on rows whose view is not defined under the project's
source root (django.contrib.admin, rest_framework, drf_spectacular, ...).
"""
import argparse
import inspect
import json
import os
import re
import sys
import sysconfig

# What each project needs before django.setup(): its source root (the folder
# vantage is run on), the sys.path entry its ROOT_URLCONF is imported from,
# its settings module and environment. Only env vars: no settings file is
# written into the installed package.
APPS = {
    "label-studio": {
        # Label Studio imports its apps as top-level packages (core, projects,
        # tasks, ...): server.py puts site-packages/label_studio on sys.path.
        "root": "label_studio",
        "path": "label_studio",
        "settings": "core.settings.label_studio",
        "env": {
            "DJANGO_DB": "sqlite",
            "SENTRY_DSN": "",  # no error reporting to the network
            "FRONTEND_SENTRY_DSN": "",
            "DEBUG": "false",  # DEBUG adds django-debug-toolbar's urls
            "LATEST_VERSION_CHECK": "false",  # no PyPI query at import
        },
    },
}

BENCH = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", ".bench", "routes"))
HTTP = ("get", "post", "put", "patch", "delete")
# Anchors only at either end of one level's pattern: the `^` of DRF's
# `[^/.]+` is a character class, not an anchor.
ANCHORS = re.compile(r"^(?:\^|\\A)|(?<!\\)(?:\$|\\Z)$")


def unwrap(fn):
    """The function the code names in its urls, under its decorators."""
    while True:
        if hasattr(fn, "__wrapped__"):  # decorators made with functools.wraps
            fn = fn.__wrapped__
            continue
        # A decorator's inner function without functools.wraps (Label
        # Studio's enforce_csrf_checks): the one function it closes over.
        if "<locals>" in getattr(fn, "__qualname__", "") and fn.__closure__:
            inner = [c.cell_contents for c in fn.__closure__ if inspect.isfunction(c.cell_contents)]
            if len(inner) == 1:
                fn = inner[0]
                continue
        return fn


def dotted(obj):
    """Named as the spec names definitions: a function defined inside another
    is `outer.inner` (no `.<locals>`); REST framework's @api_view class takes
    the decorated function's name (it copies __name__, not __qualname__)."""
    qualname = obj.__qualname__
    # A lambda has no definition to name: null, as an inline handler is.
    if "<lambda>" in qualname:
        return None
    if qualname.endswith("WrappedAPIView"):
        qualname = obj.__name__
    return f"{obj.__module__}.{qualname.replace('.<locals>', '')}"


def source_file(obj):
    try:
        return os.path.realpath(inspect.getsourcefile(obj) or "")
    except TypeError:  # builtins, functools.partial, ...
        return ""


def rows_of(callback):
    """(method, view object) pairs for one URLPattern's callback."""
    cls = getattr(callback, "cls", None)  # DRF's as_view() / as_view(actions)
    actions = getattr(callback, "actions", None)
    # View.dispatch answers 405 to a method outside http_method_names even
    # when the class (or a router action) has a handler for it.
    if cls is not None and actions:
        return [(m.upper(), cls) for m in sorted(actions) if m in cls.http_method_names]
    cls = cls or getattr(callback, "view_class", None)  # Django's as_view()
    if cls is not None:
        return [(m.upper(), cls) for m in HTTP if hasattr(cls, m) and m in cls.http_method_names]
    return [("*", unwrap(callback))]


def walk(patterns, prefix, out):
    from django.urls import URLPattern, URLResolver

    for p in patterns:
        route = prefix + ANCHORS.sub("", str(p.pattern))
        if isinstance(p, URLResolver):
            walk(p.url_patterns, route, out)
        elif isinstance(p, URLPattern):
            out.append((route, p))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", default="label-studio", choices=sorted(APPS))
    args = ap.parse_args()
    app = APPS[args.app]

    site = sysconfig.get_paths()["purelib"]
    root = os.path.realpath(os.path.join(site, app["root"]))
    sys.path.insert(0, os.path.join(site, app["path"]))
    # Keep the project's data directory (sqlite file, media, generated
    # secret key) in the git-ignored bench folder, not in $HOME.
    data = os.path.join(BENCH, "data", args.app)
    os.makedirs(data, exist_ok=True)
    os.environ.setdefault("BASE_DATA_DIR", data)
    for k, v in app["env"].items():
        os.environ.setdefault(k, v)
    os.environ["DJANGO_SETTINGS_MODULE"] = app["settings"]

    import django
    from django.urls import get_resolver

    django.setup()
    found = []
    walk(get_resolver().url_patterns, "", found)

    out = set()
    for route, p in found:
        if "(?P<format>" in route:  # DRF format_suffix_patterns twins
            continue
        for method, view in rows_of(p.callback):
            if view.__name__ == "APIRootView":  # DefaultRouter's API root
                continue
            inside = source_file(view).startswith(root + os.sep)
            out.add(("/" + route, method, dotted(view), p.name, inside))
    rows = [
        dict(method=m, path=path, view=v, name=n, **({} if inside else {"outside": True}))
        for path, m, v, n, inside in sorted(out, key=lambda r: (r[0], r[1], r[2], r[3] or ""))
    ]
    json.dump(rows, sys.stdout, indent=1)
    print()
    inside = sum(1 for r in rows if "outside" not in r)
    print(f"{args.app}: {len(rows)} rows, {inside} in the application", file=sys.stderr)


if __name__ == "__main__":
    main()
