// Search: a synthetic site of a few thousand enterprises, built under a sub-path; for a
// few hundred generated queries of every class, window.gazette.search must return exactly
// the rows a brute-force scan of the list downloads finds (every page, in order); plus the
// search page itself: typing, filters, URL queries, highlighting, no result, no JavaScript;
// and the programme and year filters on a copy of the repository's site with two programmes
// and two years (none on the repository's own site, which has one of each).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildSite, gazette, tempDir, serve, launch, REPO } from './lib.mjs';
import { fixtureRoot } from './site_pages.mjs';

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
  assert.equal(await items.first().locator('a.result-name').getAttribute('href'), want[0].url);
  assert.equal(await items.first().locator('mark').textContent(), fragment);
  assert.equal(new URL(page.url()).searchParams.get('q'), fragment.replace('（', '('));
  if (want.length > 20) {
    await page.click('#search-more button');
    await page.waitForFunction(() => document.querySelectorAll('#search-results > li').length > 20);
    assert.equal(await items.count(), Math.min(40, want.length));
  }
  // The row anchor exists on the linked list page.
  const code = want[0].credit_code;
  await items.first().locator('a.result-name').click();
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
  assert.equal(await item.locator('a.result-name').getAttribute('href'), w.url);
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

// ---- programme and year filters ----

/** The repository's site plus 专精特新中小企业 (a 2026 list of three rows) and a 2025 list
 * of the default programme (two rows, published in January 2026). */
function twoProgrammesRoot() {
  const root = fixtureRoot();
  const write = (rel, text) => { mkdirSync(dirname(join(root, rel)), { recursive: true }); writeFileSync(join(root, rel), text); };
  const innovative = readFileSync(join(root, 'data', 'programmes', 'innovative.toml'), 'utf8');
  const specialised = innovative
    .replace('name = "创新型中小企业"', 'name = "专精特新中小企业"')
    .replace(/^default = true\n/m, '')
    .replace(/^cadence = .*$/m, 'cadence = "half-year"')
    .replace(/^batch_names = .*$/m, 'batch_names = ["上半年", "下半年"]')
    .replace(/\[\[kind\]\][\s\S]*?(?=\n\[titles\])/, '[[kind]]\nid = "recognition"\nname = "认定"\n\n[[kind]]\nid = "review"\nname = "复核"\n');
  assert.ok(!/^default = true/m.test(specialised) && specialised.includes('id = "recognition"'));
  write('data/programmes/specialised.toml', specialised);
  write('content/notices/specialised/2026/index.md',
    '+++\ntitle = "关于做好2026年度专精特新中小企业认定工作的通知"\ndate = 2026-03-02\ntemplate = "notice.html"\n+++\n\n市工业和信息化局组织开展2026年度专精特新中小企业认定工作。\n');
  const codes = [...readFileSync(join(root, 'data', 'lists', '2026-q3-application.toml'), 'utf8').matchAll(/^credit_code = "([^"]+)"/gm)].map((m) => m[1]);
  const rows = (list) => list.map(([name, i, district]) => `\n[[enterprise]]\nname = "${name}"\ncredit_code = "${codes[i]}"\ndistrict = "${district}"\n`).join('');
  write('data/lists/specialised-2026-h1-recognition.toml',
    'programme = "specialised"\nyear = 2026\nbatch = 1\nkind = "recognition"\nstage = "publicity"\nsample = true\n\n[publicity]\nstart = 2026-11-23\nworking_days = 5\n' +
    rows([['大连示例精工甲有限公司', 0, '沙河口区'], ['大连示例精工乙有限公司', 1, '金普新区'], ['大连示例精工丙有限公司', 2, '长海县']]));
  write('data/lists/2025-q4-application.toml',
    'year = 2025\nbatch = 4\nkind = "application"\nstage = "announced"\nsample = true\n\n[publicity]\nstart = 2026-01-05\nworking_days = 5\n\n[announcement]\ndate = 2026-01-20\n' +
    rows([['大连示例往年甲有限公司', 3, '甘井子区'], ['大连示例往年乙有限公司', 4, '瓦房店市']]));
  return root;
}

