#!/usr/bin/env bash
# Builds the release archives a clerk downloads: one static binary per system, stripped,
# packed with the README and the staff guide, and SHA256SUMS, under dist/.
#
#   scripts/release.sh            all three: Windows x86-64, Linux x86-64, Linux ARM64
#   scripts/release.sh TARGET…    only these Rust targets
#
# Windows x86-64   x86_64-pc-windows-gnu        (Debian's mingw-w64; static C runtime)   .zip
# Linux x86-64     x86_64-unknown-linux-musl    (fully static; musl-tools for ring's C)  .tar.gz
# Linux ARM64      aarch64-unknown-linux-musl   (fully static; Debian's aarch64 gcc)     .tar.gz
#                  for 麒麟/统信 UOS on Kunpeng and Phytium
#
# Installs what is missing (rustup targets, Debian packages), as scripts/install-test-deps.sh
# does. Archives are reproducible: fixed file times (the commit's), sorted entries, no owners.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL=(x86_64-pc-windows-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${ALL[@]}")

scripts/install-cross-deps.sh "${targets[@]}"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
# Every file in the archives carries the commit's time, so two runs give the same bytes.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
stamp=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y%m%d%H%M.%S)

# Linkers and C compilers (ring) per target.
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_musl=aarch64-linux-gnu-gcc
export AR_aarch64_unknown_linux_musl=aarch64-linux-gnu-ar
export CC_x86_64_unknown_linux_musl=musl-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C target-feature=+crt-static"

mkdir -p dist
for target in "${targets[@]}"; do
  echo "== $target =="
  cargo build --release --locked --target "$target"
  case "$target" in
    *windows*) exe=gazette.exe; strip_tool=x86_64-w64-mingw32-strip ;;
    aarch64-*) exe=gazette; strip_tool=aarch64-linux-gnu-strip ;;
    *) exe=gazette; strip_tool=strip ;;
  esac
  name="gazette-$version-$target"
  stage="target/release-stage/$name"
  rm -rf "$stage"
  mkdir -p "$stage"
  cp "target/$target/release/$exe" "$stage/$exe"
  "$strip_tool" "$stage/$exe"
  cp README.md "$stage/README.md"
  cp docs/staff-workflow.md "$stage/工作人员操作手册.md"
  find "$stage" -exec touch -h -t "$stamp" {} +
  rm -f "dist/$name.zip" "dist/$name.tar.gz"
  case "$target" in
    *windows*)
      (cd target/release-stage && find "$name" -print | LC_ALL=C sort | zip -X -q -@ "../../dist/$name.zip") ;;
    *)
      tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
        -C target/release-stage -cf - "$name" | gzip -n -9 > "dist/$name.tar.gz" ;;
  esac
done
(cd dist && sha256sum -- gazette-"$version"-* > SHA256SUMS)
echo "== dist/ =="
ls -l dist
cat dist/SHA256SUMS
