// Embedding, end to end: the contract of docs/embedding.md as a portal meets
// it. The release widget in dist/ is served by the reference collector, which
// serves the demo pages under /demo/ and the loader at /embed.js. Host pages
// the demos do not cover (two endpoints, events, token hand-over) are written
// into a test's own copy of dist/ (its entries linked, plus a portal/ folder)
// and served by the collector like the demos. They are not fulfilled with
// `page.route`: Chromium puts such a page in no known address space, and its
// Local Network Access checks then refuse its calls to another loopback port.
//
// Every test starts its own collectors (fresh databases) and opens its pages
// in new browser contexts (empty localStorage); only Chromium is shared.
//
// Waits are Playwright's own (actions, `waitFor`, `waitForResponse`,
// `waitForFunction`). The few fixed waits prove an absence (a message or a
// request that must not come) and say why they are long enough.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACTS_DIR,
  CHROMIUM_FLAGS,
  REPO_ROOT,
  checkA11y,
  collectorFor,
  launchBrowser,
  newPage,
  queryDb,
  readExample,
} from './harness.mjs';

/** The open batch of the demo batches file (`real_name: optional`). */
const BATCH = readExample('batch-open.json');

/** The open batch's English translation, as the collector serves it to `Accept-Language: en`. */
const BATCH_EN = JSON.parse(readFileSync(join(REPO_ROOT, 'collector', 'batches', 'demo-2018.json'), 'utf8'))
  .batches.find((batch) => batch.id === BATCH.id).translations.en;

/** An option's text in the batch, by id, in Chinese or (with `lang = 'en'`) English. */
function optionText(id, lang = 'zh-CN') {
  const option = BATCH.options.find((o) => o.id === id);
  assert.ok(option, `no option ${id} in ${BATCH.id}`);
  return lang === 'en' ? BATCH_EN.options[id] : option.text;
}

/** The texts of src/i18n/{zh_cn,en}.rs the tests look for. */
const TEXT = {
  'zh-CN': {
    widget: '群众办事堵点征集',
    locationLegend: '您在哪里办的事？',
    place: ['省份', '城市', '区县'],
    submit: '提交',
    receiptTitle: '提交成功，感谢您的参与！',
    receiptCode: '回执编号',
    errorSummary: '请先处理以下问题',
    provinceRequired: '请选择省份',
    loadFailed: '问卷没能加载出来',
    configFailed: '问卷暂时无法显示',
    network: '连不上问卷服务器：它可能暂时不可用，或不允许本网站访问。请稍后重试。',
    badEndpoint: '本页面设置的问卷服务地址无效，请联系本网站的管理员。',
    realNameLegend: '实名投票',
    realNameMode: '实名投票（实名票单独统计，每人每批次限投一次）',
    verifiedAs: (name) => `已核验身份：${name}`,
    identity: ['姓名', '身份证号', '手机号'],
    consent: /^我已阅读上述说明/,
    total: (n) => `共 ${n} 票`,
  },
  en: {
    widget: 'Public service bottleneck survey',
    place: ['Province', 'City', 'County or district'],
    submit: 'Submit',
    receiptTitle: 'Thank you, your vote has been counted',
    receiptCode: 'Receipt number',
  },
};

/** Receipt codes: two groups of four symbols without 0/O and 1/I (collector/src/receipt.rs). */
const RECEIPT_CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

/** The WCAG levels we are held to. */
const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

/** A well-formed identity (GB 11643 example number, check character X). */
const ZHANG_SAN = { name: '张三', id_number: '11010519491231002X', phone: '13800138000' };

const VOTES_PATH = '/api/v1/votes';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** A new page in a fresh browser context, closed when the test ends. */
async function pageFor(t, { viewport, locale = 'zh-CN' } = {}) {
  const opened = await newPage(browser, { viewport, locale });
  t.after(() => opened.page.close());
  return opened;
}

/**
 * A folder for a collector's `--dist` (the flag given last wins): every
 * entry of dist/ linked in, plus an empty portal/ folder. `add(name, text)`
 * writes a host page (or script) there, at any time, and returns its path on
 * the collector, e.g. `/portal/events.html`. Removed when the test ends.
 */
function hostSite(t) {
  const dist = join(REPO_ROOT, 'dist');
  const dir = mkdtempSync(join(tmpdir(), 'bsv-e2e-site-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const entry of readdirSync(dist)) symlinkSync(join(dist, entry), join(dir, entry));
  mkdirSync(join(dir, 'portal'));
  return {
    args: ['--dist', dir],
    add(name, text) {
      writeFileSync(join(dir, 'portal', name), text);
      return `/portal/${name}`;
    },
  };
}

/** Starts a collector serving a host site of its own; returns both. */
async function collectorWithSite(t, { args = [], ...options } = {}) {
  const site = hostSite(t);
  const collector = await collectorFor(t, { args: [...args, ...site.args], ...options });
  return { collector, site };
}

/** Writes `html` as a host page of `site` and opens it on `collector`. */
async function openHostPage(page, { collector, site }, name, html) {
  await page.goto(`${collector.url}${site.add(name, html)}`);
}

/** A plain portal page around some `<bottleneck-survey>` markup, loading the real /embed.js. */
function portalPage(title, body, head = '') {
  return `<!DOCTYPE html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title}</title>
    <script type="module" src="/embed.js"></script>
    ${head}
  </head>
  <body>
    <main>
      <h1>${title}</h1>
      ${body}
    </main>
  </body>
</html>`;
}

/** The `n`th `<bottleneck-survey>` on the page; Playwright's locators reach into its open shadow root. */
function widget(page, n = 0) {
  return page.locator('bottleneck-survey').nth(n);
}

/** Waits for a widget's form: its submit button. */
async function waitForForm(scope, lang = 'zh-CN') {
  await scope.getByRole('button', { name: TEXT[lang].submit, exact: true }).waitFor();
}

/** Picks province (unless fixed), city and county by their labels, waiting for each list to load. */
async function pickPlace(scope, [province, city, county], lang = 'zh-CN') {
  const [provinceLabel, cityLabel, countyLabel] = TEXT[lang].place;
  if (province) await scope.getByLabel(provinceLabel, { exact: true }).selectOption({ label: province });
  // selectOption waits until the select is enabled and holds the option.
  await scope.getByLabel(cityLabel, { exact: true }).selectOption({ label: city });
  await scope.getByLabel(countyLabel, { exact: true }).selectOption({ label: county });
}

/** Ticks a bottleneck by tapping its text, as vote.test.mjs does. */
async function tick(scope, optionId, lang = 'zh-CN') {
  const text = optionText(optionId, lang);
  await scope.getByText(text, { exact: true }).click();
  assert.equal(await scope.getByRole('checkbox', { name: text, exact: true }).isChecked(), true, `ticked: ${optionId}`);
}

/** Submits a widget's form, waits for the endpoint's 201 and the receipt, and returns the receipt code shown. */
async function submitAndReadReceipt(page, scope, lang = 'zh-CN') {
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === VOTES_PATH
    && response.request().method() === 'POST');
  await scope.getByRole('button', { name: TEXT[lang].submit, exact: true }).click();
  assert.equal((await answered).status(), 201, 'the vote is counted');
  await scope.getByRole('heading', { name: TEXT[lang].receiptTitle }).waitFor();
  await scope.getByRole('term').filter({ hasText: TEXT[lang].receiptCode }).waitFor();
  const definitions = scope.getByRole('definition');
  assert.equal(await definitions.count(), 1, 'the receipt shows exactly one code');
  const code = (await definitions.innerText()).trim();
  assert.match(code, RECEIPT_CODE);
  return code;
}

/** The votes stored, with their choices in the order ticked. */
function storedVotes(collector) {
  return queryDb(collector.dbPath, 'SELECT * FROM votes ORDER BY counted_at').map((vote) => ({
    ...vote,
    choices: queryDb(collector.dbPath, `SELECT option_id FROM vote_choices WHERE vote_id = '${vote.vote_id}' ORDER BY position`)
      .map((row) => row.option_id),
  }));
}

/** Console errors other than the failed loads a test provokes on purpose. */
function unexpected(errors, ...expected) {
  return errors.filter((e) => !expected.some((pattern) => pattern.test(e)));
}

// ---------------------------------------------------------------------------
// 1. Isolation from the host page's CSS

/** The computed properties compared between the clean and the hostile page. */
const STYLE_PROPERTIES = [
  'font-size', 'font-family', 'font-weight', 'font-style', 'line-height', 'letter-spacing', 'text-transform',
  'text-align', 'color', 'background-color', 'display', 'box-sizing', 'visibility', 'opacity', 'list-style-type',
  ...['top', 'right', 'bottom', 'left'].flatMap((side) => [
    `padding-${side}`, `margin-${side}`, `border-${side}-width`, `border-${side}-style`, `border-${side}-color`,
  ]),
  'width', 'height',
];

/** Lengths compared with a tolerance (sub-pixel layout may differ with the element's position on the page). */
const LENGTHS = new Set(['width', 'height']);
const LENGTH_TOLERANCE_PX = 0.5;

/** The computed styles and rendered size of the element `locator` finds. */
function computedStyles(locator) {
  return locator.evaluate((element, properties) => {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
      ...Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)])),
      'rendered width': `${box.width}px`,
      'rendered height': `${box.height}px`,
    };
  }, STYLE_PROPERTIES);
}

