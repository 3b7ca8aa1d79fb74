#!/usr/bin/env python3
"""A/B: two Gazette binaries on the same synthetic data, alternating, medians reported.

For a change that must not make builds slower (issue 12: not more than 5% at 100,000 and
1,000,000 enterprises). Each binary generates its own synthetic site with its own `synth`
(the data format may differ between them) from the same seed, so both build the same
enterprises; then their builds alternate, run by run, so that the machine's load is shared.

  python3 benches/ab.py --base /tmp/gazette-old --base-root /tmp/old-checkout \
                        --new target/release/gazette --new-root . --sizes 100000,1000000

Reports, per size and kind of build (skipped: --skip search,downloads,feeds; full), the
median wall and CPU time of each binary and new ÷ base, and the ratio of user CPU alone
(system time is mostly the kernel writing a gigabyte of files, and is the noisiest part).
Standard library only.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

TODAY = "2026-11-25"


def run(cmd):
    """Wall seconds, CPU seconds (user + sys), peak RSS (MiB) and user seconds of one child
    process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, usage.ru_utime


def synth(binary, root, out, n, seed):
    if os.path.isdir(out) and os.path.exists(os.path.join(out, ".ab-done")):
        return
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(
        [binary, "synth", "--out", out, "--enterprises", str(n), "--seed", str(seed),
         "--from", root, "--force"],
        check=True, stdout=subprocess.DEVNULL)
    open(os.path.join(out, ".ab-done"), "w").close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="the binary before the change")
    ap.add_argument("--base-root", required=True, help="a checkout of the base (content/, data/, themes/)")
    ap.add_argument("--new", required=True, help="the binary after the change")
    ap.add_argument("--new-root", required=True, help="a checkout of the new version")
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--kinds", default="skipped,full",
                    help="which builds to time: skipped (--skip search,downloads,feeds), full, or both")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default="target/bench-ab")
    args = ap.parse_args()
    sides = {"base": (os.path.abspath(args.base), os.path.abspath(args.base_root)),
             "new": (os.path.abspath(args.new), os.path.abspath(args.new_root))}
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        sites = {}
        for side, (binary, root) in sides.items():
            sites[side] = os.path.abspath(os.path.join(args.work, f"{side}-{n}"))
            synth(binary, root, sites[side], n, args.seed)
        kinds = [k for k in (("skipped", ["--skip", "search,downloads,feeds"]), ("full", []))
                 if k[0] in args.kinds.split(",")]
        for kind, extra in kinds:
            samples = {"base": [], "new": []}
            for r in range(args.runs + 1):
                # Alternate the order each run; the first run of each is a warm-up.
                order = ["base", "new"] if r % 2 == 0 else ["new", "base"]
                for side in order:
                    binary, _ = sides[side]
                    # One output folder for both: where a folder lies on the disk changes the
                    # kernel's time to write a gigabyte of files by more than 10%.
                    out = os.path.join(args.work, "out")
                    shutil.rmtree(out, ignore_errors=True)
                    for left in (".out.prev", ".out.lock"):
                        p = os.path.join(args.work, left)
                        shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else (os.path.exists(p) and os.remove(p))
                    # Flush the previous build's gigabyte of writes now, so the kernel does
                    # not charge it to this build's system time.
                    os.sync()
                    time.sleep(1)
                    sample = run([binary, "build", "--root", sites[side], "--out", out,
                                  "--today", TODAY] + extra)
                    if r > 0:
                        samples[side].append(sample)
            med = {s: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v),
                       max(x[2] for x in v), statistics.median(x[3] for x in v))
                   for s, v in samples.items()}
            rows.append((n, kind, med))
            print(f"{n:>9} {kind:<8} base {med['base'][0]:7.3f}s wall {med['base'][1]:7.3f}s cpu | "
                  f"new {med['new'][0]:7.3f}s wall {med['new'][1]:7.3f}s cpu | "
                  f"new/base wall {med['new'][0] / med['base'][0]:.3f} cpu {med['new'][1] / med['base'][1]:.3f} "
                  f"user {med['new'][3] / med['base'][3]:.3f} | "
                  f"peak MiB {med['base'][2]:.0f} → {med['new'][2]:.0f}", flush=True)
    return rows


if __name__ == "__main__":
    main()
