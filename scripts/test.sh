#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run): installs what is missing, then runs
# both tiers (tests/testsuite/README.md):
#   1. the plain tier, `cargo test` in a debug build: what a new engineer runs first, with
#      the debug assertions of the standard library and of clap switched on;
#   2. the full tier: `cargo test --release` with every case of the randomized tests
#      (GAZETTE_FULL_TESTS=1) and the tests that need SeaweedFS (`--include-ignored`), the
#      headless-Chromium tests and a short fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh

echo "== plain tier: cargo test (debug) =="
cargo test --locked

echo "== full tier: cargo test --release, browsers, fuzz =="
export GAZETTE_FULL_TESTS=1
export GAZETTE_BIN="$PWD/target/release/gazette"
cargo build --release --locked
cargo test --release --locked -- --include-ignored
# Browser tests: never skipped; a missing browser is a failure.
node --test --test-concurrency=1 tests/browser/
# Fuzz smoke run: every cargo-fuzz target for 30 s (installs nightly and cargo-fuzz if missing).
scripts/fuzz.sh 30
