// Real-name voting, end to end: the release widget in dist/ and the reference
// collector started with --dev-sms, which sends no SMS and writes each code
// to its log (stderr), where these tests read it as a citizen reads a text.
//
// Every test starts its own collector (fresh database, fresh rate limits) and
// opens its pages in new browser contexts; only Chromium is shared.
//
// Waits are Playwright's own (actions, `waitFor`, `waitForResponse`). One
// fixed wait remains, saying why it is long enough: it proves an absence (a
// refused vote is not sent again).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import {
  assertNoA11yViolations,
  checkA11y,
  launchBrowser,
  newPage,
  queryDb,
  readExample,
  screenshot,
  startCollector,
} from './harness.mjs';

/** The open batch of the demo batches file: `real_name: optional`. */
const BATCH = readExample('batch-open.json');

/** A phone held upright. */
const PHONE = { width: 390, height: 844 };

/** The WCAG levels we are held to. */
const AXE_OPTIONS = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

const VOTES_PATH = '/api/v1/votes';
const VERIFICATIONS_PATH = '/api/v1/verifications';

/** A well-formed identity (GB 11643 example number, check character X). */
const ZHANG_SAN = { name: '张三', idNumber: '11010519491231002X', phone: '13800138000' };

/** The texts of src/i18n/zh_cn.rs the tests look for. */
const TEXT = {
  realNameLegend: '实名投票',
  anonymous: '匿名投票',
  realName: '实名投票（实名票单独统计，每人每批次限投一次）',
  privacyTitle: '个人信息保护说明',
  consent: /^我已阅读上述说明/,
  name: '姓名',
  idNumber: '身份证号',
  phone: '手机号',
  sendCode: '获取验证码',
  codeSent: '验证码已发送，请查看手机短信。',
  code: '短信验证码',
  confirm: '确认',
  verifiedAs: (name) => `已核验身份：${name}`,
  submit: '提交',
  receiptTitle: '提交成功，感谢您的参与！',
  insecure: '问卷服务地址未加密，为保护您的个人信息，不能在此实名投票。',
  nameMissing: '请输入姓名',
  idMissing: '请输入身份证号',
  phoneMissing: '请输入手机号',
  idChecksum: '身份证号最后一位校验不符，请检查是否输错',
  idBirthDate: '身份证号中的出生日期无效，请检查',
  phoneInvalid: '请输入 11 位大陆手机号',
  codeWrong: '验证码不正确，请核对短信',
  alreadyVoted: '您已经在本批次用实名投过票了',
};

/** GB 11643-1999: the check character of 17 digits (ISO 7064 MOD 11-2). */
function withCheckCharacter(body) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** Starts a collector with development SMS that the test stops when it ends. */
async function collectorFor(t, { args = [], ...options } = {}) {
  const collector = await startCollector({ args: ['--dev-sms', ...args], ...options });
  t.after(() => collector.stop());
  return collector;
}

/**
 * Opens the standalone page in a fresh browser context, waits for the form,
 * and records every request the page makes (method, URL, body).
 */
async function openForm(t, collector, { viewport = PHONE, query = '' } = {}) {
  const { page, errors } = await newPage(browser, { viewport, locale: 'zh-CN' });
  t.after(() => page.close());
  const requests = [];
  page.on('request', (request) => {
    requests.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' });
  });
  await page.goto(`${collector.url}/?lang=zh-CN${query}`);
  await page.getByRole('button', { name: TEXT.submit, exact: true }).waitFor();
  return { page, errors, requests };
}

/** The requests recorded by openForm to a path of the endpoint, e.g. POST /api/v1/votes. */
function requestsTo(requests, method, path) {
  return requests.filter((r) => r.method === method && new URL(r.url).pathname === path);
}

