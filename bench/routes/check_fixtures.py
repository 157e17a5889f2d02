#!/usr/bin/env python3
"""The hand-written expected.json of fixtures/routes/* against the frameworks' own resolvers.

Each fixture app is imported (its folder on sys.path, in a child process of
its own) and its framework is asked what it serves: Django's get_resolver()
walked recursively, Flask's app.url_map, FastAPI's app.routes. The answer is
put in the terms of the `vantage routes` JSON spec:
regex anchors removed and "/" in front, DRF's format-suffix twins and API
root left out, HEAD and OPTIONS left out unless the fixture defines them,
"*" for a Django function view that no require_http_methods restricts (the
restriction is read from the decorator's closure).

Compared, per fixture:
  * (method, path, handler.symbol) triples, one per method of a route;
  * handler.method (the class's method serving that HTTP method, when the
    fixture defines it) and name (Django name / DRF's generated name, Flask
    endpoint, FastAPI name= when written);
  * guards: a route with guards must refuse an anonymous request (401/403,
    or Django's redirect to LOGIN_URL), one without must not;
  * what a `dynamic` registration yields at runtime: those triples must be
    absent from `routes`, and the dynamic entry present;
  * every file:line of expected.json against the source (the first line of a
    handler, the decorator or registration call of a site, the guard's name
    on a guard's line).

    .bench/fixture-venv/bin/python bench/routes/check_fixtures.py [fixture ...]

Prints the differences; exit 1 when there is one.
"""
import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "routes"
VENV_PYTHON = ROOT / ".bench" / "fixture-venv" / "bin" / "python"
HTTP = ["get", "post", "put", "patch", "delete"]
EXTRA_HTTP = ["head", "options", "trace"]  # listed only when the fixture defines them

# What each `dynamic` registration of a fixture yields at runtime: the view it
# registers. Its triples must be absent from `routes`, and a `dynamic` entry
# must point at its file, on a line naming the view.
DYNAMIC = {
    "django_shop": [{"file": "orders/urls.py", "symbol": "orders.views.export_orders"}],
}

# Sample values for the regex groups of Django paths (guard probes only).
REGEX_SAMPLES = {"pk": "1", "tracking_code": "ABCDEFGHIJ", "order_id": "7"}
CONVERTER_SAMPLES = {"int": "1", "slug": "2024-05-01", "str": "abc", "path": "a/b",
                     "uuid": "12345678-1234-5678-1234-567812345678"}


# ---------------------------------------------------------------- the child

def symbol_of(obj):
    return f"{obj.__module__}.{obj.__qualname__.replace('.<locals>', '')}"


def in_fixture(obj, folder):
    import inspect
    try:
        src = inspect.getsourcefile(obj)
    except TypeError:
        return False
    return bool(src) and Path(src).resolve().is_relative_to(folder)


def method_symbol(cls, attr, folder):
    fn = getattr(cls, attr, None)
    if fn is None or not in_fixture(fn, folder):
        return None
    return symbol_of(fn)


def class_methods(cls, folder):
    """The HTTP methods a class-based view answers, with the method serving each."""
    out = []
    for m in HTTP:
        if hasattr(cls, m):
            out.append((m.upper(), method_symbol(cls, m, folder)))
    for m in EXTRA_HTTP:
        if hasattr(cls, m) and in_fixture(getattr(cls, m), folder):
            out.append((m.upper(), method_symbol(cls, m, folder)))
    return out


def strip_anchors(part):
    part = re.sub(r"^(\^|\\A)", "", part)
    part = re.sub(r"(?<!\\)(\$|\\Z)$", "", part)
    return part


def sample_url(path):
    def conv(m):
        kind = m.group(1) or "str"
        return CONVERTER_SAMPLES[kind]
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: REGEX_SAMPLES[m.group(1)], path)
    return re.sub(r"<(?:(\w+):)?(\w+)>", conv, url)


