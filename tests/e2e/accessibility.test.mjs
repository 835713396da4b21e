// Accessibility, end to end (WCAG 2.1 AA, the MIIT elder-friendly rules
// 适老化, GB/T 37668-2019): the release widget in dist/ served by the
// reference collector (started with --dev-sms, so real-name codes come from
// its log), in Debian's Chromium.
//
//   1. axe-core on every screen, in Chinese and English, with and without
//      care mode, failing on a violation of any impact;
//   2. a whole vote, real name included, with the keyboard only;
//   3. focus moving where a screen reader user needs it;
//   4. reflow at 320 CSS px and at 200% zoom;
//   5. touch targets of 44×44 CSS px;
//   6. care mode (关怀模式): text size, line height, 7:1 contrast, one
//      column, no motion, remembered; reduced motion and more contrast;
//   7. languages and lang attributes, dates in the citizen's locale;
//   8. phones: no sideways scrolling, nothing hidden behind the sticky bar;
//   9. the screenshots in docs/screenshots/ for the README.
//
// Every test starts its own collector (fresh database) and opens its pages in
// new browser contexts; only the Chromium process is shared. Waits are
// Playwright's own or explicit conditions; the one fixed wait proves an
// absence and says why it is long enough. Measurements run inside the page
// on the widget's open shadow root. A11Y_DEBUG=1 prints each page's console
// and errors as they happen.
//
// Tests marked `todo` show accessibility bugs still open in src/ or style/;
// each says what is wrong where.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO_ROOT,
  assertNoA11yViolations,
  checkA11y,
  launchBrowser,
  newPage,
  readExample,
  startCollector,
} from './harness.mjs';
import { SCREENSHOT_JITTER_PX, differingPixels, sidewaysOverflow, textStyles } from './page_checks.mjs';

/** The open batch of the demo batches file. */
const BATCH = readExample('batch-open.json');

/** Its English translation, as the collector serves it to `Accept-Language: en`. */
const BATCH_EN = JSON.parse(readFileSync(join(REPO_ROOT, 'collector', 'batches', 'demo-2018.json'), 'utf8'))
  .batches.find((batch) => batch.id === BATCH.id).translations.en;

/** Every rule set axe-core has for WCAG 2.0/2.1 A and AA, and its best practices. */
const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
};

const BATCH_PATH = '/api/v1/batches/current';
const VOTES_PATH = '/api/v1/votes';
const VERIFICATIONS_PATH = '/api/v1/verifications';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SMALL_PHONE = { width: 360, height: 640 };

/** Dates are shown in the citizen's time zone; the tests fix it to Beijing time. */
const TIMEZONE = 'Asia/Shanghai';

/** Where the README's screenshots go (committed). */
const SCREENSHOTS_DIR = join(REPO_ROOT, 'docs', 'screenshots');

/** A well-formed identity (GB 11643 example number, check character X). */
const ZHANG_SAN = { name: '张三', idNumber: '11010519491231002X', phone: '13800138000' };

/** The words of src/i18n/*.rs the tests look for, by language. */
const TEXTS = {
  'zh-CN': {
    care: '大字关怀模式',
    submit: '提交',
    places: ['省份', '城市', '区县'],
    other: '其他堵点（选填）',
    loading: '正在加载问卷…',
    noBatch: '目前没有正在征集的问卷',
    upcoming: '本批征集尚未开始',
    closed: '本批征集已经结束',
    loadFailed: '问卷没能加载出来',
    retry: '重试',
    errorSummary: '请先处理以下问题',
    atMax: /^最多只能选 3 项/,
    sending: '您的投票已保存在本设备，正在发送…',
    savedRetry: /^您的投票已保存在本设备，将在 \d+ 秒后自动重试。$/,
    retryNow: '立即重新发送',
    receipt: '提交成功，感谢您的参与！',
    results: (total, realName) => `共 ${total} 票，其中实名 ${realName} 票`,
    realNameLegend: '实名投票',
    anonymous: '匿名投票',
    realName: '实名投票（实名票单独统计，每人每批次限投一次）',
    privacyTitle: '个人信息保护说明',
    consent: '我已阅读上述说明，同意为实名核验提供姓名、身份证号和手机号',
    name: '姓名',
    idNumber: '身份证号',
    phone: '手机号',
    sendCode: '获取验证码',
    code: '短信验证码',
    confirm: '确认',
    verifiedAs: (name) => `已核验身份：${name}`,
    nameMissing: '请输入姓名',
    codeWrong: '验证码不正确，请核对短信',
    otherText: '办理居住证要跑三次派出所。',
    footerLink: '嵌入示例 · Embedding demo',
  },
  en: {
    care: 'Care mode: large text',
    submit: 'Submit',
    places: ['Province', 'City', 'County or district'],
    other: 'Another bottleneck (optional)',
    loading: 'Loading the survey…',
    noBatch: 'No survey is open right now',
    upcoming: 'This round has not opened yet',
    closed: 'This round has closed',
    loadFailed: 'The survey could not be loaded',
    retry: 'Try again',
    errorSummary: 'There is a problem',
    atMax: /^You can choose at most 3\./,
    sending: 'Your vote is saved on this device and is being sent…',
    savedRetry: /^Your vote is saved on this device; it will be sent again automatically in \d+ s\.$/,
    retryNow: 'Send now',
    receipt: 'Thank you, your vote has been counted',
    results: (total, realName) => `${total} votes, ${realName} of them under real names`,
    realNameLegend: 'Voting under your real name',
    anonymous: 'Vote anonymously',
    realName: 'Vote under my real name (counted separately; one per person per round)',
    privacyTitle: 'How your personal information is used',
    consent: 'I have read the notice and agree to give my name, ID number and mobile number for verification',
    name: 'Full name',
    idNumber: 'Resident ID number',
    phone: 'Mobile number',
    sendCode: 'Send code',
    code: 'Code from the text message',
    confirm: 'Confirm',
    verifiedAs: (name) => `Verified as ${name}`,
    nameMissing: 'Enter your name',
    codeWrong: "That code is not right; check the text message",
    otherText: 'Getting a residence permit took three trips to the police station.',
    footerLink: '嵌入示例 · Embedding demo',
  },
};

/** The place every test picks: 河北省 石家庄市 长安区 (names are Chinese in both languages). */
const PLACE = ['河北省', '石家庄市', '长安区'];

/** An option's text in the batch, by id, in Chinese or English. */
function optionText(id, lang = 'zh-CN') {
  const option = BATCH.options.find((o) => o.id === id);
  assert.ok(option, `no option ${id} in ${BATCH.id}`);
  return lang === 'en' ? BATCH_EN.options[id] : option.text;
}

/** A problem document (RFC 9457) as the collector sends it. */
function problem(status, title) {
  return {
    status,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: `urn:bottleneck-survey:problem:test-${status}`, title, status }),
  };
}

/** A protocol example served as the endpoint's answer, in Chinese. */
function exampleAnswer(name, status = 200) {
  return {
    status,
    contentType: 'application/json',
    headers: { 'content-language': 'zh-CN' },
    body: readFileSync(join(REPO_ROOT, 'docs', 'examples', name), 'utf8'),
  };
}

// ---------------------------------------------------------------------------
// Browser, collector and page

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** Starts a collector with development SMS that the test stops when it ends. */
async function collectorFor(t) {
  const collector = await startCollector({ args: ['--dev-sms'] });
  t.after(() => collector.stop());
  return collector;
}

/**
 * Opens the standalone page in a fresh browser context. `lang` goes in the
 * query (`null`: none, the browser's locale decides), `care` adds
 * `theme=care`; `setup` runs before the page loads (routes, clock). Unless
 * `ready` is false, waits for the form's submit button.
 */
