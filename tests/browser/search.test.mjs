// Search: a synthetic site of a few thousand enterprises, built under a sub-path; for a
// few hundred generated queries of every class, window.gazette.search must return exactly
// the rows a brute-force scan of the list downloads finds (every page, in order); plus the
// search page itself: typing, filters, URL queries, highlighting, no result, no JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gazette, tempDir, serve, launch, REPO } from './lib.mjs';

const PREFIX = '/gz/';
let root, out, server, browser, rows, lists, districts;

// ---- brute force, written from the issue's definition, not from search.js ----
const IGNORE = /[\s\p{Cc}\u200B-\u200D\u2060\uFEFF]/u;
const normName = (s) => [...s.normalize('NFKC')].filter((c) => !IGNORE.test(c)).map((c) => c.toLowerCase()).join('');
const normCode = (s) => [...s.normalize('NFKC')].filter((c) => !IGNORE.test(c)).map((c) => c.toUpperCase()).join('');

function brute(q, { district = '', list = '', stage = '' } = {}) {
  const nq = normName(q), cq = normCode(q);
  return rows.filter((r) => {
    const hit = nq === ''
      ? Boolean(district || list || stage)
      : r.nname.includes(nq) || (cq.length >= 4 && r.credit_code.startsWith(cq)) || normName(r.district) === nq;
    return hit && (!district || r.district === district) && (!list || r.list === list) && (!stage || r.stage === stage);
  });
}

function rng(seed) {
  let s = seed >>> 0;
  return (n) => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s % n; };
}

