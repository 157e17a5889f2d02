#!/usr/bin/env python3
"""Precision and recall of `vantage models` against an ORM's own view (an oracle).

    python3 bench/models/compare.py VANTAGE.json ORACLE.json [--root-prefix X] [--strip-prefix Y] [--attrs] [--max N]

VANTAGE.json: `vantage models <root> --format json`. ORACLE.json: the
output of django_oracle.py or sqlalchemy_oracle.py on the same root (both
in the schema of docs/output.md (the `vantage models` section), see bench/models/README.md).

Three sets of pairs are compared, each with precision, recall and the
items missed / found in excess, grouped by model:
  * models:    (model symbol, table)
  * fields:    (model symbol, field name)
  * relations: (model symbol, relation name, kind, target)
A relation's target matches when vantage's equals the oracle's target (the
model's symbol when it is defined under the root, else the text as written)
or, for Django, the text as written in the source (`settings.AUTH_USER_MODEL`
for a user model of the repository: the oracle resolves it, the schema
lets vantage keep the text) - counted apart as "matched as written".

Fields and relations the oracle says are inherited from a class outside the
root (django.contrib.auth's AbstractUser, PermissionsMixin) are left out on
both sides: vantage reads only the root. Also printed: the bare model
symbols' recall (is the model found at all), and with --attrs how often
matched fields agree on type / primary_key / unique / index / null /
references / inherited_from, and matched relations on column / through /
related_name / index.

--root-prefix X: vantage names modules from the folder it analysed; the
oracle from sys.path. Run on site-packages/prefect, vantage says
`server.database.orm_models.Flow` where the oracle says
`prefect.server.database.orm_models.Flow`: --root-prefix prefect.
--strip-prefix Y goes the other way (Y. taken off the oracle's names).
"""
import argparse
import collections
import json
import os
import sys


def load(path):
    with open(path) as f:
        doc = json.load(f)
    return doc["models"] if isinstance(doc, dict) else doc


class Names:
    def __init__(self, root_prefix, strip_prefix):
        self.add = root_prefix + "." if root_prefix else ""
        self.strip = strip_prefix + "." if strip_prefix else ""

    def vantage(self, sym):
        return self.add + sym if sym and self.add else sym

    def oracle(self, sym):
        if sym and self.strip and sym.startswith(self.strip):
            return sym[len(self.strip):]
        return sym


def outside(item):
    """An oracle field / relation written outside the analysed root."""
    f = item.get("_file")
    return bool(f) and os.path.isabs(f)


def pr(found, oracle_n, vantage_n):
    recall = found / oracle_n if oracle_n else 1.0
    precision = found / vantage_n if vantage_n else 1.0
    return recall, precision


