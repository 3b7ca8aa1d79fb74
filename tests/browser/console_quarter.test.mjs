// A whole quarter through the clerk's console in headless Chromium (issue 28's "done
// when"), on the minimal fixture site: two district spreadsheets imported, the one with a
// wrong credit code shown at its cell, fixed and imported again; the draft published; an
// enterprise withdrawn; the list announced; the site built and deployed to a folder. After
// each step the list file and the rebuilt page are checked; the deployed folder at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir, launch, startServe } from './lib.mjs';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** A valid unified social credit code (GB 32100) of 中山区 (210202), numbered `n`. */
function creditCode(n) {
  const first = `91210202MA${String(n).padStart(7, '0')}`;
  const sum = [...first].reduce((s, c, i) => s + ALPHABET.indexOf(c) * WEIGHTS[i], 0);
  return first + ALPHABET[(31 - (sum % 31)) % 31];
}

const LIST_ID = '2026-q4-application';
const LIST = join('data', 'lists', `${LIST_ID}.toml`);
let root, sheets, target, server, browser, page;

before(async () => {
  root = tempDir('gazette-quarter-');
  for (const d of ['content', 'data']) cpSync(join(REPO, 'tests', 'fixtures', 'minimal', d), join(root, d), { recursive: true });
  sheets = tempDir('gazette-sheets-');
  target = join(tempDir('gazette-www-'), '网站');
  // The serve date is after the period published below, so the list can be announced.
  server = await startServe(root, { today: '2026-12-09' });
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  for (const d of [root, sheets]) if (d) rmSync(d, { recursive: true, force: true });
});

const listFile = () => readFileSync(join(root, LIST), 'utf8');
const consoleUrl = (path = '') => `${server.console}${path}`;

async function builtPage(path, text, what) {
  const end = Date.now() + 30000;
  for (;;) {
    const r = await page.context().request.get(`${server.base}${path}`);
    const body = await r.text();
    if (r.ok() && body.includes(text)) return body;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} on ${path}\n${server.log()}`);
    await new Promise((ok) => setTimeout(ok, 150));
  }
}

/** A district's spreadsheet as a CSV file, as districts send them. */
function sheet(name, rows) {
  const file = join(sheets, name);
  writeFileSync(file, `序号,企业名称,所属区县,统一社会信用代码\n${rows.map((r, i) => `${i + 1},${r.join(',')}`).join('\n')}\n`);
  return file;
}

/** Fills the import form for 2026 第四季度 申报 with `files` and asks for the preview. */
async function previewImport(files) {
  await page.goto(consoleUrl('import'));
  await page.setInputFiles('#i-files', files);
  await page.fill('#i-year', '2026');
  await page.selectOption('#i-batch', { label: '第四季度' }).catch(() => page.fill('#i-batch', '4'));
  await page.selectOption('#i-kind', 'application');
  await page.click('button:has-text("预览导入")');
}

test('a whole quarter: import, fix, publish, withdraw, announce, deploy', async () => {
  // 1. Two districts' sheets; the second has a mistyped credit code.
  const good = sheet('中山区.csv', [
    ['大连季度测试一有限公司', '中山区', creditCode(1)],
    ['大连季度测试二有限公司', '中山区', creditCode(2)],
  ]);
  const wrong = creditCode(3).slice(0, 17) + (creditCode(3).endsWith('0') ? '1' : '0');
  const bad = sheet('金普新区.csv', [['大连季度测试三有限公司', '金州区', wrong]]);
  await previewImport([good, bad]);
  const refused = await page.locator('main').textContent();
  assert.match(refused, /第2行/, 'the wrong code is shown at its row');
  assert.ok(await page.locator('td.bad').count() >= 1, 'the cell is marked');
  assert.ok(!existsSync(join(root, LIST)), 'a refused import wrote a file');

  // Fixed in the sheet, imported again: previewed rows, then written as a draft.
  sheet('金普新区.csv', [['大连季度测试三有限公司', '金州区', creditCode(3)]]);
  await previewImport([good, bad]);
  assert.match(await page.locator('main').textContent(), /大连季度测试三有限公司/);
  assert.ok(!existsSync(join(root, LIST)), 'the preview wrote the file');
  await page.click('button:has-text("确认写入")');
  await page.waitForURL(/changes\/\d+$/);
  assert.match(listFile(), /draft = true/);
  assert.equal(listFile().match(/\[\[enterprise\]\]/g).length, 3);

  // 2. Publish from 2026-11-30, 5 working days: the end and the objection deadline first.
  await page.goto(consoleUrl(`list?id=${LIST_ID}`));
  await page.fill('#p-start', '2026-11-30');
  await page.fill('#p-days', '5');
  await page.click('#publish + form button[type=submit]');
  assert.match(await page.locator('main').textContent(), /异议截止2026年12月4日/);
  await page.click('button:has-text("确认写入")');
  await page.waitForURL(/changes\/\d+$/);
  assert.doesNotMatch(listFile(), /draft = true/);
  await builtPage(`lists/${LIST_ID}/`, '大连季度测试二有限公司', 'the published list');

  // 3. Withdraw one (an objection upheld), by part of its name.
  await page.goto(consoleUrl(`list?id=${LIST_ID}`));
  await page.fill('#w-who', '测试二');
  await page.fill('#w-reason', '经核实不符合条件（异议成立）');
  await page.click('#withdraw + form button[type=submit]');
  await page.click('button:has-text("确认写入")');
  await page.waitForURL(/changes\/\d+$/);
  assert.match(listFile(), /withdrawn = "经核实不符合条件（异议成立）"/);
  await builtPage(`lists/${LIST_ID}/`, '经核实不符合条件（异议成立）', 'the withdrawal');

  // 4. Announce: the period has ended (serve's date is 2026-12-09).
  await page.goto(consoleUrl(`list?id=${LIST_ID}`));
  await page.fill('#a-date', '2026-12-08');
  await page.fill('#a-doc', '大工信发〔2026〕120号');
  await page.click('#announce + form button[type=submit]');
  await page.click('button:has-text("确认写入")');
  await page.waitForURL(/changes\/\d+$/);
  assert.match(listFile(), /stage = "announced"/);
  const announced = await builtPage(`lists/${LIST_ID}/`, '大工信发〔2026〕120号', 'the announced list');
  assert.doesNotMatch(announced.split('id="withdrawn"')[0], /大连季度测试二有限公司/, 'the withdrawn one is not announced');

  // 5. Build, then deploy to a folder after seeing the plan.
  await page.goto(consoleUrl('deploy'));
  await page.click('button:has-text("生成网站")');
  await page.goto(consoleUrl('deploy'));
  await page.fill('#d-to', target);
  await page.click('button:has-text("查看部署计划")');
  assert.match(await page.locator('main').textContent(), /index\.html/);
  assert.ok(!existsSync(join(target, 'index.html')), 'the plan deployed something');
  await page.click('button:has-text("确认部署")');
  // The progress page follows the deploy and shows the outcome when it has ended.
  await page.waitForURL(/deploy\/progress$/);
  await page.locator('h1', { hasText: '部署结果' }).waitFor({ timeout: 30000 });
  assert.match(await page.locator('main').textContent(), /部署完成/);
  const deployed = readFileSync(join(target, 'lists', LIST_ID, 'index.html'), 'utf8');
  assert.match(deployed, /大工信发〔2026〕120号/);
  assert.deepEqual(readFileSync(join(target, 'index.html')), readFileSync(join(root, 'public', 'index.html')));

  // The record holds every step.
  await page.goto(consoleUrl('changes'));
  assert.ok((await page.locator('main ol li').count()) >= 5);
});