async function openPage(t, collector, {
  lang = 'zh-CN',
  care = false,
  locale = lang ?? 'zh-CN',
  viewport = DESKTOP,
  setup,
  ready = true,
  ...contextOptions
} = {}) {
  const { page, errors } = await newPage(browser, { viewport, locale, timezoneId: TIMEZONE, ...contextOptions });
  t.after(() => page.close());
  if (process.env.A11Y_DEBUG) {
    page.on('console', (m) => console.log(`[${t.name}] console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => console.log(`[${t.name}] pageerror: ${e.stack ?? e.message}`));
  }
  if (setup) await setup(page);
  const query = new URLSearchParams();
  if (lang) query.set('lang', lang);
  if (care) query.set('theme', 'care');
  await page.goto(`${collector.url}/?${query}`);
  if (ready) await page.getByRole('button', { name: textsOf(lang ?? locale).submit, exact: true }).waitFor();
  return { page, errors };
}

/** The texts of a language tag: Chinese for zh-*, English for en-*. */
const textsOf = (lang) => TEXTS[lang.startsWith('en') ? 'en' : 'zh-CN'];

/** Console errors other than the HTTP failures a test provoked on purpose. */
function unexpectedErrors(errors, expected = []) {
  return errors.filter((e) => !expected.some((pattern) => pattern.test(e)));
}

/** Chromium's console line for a refused or failed request. */
const HTTP_STATUS = (status) => new RegExp(`status of ${status}\\b`);
const NET_FAILED = /net::ERR_FAILED/;

/** `path` on any origin, for page.route. */
const pathIs = (path) => (url) => url.pathname === path;

/**
 * Holds the requests to `path` (optionally of one method): `release()` lets
 * them go on and stops holding; `abortAll()` fails them, and every later one,
 * as a dropped connection does, until `stop()`.
 */
async function hold(page, path, method) {
  const held = [];
  let abortLater = false;
  let signal;
  const arrived = new Promise((resolve) => { signal = resolve; });
  const matcher = pathIs(path);
  const handler = (route) => {
    if (method && route.request().method() !== method) return route.fallback();
    if (abortLater) return route.abort('failed');
    held.push(route);
    signal();
    return undefined;
  };
  await page.route(matcher, handler);
  return {
    arrived,
    async release() {
      // Continued before unrouting: unroute would hand them on by itself.
      for (const route of held.splice(0)) await route.continue();
      await page.unroute(matcher, handler);
    },
    async abortAll() {
      abortLater = true;
      for (const route of held.splice(0)) await route.abort('failed');
    },
    stop: () => page.unroute(matcher, handler),
  };
}

/** Answers `path` with a fixed response (see problem(), exampleAnswer()) until unrouted. */
async function answer(page, path, response) {
  const matcher = pathIs(path);
  const handler = (route) => route.fulfill(response);
  await page.route(matcher, handler);
  return () => page.unroute(matcher, handler);
}

// ---------------------------------------------------------------------------
// Doing things as a citizen does (pointer)

/** Picks province, city and county by their labels, waiting for each list to load. */
async function pickPlace(page, lang = 'zh-CN') {
  const labels = textsOf(lang).places;
  for (let i = 0; i < 3; i += 1) {
    await page.getByLabel(labels[i], { exact: true }).selectOption({ label: PLACE[i] });
  }
}

/** Ticks a bottleneck by tapping its text (the label covers the row). */
async function tick(page, optionId, lang = 'zh-CN') {
  const text = optionText(optionId, lang);
  await page.getByText(text, { exact: true }).click();
  assert.equal(await page.getByRole('checkbox', { name: text, exact: true }).isChecked(), true, `ticked: ${optionId}`);
}

/** The real-name fieldset. */
function realNameBlock(page, lang) {
  return page.getByRole('group', { name: textsOf(lang).realNameLegend, exact: true });
}

/** The name / ID number / phone inputs. */
function identityInputs(page, lang) {
  const t = textsOf(lang);
  return [t.name, t.idNumber, t.phone].map((label) => page.getByLabel(label, { exact: true }));
}

/** Real name, consent: the identity fields show. */
async function chooseRealNameAndConsent(page, lang) {
  const t = textsOf(lang);
  await realNameBlock(page, lang).getByRole('radio', { name: t.realName, exact: true }).check();
  await page.getByRole('heading', { name: t.privacyTitle, exact: true }).waitFor();
  await page.getByRole('checkbox', { name: t.consent, exact: true }).check();
  await identityInputs(page, lang)[0].waitFor();
}

/** Types an identity into the three fields. */
async function fillIdentity(page, lang, identity = ZHANG_SAN) {
  const [name, idNumber, phone] = identityInputs(page, lang);
  await name.fill(identity.name);
  await idNumber.fill(identity.idNumber);
  await phone.fill(identity.phone);
}

/** Waits for the endpoint's answer to `POST /verifications`. */
function verificationCreated(page) {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === VERIFICATIONS_PATH);
}

/**
 * The code the collector wrote to its log (stderr) for a verification; the
 * pipe may hold the line for a moment after the 201, so look for up to 5 s.
 */
async function codeFromLog(collector, verificationId) {
  const line = new RegExp(`verification ${verificationId} code (\\d{6})\\b`);
  const deadline = Date.now() + 5_000;
  for (;;) {
    const match = line.exec(collector.output().stderr);
    if (match) return match[1];
    if (Date.now() > deadline) assert.fail(`no development SMS for ${verificationId}:\n${collector.output().stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asks for a code (pointer) and returns it from the collector's log. */
async function sendCode(page, collector, lang) {
  const created = verificationCreated(page);
  await page.getByRole('button', { name: textsOf(lang).sendCode, exact: true }).click();
  const response = await created;
  assert.equal(response.status(), 201);
  await page.getByLabel(textsOf(lang).code, { exact: true }).waitFor();
  return codeFromLog(collector, (await response.json()).verification_id);
}

/** Types a code and confirms it; resolves to the endpoint's answer. */
async function enterCode(page, lang, code) {
  const confirmed = page.waitForResponse((r) => /\/verifications\/[^/]+\/confirm$/.test(new URL(r.url()).pathname));
  await page.getByLabel(textsOf(lang).code, { exact: true }).fill(code);
  await page.getByRole('button', { name: textsOf(lang).confirm, exact: true }).click();
  return confirmed;
}

/** Clicks submit and waits for the endpoint's answer to the vote. */
async function submitVote(page, lang) {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === VOTES_PATH);
  await page.getByRole('button', { name: textsOf(lang).submit, exact: true }).click();
  return answered;
}

/** A quick anonymous vote: place, one choice, submit, receipt with its results. */
async function voteAnonymously(page, lang) {
  await pickPlace(page, lang);
  await tick(page, 'repeat-tests', lang);
  assert.equal((await submitVote(page, lang)).status(), 201);
  await page.getByRole('heading', { name: textsOf(lang).receipt }).waitFor();
  await page.getByText(textsOf(lang).results(1, 0), { exact: true }).waitFor();
}

/** Waits until `locator` holds the focus (inside the shadow root too). */
async function waitForFocus(page, locator, what) {
  const handle = await locator.elementHandle();
  await page.waitForFunction((element) => element.getRootNode().activeElement === element, handle, { timeout: 5_000 })
    .catch(() => assert.fail(`focus did not move to ${what}`));
}

// ---------------------------------------------------------------------------
// Measurements inside the page. Each function runs in the browser, on the
// widget's shadow root; it may not use anything outside itself.

/** Whether care mode is on, the switch's state and the stored preference. */
function careState() {
  const root = document.querySelector('#bottleneck-survey').shadowRoot;
  return {
    care: root.querySelector('.bsv').classList.contains('bsv--care'),
    pressed: root.querySelector('.bsv-care-switch').getAttribute('aria-pressed'),
    stored: localStorage.getItem('bsv.care.v1'),
  };
}

/** The focused element, followed into shadow roots, described for the focus tests. */
function focusedElement() {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  if (!element || element === document.body) return { where: 'body', name: '', key: 'body' };
  const host = document.querySelector('#bottleneck-survey');
  const label = element.labels?.length ? [...element.labels].map((l) => l.textContent).join(' ') : null;
  const name = (label ?? element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/\s+/g, ' ').trim();
  const style = getComputedStyle(element);
  const rect = element.getBoundingClientRect();
  const parse = (text) => {
    const match = /rgba?\(([^)]+)\)/.exec(text ?? '');
    if (!match) return null;
    const [r, g, b, a = 1] = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const luminance = ({ r, g, b }) => {
    const channel = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratio = (x, y) => { const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p); return (hi + 0.05) / (lo + 0.05); };
  // The colour behind the element: the nearest opaque background outward.
  let behind = { r: 255, g: 255, b: 255, a: 1 };
  for (let node = element.parentElement ?? element.getRootNode().host; node; node = node.parentElement ?? node.getRootNode().host) {
    const bg = parse(getComputedStyle(node).backgroundColor);
    if (bg && bg.a === 1) { behind = bg; break; }
  }
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  // Chromium's `auto` outline is a two-tone ring, visible on any background.
  const contrasts = [];
  if (outline) contrasts.push(style.outlineStyle === 'auto' ? 21 : ratio(parse(style.outlineColor) ?? behind, behind));
  if (shadow) contrasts.push(ratio(parse(style.boxShadow) ?? behind, behind));
  return {
    where: element.getRootNode() === host?.shadowRoot ? 'widget' : 'page',
    key: `${element.id || element.tagName.toLowerCase()}|${name}`,
    tag: element.tagName.toLowerCase(),
    type: element.type ?? null,
    id: element.id,
    name,
    checked: element.checked ?? null,
    value: typeof element.value === 'string' ? element.value : null,
    disabled: element.disabled ?? false,
    top: rect.top + scrollY,
    left: rect.left + scrollX,
    viewTop: rect.top,
    viewBottom: rect.bottom,
    viewportHeight: innerHeight,
    indicator: {
      visible: outline || shadow,
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
      contrast: contrasts.length ? Math.max(...contrasts) : 0,
    },
  };
}

/**
 * Every control's touch target in CSS px: buttons, selects, text inputs and
 * text areas by their own box; a checkbox or radio by its whole row
 * (`.bsv-choice`), whose label's ::after covers it, checked by hit-testing
 * the row's corners and middle: each point must land on the row's label or
 * input, so a tap anywhere on the row reaches the box.
 */
function touchTargets() {
  const root = document.querySelector('#bottleneck-survey').shadowRoot;
  const out = [];
  for (const control of root.querySelectorAll('button, select, textarea, input')) {
    if (control.getClientRects().length === 0) continue;
    const box = ['checkbox', 'radio'].includes(control.type) ? control.closest('.bsv-choice') : control;
    const name = (control.labels?.[0]?.textContent ?? control.textContent ?? '').trim().slice(0, 20);
    const what = `<${control.tagName.toLowerCase()}${control.type ? ` type=${control.type}` : ''} id="${control.id}"> ${name}`;
    if (!box) {
      out.push({ what, width: 0, height: 0, misses: ['not in a .bsv-choice row'] });
      continue;
    }
    box.scrollIntoView({ block: 'center' });
    const rect = box.getBoundingClientRect();
    const misses = [];
    if (box !== control) {
      const label = box.querySelector('label');
      const inset = 3;
      const points = [
        [rect.left + inset, rect.top + inset], [rect.right - inset, rect.top + inset],
        [rect.left + inset, rect.bottom - inset], [rect.right - inset, rect.bottom - inset],
        [(rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2],
      ];
      for (const [x, y] of points) {
        const hit = root.elementFromPoint(x, y);
        if (hit !== label && hit !== control && !label.contains(hit)) {
          misses.push(`(${x.toFixed(0)}, ${y.toFixed(0)}) hits ${hit ? `<${hit.tagName.toLowerCase()} class="${hit.className}">` : 'nothing'}`);
        }
      }
    }
    out.push({ what, width: rect.width, height: rect.height, misses });
  }
  return out;
}

/** The loading spinner's animation and every animation running in the widget. */
function motion() {
  const root = document.querySelector('#bottleneck-survey').shadowRoot;
  const spinner = root.querySelector('.bsv-notice__title--busy');
  return {
    spinner: spinner ? getComputedStyle(spinner, '::after').animationName : null,
    running: root.getAnimations().map((a) => `${a.animationName ?? a.constructor.name} on ${a.effect?.target?.className ?? '?'}${a.effect?.pseudoElement ?? ''}`),
  };
}

// ---------------------------------------------------------------------------
// Assertions

/** Runs axe-core with every WCAG A/AA rule and best practice; fails on any violation. */
async function audit(page, label) {
  const violations = await checkA11y(page, { label, axeOptions: AXE_OPTIONS });
  assertNoA11yViolations(violations, { impact: 'minor', label });
}

/** Fails listing every widget element that sticks out, and a document that scrolls sideways. */
async function assertNoSidewaysScroll(page, label, width) {
  const found = await page.evaluate(sidewaysOverflow);
  const expected = width ?? found.width;
  assert.deepEqual(found.wide, [], `${label}: elements wider than the ${expected} px viewport`);
  assert.ok(found.scrollWidth <= expected, `${label}: the document scrolls sideways (${found.scrollWidth} > ${expected} px)`);
}

/** Fails listing every control smaller than 44×44 CSS px, or a row a tap misses. */
async function assertTouchTargets(page, label) {
  const small = (await page.evaluate(touchTargets))
    .filter((t) => t.width < 44 || t.height < 44 || t.misses.length)
    .map((t) => `${t.what}: ${t.width.toFixed(1)}×${t.height.toFixed(1)} px${t.misses.length ? `; ${t.misses.join('; ')}` : ''}`);
  assert.deepEqual(small, [], `${label}: touch targets under 44×44 px or not covering their row`);
}

/**
 * Checks the care-mode text rules on the page as it is now and adds each
 * breach to `problems`: font size ≥ `minSize`, line height ≥ 1.5 × font
 * size for body text (and for headings when `headings`), contrast ≥ 7:1
 * except on disabled controls (WCAG exempts inactive components).
 */
async function collectTextProblems(page, label, { minSize, lineHeight = true, contrast = true, headings = false }, problems) {
  const styles = await page.evaluate(textStyles);
  assert.ok(styles.length > 0, `${label}: no text found in the widget`);
  for (const s of styles) {
    if (headings) {
      if (s.kind === 'heading' && (s.lineHeight === null || s.lineHeight < 1.5 * s.fontSize - 0.01)) {
        problems.push(`${label}: ${s.what}: line height ${s.lineHeight} px < 1.5 × ${s.fontSize} px`);
      }
      continue;
    }
    if (minSize && s.fontSize < minSize) problems.push(`${label}: ${s.what}: ${s.fontSize} px < ${minSize} px`);
    if (lineHeight && s.kind === 'text' && (s.lineHeight === null || s.lineHeight < 1.5 * s.fontSize - 0.01)) {
      problems.push(`${label}: ${s.what}: line height ${s.lineHeight} px < 1.5 × ${s.fontSize} px`);
    }
    if (contrast && !s.disabled && s.contrast < 7) {
      problems.push(`${label}: ${s.what}: contrast ${s.contrast.toFixed(2)}:1 < 7:1 (${s.color} on ${s.background})`);
    }
  }
}

// ---------------------------------------------------------------------------
// 1. axe-core on every screen

const VARIANTS = [
  { lang: 'zh-CN', care: false },
  { lang: 'en', care: false },
  { lang: 'zh-CN', care: true },
  { lang: 'en', care: true },
];
const variantName = ({ lang, care }) => `${lang}${care ? ', care mode' : ''}`;

for (const variant of VARIANTS) {
  const { lang } = variant;
  const t = textsOf(lang);

  test(`${variantName(variant)}: loading, no batch, closed, upcoming and load failure have no axe violations`, async (tt) => {
    const collector = await collectorFor(tt);
    let batch;
    const { page, errors } = await openPage(tt, collector, {
      ...variant,
      ready: false,
      setup: async (p) => { batch = await hold(p, BATCH_PATH); },
    });
    await batch.arrived;
    await page.getByRole('heading', { name: t.loading, exact: true }).waitFor();
    assert.equal((await page.evaluate(careState)).care, variant.care, 'care mode as asked');
    await audit(page, `${variantName(variant)} loading`);
    await batch.release();
    await page.getByRole('button', { name: t.submit, exact: true }).waitFor();

    const screens = [
      ['no batch', problem(404, 'No batch to show'), t.noBatch],
      ['closed batch', exampleAnswer('batch-closed.json'), t.closed],
      ['upcoming batch', exampleAnswer('batch-upcoming.json'), t.upcoming],
      ['load failure', problem(500, 'Internal error'), t.loadFailed],
    ];
    for (const [label, response, heading] of screens) {
      const stop = await answer(page, BATCH_PATH, response);
      await page.reload();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      if (label === 'load failure') await page.getByRole('button', { name: t.retry, exact: true }).waitFor();
      await audit(page, `${variantName(variant)} ${label}`);
      await stop();
    }
    assert.deepEqual(unexpectedErrors(errors, [HTTP_STATUS(404), HTTP_STATUS(500)]), []);
  });

  test(`${variantName(variant)}: form, errors, sending, saved on this device and receipt have no axe violations`, async (tt) => {
    const collector = await collectorFor(tt);
    const { page, errors } = await openPage(tt, collector, variant);
    await audit(page, `${variantName(variant)} form`);

    await page.getByRole('button', { name: t.submit, exact: true }).click();
    await page.getByRole('heading', { name: t.errorSummary, exact: true }).waitFor();
    await audit(page, `${variantName(variant)} validation errors`);

    await pickPlace(page, lang);
    for (const id of ['clinic-card', 'repeat-tests', 'pay-queues']) await tick(page, id, lang);
    await page.getByText(optionText('death-affairs', lang), { exact: true }).click();
    await page.getByText(t.atMax).waitFor();
    await audit(page, `${variantName(variant)} fourth tick refused`);
    await page.getByLabel(t.other, { exact: true }).fill(t.otherText);

    // The vote is held: "saved on this device, sending".
    const vote = await hold(page, VOTES_PATH, 'POST');
    await page.getByRole('button', { name: t.submit, exact: true }).click();
    await vote.arrived;
    await page.getByText(t.sending, { exact: true }).waitFor();
    await audit(page, `${variantName(variant)} sending`);

    // The connection drops, and keeps dropping while axe runs: "saved, will retry".
    await vote.abortAll();
    await page.getByText(t.savedRetry).waitFor();
    await page.getByRole('button', { name: t.retryNow, exact: true }).waitFor();
    await audit(page, `${variantName(variant)} saved on this device`);

    // Back online: "send now" (or the automatic retry, whichever comes first).
    await vote.stop();
    const receipt = page.getByRole('heading', { name: t.receipt, exact: true });
    await Promise.race([
      receipt.waitFor(),
      page.getByRole('button', { name: t.retryNow, exact: true }).click().catch(() => {}),
    ]);
    await receipt.waitFor();
    await page.getByText(t.results(1, 0), { exact: true }).waitFor();
    await audit(page, `${variantName(variant)} receipt with results`);
    assert.deepEqual(unexpectedErrors(errors, [NET_FAILED]), []);
  });

  test(`${variantName(variant)}: every real-name step has no axe violations`, async (tt) => {
    const collector = await collectorFor(tt);
    const { page, errors } = await openPage(tt, collector, { ...variant });
    await pickPlace(page, lang);
    await tick(page, 'repeat-tests', lang);

    await realNameBlock(page, lang).getByRole('radio', { name: t.realName, exact: true }).check();
    await page.getByRole('heading', { name: t.privacyTitle, exact: true }).waitFor();
    await audit(page, `${variantName(variant)} real name chosen: notice and consent`);

    await page.getByRole('checkbox', { name: t.consent, exact: true }).check();
    await identityInputs(page, lang)[0].waitFor();
    await audit(page, `${variantName(variant)} identity fields`);

    await page.getByRole('button', { name: t.sendCode, exact: true }).click();
    await realNameBlock(page, lang).getByText(t.nameMissing).waitFor();
    await audit(page, `${variantName(variant)} identity fields with errors`);

    await fillIdentity(page, lang);
    const code = await sendCode(page, collector, lang);
    await audit(page, `${variantName(variant)} code sent`);

    assert.equal((await enterCode(page, lang, String((Number(code) + 1) % 1_000_000).padStart(6, '0'))).status(), 422);
    await realNameBlock(page, lang).getByText(t.codeWrong).waitFor();
    await audit(page, `${variantName(variant)} wrong code`);

    assert.equal((await enterCode(page, lang, code)).status(), 200);
    await realNameBlock(page, lang).getByText(t.verifiedAs('张*'), { exact: true }).waitFor();
    await audit(page, `${variantName(variant)} verified`);

    assert.equal((await submitVote(page, lang)).status(), 201);
    await page.getByRole('heading', { name: t.receipt, exact: true }).waitFor();
    await page.getByText(t.results(1, 1), { exact: true }).waitFor();
    await audit(page, `${variantName(variant)} real-name receipt`);
    assert.deepEqual(unexpectedErrors(errors, [HTTP_STATUS(422)]), []);
  });
}

// ---------------------------------------------------------------------------
// 2. Keyboard only, and 3. focus moving with the steps

/**
 * Votes with the keyboard alone (Tab, Shift+Tab, Space, Enter, arrows, and
 * typing into text fields), from the top of the page; with `realName`, under
 * a real name, through consent, identity, code and verification. Returns
 * every focus stop in order, with the key that reached it.
 */
async function voteWithKeyboard(page, collector, lang, { realName }) {
  const t = textsOf(lang);
  const stops = [];
  let last = null;
  const focused = () => page.evaluate(focusedElement);
  // Shift+Tab only checks the way back; it adds no stop, and the Tab after
  // it returns to a stop already counted.
  const press = async (key) => {
    await page.keyboard.press(key);
    const now = await focused();
    if (key !== 'Shift+Tab' && now.key !== last) {
      stops.push({ ...now, by: key });
      last = now.key;
    }
    return now;
  };
  /** Records a stop the page moved the focus to by itself. */
  const moved = async () => {
    const now = await focused();
    stops.push({ ...now, by: 'Enter (focus moved)' });
    last = now.key;
  };
  /** Types into the focused field and checks the text landed there and the focus stayed. */
  const type = async (label, text) => {
    await page.keyboard.type(text);
    const now = await focused();
    assert.equal(now.name, label, `the focus stays in "${label}" while typing "${text}" (it is on ${now.key})`);
    assert.equal(now.value, text, `"${label}" holds what was typed`);
  };
  /** Presses ArrowDown on the focused select until it shows `label`. */
  const choose = async (label) => {
    for (let i = 0; i < 80; i += 1) {
      const now = await focused();
      assert.equal(now.tag, 'select', `a select is focused, not ${now.key}`);
      const shown = await page.evaluate(() => {
        let element = document.activeElement;
        while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
        return element.selectedOptions[0]?.textContent.trim();
      });
      if (shown === label) return;
      await page.keyboard.press('ArrowDown');
    }
    assert.fail(`ArrowDown never reached ${label}`);
  };
  /** Waits until a select is enabled (its list has loaded), so Tab does not skip it. */
  const enabled = (label) => page.getByLabel(label, { exact: true }).and(page.locator(':enabled')).waitFor();

  assert.equal((await focused()).where, 'body', 'nothing is focused at first');
  assert.equal((await press('Tab')).name, t.care, 'the first Tab reaches the care switch');
  assert.equal((await press('Tab')).name, t.places[0]);
  assert.equal((await press('Shift+Tab')).name, t.care, 'Shift+Tab goes back to the care switch');
  await press('Tab');

  await choose(PLACE[0]);
  await enabled(t.places[1]);
  assert.equal((await press('Tab')).name, t.places[1]);
  await choose(PLACE[1]);
  await enabled(t.places[2]);
  assert.equal((await press('Tab')).name, t.places[2]);
  await choose(PLACE[2]);

  // Through every bottleneck; Space ticks the second one.
  const first = await press('Tab');
  assert.equal(first.type, 'checkbox', `after the places come the choices, not ${first.key}`);
  const second = await press('Tab');
  await page.keyboard.press('Space');
  assert.equal((await focused()).checked, true, `Space ticks ${second.name}`);
  for (let i = 0; i < 40 && (await focused()).tag !== 'textarea'; i += 1) await press('Tab');
  assert.equal((await focused()).name, t.other, 'after the choices comes the "other" box');
  await type(t.other, t.otherText);

  // The radios are one tab stop, anonymous chosen.
  const anonymous = await press('Tab');
  assert.equal(anonymous.name, t.anonymous);
  assert.equal(anonymous.checked, true);

  if (realName) {
    // An arrow chooses the real name.
    const chosen = await press('ArrowDown');
    assert.equal(chosen.name, t.realName);
    assert.equal(chosen.checked, true, 'the arrow key chooses the real name');
    assert.equal((await press('Tab')).name, t.consent);
    await page.keyboard.press('Space');
    assert.equal((await focused()).checked, true, 'Space gives consent');
    await identityInputs(page, lang)[0].waitFor();

    for (const [label, value] of [[t.name, ZHANG_SAN.name], [t.idNumber, ZHANG_SAN.idNumber], [t.phone, ZHANG_SAN.phone]]) {
      assert.equal((await press('Tab')).name, label);
      await type(label, value);
    }
    assert.equal((await press('Tab')).name, t.sendCode);
    const created = verificationCreated(page);
    await page.keyboard.press('Enter');
    const response = await created;
    assert.equal(response.status(), 201);
    await waitForFocus(page, page.getByLabel(t.code, { exact: true }), 'the code field after "send code"');
    await moved();
    const code = await codeFromLog(collector, (await response.json()).verification_id);
    await type(t.code, code);

    assert.equal((await press('Tab')).name, t.confirm);
    await page.keyboard.press('Enter');
    const verifiedText = page.getByText(t.verifiedAs('张*'), { exact: true });
    await verifiedText.waitFor();
    await waitForFocus(page, verifiedText, 'the "verified as" text after confirming');
    await moved();
  }

  const submit = await press('Tab');
  assert.equal(submit.name, t.submit, 'then Tab reaches submit');
  // No trap: Tab from the last control leaves the widget, Shift+Tab comes back.
  const outside = await press('Tab');
  assert.equal(outside.where, 'page', `Tab from submit leaves the widget, not to ${outside.key}`);
  assert.equal(outside.name, t.footerLink);
  assert.equal((await press('Shift+Tab')).name, t.submit, 'Shift+Tab returns to submit');

  const voted = page.waitForResponse((r) => new URL(r.url()).pathname === VOTES_PATH);
  await page.keyboard.press('Enter');
  assert.equal((await voted).status(), 201);
  const heading = page.getByRole('heading', { name: t.receipt, exact: true });
  await heading.waitFor();
  await waitForFocus(page, heading, 'the receipt heading after voting');
  await moved();
  await page.getByText(t.results(1, realName ? 1 : 0), { exact: true }).waitFor();
  return stops;
}

/** The names of the focus stops a keyboard vote must pass, in order. */
function expectedStops(lang, { realName }) {
  const t = textsOf(lang);
  return [
    t.care, ...t.places,
    ...BATCH.options.map((o) => optionText(o.id, lang)),
    t.other, t.anonymous,
    ...(realName ? [t.realName, t.consent, t.name, t.idNumber, t.phone, t.sendCode, t.code, t.confirm, t.verifiedAs('张*')] : []),
    t.submit, t.footerLink, t.receipt,
  ];
}

/** Checks a keyboard vote's focus stops: order, visual order, focus indicators, in view. */
function assertFocusStops(stops, lang, options) {
  assert.deepEqual(stops.map((s) => s.name), expectedStops(lang, options), 'the focus order follows the form');

  // Each Tab or arrow goes down the page, or right along a row.
  for (let i = 1; i < stops.length; i += 1) {
    const [before, now] = [stops[i - 1], stops[i]];
    if (!['Tab', 'ArrowDown'].includes(now.by) || now.where !== 'widget') continue;
    const down = now.top > before.top + 2;
    const sameRowRight = Math.abs(now.top - before.top) <= 2 && now.left > before.left;
    assert.ok(down || sameRowRight,
      `${now.by} from "${before.name}" (top ${before.top}, left ${before.left}) to "${now.name}" (top ${now.top}, left ${now.left}) goes back up the page`);
  }

  // Every focused thing in the widget shows it; a control's ring stands out
  // from the background at 3:1 (WCAG 1.4.11).
  const control = (s) => s.by === 'Tab' || s.by === 'ArrowDown';
  const unseen = stops
    .filter((s) => s.where === 'widget' && (!s.indicator.visible || (control(s) && s.indicator.contrast < 3)))
    .map((s) => `"${s.name}": outline ${s.indicator.outline}, box-shadow ${s.indicator.boxShadow}, contrast ${s.indicator.contrast.toFixed(2)}:1`);
  assert.deepEqual(unseen, [], 'focused elements without a visible focus indicator');

  // What takes the focus is on screen.
  const offscreen = stops
    .filter((s) => s.where === 'widget' && (s.viewBottom <= 0 || s.viewTop >= s.viewportHeight))
    .map((s) => `"${s.name}" at ${s.viewTop.toFixed(0)}..${s.viewBottom.toFixed(0)} of ${s.viewportHeight}`);
  assert.deepEqual(offscreen, [], 'focused elements scrolled out of view');
}

const KEYBOARD_VARIANTS = [
  { lang: 'zh-CN', care: false, viewport: DESKTOP },
  { lang: 'en', care: true, viewport: DESKTOP },
];

for (const { lang, care, viewport } of KEYBOARD_VARIANTS) {
  const where = `${lang}${care ? ', care mode' : ''}`;

  test(`an anonymous vote works with the keyboard alone, in visual order, with visible focus and no trap (${where})`, async (t) => {
    const collector = await collectorFor(t);
    const { page, errors } = await openPage(t, collector, { lang, care, viewport });
    const stops = await voteWithKeyboard(page, collector, lang, { realName: false });
    assertFocusStops(stops, lang, { realName: false });
    assert.deepEqual(errors, []);
  });

  test(`a real-name vote works with the keyboard alone, in visual order, with visible focus (${where})`, async (t) => {
    const collector = await collectorFor(t);
    const { page, errors } = await openPage(t, collector, { lang, care, viewport });
    const stops = await voteWithKeyboard(page, collector, lang, { realName: true });
    assertFocusStops(stops, lang, { realName: true });
    assert.deepEqual(errors, []);
  });
}

test('typing name, ID number and phone key by key keeps the focus and every character', async (t) => {
  const collector = await collectorFor(t);
  const lang = 'zh-CN';
  const { page, errors } = await openPage(t, collector, { viewport: PHONE });
  await chooseRealNameAndConsent(page, lang);
  // From the consent box, Tab to each field and type into it.
  await page.getByRole('checkbox', { name: textsOf(lang).consent, exact: true }).focus();
  const fields = [[textsOf(lang).name, ZHANG_SAN.name], [textsOf(lang).idNumber, ZHANG_SAN.idNumber], [textsOf(lang).phone, ZHANG_SAN.phone]];
  const typed = [];
  for (const [label, text] of fields) {
    await page.keyboard.press('Tab');
    const reached = (await page.evaluate(focusedElement)).name;
    await page.keyboard.type(text);
    const after = await page.evaluate(focusedElement);
    typed.push({ reached, focusAfter: after.name, value: await page.getByLabel(label, { exact: true }).inputValue() });
  }
  assert.deepEqual(typed, fields.map(([label, text]) => ({ reached: label, focusAfter: label, value: text })));
  assert.deepEqual(errors, []);
});

test('voting within a minute of asking for a code leaves the receipt on screen', async (t) => {
  const collector = await collectorFor(t);
  const lang = 'zh-CN';
  const tx = textsOf(lang);
  const { page, errors } = await openPage(t, collector);
  await pickPlace(page, lang);
  await tick(page, 'repeat-tests', lang);
  await chooseRealNameAndConsent(page, lang);
  await fillIdentity(page, lang);
  await sendCode(page, collector, lang);
  // The citizen changes their mind and votes anonymously at once.
  await realNameBlock(page, lang).getByRole('radio', { name: tx.anonymous, exact: true }).check();
  assert.equal((await submitVote(page, lang)).status(), 201);
  const receipt = page.getByRole('heading', { name: tx.receipt, exact: true });
  await receipt.waitFor();
  // The countdown ticks once a second: 2.5 s is two ticks and a margin.
  await page.waitForTimeout(2_500);
  assert.deepEqual(errors, [], 'no error in the page');
  assert.equal(await receipt.isVisible(), true, 'the receipt is still shown');
});

test('focus moves to the error summary after a failed submit and to the receipt heading after a vote', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openPage(t, collector, { viewport: PHONE });
  const tx = textsOf('zh-CN');
  await page.getByRole('button', { name: tx.submit, exact: true }).click();
  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: tx.errorSummary }) });
  await summary.waitFor();
  await waitForFocus(page, summary, 'the error summary');
  const atSummary = await page.evaluate(focusedElement);
  assert.ok(atSummary.indicator.visible, 'the focused summary shows a focus outline');
  assert.ok(atSummary.viewTop >= 0 && atSummary.viewTop < atSummary.viewportHeight, 'the summary is scrolled into view');

  await voteAnonymously(page, 'zh-CN');
  await waitForFocus(page, page.getByRole('heading', { name: tx.receipt, exact: true }), 'the receipt heading');
  const atReceipt = await page.evaluate(focusedElement);
  assert.ok(atReceipt.indicator.visible, 'the focused heading shows a focus outline');
  assert.ok(atReceipt.viewTop >= 0 && atReceipt.viewBottom <= atReceipt.viewportHeight, 'the heading is in view');
  assert.deepEqual(errors, []);
});