def django_child(folder):
    import logging
    os.environ["DJANGO_SETTINGS_MODULE"] = "shop_site.settings"
    import django
    django.setup()
    logging.disable(logging.CRITICAL)
    from django.core.management import call_command
    call_command("migrate", run_syncdb=True, verbosity=0)  # tables, so that an unguarded view answers
    from django.conf import settings
    from django.test import Client
    from django.urls import URLResolver, get_resolver, resolve

    def walk(patterns, parts):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, parts + [str(p.pattern)])
            else:
                yield parts + [str(p.pattern)], p

    client = Client(raise_request_exception=False)
    rows = []
    for parts, pattern in walk(get_resolver().url_patterns, []):
        if any("(?P<format>" in s or ":format>" in s for s in parts):
            continue  # DRF's format-suffix twin
        if pattern.name == "api-root":
            continue  # DRF DefaultRouter's API root
        path = "/" + "".join(strip_anchors(s) for s in parts)
        cb = pattern.callback
        actions = getattr(cb, "actions", None)
        if actions:  # a DRF viewset, routed by a router
            cls = cb.cls
            served = [(m.upper(), method_symbol(cls, action, folder)) for m, action in actions.items()]
            symbol = symbol_of(cls)
        elif hasattr(cb, "view_class") or hasattr(cb, "cls"):
            cls = getattr(cb, "view_class", None) or cb.cls
            served = class_methods(cls, folder)
            symbol = symbol_of(cls)
        else:
            fn, allowed = cb, None
            while True:
                if "request_method_list" in fn.__code__.co_freevars:
                    cell = fn.__closure__[fn.__code__.co_freevars.index("request_method_list")]
                    listed = {m.upper() for m in cell.cell_contents}
                    allowed = listed if allowed is None else allowed & listed
                if not hasattr(fn, "__wrapped__"):
                    break
                fn = fn.__wrapped__
            symbol = symbol_of(fn)
            served = [(m, None) for m in sorted(allowed)] if allowed is not None else [("*", None)]
        url = sample_url(path)
        match = resolve(url)
        assert match.func is cb, f"sample {url} of {path} resolves elsewhere"
        for method, handler_method in served:
            response = client.generic("GET" if method == "*" else method, url)
            refused = response.status_code in (401, 403) or (
                response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL))
            rows.append({"method": method, "path": path, "symbol": symbol, "handler_method": handler_method,
                         "name": pattern.name, "refused": refused,
                         "probe": f"{'GET' if method == '*' else method} {url} -> {response.status_code}"})
    return rows


def flask_child(folder):
    from werkzeug.routing import IntegerConverter
    from flask_shop.app import create_app

    app = create_app({"TESTING": True})
    client = app.test_client()
    rows = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" and not in_fixture(view, folder):
            continue
        cls = getattr(view, "view_class", None)
        values = {name: (1 if isinstance(conv, IntegerConverter) else "abc")
                  for name, conv in rule._converters.items()}
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if cls is not None:
                symbol, handler_method = symbol_of(cls), method_symbol(cls, method.lower(), folder)
            else:
                fn = view
                while hasattr(fn, "__wrapped__"):
                    fn = fn.__wrapped__
                symbol, handler_method = symbol_of(fn), None
            response = client.open(url, method=method)
            rows.append({"method": method, "path": rule.rule, "symbol": symbol, "handler_method": handler_method,
                         "name": rule.endpoint, "refused": response.status_code in (401, 403),
                         "probe": f"{method} {url} -> {response.status_code}"})
    return rows


def fastapi_child(folder):
    from fastapi import routing
    from fastapi.testclient import TestClient
    from fastapi_shop.main import app

    if hasattr(routing, "iter_route_contexts"):
        # FastAPI >= 0.165 keeps an included router as one lazy _IncludedRouter
        # entry of app.routes; its routes, with the prefixes joined, come out
        # of iter_route_contexts (as they do for FastAPI's own OpenAPI).
        routes = [(c.original_route, c) for c in routing.iter_route_contexts(app.routes)]
    else:
        routes = [(r, r) for r in app.routes]
    client = TestClient(app, raise_server_exceptions=False)
    rows = []
    for original, route in routes:
        if not isinstance(original, routing.APIRoute):
            continue  # /openapi.json, /docs, /redoc: FastAPI's own
        url = re.sub(r"\{(\w+)(:\w+)?\}", "1", route.path)
        # name is compared only when written (name=): FastAPI's default is the function's name.
        name = None if route.name == route.endpoint.__name__ else route.name
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            response = client.request(method, url)
            rows.append({"method": method, "path": route.path, "symbol": symbol_of(route.endpoint),
                         "handler_method": None, "name": name, "refused": response.status_code in (401, 403),
                         "probe": f"{method} {url} -> {response.status_code}"})
    return rows