/** Picks province, city and county by their labels, waiting for each list to load. */
async function pickPlace(page, [province, city, county] = ['河北省', '石家庄市', '长安区']) {
  await page.getByLabel('省份', { exact: true }).selectOption({ label: province });
  await page.getByLabel('城市', { exact: true }).selectOption({ label: city });
  await page.getByLabel('区县', { exact: true }).selectOption({ label: county });
}

/** Ticks a bottleneck by tapping its text, as vote.test.mjs does. */
async function tick(page, optionId = 'repeat-tests') {
  const text = BATCH.options.find((o) => o.id === optionId).text;
  await page.getByText(text, { exact: true }).click();
  assert.equal(await page.getByRole('checkbox', { name: text, exact: true }).isChecked(), true, `ticked: ${optionId}`);
}

/** The real-name fieldset. */
function realNameBlock(page) {
  return page.getByRole('group', { name: TEXT.realNameLegend, exact: true });
}

/** The "how do you want to vote" radio: 'anonymous' or 'real name'. */
function modeRadio(page, mode) {
  return realNameBlock(page).getByRole('radio', { name: mode === 'anonymous' ? TEXT.anonymous : TEXT.realName, exact: true });
}

/** The identity inputs, by their labels. */
function identityInputs(page) {
  return {
    name: page.getByLabel(TEXT.name, { exact: true }),
    idNumber: page.getByLabel(TEXT.idNumber, { exact: true }),
    phone: page.getByLabel(TEXT.phone, { exact: true }),
  };
}

/** Chooses to vote under one's name and waits for the privacy notice. */
async function chooseRealName(page) {
  await modeRadio(page, 'real name').check();
  await page.getByRole('heading', { name: TEXT.privacyTitle, exact: true }).waitFor();
}

/** Ticks the consent box and waits for the identity fields. */
async function consent(page) {
  await page.getByRole('checkbox', { name: TEXT.consent }).check();
  await identityInputs(page).name.waitFor();
}

/** Types an identity into the three fields. */
async function fillIdentity(page, { name, idNumber, phone }) {
  const inputs = identityInputs(page);
  await inputs.name.fill(name);
  await inputs.idNumber.fill(idNumber);
  await inputs.phone.fill(phone);
}

/**
 * Asks for a code and reads it from the collector's log, as the citizen
 * reads the text message. Returns the code and the verification id.
 */
async function sendCode(page, collector) {
  const created = page.waitForResponse((response) => response.request().method() === 'POST'
    && new URL(response.url()).pathname === VERIFICATIONS_PATH);
  await page.getByRole('button', { name: TEXT.sendCode, exact: true }).click();
  const response = await created;
  assert.equal(response.status(), 201, `POST ${VERIFICATIONS_PATH} answers 201`);
  const { verification_id: verificationId } = await response.json();
  await page.getByLabel(TEXT.code, { exact: true }).waitFor();
  return { code: await codeFromLog(collector, verificationId), verificationId };
}

/**
 * The code the collector wrote to its log (stderr) for a verification. The
 * line is written before the 201 is answered; the pipe may still hold it
 * for a moment, so look for up to 5 s.
 */