test('focus moves to the code field after "send code" and to "verified as" after confirming, with pointer taps too', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openPage(t, collector, { viewport: PHONE, hasTouch: true });
  const lang = 'zh-CN';
  const tx = textsOf(lang);
  await chooseRealNameAndConsent(page, lang);
  await fillIdentity(page, lang);
  const code = await sendCode(page, collector, lang);
  await waitForFocus(page, page.getByLabel(tx.code, { exact: true }), 'the code field');
  assert.equal((await enterCode(page, lang, code)).status(), 200);
  const verified = page.getByText(tx.verifiedAs('张*'), { exact: true });
  await verified.waitFor();
  await waitForFocus(page, verified, 'the "verified as" text');
  assert.equal(await verified.getAttribute('role'), 'status', 'the result is announced as well');
  assert.deepEqual(errors, []);
});

// ---------------------------------------------------------------------------
// 4. Reflow

// 200% zoom is emulated the way Chromium zooms: a 1280×800 window at 200%
// lays the page out in 640×400 CSS px at 2 device pixels per CSS px, and
// media queries see 640 px. A 640 px viewport with deviceScaleFactor 2 is
// exactly that. (CSS `zoom` on the document would leave the viewport at
// 1280 CSS px, so media queries and vw units would not react as they do.)
const REFLOW = [
  { label: '320 CSS px', viewport: { width: 320, height: 640 } },
  { label: '1280 px at 200% zoom', viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 },
];

