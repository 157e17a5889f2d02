#!/usr/bin/env python3
"""`vantage check` on Django as a CI job would run it (issue 11's proof).

A copy of the Django package from the corpus becomes a git repository with
a vantage.toml of Django's own architecture. Today's violations go into a
baseline, and the check passes against it. Then a branch adds one forbidden
import (the ORM importing contrib.auth) and one copied 40-line method; the
check must fail with exactly those two violations, against the baseline and
`--since main` alike, in text and in SARIF. The SARIF goes through the
official validator (`sarif-multitool validate`, from peers.sh).

    python3 bench/check_django.py [--bench-dir .bench] [--vantage target/release/vantage] [--keep]

Exit 1 when an expectation fails.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

CONFIG = """\
# Django's architecture as rules: the ORM knows nothing of the contrib
# apps, views sit above http, which sits above the utilities.
[check]
module_cycles = "forbid"
max_clone_lines = 30
max_duplication = 9.0

[[forbid]]
from = "django/db"
to = "django/contrib"
reason = "the ORM knows nothing of the contrib apps"

[[layers]]
name = "web"
layers = ["django/views", "django/http", "django/utils"]
"""

EXPECTED = [
    ("dependency.forbidden", "django/db/models/base.py"),
    ("duplication.clone", "django/apps/config.py"),
]


def run(vantage, *args, expect):
    done = subprocess.run([vantage, *args], capture_output=True, text=True)
    if done.returncode != expect:
        sys.exit(f"vantage {' '.join(args)}: exit {done.returncode}, expected {expect}\n{done.stdout}{done.stderr}")
    return done


def git(repo, *args):
    subprocess.run(["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def failing(doc):
    return sorted((v["rule"], v["location"]["path"]) for v in doc["violations"] if v["fails"])


def validate(validator, sarif, label):
    """The official validator: no error (warnings and notes are printed)."""
    if not os.path.exists(validator):
        print(f"sarif-multitool not installed ({validator}): run bash ../shared/bench/peers.sh")
        return False
    check = subprocess.run([validator, "validate", sarif], capture_output=True, text=True)
    errors = [l for l in check.stdout.splitlines() if ": error " in l]
    print(f"sarif-multitool validate ({label}): exit {check.returncode}, {len(errors)} errors")
    for line in check.stdout.splitlines():
        if ": warning " in line or ": error " in line:
            print("  " + line.replace(sarif, os.path.basename(sarif)))
    return check.returncode == 0 and not errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench-dir", default=".bench")
    parser.add_argument("--vantage", default="target/release/vantage")
    parser.add_argument("--keep", action="store_true", help="keep the repository and print its path")
    args = parser.parse_args()
    vantage = os.path.abspath(args.vantage)
    source = os.path.join(args.bench_dir, "corpus/python/django/django")
    validator = os.path.join(args.bench_dir, "peers/npm-sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool")
    if not os.path.isdir(source):
        sys.exit(f"{source} missing: run bash ../shared/bench/corpus.sh {args.bench_dir}")

    # The fixture with one violation of every rule, through the validator.
    fixture_sarif = tempfile.mktemp(suffix=".sarif")
    run(vantage, "check", "fixtures/check", "--format", "sarif", "-o", fixture_sarif, expect=1)
    ok_fixture = validate(validator, fixture_sarif, "fixtures/check")
    os.remove(fixture_sarif)

    repo = tempfile.mkdtemp(prefix="vantage-django-")
    shutil.copytree(source, os.path.join(repo, "django"))
    with open(os.path.join(repo, "vantage.toml"), "w") as f:
        f.write(CONFIG)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Django 5.2")
    baseline = os.path.join(repo, "vantage-baseline.json")

    print(f"$ vantage check {repo} --write-baseline vantage-baseline.json")
    done = run(vantage, "check", repo, "--write-baseline", baseline, expect=0)
    print(done.stderr.strip())
    print("$ vantage check --baseline vantage-baseline.json")
    done = run(vantage, "check", repo, "--baseline", baseline, expect=0)
    print(done.stdout)

    # The change: one forbidden import, one copied 40-line method.
    git(repo, "checkout", "-q", "-b", "change")
    base_py = os.path.join(repo, "django/db/models/base.py")
    text = open(base_py).read()
    anchor = "from django.db import (\n"
    assert anchor in text
    text = text.replace(anchor, "from django.contrib.auth import get_user_model  # noqa: F401\n" + anchor, 1)
    open(base_py, "w").write(text)
    registry = os.path.join(repo, "django/apps/registry.py")
    lines = open(registry).read().splitlines(keepends=True)
    method = lines[19:59]  # Apps.__init__, 40 lines
    assert method[0].lstrip().startswith("def __init__"), method[0]
    config_py = os.path.join(repo, "django/apps/config.py")
    with open(config_py, "a") as f:
        f.write("\n\nclass CopiedRegistry:\n" + "".join(method))
    git(repo, "commit", "-q", "-am", "change")

    print("$ vantage check --baseline vantage-baseline.json   (after the change)")
    done = run(vantage, "check", repo, "--baseline", baseline, expect=1)
    print(done.stdout)
    doc = json.loads(run(vantage, "check", repo, "--baseline", baseline, "--format", "json", expect=1).stdout)
    ok = failing(doc) == sorted(EXPECTED)
    print(f"failing against the baseline: {failing(doc)} {'as expected' if ok else 'NOT AS EXPECTED'}")
    since = json.loads(run(vantage, "check", repo, "--since", "main", "--format", "json", expect=1).stdout)
    ok_since = failing(since) == sorted(EXPECTED)
    print(f"failing --since main:          {failing(since)} {'as expected' if ok_since else 'NOT AS EXPECTED'}")

    sarif = os.path.join(repo, "check.sarif")
    run(vantage, "check", repo, "--baseline", baseline, "--format", "sarif", "-o", sarif, expect=1)
    results = json.load(open(sarif))["runs"][0]["results"]
    new = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                 for r in results if r["baselineState"] != "unchanged")
    ok_sarif = new == sorted(EXPECTED)
    print(f"SARIF results not in the baseline: {new} {'as expected' if ok_sarif else 'NOT AS EXPECTED'}")
    ok_valid = validate(validator, sarif, "Django")
    if args.keep:
        print(f"repository kept in {repo}")
    else:
        shutil.rmtree(repo)
    sys.exit(0 if ok and ok_since and ok_sarif and ok_valid and ok_fixture else 1)


if __name__ == "__main__":
    main()