/** Differences between two computed-style records, `[]` when they match. */
function styleDifferences(name, clean, hostile, { ignore = [] } = {}) {
  const differences = [];
  for (const [property, value] of Object.entries(clean)) {
    if (ignore.includes(property)) continue;
    const other = hostile[property];
    const lengths = (LENGTHS.has(property) || property.startsWith('rendered'))
      && Number.isFinite(parseFloat(value)) && Number.isFinite(parseFloat(other));
    const same = lengths
      ? Math.abs(parseFloat(value) - parseFloat(other)) <= LENGTH_TOLERANCE_PX
      : value === other;
    if (!same) differences.push(`${name}: ${property} is ${JSON.stringify(value)} on the clean page, ${JSON.stringify(other)} on the hostile one`);
  }
  return differences;
}

/** The first widget's key elements, found as a person finds them. */
function keyElements(page) {
  const survey = widget(page, 0);
  const checkbox = survey.getByRole('checkbox', { name: optionText('repeat-tests'), exact: true });
  return {
    'the widget element': survey,
    'the widget root': survey.getByRole('region', { name: TEXT['zh-CN'].widget }),
    'the batch title': survey.getByRole('heading', { name: BATCH.title, exact: true }),
    'the place legend': survey.getByText(TEXT['zh-CN'].locationLegend, { exact: true }),
    'the province select': survey.getByLabel('省份', { exact: true }),
    'a checkbox': checkbox,
    'a checkbox row': checkbox.locator('xpath=..'),
    "a checkbox's label": survey.getByText(optionText('repeat-tests'), { exact: true }),
    'the submit button': survey.getByRole('button', { name: TEXT['zh-CN'].submit, exact: true }),
  };
}

/**
 * A window taller than the whole first widget, so that its sticky submit bar
 * sits where it belongs in a screenshot, whatever the page above it.
 */
const TALL = { width: 1280, height: 3200 };

/**
 * Opens a demo portal page and waits until its first widget is complete:
 * the form, and the fixed province's cities (region="130000") loaded.
 */
async function openDemoPortal(t, collector, path, viewport) {
  const opened = await pageFor(t, { viewport });
  await opened.page.goto(`${collector.url}${path}`);
  const survey = widget(opened.page, 0);
  await waitForForm(survey);
  const city = await survey.getByLabel('城市', { exact: true }).elementHandle();
  await opened.page.waitForFunction((select) => !select.disabled && select.options.length > 1, city);
  await waitForForm(widget(opened.page, 1), 'en');
  return opened;
}

/**
 * Compares two PNG screenshots pixel by pixel, decoded by Chromium itself in
 * a blank page (no image library needed). A pixel differs when one of its
 * channels differs by more than `channelTolerance`.
 */
async function comparePngs(first, second, { channelTolerance = 16 } = {}) {
  const context = await browser.newContext();
  try {
    const blank = await context.newPage();
    return await blank.evaluate(async ({ first, second, channelTolerance }) => {
      const decode = async (base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }),
          { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context2d = canvas.getContext('2d', { willReadFrequently: true });
        context2d.drawImage(bitmap, 0, 0);
        return context2d.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [a, b] = await Promise.all([decode(first), decode(second)]);
      if (a.width !== b.width || a.height !== b.height) {
        return { sameSize: false, sizes: [[a.width, a.height], [b.width, b.height]] };
      }
      let differing = 0;
      let maxDelta = 0;
      let inked = 0; // pixels unlike the first one: the picture is not blank
      for (let i = 0; i < a.data.length; i += 4) {
        if (a.data[i] !== a.data[0] || a.data[i + 1] !== a.data[1] || a.data[i + 2] !== a.data[2]) inked += 1;
        let delta = 0;
        for (let c = 0; c < 4; c += 1) delta = Math.max(delta, Math.abs(a.data[i + c] - b.data[i + c]));
        maxDelta = Math.max(maxDelta, delta);
        if (delta > channelTolerance) differing += 1;
      }
      return { sameSize: true, width: a.width, height: a.height, pixels: a.width * a.height, differing, maxDelta, inked };
    }, { first: first.toString('base64'), second: second.toString('base64'), channelTolerance });
  } finally {
    await context.close();
  }
}

/** Saves a PNG buffer under tests/e2e/artifacts/ and returns its path. */
function saveArtifact(name, png) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  writeFileSync(path, png);
  return path;
}