async function codeFromLog(collector, verificationId) {
  const line = new RegExp(`DEVELOPMENT SMS \\(no message was sent\\): verification ${verificationId} code (\\d{6})\\b`);
  const deadline = Date.now() + 5_000;
  for (;;) {
    const match = line.exec(collector.output().stderr);
    if (match) return match[1];
    if (Date.now() > deadline) {
      assert.fail(`no development SMS line for verification ${verificationId} in the collector's log:\n${collector.output().stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Types the code, confirms it, and returns the endpoint's answer. */
async function enterCode(page, code) {
  const confirmed = page.waitForResponse((response) => /\/api\/v1\/verifications\/[^/]+\/confirm$/.test(new URL(response.url()).pathname));
  await page.getByLabel(TEXT.code, { exact: true }).fill(code);
  await page.getByRole('button', { name: TEXT.confirm, exact: true }).click();
  return confirmed;
}

/** A six-digit code that is certainly not `code`. */
function otherCode(code) {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** Goes from "real name" through consent, identity and code to "verified as 张*". */
async function verify(page, collector, identity = ZHANG_SAN) {
  await chooseRealName(page);
  await consent(page);
  await fillIdentity(page, identity);
  const { code } = await sendCode(page, collector);
  const confirmed = await enterCode(page, code);
  assert.equal(confirmed.status(), 200, 'the right code is accepted');
  await realNameBlock(page).getByText(TEXT.verifiedAs(`${identity.name[0]}*`), { exact: true }).waitFor();
}

/** Submits and returns the endpoint's answer to the vote. */
async function submit(page) {
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === VOTES_PATH);
  await page.getByRole('button', { name: TEXT.submit, exact: true }).click();
  return answered;
}

/** A real-name vote on one page: place, one choice, verification, submit, receipt. */
async function voteUnderRealName(page, collector, identity = ZHANG_SAN) {
  await pickPlace(page);
  await tick(page);
  await verify(page, collector, identity);
  const answered = await submit(page);
  assert.equal(answered.status(), 201, 'the vote is counted');
  await page.getByRole('heading', { name: TEXT.receiptTitle }).waitFor();
}

/** The stored votes, with what says whether each is a real-name vote. */
function storedVotes(collector) {
  return queryDb(collector.dbPath,
    'SELECT vote_id, receipt, real_name, length(real_name_key) AS key_length FROM votes ORDER BY counted_at');
}

/** The message at a field and the field's ARIA state, as a screen reader meets them. */
function fieldState(field) {
  return field.evaluate((control) => ({
    invalid: control.getAttribute('aria-invalid'),
    description: (control.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => control.getRootNode().getElementById(id)?.textContent ?? '')
      .join(' '),
  }));
}

/** Asserts a field is marked invalid and described by `message`. */
async function assertFieldError(field, message, what) {
  const state = await fieldState(field);
  assert.equal(state.invalid, 'true', `${what} has aria-invalid="true"`);
  assert.ok(state.description.includes(message), `${what} is described by "${message}", got "${state.description}"`);
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA) on the page as it is, fails on any
 * serious or critical violation, logs moderate and minor ones, and saves a
 * screenshot.
 */
async function auditAccessibility(page, label) {
  await screenshot(page, `real-name-${label}`);
  const violations = await checkA11y(page, { label, axeOptions: AXE_OPTIONS });
  for (const v of violations.filter((v) => v.impact === 'moderate' || v.impact === 'minor')) {
    console.log(`axe (${label}): ${v.id} (${v.impact}): ${v.help} ${v.helpUrl}`);
    for (const node of v.nodes) console.log(`    ${node.target.join(' ')}  ${node.html}`);
  }
  assertNoA11yViolations(violations, { impact: 'serious', label });
}

/** Chromium reports every HTTP error answer on the console; those of `statuses` are expected. */
function unexpectedErrors(errors, statuses = []) {
  return errors.filter((e) => !statuses.some((status) => e.includes(`status of ${status}`)));
}

/**
 * Everything the page keeps or shows where a name, ID number or phone must
 * not be: web storage, IndexedDB, cookies, the address, the whole DOM
 * (shadow roots included) and every control's current value.
 */
function pageTraces(page) {
  return page.evaluate(async () => {
    const dump = (storage) => JSON.stringify(Object.fromEntries(
      Array.from({ length: storage.length }, (_, i) => storage.key(i)).map((key) => [key, storage.getItem(key)]),
    ));
    const request = (r) => new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const databases = await indexedDB.databases();
    const indexed = [];
    for (const { name } of databases) {
      const db = await request(indexedDB.open(name));
      for (const store of db.objectStoreNames) {
        const objects = db.transaction(store, 'readonly').objectStore(store);
        const [keys, values] = await Promise.all([request(objects.getAllKeys()), request(objects.getAll())]);
        indexed.push(JSON.stringify({ name, store, keys, values }));
      }
      db.close();
    }
    const dom = [document.documentElement.outerHTML];
    const visit = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (typeof element.value === 'string') dom.push(element.value);
        if (element.shadowRoot) {
          dom.push(element.shadowRoot.innerHTML);
          visit(element.shadowRoot);
        }
      }
    };
    visit(document);
    return {
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      indexedDB: `${databases.length} database(s)\n${indexed.join('\n')}`,
      cookie: document.cookie,
      url: location.href,
      history: `${JSON.stringify(history.state)} ${window.name}`,
      dom: dom.join('\n'),
    };
  });
}

/** The strings that identify the citizen: name, ID number in both cases, phone. */
function secretsOf({ name, idNumber, phone }) {
  return [name, idNumber.toUpperCase(), idNumber.toLowerCase(), phone];
}

test('a citizen votes under their real name on a phone and the vote counts as a real-name vote', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors, requests } = await openForm(t, collector);

  await pickPlace(page);
  await tick(page, 'repeat-tests');
  await chooseRealName(page);
  await consent(page);
  await fillIdentity(page, ZHANG_SAN);
  const { code } = await sendCode(page, collector);
  await page.getByRole('status').filter({ hasText: TEXT.codeSent }).waitFor();
  assert.equal((await enterCode(page, code)).status(), 200);
  await realNameBlock(page).getByText(TEXT.verifiedAs('张*'), { exact: true }).waitFor();

  const answered = await submit(page);
  assert.equal(answered.status(), 201);
  const receipt = await answered.json();
  assert.equal(receipt.real_name, true, 'the receipt says real name');
  await page.getByRole('heading', { name: TEXT.receiptTitle }).waitFor();
  await page.getByRole('term').filter({ hasText: '回执编号' }).waitFor();
  assert.equal((await page.getByRole('definition').innerText()).trim(), receipt.receipt, 'the receipt shown is the one sent');
  await page.getByText('共 1 票，其中实名 1 票').waitFor();

  const [vote] = requestsTo(requests, 'POST', VOTES_PATH);
  assert.match(JSON.parse(vote.body).verification_token, /^v1\./, 'the vote carries the token');

  const votes = storedVotes(collector);
  assert.equal(votes.length, 1, 'exactly one vote is stored');
  assert.equal(votes[0].receipt, receipt.receipt);
  assert.equal(votes[0].real_name, 1, 'stored as a real-name vote');
  assert.equal(votes[0].key_length, 32, 'with its 32-byte person key');

  const results = await (await fetch(`${collector.url}/api/v1/batches/${BATCH.id}/results`)).json();
  assert.equal(results.total, 1);
  assert.equal(results.real_name_total, 1);
  assert.deepEqual(errors, []);
});

const REFUSED_IN_THE_PAGE = [
  {
    title: 'an ID number whose check character is wrong is refused in the page and nothing is sent',
    identity: { ...ZHANG_SAN, idNumber: '110105194912310021' },
    field: 'idNumber',
    message: TEXT.idChecksum,
  },
  {
    title: 'a phone number that is not a mainland mobile is refused in the page and nothing is sent',
    identity: { ...ZHANG_SAN, phone: '12800138000' },
    field: 'phone',
    message: TEXT.phoneInvalid,
  },
  {
    title: 'an ID number born in the future is refused in the page and nothing is sent',
    // A right check character, so only the birth date (2099-12-31) is wrong.
    identity: { ...ZHANG_SAN, idNumber: withCheckCharacter('11010520991231001') },
    field: 'idNumber',
    message: TEXT.idBirthDate,
  },
];

for (const { title, identity, field, message } of REFUSED_IN_THE_PAGE) {
  test(title, async (t) => {
    const collector = await collectorFor(t);
    const { page, errors, requests } = await openForm(t, collector);
    await chooseRealName(page);
    await consent(page);
    await fillIdentity(page, identity);
    await page.getByRole('button', { name: TEXT.sendCode, exact: true }).click();

    const inputs = identityInputs(page);
    await realNameBlock(page).getByText(message).waitFor();
    await assertFieldError(inputs[field], message, field);
    for (const [other, input] of Object.entries(inputs).filter(([name]) => name !== field)) {
      assert.equal((await fieldState(input)).invalid, null, `${other} is not marked`);
    }
    assert.equal(await page.getByLabel(TEXT.code, { exact: true }).count(), 0, 'no code field');
    assert.deepEqual(requests.filter((r) => new URL(r.url).pathname.startsWith(VERIFICATIONS_PATH)), [],
      `no request to ${VERIFICATIONS_PATH}`);
    assert.deepEqual(errors, []);
  });
}

test('after a real-name vote the page keeps no trace of the name, ID number or phone', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors, requests } = await openForm(t, collector);
  const consoleMessages = [];
  const pageErrors = [];
  page.on('console', (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));

  await pickPlace(page);
  await tick(page);
  await chooseRealName(page);
  await consent(page);
  await fillIdentity(page, ZHANG_SAN);
  const { code } = await sendCode(page, collector);
  assert.equal((await enterCode(page, code)).status(), 200);
  await realNameBlock(page).getByText(TEXT.verifiedAs('张*'), { exact: true }).waitFor();

  // Verified: the identity fields are gone, not merely hidden.
  for (const [field, input] of Object.entries(identityInputs(page))) {
    assert.equal(await input.count(), 0, `no ${field} field once verified`);
  }
  const verifiedTraces = await pageTraces(page);
  for (const secret of secretsOf(ZHANG_SAN)) {
    assert.ok(!verifiedTraces.dom.includes(secret), `the verified widget's DOM holds no "${secret}"`);
  }

  assert.equal((await submit(page)).status(), 201);
  await page.getByRole('heading', { name: TEXT.receiptTitle }).waitFor();
  await page.getByText('共 1 票，其中实名 1 票').waitFor();

  const traces = {
    ...(await pageTraces(page)),
    requestUrls: requests.map((r) => r.url).join('\n'),
    console: consoleMessages.join('\n'),
    pageErrors: pageErrors.join('\n'),
  };
  for (const [where, text] of Object.entries(traces)) {
    for (const secret of secretsOf(ZHANG_SAN)) {
      assert.ok(!text.includes(secret), `${where} holds "${secret}":\n${text}`);
    }
  }

  // The identity went in one request, to the verification path, and in no other.
  const carrying = requests.filter((r) => secretsOf(ZHANG_SAN).some((s) => r.body.includes(s) || r.url.includes(s)));
  assert.deepEqual(carrying.map((r) => `${r.method} ${r.url}`), [`POST ${collector.url}${VERIFICATIONS_PATH}`]);
  const sent = JSON.parse(carrying[0].body);
  assert.deepEqual([sent.name, sent.id_number, sent.phone], [ZHANG_SAN.name, ZHANG_SAN.idNumber, ZHANG_SAN.phone]);
  assert.equal(sent.batch_id, BATCH.id);
  const votes = requestsTo(requests, 'POST', VOTES_PATH);
  assert.equal(votes.length, 1);
  for (const secret of secretsOf(ZHANG_SAN)) {
    assert.ok(!votes[0].body.includes(secret), `the vote's body holds no "${secret}"`);
  }

  // Nor does the collector keep them: not in its log, not in its database files.
  const { stdout, stderr } = collector.output();
  const stored = ['', '-wal', '-journal'].map((suffix) => `${collector.dbPath}${suffix}`).filter(existsSync)
    .map((path) => readFileSync(path));
  for (const secret of secretsOf(ZHANG_SAN)) {
    assert.ok(!`${stdout}\n${stderr}`.includes(secret), `the collector's log holds no "${secret}"`);
    for (const bytes of stored) assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `the database holds no "${secret}"`);
  }
  assert.deepEqual(errors, []);
});

