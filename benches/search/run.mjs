#!/usr/bin/env node
// Search benchmark: builds synthetic sites (gazette synth) of the given sizes and measures,
// in headless Chromium over a local HTTP server, what a citizen's phone would download.
//
//   node benches/search/run.mjs [--sizes 10000,100000,1000000] [--per-class 20] [--out benches/search/RESULTS.md]
//
// Needs target/release/gazette (cargo build --release) and tests/browser/node_modules
// (scripts/install-test-deps.sh). Writes RESULTS.md with the machine it ran on.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BIN, REPO, serve, launch, tempDir } from '../../tests/browser/lib.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const SIZES = opt('sizes', '10000,100000,1000000').split(',').map(Number);
const PER_CLASS = Number(opt('per-class', '20'));
const OUT = opt('out', join(REPO, 'benches', 'search', 'RESULTS.md'));
const TODAY = '2026-11-25';

function run(cmd, argv) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}
function peakRss(argv) { // GNU time's maximum resident set size, when available
  const r = spawnSync('/usr/bin/time', ['-f', '%M', BIN, ...argv], { encoding: 'utf8' });
  const m = r.status === 0 && r.stderr.trim().split('\n').pop().match(/^(\d+)$/);
  return m ? Number(m[1]) * 1024 : null;
}
function dirStats(dir) {
  let bytes = 0, files = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p); else { files++; bytes += statSync(p).size; }
    }
  };
  walk(dir);
  return { bytes, files };
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] : NaN; };
const kB = (b) => (b / 1000).toFixed(1);

// Brute force over the list downloads, from the issue's definition.
const IGNORE = /[\s\p{Cc}\u200B-\u200D\u2060\uFEFF]/u;
const normName = (s) => [...s.normalize('NFKC')].filter((c) => !IGNORE.test(c)).map((c) => c.toLowerCase()).join('');
const normCode = (s) => [...s.normalize('NFKC')].filter((c) => !IGNORE.test(c)).map((c) => c.toUpperCase()).join('');

function loadRows(root, out) {
  const ids = readdirSync(join(root, 'data', 'lists')).map((f) => f.replace(/\.toml$/, ''));
  const lists = ids.map((id) => JSON.parse(readFileSync(join(out, 'lists', id, `${id}.json`), 'utf8')));
  lists.sort((a, b) => b.year - a.year || b.quarter - a.quarter || (a.kind === 'application' ? -1 : 1) - (b.kind === 'application' ? -1 : 1));
  const rows = [];
  for (const l of lists) for (const e of l.enterprises) rows.push({ code: e.credit_code, district: e.district, nname: normName(e.name), name: e.name });
  return rows;
}
function brute(rows, q, limit) {
  const nq = normName(q), cq = normCode(q), out = [];
  let total = 0;
  for (const r of rows) {
    if (r.nname.includes(nq) || (cq.length >= 4 && r.code.startsWith(cq)) || normName(r.district) === nq) {
      if (out.length < limit) out.push(r.code + '|' + r.name);
      total++;
    }
  }
  return { total, first: out };
}

function queries(rows, districts, n) {
  let s = 7;
  const r = (k) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % k; };
  const pick = (a) => a[r(a.length)];
  const mid = (name, k) => { const c = [...name]; const st = 1 + r(Math.max(1, c.length - k - 1)); return c.slice(st, st + k).join(''); };
  const classes = {
    '2-char fragment': () => mid(pick(rows).name, 2),
    '3–4 char fragment': () => mid(pick(rows).name, 3 + r(2)),
    'full name': () => pick(rows).name,
    'full code': () => pick(rows).code,
    '8-char code prefix': () => pick(rows).code.slice(0, 8),
    district: () => pick(districts),
    'no match': () => `${pick(['龘', '䶮', '㐀', '鱻'])}${mid(pick(rows).name, 2)}`,
  };
  return Object.entries(classes).map(([cls, f]) => [cls, Array.from({ length: n }, f)]);
}

