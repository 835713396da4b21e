// Issue 4, end to end: every vote a citizen sends arrives exactly once, and
// every way the endpoint can fail has its own message.
//
// The release widget in dist/ runs against a collector started with
// `--fault-injection`: a test queues faults at `POST /__faults` (see
// collector/README.md, "Fault injection") to make the endpoint refuse, delay
// or drop votes, or serve a broken batch, and reads at `GET /__faults` how
// many vote requests arrived and with which Idempotency-Key. Exactly once is
// proven by counting rows in the collector's SQLite database.
//
// Every test starts its own collector (fresh database) and opens its pages
// in a new browser context (empty localStorage); only Chromium is shared.
// Waits are Playwright's own or explicit conditions; the only waiting on the
// clock is what a Retry-After asks for.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  REPO_ROOT,
  assertNoA11yViolations,
  checkA11y,
  launchBrowser,
  newPage,
  queryDb,
  readExample,
  screenshot,
  startCollector,
} from './harness.mjs';

/** The open batch of the demo batches file. */
const BATCH = readExample('batch-open.json');

const VOTES_PATH = '/api/v1/votes';

/** Receipt codes: two groups of four symbols without 0/O and 1/I (collector/src/receipt.rs). */
const RECEIPT_CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

/** The WCAG levels we are held to. */
const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

/** What the citizen is told while a vote travels (src/i18n/zh_cn.rs). */
const TEXT = {
  receipt: '提交成功，感谢您的参与！',
  sending: '您的投票已保存在本设备，正在发送…',
  offline: '没有网络连接。您的投票已保存在本设备，恢复联网后会自动发送。',
  retryIn: /^您的投票已保存在本设备，将在 \d+ 秒后自动重试。$/,
  busyFor: (s) => `现在参与的人很多，服务器繁忙。请 ${s} 秒后重试。`,
  network: '连不上问卷服务器：它可能暂时不可用，或不允许本网站访问。请稍后重试。',
};

/** Console lines Chromium writes for a failed or refused request: expected where a test makes them. */
const STATUS_LINE = (status) => new RegExp(`Failed to load resource: the server responded with a status of ${status}\\b`);
const NET_ERROR = (name) => new RegExp(`Failed to load resource: net::${name}\\b`);

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** Starts a collector with fault injection that the test stops when it ends. */
async function collectorFor(t, options = {}) {
  const collector = await startCollector({ ...options, args: ['--fault-injection', ...(options.args ?? [])] });
  t.after(() => collector.stop());
  return collector;
}