CHILDREN = {"django": django_child, "flask": flask_child, "fastapi": fastapi_child}


def child(fixture):
    sys.dont_write_bytecode = True  # no __pycache__ in the fixtures
    folder = (FIXTURES / fixture).resolve()
    sys.path.insert(0, str(folder))
    framework = fixture.split("_")[0]
    print(json.dumps(CHILDREN[framework](folder)))


# ---------------------------------------------------------------- the parent

def definitions(folder):
    """{symbol: line} of every def and class of the fixture's Python files: the
    first line of the definition, its decorators included (as vantage's symbol
    graph and Python's own co_firstlineno place a decorated definition)."""
    out = {}
    for file in folder.rglob("*.py"):
        rel = file.relative_to(folder).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        module = ".".join(parts)

        def visit(node, prefix):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    name = f"{prefix}.{child.name}"
                    first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                    out[name] = (str(file.relative_to(folder)), first)
                    visit(child, name)
                elif not isinstance(child, ast.expr):
                    visit(child, prefix)
        visit(ast.parse(file.read_text()), module)
    return out


def lint(folder, doc, framework):
    """Every file:line of expected.json against the source."""
    errors = []
    defs = definitions(folder)
    lines = {}

    def line_of(file, line):
        path = folder / file
        if not path.is_file():
            errors.append(f"{file}: no such file")
            return ""
        if file not in lines:
            lines[file] = path.read_text().splitlines()
        if not 1 <= line <= len(lines[file]):
            errors.append(f"{file}:{line}: no such line")
            return ""
        return lines[file][line - 1]

    seen = set()
    for r in doc["routes"]:
        where = f"{r['path']} {r['methods']}"
        if set(r) - {"methods", "path", "framework", "handler", "name", "site", "guards", "module"}:
            errors.append(f"{where}: unknown fields {set(r) - {'methods', 'path', 'framework', 'handler', 'name', 'site', 'guards', 'module'}}")
        if r["framework"] != framework:
            errors.append(f"{where}: framework {r['framework']}")
        if r["methods"] != sorted(r["methods"]) or any(m != m.upper() for m in r["methods"]) or not r["methods"]:
            errors.append(f"{where}: methods not uppercase and sorted")
        if "*" in r["methods"] and len(r["methods"]) > 1:
            errors.append(f"{where}: '*' with other methods")
        if not r["path"].startswith("/"):
            errors.append(f"{where}: path does not start with /")
        for m in r["methods"]:
            if (m, r["path"], r["handler"]["symbol"]) in seen:
                errors.append(f"{where}: triple listed twice")
            seen.add((m, r["path"], r["handler"]["symbol"]))
        h = r["handler"]
        if h is None:
            errors.append(f"{where}: handler null, but every view of the fixtures is in the repository")
            continue
        if defs.get(h["symbol"]) != (h["file"], h["line"]):
            errors.append(f"{where}: handler {h['symbol']} at {h['file']}:{h['line']}, "
                          f"the source defines it at {defs.get(h['symbol'])}")
        if h["method"] is not None and h["method"] not in defs:
            errors.append(f"{where}: handler.method {h['method']} is not defined in the fixture")
        site, last = r["site"], h["symbol"].rsplit(".", 1)[1]
        text = line_of(site["file"], site["line"]).strip()
        if text.startswith("@"):
            rest = lines[site["file"]][site["line"]:]
            following = next((s.strip() for s in rest if re.match(r"\s*(async\s+def|def|class)\s", s)), "")
            if not re.match(rf"(async\s+)?(def|class)\s+{last}\b", following):
                errors.append(f"{where}: site {site['file']}:{site['line']} decorates {following!r}, not {last}")
        elif not re.search(rf"\b{last}\b", text):
            errors.append(f"{where}: site {site['file']}:{site['line']} {text!r} does not name {last}")
        for g in r["guards"]:
            if g["on"] not in ("handler", "route", "group"):
                errors.append(f"{where}: guard on {g['on']!r}")
            guard_text = line_of(g["file"], g["line"])
            if g["name"] not in guard_text:
                errors.append(f"{where}: guard {g['name']} not written at {g['file']}:{g['line']}")
            elif guard_text.strip().startswith("@"):  # a decorator: of this very handler
                rest = lines[g["file"]][g["line"]:]
                following = next((s.strip() for s in rest if re.match(r"\s*(async\s+def|def|class)\s", s)), "")
                if not re.match(rf"(async\s+)?def\s+{last}\b", following):
                    errors.append(f"{where}: guard {g['name']} at {g['file']}:{g['line']} decorates {following!r}")
            if g["on"] == "route" and (g["file"], g["line"]) != (site["file"], site["line"]):
                errors.append(f"{where}: a route guard is written at the registration site")
    for d in doc["dynamic"]:
        if not line_of(d["file"], d["line"]).strip() or d["framework"] != framework or not d.get("reason"):
            errors.append(f"dynamic {d}: empty line, wrong framework or no reason")
    return errors


