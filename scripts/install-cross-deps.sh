#!/usr/bin/env bash
# Installs what building for other systems needs, when missing (idempotent): the Rust
# targets (rustup) and Debian's cross linkers and C compilers (ring compiles C), plus Wine
# and qemu-user that the full test tier runs the Windows and ARM64 binaries under.
#
#   scripts/install-cross-deps.sh [TARGET…]   default: the three release targets
set -euo pipefail

targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(x86_64-pc-windows-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl)

installed=$(rustup target list --installed)
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done

need_apt=()
for t in "${targets[@]}"; do
  case "$t" in
    x86_64-pc-windows-gnu)
      command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need_apt+=(mingw-w64)
      command -v wine >/dev/null 2>&1 || need_apt+=(wine wine64) ;;
    x86_64-unknown-linux-musl)
      command -v musl-gcc >/dev/null 2>&1 || need_apt+=(musl-tools) ;;
    aarch64-unknown-linux-musl)
      command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need_apt+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
      command -v qemu-aarch64 >/dev/null 2>&1 || need_apt+=(qemu-user) ;;
  esac
done
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing with apt-get: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi
