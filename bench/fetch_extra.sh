#!/usr/bin/env bash
# A large TypeScript library beside ../shared/bench/corpus.sh's corpus:
# effect (npm, src/ only: 360 files, 9 MB, files up to 355 KB), for the
# graph race with dependency-cruiser in benches/e2e.rs.
# Usage: bash bench/fetch_extra.sh [DIR]    (default DIR: ./.bench, git-ignored)
set -euo pipefail
LAB=${1:-${VANTAGE_BENCH_DIR:-.bench}}
mkdir -p "$LAB/extra"; cd "$LAB/extra"
if [ ! -f effect/.ok ]; then
  npm pack effect@3.10.0 --silent >/dev/null
  rm -rf effect; mkdir -p effect
  tar xzf effect-3.10.0.tgz -C effect
  touch effect/.ok
fi
echo "effect: $(find effect/package/src -name '*.ts' | wc -l) TypeScript files in $PWD/effect/package/src"
