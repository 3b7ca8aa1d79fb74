// The default site opens in Chromium and every kind of page shows its main heading.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serve, launch } from './lib.mjs';

let site, server, browser;
before(async () => {
  site = buildSite();
  server = await serve(site);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

test('home page renders with lang zh-CN and a main landmark', async () => {
  const page = await browser.newPage();
  await page.goto(server.base);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.ok((await page.textContent('h1')).includes('创新型中小企业'));
  assert.equal(await page.locator('main#main').count(), 1);
  await page.close();
});

test('an address of the first edition (notice/) leads to the notice where it lives now', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + 'notice/');
  await page.waitForURL(/notices\/innovative\/2026\/$/);
  assert.ok((await page.textContent('h1')).includes('2026年度创新型中小企业申报和复核工作的通知'));
  await page.close();
});
