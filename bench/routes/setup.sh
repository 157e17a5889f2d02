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

# ---------------------------------------------------------------------------
# Node applications from npm, for express_oracle.mjs: one npm prefix per
# application under $LAB/node/<app>, installed with --ignore-scripts (no
# native build or prebuilt download; Node-RED falls back to bcryptjs).
# `npm ls --all` is kept in $LAB/<app>-npm-ls.txt, as pip freeze is above.
# app  npm package (pinned)  source root inside the prefix
NODE_APPS=(
  "node-red|node-red@4.1.8|node_modules/@node-red/editor-api"
)

for spec in "${NODE_APPS[@]}"; do
  IFS='|' read -r app pkg root <<<"$spec"
  prefix="$LAB/node/$app"
  if [ ! -f "$prefix/.ok" ]; then
    rm -rf "$prefix"
    mkdir -p "$prefix"
    echo '{"private": true}' > "$prefix/package.json"
    npm install --prefix "$prefix" --no-audit --no-fund --ignore-scripts "$pkg" >/dev/null
    npm ls --prefix "$prefix" --all > "$LAB/$app-npm-ls.txt" || true
    touch "$prefix/.ok"
  fi
  echo "$app: node bench/routes/express_oracle.mjs --app $app, source root $prefix/$root"
done
