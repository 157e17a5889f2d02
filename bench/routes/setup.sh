#!/usr/bin/env bash
# Real web applications from PyPI for the `vantage routes` oracles:
# one venv per application under .bench/routes/venv/<app> (their pins clash:
# Lektor needs setuptools<81 for pkg_resources, Label Studio >=83), and the
# folder each application's source lives in, which is what vantage analyses.
# Idempotent: a venv whose .ok exists is kept.
# Usage: bash bench/routes/setup.sh [DIR]    (default DIR: ./.bench/routes, git-ignored)
set -euo pipefail
LAB=${1:-${VANTAGE_BENCH_DIR:-.bench}/routes}
mkdir -p "$LAB/venv"; LAB=$(cd "$LAB" && pwd)

# app  pip requirements (pinned)  source root inside site-packages
APPS=(
  "label-studio|label-studio==1.23.2|label_studio"
  "lektor|lektor==3.3.14|lektor"
  "pgadmin4|pgadmin4==9.18|pgadmin4"
  "prefect|prefect==3.9.1 fastapi==0.150.0|prefect"
)

for spec in "${APPS[@]}"; do
  IFS='|' read -r app reqs pkg <<<"$spec"
  venv="$LAB/venv/$app"
  if [ ! -f "$venv/.ok" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    # shellcheck disable=SC2086  # $reqs is a list of requirements
    "$venv/bin/pip" install -q $reqs
    "$venv/bin/pip" freeze > "$LAB/$app-freeze.txt"
    touch "$venv/.ok"
  fi
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  echo "$app: $venv/bin/python, source root $site/$pkg"
done
