#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run): installs what is missing, then runs
# both tiers (tests/testsuite/README.md):
#   1. the plain tier, `cargo test` in a debug build: what a new engineer runs first, with
#      the debug assertions of the standard library and of clap switched on;
#   2. the full tier: `cargo test --release` with every case of the randomized tests
#      (GAZETTE_FULL_TESTS=1) and the tests that need SeaweedFS or the Windows and ARM64
#      binaries under Wine and qemu-user (`--include-ignored`), the headless-Chromium tests
#      and a short fuzz run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh

echo "== plain tier: cargo test (debug) =="
cargo test --locked

echo "== full tier: cargo test --release, other systems, browsers, fuzz =="
export GAZETTE_FULL_TESTS=1
# The Windows and ARM64 binaries clerks download, built as scripts/release.sh ships them,
# for tests/testsuite/other_systems.rs (under Wine and qemu-user).
GAZETTE_OTHER_SYSTEMS=$(scripts/other-systems.sh)
export GAZETTE_OTHER_SYSTEMS
export GAZETTE_BIN="$PWD/target/release/gazette"
cargo build --release --locked
cargo test --release --locked -- --include-ignored
# Browser tests: never skipped; a missing browser is a failure.
node --test --test-concurrency=1 tests/browser/
# Fuzz smoke run: every cargo-fuzz target for 30 s (installs nightly and cargo-fuzz if missing).
scripts/fuzz.sh 30
