#!/usr/bin/env bash
# The clerk's rebuild, timed: two gazette binaries (e.g. before and after a change) each
# rebuild the same site into their own output folder, which already holds a previous build.
# Two untimed builds each first, then RUNS timed rebuilds, alternating, so load falls on both.
#
#   benches/rebuild.sh SITE BEFORE_BINARY AFTER_BINARY [RUNS] [OUT_DIR]
#
# e.g. benches/rebuild.sh /tmp/s100k /tmp/gazette-old target/release/gazette
# (make the site with `gazette synth --enterprises 100000 --out /tmp/s100k` from the repo root).
# OUT_DIR (default /tmp/rb) should be on the file system the clerk builds on (ext4, not tmpfs).
set -euo pipefail
site=$1 before=$2 after=$3 runs=${4:-5} out=${5:-/tmp/rb}
declare -A bin=([before]=$before [after]=$after)
mkdir -p "$out"
for b in before after; do
  rm -rf "${out:?}/$b" "$out/.$b".*
  for _ in 1 2; do "${bin[$b]}" build --root "$site" --out "$out/$b" --today 2026-12-07 >/dev/null 2>&1; done
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for _ in $(seq "$runs"); do
  for b in before after; do
    sync
    /usr/bin/time -f "$b %e s wall %U s user %S s sys %M KB" \
      "${bin[$b]}" build --root "$site" --out "$out/$b" --today 2026-12-07 2>&1 >/dev/null | tail -1
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
