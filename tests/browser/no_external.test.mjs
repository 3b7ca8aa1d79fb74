// Loading every kind of page with JavaScript on (care mode, live status, search, the
// self-assessment) requests nothing from any host but the local server; and the criteria
// page's self-assessment totals the bands picked and explains the verdict.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serve, launch } from './lib.mjs';
import { pageKinds, fixtureRoot } from './site_pages.mjs';

let site, server, browser;
before(async () => {
  site = buildSite();
  server = await serve(site);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

test('no page requests anything from another host', async () => {
  const origin = new URL(server.base).origin;
  const context = await browser.newContext();
  await context.addInitScript(() => window.localStorage.setItem('gazette-care', JSON.stringify({ size: 2, contrast: true })));
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const kinds = pageKinds(site);
  for (const { path } of kinds) {
    const page = await context.newPage();
    await page.goto(server.base + path, { waitUntil: 'networkidle' });
    if (path === 'search/') {
      // Let the search script load whatever index it needs.
      await page.fill('#q', '大连');
      await page.press('#q', 'Enter');
      await page.waitForLoadState('networkidle');
    }
    if (path === 'notices/innovative/2026/criteria/') {
      await page.check('#selfassess input[type="radio"] >> nth=0');
    }
    await page.close();
  }
  await context.close();
  const foreign = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'requests to other hosts');
  // The local server saw the pages and their assets.
  assert.ok(server.log.some((e) => e.path.includes('/assets/style.css')));
  assert.ok(server.log.some((e) => e.path.includes('/assets/site.js')));
  assert.ok(requests.length >= kinds.length);
  const missing = server.log.filter((e) => e.status !== 200 && !e.path.endsWith('/404.html'));
  assert.deepEqual(missing, [], 'every local request succeeded');
});

test('served from a sub-path, every page loads all its assets from under that path', async () => {
  const sub = buildSite({ root: fixtureRoot({ 'data/site.toml': (t) => t.replace(/^base_url = "([^"]*?)\/?"$/m, 'base_url = "$1/sub/path/"') }) });
  const subServer = await serve(sub, { prefix: '/sub/path/' });
  const context = await browser.newContext();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  try {
    for (const { path } of pageKinds(sub)) {
      const page = await context.newPage();
      await page.goto(subServer.base + path, { waitUntil: 'networkidle' });
      // The stylesheet really applied (not a 404): the header has the theme's colour.
      const bg = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', `${path}: stylesheet not applied`);
      await page.close();
    }
  } finally {
    await context.close();
    await subServer.close();
  }
  const origin = new URL(subServer.base).origin;
  assert.deepEqual(requests.filter((u) => !u.startsWith(subServer.base)), [], 'requests outside the sub-path');
  assert.deepEqual(subServer.log.filter((e) => e.status !== 200 && !e.path.endsWith('/404.html')), [], 'failed local requests');
  assert.ok(requests.every((u) => u.startsWith(origin)));
});

/** Picks, in each indicator of the named category, the band worth the given points. */
async function pick(page, category, pointsPerIndicator) {
  const indicators = page.locator(`#selfassess fieldset.category[data-name="${category}"] fieldset.indicator`);
  assert.equal(await indicators.count(), pointsPerIndicator.length, `${category} indicators`);
  for (let i = 0; i < pointsPerIndicator.length; i++) {
    await indicators.nth(i).locator(`input[type="radio"][value="${pointsPerIndicator[i]}"]`).check();
  }
}

async function results(page) {
  return page.evaluate(() => ({
    innovation: document.querySelector('#selfassess fieldset.category[data-name="创新能力"] output').textContent.trim(),
    growth: document.querySelector('#selfassess fieldset.category[data-name="成长性"] output').textContent.trim(),
    special: document.querySelector('#selfassess fieldset.category[data-name="专业化"] output').textContent.trim(),
    total: document.getElementById('total').textContent.trim(),
    verdict: document.getElementById('verdict').textContent.trim(),
    reasons: [...document.querySelectorAll('#reasons li')].map((li) => li.textContent.trim()),
  }));
}

test('the self-assessment totals the bands and names the category below its minimum', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
  const page = await context.newPage();
  await page.goto(server.base + 'notices/innovative/2026/criteria/');
  const before = await results(page);
  assert.equal(before.total, '______', 'blank line before anything is picked');

  // 创新能力 15 + 0 = 15 (minimum 20); 成长性 20 + 10 = 30; 专业化 10 + 20 = 30; total 75.
  await pick(page, '创新能力', [15, 0]);
  let r = await results(page);
  assert.equal(r.innovation, '15');
  assert.match(r.verdict, /尚未完成/);
  assert.match(r.verdict, /4项指标未选择/);

  await pick(page, '成长性', [20, 10]);
  await pick(page, '专业化', [10, 20]);
  r = await results(page);
  assert.deepEqual([r.innovation, r.growth, r.special, r.total], ['15', '30', '30', '75']);
  assert.match(r.verdict, /^结论：不符合/);
  assert.match(r.verdict, /创新能力得分15分，低于20分/);
  assert.doesNotMatch(r.verdict, /总分/, 'the total (75) is above 60, so it is not a reason');
  assert.deepEqual(r.reasons, ['创新能力得分15分，低于20分']);

  // Raise 创新能力 to exactly 20: passes.
  await pick(page, '创新能力', [15, 5]);
  r = await results(page);
  assert.deepEqual([r.innovation, r.total], ['20', '80']);
  assert.match(r.verdict, /^结论：符合/);
  assert.deepEqual(r.reasons, []);

  // Low everywhere: every shortfall is listed, the total first.
  await pick(page, '创新能力', [5, 5]);
  await pick(page, '成长性', [5, 5]);
  await pick(page, '专业化', [5, 5]);
  r = await results(page);
  assert.equal(r.total, '30');
  assert.deepEqual(r.reasons, ['总分30分，低于60分', '创新能力得分10分，低于20分',
    '成长性得分10分，低于15分', '专业化得分10分，低于15分']);

  // A direct condition qualifies whatever the score.
  await page.locator('#selfassess input[name="direct"]').first().check();
  r = await results(page);
  assert.match(r.verdict, /^结论：符合（符合直通条件第1项/);

  // Print and reset buttons appear with JS; print calls window.print, reset clears.
  assert.equal(await page.isVisible('#print-form'), true);
  await page.click('#print-form');
  assert.equal(await page.evaluate(() => window.__printed), 1);
  await page.click('#selfassess button[type="reset"]');
  await page.waitForFunction(() => document.getElementById('total').textContent.trim() === '______');
  r = await results(page);
  assert.equal(r.innovation, '______');
  assert.deepEqual(r.reasons, []);
  assert.equal(r.verdict, before.verdict);
  await context.close();
});

test('without JavaScript the self-assessment is a worksheet with blank lines', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.base + 'notices/innovative/2026/criteria/');
  assert.equal(await page.isVisible('#print-form'), false, 'JS-only buttons stay hidden');
  assert.equal((await page.textContent('#total')).trim(), '______');
  assert.match(await page.textContent('#verdict'), /□ 符合/);
  assert.ok(await page.locator('#selfassess input[type="radio"]').count() >= 20);
  await context.close();
});