for (const { label, viewport, deviceScaleFactor } of REFLOW) {
  for (const care of [false, true]) {
    test(`at ${label}${care ? ' in care mode' : ''} nothing scrolls sideways: form, errors, real name, receipt`, async (t) => {
      const collector = await collectorFor(t);
      const lang = 'zh-CN';
      const tx = textsOf(lang);
      const { page, errors } = await openPage(t, collector, { care, viewport, deviceScaleFactor });
      const where = `${label}${care ? ', care' : ''}`;
      await assertNoSidewaysScroll(page, `${where}: form`, viewport.width);

      await page.getByRole('button', { name: tx.submit, exact: true }).click();
      await page.getByRole('heading', { name: tx.errorSummary, exact: true }).waitFor();
      await assertNoSidewaysScroll(page, `${where}: validation errors`, viewport.width);

      await pickPlace(page, lang);
      await tick(page, 'repeat-tests', lang);
      await chooseRealNameAndConsent(page, lang);
      await page.getByRole('button', { name: tx.sendCode, exact: true }).click();
      await realNameBlock(page, lang).getByText(tx.nameMissing).waitFor();
      await assertNoSidewaysScroll(page, `${where}: identity fields with errors`, viewport.width);
      await fillIdentity(page, lang);
      await sendCode(page, collector, lang);
      await assertNoSidewaysScroll(page, `${where}: code sent`, viewport.width);

      await realNameBlock(page, lang).getByRole('radio', { name: tx.anonymous, exact: true }).check();
      assert.equal((await submitVote(page, lang)).status(), 201);
      await page.getByRole('heading', { name: tx.receipt, exact: true }).waitFor();
      await page.getByText(tx.results(1, 0), { exact: true }).waitFor();
      await assertNoSidewaysScroll(page, `${where}: receipt with results`, viewport.width);
      assert.deepEqual(errors, []);
    });
  }
}

