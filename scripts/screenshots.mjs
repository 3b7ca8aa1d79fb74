#!/usr/bin/env node
// Builds the default site and photographs the home page, a list page, a publicity page and
// the search page at phone (390×844) and desktop (1366×900) widths with headless Chromium,
// into docs/screenshots/*.png (viewport-height captures, to keep the files small).
//
//   cargo build --release && node scripts/screenshots.mjs
//
// Uses the browser-test helpers (tests/browser, run `npm ci` there first); GAZETTE_BIN
// picks another binary. Needs a Chinese font (Debian: fonts-noto-cjk). The clock is fixed to the build date so the live status matches.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, serve, launch, REPO } from '../tests/browser/lib.mjs';
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
} finally {
  await browser.close();
  await server.close();
}