test('a second real-name vote by the same person in the batch is refused once, said so, and not stored', async (t) => {
  const collector = await collectorFor(t);
  const first = await openForm(t, collector);
  await voteUnderRealName(first.page, collector);
  assert.equal(storedVotes(collector).length, 1);

  // Another browser, the same person. The collector sends one code a minute
  // per phone, so this time the same name and ID number come with another
  // phone: the person key is made from the ID number alone.
  const second = await openForm(t, collector);
  await pickPlace(second.page, ['广东省', '广州市', '越秀区']);
  await tick(second.page, 'pension-alive-check');
  await verify(second.page, collector, { ...ZHANG_SAN, phone: '13900139000' });
  const answered = await submit(second.page);
  assert.equal(answered.status(), 409);

  const failure = second.page.getByRole('alert').filter({ hasText: TEXT.alreadyVoted });
  await failure.waitFor();
  assert.equal(await second.page.getByRole('heading', { name: TEXT.receiptTitle }).count(), 0, 'no receipt');
  await auditAccessibility(second.page, 'already-voted');

  // A refused vote leaves the outbox, and the button is back to "submit":
  // nothing is left to send. The first automatic retry of a vote that may
  // still pass comes after at most 2 s (src/retry.rs, BASE_MS), so 2.5 s of
  // quiet shows there is none.
  await second.page.getByRole('button', { name: TEXT.submit, exact: true }).waitFor();
  const outbox = await second.page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('bsv.outbox.')));
  assert.deepEqual(outbox, [], 'no vote waits in the outbox');
  await second.page.waitForTimeout(2_500);
  assert.equal(requestsTo(second.requests, 'POST', VOTES_PATH).length, 1, `one POST ${VOTES_PATH} in the second browser`);

  const votes = storedVotes(collector);
  assert.equal(votes.length, 1, 'no second row');
  const results = await (await fetch(`${collector.url}/api/v1/batches/${BATCH.id}/results`)).json();
  assert.equal(results.real_name_total, 1);
  assert.deepEqual(unexpectedErrors(second.errors, [409]), []);
});

