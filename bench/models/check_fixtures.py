#!/usr/bin/env python3
"""The hand-written expected.json of fixtures/models/* against the ORMs themselves.

Each fixture is loaded by its ORM in a child process of its own (its folder
on sys.path):
  * Django: DJANGO_SETTINGS_MODULE from the fixture's manage.py,
    django.setup(), Django's system checks (any message is a disagreement),
    then apps.get_models() and the abstract models of the fixture's modules
    read through _meta (django_dump.py);
  * SQLAlchemy: every top-level package of the fixture imported, mappers
    configured, every declarative base's metadata created on an in-memory
    SQLite database (the DDL must be valid), then the registries' mappers
    read through their tables and relationships (sqlalchemy_dump.py);
  * Flask-SQLAlchemy (a fixture whose code imports flask_sqlalchemy): every
    module of the fixture's packages imported, a Flask app made with an
    in-memory SQLite database, each `SQLAlchemy()` object of the fixture
    attached with `init_app`, then inside an app context `db.create_all()`
    (the DDL must be valid) and `db.Model.registry.mappers` read as for
    SQLAlchemy (the tables, named by Flask-SQLAlchemy, are those of
    `db.metadata`).

The ORM's answer is put in the schema's shape and compared with
expected.json key by key: models by symbol, fields / relations / indexes
in order. Exact everywhere, except a SQLAlchemy field's "type", which the
schema wants as written (`String`, `int`): it must equal the type written in
the source and be compatible with SQLAlchemy's (the written name is in the
column type's class hierarchy, or is its python_type: `int` for Integer).
Lines, and the text of arguments kept as written, are read from the source
and cross-checked with what the ORM resolved (a `to=`, `through=`,
`secondary=` or `related_name=` that does not resolve to the ORM's object is
a disagreement too).

    .bench/fixture-venv/bin/python bench/models/check_fixtures.py [fixture ...]

Prints each disagreement as file:line, exits 1 when there is one.
"""
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ROOT / "fixtures" / "models"
VENV_PYTHON = ROOT / ".bench" / "fixture-venv" / "bin" / "python"

MODEL_KEYS = ["name", "orm", "table", "abstract", "file", "line", "primary_key", "parents"]
FIELD_KEYS = ["type", "line", "primary_key", "unique", "index", "null", "references", "inherited_from"]
RELATION_KEYS = ["kind", "type", "target", "resolved", "line", "column", "through", "related_name", "index", "inherited_from"]
INDEX_KEYS = ["name", "fields", "unique", "line"]


def python_orm(folder):
    """A fixture of this checker: its expected models are Django or SQLAlchemy ones."""
    try:
        models = json.loads((folder / "expected.json").read_text())["models"]
    except (OSError, ValueError, KeyError):
        return False
    return bool(models) and all(m.get("orm") in ("django", "sqlalchemy") for m in models)


def orm_of(folder):
    if (folder / "manage.py").exists():
        return "django"
    for path in sorted(folder.rglob("*.py")):
        if re.search(r"^\s*(from|import)\s+flask_sqlalchemy\b", path.read_text(), re.M):
            return "flask_sqlalchemy"
    return "sqlalchemy"


# ---------------------------------------------------------------- the child

def child(folder):
    folder = Path(folder).resolve()
    sys.path.insert(0, str(folder))
    sys.path.insert(0, str(HERE))
    problems = []
    if orm_of(folder) == "django":
        text = (folder / "manage.py").read_text()
        settings = re.search(r"DJANGO_SETTINGS_MODULE['\"],\s*['\"]([\w.]+)", text).group(1)
        os.environ["DJANGO_SETTINGS_MODULE"] = settings
        import django

        django.setup()
        from django.core import checks

        for msg in checks.run_checks():
            obj = getattr(msg, "obj", None)
            problems.append((None, None, f"Django check {msg.id}: {obj}: {msg.msg}"))
        import django_dump

        models, more = django_dump.dump(folder)
    elif orm_of(folder) == "flask_sqlalchemy":
        models, more = _flask_sqlalchemy(folder)
    else:
        for pkg in sorted(folder.iterdir()):
            if (pkg / "__init__.py").exists():
                importlib.import_module(pkg.name)
        import sqlalchemy_dump
        from sqlalchemy import create_engine

        models, more = sqlalchemy_dump.dump(folder)
        engine = create_engine("sqlite://")
        for base in _bases(folder):
            base.metadata.create_all(engine)  # the DDL SQLAlchemy emits must be accepted
    json.dump({"models": models, "problems": problems + more}, sys.stdout)


