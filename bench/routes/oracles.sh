#!/usr/bin/env bash
# Every oracle of bench/routes on the applications setup.sh installed:
# .bench/routes/<app>-oracle.json (stderr, with the row counts, in <app>-oracle.err).
# Usage: bash bench/routes/oracles.sh [DIR]    (default DIR: ./.bench/routes)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LAB=${1:-${VANTAGE_BENCH_DIR:-.bench}/routes}
run() {  # app oracle-script
  "$LAB/venv/$1/bin/python" -W ignore "$HERE/$2" --app "$1" > "$LAB/$1-oracle.json" 2> "$LAB/$1-oracle.err" \
    || { tail -5 "$LAB/$1-oracle.err"; exit 1; }
  tail -1 "$LAB/$1-oracle.err"
}
run label-studio django_oracle.py
run lektor flask_oracle.py
run pgadmin4 flask_oracle.py
run prefect fastapi_oracle.py