test('a wrong code is refused at the code field and the right code afterwards verifies', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector);
  await pickPlace(page);
  await tick(page);
  await chooseRealName(page);
  await consent(page);
  await fillIdentity(page, ZHANG_SAN);
  const { code } = await sendCode(page, collector);

  assert.equal((await enterCode(page, otherCode(code))).status(), 422);
  const codeField = page.getByLabel(TEXT.code, { exact: true });
  await realNameBlock(page).getByText(TEXT.codeWrong).waitFor();
  await assertFieldError(codeField, TEXT.codeWrong, 'the code field');
  assert.equal(await page.getByText(TEXT.verifiedAs('张*')).count(), 0, 'not verified');

  assert.equal((await enterCode(page, code)).status(), 200);
  await realNameBlock(page).getByText(TEXT.verifiedAs('张*'), { exact: true }).waitFor();
  assert.equal((await submit(page)).status(), 201);
  await page.getByRole('heading', { name: TEXT.receiptTitle }).waitFor();
  assert.equal(storedVotes(collector)[0].real_name, 1);
  assert.deepEqual(unexpectedErrors(errors, [422]), []);
});

test('switching back to anonymous forgets the identity typed and the vote is stored as anonymous', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors, requests } = await openForm(t, collector);
  await pickPlace(page);
  await tick(page);
  await chooseRealName(page);
  await consent(page);
  await fillIdentity(page, ZHANG_SAN);

  await modeRadio(page, 'anonymous').check();
  await page.getByRole('heading', { name: TEXT.privacyTitle }).waitFor({ state: 'detached' });
  for (const [field, input] of Object.entries(identityInputs(page))) {
    assert.equal(await input.count(), 0, `no ${field} field when anonymous`);
  }

  await chooseRealName(page);
  const consentBox = page.getByRole('checkbox', { name: TEXT.consent });
  assert.equal(await consentBox.isChecked(), false, 'consent must be given again');
  await consent(page);
  for (const [field, input] of Object.entries(identityInputs(page))) {
    assert.equal(await input.inputValue(), '', `${field} is empty again`);
  }
  const traces = await pageTraces(page);
  for (const secret of secretsOf(ZHANG_SAN)) assert.ok(!traces.dom.includes(secret), `the DOM holds no "${secret}"`);

  await modeRadio(page, 'anonymous').check();
  assert.equal((await submit(page)).status(), 201);
  await page.getByRole('heading', { name: TEXT.receiptTitle }).waitFor();

  const [vote] = requestsTo(requests, 'POST', VOTES_PATH);
  assert.equal(JSON.parse(vote.body).verification_token ?? null, null, 'the vote carries no token');
  assert.deepEqual(requests.filter((r) => new URL(r.url).pathname.startsWith(VERIFICATIONS_PATH)), [],
    `no request to ${VERIFICATIONS_PATH}`);
  const votes = storedVotes(collector);
  assert.equal(votes.length, 1);
  assert.equal(votes[0].real_name, 0, 'stored as anonymous');
  assert.equal(votes[0].key_length, null, 'with no person key');
  assert.deepEqual(errors, []);
});

