// The live publicity state (未开始 / 公示中，还剩N个工作日 / 已结束) recomputed by status.js in
// headless Chromium at fixed clock times, in China and in time zones far from it: the state
// must follow China Standard Time (UTC+8), a period ending at 24:00 of its last day.
// Dates come from the lists' JSON downloads, not from this file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serve, launch } from './lib.mjs';
import { listsOf, fixtureRoot } from './site_pages.mjs';

const ZONES = ['Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Auckland'];

let site, server, holiday, holidayServer, browser;
let workList, calList, holidayList;
before(async () => {
  site = buildSite();
  server = await serve(site);
  const lists = listsOf(site);
  workList = lists.find((l) => l.stage === 'publicity' && l.publicity?.working_days);
  calList = lists.find((l) => l.stage === 'publicity' && l.publicity?.calendar_days);
  assert.ok(workList, 'the default site has a working-day list under publicity');
  assert.ok(calList, 'the default site has a calendar-day list under publicity');
  // The same working-day list moved across the Mid-Autumn and National Day holidays of 2026.
  const file = `data/lists/${workList.id}.toml`;
  holiday = buildSite({
    root: fixtureRoot({ [file]: (t) => t.replace(/^start = \d{4}-\d{2}-\d{2}$/m, 'start = 2026-09-24').replace(/^working_days = \d+$/m, 'working_days = 5') }),
    today: '2026-09-20',
  });
  holidayServer = await serve(holiday);
  holidayList = listsOf(holiday).find((l) => l.id === workList.id);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await holidayServer?.close();
});

/** The UTC instant of hh:mm on the ISO date in China (UTC+8). */
function china(iso, hh = 0, mm = 0) {
  return new Date(`${iso}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`);
}
function addDays(iso, n) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Opens `path` with the clock fixed at `when` in a browser set to `timezoneId`. */
async function statusAt(base, path, when, timezoneId) {
  const context = await browser.newContext({ timezoneId });
  const page = await context.newPage();
  await page.clock.setFixedTime(when);
  await page.goto(base + path);
  await page.waitForFunction(() => window.gazette && typeof window.gazette.periodState === 'function');
  const el = page.locator('.state-box [data-live-status]');
  const result = {
    text: (await el.textContent()).trim(),
    cls: await el.getAttribute('class'),
    box: await page.locator('.state-box').getAttribute('class'),
    // Sanity: the browser really is in that zone (its local date can differ from China's).
    offset: await page.evaluate(() => new Date().getTimezoneOffset()),
  };
  await context.close();
  return result;
}

function expectState(r, state, text, label) {
  assert.equal(r.text, text, label);
  assert.match(r.cls, new RegExp(`\\bstatus-${state}\\b`), `${label}: class`);
  for (const other of ['upcoming', 'open', 'ended'].filter((s) => s !== state)) {
    assert.doesNotMatch(r.cls, new RegExp(`\\bstatus-${other}\\b`), `${label}: stale class`);
  }
  assert.match(r.box, new RegExp(`\\bstate-${state}\\b`), `${label}: state box`);
}

for (const zone of ZONES) {
  test(`working-day publicity follows China time (browser in ${zone})`, async () => {
    const { start, end, working_days: n } = workList.publicity;
    const path = `lists/${workList.id}/publicity/`;
    const cases = [
      [china(start, 0, 0).getTime() - 60000, 'upcoming', '未开始', 'one minute before the first day'],
      [china(start, 0, 0), 'open', `公示中，还剩${n}个工作日`, 'first day 00:00'],
      [china(end, 23, 59), 'open', '公示中，还剩1个工作日', 'last day 23:59'],
      [china(addDays(end, 1), 0, 0), 'ended', '已结束', 'the day after, 00:00'],
    ];
    for (const [when, state, text, label] of cases) {
      const r = await statusAt(server.base, path, new Date(when), zone);
      expectState(r, state, text, `${label} (${zone})`);
      if (zone === 'America/Los_Angeles') assert.ok(r.offset >= 420, 'Los Angeles is UTC-7 or UTC-8');
      if (zone === 'Pacific/Auckland') assert.ok(r.offset <= -720, 'Auckland is UTC+12 or UTC+13');
    }
  });

  test(`weekends and holidays inside the period are not counted (browser in ${zone})`, async () => {
    // 2026-09-24 + 5 working days: 9-24, 9-28, 9-29, 9-30, 10-08 (中秋 9-25..27, 国庆 10-01..07).
    assert.equal(holidayList.publicity.start, '2026-09-24');
    assert.equal(holidayList.publicity.end, '2026-10-08');
    const path = `lists/${holidayList.id}/publicity/`;
    const cases = [
      [china('2026-09-24', 9), '公示中，还剩5个工作日', 'first day (Thursday)'],
      [china('2026-09-25', 9), '公示中，还剩4个工作日', 'Mid-Autumn holiday (Friday)'],
      [china('2026-09-27', 23, 59), '公示中，还剩4个工作日', 'Sunday 23:59'],
      [china('2026-09-28', 0), '公示中，还剩4个工作日', 'Monday 00:00 counts Monday'],
      [china('2026-09-30', 12), '公示中，还剩2个工作日', 'last day before National Day'],
      [china('2026-10-03', 12), '公示中，还剩1个工作日', 'inside the National Day holiday'],
      [china('2026-10-08', 23, 59), '公示中，还剩1个工作日', 'last day 23:59'],
      [china('2026-10-09', 0), '已结束', 'the day after, 00:00'],
    ];
    for (const [when, text, label] of cases) {
      const r = await statusAt(holidayServer.base, path, when, zone);
      expectState(r, text === '已结束' ? 'ended' : 'open', text, `${label} (${zone})`);
    }
  });

  test(`calendar-day publicity counts calendar days (browser in ${zone})`, async () => {
    const { start, end, calendar_days: n } = calList.publicity;
    assert.equal(addDays(start, n - 1), end, 'a calendar-day period ends on day N');
    const path = `lists/${calList.id}/publicity/`;
    const cases = [
      [new Date(china(start).getTime() - 1000), 'upcoming', '未开始', 'a second before the start'],
      [china(start), 'open', `公示中，还剩${n}天`, 'first day 00:00'],
      [china(addDays(start, 2), 12), 'open', `公示中，还剩${n - 2}天`, 'third day'],
      [china(end, 23, 59), 'open', '公示中，还剩1天', 'last day 23:59'],
      [china(addDays(end, 1)), 'ended', '已结束', 'the day after, 00:00'],
    ];
    for (const [when, state, text, label] of cases) {
      const r = await statusAt(server.base, path, when, zone);
      expectState(r, state, text, `${label} (${zone})`);
    }
  });
}

