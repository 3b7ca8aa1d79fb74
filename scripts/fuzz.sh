#!/usr/bin/env bash
# Fuzzing of the loaders, checks and import (cargo-fuzz, libFuzzer with AddressSanitizer):
# every target in fuzz/ runs for SECONDS (default 30) from the seeds in fuzz/seeds/. A
# finding fails the run and leaves the input in fuzz/artifacts/<target>/. Installs what is
# missing: the nightly toolchain (sanitizers) and cargo-fuzz.
#   scripts/fuzz.sh          the smoke run that scripts/test.sh (and so CI) runs
#   scripts/fuzz.sh 150      the longer run the README reports
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
cd fuzz
targets=$(cargo +nightly fuzz list)
cargo +nightly fuzz build
for t in $targets; do
  corpus="../target/fuzz-corpus/$t"
  mkdir -p "$corpus"
  echo "fuzzing $t for ${seconds}s"
  # grep hides libFuzzer's progress lines; the exit status is cargo-fuzz's. (Under
  # pipefail a plain `|| true` here would run whenever cargo-fuzz failed and reset
  # PIPESTATUS, so a finding passed unnoticed; the status is taken inside the `||`.)
  status=0
  cargo +nightly fuzz run "$t" "$corpus" "seeds/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -print_final_stats=1 2>&1 \
    | grep -E 'Done [0-9]+ runs|ERROR|panicked|SUMMARY|Test unit written' || status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || { echo "fuzz target $t failed (exit status $status)"; exit 1; }
done