describe('programme and year filters', () => {
  let multi, single, singleDir;
  before(async () => {
    multi = await serve(buildSite({ root: twoProgrammesRoot() }));
    singleDir = buildSite();
    single = await serve(singleDir);
  });
  // Rows of a built site's lists whose name has `q`, from the JSON downloads.
  const rowsWith = (site, q) => readdirSync(join(site, 'lists'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => JSON.parse(readFileSync(join(site, 'lists', d.name, `${d.name}.json`), 'utf8')))
    .reduce((n, l) => n + l.enterprises.filter((e) => e.name.includes(q)).length, 0);
  after(async () => { await multi?.close(); await single?.close(); });

  const options = (page, id) => page.locator(`#${id} option`).evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const count = async (page) => Number((await page.textContent('#search-status')).match(/共找到(\d+)条结果/)?.[1]);
  const listsShown = (page) => page.locator('#search-results .result-info').allTextContents();

  test('appear on a two-programme, two-year site and narrow the results, the count and the URL', async () => {
    const page = await browser.newPage();
    await page.goto(`${multi.base}search/`);
    await page.locator('#programme').waitFor();
    assert.equal(await page.textContent('label[for="programme"]'), '项目');
    assert.equal(await page.textContent('label[for="year"]'), '年份');
    assert.deepEqual(await options(page, 'programme'), [['', '全部项目'], ['innovative', '创新型中小企业'], ['specialised', '专精特新中小企业']]);
    assert.deepEqual(await options(page, 'year'), [['', '全部年份'], ['2026', '2026年'], ['2025', '2025年']]);
    // In the page's own filter row, before 名单, and as tall as the other controls.
    const order = await page.locator('.filters select').evaluateAll((ss) => ss.map((s) => s.id));
    assert.deepEqual(order, ['district', 'programme', 'year', 'list', 'stage']);
    for (const id of ['programme', 'year']) {
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(box.height >= 44, `#${id} is ${box.height}px tall`);
    }

    await page.fill('#q', '示例');
    await waitResults(page);
    const total = await count(page);
    assert.ok(total > 3, `unfiltered: ${total}`);

    await page.selectOption('#programme', 'specialised');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('programme') === 'specialised');
    await waitResults(page);
    assert.equal(await count(page), 3);
    let infos = await listsShown(page);
    assert.equal(infos.length, 3);
    assert.ok(infos.every((t) => t.includes('专精特新中小企业')), infos.join('\n'));
    // 名单 options of the other programme cannot be chosen meanwhile.
    const disabled = await page.locator('#list option:disabled').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(disabled.length > 0 && !disabled.includes('specialised-2026-h1-recognition'), disabled.join(','));

    // Year by keyboard: Tab from 项目 reaches 年份; 2025 with 专精特新 has nothing.
    await page.focus('#programme');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'year');
    await page.selectOption('#year', '2025');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('year') === '2025');
    await waitResults(page);
    assert.match(await page.textContent('#search-status'), /没有找到/);

    await page.selectOption('#programme', '');
    await waitResults(page);
    assert.equal(await count(page), 2);
    infos = await listsShown(page);
    assert.ok(infos.every((t) => t.includes('2025年第四季度')), infos.join('\n'));
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), '示例');
    assert.equal(url.searchParams.get('year'), '2025');
    assert.equal(url.searchParams.has('programme'), false);

    // The API takes the same filters.
    const api = await page.evaluate(async () => [
      (await window.gazette.search('示例', { programme: 'specialised' })).total,
      (await window.gazette.search('示例', { year: 2025 })).total,
      (await window.gazette.search('示例', { programme: 'innovative', year: '2026' })).total,
      (await window.gazette.search('', { programme: 'specialised', limit: 100 })).total,
    ]);
    assert.deepEqual(api, [3, 2, total - 5, 3]);
    await page.close();
  });

  test('a shared filtered URL runs on load, and Back from a result returns to it', async () => {
    const page = await browser.newPage();
    await page.goto(`${multi.base}search/?q=${encodeURIComponent('示例')}&programme=specialised&year=2026`);
    await waitResults(page);
    assert.equal(await page.inputValue('#programme'), 'specialised');
    assert.equal(await page.inputValue('#year'), '2026');
    assert.equal(await count(page), 3);
    await page.locator('#search-results a').first().click();
    await page.waitForURL(/\/lists\/specialised-2026-h1-recognition\//);
    await page.goBack();
    await page.waitForURL(/programme=specialised/);
    await page.locator('#programme').waitFor();
    await waitResults(page);
    assert.equal(await page.inputValue('#programme'), 'specialised');
    assert.equal(await page.inputValue('#year'), '2026');
    assert.equal(await count(page), 3);
    // An unknown programme in the URL is ignored, as unknown districts and lists are.
    await page.goto(`${multi.base}search/?q=${encodeURIComponent('示例')}&programme=nope`);
    await waitResults(page);
    assert.equal(await page.inputValue('#programme'), '');
    assert.ok((await count(page)) > 3);
    await page.close();
  });

  test('the filters pass axe (labels, contrast) on the two-programme site', async () => {
    const require = createRequire(import.meta.url);
    const page = await browser.newPage();
    await page.goto(`${multi.base}search/?q=${encodeURIComponent('示例')}`);
    await page.locator('#year').waitFor();
    await waitResults(page);
    await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    assert.deepEqual(violations, []);
    await page.close();
  });

  test('are not shown on the repository site (one programme, one year)', async () => {
    const page = await browser.newPage();
    await page.goto(`${single.base}search/?q=${encodeURIComponent('示例')}&programme=specialised&year=2025`);
    await waitResults(page);
    assert.equal(await page.locator('#programme, #year').count(), 0);
    assert.deepEqual(await page.locator('.filters select').evaluateAll((ss) => ss.map((s) => s.id)), ['district', 'list', 'stage']);
    // Filters that the page does not offer do not apply, and leave the URL.
    assert.equal(await count(page), rowsWith(singleDir, '示例'));
    const url = new URL(page.url());
    assert.equal(url.searchParams.has('programme') || url.searchParams.has('year'), false);
    await page.close();
  });
});