test('an endpoint on plain http across a network is not offered real names, and anonymous votes still go', async (t) => {
  // The page names an http endpoint that is not a loopback address.
  // Playwright answers its requests from the collector, so the batch loads
  // as if from a real server there; the widget must not take real names for it.
  const insecure = 'http://bsv-collector.example.invalid/api/v1';
  const collector = await collectorFor(t, { args: ['--cors-origin', '*'] });
  const { page, errors } = await newPage(browser, { viewport: PHONE, locale: 'zh-CN' });
  t.after(() => page.close());
  const requests = [];
  page.on('request', (request) => requests.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' }));
  await page.route('http://bsv-collector.example.invalid/**', async (route) => {
    const url = new URL(route.request().url());
    try {
      const response = await route.fetch({ url: `${collector.url}${url.pathname}${url.search}` });
      await route.fulfill({ response });
    } catch {
      // The collector or the page went away as the test ended: the request fails as it would.
      await route.abort().catch(() => {});
    }
  });
  await page.goto(`${collector.url}/?lang=zh-CN&endpoint=${encodeURIComponent(insecure)}`);
  await page.getByRole('button', { name: TEXT.submit, exact: true }).waitFor();

  await realNameBlock(page).getByText(TEXT.insecure, { exact: true }).waitFor();
  assert.equal(await modeRadio(page, 'real name').isDisabled(), true, 'the real-name choice is disabled');
  assert.equal(await modeRadio(page, 'anonymous').isChecked(), true, 'anonymous is chosen');
  assert.equal(await page.getByRole('heading', { name: TEXT.privacyTitle }).count(), 0, 'no privacy notice');
  assert.equal(await identityInputs(page).name.count(), 0, 'no identity fields');
  await auditAccessibility(page, 'insecure-endpoint');

  await pickPlace(page);
  await tick(page);
  const answered = page.waitForResponse((response) => response.url() === `${insecure}/votes`);
  await page.getByRole('button', { name: TEXT.submit, exact: true }).click();
  assert.equal((await answered).status(), 201);
  await page.getByRole('heading', { name: TEXT.receiptTitle }).waitFor();
  await page.getByText('共 1 票，其中实名 0 票').waitFor();
  assert.equal(storedVotes(collector)[0].real_name, 0);
  assert.deepEqual(requests.filter((r) => r.url.includes('/verifications')), [], 'no verification request');
  assert.deepEqual(errors, []);
});

test('every real-name state has no serious or critical accessibility violations', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector);
  await pickPlace(page);
  await tick(page);

  await chooseRealName(page);
  await auditAccessibility(page, 'privacy-notice-and-consent');

  await consent(page);
  await auditAccessibility(page, 'identity-fields');

  await page.getByRole('button', { name: TEXT.sendCode, exact: true }).click();
  await realNameBlock(page).getByText(TEXT.nameMissing).waitFor();
  await auditAccessibility(page, 'identity-fields-empty-errors');

  await fillIdentity(page, { name: '张三', idNumber: '110105194912310021', phone: '12800138000' });
  await page.getByRole('button', { name: TEXT.sendCode, exact: true }).click();
  await realNameBlock(page).getByText(TEXT.idChecksum).waitFor();
  await realNameBlock(page).getByText(TEXT.phoneInvalid).waitFor();
  await auditAccessibility(page, 'identity-fields-format-errors');

  await fillIdentity(page, ZHANG_SAN);
  const { code } = await sendCode(page, collector);
  await auditAccessibility(page, 'code-entry');

  await enterCode(page, otherCode(code));
  await realNameBlock(page).getByText(TEXT.codeWrong).waitFor();
  await auditAccessibility(page, 'code-wrong');

  await enterCode(page, code);
  await realNameBlock(page).getByText(TEXT.verifiedAs('张*'), { exact: true }).waitFor();
  await auditAccessibility(page, 'verified');

  assert.equal((await submit(page)).status(), 201);
  await page.getByText('共 1 票，其中实名 1 票').waitFor();
  await auditAccessibility(page, 'receipt-real-name');
  assert.deepEqual(unexpectedErrors(errors, [422]), []);
});