test('a hostile host stylesheet changes nothing inside the widget: computed styles and pixels match', async (t) => {
  const collector = await collectorFor(t);
  const clean = await openDemoPortal(t, collector, '/demo/portal.html', TALL);
  const hostile = await openDemoPortal(t, collector, '/demo/portal-hostile.html', TALL);

  // The hostile sheet did load and does act on the page around the widget.
  const hostileBody = await hostile.page.evaluate(() => getComputedStyle(document.body).textTransform);
  assert.equal(hostileBody, 'uppercase', 'hostile.css applies to the host page (its body rule)');

  const cleanElements = keyElements(clean.page);
  const hostileElements = keyElements(hostile.page);
  const differences = [];
  for (const name of Object.keys(cleanElements)) {
    assert.equal(await cleanElements[name].count(), 1, `one ${name} on the clean page`);
    assert.equal(await hostileElements[name].count(), 1, `one ${name} on the hostile page`);
    differences.push(...styleDifferences(name, await computedStyles(cleanElements[name]), await computedStyles(hostileElements[name])));
  }
  assert.deepEqual(differences, [], 'the widget looks the same under hostile.css');

  // The same widget, pixel by pixel. Its width is the host page's layout,
  // which hostile.css leaves alone here (.portal-card's class rule beats its
  // `section` rule): both are asserted equal above ('rendered width').
  const shoot = (page) => widget(page, 0).screenshot({ animations: 'disabled', caret: 'hide', scale: 'css' });
  const [cleanPng, hostilePng] = [await shoot(clean.page), await shoot(hostile.page)];
  const comparison = await comparePngs(cleanPng, hostilePng);
  const where = `screenshots: ${saveArtifact('embed-widget-clean', cleanPng)} and ${saveArtifact('embed-widget-hostile', hostilePng)}`;
  assert.ok(comparison.sameSize, `the widget has the same size on both pages (${JSON.stringify(comparison.sizes)}); ${where}`);
  t.diagnostic(`widget screenshots ${comparison.width}x${comparison.height}: ${comparison.differing} pixel(s) differ by more than 16/255, largest channel difference ${comparison.maxDelta}`);
  assert.ok(comparison.inked > comparison.pixels / 100, `the screenshot shows the widget, not a blank box; ${where}`);
  // Allow anti-aliasing noise on at most 0.1% of the pixels.
  assert.ok(comparison.differing <= comparison.pixels / 1000,
    `${comparison.differing} of ${comparison.pixels} pixels differ; ${where}`);

  assert.deepEqual(clean.errors, []);
  assert.deepEqual(hostile.errors, []);
});

test("the widget changes none of the host page's own styles", async (t) => {
  const collector = await collectorFor(t);
  const withWidgets = await openDemoPortal(t, collector, '/demo/portal.html');
  // The same page with the loader refused: what portal.css alone makes of it.
  const without = await pageFor(t);
  await without.page.route(`${collector.url}/embed.js`, (route) => route.abort());
  await without.page.goto(`${collector.url}/demo/portal.html`);

  const hostElements = (page) => ({
    body: page.locator('body'),
    'the portal heading': page.getByRole('heading', { name: '示例省政务服务网', level: 1 }),
    'a nav link': page.getByRole('link', { name: '问卷独立页面' }),
    "a card's heading": page.getByRole('heading', { name: '河北省 · 办事堵点征集', level: 2 }),
    'the footer': page.getByRole('contentinfo'),
  });
  const differences = [];
  const [a, b] = [hostElements(withWidgets.page), hostElements(without.page)];
  // The body holds the widgets, so only its height may change.
  const ignore = { body: ['height', 'rendered height'] };
  for (const name of Object.keys(a)) {
    differences.push(...styleDifferences(name, await computedStyles(b[name]), await computedStyles(a[name]), { ignore: ignore[name] })
      .map((d) => d.replace('clean page', 'page without widgets').replace('hostile one', 'page with them')));
  }
  assert.deepEqual(differences, [], 'the portal looks the same with and without widgets');

  // portal.css's own values, so the comparison above cannot pass vacuously.
  const heading = await computedStyles(a['the portal heading']);
  assert.equal(heading.color, 'rgb(255, 255, 255)');
  assert.equal(heading['font-size'], '22px');
  assert.equal(heading['margin-top'], '0px');
  assert.equal(heading['font-family'], '"Microsoft YaHei", "PingFang SC", sans-serif');

  // The widget adds no stylesheet to the document: its own is adopted by its shadow roots.
  const sheets = await withWidgets.page.evaluate(() => ({
    adopted: document.adoptedStyleSheets.length,
    sheets: [...document.styleSheets].map((s) => s.href && new URL(s.href).pathname),
    styleElements: document.querySelectorAll('style').length,
    shadowSheets: [...document.querySelectorAll('bottleneck-survey')].map((e) => e.shadowRoot?.adoptedStyleSheets.length),
  }));
  assert.deepEqual(sheets, { adopted: 0, sheets: ['/demo/portal.css'], styleElements: 0, shadowSheets: [1, 1] });
  assert.deepEqual(withWidgets.errors, []);
});

// ---------------------------------------------------------------------------
// 2. Two widgets, two endpoints

/**
 * Every `label[for]` in each widget's shadow root names a control in that
 * same root, and every control is labelled; ids are unique within a root.
 */
function labelWiring(page) {
  return page.evaluate(() => [...document.querySelectorAll('bottleneck-survey')].map((host) => {
    const root = host.shadowRoot;
    const ids = [...root.querySelectorAll('[id]')].map((e) => e.id);
    const broken = [...root.querySelectorAll('label[for]')]
      .filter((label) => !root.getElementById(label.htmlFor) || label.control !== root.getElementById(label.htmlFor))
      .map((label) => label.htmlFor);
    const unlabelled = [...root.querySelectorAll('input, select, textarea')]
      .filter((control) => control.labels.length === 0 && !control.getAttribute('aria-label'))
      .map((control) => control.id || control.outerHTML);
    return { ids, duplicates: ids.filter((id, i) => ids.indexOf(id) !== i), broken, unlabelled };
  }));
}