before(async () => {
  root = join(tempDir('gazette-search-'), 'site');
  gazette(['synth', '--out', root, '--enterprises', '3000', '--seed', '11', '--from', REPO]);
  // Small pages, so that rows on page 2+ and withdrawn rows on last pages are exercised.
  const siteToml = join(root, 'data', 'site.toml');
  writeFileSync(siteToml, readFileSync(siteToml, 'utf8').replace(/^page_size = \d+/m, 'page_size = 100'));
  out = join(root, 'public');
  gazette(['build', '--root', root, '--out', out, '--today', '2026-11-25', '--base-url', `https://example.gov.cn${PREFIX}`]);

  const districtsToml = readFileSync(join(root, 'data', 'districts.toml'), 'utf8');
  districts = [...districtsToml.matchAll(/^\[\[district\]\]\s*\nname = "([^"]+)"/gm)].map((m) => m[1]);
  // Lists from their JSON downloads, newest first (year, quarter, application before review).
  const ids = readdirSync(join(root, 'data', 'lists')).map((f) => f.replace(/\.toml$/, ''));
  lists = ids.map((id) => JSON.parse(readFileSync(join(out, 'lists', id, `${id}.json`), 'utf8')));
  lists.sort((a, b) => b.year - a.year || b.quarter - a.quarter || (a.kind === 'application' ? -1 : 1) - (b.kind === 'application' ? -1 : 1));
  assert.equal(lists.length, 16);
  rows = [];
  for (const l of lists) {
    const pages = Math.max(1, Math.ceil(l.count / 100));
    let shown = 0;
    for (const e of l.enterprises) {
      // 序号 keep the published numbering (gaps where enterprises were withdrawn); an
      // announced list shows withdrawn rows apart, on its last page.
      const apart = l.stage === 'announced' && e.withdrawn != null;
      const page = apart ? pages : Math.ceil(++shown / 100);
      rows.push({
        name: e.name, credit_code: e.credit_code, district: e.district, list: l.id, stage: l.stage,
        url: `${PREFIX}lists/${l.id}/${page > 1 ? `page/${page}/` : ''}#${e.credit_code}`,
        sample: l.sample, withdrawn: e.withdrawn != null, nname: normName(e.name),
      });
    }
  }
  assert.equal(rows.length, 3000);
  server = await serve(out, { prefix: PREFIX });
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

function queries() {
  const r = rng(20261125), pick = (a) => a[r(a.length)], out = [];
  const mid = (name, n) => { const c = [...name]; const s = 1 + r(Math.max(1, c.length - n - 1)); return c.slice(s, s + n).join(''); };
  const fullWidth = (s) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/[()]/g, (c) => (c === '(' ? '（' : '）'));
  for (let i = 0; i < 60; i++) out.push(['2-char', mid(pick(rows).name, 2)]);
  for (let i = 0; i < 60; i++) out.push(['3-4-char', mid(pick(rows).name, 3 + r(2))]);
  for (let i = 0; i < 30; i++) out.push(['full name', pick(rows).name]);
  for (let i = 0; i < 30; i++) out.push(['full code', pick(rows).credit_code]);
  for (let i = 0; i < 20; i++) out.push(['code 8', pick(rows).credit_code.slice(0, 8)]);
  for (let i = 0; i < 10; i++) out.push(['code 4', pick(rows).credit_code.slice(0, 4 + r(5))]);
  for (const d of districts) out.push(['district', d]);
  for (let i = 0; i < 10; i++) out.push(['no match', `不存在${pick(['龘', '䶮', '㐀'])}${mid(pick(rows).name, 2)}`]);
  out.push(['no match', '91210202MA0000001J'], ['no match', 'ZZZZ'], ['no match', '9']);
  for (let i = 0; i < 30; i++) {
    const n = pick(rows).name;
    const v = r(3) === 0 ? fullWidth(n) : r(2) ? n.split('').join(' ') : `  ${n.toUpperCase()}\u3000`;
    out.push(['variant', v]);
  }
  for (let i = 0; i < 10; i++) out.push(['code variant', ` ${fullWidth(pick(rows).credit_code.toLowerCase().slice(0, 10))} `]);
  const filtered = [];
  for (const [cls, q] of out) {
    if (r(3) === 0) {
      const f = {};
      const k = r(4);
      if (k === 0 || k === 3) f.district = pick(districts);
      if (k === 1 || k === 3) f.list = pick(lists).id;
      if (k === 2) f.stage = pick(['publicity', 'announced']);
      filtered.push([`${cls} + filter`, q, f]);
    }
  }
  for (let i = 0; i < 8; i++) filtered.push(['filters only', '', [{ district: pick(districts) }, { list: pick(lists).id }, { stage: 'publicity' }, { district: pick(districts), stage: 'announced' }][i % 4]]);
  filtered.push(['nothing', '', {}]);
  return out.map(([c, q]) => [c, q, {}]).concat(filtered);
}

test('window.gazette.search equals brute force for every query class, every page', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}search/`);
  await page.waitForFunction(() => window.gazette && typeof window.gazette.search === 'function');
  const qs = queries();
  assert.ok(qs.length >= 300, `only ${qs.length} queries`);
  const answers = await page.evaluate(async (qs) => {
    const out = [];
    for (const [, q, f] of qs) {
      const first = await window.gazette.search(q, { ...f, offset: 0, limit: 200 });
      const all = [...first.results];
      let total = first.total;
      if (first.exact) {
        for (let off = 200; off < total; off += 200) {
          const next = await window.gazette.search(q, { ...f, offset: off, limit: 200 });
          all.push(...next.results);
        }
      } else {
        const more = await window.gazette.search(q, { ...f, offset: 1000, limit: 20 });
        all.push(...more.results.map((x) => ({ ...x, late: true })));
      }
      out.push({ total, exact: first.exact, all });
    }
    return out;
  }, qs);
  const classes = new Set();
  let inexact = 0;
  qs.forEach(([cls, q, f], i) => {
    classes.add(cls);
    const want = brute(q, f).map(({ nname, ...r }) => r);
    const a = answers[i];
    const label = `${cls}: ${JSON.stringify(q)} ${JSON.stringify(f)}`;
    if (want.length <= 1000) assert.equal(a.exact, true, `${label} must be exact`);
    if (a.exact) {
      assert.equal(a.total, want.length, `${label}: total`);
      assert.deepEqual(a.all, want, `${label}: results`);
    } else {
      inexact++;
      assert.ok(a.total <= want.length && a.total >= 200, `${label}: lower bound ${a.total} of ${want.length}`);
      const head = a.all.filter((x) => !x.late), late = a.all.filter((x) => x.late).map(({ late, ...x }) => x);
      assert.deepEqual(head, want.slice(0, 200), `${label}: first page`);
      assert.deepEqual(late, want.slice(1000, 1020), `${label}: page at offset 1000`);
    }
  });
  assert.ok(classes.size >= 12, [...classes].join(','));
  // Every request stayed under the prefix and found its file.
  assert.deepEqual(server.log.filter((e) => e.status !== 200).map((e) => e.path), []);
  await page.close();
});

async function waitResults(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s && !s.startsWith('正在');
  });
}

test('typing shows results with the match highlighted, linked to the row', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}search/`);
  const target = rows.find((r) => r.name.includes('（大连）'));
  assert.ok(target, 'the synthetic data has names with full-width brackets');
  const fragment = [...target.name].slice(0, 4).join('');
  await page.locator('#q').pressSequentially(fragment.replace('（', '('), { delay: 20 });
  await waitResults(page);
  const want = brute(fragment);
  assert.match(await page.textContent('#search-status'), new RegExp(`共找到${want.length}条结果`));
  const items = page.locator('#search-results > li');
  assert.equal(await items.count(), Math.min(20, want.length));
  assert.equal(await items.first().locator('a').getAttribute('href'), want[0].url);
  assert.equal(await items.first().locator('mark').textContent(), fragment);
  assert.equal(new URL(page.url()).searchParams.get('q'), fragment.replace('（', '('));
  if (want.length > 20) {
    await page.click('#search-more button');
    await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 20);
    assert.equal(await items.count(), Math.min(40, want.length));
  }
  // The row anchor exists on the linked list page.
  const code = want[0].credit_code;
  await items.first().locator('a').click();
  await page.waitForLoadState();
  assert.equal(await page.locator(`[id="${code}"]`).count(), 1);
  await page.close();
});

