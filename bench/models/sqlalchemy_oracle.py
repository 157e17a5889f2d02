#!/usr/bin/env python3
"""The mapped classes of a real SQLAlchemy project as SQLAlchemy itself sees them.

The oracle for `vantage models` on SQLAlchemy: it imports the project's
model modules, configures the mappers and dumps every mapped class (and
every `__abstract__ = True` class) defined under the source root in the
schema's shape (sqlalchemy_dump.py): symbol = __module__ + "." +
__qualname__, file relative to the root, table, primary_key, parents,
fields (columns), relations, indexes. Nothing is served and no database is
touched.

    .bench/routes/venv/prefect/bin/python bench/models/sqlalchemy_oracle.py [--app prefect] > .bench/models/prefect-oracle.json

Extra keys beyond the schema: "_file" (where an inherited column is
written), "_column" (the table column's name), "_type_written",
"_type_names" and "_python_type" on fields; "_direction" and "_uselist" on
relations. Disagreements between the source text and SQLAlchemy go to
stderr with the counts.
"""
import argparse
import importlib
import json
import os
import sys
import sysconfig

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the repository
BENCH = os.path.realpath(os.path.join(HERE, "..", "..", ".bench", "routes"))


def prefect():
    # Prefect's server ORM: one DeclarativeBase (orm_models.Base) with id /
    # created / updated columns and a declared_attr __tablename__ (snake case
    # of the class name). Its home stays in the bench folder, as for the
    # routes oracle; importing the module opens no database.
    os.environ.setdefault("PREFECT_HOME", os.path.join(BENCH, "data", "prefect"))
    importlib.import_module("prefect.server.database.orm_models")


# app: (source root inside site-packages, loader)
APPS = {"prefect": ("prefect", prefect)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--app", default="prefect", choices=sorted(APPS))
    args = ap.parse_args()
    root_name, load = APPS[args.app]
    root = os.path.realpath(os.path.join(sysconfig.get_paths()["purelib"], root_name))
    load()
    import sqlalchemy_dump

    models, problems = sqlalchemy_dump.dump(root)
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