// ---------------------------------------------------------------------------
// 5. Touch targets

for (const care of [false, true]) {
  test(`every control is at least 44×44 CSS px on a phone and a desktop${care ? ' in care mode' : ''}`, async (t) => {
    const collector = await collectorFor(t);
    const lang = 'zh-CN';
    const tx = textsOf(lang);
    const { page, errors } = await openPage(t, collector, { care, viewport: PHONE, hasTouch: true });
    await pickPlace(page, lang);
    await tick(page, 'repeat-tests', lang);
    await chooseRealNameAndConsent(page, lang);
    await fillIdentity(page, lang);
    await sendCode(page, collector, lang);
    // Every kind of control is on screen now: care switch, selects, checkbox
    // rows, text area, radio rows, consent, text inputs, buttons.
    const kinds = await page.evaluate(() => {
      const root = document.querySelector('#bottleneck-survey').shadowRoot;
      return ['.bsv-care-switch', 'select', 'input[type=checkbox]', 'input[type=radio]', 'textarea', 'input[type=text]', 'input[type=tel]', 'button[type=submit]']
        .filter((selector) => !root.querySelector(selector));
    });
    assert.deepEqual(kinds, [], 'kinds of control missing from the measured screen');
    await assertTouchTargets(page, `${care ? 'care, ' : ''}phone 390 px`);
    await page.setViewportSize(DESKTOP);
    await assertTouchTargets(page, `${care ? 'care, ' : ''}desktop 1280 px`);
    await page.setViewportSize(SMALL_PHONE);
    await assertTouchTargets(page, `${care ? 'care, ' : ''}phone 360 px`);
    assert.deepEqual(errors, []);
  });
}