def _flask_sqlalchemy(folder):
    """Flask-SQLAlchemy's view: the app made, `init_app`, then the models of
    `db.Model.registry` read inside an app context."""
    import pkgutil

    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    for pkg in sorted(folder.iterdir()):
        if (pkg / "__init__.py").exists():
            importlib.import_module(pkg.name)
            for info in pkgutil.walk_packages([str(pkg)], prefix=pkg.name + "."):
                importlib.import_module(info.name)
    dbs = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and os.path.realpath(path).startswith(str(folder) + os.sep):
            for obj in vars(module).values():
                if isinstance(obj, SQLAlchemy) and obj not in dbs:
                    dbs.append(obj)
    if not dbs:
        raise SystemExit("no flask_sqlalchemy.SQLAlchemy() object in the fixture")
    app = Flask("fixture_check")
    app.config.update(SQLALCHEMY_DATABASE_URI="sqlite://", TESTING=True)
    for db in dbs:
        db.init_app(app)
    import sqlalchemy_dump

    problems = []
    with app.app_context():
        for db in dbs:
            db.create_all()  # the DDL Flask-SQLAlchemy emits must be accepted
        models, more = sqlalchemy_dump.dump(folder, bases=[db.Model for db in dbs])
        tables = {t for db in dbs for t in db.metadata.tables}
        for m in models:
            if m["table"] is not None and m["table"] not in tables:
                problems.append((m["file"], m["line"], f"{m['symbol']}: table {m['table']} not in db.metadata"))
    return models, problems + more


def _bases(folder):
    from sqlalchemy.orm import registry

    seen = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and os.path.realpath(path).startswith(str(folder) + os.sep):
            for obj in vars(module).values():
                if isinstance(obj, type) and isinstance(obj.__dict__.get("registry"), registry) and obj not in seen:
                    seen.append(obj)
    return seen


# --------------------------------------------------------------- the parent

class Report:
    def __init__(self, name):
        self.name = name
        self.lines = []

    def add(self, file, line, msg):
        where = f"fixtures/models/{self.name}/{file}" if file else f"fixtures/models/{self.name}"
        if line:
            where += f":{line}"
        self.lines.append(f"{where}: {msg}")


def type_ok(exp, got):
    """A SQLAlchemy type as written: equal to the source's, compatible with the ORM's."""
    if exp != got.get("_type_written"):
        return f"type {exp!r}, written {got.get('_type_written')!r}"
    if exp in got["_type_names"] or exp == got["_python_type"]:
        return None
    return f"type {exp!r} is not SQLAlchemy's {got['type']} (python type {got['_python_type']})"


def compare_list(report, owner, kind, expected, got, keys, key_name, default_file, loose_type):
    """Fields / relations / indexes of one model, in order."""
    def ident(item):
        return item[key_name] if key_name else (item.get("name"), tuple(item.get("fields", ())))

    exp_ids = [ident(x) for x in expected]
    got_ids = [ident(x) for x in got]
    if exp_ids != got_ids:
        missing = [i for i in exp_ids if i not in got_ids]
        extra = [i for i in got_ids if i not in exp_ids]
        if missing:
            report.add(default_file[0], default_file[1], f"{owner}: {kind} {missing} expected, the ORM has none such")
        if extra:
            report.add(default_file[0], default_file[1], f"{owner}: {kind} {extra} in the ORM, not in expected.json")
        if not missing and not extra:
            report.add(default_file[0], default_file[1], f"{owner}: {kind} order {exp_ids}, the ORM's (declared) order {got_ids}")
    by_id = {ident(x): x for x in got}
    for e in expected:
        g = by_id.get(ident(e))
        if g is None:
            continue
        file = g.get("_file") or default_file[0]
        line = e.get("line") or default_file[1]
        label = f"{owner}.{e[key_name]}" if key_name else f"{owner} index {e.get('name') or e.get('fields')}"
        for k in keys:
            if k == "type" and loose_type:
                msg = type_ok(e.get(k), g)
                if msg:
                    report.add(file, line, f"{label}: {msg}")
                continue
            if e.get(k, "<absent>") != g.get(k):
                report.add(file, line, f"{label}: {k} expected {e.get(k, '<absent>')!r}, ORM says {g.get(k)!r}")
        schema_keys = set(keys) | ({key_name} if key_name else set())
        for k in e:
            if k not in schema_keys:
                report.add(file, line, f"{label}: key {k!r} is not in the schema")