test('the receipt stays on screen when the code countdown ticks after the vote', async (t) => {
  // Playwright's clock holds the page's timers, so the countdown's next
  // tick waits until the receipt is on screen, as it does for a citizen
  // whose vote is answered within a second of confirming the code.
  const collector = await collectorFor(t);
  const { page, errors } = await newPage(browser, { viewport: PHONE, locale: 'zh-CN' });
  t.after(() => page.close());
  await page.clock.install();
  await page.goto(`${collector.url}/?lang=zh-CN`);
  await page.getByRole('button', { name: TEXT.submit, exact: true }).waitFor();
  await pickPlace(page);
  await tick(page);
  await chooseRealName(page);
  await consent(page);
  await fillIdentity(page, ZHANG_SAN);
  const { code } = await sendCode(page, collector);
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 10));
  assert.equal((await enterCode(page, code)).status(), 200);
  await realNameBlock(page).getByText(TEXT.verifiedAs('张*'), { exact: true }).waitFor();
  // The widget sends a submitted vote after a short random pause (so that
  // two tabs never both send it); run the clock through that pause only,
  // well short of the countdown's next tick a second away.
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === VOTES_PATH);
  await page.getByRole('button', { name: TEXT.submit, exact: true }).click();
  await page.clock.runFor(300);
  assert.equal((await answered).status(), 201);
  await page.getByRole('heading', { name: TEXT.receiptTitle }).waitFor();

  // The countdown's pending tick fires now.
  const thrown = await page.clock.runFor(2_000).then(() => null, (error) => error);
  assert.equal(thrown, null, `a timer threw once the receipt was shown: ${thrown?.message}`);
  assert.equal(await page.getByRole('heading', { name: TEXT.receiptTitle }).isVisible(), true, 'the receipt is still shown');
  assert.equal(await page.getByText('出了点问题').count(), 0, 'no crash screen');
  assert.deepEqual(errors, []);
});

test('name, ID number and phone typed key by key keep every character', async (t) => {
  const collector = await collectorFor(t);
  const { page, errors } = await openForm(t, collector);
  await chooseRealName(page);
  await consent(page);
  const inputs = identityInputs(page);
  for (const [field, value] of [['name', ZHANG_SAN.name], ['idNumber', ZHANG_SAN.idNumber], ['phone', ZHANG_SAN.phone]]) {
    await inputs[field].click();
    await page.keyboard.type(value);
    assert.equal(await inputs[field].inputValue(), value, `${field} holds all that was typed`);
  }
  assert.deepEqual(errors, []);
});