// ---------------------------------------------------------------------------
// 6. Care mode

/**
 * Walks through the screens care mode must serve (form with a ticked row,
 * errors, real-name steps, receipt with results, closed batch, load
 * failure) and runs `check(label)` on each.
 */
async function throughCareScreens(page, collector, lang, check) {
  const tx = textsOf(lang);
  await tick(page, 'repeat-tests', lang);
  await check('form with a ticked row');
  await page.getByRole('button', { name: tx.submit, exact: true }).click();
  await page.getByRole('heading', { name: tx.errorSummary, exact: true }).waitFor();
  await check('validation errors');
  await pickPlace(page, lang);
  await chooseRealNameAndConsent(page, lang);
  await page.getByRole('button', { name: tx.sendCode, exact: true }).click();
  await realNameBlock(page, lang).getByText(tx.nameMissing).waitFor();
  await check('privacy notice and identity errors');
  await fillIdentity(page, lang);
  const code = await sendCode(page, collector, lang);
  await check('code sent');
  await enterCode(page, lang, code);
  await realNameBlock(page, lang).getByText(tx.verifiedAs('张*'), { exact: true }).waitFor();
  await check('verified');
  assert.equal((await submitVote(page, lang)).status(), 201);
  await page.getByRole('heading', { name: tx.receipt, exact: true }).waitFor();
  await page.getByText(tx.results(1, 1), { exact: true }).waitFor();
  await check('receipt with results');
  for (const [label, response, heading] of [
    ['closed batch', exampleAnswer('batch-closed.json'), tx.closed],
    ['load failure', problem(500, 'Internal error'), tx.loadFailed],
  ]) {
    const stop = await answer(page, BATCH_PATH, response);
    await page.reload();
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    await check(label);
    await stop();
  }
}

test('care mode: text of at least 18 px, line height of 1.5, contrast of 7:1 on every screen (desktop)', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openPage(t, collector, { care: true });
  const problems = [];
  await throughCareScreens(page, collector, 'zh-CN',
    (label) => collectTextProblems(page, label, { minSize: 18 }, problems));
  assert.deepEqual(problems, [], 'care-mode text rules broken');
  assert.deepEqual(unexpectedErrors(errors, [HTTP_STATUS(500)]), []);
});

test('care mode: text of at least 22 px on a 390 px phone', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openPage(t, collector, { care: true, viewport: PHONE, hasTouch: true });
  const problems = [];
  await throughCareScreens(page, collector, 'zh-CN',
    (label) => collectTextProblems(page, label, { minSize: 22, lineHeight: false, contrast: false }, problems));
  assert.deepEqual(problems, [], 'care-mode text under 22 px on a phone');
  assert.deepEqual(unexpectedErrors(errors, [HTTP_STATUS(500)]), []);
});

test('care mode: headings and legends have a line height of 1.5 too', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openPage(t, collector, { care: true, viewport: PHONE });
  const problems = [];
  await throughCareScreens(page, collector, 'zh-CN',
    (label) => collectTextProblems(page, label, { headings: true }, problems));
  assert.deepEqual(problems, [], 'care-mode headings with tight line height');
  assert.deepEqual(unexpectedErrors(errors, [HTTP_STATUS(500)]), []);
});

test('care mode stacks province, city and county in one column on a wide screen', async (t) => {
  const collector = await collectorFor(t);
  const boxes = async (page) => page.evaluate(() => {
    const root = document.querySelector('#bottleneck-survey').shadowRoot;
    return [...root.querySelectorAll('.bsv-location select')].map((s) => {
      const r = s.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width };
    });
  });
  // Without care mode they stand side by side at this width, so the check below means something.
  const plain = await openPage(t, collector);
  const [p0, p1, p2] = await boxes(plain.page);
  assert.ok(p1.left > p0.left && p2.left > p1.left, 'the default layout has the three selects in a row');

  const { page, errors } = await openPage(t, collector, { care: true });
  const selects = await boxes(page);
  assert.equal(selects.length, 3);
  for (let i = 1; i < selects.length; i += 1) {
    assert.equal(selects[i].left, selects[0].left, `select ${i + 1} starts where the first does`);
    assert.ok(selects[i].top > selects[i - 1].top, `select ${i + 1} stands below select ${i}`);
  }
  assert.deepEqual(errors, []);
  assert.deepEqual(plain.errors, []);
});

test('care mode: nothing moves, the loading spinner included', async (t) => {
  const collector = await collectorFor(t);
  const tx = textsOf('zh-CN');
  const loadingMotion = async (options) => {
    let batch;
    const { page } = await openPage(t, collector, {
      ...options,
      ready: false,
      setup: async (p) => { batch = await hold(p, BATCH_PATH); },
    });
    await batch.arrived;
    await page.getByRole('heading', { name: tx.loading, exact: true }).waitFor();
    const found = await page.evaluate(motion);
    await batch.release();
    return { page, found };
  };
  // Without care mode the spinner turns, so the check below means something.
  const plain = await loadingMotion({});
  assert.equal(plain.found.spinner, 'bsv-spin');
  assert.ok(plain.found.running.length > 0, 'the default spinner is a running animation');

  const { page, found } = await loadingMotion({ care: true });
  assert.equal(found.spinner, 'none', 'the spinner has animation-name none');
  assert.deepEqual(found.running, [], 'no animation runs in the widget');
  await page.getByRole('button', { name: tx.submit, exact: true }).waitFor();
  await tick(page, 'repeat-tests');
  assert.deepEqual((await page.evaluate(motion)).running, [], 'nor on the form');
});

test('the care-mode choice is remembered on this device and wins over the page\'s theme', async (t) => {
  const collector = await collectorFor(t);
  const tx = textsOf('zh-CN');
  const { page, errors } = await openPage(t, collector);
  assert.deepEqual(await page.evaluate(careState), { care: false, pressed: 'false', stored: null });
  await page.locator('.bsv-care-switch').click();
  assert.deepEqual(await page.evaluate(careState), { care: true, pressed: 'true', stored: '1' });
  await page.reload();
  await page.getByRole('button', { name: tx.submit, exact: true }).waitFor();
  assert.deepEqual(await page.evaluate(careState), { care: true, pressed: 'true', stored: '1' }, 'still on after a reload');

  // A page that asks for care mode: the citizen switches it off, and it stays off.
  await page.goto(`${collector.url}/?lang=zh-CN&theme=care`);
  await page.getByRole('button', { name: tx.submit, exact: true }).waitFor();
  await page.locator('.bsv-care-switch').press('Space');
  assert.deepEqual(await page.evaluate(careState), { care: false, pressed: 'false', stored: '0' });
  await page.reload();
  await page.getByRole('button', { name: tx.submit, exact: true }).waitFor();
  assert.deepEqual(await page.evaluate(careState), { care: false, pressed: 'false', stored: '0' }, 'still off after a reload');
  assert.deepEqual(errors, []);
});

test('the care switch is named by its words alone, on or off; aria-pressed carries the state', async (t) => {
  const collector = await collectorFor(t);
  const tx = textsOf('zh-CN');
  const { page, errors } = await openPage(t, collector);
  const named = (pressed) => page.getByRole('button', { name: tx.care, exact: true, pressed });
  assert.equal(await named(false).count(), 1, `off: a button named "${tx.care}", not pressed; the toolbar reads ${await page.locator('.bsv-toolbar').ariaSnapshot()}`);
  await page.locator('.bsv-care-switch').click();
  assert.equal(await named(true).count(), 1, `on: a button named "${tx.care}", pressed; the toolbar reads ${await page.locator('.bsv-toolbar').ariaSnapshot()}`);
  assert.deepEqual(errors, []);
});

