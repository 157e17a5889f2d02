#!/usr/bin/env bash
# Fuzzes every target of tests/fuzz.rs for SECONDS each (default 300) with
# a seed (default: the time), in release mode, and appends the run's log to
# .bench/fuzz-log.md. A crash is saved to target/fuzz/crashes/<target>/ and
# named in the output; a hang aborts the run with the input left in
# target/fuzz/current. Copy a crash into tests/fuzz/<target>/ once it is
# fixed: `cargo test` replays it from then on.
#
#   bench/fuzz.sh [SECONDS] [SEED]
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
seed="${2:-$(date +%s)}"
mkdir -p .bench
log=$(mktemp)
echo "fuzzing each target for ${seconds} s, seed ${seed}"
VANTAGE_FUZZ_SECONDS="$seconds" VANTAGE_FUZZ_SEED="$seed" \
  cargo test --release --locked --test fuzz -- --nocapture --test-threads 1 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
{
  echo "## $(date -u +%Y-%m-%dT%H:%MZ), vantage $(git rev-parse --short HEAD), ${seconds} s per target, seed ${seed}"
  echo
  grep -o 'fuzz [a-z]*: .*' "$log" | sed 's/^/- /'
  [ "$status" -eq 0 ] || echo "- FAILED (exit $status): a crash is in target/fuzz/crashes/, a hang (the run aborted) in target/fuzz/current"
  echo
} >> .bench/fuzz-log.md
rm -f "$log"
exit "$status"
