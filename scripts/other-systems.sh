#!/usr/bin/env bash
# Builds what the full tier runs on other systems (tests/testsuite/other_systems.rs): the
# Windows x86-64 and Linux ARM64 release binaries, stripped as scripts/release.sh ships
# them, into target/other-systems/<target>/, and beside the .exe the test-only stand-in
# bcryptprimitives.dll that Debian's Wine 8.0 lacks (scripts/wine/bcryptprimitives.c; never
# in a release archive). Prints the folder to pass as GAZETTE_OTHER_SYSTEMS.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(x86_64-pc-windows-gnu aarch64-unknown-linux-musl)
scripts/release.sh "${targets[@]}" >&2
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
out=target/other-systems
rm -rf "$out"
for t in "${targets[@]}"; do
  mkdir -p "$out/$t"
  cp target/release-stage/gazette-"$version"-"$t"/gazette* "$out/$t/"
done
x86_64-w64-mingw32-gcc -shared -O2 -o "$out/x86_64-pc-windows-gnu/bcryptprimitives.dll" \
  scripts/wine/bcryptprimitives.c -ladvapi32
# Wine makes its prefix (~/.wine) on first use; do it here, not inside a timed test.
WINEDEBUG=-all wineboot --init >/dev/null 2>&1 || true
echo "$PWD/$out"