test('prefers-reduced-motion: reduce stops the loading spinner', async (t) => {
  const collector = await collectorFor(t);
  let batch;
  const { page } = await openPage(t, collector, {
    reducedMotion: 'reduce',
    ready: false,
    setup: async (p) => { batch = await hold(p, BATCH_PATH); },
  });
  await batch.arrived;
  await page.getByRole('heading', { name: textsOf('zh-CN').loading, exact: true }).waitFor();
  const found = await page.evaluate(motion);
  await batch.release();
  assert.equal(found.spinner, 'none');
  assert.deepEqual(found.running, []);
});

test('prefers-contrast: more raises every text to 7:1 without care mode', async (t) => {
  const collector = await collectorFor(t);
  const lang = 'zh-CN';
  const tx = textsOf(lang);
  const lowest = async (page) => Math.min(...(await page.evaluate(textStyles)).filter((s) => !s.disabled).map((s) => s.contrast));
  const toErrors = async (page) => {
    await tick(page, 'repeat-tests', lang);
    await page.getByRole('button', { name: tx.submit, exact: true }).click();
    await page.getByRole('heading', { name: tx.errorSummary, exact: true }).waitFor();
  };
  const plain = await openPage(t, collector);
  await toErrors(plain.page);
  const before = await lowest(plain.page);

  const { page, errors } = await openPage(t, collector, { contrast: 'more' });
  assert.equal(await page.evaluate(() => matchMedia('(prefers-contrast: more)').matches), true);
  await toErrors(page);
  const problems = [];
  await collectTextProblems(page, 'prefers-contrast: more', { lineHeight: false }, problems);
  assert.deepEqual(problems, [], 'text under 7:1 with more contrast asked for');
  assert.ok(await lowest(page) > before, `the lowest contrast rises from ${before.toFixed(2)}:1`);
  assert.deepEqual(errors, []);
});

// ---------------------------------------------------------------------------
// 7. Languages and lang attributes

test('?lang=en: the page, the widget and the batch say which language they are in', async (t) => {
  const collector = await collectorFor(t);
  let batchResponse;
  const { page, errors } = await openPage(t, collector, {
    lang: 'en',
    ready: false,
    setup: async (p) => {
      batchResponse = p.waitForResponse((r) => new URL(r.url()).pathname === BATCH_PATH);
    },
  });
  const contentLanguage = (await batchResponse).headers()['content-language'];
  assert.equal(contentLanguage, 'en', 'the collector answers in English');
  await page.getByRole('button', { name: 'Submit', exact: true }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.locator('.bsv').getAttribute('lang'), 'en', 'the widget root');

  const langs = await page.evaluate(() => {
    const root = document.querySelector('#bottleneck-survey').shadowRoot;
    const of = (selector) => [...root.querySelectorAll(selector)].map((e) => e.getAttribute('lang'));
    return {
      title: of('.bsv-form__title'),
      description: of('.bsv-form__description'),
      groups: of('.bsv-choices .bsv-choices__group-label'),
      choices: of('.bsv-choices .bsv-choice__label'),
      provinces: [...root.querySelectorAll('select')[0].options].filter((o) => o.value).map((o) => o.getAttribute('lang')),
    };
  });
  for (const part of ['title', 'description', 'groups', 'choices']) {
    assert.ok(langs[part].length > 0, `batch ${part} found`);
    assert.deepEqual([...new Set(langs[part])], [contentLanguage], `batch ${part} carry lang="${contentLanguage}"`);
  }
  assert.deepEqual([...new Set(langs.provinces)], ['zh-CN'], 'province names carry lang="zh-CN"');

  await pickPlace(page, 'en');
  const placeLangs = await page.evaluate(() => {
    const root = document.querySelector('#bottleneck-survey').shadowRoot;
    return [...root.querySelectorAll('select')].slice(1).flatMap((s) => [...s.options].filter((o) => o.value).map((o) => o.getAttribute('lang')));
  });
  assert.ok(placeLangs.length > 0);
  assert.deepEqual([...new Set(placeLangs)], ['zh-CN'], 'city and county names carry lang="zh-CN"');

  await realNameBlock(page, 'en').getByRole('radio', { name: textsOf('en').realName, exact: true }).check();
  assert.equal(await page.locator('.bsv-real-name__notice-text').getAttribute('lang'), contentLanguage, 'the privacy notice');
  assert.deepEqual(errors, []);
});

test('batch texts an endpoint sends in Chinese to an English widget are marked lang="zh-CN"', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openPage(t, collector, {
    lang: 'en',
    setup: (p) => answer(p, BATCH_PATH, exampleAnswer('batch-open.json')),
  });
  assert.equal(await page.locator('.bsv').getAttribute('lang'), 'en');
  assert.equal(await page.getByRole('heading', { name: BATCH.title }).getAttribute('lang'), 'zh-CN');
  assert.equal(await page.getByText(optionText('clinic-card'), { exact: true }).getAttribute('lang'), 'zh-CN');
  assert.equal(await page.getByText(textsOf('en').places[0], { exact: true }).getAttribute('lang'), null,
    'the widget\'s own words inherit "en"');
  assert.deepEqual(errors, []);
});

test('without ?lang the browser\'s language decides', async (t) => {
  const collector = await collectorFor(t);
  for (const [locale, lang, tag] of [['en-US', 'en', 'en'], ['zh-CN', 'zh-CN', 'zh-CN']]) {
    const { page, errors } = await openPage(t, collector, { lang: null, locale });
    await page.getByRole('button', { name: textsOf(lang).submit, exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), tag, `${locale}: <html lang>`);
    assert.equal(await page.locator('.bsv').getAttribute('lang'), tag, `${locale}: widget root lang`);
    assert.ok((await page.locator('.bsv-care-switch').innerText()).includes(textsOf(lang).care), `${locale}: the care switch speaks it`);
    assert.deepEqual(errors, []);
  }
});

test('closing and opening dates are written in the citizen\'s own locale', async (t) => {
  const collector = await collectorFor(t);
  const cases = [
    ['zh-CN', 'batch-closed.json', textsOf('zh-CN').closed, /结束时间：2018年5月8日/],
    ['en', 'batch-closed.json', textsOf('en').closed, /Closed: May 8, 2018/],
    ['zh-CN', 'batch-upcoming.json', textsOf('zh-CN').upcoming, /开始时间：2018年8月10日/],
    ['en', 'batch-upcoming.json', textsOf('en').upcoming, /Opens: August 10, 2018/],
  ];
  for (const [lang, example, heading, date] of cases) {
    const { page, errors } = await openPage(t, collector, {
      lang,
      ready: false,
      setup: (p) => answer(p, BATCH_PATH, exampleAnswer(example)),
    });
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    const body = await page.locator('.bsv-notice__body').innerText();
    assert.match(body, date, `${lang} ${example}`);
    if (lang === 'zh-CN') assert.match(body, /年/);
    else assert.match(body, /January|February|March|April|May|June|July|August|September|October|November|December/);
    assert.deepEqual(errors, []);
  }
});

// ---------------------------------------------------------------------------
// 8. Phones

/**
 * Where the focused control is against the sticky bottom of the form (the
 * running tally and the submit bar), in viewport px. `row`: measure the
 * checkbox's whole row, words included, rather than the box itself. Points
 * at the corners and the middle are hit-tested: `covered` lists what lies
 * on top of them.
 */
function stickyCoverage({ row }) {
  const root = document.querySelector('#bottleneck-survey').shadowRoot;
  const element = root.activeElement;
  if (!element) return { id: null };
  const target = (row && element.closest('.bsv-choice')) || element;
  const box = target.getBoundingClientRect();
  const bar = root.querySelector('.bsv-submit').getBoundingClientRect();
  const tally = root.querySelector('.bsv-choices__tally').getBoundingClientRect();
  const inset = 2;
  const points = [
    [box.left + inset, box.top + inset], [box.right - inset, box.top + inset],
    [box.left + inset, box.bottom - inset], [box.right - inset, box.bottom - inset],
    [(box.left + box.right) / 2, (box.top + box.bottom) / 2],
  ];
  const covered = points
    .map(([x, y]) => root.elementFromPoint(x, y))
    .filter((hit) => !target.contains(hit) && !(hit?.tagName === 'LABEL' && hit.htmlFor === element.id))
    .map((hit) => (hit ? `<${hit.tagName.toLowerCase()} class="${hit.className}">` : 'nothing'));
  return { id: element.id, top: box.top, bottom: box.bottom, barTop: bar.top, tallyTop: tally.top, covered };
}