test('two widgets on one page, with their own endpoints and settings, vote independently', async (t) => {
  const host = await collectorWithSite(t);
  const a = host.collector;
  const b = await collectorFor(t, { args: ['--cors-origin', a.url] });
  const { page, errors } = await pageFor(t);
  const votesTo = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === VOTES_PATH) votesTo.push(new URL(request.url()).origin);
  });
  await openHostPage(page, host, 'two-endpoints.html', portalPage('两个问卷 · Two endpoints', `
      <section><h2>河北省</h2>
        <bottleneck-survey endpoint="${a.url}/api/v1" region="130000"></bottleneck-survey></section>
      <section><h2>English</h2>
        <bottleneck-survey endpoint="${b.url}/api/v1" lang="en"></bottleneck-survey></section>`));
  const [hebei, english] = [widget(page, 0), widget(page, 1)];
  await waitForForm(hebei);
  await waitForForm(english, 'en');
  await english.getByRole('heading', { name: BATCH_EN.title }).waitFor();

  // Labels work in both shadow roots, and ids never clash across them.
  const wiring = await labelWiring(page);
  for (const [i, root] of wiring.entries()) {
    assert.deepEqual({ duplicates: root.duplicates, broken: root.broken, unlabelled: root.unlabelled },
      { duplicates: [], broken: [], unlabelled: [] }, `labels of widget ${i + 1}`);
  }
  const shared = wiring[0].ids.filter((id) => wiring[1].ids.includes(id));
  assert.deepEqual(shared, [], 'no element id is used in both widgets');
  assert.equal(await page.getByLabel('省份', { exact: true }).count(), 1, 'one 省份 field on the page: the first widget\'s');
  assert.equal(await page.getByLabel('Province', { exact: true }).count(), 1, 'one Province field: the second widget\'s');

  // The first widget's province is fixed to 河北省; the second's is free.
  const fixed = hebei.getByLabel('省份', { exact: true });
  assert.equal(await fixed.isDisabled(), true, 'the fixed province cannot be changed');
  assert.equal(await fixed.evaluate((select) => select.selectedOptions[0]?.textContent.trim()), '河北省');
  assert.equal(await english.getByLabel('Province', { exact: true }).isEnabled(), true);

  // Ticking in one widget ticks nothing in the other.
  await tick(hebei, 'repeat-tests');
  assert.equal(await english.getByRole('checkbox', { name: optionText('repeat-tests', 'en'), exact: true }).isChecked(), false,
    'the same option in the other widget stays unticked');

  await pickPlace(hebei, [null, '石家庄市', '长安区']);
  const codeA = await submitAndReadReceipt(page, hebei);
  // The other widget still shows its form after the first one voted.
  await waitForForm(english, 'en');

  await pickPlace(english, ['北京市', '北京市', '东城区'], 'en');
  await tick(english, 'clinic-card', 'en');
  const codeB = await submitAndReadReceipt(page, english, 'en');
  assert.notEqual(codeA, codeB);
  // Each receipt stays in its own widget.
  await hebei.getByRole('heading', { name: TEXT['zh-CN'].receiptTitle }).waitFor();
  assert.equal((await hebei.getByRole('definition').innerText()).trim(), codeA);

  assert.deepEqual(votesTo, [a.url, b.url], 'each widget sent its vote to its own endpoint');
  const [votesA, votesB] = [storedVotes(a), storedVotes(b)];
  assert.equal(votesA.length, 1, 'endpoint A stores exactly one vote');
  assert.equal(votesB.length, 1, 'endpoint B stores exactly one vote');
  assert.deepEqual([votesA[0].province, votesA[0].city, votesA[0].county], ['130000', '130100', '130102']);
  assert.deepEqual(votesA[0].choices, ['repeat-tests']);
  assert.equal(votesA[0].locale, 'zh-CN');
  assert.equal(votesA[0].receipt, codeA);
  assert.deepEqual([votesB[0].province, votesB[0].city, votesB[0].county], ['110000', '110100', '110101']);
  assert.deepEqual(votesB[0].choices, ['clinic-card']);
  assert.equal(votesB[0].locale, 'en');
  assert.equal(votesB[0].receipt, codeB);
  assert.deepEqual([votesA[0].embed_origin, votesB[0].embed_origin], [a.url, a.url], 'both name the portal page they were cast on');
  assert.deepEqual(errors, []);
});

// ---------------------------------------------------------------------------
// 3. Strict Content-Security-Policy

/** Records every `securitypolicyviolation` from the very start of each document. */
function recordCspViolations(page) {
  return page.addInitScript(() => {
    window.__cspViolations = [];
    const record = (event) => window.__cspViolations.push({
      directive: event.effectiveDirective,
      blocked: event.blockedURI,
      source: event.sourceFile,
      line: event.lineNumber,
      sample: event.sample,
    });
    // The event bubbles and is composed; capture on the window catches it
    // wherever it is fired, shadow roots included.
    window.addEventListener('securitypolicyviolation', record, true);
  });
}

test('under a strict CSP the whole vote works with no policy violation', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await pageFor(t);
  await recordCspViolations(page);
  await page.goto(`${collector.url}/demo/csp.html`);
  const survey = widget(page);
  await waitForForm(survey);

  await pickPlace(survey, ['河北省', '石家庄市', '长安区']);
  await tick(survey, 'pay-queues');
  const code = await submitAndReadReceipt(page, survey);
  // The results, drawn with <meter> rather than style attributes.
  await survey.getByText(TEXT['zh-CN'].total(1)).waitFor();
  assert.equal(storedVotes(collector)[0]?.receipt, code);

  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'no securitypolicyviolation');
  assert.deepEqual(errors, []);

  // The policy is in force and the listener hears it: an inline style
  // attribute set now is refused and reported.
  await page.evaluate(() => document.body.setAttribute('style', 'outline: 1px solid red'));
  await page.waitForFunction(() => window.__cspViolations.length > 0);
  assert.equal(await page.evaluate(() => window.__cspViolations[0].directive), 'style-src-attr');
});

// ---------------------------------------------------------------------------
// 4. iframe mode

/** A phone held upright, small. */
const SMALL_PHONE = { width: 360, height: 640 };

/**
 * Records, in the top page only, every message it receives and which iframe
 * sent it. (What a framed page asks to post, and to which target origin,
 * cannot be recorded by wrapping this window's `postMessage`: a call through
 * a wrapper from the parent's realm makes the parent the message's source.)
 */
function recordMessages(page) {
  return page.addInitScript(() => {
    if (window.top !== window) return;
    window.__messages = [];
    window.addEventListener('message', (event) => {
      const frames = [...document.querySelectorAll('iframe')];
      window.__messages.push({
        origin: event.origin,
        data: event.data,
        frame: frames.findIndex((frame) => frame.contentWindow === event.source),
      });
    });
  });
}

/** The resize messages recorded so far, from the `n`th iframe or any. */
async function resizeMessages(page, n) {
  const messages = await page.evaluate(() => window.__messages);
  return messages.filter((m) => m.data?.type === 'bottleneck-survey:resize' && (n === undefined || m.frame === n));
}

/**
 * The `n`th survey iframe's height as its parent set it, and (same-origin
 * frames only) its document's: scrollHeight and viewport height.
 */
function frameFit(page, n = 0) {
  return page.evaluate((n) => {
    const frame = document.querySelectorAll('iframe[data-bottleneck-survey]')[n];
    const inner = frame.contentDocument?.documentElement;
    return {
      frame: frame.getBoundingClientRect().height,
      styleHeight: frame.style.height,
      content: inner?.scrollHeight,
      viewport: inner && frame.contentWindow.innerHeight,
    };
  }, n);
}

/**
 * Waits until the `n`th survey frame (same origin as the page) has been sized
 * and fits its document exactly, at a height strictly between `above` and
 * `below`; returns it.
 */
async function waitForFit(page, { above = 0, below = Number.MAX_VALUE, n = 0 } = {}) {
  const handle = await page.waitForFunction(({ above, below, n }) => {
    const frame = document.querySelectorAll('iframe[data-bottleneck-survey]')[n];
    const inner = frame?.contentDocument?.documentElement;
    if (!inner || frame.style.height === '') return false;
    const height = frame.getBoundingClientRect().height;
    return height > above && height < below && Math.abs(height - inner.scrollHeight) <= 1 && height;
  }, { above, below, n });
  return handle.jsonValue();
}

/** Checks every message is a well-formed resize message from frame `n` and origin `origin`. */
function assertResizeMessages(messages, { n, origin }) {
  for (const message of messages) {
    assert.equal(message.frame, n, `sent by survey frame ${n}`);
    assert.equal(message.origin, origin);
    assert.deepEqual(Object.keys(message.data).sort(), ['height', 'type'], 'the message is {type, height} and nothing else');
    assert.ok(Number.isFinite(message.data.height) && message.data.height > 0);
  }
}