def check(fixture):
    folder = FIXTURES / fixture
    framework = fixture.split("_")[0]
    doc = json.loads((folder / "expected.json").read_text())
    errors = lint(folder, doc, framework)

    done = subprocess.run([sys.executable, __file__, "--child", fixture], capture_output=True, text=True, cwd=folder)
    if done.returncode != 0:
        return errors + [f"the {framework} child failed:\n{done.stderr}"], None
    actual = {}
    for row in json.loads(done.stdout):
        key = (row["method"], row["path"], row["symbol"])
        if key in actual:
            errors.append(f"the framework serves {key} twice")
        actual[key] = row

    for dyn in DYNAMIC.get(fixture, []):
        yielded = sorted(k for k in actual if k[2] == dyn["symbol"])
        for k in yielded:
            del actual[k]
        last = dyn["symbol"].rsplit(".", 1)[1]
        entries = [d for d in doc["dynamic"] if d["file"] == dyn["file"]
                   and last in (folder / d["file"]).read_text().splitlines()[d["line"] - 1]]
        if not entries:
            errors.append(f"no dynamic entry at {dyn['file']} on a line naming {last}")
        if not yielded:
            errors.append(f"the dynamic registration of {dyn['symbol']} yields nothing at runtime")
        print(f"  dynamic {dyn['file']}:{entries[0]['line'] if entries else '?'} yields at runtime: "
              + ", ".join(f"{m} {p}" for m, p, _ in yielded))
    dynamic_symbols = {d["symbol"] for d in DYNAMIC.get(fixture, [])}

    expected = {}
    for r in doc["routes"]:
        if r["handler"]["symbol"] in dynamic_symbols:
            errors.append(f"{r['path']}: a route of the dynamic registration is listed in routes")
        for m in r["methods"]:
            expected[(m, r["path"], r["handler"]["symbol"])] = r
    for key in sorted(set(expected) - set(actual)):
        errors.append(f"expected, not served: {key}")
    for key in sorted(set(actual) - set(expected)):
        errors.append(f"served, not expected: {key}")
    for key in sorted(set(actual) & set(expected)):
        r, row = expected[key], actual[key]
        if r["handler"]["method"] != row["handler_method"]:
            errors.append(f"{key}: handler.method {r['handler']['method']}, the framework {row['handler_method']}")
        if r["name"] != row["name"]:
            errors.append(f"{key}: name {r['name']!r}, the framework {row['name']!r}")
        if bool(r["guards"]) != row["refused"]:
            errors.append(f"{key}: guards {[g['name'] for g in r['guards']]}, anonymous {row['probe']}")
    guarded = sum(1 for k in expected if expected[k]["guards"])
    return errors, (len(doc["routes"]), len(expected), guarded, len(doc["dynamic"]))


def main(argv):
    if argv[:1] == ["--child"]:
        child(argv[1])
        return 0
    try:
        import django, fastapi, flask, flask_login, rest_framework  # noqa: F401
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve():
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *argv])
        sys.exit(f"needs django djangorestframework flask flask-login fastapi httpx; make {VENV_PYTHON.parent.parent}")
    failed = False
    # The Python fixtures; the TypeScript ones have check_fixtures_ts.mjs.
    python = sorted(p.name for p in FIXTURES.iterdir()
                    if (p / "expected.json").is_file() and p.name.split("_")[0] in CHILDREN)
    for fixture in argv or python:
        print(f"{fixture}:")
        errors, counts = check(fixture)
        for e in errors:
            print(f"  DIFF {e}")
        if counts:
            routes, triples, guarded, dynamic = counts
            print(f"  {routes} routes ({triples} method triples, {guarded} guarded), {dynamic} dynamic: "
                  + ("agree with the framework" if not errors else f"{len(errors)} differences"))
        failed |= bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