async function measure(base, server, browser, rows, districts) {
  const page0 = await browser.newPage();
  await page0.goto(`${base}search/`);
  const jsBytes = (await (await fetch(`${base}assets/search.js`)).arrayBuffer()).byteLength;
  await page0.close();
  const counted = (e) => e.path.includes('/search/') && !e.path.endsWith('/search/') || e.path.includes('/assets/search.js');
  const results = [];
  for (const [cls, qs] of queries(rows, districts, PER_CLASS)) {
    const res = { cls, fresh: [], warm: [], cold: [], hot: [], found: 0, expected: 0, returned: 0, totalsOk: 0, n: qs.length };
    for (const q of qs) {
      // Fresh page: a new browser context (empty cache); count JS + index bytes.
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const mark = server.log.length;
      await page.goto(`${base}search/`);
      await page.waitForFunction(() => window.gazette && window.gazette.search);
      const t0 = await page.evaluate(async (q) => {
        const t = performance.now();
        const a = await window.gazette.search(q, { limit: 20 });
        return { ms: performance.now() - t, total: a.total, exact: a.exact, ids: a.results.map((x) => x.credit_code + '|' + x.name) };
      }, q);
      res.fresh.push(server.log.slice(mark).filter(counted).reduce((s, e) => s + e.bytes, 0));
      res.cold.push(t0.ms);
      const want = brute(rows, q, 20);
      const got = new Set(t0.ids);
      res.found += want.first.filter((x) => got.has(x)).length;
      res.expected += want.first.length;
      res.returned += t0.ids.length;
      if ((t0.exact && t0.total === want.total) || (!t0.exact && want.total > 1000 && t0.total <= want.total)) res.totalsOk++;
      await ctx.close();
      // Warm page: a page that already ran another query (of another class) first.
      const ctx2 = await browser.newContext();
      const page2 = await ctx2.newPage();
      await page2.goto(`${base}search/`);
      await page2.waitForFunction(() => window.gazette && window.gazette.search);
      await page2.evaluate((q) => window.gazette.search(q, { limit: 20 }), pick2(rows));
      const mark2 = server.log.length;
      const t1 = await page2.evaluate(async (q) => {
        const t = performance.now();
        await window.gazette.search(q, { limit: 20 });
        return performance.now() - t;
      }, q);
      res.warm.push(server.log.slice(mark2).filter(counted).reduce((s, e) => s + e.bytes, 0));
      res.hot.push(t1);
      await ctx2.close();
    }
    results.push(res);
  }
  return { jsBytes, results };
}
let pickState = 99;
function pick2(rows) { pickState = (Math.imul(pickState, 1664525) + 1013904223) >>> 0; const n = rows[pickState % rows.length].name; return [...n].slice(2, 5).join(''); }

const machine = (() => {
  const model = cpus()[0]?.model || 'unknown CPU';
  return `${cpus().length} × ${model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform}, Node ${process.version}, Chromium (Debian) headless`;
})();