test('in iframe mode at 360x640 the frame fits the survey as it grows and shrinks, told by postMessage', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await pageFor(t, { viewport: SMALL_PHONE });
  await recordMessages(page);
  await page.goto(`${collector.url}/demo/iframe.html`);
  const frame = page.frameLocator('iframe[data-bottleneck-survey]');
  await waitForForm(frame);

  const form = await waitForFit(page);
  let fit = await frameFit(page);
  assert.ok(fit.content <= fit.viewport, `no scrollbar: the framed page (${fit.content}px) fits the frame (${fit.viewport}px)`);
  assert.ok(form > SMALL_PHONE.height, `the frame took the form's full height (${form}px), not a viewport's`);

  // Validation errors make the form taller; the frame follows.
  await frame.getByRole('button', { name: TEXT['zh-CN'].submit, exact: true }).click();
  await frame.getByRole('link', { name: TEXT['zh-CN'].provinceRequired }).waitFor();
  const grown = await waitForFit(page, { above: form });
  fit = await frameFit(page);
  assert.ok(fit.content <= fit.viewport, 'no scrollbar with the errors');

  // The receipt replaces the form: the frame shrinks.
  await pickPlace(frame, ['河北省', '石家庄市', '长安区']);
  await tick(frame, 'repeat-tests');
  await submitAndReadReceipt(page, frame);
  await frame.getByText(TEXT['zh-CN'].total(1)).waitFor();
  const receipt = await waitForFit(page, { below: grown });
  fit = await frameFit(page);
  assert.ok(fit.content <= fit.viewport, 'no scrollbar on the receipt either');
  t.diagnostic(`iframe heights at 360x640: form ${form}px, with errors ${grown}px, receipt ${receipt}px`);

  // The messages: from the frame, its own origin, exactly {type, height}.
  const resizes = await resizeMessages(page);
  assert.ok(resizes.length >= 3, `several resize messages (${resizes.length})`);
  assertResizeMessages(resizes, { n: 0, origin: collector.url });
  const heights = resizes.map((m) => m.data.height);
  for (const height of [form, grown, receipt]) {
    assert.ok(heights.some((h) => Math.abs(h - height) <= 1), `a message announced ${height}px (got ${heights.join(', ')})`);
  }
  assert.deepEqual(errors, []);
});