/** `/__faults`: queue (POST), clear (DELETE) or read (GET); resolves to the counters. */
async function faults(collector, method, body) {
  const response = await fetch(`${collector.url}/__faults`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.equal(response.status, 200, `${method} /__faults: ${text}`);
  return JSON.parse(text);
}
const queueFaults = (collector, body) => faults(collector, 'POST', body);
const clearFaults = (collector) => faults(collector, 'DELETE');
const counters = (collector) => faults(collector, 'GET');

/** The rows of the votes table. */
function storedVotes(collector) {
  return queryDb(collector.dbPath, 'SELECT vote_id, receipt FROM votes');
}

/** Records what a page sees going wrong (as harness.newPage does), for a second tab. */
function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    if (url && new URL(url).pathname === '/favicon.ico') return;
    errors.push(`console.error: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  return errors;
}

/** Fails on any error but the expected ones (regular expressions). */
function assertOnlyExpectedErrors(errors, expected = []) {
  assert.deepEqual(errors.filter((e) => !expected.some((pattern) => pattern.test(e))), []);
}

/** Opens the standalone page in a fresh context; waits for the form unless told not to. */
async function openPage(t, collector, { lang = 'zh-CN', waitForForm = true, query = '' } = {}) {
  const { page, errors } = await newPage(browser, { locale: lang });
  t.after(() => page.close());
  await page.goto(`${collector.url}/?lang=${lang}${query}`);
  if (waitForForm) await submitButton(page).waitFor();
  return { page, errors };
}

/** The form's submit button, whatever it says now. */
function submitButton(page) {
  return page.locator('button[type=submit]');
}

/**
 * Every POST the page makes to the vote endpoint: Idempotency-Key and time,
 * the status of each answer, and those that failed.
 */
function watchVoteRequests(page) {
  const seen = { sent: [], answered: [], failed: [] };
  const isVote = (request) => request.method() === 'POST' && new URL(request.url()).pathname === VOTES_PATH;
  page.on('request', (request) => {
    if (isVote(request)) seen.sent.push({ key: request.headers()['idempotency-key'], at: Date.now() });
  });
  page.on('response', (response) => {
    if (isVote(response.request())) seen.answered.push(response.status());
  });
  page.on('requestfailed', (request) => {
    if (isVote(request)) seen.failed.push(request.failure()?.errorText ?? 'failed');
  });
  return seen;
}

/** Answers the form the way a citizen does: place, one bottleneck. */
async function fillBallot(page) {
  await page.getByLabel('省份', { exact: true }).selectOption({ label: '河北省' });
  await page.getByLabel('城市', { exact: true }).selectOption({ label: '石家庄市' });
  await page.getByLabel('区县', { exact: true }).selectOption({ label: '长安区' });
  const text = BATCH.options.find((o) => o.id === 'repeat-tests').text;
  await page.getByText(text, { exact: true }).click();
  assert.equal(await page.getByRole('checkbox', { name: text, exact: true }).isChecked(), true);
}

/** The receipt code shown under the term 回执编号. */
async function shownReceiptCode(page) {
  await page.getByRole('heading', { name: TEXT.receipt }).waitFor();
  const code = (await page.getByRole('definition').innerText()).trim();
  assert.match(code, RECEIPT_CODE);
  return code;
}

/** The widget's keys in localStorage, parsed: `outbox` and `voted` entries by key. */
function storage(page) {
  return page.evaluate(() => {
    const found = { outbox: {}, voted: {} };
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      const value = JSON.parse(localStorage.getItem(key));
      if (key.startsWith('bsv.outbox.v1|')) found.outbox[key] = value;
      if (key.startsWith('bsv.voted.v1|')) found.voted[key] = value;
    }
    return found;
  });
}

/** The one outbox entry in the page's storage. */
async function theOutboxEntry(page) {
  const entries = Object.values((await storage(page)).outbox);
  assert.equal(entries.length, 1, 'one vote waits in the outbox');
  return entries[0];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA), fails on a serious or critical
 * violation, logs the others, and saves a screenshot.
 */
async function auditAccessibility(page, label) {
  await screenshot(page, `delivery-${label}`);
  const violations = await checkA11y(page, { label, axeOptions: AXE_OPTIONS });
  for (const v of violations.filter((v) => v.impact === 'moderate' || v.impact === 'minor')) {
    console.log(`axe (${label}): ${v.id} (${v.impact}): ${v.help} ${v.helpUrl}`);
    for (const node of v.nodes) console.log(`    ${node.target.join(' ')}  ${node.html}`);
  }
  assertNoA11yViolations(violations, { impact: 'serious', label });
}

/** Polls `condition` every 50 ms until it holds; fails after `timeout` ms. */
async function waitUntil(condition, what, timeout = 5_000) {
  const end = Date.now() + timeout;
  while (!condition()) {
    assert.ok(Date.now() < end, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asserts exactly one stored vote, the one with this key, and returns its row. */
function assertOneRow(collector, key) {
  const rows = storedVotes(collector);
  assert.equal(rows.length, 1, `exactly one vote is stored: ${JSON.stringify(rows)}`);
  if (key) assert.equal(rows[0].vote_id, key);
  return rows[0];
}

test('a vote refused twice with 503 and Retry-After 1 is sent again with the same key and stored once', async (t) => {
  const collector = await collectorFor(t);
  await queueFaults(collector, { votes: [{ fail: 503, retry_after: '1', times: 2 }] });
  const { page, errors } = await openPage(t, collector);
  const requests = watchVoteRequests(page);
  await fillBallot(page);

  await submitButton(page).click();
  // Between the tries the citizen is told the vote is kept and when it goes again.
  const status = page.getByRole('status').filter({ has: page.getByText(TEXT.retryIn) });
  await status.waitFor();
  await status.getByText(TEXT.busyFor(1)).waitFor();
  const waiting = await theOutboxEntry(page);

  const code = await shownReceiptCode(page);
  const row = assertOneRow(collector, waiting.vote.vote_id);
  assert.equal(row.receipt, code, 'the receipt shown is the one stored');
  assert.equal(await page.getByRole('definition').count(), 1, 'one receipt is shown');

  assert.equal(requests.sent.length, 3, 'two refused tries and the one that counted');
  assert.deepEqual(new Set(requests.sent.map((r) => r.key)), new Set([row.vote_id]), 'every try carries the same key');
  const seen = await counters(collector);
  assert.deepEqual(seen.votes.by_key, { [row.vote_id]: 3 });
  assert.deepEqual(seen.votes.log.map((r) => r.status), [503, 503, 201]);
  const gaps = requests.sent.slice(1).map((r, i) => r.at - requests.sent[i].at);
  assert.ok(gaps.every((gap) => gap >= 900), `each retry waited for Retry-After: ${gaps} ms`);

  const kept = await storage(page);
  assert.deepEqual(kept.outbox, {}, 'the outbox is empty once the vote is counted');
  assert.deepEqual(Object.values(kept.voted).map((v) => v.receipt), [code], 'the receipt is remembered');
  assertOnlyExpectedErrors(errors, [STATUS_LINE(503)]);
});

test('a vote submitted offline waits in the outbox and goes as soon as the browser is back online', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openPage(t, collector);
  const requests = watchVoteRequests(page);
  await fillBallot(page);

  await page.context().setOffline(true);
  await submitButton(page).click();
  await page.getByRole('status').getByText(TEXT.offline, { exact: true }).waitFor();
  const entry = await theOutboxEntry(page);
  assert.equal(entry.vote.batch_id, BATCH.id);
  assert.deepEqual(entry.vote.choices, ['repeat-tests']);
  assert.equal((await counters(collector)).votes.received, 0, 'nothing reached the endpoint');
  assert.equal(storedVotes(collector).length, 0);
  await auditAccessibility(page, 'offline-zh-CN');

  const waiting = await theOutboxEntry(page);
  const online = Date.now();
  await page.context().setOffline(false);
  await shownReceiptCode(page);
  assertOneRow(collector, entry.vote.vote_id);
  const delivered = requests.sent.at(-1);
  assert.equal(delivered.key, entry.vote.vote_id, 'the vote sent is the one kept');
  assert.ok(delivered.at >= online && delivered.at < Math.max(waiting.next_try_ms, online + 1000),
    `the vote went when the browser came online (${delivered.at - online} ms later), not at the next scheduled try`);
  assert.deepEqual((await counters(collector)).votes.by_key, { [entry.vote.vote_id]: 1 });
  assertOnlyExpectedErrors(errors, [NET_ERROR('ERR_INTERNET_DISCONNECTED')]);
});

test('a vote whose connection drops after it was stored is sent again with the same key and counted once', async (t) => {
  const collector = await collectorFor(t);
  // Chromium quietly resends a request whose reused keep-alive connection
  // closes before any answer, once, on a new connection; two drops make
  // sure the widget itself sees the failure.
  await queueFaults(collector, { votes: [{ drop: 'after_storing', times: 2 }] });
  const { page, errors } = await openPage(t, collector);
  const requests = watchVoteRequests(page);
  await fillBallot(page);

  await submitButton(page).click();
  const code = await shownReceiptCode(page);
  const seen = await counters(collector);
  const keys = Object.keys(seen.votes.by_key);
  assert.equal(keys.length, 1, `one key for every try: ${JSON.stringify(seen.votes.by_key)}`);
  const row = assertOneRow(collector, keys[0]);
  assert.equal(row.receipt, code, 'the receipt shown is the first one, stored before the drop');
  assert.deepEqual(seen.votes.log.map((r) => [r.fault, r.status]).at(-1), [null, 200], 'the last try found the vote stored');
  assert.ok(requests.failed.length >= 1, 'the widget saw a try fail');
  assert.ok(requests.sent.length >= 2 && requests.sent.every((r) => r.key === keys[0]));
  console.log(`drop after storing: ${seen.votes.received} requests reached the collector, ` +
    `${requests.sent.length} fetches by the widget (${requests.failed.join(', ')})`);
  assertOnlyExpectedErrors(errors, [NET_ERROR('ERR_EMPTY_RESPONSE')]);
});

test('double clicks and repeated submits while the answer is slow send one vote and store one row', async (t) => {
  const collector = await collectorFor(t);
  await queueFaults(collector, { votes: [{ delay_ms: 3000 }] });
  const { page, errors } = await openPage(t, collector);
  const requests = watchVoteRequests(page);
  await fillBallot(page);

  const button = submitButton(page);
  await button.dblclick();
  await page.getByRole('status').getByText(TEXT.sending, { exact: true }).waitFor();
  // The vote is stored and its answer is on its way: every way to submit again.
  await waitUntil(() => storedVotes(collector).length === 1, 'the vote is stored');
  await button.evaluate((b) => { b.click(); b.click(); });
  await page.locator('form').evaluate((form) => { form.requestSubmit(); form.requestSubmit(); });

  await shownReceiptCode(page);
  assert.equal(requests.sent.length, 1, 'one request to the vote endpoint');
  assert.equal((await counters(collector)).votes.received, 1);
  assertOneRow(collector);
  assertOnlyExpectedErrors(errors);
});

test('a final refusal (410) is said once, takes the vote out of the outbox and keeps the answers', async (t) => {
  const collector = await collectorFor(t);
  await queueFaults(collector, { votes: [{ fail: 410 }] });
  const { page, errors } = await openPage(t, collector);
  const requests = watchVoteRequests(page);
  await fillBallot(page);
  await submitButton(page).click();

  const failure = page.getByRole('alert').filter({ hasText: '本批征集已经结束，您的投票没有被计入。' });
  await failure.getByText('您填写的内容还在，没有丢失。', { exact: true }).waitFor();
  assert.deepEqual((await storage(page)).outbox, {}, 'the refused vote left the outbox');
  assert.equal(await page.getByLabel('区县', { exact: true }).inputValue(), '130102', 'the answers are still there');
  assert.equal(requests.sent.length, 1, 'a final answer is never retried');
  assert.equal(storedVotes(collector).length, 0);
  assertOnlyExpectedErrors(errors, [STATUS_LINE(410)]);
});

test('a vote waiting out a Retry-After of 30 s is sent at once when the page is opened again', async (t) => {
  const collector = await collectorFor(t);
  await queueFaults(collector, { votes: [{ fail: 503, retry_after: '30', times: 1000 }] });
  const { page, errors } = await openPage(t, collector);
  const requests = watchVoteRequests(page);
  await fillBallot(page);
  await submitButton(page).click();
  await page.getByText(TEXT.retryIn).waitFor();
  const entry = await theOutboxEntry(page);
  assert.ok(entry.next_try_ms - Date.now() > 25_000, 'the next try is about 30 s away');

  // The endpoint recovers while the page is away; the old page's next try
  // is still 30 s off. (Cleared after the reload, the faults could lose the
  // race with the reopened page's own first try.)
  await clearFaults(collector);
  await page.reload();
  const reopened = Date.now();
  // The vote goes again at once, well before the 30 s are up.
  await page.getByRole('heading', { name: TEXT.receipt }).waitFor({ timeout: 5_000 });
  console.log(`reload: the kept vote was delivered ${Date.now() - reopened} ms after the page was opened again`);
  assertOneRow(collector, entry.vote.vote_id);
  assert.ok(requests.sent.every((r) => r.key === entry.vote.vote_id), 'the same key before and after the reload');
  assertOnlyExpectedErrors(errors, [STATUS_LINE(503)]);
});

test('a page opened again while a stored vote waits shows it is saved and never sends a second vote', async (t) => {
  const collector = await collectorFor(t);
  // The first try is stored but never answered; the next ones are told to wait 30 s.
  await queueFaults(collector, { votes: [{ drop: 'after_storing', times: 2 }, { fail: 503, retry_after: '30', times: 1000 }] });
  const { page, errors } = await openPage(t, collector);
  await fillBallot(page);
  await submitButton(page).click();
  await page.getByText(TEXT.busyFor(30)).waitFor();
  const entry = await theOutboxEntry(page);
  assertOneRow(collector, entry.vote.vote_id);

  await page.reload();
  // The reopened page tries at once, is told to wait 30 s again, and says
  // the vote is saved on this device.
  await page.getByText(TEXT.busyFor(30)).waitFor();
  await clearFaults(collector);
  // What a citizen who sees the form with their answers does: press the
  // button, which now sends the waiting vote at once.
  await submitButton(page).click();
  const code = await shownReceiptCode(page);
  const row = assertOneRow(collector, entry.vote.vote_id);
  assert.equal(row.receipt, code);
  assertOnlyExpectedErrors(errors, [STATUS_LINE(503), NET_ERROR('ERR_EMPTY_RESPONSE')]);
});

test('two tabs on one batch deliver the vote once and both end on the receipt', async (t) => {
  const collector = await collectorFor(t);
  await queueFaults(collector, { votes: [{ fail: 503, retry_after: '2', times: 1000 }] });
  const { page: first, errors } = await openPage(t, collector);
  const firstRequests = watchVoteRequests(first);
  await fillBallot(first);
  await submitButton(first).click();
  await first.getByText(TEXT.retryIn).waitFor();
  const entry = await theOutboxEntry(first);

  const second = await first.context().newPage();
  const secondErrors = watchErrors(second);
  const secondRequests = watchVoteRequests(second);
  await second.goto(first.url());
  await submitButton(second).waitFor();
  // The second tab took the waiting vote up: its answers are there.
  const ticked = BATCH.options.find((o) => o.id === 'repeat-tests').text;
  assert.equal(await second.getByRole('checkbox', { name: ticked, exact: true }).isChecked(), true);
  await clearFaults(collector);

  const [firstCode, secondCode] = await Promise.all([shownReceiptCode(first), shownReceiptCode(second)]);
  assert.equal(firstCode, secondCode);
  assertOneRow(collector, entry.vote.vote_id);
  const sent = [...firstRequests.sent, ...secondRequests.sent];
  assert.ok(sent.every((r) => r.key === entry.vote.vote_id));
  const seen = await counters(collector);
  console.log(`two tabs: ${seen.votes.received} POSTs reached the collector (${firstRequests.sent.length} from tab 1, ` +
    `${secondRequests.sent.length} from tab 2), answered ${seen.votes.log.map((r) => r.status).join(', ')}; ` +
    `sent at ${sent.map((r) => r.at - sent[0].at).join(', ')} ms`);
  assertOnlyExpectedErrors([...errors, ...secondErrors], [STATUS_LINE(503)]);

  // Counted by the answers, not by the time of the clearing: a try sent as
  // the faults are cleared may meet them or not (CI has seen both).
  await t.test('only one tab sends the waiting vote once it can go through', () => {
    const through = [firstRequests, secondRequests].map((r) => r.answered.filter((status) => status !== 503).length);
    assert.deepEqual(through.sort(), [0, 1], 'tries not refused by the faults, per tab');
  });
});

// Broken batches. Each case replaces `GET /api/v1/batches/current` with
// `batch` (status, content type, body) and expects its own screen: a
// heading, the message, the technical text when there is one, and a retry
// button only where trying again can help. Nothing is ever rendered as HTML
// and no vote is sent.

/** A file of docs/examples/invalid-batches/, as text. */
function invalidBatch(name) {
  return readFileSync(join(REPO_ROOT, 'docs', 'examples', 'invalid-batches', name), 'utf8');
}

/** The open batch changed by `change`, as a JSON body. */
function batchBody(change) {
  const batch = structuredClone(BATCH);
  change(batch);
  return JSON.stringify(batch);
}

/** Markup that runs script if anything renders it as HTML. */
const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

const LOAD_FAILED = '问卷没能加载出来';

const BROKEN_BATCHES = [
  {
    name: 'an HTML error page served as 200 is not the survey',
    batch: { status: 200, content_type: 'text/html', body: invalidBatch('not-json.html') },
    heading: LOAD_FAILED,
    message: '问卷服务器返回的不是问卷数据（可能是一个错误页面）。请稍后重试；如果一直这样，请联系本网站的管理员。',
    details: 'the batch is not JSON',
    retry: true,
  },
  {
    name: 'an HTML 502 page from a proxy is a server failure',
    batch: { status: 502, content_type: 'text/html', body: invalidBatch('not-json.html') },
    heading: LOAD_FAILED,
    message: '问卷服务器出了问题（502）。请稍后重试。',
    retry: true,
    console: [STATUS_LINE(502)],
  },
  {
    name: 'JSON of the wrong shape is refused',
    batch: { body: invalidBatch('missing-choices.json') },
    heading: LOAD_FAILED,
    message: '问卷数据的格式不对，无法显示。请联系本网站的管理员。',
    details: /the batch has the wrong shape: .*choices/,
  },
  {
    name: 'a maximum below the minimum is refused',
    batch: { body: invalidBatch('max-below-min.json') },
    heading: LOAD_FAILED,
    message: '问卷的设置有误，无法显示。请联系本网站的管理员。',
    details: 'choices.max (2) must be at least 1 and not below choices.min (3)',
  },
  {
    name: 'duplicate option ids are refused',
    batch: { body: invalidBatch('duplicate-option-ids.json') },
    heading: LOAD_FAILED,
    message: '问卷的设置有误，无法显示。请联系本网站的管理员。',
    details: 'option id "clinic-card" appears twice',
  },
  {
    name: 'a duplicate option id made of markup is shown as text in the details',
    batch: {
      body: batchBody((b) => {
        b.options[0].id = '<img src=x onerror="window.__pwned=3">';
        b.options[1].id = b.options[0].id;
      }),
    },
    heading: LOAD_FAILED,
    message: '问卷的设置有误，无法显示。请联系本网站的管理员。',
    details: 'option id "<img src=x onerror="window.__pwned=3">" appears twice',
  },
  {
    name: 'a batch without options is refused',
    batch: { body: invalidBatch('no-options.json') },
    heading: LOAD_FAILED,
    message: '问卷的设置有误，无法显示。请联系本网站的管理员。',
    details: 'the batch has no options',
  },
  {
    name: '404 says no survey is open',
    batch: { status: 404, content_type: 'application/problem+json', body: '{"type":"about:blank","title":"Not Found","status":404}' },
    heading: '目前没有正在征集的问卷',
    message: '新一批堵点征集开始后，会在这里发布。请稍后再来。',
    console: [STATUS_LINE(404)],
  },
  {
    name: '500 is a server failure that can be retried',
    batch: { status: 500, content_type: 'application/problem+json', body: '{"type":"about:blank","title":"Internal Server Error","status":500}' },
    heading: LOAD_FAILED,
    message: '问卷服务器出了问题（500）。请稍后重试。',
    retry: true,
    console: [STATUS_LINE(500)],
  },
  {
    name: 'a 5 MB body is not read',
    batch: { body: batchBody((b) => { b.description = '堵'.repeat(5 * 1024 * 1024 / 3); }) },
    heading: LOAD_FAILED,
    message: '问卷服务器的回复无法识别。请稍后重试。',
    retry: true,
  },
];

for (const broken of BROKEN_BATCHES) {
  test(`broken batch: ${broken.name}`, async (t) => {
    const collector = await collectorFor(t);
    await queueFaults(collector, { batch: broken.batch });
    const { page, errors } = await openPage(t, collector, { waitForForm: false });

    const screen = page.getByRole(broken.heading === LOAD_FAILED ? 'alert' : 'status')
      .filter({ has: page.getByRole('heading', { name: broken.heading }) });
    await screen.waitFor();
    await screen.getByText(broken.message, { exact: true }).waitFor();
    const details = screen.locator('details');
    if (broken.details) {
      await details.getByText('技术信息（供网站管理员参考）').click();
      const detail = details.locator('p');
      if (typeof broken.details === 'string') assert.equal(await detail.innerText(), broken.details);
      else assert.match(await detail.innerText(), broken.details);
    } else {
      assert.equal(await details.count(), 0, 'no technical details');
    }
    const retry = screen.getByRole('button', { name: '重试' });
    assert.equal(await retry.count(), broken.retry ? 1 : 0, broken.retry ? 'a retry button' : 'no retry button');
    assert.equal(await page.locator('form').count(), 0, 'no form');

    if (broken.retry) {
      // Once the endpoint is well again, the button brings the form.
      await clearFaults(collector);
      await retry.click();
      await submitButton(page).waitFor();
    }
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no markup from the endpoint ran');
    assert.equal((await counters(collector)).votes.received, 0, 'no vote was sent');
    assertOnlyExpectedErrors(errors, broken.console);
  });
}

// The two batches below are valid, only hostile: the collector serves them
// as its own batches (not as a fault), so that it also takes votes in them.

/** The open batch changed by `change`, as a batches file. */
function batchesFile(change) {
  const batch = structuredClone(BATCH);
  change(batch);
  return { batches: [batch] };
}

test('hostile batch: 200 options, one of 10,000 characters, render and take a vote', async (t) => {
  const long = `${'办事难'.repeat(3333)}。`;
  assert.equal(long.length, 10_000);
  const collector = await collectorFor(t, {
    batches: batchesFile((b) => {
      b.options = Array.from({ length: 200 }, (_, i) => ({ id: `option-${i}`, group: `第 ${Math.floor(i / 20) + 1} 组`, text: `第 ${i + 1} 个堵点` }));
      b.options[199].text = long;
    }),
  });
  const { page, errors } = await openPage(t, collector);
  assert.equal(await page.getByRole('checkbox').count(), 200);

  await page.getByLabel('省份', { exact: true }).selectOption({ label: '河北省' });
  await page.getByLabel('城市', { exact: true }).selectOption({ label: '石家庄市' });
  await page.getByLabel('区县', { exact: true }).selectOption({ label: '长安区' });
  await page.getByText(long, { exact: true }).click();
  assert.equal(await page.getByRole('checkbox', { name: long }).isChecked(), true);
  // The long text wraps within the widget: the page does not scroll sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  await submitButton(page).click();
  await shownReceiptCode(page);
  assert.deepEqual(queryDb(collector.dbPath, 'SELECT option_id FROM vote_choices'), [{ option_id: 'option-199' }]);
  assertOnlyExpectedErrors(errors);
});

test('hostile batch: markup in the batch is shown as text, runs nothing, and the vote still works', async (t) => {
  const collector = await collectorFor(t, {
    batches: batchesFile((b) => {
      b.title = `标题${HOSTILE}`;
      b.description = `说明${HOSTILE}`;
      b.options[0].text = `堵点${HOSTILE}`;
      b.options[0].group = `分组${HOSTILE}`;
      b.privacy_notice = `隐私${HOSTILE}`;
      b.translations = undefined;
    }),
  });
  const { page, errors } = await openPage(t, collector);

  await page.getByRole('heading', { name: `标题${HOSTILE}` }).waitFor();
  await page.getByText(`说明${HOSTILE}`, { exact: true }).waitFor();
  await page.getByRole('group', { name: `分组${HOSTILE}` }).waitFor();
  const hostile = page.getByRole('checkbox', { name: `堵点${HOSTILE}`, exact: true });
  assert.equal(await hostile.count(), 1, 'the option is labelled with the markup as text');
  // The privacy notice is shown once the citizen picks a real-name vote.
  await page.getByText('实名投票（实名票单独统计，每人每批次限投一次）', { exact: true }).click();
  await page.getByText(`隐私${HOSTILE}`, { exact: true }).waitFor();
  const elements = await page.locator('#bottleneck-survey').evaluate((host) => host.shadowRoot.querySelectorAll('script, img').length);
  assert.equal(elements, 0, 'no <script> or <img> element was made');
  await page.getByText('匿名投票', { exact: true }).click();

  await page.getByLabel('省份', { exact: true }).selectOption({ label: '河北省' });
  await page.getByLabel('城市', { exact: true }).selectOption({ label: '石家庄市' });
  await page.getByLabel('区县', { exact: true }).selectOption({ label: '长安区' });
  await page.getByText(`堵点${HOSTILE}`, { exact: true }).click();
  await submitButton(page).click();
  await shownReceiptCode(page);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no markup from the endpoint ran');
  assert.deepEqual(queryDb(collector.dbPath, 'SELECT option_id FROM vote_choices'), [{ option_id: BATCH.options[0].id }]);
  assertOnlyExpectedErrors(errors);
});

test('broken batch: an endpoint that refuses this site (CORS) cannot be reached', async (t) => {
  // The page is on 127.0.0.1; localhost is another origin, which this
  // collector (no --cors-origin) does not allow.
  const collector = await collectorFor(t);
  const endpoint = `${collector.url.replace('127.0.0.1', 'localhost')}/api/v1`;
  const { page, errors } = await openPage(t, collector, { waitForForm: false, query: `&endpoint=${encodeURIComponent(endpoint)}` });
  const screen = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: LOAD_FAILED }) });
  await screen.getByText(TEXT.network, { exact: true }).waitFor();
  await screen.getByRole('button', { name: '重试' }).waitFor();
  await auditAccessibility(page, 'batch-unreachable-zh-CN');
  assertOnlyExpectedErrors(errors, [/blocked by CORS policy/, NET_ERROR('ERR_FAILED')]);
});

test('broken batch: a batch that cannot load offline says so and loads once back online', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await newPage(browser, { locale: 'zh-CN' });
  t.after(() => page.close());
  // The page itself loads, wasm included; the network goes as the batch
  // request gets its answer. (embed.js sends that request while the wasm
  // downloads, so the answer is held until the wasm is in.)
  const wasmLoaded = page.waitForResponse((response) => response.url().endsWith('/bottleneck-survey_bg.wasm'))
    .then((response) => response.finished());
  await page.route('**/api/v1/batches/current', async (route) => {
    await wasmLoaded;
    await page.context().setOffline(true);
    await route.abort('internetdisconnected');
  });
  await page.goto(`${collector.url}/?lang=zh-CN`);
  const screen = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: LOAD_FAILED }) });
  await screen.getByText('没有网络连接。请检查手机或电脑的网络后重试。', { exact: true }).waitFor();

  await page.unroute('**/api/v1/batches/current');
  await page.context().setOffline(false);
  await screen.getByRole('button', { name: '重试' }).click();
  await submitButton(page).waitFor();
  assertOnlyExpectedErrors(errors, [NET_ERROR('ERR_INTERNET_DISCONNECTED')]);
});

test('broken batch: a batch that never comes is given up after 20 s with its own message', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await newPage(browser, { locale: 'zh-CN' });
  t.after(() => page.close());
  // The page's clock is Playwright's, so the 20 s limit passes at once.
  await page.clock.install();
  await page.route('**/api/v1/batches/current', () => {});
  await page.goto(`${collector.url}/?lang=zh-CN`);
  await page.getByRole('heading', { name: '正在加载问卷…' }).waitFor();
  await page.clock.runFor(20_000);
  const screen = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: LOAD_FAILED }) });
  await screen.getByText('问卷服务器长时间没有响应。请稍后重试。', { exact: true }).waitFor();
  await screen.getByRole('button', { name: '重试' }).waitFor();
  assertOnlyExpectedErrors(errors);
});

test('broken batch: a 5 MB batch streamed without a length is given up after 1 MB, not read to its end', async (t) => {
  const collector = await collectorFor(t);
  const huge = batchBody((b) => { b.description = '堵'.repeat(5 * 1024 * 1024 / 3); });
  const size = Buffer.byteLength(huge);
  // 64 KiB every 10 ms: the whole body would be through in under a second.
  await queueFaults(collector, { batch: { body: huge, stream: { chunk_bytes: 65536, every_ms: 10 } } });
  const { page, errors } = await openPage(t, collector, { waitForForm: false });
  const screen = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: LOAD_FAILED }) });
  await screen.getByText('问卷服务器的回复无法识别。请稍后重试。', { exact: true }).waitFor();
  // Had the widget kept the connection open, the rest would arrive within
  // this second; it hung up instead, so the count stays where it stopped.
  await page.waitForTimeout(1_000);
  const { batch } = await counters(collector);
  assert.ok(batch.bytes_streamed < size / 2, `the collector handed over ${batch.bytes_streamed} of ${size} bytes`);
  t.diagnostic(`the widget hung up after ${batch.bytes_streamed} of ${size} bytes`);
  assertOnlyExpectedErrors(errors);
});

test('broken batch: a batch that trickles in is given up 20 s after it was asked for', async (t) => {
  const collector = await collectorFor(t);
  // A valid batch, 64 bytes every half second: whole in about three minutes.
  const slow = batchBody((b) => { b.description = '堵点'.repeat(2000); });
  await queueFaults(collector, { batch: { body: slow, stream: { chunk_bytes: 64, every_ms: 500 } } });
  const { page, errors } = await newPage(browser, { locale: 'zh-CN' });
  t.after(() => page.close());
  // The page's clock is Playwright's: the 20 s limit passes when told.
  await page.clock.install();
  const headers = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/v1/batches/current');
  await page.goto(`${collector.url}/?lang=zh-CN`);
  assert.equal((await headers).status(), 200, 'the headers came at once');
  await page.getByRole('heading', { name: '正在加载问卷…' }).waitFor();
  await page.clock.runFor(20_000);
  const screen = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: LOAD_FAILED }) });
  await screen.getByText('问卷服务器长时间没有响应。请稍后重试。', { exact: true }).waitFor();
  const { batch } = await counters(collector);
  assert.ok(batch.bytes_streamed < Buffer.byteLength(slow), `only ${batch.bytes_streamed} bytes had come`);
  assertOnlyExpectedErrors(errors);
});

test('a trap in the wasm shows the crash screen, whose button reloads the page with the waiting vote', async (t) => {
  const collector = await collectorFor(t);
  await queueFaults(collector, { votes: [{ fail: 503, retry_after: '30', times: 1000 }] });
  const { page, errors } = await openPage(t, collector);
  await fillBallot(page);
  await submitButton(page).click();
  await page.getByText(TEXT.retryIn).waitFor();
  const waiting = await theOutboxEntry(page);

  await page.evaluate(() => {
    window.__beforeReload = true;
    window.dispatchEvent(new ErrorEvent('error', { error: new WebAssembly.RuntimeError('unreachable') }));
  });
  const screen = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: '出了点问题' }) });
  await screen.getByText('问卷遇到了意外错误。已保存在本设备的投票不会丢失，请重新加载页面。', { exact: true }).waitFor();
  assert.equal(await page.locator('form').count(), 0, 'the form is gone');
  await auditAccessibility(page, 'crash-zh-CN');

  await Promise.all([page.waitForEvent('load'), screen.getByRole('button', { name: '重新加载' }).click()]);
  await submitButton(page).waitFor();
  assert.equal(await page.evaluate(() => window.__beforeReload), undefined, 'the page was loaded afresh');
  assert.equal((await theOutboxEntry(page)).vote.vote_id, waiting.vote.vote_id, 'the waiting vote survived the crash');
  const ticked = BATCH.options.find((o) => o.id === 'repeat-tests').text;
  assert.equal(await page.getByRole('checkbox', { name: ticked, exact: true }).isChecked(), true, 'with its answers');
  assertOnlyExpectedErrors(errors, [STATUS_LINE(503)]);
});

test('the waiting state and a broken-batch screen have no serious or critical accessibility violations', async (t) => {
  const collector = await collectorFor(t);
  await queueFaults(collector, { votes: [{ fail: 503, retry_after: '30', times: 1000 }] });
  const { page } = await openPage(t, collector);
  await fillBallot(page);
  await submitButton(page).click();
  await page.getByText(TEXT.retryIn).waitFor();
  await auditAccessibility(page, 'waiting-zh-CN');

  await queueFaults(collector, { batch: { body: invalidBatch('max-below-min.json') } });
  const { page: broken } = await openPage(t, collector, { waitForForm: false });
  await broken.getByRole('heading', { name: LOAD_FAILED }).waitFor();
  await broken.locator('details summary').click();
  await auditAccessibility(broken, 'broken-batch-zh-CN');
});