def group(items, limit):
    by = collections.defaultdict(list)
    for model, rest in items:
        by[model].append(rest)
    lines = []
    for model in sorted(by):
        rest = by[model]
        shown = ", ".join(rest[:limit]) + (f", ... (+{len(rest) - limit})" if len(rest) > limit else "")
        lines.append(f"    {model}: {shown}")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vantage")
    ap.add_argument("oracle")
    ap.add_argument("--root-prefix", default="")
    ap.add_argument("--strip-prefix", default="")
    ap.add_argument("--attrs", action="store_true", help="also compare the attributes of matched fields / relations")
    ap.add_argument("--max", type=int, default=12, help="items shown per model")
    args = ap.parse_args()
    names = Names(args.root_prefix, args.strip_prefix)

    v_models = {}
    for m in load(args.vantage):
        sym = names.vantage(m["symbol"])
        v_models[sym] = m
    o_models = {}
    for m in load(args.oracle):
        o_models[names.oracle(m["symbol"])] = m

    def v_sym(s):
        return names.vantage(s)

    def o_sym(s):
        return names.oracle(s)

    out = []
    summary = []

    # ------------------------------------------------------------ models
    o_pairs = {(s, m.get("table")) for s, m in o_models.items()}
    v_pairs = {(s, m.get("table")) for s, m in v_models.items()}
    hit = o_pairs & v_pairs
    r, p = pr(len(hit), len(o_pairs), len(v_pairs))
    bare = len(set(o_models) & set(v_models))
    summary.append(f"models (symbol, table): recall {r:.3f} precision {p:.3f} ({len(hit)} of {len(o_pairs)} oracle, {len(v_pairs)} vantage); symbol alone: {bare}/{len(o_models)}")
    missed = []
    for s, t in sorted(o_pairs - v_pairs, key=lambda x: (x[0], str(x[1]))):
        near = f"vantage table {v_models[s].get('table')!r}" if s in v_models else "absent"
        missed.append((s, f"table {t!r} [{near}]"))
    extra = []
    for s, t in sorted(v_pairs - o_pairs, key=lambda x: (x[0], str(x[1]))):
        near = f"oracle table {o_models[s].get('table')!r}" if s in o_models else "not a model for the ORM"
        extra.append((s, f"table {t!r} [{near}]"))
    if missed:
        out.append("  models missed (oracle, not vantage):")
        out += group(missed, args.max)
    if extra:
        out.append("  models in excess (vantage, not oracle):")
        out += group(extra, args.max)

    # ------------------------------------------------------------ fields
    neutral_fields = set()
    o_fields = {}
    for s, m in o_models.items():
        for f in m.get("fields", []):
            if outside(f):
                neutral_fields.add((s, f["name"]))
            else:
                o_fields[(s, f["name"])] = f
    v_fields = {}
    for s, m in v_models.items():
        for f in m.get("fields", []):
            if (s, f["name"]) not in neutral_fields:
                v_fields[(s, f["name"])] = f
    hit = set(o_fields) & set(v_fields)
    r, p = pr(len(hit), len(o_fields), len(v_fields))
    summary.append(f"fields (model, name): recall {r:.3f} precision {p:.3f} ({len(hit)} of {len(o_fields)} oracle, {len(v_fields)} vantage; {len(neutral_fields)} inherited from outside the root not counted)")
    missed = []
    for key in sorted(set(o_fields) - set(v_fields)):
        f = o_fields[key]
        why = []
        if f.get("inherited_from"):
            why.append(f"inherited from {o_sym(f['inherited_from'])}")
        if key[0] not in v_models:
            why.append("model absent")
        missed.append((key[0], key[1] + (f" [{'; '.join(why)}]" if why else "")))
    extra = []
    for key in sorted(set(v_fields) - set(o_fields)):
        why = "model absent in oracle" if key[0] not in o_models else ""
        o_rel = {r["name"] for r in o_models.get(key[0], {}).get("relations", [])}
        if key[1] in o_rel:
            why = "a relation for the ORM"
        extra.append((key[0], key[1] + (f" [{why}]" if why else "")))
    if missed:
        out.append("  fields missed:")
        out += group(missed, args.max)
    if extra:
        out.append("  fields in excess:")
        out += group(extra, args.max)

    # --------------------------------------------------------- relations
    neutral_rel = set()
    o_rels = {}
    for s, m in o_models.items():
        for rel in m.get("relations", []):
            if outside(rel):
                neutral_rel.add((s, rel["name"]))
            else:
                o_rels[(s, rel["name"])] = rel
    v_rels = {}
    for s, m in v_models.items():
        for rel in m.get("relations", []):
            if (s, rel["name"]) not in neutral_rel:
                v_rels[(s, rel["name"])] = rel

    def o_targets(rel):
        t = {o_sym(rel.get("target"))}
        if rel.get("_target_written"):
            t.add(rel["_target_written"])
        return t

    matched, as_written = set(), 0
    for key, vr in v_rels.items():
        orl = o_rels.get(key)
        if orl is None or vr.get("kind") != orl.get("kind"):
            continue
        vt = v_sym(vr.get("target")) if vr.get("resolved") else vr.get("target")
        if vt == o_sym(orl.get("target")):
            matched.add(key)
        elif vt in o_targets(orl):
            matched.add(key)
            as_written += 1
    r, p = pr(len(matched), len(o_rels), len(v_rels))
    summary.append(
        f"relations (model, name, kind, target): recall {r:.3f} precision {p:.3f} ({len(matched)} of {len(o_rels)} oracle, {len(v_rels)} vantage;"
        f" {as_written} matched as written; {len(neutral_rel)} inherited from outside the root not counted)"
    )
    missed = []
    for key in sorted(set(o_rels) - matched):
        orl = o_rels[key]
        vr = v_rels.get(key)
        desc = f"{key[1]} {orl.get('kind')} -> {o_sym(orl.get('target'))}"
        if vr is not None:
            desc += f" [vantage: {vr.get('kind')} -> {vr.get('target')}]"
        elif key[0] not in v_models:
            desc += " [model absent]"
        elif (key[0], key[1]) in v_fields:
            desc += " [a field for vantage]"
        else:
            desc += " [absent]"
        missed.append((key[0], desc))
    extra = []
    for key in sorted(set(v_rels) - matched):
        if key in o_rels:
            continue  # shown with the misses
        vr = v_rels[key]
        why = "model absent in oracle" if key[0] not in o_models else "absent"
        extra.append((key[0], f"{key[1]} {vr.get('kind')} -> {vr.get('target')} [{why}]"))
    if missed:
        out.append("  relations missed or wrong:")
        out += group(missed, args.max)
    if extra:
        out.append("  relations in excess:")
        out += group(extra, args.max)

    # -------------------------------------------------------- attributes
    if args.attrs:
        out.append("  attributes of matched fields (disagreements / matched):")
        for k in ("type", "primary_key", "unique", "index", "null", "references", "inherited_from", "line"):
            bad = []
            for key in sorted(set(o_fields) & set(v_fields)):
                ov, vv = o_fields[key].get(k), v_fields[key].get(k)
                if k == "inherited_from":
                    ov, vv = o_sym(ov), v_sym(vv)
                if k == "type" and o_fields[key].get("_type_written") is not None:
                    ov = o_fields[key]["_type_written"]  # SQLAlchemy: as written
                if ov != vv:
                    bad.append(f"{key[0]}.{key[1]}: oracle {ov!r} vantage {vv!r}")
            out.append(f"    {k}: {len(bad)}/{len(set(o_fields) & set(v_fields))}")
            out += ["      " + b for b in bad[: args.max]]
        out.append("  attributes of matched relations (disagreements / matched):")
        for k in ("column", "through", "related_name", "index", "line"):
            bad = []
            for key in sorted(matched):
                ov, vv = o_rels[key].get(k), v_rels[key].get(k)
                if ov != vv:
                    bad.append(f"{key[0]}.{key[1]}: oracle {ov!r} vantage {vv!r}")
            out.append(f"    {k}: {len(bad)}/{len(matched)}")
            out += ["      " + b for b in bad[: args.max]]

    print("\n".join(out))
    print("\n".join(summary))


if __name__ == "__main__":
    sys.exit(main())