test("a framed page sends its height only to the parent_origin it is given, and the resizer trusts only a frame's own origin", async (t) => {
  // A browser of its own that resolves other.example to 127.0.0.1, so one
  // collector serves two origins: http://127.0.0.1:PORT and
  // http://other.example:PORT (both loopback for Local Network Access).
  const mapped = await launchBrowser({ args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP other.example 127.0.0.1'] });
  t.after(() => mapped.close());
  const host = await collectorWithSite(t);
  const { collector, site } = host;
  const self = collector.url;
  const other = `http://other.example:${new URL(self).port}`;

  // On 127.0.0.1: frame 0 names this page's origin, frame 1 another one, and
  // frame 2's src is on 127.0.0.1 but its page moves itself to other.example,
  // so its messages come from an origin that is not its src's.
  const moved = site.add('moved.html', `<!DOCTYPE html><title>moving</title>
<script>location.replace(${JSON.stringify(`${other}/?lang=zh-CN`)});</script>`);
  const { page, errors } = await newPage(mapped, { viewport: SMALL_PHONE, locale: 'zh-CN' });
  t.after(() => page.close());
  await recordMessages(page);
  await openHostPage(page, host, 'frames.html', `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Frames</title>
<script src="/embed-frame.js" defer></script></head>
<body>
  <iframe data-bottleneck-survey title="named parent" src="/?lang=zh-CN&parent_origin=${encodeURIComponent(self)}"></iframe>
  <iframe data-bottleneck-survey title="other parent" src="/?lang=zh-CN&parent_origin=https%3A%2F%2Fother.example"></iframe>
  <iframe data-bottleneck-survey title="moved" src="${moved}"></iframe>
</body></html>`);
  for (const n of [0, 1]) await waitForForm(page.frameLocator('iframe[data-bottleneck-survey]').nth(n));
  await waitForFit(page, { n: 0 });
  // Chromium does not render a cross-origin frame that is out of sight, so
  // frame 2, pushed below the fold once frame 0 is fitted, would draw the
  // rest of its form (a part per painted frame) and report nothing until a
  // person scrolls to it: scroll to it, as they would, then wait for it.
  await page.locator('iframe[data-bottleneck-survey]').nth(2).scrollIntoViewIfNeeded();
  await waitForForm(page.frameLocator('iframe[data-bottleneck-survey]').nth(2));
  await page.waitForFunction(() => window.__messages.some((m) => m.frame === 2));
  // Each frame reports on the rendering frame after its form renders, so
  // frame 1's message, were it delivered, would be in with the others; half
  // a second more is dozens of rendering frames.
  await page.waitForTimeout(500);

  assertResizeMessages(await resizeMessages(page, 0), { n: 0, origin: self });
  assert.deepEqual(await resizeMessages(page, 1), [], 'nothing arrives from the frame told parent_origin=https://other.example');
  assert.equal((await frameFit(page, 1)).styleHeight, '', 'so that frame is never resized');
  const fromMoved = await resizeMessages(page, 2);
  assert.ok(fromMoved.length > 0);
  assertResizeMessages(fromMoved, { n: 2, origin: other });
  assert.equal((await frameFit(page, 2)).styleHeight, '',
    "embed-frame.js ignores the messages of a frame whose origin is not its src's");
  assert.deepEqual(errors, []);

  // The control, on other.example: a frame from 127.0.0.1 told this very
  // parent's origin reaches it, and is fitted (cross-origin iframe mode).
  const { page: parent, errors: parentErrors } = await newPage(mapped, { viewport: SMALL_PHONE, locale: 'zh-CN' });
  t.after(() => parent.close());
  await recordMessages(parent);
  await parent.goto(`${other}${site.add('other-parent.html', `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Other parent</title>
<script src="/embed-frame.js" defer></script></head>
<body>
  <iframe data-bottleneck-survey title="survey" src="${self}/?lang=zh-CN&parent_origin=${encodeURIComponent(other)}"></iframe>
</body></html>`)}`);
  const framed = parent.frameLocator('iframe[data-bottleneck-survey]');
  await waitForForm(framed);
  await parent.waitForFunction(() => document.querySelector('iframe').style.height !== '');
  const delivered = await resizeMessages(parent);
  assertResizeMessages(delivered, { n: 0, origin: self });
  const content = await framed.locator('html').evaluate((html) => html.scrollHeight);
  await parent.waitForFunction((content) => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - content) <= 1, content);
  assert.deepEqual(parentErrors, []);
});

// ---------------------------------------------------------------------------
// 5. Events

/** Records every survey-* event that reaches `document`, with its flags and detail keys. */
function recordSurveyEvents(page) {
  return page.addInitScript(() => {
    window.__surveyEvents = [];
    for (const type of ['survey-loaded', 'survey-submitted', 'survey-error']) {
      document.addEventListener(type, (event) => {
        window.__surveyEvents.push({
          type,
          detail: { ...event.detail },
          keys: Object.keys(event.detail ?? {}),
          custom: event instanceof CustomEvent,
          bubbles: event.bubbles,
          composed: event.composed,
          atDocument: event.eventPhase === Event.BUBBLING_PHASE,
          target: event.target.localName,
          targetId: event.target.id,
        });
      });
    }
  });
}

/** The events recorded so far, without the flags every one must have. */
async function surveyEvents(page) {
  const events = await page.evaluate(() => window.__surveyEvents);
  for (const event of events) {
    assert.deepEqual({ custom: event.custom, bubbles: event.bubbles, composed: event.composed, atDocument: event.atDocument, target: event.target },
      { custom: true, bubbles: true, composed: true, atDocument: true, target: 'bottleneck-survey' },
      `${event.type} is a CustomEvent on the element that bubbles to the document and is composed`);
  }
  return events.map(({ type, detail, keys, targetId }) => ({ type, detail, keys, targetId }));
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('survey-loaded fires once on load and survey-submitted once with the receipt shown', async (t) => {
  const host = await collectorWithSite(t);
  const { collector } = host;
  const { page, errors } = await pageFor(t);
  await recordSurveyEvents(page);
  await openHostPage(page, host, 'events.html', portalPage('Events',
    '<bottleneck-survey id="survey" endpoint="/api/v1"></bottleneck-survey>'));
  const survey = widget(page);
  await waitForForm(survey);
  assert.deepEqual(await surveyEvents(page), [
    { type: 'survey-loaded', detail: { batch_id: BATCH.id, status: 'open' }, keys: ['batch_id', 'status'], targetId: 'survey' },
  ]);

  await pickPlace(survey, ['河北省', '石家庄市', '长安区']);
  await tick(survey, 'repeat-tests');
  const code = await submitAndReadReceipt(page, survey);
  // The results load after the receipt; by then any second event would be in.
  await survey.getByText(TEXT['zh-CN'].total(1)).waitFor();
  assert.deepEqual(await surveyEvents(page), [
    { type: 'survey-loaded', detail: { batch_id: BATCH.id, status: 'open' }, keys: ['batch_id', 'status'], targetId: 'survey' },
    { type: 'survey-submitted', detail: { batch_id: BATCH.id, receipt: code }, keys: ['batch_id', 'receipt'], targetId: 'survey' },
  ]);
  assert.equal(storedVotes(collector)[0].receipt, code);
  assert.deepEqual(errors, []);
});

test('an endpoint that cannot be reached fires survey-error once, kind batch, with the sentence shown', async (t) => {
  const host = await collectorWithSite(t);
  const port = await closedPort();
  const { page, errors } = await pageFor(t);
  await recordSurveyEvents(page);
  await openHostPage(page, host, 'broken.html', portalPage('Broken endpoint',
    `<bottleneck-survey id="survey" endpoint="http://127.0.0.1:${port}/api/v1"></bottleneck-survey>`));
  const survey = widget(page);
  await survey.getByRole('heading', { name: TEXT['zh-CN'].loadFailed }).waitFor();
  await survey.getByText(TEXT['zh-CN'].network, { exact: true }).waitFor();
  assert.deepEqual(await surveyEvents(page), [
    { type: 'survey-error', detail: { kind: 'batch', message: TEXT['zh-CN'].network }, keys: ['kind', 'message'], targetId: 'survey' },
  ]);
  assert.deepEqual(unexpected(errors, /ERR_CONNECTION_REFUSED/), []);
});

test('an endpoint that does not allow the page by CORS fires survey-error, kind batch, saying it cannot be reached', async (t) => {
  const host = await collectorWithSite(t);
  const other = await collectorFor(t); // no --cors-origin
  const { page, errors } = await pageFor(t);
  await recordSurveyEvents(page);
  await openHostPage(page, host, 'no-cors.html', portalPage('No CORS',
    `<bottleneck-survey id="survey" endpoint="${other.url}/api/v1"></bottleneck-survey>`));
  const survey = widget(page);
  await survey.getByRole('heading', { name: TEXT['zh-CN'].loadFailed }).waitFor();
  await survey.getByText(TEXT['zh-CN'].network, { exact: true }).waitFor();
  assert.deepEqual(await surveyEvents(page), [
    { type: 'survey-error', detail: { kind: 'batch', message: TEXT['zh-CN'].network }, keys: ['kind', 'message'], targetId: 'survey' },
  ]);
  // Refused for want of CORS (not, say, by Local Network Access): the browser says which.
  assert.ok(errors.some((e) => /blocked by CORS policy: No 'Access-Control-Allow-Origin' header/.test(e)), errors.join('\n'));
  assert.deepEqual(unexpected(errors, /blocked by CORS policy: No 'Access-Control-Allow-Origin' header/, /ERR_FAILED/), []);
});

test('an element without an endpoint says so and fires survey-error, kind config', async (t) => {
  const host = await collectorWithSite(t);
  const { page, errors } = await pageFor(t);
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await recordSurveyEvents(page);
  await openHostPage(page, host, 'no-endpoint.html', portalPage('No endpoint',
    '<bottleneck-survey id="survey" lang="zh-CN"></bottleneck-survey>'));
  const survey = widget(page);
  await survey.getByRole('heading', { name: TEXT['zh-CN'].configFailed }).waitFor();
  await survey.getByText(TEXT['zh-CN'].badEndpoint, { exact: true }).waitFor();
  // The message is drawn at mount, where the batch would be asked for too;
  // half a second more without such a request means none is coming.
  await page.waitForTimeout(500);
  assert.deepEqual(await surveyEvents(page), [
    { type: 'survey-error', detail: { kind: 'config', message: TEXT['zh-CN'].badEndpoint }, keys: ['kind', 'message'], targetId: 'survey' },
  ]);
  assert.deepEqual(requests.filter((p) => p.startsWith('/api/')), [], 'no request to any endpoint');
  assert.deepEqual(errors, []);
});

test('an element moved before the widget loaded mounts once, and one added later mounts too', async (t) => {
  const host = await collectorWithSite(t);
  const { collector } = host;
  const { page, errors } = await pageFor(t);
  await recordSurveyEvents(page);
  // Hold the wasm back so the move happens while the loader still waits.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(`${collector.url}/bottleneck-survey_bg.wasm`, async (route) => {
    await released;
    await route.continue();
  });
  await openHostPage(page, host, 'later.html', portalPage('Later',
    '<section id="from"><bottleneck-survey id="first" endpoint="/api/v1"></bottleneck-survey></section><section id="to"></section>'));
  await page.waitForFunction(() => customElements.get('bottleneck-survey') !== undefined);
  // Disconnected and connected again: connectedCallback runs twice.
  await page.evaluate(() => document.querySelector('#to').append(document.querySelector('#first')));
  release();
  await waitForForm(widget(page, 0));

  await page.evaluate(() => {
    const element = document.createElement('bottleneck-survey');
    element.id = 'second';
    element.setAttribute('endpoint', '/api/v1');
    document.querySelector('main').append(element);
  });
  await waitForForm(widget(page, 1));

  for (const n of [0, 1]) {
    assert.equal(await widget(page, n).getByRole('region', { name: TEXT['zh-CN'].widget }).count(), 1, `widget ${n + 1} is mounted once`);
  }
  assert.deepEqual((await surveyEvents(page)).map((e) => `${e.type} on #${e.targetId}`),
    ['survey-loaded on #first', 'survey-loaded on #second']);
  assert.deepEqual(errors, []);
});

