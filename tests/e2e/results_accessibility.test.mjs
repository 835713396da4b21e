// Accessibility of the screens after a vote (issue 14), end to end, as
// accessibility.test.mjs does for the form: axe-core with every WCAG A/AA
// rule and best practice on each new screen (results of the whole country,
// a province, a withheld city; the map; the earlier batches and one of
// them; a closed batch) in Chinese and English, with and without care mode;
// nothing scrolling sideways at 320 px; care mode's text rules; and the
// README's screenshots of these screens. Against the reference collector,
// with the votes cast through its API and the demo's follow-up published.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, assertNoA11yViolations, checkA11y, collectorFor, launchBrowser, newPage } from './harness.mjs';
import { SCREENSHOT_JITTER_PX, differingPixels, sidewaysOverflow, textStyles } from './page_checks.mjs';
import {
  SHIJIAZHUANG,
  BAODING,
  TEXTS,
  demoFollowUp,
  seedRegions,
  startClosedCollector,
  voteInBrowser,
} from './results_harness.mjs';

const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
};
const VARIANTS = [
  { lang: 'zh-CN', care: false },
  { lang: 'en', care: false },
  { lang: 'zh-CN', care: true },
  { lang: 'en', care: true },
];
const variantName = ({ lang, care }) => `${lang}${care ? ', care mode' : ''}`;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

async function openPage(t, collector, { lang = 'zh-CN', care = false, viewport = PHONE } = {}) {
  const { page, errors } = await newPage(browser, { viewport, locale: lang, timezoneId: 'Asia/Shanghai' });
  t.after(() => page.close());
  const query = new URLSearchParams({ lang });
  if (care) query.set('theme', 'care');
  await page.goto(`${collector.url}/?${query}`);
  return { page, errors };
}

/** A collector whose open batch has votes in Hebei, Guangdong and Beijing, and the demo's follow-up. */
async function seededCollector(t) {
  const collector = await collectorFor(t, { followUp: demoFollowUp() });
  await seedRegions(collector);
  return collector;
}

/** A collector whose current batch has closed, with votes and what was done. */
async function closedCollector(t) {
  const collector = await startClosedCollector();
  t.after(() => collector.stop());
  return collector;
}

async function audit(page, label) {
  assertNoA11yViolations(await checkA11y(page, { label, axeOptions: AXE_OPTIONS }), { impact: 'minor', label });
}

/**
 * After a vote in Baoding (Hebei has 22 votes, Baoding this one): the whole
 * country, the province, the withheld city, the map, the earlier batches
 * and the first of them; `check(label)` runs on each.
 */
async function throughResultScreens(page, lang, check) {
  const t = TEXTS[lang];
  await voteInBrowser(page, lang, BAODING, 'clinic-card');
  const switcher = page.getByRole('group', { name: t.scopeLegend });
  await switcher.getByRole('radio', { name: t.city('保定市'), exact: true }).waitFor();
  await check('results of the whole country');
  await switcher.getByRole('radio', { name: t.province(t.hebei), exact: true }).check();
  await page.locator('.bsv-results__total', { hasText: t.hebei }).waitFor();
  await check('results of the province');
  await switcher.getByRole('radio', { name: t.city('保定市'), exact: true }).check();
  await page.getByText(t.withheld('保定市'), { exact: true }).waitFor();
  await check('a withheld city');
  await page.getByRole('button', { name: t.mapOpen, exact: true }).click();
  await page.getByRole('table', { name: t.mapTable }).waitFor();
  await check('the map');
  await page.getByRole('button', { name: t.historyOpen, exact: true }).click();
  await page.getByRole('heading', { name: t.historyTitle, exact: true }).waitFor();
  await check('the earlier batches');
  await page.getByRole('button', { name: t.historyView, exact: true }).last().click();
  await page.getByRole('button', { name: t.historyBack, exact: true }).waitFor();
  await page.locator('.bsv-history__detail .bsv-results__total').waitFor();
  await check('an earlier batch');
}

/** A closed batch, its map and the earlier batches; `check(label)` runs on each. */
async function throughClosedScreens(page, lang, check) {
  const t = TEXTS[lang];
  await page.getByRole('heading', { name: t.closed, exact: true }).waitFor();
  await page.locator('.bsv-results__total').waitFor();
  await page.getByRole('button', { name: t.historyOpen, exact: true }).waitFor();
  await check('a closed batch');
  await page.getByRole('button', { name: t.mapOpen, exact: true }).click();
  await page.getByRole('table', { name: t.mapTable }).waitFor();
  await page.getByRole('button', { name: t.historyOpen, exact: true }).click();
  await page.getByRole('heading', { name: t.historyTitle, exact: true }).waitFor();
  await check('a closed batch with its map and the earlier batches');
}

for (const variant of VARIANTS) {
  const name = variantName(variant);

  test(`${name}: results by region, a withheld city, the map, the earlier batches and an earlier batch have no axe violations`, async (t) => {
    const collector = await seededCollector(t);
    const { page, errors } = await openPage(t, collector, variant);
    await throughResultScreens(page, variant.lang, (label) => audit(page, `${name}: ${label}`));
    assert.deepEqual(errors, []);
  });

  test(`${name}: a closed batch with what was done, its map and the earlier batches has no axe violations`, async (t) => {
    const collector = await closedCollector(t);
    const { page, errors } = await openPage(t, collector, variant);
    await throughClosedScreens(page, variant.lang, (label) => audit(page, `${name}: ${label}`));
    assert.deepEqual(errors, []);
  });
}

