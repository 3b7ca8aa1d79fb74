// The enterprise directory in headless Chromium, on tests/fixtures/directory (every honour
// status): the status recomputed by honour.js at fixed clock times either side of each
// boundary, in China and far from it (China Standard Time decides); the page without
// JavaScript; and the search: a former name finds the renamed enterprise (原名 shown), the
// new name is found before any list carries it, results show the current status, and a
// whole credit code opens the enterprise's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, buildSite, serve, launch, tempDir } from './lib.mjs';

const LAPSED = '91210202MAAY4CL129'; // valid through 2026-03-09 (announced 2023-03-10)
const REVOKED = '91210202MA3Y7LLJY7'; // revoked from 2025-06-30
const RENAMED = '91210202MA1JJC1716'; // 大连示例己旧名… renamed 大连示例己新名… on 2025-03-01
const PUBLICITY = '91210202MAHU49D4H1'; // under publicity through 2026-12-07

let early, now, earlyServer, nowServer, browser;
before(async () => {
  const root = tempDir('gazette-directory-');
  cpSync(join(REPO, 'tests/fixtures/directory'), root, { recursive: true });
  cpSync(join(REPO, 'themes'), join(root, 'themes'), { recursive: true });
  // Built before the revocation and the warning period (every later state comes from the
  // browser), and as of a day when every status holds.
  early = buildSite({ root, today: '2025-06-01' });
  now = buildSite({ root, today: '2026-12-06' });
  earlyServer = await serve(early);
  nowServer = await serve(now);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await earlyServer?.close();
  await nowServer?.close();
});

/** The UTC instant of hh:mm on the ISO date in China (UTC+8). */
function china(iso, hh = 0, mm = 0) {
  return new Date(`${iso}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`);
}

async function honourAt(base, code, when, timezoneId) {
  const context = await browser.newContext({ timezoneId });
  const page = await context.newPage();
  await page.clock.setFixedTime(when);
  await page.goto(`${base}enterprises/${code}/`);
  await page.waitForFunction(() => window.gazette && typeof window.gazette.honourState === 'function');
  const r = {
    text: (await page.locator('.honour-status').first().textContent()).trim(),
    box: await page.locator('.honour-box').first().getAttribute('class'),
    advice: await page.locator('[data-honour-advice]').first().isVisible().catch(() => false),
  };
  await context.close();
  return r;
}

for (const zone of ['Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Auckland']) {
  test(`the honour status turns on China's midnight (browser in ${zone})`, async () => {
    const base = earlyServer.base;
    const cases = [
      // [code, instant, text, state]
      [LAPSED, china('2025-09-09', 23, 59), '有效（至2026年3月9日）', 'valid'],
      [LAPSED, china('2025-09-10', 0, 0), '即将到期（至2026年3月9日）', 'expiring'],
      [LAPSED, china('2026-03-09', 23, 59), '即将到期（至2026年3月9日）', 'expiring'],
      [LAPSED, china('2026-03-10', 0, 0), '已失效（2026年3月9日到期）', 'lapsed'],
      [REVOKED, china('2025-06-29', 23, 59), '有效（至2027年1月4日）', 'valid'],
      [REVOKED, china('2025-06-30', 0, 0), '已撤销（2025年6月30日起）', 'revoked'],
      [PUBLICITY, china('2026-12-07', 23, 59), '公示中', 'publicity'],
      [PUBLICITY, china('2026-12-08', 0, 1), '公示期满，待公告', 'publicity'],
    ];
    for (const [code, when, text, state] of cases) {
      const r = await honourAt(base, code, when, zone);
      const label = `${code} at ${when.toISOString()}`;
      assert.equal(r.text, text, label);
      assert.match(r.box, new RegExp(`\\bhonour-${state}\\b`), `${label}: box`);
      assert.equal(r.advice, state === 'expiring', `${label}: the advice to apply for review`);
    }
  });
}

test('without JavaScript the page states the status as of the build date', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${nowServer.base}enterprises/${LAPSED}/`);
  assert.equal((await page.locator('.honour-status').textContent()).trim(), '已失效（2026年3月9日到期）');
  assert.match(await page.locator('.honour-box .note').textContent(), /2026年12月6日/);
  await context.close();
});

async function searchFor(q) {
  const page = await browser.newPage();
  await page.clock.setFixedTime(china('2026-12-06', 12));
  await page.goto(`${nowServer.base}search/`);
  await page.fill('#q', q);
  await page.press('#q', 'Enter');
  return page;
}

test('a former name finds the renamed enterprise, shown with its current name and status', async () => {
  const page = await searchFor('己旧名');
  const result = page.locator('.search-result').first();
  await result.locator('.result-honour a').waitFor();
  const text = await result.textContent();
  assert.match(text, /现名：大连示例己新名科技有限公司/);
  assert.match(text, /创新型中小企业：即将到期（至2027年1月4日）/);
  assert.equal(await result.locator('.result-honour a').getAttribute('href'), `/enterprises/${RENAMED}/`);
  await page.close();
});

test('the new name is found before any list carries it', async () => {
  const page = await searchFor('己新名');
  const result = page.locator('.search-result').first();
  await result.waitFor();
  assert.equal(await result.locator('.result-name').getAttribute('href'), `/enterprises/${RENAMED}/`);
  await result.locator('.result-honour a').waitFor();
  assert.match(await result.textContent(), /原名：大连示例己旧名科技有限公司/);
  await page.close();
});

test('a whole credit code opens the enterprise page', async () => {
  const page = await searchFor(REVOKED.toLowerCase());
  await page.waitForURL(`**/enterprises/${REVOKED}/`);
  assert.match(await page.locator('.honour-status').textContent(), /已撤销/);
  await page.close();
});