const sections = [];
const browser = await launch();
const js = readFileSync(join(REPO, 'themes', 'default', 'static', 'assets', 'search.js'));
const jsGzip = gzipSync(js, { level: 9 }).length;
for (const n of SIZES) {
  const root = join(tempDir('gazette-bench-search-'), 'site');
  const synth = run(BIN, ['synth', '--out', root, '--enterprises', String(n), '--seed', '1', '--from', REPO]);
  const out = join(root, 'public');
  const skipped = run(BIN, ['build', '--root', root, '--out', out, '--today', TODAY, '--skip', 'search']);
  const full = run(BIN, ['build', '--root', root, '--out', out, '--today', TODAY]);
  const withSearch = full;
  const rss = peakRss(['build', '--root', root, '--out', out, '--today', TODAY]);
  const searchDir = readdirSync(join(out, 'search')).filter((d) => /^[0-9a-f]{16}$/.test(d))[0];
  const index = dirStats(join(out, 'search', searchDir));
  const rows = loadRows(root, out);
  const districts = [...readFileSync(join(root, 'data', 'districts.toml'), 'utf8').matchAll(/^\[\[district\]\]\s*\nname = "([^"]+)"/gm)].map((m) => m[1]);
  const server = await serve(out);
  const m = await measure(server.base, server, browser, rows, districts);
  await server.close();
  sections.push({ n, synth, skipped, withSearch, full, rss, index, ...m });
  console.error(`N=${n}: synth ${synth.toFixed(1)}s, build --skip search ${skipped.toFixed(1)}s, full ${full.toFixed(1)}s, index ${kB(index.bytes)} kB in ${index.files} files`);
  for (const r of m.results) console.error(`  ${r.cls}: fresh median ${kB(median(r.fresh))} kB p95 ${kB(p95(r.fresh))} kB, warm median ${kB(median(r.warm))} kB, cold ${median(r.cold).toFixed(0)} ms, warm ${median(r.hot).toFixed(0)} ms, recall ${(r.expected ? r.found / r.expected : r.returned ? 0 : 1).toFixed(3)}`);
  rmSync(root, { recursive: true, force: true });
}
await browser.close();

let md = `# Search benchmark results\n\nProduced by \`node benches/search/run.mjs --sizes ${SIZES.join(',')} --per-class ${PER_CLASS}\` on ${new Date().toISOString().slice(0, 10)}.\n\n`;
md += `Machine: ${machine}.\n\n`;
md += `search.js: ${js.length} bytes, ${jsGzip} bytes gzip (target ≤ 10,000). Bytes below are as served by the local test server, **uncompressed** (a real server's gzip makes them smaller), and count search.js plus every index file the query fetched; the HTML page and stylesheet are not counted.\n\n`;
md += `Index build time = (full build) − (build with \`--skip search\`), one run each, so it carries ordinary jitter (the machine was shared). Latency is \`performance.now()\` around \`gazette.search\` for the first page (20 results), over 127.0.0.1.\n\n`;
for (const s of sections) {
  md += `## ${s.n.toLocaleString('en')} enterprises\n\n`;
  md += `- synth: ${s.synth.toFixed(2)} s; build with \`--skip search\`: ${s.skipped.toFixed(2)} s; full build: ${s.full.toFixed(2)} s (so the index takes ≈ ${(s.full - s.skipped).toFixed(2)} s)${s.rss ? `; full build peak RSS ${(s.rss / 2 ** 20).toFixed(0)} MiB` : ''}\n`;
  md += `- index: ${(s.index.bytes / 1e6).toFixed(1)} MB in ${s.index.files.toLocaleString('en')} files\n\n`;
  md += `| class | queries | fresh median kB | fresh p95 kB | warm median kB | warm p95 kB | cold ms (median) | warm ms (median) | recall | precision | totals right |\n|---|---|---|---|---|---|---|---|---|---|---|\n`;
  for (const r of s.results) {
    const found = r.found;
    md += `| ${r.cls} | ${r.n} | ${kB(median(r.fresh))} | ${kB(p95(r.fresh))} | ${kB(median(r.warm))} | ${kB(p95(r.warm))} | ${median(r.cold).toFixed(0)} | ${median(r.hot).toFixed(1)} | ${(r.expected ? found / r.expected : r.returned ? 0 : 1).toFixed(3)} | ${(r.returned ? found / r.returned : 1).toFixed(3)} | ${r.totalsOk}/${r.n} |\n`;
  }
  md += '\n';
}
md += `Targets (issue 4, at 1,000,000): fresh median ≤ 150 kB and p95 ≤ 400 kB per query including the JS; warm median ≤ 60 kB; warm latency ≤ 50 ms median; JS ≤ 10 kB gzip; recall and precision 1.0 in every class.\n`;
writeFileSync(OUT, md);
console.error(`wrote ${OUT}`);
