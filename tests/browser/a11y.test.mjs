// WCAG 2.1 A/AA with axe-core inside headless Chromium on every kind of page of the default
// site (and a fixture with paginated lists), in the default look, in high-contrast mode and
// at the largest text size; plus keyboard use of the skip link and the care-mode panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildSite, serve, launch } from './lib.mjs';
import { pageKinds, fixtureRoot } from './site_pages.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const CARE_KEY = 'gazette-care';

let site, server, paged, pagedServer, browser;
before(async () => {
  site = buildSite();
  server = await serve(site);
  // Ten rows a page, so list and district pages have pagination.
  paged = buildSite({ root: fixtureRoot({ 'data/site.toml': (t) => t.replace(/^page_size = \d+/m, 'page_size = 10') }) });
  pagedServer = await serve(paged);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await pagedServer?.close();
});

/** Runs axe on the page; returns violations formatted for an assertion message. */
async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, TAGS);
  return result;
}

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.help})\n    ${v.nodes.join('\n    ')}`).join('\n  ');
}

async function checkAll(base, paths, care, { openPanel = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (care) {
    await context.addInitScript(([key, value]) => {
      window.localStorage.setItem(key, value);
    }, [CARE_KEY, JSON.stringify(care)]);
  }
  const failures = [];
  try {
    for (const { name, path } of paths) {
      const page = await context.newPage();
      const response = await page.goto(base + path);
      if (!path.endsWith('404.html')) assert.equal(response.status(), 200, `${name} (${path}) did not load`);
      if (care?.size === 3) assert.ok(await page.evaluate(() => document.documentElement.classList.contains('care-size-3')));
      if (care?.contrast) assert.ok(await page.evaluate(() => document.documentElement.classList.contains('care-contrast')));
      if (openPanel) {
        await page.click('#care-toggle');
        assert.equal(await page.isVisible('#care-panel'), true);
      }
      const v = await axeViolations(page);
      if (v.length) failures.push(`${name} (/${path}):\n  ${describe(v)}`);
      await page.close();
    }
  } finally {
    await context.close();
  }
  assert.equal(failures.length, 0, `axe violations:\n${failures.join('\n')}`);
}

test('every kind of page has zero WCAG 2.1 A/AA violations', async () => {
  const kinds = pageKinds(site);
  assert.ok(kinds.length >= 13);
  await checkAll(server.base, kinds, null);
});

test('paginated list and district pages have zero violations', async () => {
  const kinds = pageKinds(paged).filter((k) => /list|district/.test(k.name));
  assert.ok(kinds.some((k) => k.name === 'list page 2'), 'the fixture should paginate a list');
  await checkAll(pagedServer.base, kinds, null);
});

test('zero violations in high-contrast mode, with the care panel open', async () => {
  await checkAll(server.base, pageKinds(site), { size: 1, contrast: true, plain: false }, { openPanel: true });
});

test('zero violations at the largest text size (care panel open), and body text is at least 24px', async () => {
  await checkAll(server.base, pageKinds(site), { size: 3, contrast: false, plain: false }, { openPanel: true });
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value),
    [CARE_KEY, JSON.stringify({ size: 3 })]);
  const page = await context.newPage();
  await page.goto(server.base);
  const px = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize));
  assert.ok(px >= 24, `largest text size gives ${px}px body text`);
  // No horizontal scrolling of the whole page on a phone, even at the largest size.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px at 390px wide`);
  await context.close();
});

test('no page scrolls sideways on a 360px phone, at the default and the largest text size', async () => {
  const problems = [];
  for (const care of [null, { size: 3 }]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    if (care) {
      await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value), [CARE_KEY, JSON.stringify(care)]);
    }
    for (const { name, path } of pageKinds(site)) {
      const page = await context.newPage();
      await page.goto(server.base + path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 1) problems.push(`${name}${care ? ' (largest text)' : ''}: ${overflow}px`);
      await page.close();
    }
    await context.close();
  }
  assert.deepEqual(problems, [], 'pages wider than the screen');
});

test('plain reading view hides navigation clutter but keeps the main content', async () => {
  const context = await browser.newContext();
  await context.addInitScript(([key, value]) => window.localStorage.setItem(key, value),
    [CARE_KEY, JSON.stringify({ plain: true })]);
  const page = await context.newPage();
  await page.goto(server.base);
  assert.equal(await page.isVisible('.site-nav'), false);
  assert.equal(await page.isVisible('.link-grid'), false);
  assert.equal(await page.isVisible('main h1'), true);
  assert.equal(await page.isVisible('main table'), true);
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});

test('base body text is at least 18px with line height at least 1.5', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + 'notices/innovative/2026/');
  const { size, lh } = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('.notice-body p'));
    return { size: parseFloat(s.fontSize), lh: parseFloat(s.lineHeight) };
  });
  assert.ok(size >= 18, `body text ${size}px`);
  assert.ok(lh / size >= 1.5, `line height ${lh / size}`);
  await page.close();
});