/** Tabs from the top of the page to the last checkbox, then to the "other" box; measures both. */
async function tabPastTheChoices(page, options) {
  const lastChoice = `bsv1-choice-${BATCH.options.length - 1}`;
  // The widget moves a focused control clear of its sticky bars on the next
  // animation frame, after the browser's own scroll: measure what a person
  // sees once that frame has been drawn.
  const press = async () => {
    await page.keyboard.press('Tab');
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  };
  for (let i = 0; i < 40 && (await page.evaluate(stickyCoverage, options)).id !== lastChoice; i += 1) {
    await press();
  }
  const atLast = await page.evaluate(stickyCoverage, options);
  assert.equal(atLast.id, lastChoice, 'Tab reaches the last checkbox');
  await press();
  const atOther = await page.evaluate(stickyCoverage, options);
  assert.equal(atOther.id, 'bsv1-other', 'then the "other" box');
  return { 'the last checkbox': atLast, 'the "other" box': atOther };
}

/** Fails unless the measured box lies wholly above the sticky bar and nothing covers it. */
function assertClearOfStickyBar(measured, label) {
  for (const [what, m] of Object.entries(measured)) {
    assert.ok(m.top >= 0 && m.bottom <= m.barTop,
      `${label}: ${what} (${m.top.toFixed(0)}..${m.bottom.toFixed(0)} px) is not wholly above the submit bar (top ${m.barTop.toFixed(0)} px)`);
    assert.deepEqual(m.covered, [], `${label}: what lies on ${what} (the sticky tally's top is at ${m.tallyTop.toFixed(0)} px)`);
  }
}

for (const viewport of [SMALL_PHONE, PHONE]) {
  const phone = `${viewport.width}×${viewport.height}`;

  test(`on a ${phone} touch phone: no sideways scroll, native place pickers, the focused field clear of the sticky bar`, async (t) => {
    const collector = await collectorFor(t);
    const lang = 'zh-CN';
    const tx = textsOf(lang);
    const { page, errors } = await openPage(t, collector, { viewport, hasTouch: true, isMobile: true });
    await assertNoSidewaysScroll(page, 'form', viewport.width);

    const selects = await page.evaluate(() => {
      const root = document.querySelector('#bottleneck-survey').shadowRoot;
      return [...root.querySelectorAll('.bsv-location .bsv-field')].map((field) => {
        const control = field.querySelector('select, input, [role=combobox], [role=listbox]');
        return { label: field.querySelector('label').textContent, tag: control?.tagName, multiple: control?.multiple, size: control?.size };
      });
    });
    assert.deepEqual(selects, tx.places.map((label) => ({ label, tag: 'SELECT', multiple: false, size: 0 })),
      'province, city and county are native single selects');

    assertClearOfStickyBar(await tabPastTheChoices(page, { row: false }), phone);

    await page.getByRole('button', { name: tx.submit, exact: true }).click();
    await page.getByRole('heading', { name: tx.errorSummary, exact: true }).waitFor();
    await assertNoSidewaysScroll(page, 'validation errors', viewport.width);
    await chooseRealNameAndConsent(page, lang);
    await page.getByRole('button', { name: tx.sendCode, exact: true }).click();
    await realNameBlock(page, lang).getByText(tx.nameMissing).waitFor();
    await assertNoSidewaysScroll(page, 'real name with errors', viewport.width);
    await realNameBlock(page, lang).getByRole('radio', { name: tx.anonymous, exact: true }).check();
    await voteAnonymously(page, lang);
    await assertNoSidewaysScroll(page, 'receipt', viewport.width);
    assert.deepEqual(errors, []);
  });
}

test('on phones the whole row of a focused checkbox, its words included, stays clear of the sticky tally and submit bar', async (t) => {
  const collector = await collectorFor(t);
  const problems = [];
  for (const viewport of [SMALL_PHONE, PHONE]) {
    for (const care of [false, true]) {
      const { page } = await openPage(t, collector, { care, viewport, hasTouch: true, isMobile: true });
      try {
        assertClearOfStickyBar(await tabPastTheChoices(page, { row: true }), `${viewport.width}×${viewport.height}${care ? ' care' : ''}`);
      } catch (error) {
        problems.push(error.message.split('\n')[0]);
      }
      await page.close();
    }
  }
  assert.deepEqual(problems, []);
});

// ---------------------------------------------------------------------------
// 9. Screenshots for the README

// Stable from run to run: a fixed clock and time zone, the receipt, results
// and verification answered from docs/examples/, animations and the caret
// off, the pointer out of the way. Viewport-sized PNGs at 1 device pixel per
// CSS px. A PNG is rewritten only when the screen looks different, so a test
// run leaves git clean.
test('the README\'s screenshots of the main screens are written to docs/screenshots/', async (t) => {
  const collector = await collectorFor(t);
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const written = [];
  const shoot = async (page, name) => {
    const path = join(SCREENSHOTS_DIR, name);
    await page.mouse.move(0, 0); // no hover style on whatever the last click left under the pointer
    const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    const old = existsSync(path) ? readFileSync(path) : null;
    if (!old || (!old.equals(png) && await differingPixels(browser, old, png) > SCREENSHOT_JITTER_PX)) writeFileSync(path, png);
    written.push(name);
  };
  const open = (options) => openPage(t, collector, {
    ...options,
    setup: async (page) => {
      await page.clock.setFixedTime(new Date('2018-07-09T10:13:45+08:00'));
      await answer(page, VOTES_PATH, exampleAnswer('receipt.json', 201));
      await answer(page, `/api/v1/batches/${BATCH.id}/results`, exampleAnswer('results.json'));
      await answer(page, VERIFICATIONS_PATH, exampleAnswer('verification-created.json', 201));
    },
  });
  const toTop = (page) => page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    element?.blur();
    scrollTo(0, 0);
  });

  const zh = 'zh-CN';
  const tx = textsOf(zh);
  {
    const { page, errors } = await open({ viewport: PHONE, hasTouch: true, isMobile: true });
    await pickPlace(page, zh);
    await tick(page, 'repeat-tests', zh);
    await toTop(page);
    await shoot(page, 'phone-form-zh.png');
    assert.deepEqual(errors, []);
  }
  {
    const { page, errors } = await open({ viewport: PHONE, hasTouch: true, isMobile: true });
    await page.getByRole('button', { name: tx.submit, exact: true }).click();
    await waitForFocus(page, page.locator('.bsv-error-summary'), 'the error summary');
    await shoot(page, 'phone-errors-zh.png');
    assert.deepEqual(errors, []);
  }
  {
    const { page, errors } = await open({ viewport: PHONE, hasTouch: true, isMobile: true });
    await pickPlace(page, zh);
    await tick(page, 'repeat-tests', zh);
    await page.getByRole('button', { name: tx.submit, exact: true }).click();
    await page.getByRole('heading', { name: tx.receipt, exact: true }).waitFor();
    await page.getByText(tx.results(3, 1), { exact: true }).waitFor();
    await toTop(page);
    await shoot(page, 'phone-receipt-zh.png');
    assert.deepEqual(errors, []);
  }
  {
    const { page, errors } = await open({ care: true, viewport: PHONE, hasTouch: true, isMobile: true });
    await pickPlace(page, zh);
    await toTop(page);
    await shoot(page, 'phone-care-zh.png');
    assert.deepEqual(errors, []);
  }
  {
    const { page, errors } = await open({ viewport: PHONE, hasTouch: true, isMobile: true });
    await pickPlace(page, zh);
    await tick(page, 'repeat-tests', zh);
    await chooseRealNameAndConsent(page, zh);
    await fillIdentity(page, zh);
    await page.getByRole('button', { name: tx.sendCode, exact: true }).click();
    await waitForFocus(page, page.getByLabel(tx.code, { exact: true }), 'the code field');
    // The clock stands still: the countdown stays at 60 s.
    await page.getByRole('button', { name: '60 秒后可重新获取', exact: true }).waitFor();
    // From the name field down: identity, the countdown, the code field focused.
    await page.getByText(tx.name, { exact: true }).evaluate((label) => {
      label.scrollIntoView({ block: 'start' });
      scrollTo(0, Math.floor(scrollY)); // whole pixels, for the same PNG every run
    });
    await shoot(page, 'phone-real-name-zh.png');
    assert.deepEqual(errors, []);
  }
  {
    const { page, errors } = await open({ lang: 'en', viewport: DESKTOP });
    await pickPlace(page, 'en');
    await tick(page, 'repeat-tests', 'en');
    await toTop(page);
    await shoot(page, 'desktop-form-en.png');
    assert.deepEqual(errors, []);
  }
  {
    const { page, errors } = await open({ lang: 'en', care: true, viewport: DESKTOP });
    await pickPlace(page, 'en');
    await tick(page, 'repeat-tests', 'en');
    await toTop(page);
    await shoot(page, 'desktop-care-en.png');
    assert.deepEqual(errors, []);
  }

  for (const name of written) {
    const png = readFileSync(join(SCREENSHOTS_DIR, name));
    assert.equal(png.subarray(1, 4).toString(), 'PNG', `${name} is a PNG`);
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    const expected = name.startsWith('phone-') ? PHONE : DESKTOP;
    assert.deepEqual({ width, height }, expected, `${name} is ${expected.width}×${expected.height}`);
    assert.ok(statSync(join(SCREENSHOTS_DIR, name)).size > 10_000, `${name} is not blank`);
  }
  assert.equal(written.length, 7);
});
