// The core vote flow, end to end: the release widget in dist/ served by the
// reference collector, driven in Chromium the way a citizen uses it, with
// the stored rows checked in the collector's SQLite database.
//
// Every test starts its own collector (fresh database) and opens its page in
// a new browser context (empty localStorage); only the Chromium process is
// shared, to keep the run short on a two-core machine.
//
// Waits are Playwright's own: actions and `locator.waitFor` wait for the
// element, `page.waitForResponse` for the endpoint's answer. No fixed sleeps.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  REPO_ROOT,
  assertNoA11yViolations,
  checkA11y,
  collectorFor,
  launchBrowser,
  newPage,
  queryDb,
  readExample,
  screenshot,
} from './harness.mjs';

/** The open batch of the demo batches file. */
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

/** Receipt codes: two groups of four symbols without 0/O and 1/I (collector/src/receipt.rs). */
const RECEIPT_CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

/** A phone held upright. */
const PHONE = { width: 390, height: 844 };

/** The WCAG levels we are held to. */
const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

const VOTES_PATH = '/api/v1/votes';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** Opens the standalone page in a fresh browser context and waits for the form. */
async function openForm(t, collector, { lang = 'zh-CN', viewport, submitLabel = lang === 'en' ? 'Submit' : '提交' } = {}) {
  const { page, errors } = await newPage(browser, { viewport, locale: lang });
  t.after(() => page.close());
  await page.goto(`${collector.url}/?lang=${lang}`);
  await page.getByRole('button', { name: submitLabel, exact: true }).waitFor();
  return { page, errors };
}

/** Counts the requests the page makes to `POST /api/v1/votes`. */
function countVoteRequests(page) {
  const seen = { count: 0 };
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === VOTES_PATH) seen.count += 1;
  });
  return seen;
}

/** Waits for the endpoint's answer to the vote. */
function voteResponse(page) {
  return page.waitForResponse((response) => new URL(response.url()).pathname === VOTES_PATH);
}

/** Picks province, city and county by their labels, waiting for each list to load. */
async function pickPlace(page, [province, city, county], labels = ['省份', '城市', '区县']) {
  const [provinceLabel, cityLabel, countyLabel] = labels;
  await page.getByLabel(provinceLabel, { exact: true }).selectOption({ label: province });
  // selectOption waits until the select is enabled and holds the option,
  // i.e. until the province's file has loaded.
  await page.getByLabel(cityLabel, { exact: true }).selectOption({ label: city });
  await page.getByLabel(countyLabel, { exact: true }).selectOption({ label: county });
}

/** A bottleneck's checkbox, found by its label: the option's text. */
function checkbox(page, text) {
  return page.getByRole('checkbox', { name: text, exact: true });
}

/**
 * Ticks a bottleneck the way a person does, by tapping its text. (The
 * label's ::after covers the whole row, box included, so that a tap anywhere
 * on it ticks the box; clicking the input itself would hit the label.)
 */
async function tick(page, text) {
  await page.getByText(text, { exact: true }).click();
  assert.equal(await checkbox(page, text).isChecked(), true, `ticked: ${text}`);
}

/** The receipt code shown under the term 回执编号 / Receipt number. */
async function shownReceiptCode(page, term = '回执编号') {
  await page.getByRole('term').filter({ hasText: term }).waitFor();
  const definitions = page.getByRole('definition');
  assert.equal(await definitions.count(), 1, 'the receipt shows exactly one code');
  return (await definitions.innerText()).trim();
}

/** The text of every element the control's aria-describedby names: what a screen reader reads after its label. */
function accessibleDescription(locator) {
  return locator.evaluate((control) => (control.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => control.getRootNode().getElementById(id)?.textContent ?? '')
    .join(' '));
}

/** Waits until `locator` holds the focus (inside the widget's shadow root too). */
async function waitForFocus(page, locator) {
  const handle = await locator.elementHandle();
  await page.waitForFunction((element) => element.getRootNode().activeElement === element, handle, { timeout: 5_000 });
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA) on the page as it is, fails on any
 * serious or critical violation, logs moderate and minor ones so they can be
 * fixed later, and saves a screenshot.
 */
async function auditAccessibility(page, label) {
  await screenshot(page, `vote-${label}`);
  const violations = await checkA11y(page, { label, axeOptions: AXE_OPTIONS });
  for (const v of violations.filter((v) => v.impact === 'moderate' || v.impact === 'minor')) {
    console.log(`axe (${label}): ${v.id} (${v.impact}): ${v.help} ${v.helpUrl}`);
    for (const node of v.nodes) console.log(`    ${node.target.join(' ')}  ${node.html}`);
  }
  assertNoA11yViolations(violations, { impact: 'serious', label });
}

/** The votes stored, with their choices in the order ticked. */
function storedVotes(collector) {
  return queryDb(collector.dbPath, 'SELECT * FROM votes ORDER BY counted_at').map((vote) => ({
    ...vote,
    choices: queryDb(collector.dbPath, `SELECT option_id FROM vote_choices WHERE vote_id = '${vote.vote_id}' ORDER BY position`)
      .map((row) => row.option_id),
  }));
}