test('Tab reaches the skip link first; it is visible and moves focus to main', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + 'lists/');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({
    cls: document.activeElement.className,
    href: document.activeElement.getAttribute('href'),
    top: document.activeElement.getBoundingClientRect().top,
    height: document.activeElement.getBoundingClientRect().height,
  }));
  assert.equal(first.cls, 'skip-link');
  assert.equal(first.href, '#main');
  assert.ok(first.top >= 0 && first.height > 10, `skip link on screen when focused (top ${first.top})`);
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // The next Tab goes into the content, not back to the header.
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => document.getElementById('main').contains(document.activeElement)));
  await page.close();
});

test('care mode works with the keyboard alone and persists across pages', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.base);
  assert.equal(await page.isVisible('#care-toggle'), true, 'the care-mode toggle is shown when JS runs');
  assert.equal(await page.isVisible('#care-panel'), false);
  // Tab from the top to the toggle.
  let reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'care-toggle');
  }
  assert.ok(reached, 'the care-mode toggle is within the first Tab stops');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#care-toggle', 'aria-expanded'), 'true');
  assert.equal(await page.isVisible('#care-panel'), true);
  // Tab to the largest size button and press Space.
  reached = false;
  for (let i = 0; i < 6 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('data-size') === '3');
  }
  assert.ok(reached, 'the 特大 button is reachable by Tab');
  await page.keyboard.press('Space');
  assert.equal(await page.getAttribute('[data-size="3"]', 'aria-pressed'), 'true');
  assert.equal(await page.getAttribute('[data-size="1"]', 'aria-pressed'), 'false');
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains('care-size-3')));
  // High contrast too.
  await page.focus('[data-toggle="contrast"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('[data-toggle="contrast"]', 'aria-pressed'), 'true');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(0, 0, 0)');
  // Escape closes the panel and returns focus to the toggle.
  await page.keyboard.press('Escape');
  assert.equal(await page.isVisible('#care-panel'), false);
  assert.equal(await page.getAttribute('#care-toggle', 'aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'care-toggle');

  // Another page: the settings are applied before scripts run (prefs.js in <head>).
  const other = await context.newPage();
  await other.goto(server.base + 'contacts/', { waitUntil: 'commit' });
  await other.waitForSelector('main');
  const classes = await other.evaluate(() => document.documentElement.className);
  assert.match(classes, /care-size-3/);
  assert.match(classes, /care-contrast/);
  await other.waitForLoadState('load');
  assert.equal(await other.getAttribute('[data-size="3"]', 'aria-pressed'), 'true');
  // Reset goes back to the default look everywhere.
  await other.click('#care-toggle');
  await other.click('[data-reset]');
  assert.equal(await other.evaluate(() => document.documentElement.className), '');
  assert.equal(await other.evaluate((k) => window.localStorage.getItem(k), CARE_KEY), null);
  await context.close();
});

test('without JavaScript the care tools stay hidden and the page is readable', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.base + 'lists/');
  assert.equal(await page.isVisible('#care-tools'), false);
  assert.equal(await page.isVisible('main table'), true);
  assert.ok((await page.textContent('main h1')).length > 0);
  await context.close();
});

/** Replaces the browser's speech synthesis with a recorder offering the given voices. */
function fakeSpeech(voiceLangs) {
  const spoken = [];
  window.__speech = { spoken, cancelled: 0 };
  const voices = voiceLangs.map((lang, i) => ({ name: `voice-${i}`, lang }));
  const synth = {
    getVoices: () => voices,
    speak: (u) => spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.lang }),
    cancel: () => { window.__speech.cancelled += 1; },
    addEventListener: () => {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
}

test('read-aloud is offered only with a Chinese voice, and reads the main text', async () => {
  const context = await browser.newContext();
  await context.addInitScript(fakeSpeech, ['en-US', 'zh-CN']);
  const page = await context.newPage();
  await page.goto(server.base + 'notices/innovative/2026/');
  await page.click('#care-toggle');
  assert.equal(await page.isVisible('#care-panel .speech'), true);
  await page.click('[data-speak="start"]');
  const speech = await page.evaluate(() => window.__speech);
  assert.ok(speech.spoken.length > 1, 'the text is spoken in several pieces');
  assert.ok(speech.spoken.every((u) => u.voice === 'zh-CN' && u.lang === 'zh-CN'));
  const text = speech.spoken.map((u) => u.text).join('');
  assert.ok(text.includes((await page.textContent('main h1')).trim()), 'starts from the main heading');
  assert.ok(!text.includes('跳到正文') && !text.includes('主导航'), 'only <main> is read');
  await page.click('[data-speak="stop"]');
  assert.ok((await page.evaluate(() => window.__speech.cancelled)) >= 2);
  await context.close();

  const english = await browser.newContext();
  await english.addInitScript(fakeSpeech, ['en-US', 'fr-FR']);
  const p2 = await english.newPage();
  await p2.goto(server.base + 'notices/innovative/2026/');
  await p2.click('#care-toggle');
  assert.equal(await p2.isVisible('#care-panel .speech'), false, 'no Chinese voice: no read-aloud button');
  await english.close();
});
