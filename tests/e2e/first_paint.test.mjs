// How the widget arrives (issue 12): the first download shows the form and
// nothing more, the screens needed later come as wasm chunks when they are
// drawn, the batch request does not wait for the wasm, and nothing on the
// page moves while it all arrives. The release widget in dist/ is served by
// the reference collector, precompressed.
//
// These are behaviours, not timings: sizes are checked by scripts/size and
// speed by the Lighthouse benchmark (scripts/lighthouse/bench).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoA11yViolations,
  checkA11y,
  collectorFor,
  launchBrowser,
  newPage,
  readExample,
  screenshot,
} from './harness.mjs';

const BATCH = readExample('batch-open.json');
const PHONE = { width: 390, height: 844 };
const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };
/** The wasm chunks of screens loaded on demand (scripts/build, src/on_demand.rs). */
const CHUNK = /\/(split|chunk)_[^/]*\.wasm$/;
const BATCH_PATH = '/api/v1/batches/current';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

async function pageFor(t, options = {}) {
  const opened = await newPage(browser, { viewport: PHONE, locale: 'zh-CN', ...options });
  t.after(() => opened.page.close());
  return opened;
}

/** Every request the page makes, as paths, in order. */
function recordRequests(page) {
  const paths = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

/** Starts summing the page's layout shifts (what CLS adds up) before anything loads. */
async function watchLayoutShifts(page) {
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (!entry.hadRecentInput) {
          window.__shifts.push({ value: entry.value, sources: entry.sources.map((s) => s.node?.nodeName ?? '?') });
        }
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The layout shifts seen so far, after two more frames have been drawn. */
function layoutShifts(page) {
  return page.evaluate(() => new Promise((resolve) => {
    requestAnimationFrame(() => requestAnimationFrame(() => resolve(window.__shifts)));
  }));
}

async function vote(page) {
  await page.getByLabel('省份', { exact: true }).selectOption({ label: '河北省' });
  await page.getByLabel('城市', { exact: true }).selectOption({ label: '石家庄市' });
  await page.getByLabel('区县', { exact: true }).selectOption({ label: '长安区' });
  await page.getByText(BATCH.options[0].text, { exact: true }).click();
  await page.getByRole('button', { name: '提交', exact: true }).click();
}

for (const lang of ['zh-CN', 'en']) {
  test(`nothing on the standalone page moves while the widget loads on a phone (${lang})`, async (t) => {
    const collector = await collectorFor(t);
    const { page, errors } = await pageFor(t, { locale: lang });
    await watchLayoutShifts(page);
    await page.goto(`${collector.url}/`);
    await page.getByRole('button', { name: lang === 'en' ? 'Submit' : '提交', exact: true }).waitFor();
    assert.deepEqual(await layoutShifts(page), [], 'no layout shift');
    assert.deepEqual(errors, []);
  });
}

test('nothing on a portal page moves while its two widgets load, reserved before embed.js runs', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await pageFor(t, { locale: 'zh-CN' });
  await watchLayoutShifts(page);
  // Hold the wasm back: the first paint happens with the elements not yet
  // defined, then defined but not mounted.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(`${collector.url}/bottleneck-survey_bg.wasm`, async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`${collector.url}/demo/portal.html`);
  const { heights, screen } = await page.evaluate(() => ({
    heights: [...document.querySelectorAll('bottleneck-survey')].map((element) => element.getBoundingClientRect().height),
    screen: innerHeight,
  }));
  assert.ok(heights.every((height) => height >= screen), `each element keeps a screen's height before it mounts: ${heights}`);
  release();
  const widgets = page.locator('bottleneck-survey');
  await widgets.nth(0).getByRole('button', { name: '提交', exact: true }).waitFor();
  await widgets.nth(1).getByRole('button', { name: 'Submit', exact: true }).waitFor();
  assert.deepEqual(await layoutShifts(page), [], 'no layout shift');
  assert.deepEqual(errors, []);
});

test('the batch is asked for while the wasm is still downloading, and only once', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await pageFor(t);
  const requests = recordRequests(page);
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route(`${collector.url}/bottleneck-survey_bg.wasm`, async (route) => {
    await released;
    await route.continue();
  });
  const batchAnswered = page.waitForResponse((response) => new URL(response.url()).pathname === BATCH_PATH);
  await page.goto(`${collector.url}/`);
  // The wasm is held: only the loader can have sent this.
  assert.equal((await batchAnswered).status(), 200);
  release();
  await page.getByRole('button', { name: '提交', exact: true }).waitFor();
  assert.equal(requests.filter((path) => path === BATCH_PATH).length, 1, 'the widget took the loader\'s request over');
  assert.deepEqual(errors, []);
});