test('filters narrow the results and are kept in the URL', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}search/`);
  await page.fill('#q', '有限公司');
  await waitResults(page);
  await page.selectOption('#district', '长海县');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('district') === '长海县');
  await waitResults(page);
  const want = brute('有限公司', { district: '长海县' });
  assert.match(await page.textContent('#search-status'), new RegExp(`共找到${want.length}条结果`));
  const texts = await page.locator('#search-results .result-info').allTextContents();
  assert.ok(texts.length > 0 && texts.every((t) => t.includes('区县：长海县')));
  await page.close();
});

test('a query in the URL runs on load; samples and withdrawn rows are marked', async () => {
  const page = await browser.newPage();
  const w = rows.find((r) => r.withdrawn);
  await page.goto(`${server.base}search/?q=${encodeURIComponent(w.credit_code)}&list=${w.list}`);
  await waitResults(page);
  assert.equal(await page.inputValue('#q'), w.credit_code);
  assert.equal(await page.inputValue('#list'), w.list);
  const item = page.locator('#search-results > li').first();
  assert.equal(await item.locator('a').getAttribute('href'), w.url);
  assert.match(await item.textContent(), /示例数据/);
  assert.match(await item.textContent(), /已撤回/);
  assert.equal(await item.locator('.code mark').textContent(), w.credit_code);
  await page.close();
});

test('no result says so and says whom to call', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}search/?q=${encodeURIComponent('没有这家企业龘')}`);
  await waitResults(page);
  assert.match(await page.textContent('#search-status'), /没有找到/);
  assert.equal(await page.isVisible('#search-empty'), true);
  assert.match(await page.textContent('#search-empty'), /信用代码/);
  assert.equal(await page.locator('#search-empty a').getAttribute('href'), `${PREFIX}contacts/`);
  await page.close();
});

test('without JavaScript the page says so and links the district and list pages', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}search/`);
  assert.match(await page.textContent('main'), /需要浏览器启用 JavaScript/);
  assert.equal(await page.getByRole('link', { name: '按区县查看企业名单' }).getAttribute('href'), `${PREFIX}districts/`);
  assert.equal(await page.getByRole('link', { name: '全部名单' }).getAttribute('href'), `${PREFIX}lists/`);
  await context.close();
});
