// `gazette serve` in headless Chromium: an open page reloads by itself after a data edit,
// shows the build error banner after a broken edit, and loses it after the fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir, launch, startServe } from './lib.mjs';

const LIST = join('data', 'lists', '2026-q1-application.toml');
const OLD_NAME = '大连示例东港新材料有限公司';

let root, server, base, browser;
/** Everything the server printed so far. */
const log = () => server.log();

function edit(rel, from, to) {
  const path = join(root, rel);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${rel} does not contain ${from}`);
  writeFileSync(path, text.replace(from, to));
}

before(async () => {
  root = tempDir('gazette-serve-');
  for (const d of ['content', 'data', 'themes']) cpSync(join(REPO, d), join(root, d), { recursive: true });
  // The pause lets the page reload from the pages step before the complete step lands.
  server = await startServe(root, { env: { GAZETTE_TEST_STEP_PAUSE_MS: '1500' } });
  base = server.base;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Polls `check` every 50 ms until it returns true, or fails after `ms`. */
async function until(check, ms, what) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

const builtSite = () => log().split('已生成网站').length - 1;

test('an open page reloads by itself, once, after a data edit and shows the new text', async () => {
  const page = await browser.newPage();
  const foreign = [];
  const polls = [];
  let reloads = 0;
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) foreign.push(r.url());
    const since = new URL(r.url()).searchParams.get('since');
    if (r.url().includes('/__gazette/poll') && since) polls.push(since);
  });
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) reloads += 1; });
  await page.goto(`${base}lists/2026-q1-application/`);
  reloads = 0;
  assert.ok((await page.textContent('main')).includes(OLD_NAME));
  // A marker that only survives if the page is NOT reloaded.
  await page.evaluate(() => { window.__notReloaded = true; });

  const completeBefore = builtSite();
  const started = Date.now();
  edit(LIST, OLD_NAME, '大连示例自动刷新有限公司');
  await page.waitForFunction(
    () => document.querySelector('main')?.textContent.includes('大连示例自动刷新有限公司'),
    null, { timeout: 8000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`reloaded in ${seconds}s`);
  assert.ok(seconds < 5, `reloaded in ${seconds}s`);

  // The edit is served in two steps (pages, then the complete site with its search
  // index). The page must not reload a second time when the second step changes
  // nothing on it: once the server has the complete site, the page either was served
  // from it or has moved on to waiting on its version.
  await until(() => builtSite() > completeBefore, 15000, 'the complete site');
  const current = (await (await fetch(base)).text()).match(/data-since="([^"]+)"/)[1];
  await until(async () => polls.includes(current)
    || await page.evaluate(() => document.querySelector('script[data-since]')?.dataset.since)
      === current, 15000, `the page to wait on version ${current}`);
  assert.equal(reloads, 1, 'the page reloaded exactly once');
  assert.equal(await page.evaluate(() => window.__notReloaded), undefined, 'the page reloaded');
  assert.ok((await page.textContent('main')).includes('大连示例自动刷新有限公司'));
  assert.deepEqual(foreign, [], 'no request to any other host');
  await page.close();
});

test('a broken edit shows the error banner; fixing it reloads the page without it', async () => {
  const page = await browser.newPage();
  await page.goto(base);
  const siteName = '大连市创新型中小企业申报和复核';
  assert.ok((await page.textContent('body')).includes(siteName));
  assert.equal(await page.locator('#gazette-build-error').count(), 0);

  edit(join('data', 'site.toml'), 'page_size = 500', 'page_size = "很多"');
  const banner = page.locator('#gazette-build-error');
  await banner.waitFor({ state: 'visible', timeout: 8000 });
  const text = await banner.textContent();
  assert.ok(text.includes('data/site.toml'), text);
  assert.ok(text.includes('"很多"'), 'the diagnostic shows the bad value, escaped and readable');
  assert.equal(await banner.getAttribute('role'), 'alert');
  // The last good site is still there under the banner.
  assert.ok((await page.textContent('main')).includes('创新型中小企业'));

  edit(join('data', 'site.toml'), 'page_size = "很多"', 'page_size = 500');
  edit(join('data', 'site.toml'), `name = "${siteName}"`, 'name = "大连市创新型中小企业（预览测试）"');
  await page.waitForFunction(
    () => !document.getElementById('gazette-build-error')
      && document.title.includes('大连市创新型中小企业（预览测试）'),
    null, { timeout: 8000 });
  await page.close();
});
