#!/usr/bin/env node
// Builds the default site and photographs the home page, a list page, a publicity page and
// the search page at phone (390×844) and desktop (1366×900) widths with headless Chromium,
// into docs/screenshots/*.png (viewport-height captures, to keep the files small); then
// runs `gazette serve` on a copy of the site and photographs the clerk's console at
// 1366×768 (console-*.png), doing on the copy what a clerk does.
//
//   cargo build --release && node scripts/screenshots.mjs
//
// Uses the browser-test helpers (tests/browser, run `npm ci` there first); GAZETTE_BIN
// picks another binary. Needs a Chinese font (Debian: fonts-noto-cjk). The clock is fixed to the build date so the live status matches.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, serve, launch, startServe, tempDir, REPO } from '../tests/browser/lib.mjs';
import { listsOf } from '../tests/browser/site_pages.mjs';

const TODAY = '2026-11-25';
const OUT = join(REPO, 'docs', 'screenshots');
const SIZES = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 900 } };

// Without a Chinese font every character is a blank box: refuse rather than commit that.
const fonts = spawnSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
if (fonts.status !== 0 || !fonts.stdout.trim()) {
  throw new Error('no Chinese font installed: apt-get install fonts-noto-cjk (Debian), then re-run');
}

const site = buildSite({ today: TODAY });
const publicity = listsOf(site).find((l) => l.stage === 'publicity' && l.publicity?.working_days);
if (!publicity) throw new Error('the default site has no list under publicity');
const PAGES = {
  home: '',
  list: `lists/${publicity.id}/`,
  publicity: `lists/${publicity.id}/publicity/`,
  search: 'search/',
};

mkdirSync(OUT, { recursive: true });
const server = await serve(site);
const browser = await launch();
try {
  for (const [sizeName, viewport] of Object.entries(SIZES)) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    for (const [name, path] of Object.entries(PAGES)) {
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date(`${TODAY}T10:00:00+08:00`));
      await page.goto(server.base + path, { waitUntil: 'load' });
      if (name === 'search') {
        // Show a result list, as a reader would see it after typing part of a name.
        await page.fill('#q', '示例').catch(() => {});
        await page.press('#q', 'Enter').catch(() => {});
        await page.waitForSelector('#search-results li', { timeout: 5000 }).catch(() => {});
        await page.locator('#q').blur().catch(() => {});
      }
      const file = join(OUT, `${name}-${sizeName}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
      await page.close();
    }
    await context.close();
  }
  await consoleShots(browser);
} finally {
  await browser.close();
  await server.close();
}

/** The console at 1366×768, on a copy of the site (the clerk's steps change its files). */
async function consoleShots(browser) {
  const root = tempDir('gazette-console-shots-');
  for (const d of ['content', 'data']) cpSync(join(REPO, d), join(root, d), { recursive: true });
  const served = await startServe(root, { today: TODAY, env: { GAZETTE_TEST_DEPLOY_PAUSE_AFTER: '40' } });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1, locale: 'zh-CN' });
  const page = await context.newPage();
  const shot = async (name) => {
    const file = join(OUT, `console-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`wrote ${file}`);
  };
  try {
    await page.goto(served.console);
    await shot('overview');
    await page.goto(`${served.console}list?id=${publicity.id}`);
    await page.locator('#withdraw').scrollIntoViewIfNeeded();
    await page.fill('#w-who', '大连示例东港软件有限公司');
    await page.fill('#w-reason', '经核实不符合条件（异议成立）');
    await shot('withdraw');
    // Each form posts and the next page is photographed once it is there.
    await Promise.all([page.waitForURL(/list\/withdraw$/), page.click('#withdraw + form button[type=submit]')]);
    await shot('confirm');
    await Promise.all([page.waitForURL(/changes\/\d+$/), page.click('text=确认写入')]);
    await shot('done');
    // A district's sheet with a mistyped credit code, dropped on the import page.
    const sheet = join(root, '中山区推荐表.csv');
    writeFileSync(sheet, '序号,企业名称,所属区县,统一社会信用代码\n1,大连示例新材料科技有限公司,中山区,91210202MA0000001Y\n2,大连示例软件有限公司,中山区,91210202MA00000020\n');
    await page.goto(`${served.console}import`);
    await page.setInputFiles('#i-files', sheet);
    await page.fill('#i-year', '2026');
    await page.selectOption('#i-batch', { label: '第四季度' }).catch(() => page.fill('#i-batch', '4'));
    await page.selectOption('#i-kind', 'application');
    await Promise.all([page.waitForURL(/import$/), page.click('button:has-text("预览导入")')]);
    await page.waitForSelector('td.bad');
    await shot('import-problem');
    await page.goto(`${served.console}deploy`);
    await Promise.all([page.waitForURL(/deploy\/build$/), page.click('button:has-text("生成网站")')]);
    await page.goto(`${served.console}deploy`);
    await page.fill('#d-to', join(root, 'www'));
    await Promise.all([page.waitForURL(/deploy\/plan$/), page.click('button:has-text("查看部署计划")')]);
    await shot('deploy-plan');
    // The deploy pauses half-way (the test hook below), so that its progress can be shown.
    await Promise.all([page.waitForURL(/deploy\/progress$/), page.click('button:has-text("确认部署")')]);
    await page.waitForFunction(() => document.querySelector('#d-bar')?.value >= 40, null, { timeout: 30000 });
    await shot('deploy-progress');
  } finally {
    await context.close();
    await served.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
