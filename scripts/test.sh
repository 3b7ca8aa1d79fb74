#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: installs what is missing, then runs the
# Rust tests (unit + CLI integration), the headless-Chromium tests and a short fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
export GAZETTE_BIN="$PWD/target/release/gazette"
cargo build --release --locked
cargo test --release --locked
# Browser tests: never skipped; a missing browser is a failure.
node --test --test-concurrency=1 tests/browser/
# Fuzz smoke run: every cargo-fuzz target for 30 s (installs nightly and cargo-fuzz if missing).
scripts/fuzz.sh 30