/** `/__faults` of a collector started with `--fault-injection` (see delivery.test.mjs). */
async function queueVoteFaults(collector, votes) {
  const response = await fetch(`${collector.url}/__faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ votes }),
  });
  assert.equal(response.status, 200, await response.text());
}

test('changing an attribute mounts the widget anew with it, and a vote waiting in the outbox goes at once, once', async (t) => {
  const host = await collectorWithSite(t, { args: ['--fault-injection'] });
  const { collector } = host;
  const { page, errors } = await pageFor(t);
  await recordSurveyEvents(page);
  await openHostPage(page, host, 'attributes.html', portalPage('Attributes',
    '<bottleneck-survey id="survey" endpoint="/api/v1" lang="zh-CN"></bottleneck-survey>'));
  const survey = widget(page);
  await waitForForm(survey);

  // The portal's own language switch: the widget speaks English at once.
  await page.evaluate(() => document.querySelector('#survey').setAttribute('lang', 'en'));
  await waitForForm(survey, 'en');
  assert.equal(await survey.getByRole('region', { name: TEXT.en.widget }).count(), 1, 'one widget, in English');
  assert.equal(await survey.getByRole('button', { name: TEXT['zh-CN'].submit, exact: true }).count(), 0, 'the Chinese form is gone');

  // A vote refused with "come back in 30 s" waits in the outbox...
  await queueVoteFaults(collector, [{ fail: 503, retry_after: '30', times: 1 }]);
  // Place names are GB/T 2260's, Chinese in both languages.
  await pickPlace(survey, ['河北省', '石家庄市', '长安区'], 'en');
  await tick(survey, 'repeat-tests', 'en');
  const refused = page.waitForResponse((response) => new URL(response.url()).pathname === VOTES_PATH);
  await survey.getByRole('button', { name: TEXT.en.submit, exact: true }).click();
  assert.equal((await refused).status(), 503);

  // ...and the portal switches back: the widget mounted anew sends it at
  // once, not 30 s later, and shows the receipt.
  const counted = page.waitForResponse((response) => new URL(response.url()).pathname === VOTES_PATH, { timeout: 5_000 });
  await page.evaluate(() => document.querySelector('#survey').setAttribute('lang', 'zh-CN'));
  assert.equal((await counted).status(), 201, 'sent again at once');
  await survey.getByRole('heading', { name: TEXT['zh-CN'].receiptTitle }).waitFor();
  const votes = storedVotes(collector);
  assert.equal(votes.length, 1, 'exactly one vote is stored');
  assert.equal((await survey.getByRole('definition').innerText()).trim(), votes[0].receipt);

  assert.deepEqual((await surveyEvents(page)).map((e) => e.type),
    ['survey-loaded', 'survey-loaded', 'survey-loaded', 'survey-submitted'], 'a load per mount, one submission');
  assert.deepEqual(unexpected(errors, /status of 503/), []);
});

test('an element taken out of the page stops its widget, and put back shows it again', async (t) => {
  const host = await collectorWithSite(t);
  const { page, errors } = await pageFor(t);
  const batchLoads = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/batches/current') batchLoads.push(Date.now());
  });
  await openHostPage(page, host, 'remove.html', portalPage('Remove',
    '<bottleneck-survey id="survey" endpoint="/api/v1"></bottleneck-survey>'));
  const survey = widget(page);
  await waitForForm(survey);
  await pickPlace(survey, ['河北省', '石家庄市', '长安区']);

  // A single-page portal navigates away: the element leaves the document.
  await page.evaluate(() => { window.__kept = document.querySelector('#survey'); window.__kept.remove(); });
  await page.waitForFunction(() => window.__kept.shadowRoot.childElementCount === 0);
  // What the citizen had typed went with the widget.
  assert.equal(await page.evaluate(() => window.__kept.shadowRoot.innerHTML), '');

  // ...and back: a fresh form, asked for once more.
  await page.evaluate(() => document.querySelector('main').append(window.__kept));
  await waitForForm(survey);
  assert.equal(await survey.getByLabel('省份', { exact: true }).inputValue(), '', 'a fresh form');
  assert.equal(await survey.getByRole('region', { name: TEXT['zh-CN'].widget }).count(), 1, 'mounted once');
  assert.equal(batchLoads.length, 2, 'the batch was asked for once per mount');
  assert.deepEqual(errors, []);
});

test('results="hidden" shows the receipt and never asks for the tallies', async (t) => {
  const host = await collectorWithSite(t);
  const { page, errors } = await pageFor(t);
  const asked = [];
  page.on('request', (request) => {
    if (/\/results$/.test(new URL(request.url()).pathname)) asked.push(request.url());
  });
  await openHostPage(page, host, 'no-results.html', portalPage('No results',
    '<bottleneck-survey endpoint="/api/v1" results="hidden"></bottleneck-survey>'));
  const survey = widget(page);
  await waitForForm(survey);
  await pickPlace(survey, ['河北省', '石家庄市', '长安区']);
  await tick(survey, 'repeat-tests');
  await submitAndReadReceipt(page, survey);
  // The results would be asked for as the receipt renders (a task later at
  // most); half a second more without such a request means none is coming.
  await page.waitForTimeout(500);
  assert.deepEqual(asked, [], 'no request for the results');
  assert.equal(await survey.getByRole('heading', { name: '目前的投票情况' }).count(), 0, 'no results heading');
  assert.equal(await survey.getByText(TEXT['zh-CN'].total(1)).count(), 0, 'no tally');
  assert.deepEqual(errors, []);
});

// ---------------------------------------------------------------------------
// 6. Token hand-over

/**
 * Obtains a verification token as a portal's back end would from the
 * reference collector: POST /verifications, the code from the --dev-sms
 * log, POST …/confirm.
 */
async function tokenFor(collector, identity = ZHANG_SAN) {
  const created = await fetch(`${collector.url}/api/v1/verifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ batch_id: BATCH.id, ...identity }),
  });
  assert.equal(created.status, 201, `POST /verifications: ${await created.clone().text()}`);
  const { verification_id: id } = await created.json();
  const line = new RegExp(`DEVELOPMENT SMS \\(no message was sent\\): verification ${id} code (\\d{6})\\b`);
  const deadline = Date.now() + 5_000;
  let code;
  while (!(code = line.exec(collector.output().stderr)?.[1])) {
    if (Date.now() > deadline) assert.fail(`no development SMS line for ${id}:\n${collector.output().stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const confirmed = await fetch(`${collector.url}/api/v1/verifications/${id}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  assert.equal(confirmed.status, 200);
  const { token, display_name: displayName } = await confirmed.json();
  assert.equal(displayName, '张*');
  return token;
}

/** Every attribute value in the document and in the widgets' shadow roots. */
function allAttributeValues(page) {
  return page.evaluate(() => {
    const values = [];
    const walk = (root) => {
      for (const element of root.querySelectorAll('*')) {
        for (const attribute of element.attributes) values.push(`${element.localName}[${attribute.name}]=${attribute.value}`);
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return values;
  });
}

/** Checks the real-name block shows "verified as 张*" and none of the real-name form. */
async function assertHandedOver(survey) {
  const block = survey.getByRole('group', { name: TEXT['zh-CN'].realNameLegend, exact: true });
  await block.getByText(TEXT['zh-CN'].verifiedAs('张*'), { exact: true }).waitFor();
  assert.equal(await block.getByRole('radio', { name: TEXT['zh-CN'].realNameMode, exact: true }).isChecked(), true,
    'voting under one\'s real name is chosen');
  for (const label of TEXT['zh-CN'].identity) {
    assert.equal(await survey.getByLabel(label, { exact: true }).count(), 0, `no ${label} field`);
  }
  assert.equal(await survey.getByRole('checkbox', { name: TEXT['zh-CN'].consent }).count(), 0, 'no consent box');
}

test('a token handed over by the portal stands in for the real-name form and makes a real-name vote', async (t) => {
  const host = await collectorWithSite(t, { args: ['--dev-sms'] });
  const { collector } = host;
  const token = await tokenFor(collector);
  const { page, errors } = await pageFor(t);
  const requests = [];
  page.on('request', (request) => requests.push({ url: request.url(), method: request.method(), body: request.postData() ?? '' }));
  await openHostPage(page, host, 'logged-in.html', portalPage('已登录的门户',
    '<bottleneck-survey endpoint="/api/v1"></bottleneck-survey>'));
  const survey = widget(page);
  await waitForForm(survey);

  await survey.evaluate((element, token) => element.setVerificationToken(token, '张*'), token);
  await assertHandedOver(survey);
  const attributes = await allAttributeValues(page);
  assert.deepEqual(attributes.filter((a) => a.includes(token)), [], 'the token is in no attribute');

  await pickPlace(survey, ['河北省', '石家庄市', '长安区']);
  await tick(survey, 'repeat-tests');
  const code = await submitAndReadReceipt(page, survey);

  const votes = queryDb(collector.dbPath, 'SELECT receipt, real_name, length(real_name_key) AS key_length FROM votes');
  assert.deepEqual(votes, [{ receipt: code, real_name: 1, key_length: 32 }], 'stored as a real-name vote');
  const sent = requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname === VOTES_PATH);
  assert.equal(sent.length, 1);
  assert.equal(JSON.parse(sent[0].body).verification_token, token, 'the vote carried the handed token');

  assert.deepEqual(requests.filter((r) => r.url.includes(token)).map((r) => r.url), [], 'the token is in no URL');
  assert.ok(!page.url().includes(token));
  assert.deepEqual((await allAttributeValues(page)).filter((a) => a.includes(token)), [], 'nor in any attribute after the vote');
  const stored = await page.evaluate(() => Object.entries(localStorage).map(([k, v]) => `${k}=${v}`));
  assert.deepEqual(stored.filter((entry) => entry.includes(token)), [], 'once delivered, the token is not kept on the device');
  assert.deepEqual(errors, []);
});

test('a token handed over before the widget has loaded is used once it loads', async (t) => {
  const host = await collectorWithSite(t, { args: ['--dev-sms'] });
  const { collector, site } = host;
  const token = await tokenFor(collector);
  const { page, errors } = await pageFor(t);
  // Hold the wasm back until the portal has handed the token over, so the
  // hand-over certainly happens before the widget exists.
  let handedOver;
  const handed = new Promise((resolve) => { handedOver = resolve; });
  await page.route(`${collector.url}/bottleneck-survey_bg.wasm`, async (route) => {
    await handed;
    await route.continue();
  });
  await page.exposeFunction('portalToken', () => token);
  await page.exposeFunction('tokenHandedOver', (mounted) => handedOver(mounted));
  // A portal script: fetches its user's token (from its back end; here from
  // the test) and hands it over as soon as the element is defined.
  const login = site.add('login.js', `await customElements.whenDefined('bottleneck-survey');
const element = document.querySelector('bottleneck-survey');
element.setVerificationToken(await window.portalToken(), '张*');
window.tokenHandedOver(Boolean(element.shadowRoot?.querySelector('.bsv')));
`);
  await openHostPage(page, host, 'early.html', portalPage('已登录的门户',
    '<bottleneck-survey endpoint="/api/v1"></bottleneck-survey>',
    `<script type="module" src="${login}"></script>`));
  assert.equal(await handed, false, 'the token was handed over before the widget mounted');
  const survey = widget(page);
  await waitForForm(survey);
  await assertHandedOver(survey);
  assert.deepEqual((await allAttributeValues(page)).filter((a) => a.includes(token)), [], 'the token is in no attribute');
  assert.deepEqual(errors, []);
});

// ---------------------------------------------------------------------------
// 7. Accessibility of the portal page with two widgets

/**
 * True when an axe node lies in a widget. axe names a node in a shadow root
 * by a path, `[["bottleneck-survey…", "#bsv1-province"]]`; the element
 * itself by a selector naming it.
 */
function inWidget(node) {
  const [first] = node.target;
  return Array.isArray(first) || /bottleneck-survey/.test(first);
}

/** An axe node's target as one line: shadow paths joined with ' >>> '. */
function targetText(node) {
  return node.target.map((part) => (Array.isArray(part) ? part.join(' >>> ') : part)).join(' ');
}

test('the portal page with two widgets has no serious or critical accessibility violation inside the widgets', async (t) => {
  const collector = await collectorFor(t);
  const { page } = await pageFor(t);
  await page.goto(`${collector.url}/demo/portal.html`);
  const [hebei, care] = [widget(page, 0), widget(page, 1)];
  await waitForForm(hebei);
  await waitForForm(care, 'en');

  const states = {
    'both forms': async () => {},
    'validation errors in both': async () => {
      await hebei.getByRole('button', { name: TEXT['zh-CN'].submit, exact: true }).click();
      await care.getByRole('button', { name: TEXT.en.submit, exact: true }).click();
      await hebei.getByRole('heading', { name: TEXT['zh-CN'].errorSummary }).waitFor();
      await care.getByRole('link', { name: 'Choose a province' }).waitFor();
    },
    'a receipt and a form with errors': async () => {
      await pickPlace(hebei, [null, '石家庄市', '长安区']);
      await tick(hebei, 'repeat-tests');
      await submitAndReadReceipt(page, hebei);
      await hebei.getByText(TEXT['zh-CN'].total(1)).waitFor();
    },
  };
  const serious = [];
  for (const [label, reach] of Object.entries(states)) {
    await reach();
    const violations = await checkA11y(page, { label, axeOptions: AXE_OPTIONS });
    for (const v of violations) {
      const [widgetNodes, pageNodes] = [v.nodes.filter(inWidget), v.nodes.filter((n) => !inWidget(n))];
      for (const [where, nodes] of [['widget', widgetNodes], ['demo page', pageNodes]]) {
        if (nodes.length === 0) continue;
        t.diagnostic(`axe (${label}, ${where}): ${v.id} (${v.impact}) on ${nodes.map(targetText).join(', ')}`);
        if (where === 'widget' && (v.impact === 'serious' || v.impact === 'critical')) {
          serious.push(`${label}: ${v.id} (${v.impact}): ${v.help}\n${nodes.map((n) => `    ${targetText(n)}  ${n.html}\n      ${n.failureSummary}`).join('\n')}`);
        }
      }
    }
  }
  assert.deepEqual(serious, [], 'no serious or critical violation inside the widgets');
});