test('a citizen votes on a phone in Chinese and gets a receipt for the vote that was stored', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector, { viewport: PHONE });

  await pickPlace(page, ['河北省', '石家庄市', '长安区']);
  await tick(page, optionText('repeat-tests'));
  await tick(page, optionText('remote-advance-pay'));
  await page.getByLabel('其他堵点（选填）').fill('办理居住证要跑三次派出所。');
  const answered = voteResponse(page);
  await page.getByRole('button', { name: '提交', exact: true }).click();
  assert.equal((await answered).status(), 201);

  await page.getByRole('heading', { name: '提交成功，感谢您的参与！' }).waitFor();
  const code = await shownReceiptCode(page);
  assert.match(code, RECEIPT_CODE);

  const votes = storedVotes(collector);
  assert.equal(votes.length, 1, 'exactly one vote is stored');
  const [vote] = votes;
  assert.equal(vote.batch_id, BATCH.id);
  assert.deepEqual([vote.province, vote.city, vote.county], ['130000', '130100', '130102']);
  assert.deepEqual(vote.choices, ['repeat-tests', 'remote-advance-pay']);
  assert.equal(vote.other, '办理居住证要跑三次派出所。');
  assert.equal(vote.locale, 'zh-CN');
  assert.equal(vote.receipt, code, 'the receipt shown is the one stored');
  assert.deepEqual(errors, []);
});

test('reloading the page after voting shows the same receipt and no form', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector);
  await pickPlace(page, ['河北省', '石家庄市', '长安区']);
  await tick(page, optionText('clinic-card'));
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.getByRole('heading', { name: '提交成功，感谢您的参与！' }).waitFor();
  const code = await shownReceiptCode(page);

  await page.reload();
  await page.getByRole('heading', { name: '您已在本批次投过票' }).waitFor();
  assert.equal(await shownReceiptCode(page), code);
  assert.equal(await page.getByRole('button', { name: '提交', exact: true }).count(), 0, 'no submit button');
  assert.equal(await page.getByLabel('省份', { exact: true }).count(), 0, 'no place fields');
  assert.equal(storedVotes(collector).length, 1);
  assert.deepEqual(errors, []);
});

test('submitting an empty form lists the problems, links to the fields and sends nothing', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector);
  const requests = countVoteRequests(page);

  await page.getByRole('button', { name: '提交', exact: true }).click();
  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: '请先处理以下问题' }) });
  await summary.waitFor();
  const provinceLink = summary.getByRole('link', { name: '请选择省份' });
  await provinceLink.waitFor();
  await summary.getByRole('link', { name: '请至少选择 1 项堵点' }).waitFor();
  // The place below an unanswered one is not nagged about yet.
  assert.equal(await summary.getByRole('link', { name: '请选择城市' }).count(), 0);

  const province = page.getByLabel('省份', { exact: true });
  assert.equal(await province.getAttribute('aria-invalid'), 'true');
  assert.match(await accessibleDescription(province), /请选择省份/, 'the message is read with the province select');
  await waitForFocus(page, summary);

  await provinceLink.click();
  await waitForFocus(page, province);

  assert.equal(requests.count, 0, `no request to ${VOTES_PATH}`);
  assert.equal(storedVotes(collector).length, 0);
  assert.deepEqual(errors, []);
});

test('a place the endpoint refuses is shown at the county field and nothing is stored', async (t) => {
  // The collector's regions lack 长安区 (130102) while the widget, from
  // dist/regions, still offers it: the endpoint answers 422 unknown_place.
  const regions = mkdtempSync(join(tmpdir(), 'bsv-e2e-regions-'));
  t.after(() => rmSync(regions, { recursive: true, force: true }));
  cpSync(join(REPO_ROOT, 'public', 'regions'), regions, { recursive: true });
  const hebeiPath = join(regions, '130000.json');
  const hebei = JSON.parse(readFileSync(hebeiPath, 'utf8'));
  const shijiazhuang = hebei.cities.find((city) => city.code === '130100');
  shijiazhuang.counties = shijiazhuang.counties.filter((county) => county.code !== '130102');
  writeFileSync(hebeiPath, JSON.stringify(hebei));

  const collector = await collectorFor(t, { args: ['--regions', regions] });
  const { page, errors } = await openForm(t, collector);
  await pickPlace(page, ['河北省', '石家庄市', '长安区']);
  await tick(page, optionText('pay-queues'));
  const answered = voteResponse(page);
  await page.getByRole('button', { name: '提交', exact: true }).click();
  assert.equal((await answered).status(), 422);

  const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: '请先处理以下问题' }) });
  await summary.getByRole('link', { name: '所选地点不在列表中，请重新选择' }).waitFor();
  const county = page.getByLabel('区县', { exact: true });
  assert.equal(await county.getAttribute('aria-invalid'), 'true');
  assert.match(await accessibleDescription(county), /所选地点不在列表中，请重新选择/);
  assert.equal(await page.getByLabel('省份', { exact: true }).getAttribute('aria-invalid'), null,
    'only the county is marked');
  assert.equal(storedVotes(collector).length, 0, 'no vote is stored');
  // Chromium reports every HTTP error response on the console; that one is expected.
  assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
});