test('at 320 px in care mode nothing on the screens after a vote or of a closed batch scrolls sideways', async (t) => {
  const problems = [];
  const check = (page) => async (label) => {
    const found = await page.evaluate(sidewaysOverflow);
    if (found.wide.length || found.scrollWidth > 320) problems.push(`${label}: ${found.scrollWidth} px wide; ${found.wide.join('; ')}`);
  };
  for (const lang of ['zh-CN', 'en']) {
    const seeded = await seededCollector(t);
    const opened = await openPage(t, seeded, { lang, care: true, viewport: { width: 320, height: 640 } });
    await throughResultScreens(opened.page, lang, check(opened.page));
    const closed = await closedCollector(t);
    const again = await openPage(t, closed, { lang, care: true, viewport: { width: 320, height: 640 } });
    await throughClosedScreens(again.page, lang, check(again.page));
  }
  assert.deepEqual(problems, []);
});

test('care mode: the screens after a vote keep text of at least 18 px, a line height of 1.5 and 7:1 contrast, the map\'s square labels aside', async (t) => {
  const problems = [];
  const check = (page) => async (label) => {
    for (const s of await page.evaluate(textStyles)) {
      // A square's label on the map names its province in a picture whose
      // every number is in the table beside it, in the full text size.
      if (s.what.includes('bsv-map__tile')) continue;
      if (s.fontSize < 18) problems.push(`${label}: ${s.what}: ${s.fontSize} px`);
      const lineHeightApplies = s.kind === 'text' || s.kind === 'heading';
      if (lineHeightApplies && (s.lineHeight === null || s.lineHeight < 1.5 * s.fontSize - 0.01)) {
        problems.push(`${label}: ${s.what}: line height ${s.lineHeight} px for ${s.fontSize} px`);
      }
      if (!s.disabled && s.contrast < 7) problems.push(`${label}: ${s.what}: contrast ${s.contrast.toFixed(2)}:1`);
    }
  };
  const seeded = await seededCollector(t);
  const opened = await openPage(t, seeded, { care: true, viewport: DESKTOP });
  await throughResultScreens(opened.page, 'zh-CN', check(opened.page));
  const closed = await closedCollector(t);
  const again = await openPage(t, closed, { lang: 'en', care: true, viewport: DESKTOP });
  await throughClosedScreens(again.page, 'en', check(again.page));
  assert.deepEqual(problems, []);
});

// Stable from run to run: the votes and the follow-up are the test's own,
// dates are fixed by the batches and the follow-up and shown in Beijing
// time, and only parts without the receipt's number and time are shot.
test('the README\'s screenshots of results by region, the map, the earlier batches and a closed batch are written to docs/screenshots/', async (t) => {
  const dir = join(REPO_ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const written = [];
  const keep = async (name, png) => {
    const path = join(dir, name);
    const old = existsSync(path) ? readFileSync(path) : null;
    if (!old || (!old.equals(png) && await differingPixels(browser, old, png) > SCREENSHOT_JITTER_PX)) writeFileSync(path, png);
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    written.push(name);
  };
  const shot = { animations: 'disabled', caret: 'hide' };
  const t9 = TEXTS['zh-CN'];
  {
    const collector = await seededCollector(t);
    const { page, errors } = await openPage(t, collector);
    await voteInBrowser(page, 'zh-CN', SHIJIAZHUANG, 'clinic-card');
    const switcher = page.getByRole('group', { name: t9.scopeLegend });
    await switcher.getByRole('radio', { name: t9.province('河北省'), exact: true }).check();
    await page.getByText('河北省：共 22 票，其中实名 0 票', { exact: true }).waitFor();
    await page.mouse.move(0, 0);
    await keep('phone-results-zh.png', await page.locator('.bsv-results').screenshot(shot));
    await page.getByRole('button', { name: t9.mapOpen, exact: true }).click();
    await page.getByRole('table', { name: t9.mapTable }).waitFor();
    await page.mouse.move(0, 0);
    await keep('phone-map-zh.png', await page.locator('.bsv-map').screenshot(shot));
    assert.deepEqual(errors, []);
  }
  {
    const collector = await closedCollector(t);
    const { page, errors } = await openPage(t, collector);
    await page.locator('.bsv-results__total').waitFor();
    await page.getByRole('button', { name: t9.historyOpen, exact: true }).waitFor();
    await keep('phone-closed-zh.png', await page.screenshot(shot));
    assert.deepEqual(errors, []);
  }
  {
    const collector = await seededCollector(t);
    const { page, errors } = await openPage(t, collector, { lang: 'en', viewport: DESKTOP });
    await voteInBrowser(page, 'en', SHIJIAZHUANG, 'clinic-card');
    await page.getByRole('button', { name: TEXTS.en.historyOpen, exact: true }).click();
    await page.locator('.bsv-history__item').first().waitFor();
    await page.mouse.move(0, 0);
    await keep('desktop-history-en.png', await page.locator('.bsv-history__panel').screenshot(shot));
    assert.deepEqual(errors, []);
  }
  assert.equal(written.length, 4);
});
