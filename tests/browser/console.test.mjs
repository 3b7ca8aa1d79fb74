// The clerk's console of `gazette serve` (issue 28) in headless Chromium: a withdrawal and
// an announcement done with the keyboard alone through the forms, checked in the list file
// and the rebuilt pages; WCAG 2.1 AA (axe-core) on every kind of console page; nothing
// wider than a 1366×768 screen; a form posted from another origin refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO, tempDir, launch, startServe } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LIST_ID = '2026-q3-application';
const LIST = join('data', 'lists', `${LIST_ID}.toml`);
const WITHDRAWN = '大连示例东港软件有限公司';

let root, server, base, browser, context;

before(async () => {
  root = tempDir('gazette-console-');
  for (const d of ['content', 'data']) cpSync(join(REPO, d), join(root, d), { recursive: true });
  server = await startServe(root);
  base = server.base;
  browser = await launch();
  // bypassCSP lets axe-core be injected into the console's pages (their policy forbids inline scripts).
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const console_ = (path = '') => `${base}__gazette/console/${path}`;
const listFile = () => readFileSync(join(root, LIST), 'utf8');

async function until(check, ms, what) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${server.log()}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }, TAGS);
}

/** Asserts WCAG 2.1 AA and that nothing is wider than the 1366 px window. */
async function checkPage(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${what}: ${violations.join('\n')}`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 1366, `${what} is ${wide}px wide at 1366×768`);
}

/** Presses Tab until the focused element matches `selector`; fails after 200 presses. */
async function tabTo(page, selector) {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test('a withdrawal and an announcement, with the keyboard alone, reach the file and the pages', async () => {
  const page = await context.newPage();
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });

  // The preview links to the console; the overview says what each list waits for.
  await page.goto(base);
  await page.click('#gazette-console-link');
  assert.equal(page.url(), console_());
  await checkPage(page, 'the overview');
  const due = page.locator(`a[href*="id=${LIST_ID}#withdraw"]`);
  assert.equal(await due.textContent(), '公示中：异议成立时撤回企业');
  await due.click();
  await checkPage(page, 'a list page');

  // Withdraw: type the name, the reason, submit with Enter; the preview writes nothing.
  const before = listFile();
  await tabTo(page, '#w-who');
  await page.keyboard.type(WITHDRAWN);
  await tabTo(page, '#w-reason');
  await page.keyboard.type('经核实不符合条件（异议成立）');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForURL(/list\/withdraw$/);
  assert.match(await page.locator('h1').textContent(), /^请确认/);
  assert.match(await page.locator('pre.diff ins').first().textContent(), /withdrawn = "经核实不符合条件（异议成立）"/);
  assert.equal(listFile(), before, 'the preview wrote the file');
  await checkPage(page, 'a confirmation page');

  // Confirm with the keyboard: written, recorded, shown on the rebuilt publicity page.
  await tabTo(page, 'button[type=submit]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/changes\/1$/);
  assert.match(listFile(), /withdrawn = "经核实不符合条件（异议成立）"/);
  assert.match(await page.locator('.notice.ok').textContent(), new RegExp(`已撤回${WITHDRAWN}`));
  await checkPage(page, 'a change record');
  // (Read over HTTP: an open page would be reloading itself as the site rebuilds.)
  const listPage = async () => (await context.request.get(`${base}lists/${LIST_ID}/`)).text();
  await until(async () => (await listPage()).includes('经核实不符合条件（异议成立）'),
    30000, 'the withdrawal on the rebuilt publicity page');

  // Announce, forced before the period's end, by the form.
  await page.goto(console_(`list?id=${LIST_ID}`));
  await page.fill('#a-date', '2026-12-04');
  await page.fill('#a-doc', '大工信发〔2026〕99号');
  await page.check('#announce + form input[name=force]');
  await page.click('#announce + form button[type=submit]');
  await page.waitForURL(/list\/announce$/);
  await page.click('text=确认写入');
  await page.waitForURL(/changes\/2$/);
  assert.match(listFile(), /大工信发〔2026〕99号/);
  await until(async () => (await listPage()).includes('大工信发〔2026〕99号'),
    30000, 'the announcement on the rebuilt list page');

  // The record of the session lists both, newest first.
  await page.goto(console_('changes'));
  const items = await page.locator('main ol li').allTextContents();
  assert.equal(items.length, 2, items.join('\n'));
  assert.match(items[0], /2026年12月4日公告/);
  assert.deepEqual(foreign, [], 'the console asked another host');
});

test('a form posted to the console from another origin is refused and writes nothing', async () => {
  // A page of another origin (another port) that posts a withdrawal to the console.
  const target = console_('list/withdraw');
  const evil = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html lang="en"><body><form method="post" action="${target}">
      <input name="id" value="${LIST_ID}"><input name="who" value="91210211MABXKFLJ29">
      <input name="reason" value="csrf"><input name="confirm" value="1">
      <button>go</button></form></body></html>`);
  });
  await new Promise((ok) => evil.listen(0, '127.0.0.1', ok));
  try {
    const before = listFile();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${evil.address().port}/`);
    const [answer] = await Promise.all([page.waitForResponse(target), page.click('button')]);
    assert.equal(answer.status(), 403);
    assert.equal(listFile(), before, 'a cross-origin post changed the list');
  } finally {
    evil.close();
  }
});

test('the import, deploy and records pages pass WCAG 2.1 AA and fit 1366×768', async () => {
  const page = await context.newPage();
  for (const path of ['import', 'deploy', 'records', 'changes', 'file?path=data%2Fsite.toml']) {
    await page.goto(console_(path));
    assert.equal(await page.locator('h1').count(), 1, path);
    await checkPage(page, path);
  }
});

test('a deploy shows its progress while it runs, follows itself to the outcome, and passes WCAG 2.1 AA', async () => {
  // Its own server on the minimal site, whose deploys pause after two uploads (the test
  // hook `gazette deploy` has too), so that the running page can be looked at.
  const site = tempDir('gazette-progress-');
  for (const d of ['content', 'data']) cpSync(join(REPO, 'tests', 'fixtures', 'minimal', d), join(site, d), { recursive: true });
  const target = join(tempDir('gazette-progress-www-'), '网站');
  const paused = await startServe(site, { today: '2026-12-07', env: { GAZETTE_TEST_DEPLOY_PAUSE_AFTER: '2' } });
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
  try {
    assert.ok(paused.console, `serve offered no console:\n${paused.log()}`);
    const at = (path) => `${paused.console}${path}`;
    const page = await ctx.newPage();
    await page.goto(at('deploy'));
    await page.click('button:has-text("生成网站")');
    await page.fill('#d-to', target);
    await page.click('button:has-text("查看部署计划")');
    await page.click('button:has-text("确认部署")');
    await page.waitForURL(/deploy\/progress$/);
    assert.equal(await page.locator('h1').textContent(), '正在部署');
    // The figures change in place (console.js), without reloading the page.
    await page.evaluate(() => { window.stillTheSamePage = true; });
    const shown = await page.locator('#d-time').textContent();
    await page.waitForFunction((t) => document.querySelector('#d-time').textContent !== t, shown, { timeout: 15000 });
    await page.waitForFunction(() => document.querySelector('#d-bar').value >= 2, null, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'the page reloaded itself');
    // (Uploads run in parallel: the ones under way when the pause came still finish.)
    const value = Number(await page.locator('progress#d-bar').getAttribute('value'));
    assert.ok(value >= 2, `progress value ${value}`);
    assert.match(await page.locator('#d-figures').textContent(), new RegExp(`已上传 ${value} 个文件`));
    await checkPage(page, 'the running deploy');

    // Stopped from another tab, the first page shows the outcome by itself.
    const other = await ctx.newPage();
    await other.goto(at('deploy/progress'));
    await other.click('button:has-text("停止部署")');
    await page.locator('h1', { hasText: '部署结果' }).waitFor({ timeout: 15000 });
    assert.match(await page.locator('main').textContent(), /部署没有完成/);
    assert.ok(!existsSync(join(target, 'index.html')), 'the entry page went up before the stop');
    await checkPage(page, 'the outcome');
  } finally {
    await ctx.close();
    await paused.stop();
    rmSync(site, { recursive: true, force: true });
  }
});