test('the first load fetches no chunk; the real-name steps come once the form is in use and the receipt with the vote', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await pageFor(t);
  const requests = recordRequests(page);
  await page.goto(`${collector.url}/`);
  await page.getByRole('button', { name: '提交', exact: true }).waitFor();
  assert.deepEqual(requests.filter((path) => CHUNK.test(path)), [], 'the form shows without any chunk');

  await vote(page);
  await page.getByRole('heading', { name: '提交成功，感谢您的参与！' }).waitFor();
  const chunks = requests.filter((path) => CHUNK.test(path));
  assert.ok(chunks.includes('/split_later.wasm'), `the receipt's chunk was fetched: ${chunks}`);
  // The batch offers real-name voting: its steps come once the citizen is
  // at work on the form, before they could choose it.
  assert.ok(chunks.includes('/split_real_name.wasm'), `the real-name steps were fetched ahead: ${chunks}`);
  assert.deepEqual(errors, []);
});

test('a chunk that cannot be fetched is said so, nothing is lost, and trying again shows the receipt', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await pageFor(t);
  // The connection fails for the receipt's chunk (fetched ahead while the
  // vote is sent, then for the receipt) until the citizen tries again.
  let refusing = true;
  let refused = 0;
  await page.route(`${collector.url}/split_later.wasm`, async (route) => {
    if (refusing) {
      refused += 1;
      await route.abort('internetdisconnected');
    } else {
      await route.continue();
    }
  });
  await page.goto(`${collector.url}/`);
  await page.getByRole('button', { name: '提交', exact: true }).waitFor();
  await vote(page);

  const failed = page.getByRole('alert').filter({ hasText: '这部分内容没能加载出来。请检查网络后重试；您填写的内容不会丢失。' });
  await failed.waitFor();
  assert.ok(refused >= 1);
  await screenshot(page, 'first-paint-chunk-failed');
  assertNoA11yViolations(await checkA11y(page, { label: 'chunk failed', axeOptions: AXE_OPTIONS }), { impact: 'serious' });
  refusing = false;
  await failed.getByRole('button', { name: '重试', exact: true }).click();
  await page.getByRole('heading', { name: '提交成功，感谢您的参与！' }).waitFor();
  // The refused fetches are logged by the browser and by the chunk loader; nothing else.
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e)), []);
});

test('the widget is served compressed, and an unchanged file costs a returning visitor no download', async (t) => {
  const collector = await collectorFor(t);
  for (const file of ['/', '/embed.js', '/bottleneck-survey.js', '/__wasm_split.js', '/bottleneck-survey_bg.wasm']) {
    const response = await fetch(`${collector.url}${file}`, { headers: { 'accept-encoding': 'br' } });
    assert.equal(response.status, 200, file);
    assert.equal(response.headers.get('content-encoding'), 'br', `${file} is sent as brotli`);
    const again = await fetch(`${collector.url}${file}`, {
      headers: { 'accept-encoding': 'br', 'if-modified-since': response.headers.get('last-modified') },
    });
    assert.equal(again.status, 304, `${file} is not sent again`);
  }
});