def check(name):
    folder = FIXTURES / name
    report = Report(name)
    expected = json.loads((folder / "expected.json").read_text())
    if set(expected) != {"version", "models"} or expected["version"] != 1:
        report.add("expected.json", None, "must hold exactly {version: 1, models: [...]}")
    proc = subprocess.run(
        [str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable), "-W", "ignore", __file__, "--child", str(folder)],
        capture_output=True, text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},  # no __pycache__ in the fixtures
    )
    if proc.returncode != 0:
        report.add(None, None, "the ORM could not load the fixture:\n" + proc.stderr[-3000:])
        return report
    out = json.loads(proc.stdout)
    for file, line, msg in out["problems"]:
        report.add(file, line, msg)
    loose = orm_of(folder) in ("sqlalchemy", "flask_sqlalchemy")
    got = {m["symbol"]: m for m in out["models"]}
    exp_syms = [m["symbol"] for m in expected["models"]]
    for sym in got:
        if sym not in exp_syms:
            m = got[sym]
            report.add(m["file"], m["line"], f"model {sym} in the ORM, not in expected.json")
    order = [(m["file"], m["line"]) for m in expected["models"]]
    if order != sorted(order):
        report.add("expected.json", None, "models are not sorted by (file, line)")
    for e in expected["models"]:
        g = got.get(e["symbol"])
        if g is None:
            report.add(e.get("file"), e.get("line"), f"model {e['symbol']} expected, the ORM has none such")
            continue
        where = (e.get("file"), e.get("line"))
        for k in MODEL_KEYS:
            if e.get(k, "<absent>") != g.get(k):
                report.add(*where, f"{e['symbol']}: {k} expected {e.get(k, '<absent>')!r}, ORM says {g.get(k)!r}")
        extra_keys = set(e) - set(MODEL_KEYS) - {"symbol", "fields", "relations", "indexes"}
        if extra_keys:
            report.add(*where, f"{e['symbol']}: keys {sorted(extra_keys)} are not in the schema (or not for fixtures)")
        owner = e["name"]
        compare_list(report, owner, "fields", e.get("fields", []), g["fields"], FIELD_KEYS, "name", where, loose)
        compare_list(report, owner, "relations", e.get("relations", []), g["relations"], RELATION_KEYS, "name", where, False)
        compare_list(report, owner, "indexes", e.get("indexes", []), g["indexes"], INDEX_KEYS, None, where, False)
        lines = [i["line"] for i in e.get("indexes", [])]
        if lines != sorted(lines, key=lambda x: x or 0):
            report.add(*where, f"{owner}: indexes not in declared order")
    return report


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    names = sys.argv[1:] or sorted(p.name for p in FIXTURES.iterdir() if python_orm(p))
    bad = 0
    for name in names:
        report = check(name)
        expected = json.loads((FIXTURES / name / "expected.json").read_text())
        n = len(expected["models"])
        nf = sum(len(m.get("fields", [])) for m in expected["models"])
        nr = sum(len(m.get("relations", [])) for m in expected["models"])
        ni = sum(len(m.get("indexes", [])) for m in expected["models"])
        status = "ok" if not report.lines else f"{len(report.lines)} disagreement(s)"
        print(f"{name} ({orm_of(FIXTURES / name)}): {n} models, {nf} fields, {nr} relations, {ni} indexes: {status}")
        for line in report.lines:
            print("  " + line)
        bad += len(report.lines)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
