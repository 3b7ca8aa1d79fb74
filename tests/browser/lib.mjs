// Shared helpers for the headless-Chromium tests: build a site with the real binary,
// serve it from a local HTTP server, and drive Debian's Chromium with playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.GAZETTE_BIN || join(REPO, 'target', 'release', 'gazette');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Runs the gazette binary; throws with its stderr when it fails. */
export function gazette(args, opts = {}) {
  if (!existsSync(BIN)) throw new Error(`gazette binary not found at ${BIN}: run cargo build --release`);
  const r = spawnSync(BIN, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0 && !opts.allowFailure) {
    throw new Error(`gazette ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  }
  return r;
}

export function tempDir(prefix = 'gazette-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Builds the repository's own site (or `root`) into a fresh folder; returns the folder. */
export function buildSite({ root = REPO, today = '2026-11-25', extra = [] } = {}) {
  const out = join(tempDir(), 'public');
  gazette(['build', '--root', root, '--out', out, '--today', today, ...extra]);
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.bin': 'application/octet-stream',
};

/**
 * Serves `dir` on 127.0.0.1 under `prefix` (e.g. '/' or '/sub/'). Records every request
 * path and the bytes sent, so tests can measure transfer per query.
 */
export async function serve(dir, { prefix = '/' } = {}) {
  const log = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = decodeURIComponent(url.pathname);
    const entry = { path: url.pathname, bytes: 0, status: 200 };
    log.push(entry);
    if (!path.startsWith(prefix)) { entry.status = 404; res.writeHead(404); return res.end(); }
    path = path.slice(prefix.length);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) { entry.status = 403; res.writeHead(403); return res.end(); }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      entry.bytes = body.length;
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'content-length': body.length });
      res.end(body);
    } catch {
      entry.status = 404;
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { base, log, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches Debian's Chromium headless. Never skips: a missing browser is an error. */
export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/install-test-deps.sh`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Starts `gazette serve` on a free port for the site at `root`; resolves once it serves,
 * with `base` (the preview's URL), `console` (the console's URL, when it has one), `log()`
 * (everything it printed so far) and `stop()`. Killed with the test runner if need be.
 */
export function startServe(root, { today = '2026-11-25', args = [], env = {} } = {}) {
  if (!existsSync(BIN)) throw new Error(`gazette binary not found at ${BIN}: run cargo build --release`);
  const child = spawn(BIN, ['serve', '--root', root, '--port', '0', '--today', today, ...args],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  process.once('exit', () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let log = '';
  const stop = async () => {
    if (child.exitCode !== null) return;
    const gone = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    await gone;
  };
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve printed no URL:\n${log}`)), 60000);
    let grace = null;
    // The console's line comes after the preview's, possibly in a later chunk: wait for it
    // (or for the word that it is off) rather than answer "no console" too early.
    const settle = (force) => {
      const m = log.match(/预览地址 \(serving at\) (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (!m) return;
      const c = log.match(/管理页面 \(console\) (\S+)/);
      const off = args.includes('--no-console') || /console not started/.test(log);
      if (!c && !off && !force) {
        grace ??= setTimeout(() => settle(true), 5000);
        return;
      }
      clearTimeout(timer);
      clearTimeout(grace);
      ok({ base: m[1], console: c ? c[1] : null, log: () => log, stop, child });
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      settle(false);
    });
    child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`serve exited (${code}):\n${log}`)); });
  });
}
