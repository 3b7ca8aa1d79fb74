// Valid HTML: the Nu HTML Checker (npm vnu-jar, on the machine's Java) reports zero errors
// on the generated pages of the default site and of a fixture with paginated lists. Every
// page kind is checked; district and list pages are sampled when there are many.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { buildSite, tempDir } from './lib.mjs';
import { fixtureRoot } from './site_pages.mjs';

const require = createRequire(import.meta.url);
const VNU = String(require('vnu-jar')); // the package exports the jar's path
const SAMPLE = 40; // at most this many district pages and list pages each

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith('.html')) out.push(p);
  }
  return out.sort();
}

/** All pages except that district and list pages are thinned to an even sample. */
function sample(site) {
  const all = htmlFiles(site);
  const groups = { districts: [], lists: [], other: [] };
  for (const f of all) {
    const rel = relative(site, f);
    if (/^districts\/[^/]+\//.test(rel)) groups.districts.push(f);
    else if (/^lists\/[^/]+\//.test(rel)) groups.lists.push(f);
    else groups.other.push(f);
  }
  const thin = (xs) => (xs.length <= SAMPLE ? xs : xs.filter((_, i) => i % Math.ceil(xs.length / SAMPLE) === 0));
  return [...groups.other, ...thin(groups.districts), ...thin(groups.lists)];
}

function vnu(files) {
  const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`could not run java (install default-jre-headless): ${r.error.message}`);
  // vnu prints its JSON report on stderr.
  const report = JSON.parse(r.stderr || r.stdout);
  return report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
}

function describe(site, messages) {
  return messages.slice(0, 30).map((m) =>
    `${relative(site, decodeURIComponent(m.url.replace(/^file:/, '')))}:${m.lastLine}:${m.firstColumn ?? ''} ${m.message}\n    ${(m.extract || '').replace(/\s+/g, ' ')}`).join('\n');
}

let site, paged;
before(() => {
  site = buildSite();
  paged = buildSite({ root: fixtureRoot({ 'data/site.toml': (t) => t.replace(/^page_size = \d+/m, 'page_size = 10') }) });
});

test('the checker itself reports errors (so zero errors means something)', () => {
  const bad = join(tempDir(), 'bad.html');
  writeFileSync(bad, '<!DOCTYPE html><html lang="zh-CN"><head><title>x</title></head><body><p id="a">1</p><p id="a">2</p><table><tr><td>1</td></tr></tabel></body></html>');
  assert.ok(vnu([bad]).length > 0);
});

test('every generated page of the default site is valid HTML', () => {
  const files = sample(site);
  for (const must of ['index.html', '404.html', 'notices/innovative/2026/index.html', 'notices/innovative/2026/criteria/index.html', 'notice/index.html', 'contacts/index.html',
    'lists/index.html', 'districts/index.html', 'search/index.html']) {
    assert.ok(files.includes(join(site, must)), `${must} is checked`);
  }
  assert.ok(files.some((f) => /lists\/[^/]+\/publicity\/index\.html$/.test(f)), 'a publicity page is checked');
  const errors = vnu(files);
  assert.equal(errors.length, 0, `Nu HTML Checker errors in ${files.length} pages:\n${describe(site, errors)}`);
});

test('paginated list and district pages are valid HTML', () => {
  const files = sample(paged).filter((f) => /\/page\/\d+\/index\.html$/.test(f) || /lists|districts/.test(relative(paged, f)));
  assert.ok(files.some((f) => /\/page\/2\/index\.html$/.test(f)), 'the fixture has second pages');
  const errors = vnu(files);
  assert.equal(errors.length, 0, `Nu HTML Checker errors:\n${describe(paged, errors)}`);
});