test('a tick past the maximum is refused with a message and left unticked', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector);
  const ids = ['clinic-card', 'repeat-tests', 'no-timed-booking'];
  for (const id of ids) await tick(page, optionText(id));

  const fourth = optionText('pay-queues');
  await page.getByText(fourth, { exact: true }).click();
  await page.getByText('最多只能选 3 项').waitFor();
  assert.equal(await checkbox(page, fourth).isChecked(), false, 'the fourth box is not ticked');
  for (const id of ids) assert.equal(await checkbox(page, optionText(id)).isChecked(), true, `${id} stays ticked`);
  await page.getByText('已选 3/3').waitFor();
  assert.deepEqual(errors, []);
});

test('in English the form and the batch are in English and a vote is thanked in English', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector, { lang: 'en' });

  await page.getByRole('heading', { name: BATCH_EN.title }).waitFor();
  for (const label of ['Province', 'City', 'County or district']) {
    assert.equal(await page.getByLabel(label, { exact: true }).count(), 1, `a field labelled ${label}`);
  }
  await page.getByRole('group', { name: BATCH_EN.groups['看病就医'] }).waitFor();

  await pickPlace(page, ['河北省', '石家庄市', '长安区'], ['Province', 'City', 'County or district']);
  await tick(page, optionText('chronic-illness', 'en'));
  const answered = voteResponse(page);
  await page.getByRole('button', { name: 'Submit', exact: true }).click();
  assert.equal((await answered).status(), 201);
  await page.getByRole('heading', { name: 'Thank you, your vote has been counted' }).waitFor();
  const code = await shownReceiptCode(page, 'Receipt number');

  const votes = storedVotes(collector);
  assert.equal(votes.length, 1);
  assert.deepEqual(votes[0].choices, ['chronic-illness']);
  assert.equal(votes[0].locale, 'en');
  assert.equal(votes[0].receipt, code);
  assert.deepEqual(errors, []);
});

test('double-clicking submit sends one vote and stores one row', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector);
  const requests = countVoteRequests(page);
  await pickPlace(page, ['河北省', '石家庄市', '长安区']);
  await tick(page, optionText('card-replacement'));

  const answered = voteResponse(page);
  await page.getByRole('button', { name: '提交', exact: true }).dblclick();
  assert.equal((await answered).status(), 201);
  await page.getByRole('heading', { name: '提交成功，感谢您的参与！' }).waitFor();

  assert.equal(requests.count, 1, `one request to ${VOTES_PATH}`);
  assert.equal(storedVotes(collector).length, 1);
  assert.deepEqual(errors, []);
});

test('two clicks on submit within one task send one vote and store one row', async (t) => {
  // Harsher than dblclick: the second click comes before the page could
  // re-render the button as disabled, so only the form's own guard stops it.
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector);
  const requests = countVoteRequests(page);
  await pickPlace(page, ['河北省', '石家庄市', '长安区']);
  await tick(page, optionText('card-replacement'));

  const answered = voteResponse(page);
  await page.getByRole('button', { name: '提交', exact: true }).evaluate((button) => {
    button.click();
    button.click();
  });
  assert.equal((await answered).status(), 201);
  await page.getByRole('heading', { name: '提交成功，感谢您的参与！' }).waitFor();

  assert.equal(requests.count, 1, `one request to ${VOTES_PATH}`);
  assert.equal(storedVotes(collector).length, 1);
  assert.deepEqual(errors, []);
});

test('the loaded form has no serious or critical accessibility violations', async (t) => {
  const collector = await collectorFor(t);
  const { page } = await openForm(t, collector, { viewport: PHONE });
  await auditAccessibility(page, 'form-zh-CN');
});

test('the form with validation errors has no serious or critical accessibility violations', async (t) => {
  const collector = await collectorFor(t);
  const { page } = await openForm(t, collector, { viewport: PHONE });
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.getByRole('link', { name: '请选择省份' }).waitFor();
  await auditAccessibility(page, 'validation-errors-zh-CN');
});

test('the receipt screen has no serious or critical accessibility violations', async (t) => {
  const collector = await collectorFor(t);
  const { page } = await openForm(t, collector, { viewport: PHONE });
  await pickPlace(page, ['河北省', '石家庄市', '长安区']);
  await tick(page, optionText('repeat-tests'));
  await page.getByRole('button', { name: '提交', exact: true }).click();
  await page.getByRole('heading', { name: '提交成功，感谢您的参与！' }).waitFor();
  // Let the results arrive so the screen is checked as the citizen sees it.
  await page.getByText('共 1 票').waitFor();
  await auditAccessibility(page, 'receipt-zh-CN');
});

test('the English form has no serious or critical accessibility violations', async (t) => {
  const collector = await collectorFor(t);
  const { page } = await openForm(t, collector, { lang: 'en' });
  await page.getByRole('heading', { name: BATCH_EN.title }).waitFor();
  await auditAccessibility(page, 'form-en');
});