test('an open page flips to 已结束 at midnight China time without reloading', async () => {
  const { end } = workList.publicity;
  const context = await browser.newContext({ timezoneId: 'America/Los_Angeles' });
  const page = await context.newPage();
  await page.clock.install({ time: china(end, 23, 59) });
  await page.goto(server.base + `lists/${workList.id}/publicity/`);
  const status = page.locator('.state-box [data-live-status]');
  assert.equal((await status.textContent()).trim(), '公示中，还剩1个工作日');
  await page.clock.runFor(61000);
  assert.equal((await status.textContent()).trim(), '已结束');
  await context.close();
});

test('every status on the lists index and home page agrees with the clock', async () => {
  const context = await browser.newContext({ timezoneId: 'Pacific/Auckland' });
  const page = await context.newPage();
  // The day after the working-day list ends, at 00:30 China time (already later in Auckland).
  await page.clock.setFixedTime(china(addDays(workList.publicity.end, 1), 0, 30));
  await page.goto(server.base + 'lists/');
  const row = page.locator('tr', { has: page.locator(`a[href$="lists/${workList.id}/"]`) });
  assert.equal((await row.locator('[data-live-status]').textContent()).trim(), '已结束');
  // Home page key dates: a quarter's window ends at 24:00 of its last day, China time.
  await page.clock.setFixedTime(china('2026-12-31', 23, 59));
  await page.goto(server.base);
  const q4 = page.locator('[data-live-status][data-start="2026-10-01"][data-end="2026-12-31"]');
  assert.equal((await q4.textContent()).trim(), '进行中');
  await page.clock.setFixedTime(china('2027-01-01', 0, 0));
  await page.reload();
  assert.equal((await q4.textContent()).trim(), '已结束');
  await context.close();
});

test('periodState is a pure function of its arguments, independent of the browser zone', async () => {
  for (const zone of ZONES) {
    const context = await browser.newContext({ timezoneId: zone });
    const page = await context.newPage();
    await page.goto(server.base + `lists/${workList.id}/publicity/`);
    const r = await page.evaluate(([c1, c2, c3, c4]) => {
      const g = window.gazette;
      const wd = '2026-09-24 2026-09-28 2026-09-29 2026-09-30 2026-10-08';
      return [
        g.periodState('2026-09-24', '2026-10-08', wd, c1),
        g.periodState('2026-09-24', '2026-10-08', wd.split(' '), c2),
        g.periodState('2026-11-20', '2026-11-26', '', c3),
        g.periodState('2026-11-20', '2026-11-26', '', c4),
        g.periodState('not a date', '2026-11-26', '', c4),
      ];
    }, [china('2026-09-23', 23, 59).getTime(), china('2026-10-01').getTime(),
      china('2026-11-26', 23, 59).getTime(), china('2026-11-27').getTime()]);
    assert.equal(r[0].state, 'upcoming');
    assert.deepEqual([r[1].state, r[1].left], ['open', 1]);
    assert.deepEqual([r[2].state, r[2].left], ['open', 1]);
    assert.equal(r[3].state, 'ended');
    assert.equal(r[4], null, 'malformed dates give null, not an exception');
    await context.close();
  }
});

test('status.js keeps other window.gazette properties', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => { window.gazette = { other: 42 }; });
  const page = await context.newPage();
  await page.goto(server.base + `lists/${workList.id}/publicity/`);
  await page.waitForFunction(() => typeof window.gazette.periodState === 'function');
  assert.equal(await page.evaluate(() => window.gazette.other), 42);
  await context.close();
});
