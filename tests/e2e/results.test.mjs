// Closing the loop (issue 14), end to end: the release widget in dist/
// against the reference collector, in Debian's Chromium. After a vote the
// citizen compares the whole country with the province and city they voted
// for, a region with fewer than 10 votes is withheld, a bottleneck is drawn
// across the provinces with its numbers in a table, the earlier batches and
// a closed batch say what became of each bottleneck; and an endpoint of
// protocol v1 without these additions gets the national results only.
//
// The votes a region needs before it is shown are cast through the
// collector's own API (`castVotes`: `POST /api/v1/votes`, fresh vote ids);
// follow-up is published with `collector publish-follow-up`, as an organiser
// does. Accessibility (axe in both languages and care mode, reflow) and the
// README's screenshots of these screens are in results_accessibility.test.mjs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  collectorFor,
  launchBrowser,
  newPage,
  readExample,
  startStaticSite,
} from './harness.mjs';
import {
  BEIJING,
  SHIJIAZHUANG,
  TEXTS,
  demoFollowUp,
  seedRegions,
  startClosedCollector,
  voteInBrowser,
} from './results_harness.mjs';

const BATCH = readExample('batch-open.json');

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

async function pageFor(t, { lang = 'zh-CN', ...options } = {}) {
  const opened = await newPage(browser, { viewport: { width: 390, height: 844 }, locale: lang, timezoneId: 'Asia/Shanghai', ...options });
  t.after(() => opened.page.close());
  return opened;
}

/** Every request the page makes, as paths, in order. */
function recordRequests(page) {
  const paths = [];
  page.on('request', (request) => paths.push(new URL(request.url()).pathname));
  return paths;
}

const t = TEXTS['zh-CN'];

test('after a vote the results switch between the whole country, the province and the city voted for, each with its own numbers', async (tt) => {
  const collector = await collectorFor(tt);
  await seedRegions(collector);
  const { page, errors } = await pageFor(tt);
  await page.goto(`${collector.url}/`);
  await voteInBrowser(page, 'zh-CN', SHIJIAZHUANG, 'clinic-card');

  // 41 votes cast through the API and this one.
  await page.getByText('共 42 票，其中实名 0 票', { exact: true }).waitFor();
  const switcher = page.getByRole('group', { name: t.scopeLegend });
  const [nation, province, city] = [t.nation, t.province('河北省'), t.city('石家庄市')]
    .map((name) => switcher.getByRole('radio', { name, exact: true }));
  await city.waitFor();
  assert.equal(await nation.isChecked(), true, 'the whole country comes first');

  await province.check();
  await page.getByText('河北省：共 22 票，其中实名 0 票', { exact: true }).waitFor();
  // Every one of Hebei's 22 voters chose the clinic card: 11 in Shijiazhuang
  // and 10 in Tangshan through the API, and this vote.
  const first = page.locator('.bsv-results__item').first();
  assert.match(await first.innerText(), /到每个不同的医院[\s\S]*22 票 \(100%\)/);

  // The radios are one group: the arrow keys move between them.
  await province.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await city.isChecked(), true, 'ArrowDown chose the city');
  await page.getByText('石家庄市：共 12 票，其中实名 0 票', { exact: true }).waitFor();
  assert.deepEqual(errors, []);
});

test('a province with fewer than 10 votes says not enough votes yet, and no number that could single out a voter', async (tt) => {
  const collector = await collectorFor(tt);
  await seedRegions(collector);
  const { page, errors } = await pageFor(tt);
  await page.goto(`${collector.url}/`);
  // Beijing has 3 votes through the API; this is the fourth (Tianjin's 7
  // make the provinces left out 11).
  await voteInBrowser(page, 'zh-CN', BEIJING, 'repeat-tests');
  const switcher = page.getByRole('group', { name: t.scopeLegend });
  await switcher.getByRole('radio', { name: t.province('北京市'), exact: true }).check();
  await page.getByText(t.withheld('北京市'), { exact: true }).waitFor();
  assert.equal(await page.getByText(/北京市：共/).count(), 0, 'no count is shown for it');
  // Beijing is a municipality: its one city is Beijing itself, so no city is offered.
  assert.equal(await switcher.getByRole('radio').count(), 2);
  assert.deepEqual(errors, []);
});

test('the map of a bottleneck shades each province by its share, its table gives every number, and it is fetched only when opened', async (tt) => {
  const collector = await collectorFor(tt);
  await seedRegions(collector);
  const { page, errors } = await pageFor(tt);
  const requests = recordRequests(page);
  await page.goto(`${collector.url}/`);
  await voteInBrowser(page, 'zh-CN', SHIJIAZHUANG, 'clinic-card');
  const open = page.getByRole('button', { name: t.mapOpen, exact: true });
  await open.waitFor();
  assert.equal(requests.filter((path) => path === '/split_region_map.wasm').length, 0, 'not before it is asked for');
  assert.equal(await open.getAttribute('aria-expanded'), 'false');
  await open.click();
  const table = page.getByRole('table', { name: t.mapTable });
  await table.waitFor();
  assert.equal(await open.getAttribute('aria-expanded'), 'true');
  assert.ok(requests.includes('/split_region_map.wasm'), `the map's chunk was fetched: ${requests.filter((p) => p.endsWith('.wasm'))}`);

  // The most chosen bottleneck in the whole country first: 36 of the 42
  // voters chose the repeated tests, 22 the clinic card.
  const chosen = page.getByLabel(t.mapOption, { exact: true });
  assert.equal(await chosen.inputValue(), 'repeat-tests');
  const rows = async () => (await table.locator('tbody tr').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
  assert.deepEqual(await rows(), ['广东省 100.0%（10 人中 10 人）', '河北省 72.7%（22 人中 16 人）']);
  assert.match(await page.locator('.bsv-map__withheld').innerText(), /^暂不公布的省份（票数要足够多、至少 10 票才公布）：北京市、天津市、/);
  const tile = (name) => page.locator('.bsv-map__tile', { hasText: new RegExp(`^${name}$`) });
  assert.match(await tile('广东').getAttribute('class'), /bsv-map__tile--shade-4/, 'the highest share is darkest');
  assert.match(await tile('河北').getAttribute('class'), /bsv-map__tile--shade-3/, '72.7 % of a top of 100 % is the third shade');
  assert.match(await tile('北京').getAttribute('class'), /bsv-map__tile--withheld/);
  assert.match(await tile('台湾').getAttribute('class'), /bsv-map__tile--outside/);
  assert.equal(await page.getByRole('img', { name: t.mapAlt }).count(), 1, 'the picture says where its numbers are');

  await chosen.selectOption('clinic-card');
  await table.getByText('100.0%（22 人中 22 人）').waitFor();
  assert.deepEqual(await rows(), ['河北省 100.0%（22 人中 22 人）', '广东省 0.0%（10 人中 0 人）']);
  assert.deepEqual(errors, []);
});

test('the earlier batches list their dates, totals and what was done, and one opens with its outcome, focus following', async (tt) => {
  const collector = await collectorFor(tt, { followUp: demoFollowUp() });
  const { page, errors } = await pageFor(tt);
  const requests = recordRequests(page);
  await page.goto(`${collector.url}/`);
  await voteInBrowser(page, 'zh-CN', SHIJIAZHUANG, 'clinic-card');
  const open = page.getByRole('button', { name: t.historyOpen, exact: true });
  await open.waitFor();
  assert.equal(requests.filter((path) => path === '/split_history.wasm').length, 0, 'not before it is asked for');
  await open.click();
  const list = page.getByRole('heading', { name: t.historyTitle, exact: true });
  await list.waitFor();
  assert.ok(requests.includes('/split_history.wasm'));

  const items = page.locator('.bsv-history__item');
  assert.equal(await items.count(), 2, 'the two earlier batches; the one voted in is on screen already');
  const second = await items.nth(0).innerText();
  assert.match(second, /^第二批：商事服务领域办事堵点征集/, 'newest first');
  assert.match(second, /已结束 · 2018年5月25日 至 2018年6月14日/);
  assert.match(second, /共 0 票，其中实名 0 票/);
  assert.match(second, /办理情况：.*173/, 'its follow-up as the organiser published it');

  await items.nth(1).getByRole('button', { name: t.historyView, exact: true }).click();
  const heading = page.getByRole('heading', { name: '第一批：教育、身份证明领域办事堵点征集', exact: true });
  await heading.waitFor();
  await page.waitForFunction((element) => element.getRootNode().activeElement === element, await heading.elementHandle());
  await page.getByText('办理情况：已解决 · 22/31 个省份已解决', { exact: true }).first().waitFor();
  assert.ok(await page.getByText(/截至6月22日已解决369个/).count() >= 1, 'the batch\'s summary');

  await page.getByRole('button', { name: t.historyBack, exact: true }).click();
  await page.waitForFunction((element) => element.getRootNode().activeElement === element, await list.elementHandle());
  assert.equal(await items.count(), 2);
  assert.deepEqual(errors, []);
});

test('a closed batch lists what was done: the summary, each bottleneck\'s follow-up beside its tallies, and the map', async (tt) => {
  const collector = await startClosedCollector();
  tt.after(() => collector.stop());
  const { page, errors } = await pageFor(tt);
  await page.goto(`${collector.url}/`);
  await page.getByRole('heading', { name: t.closed, exact: true }).waitFor();
  await page.getByText('第二批：商事服务领域办事堵点征集', { exact: true }).waitFor();
  await page.getByText('共 22 票，其中实名 0 票', { exact: true }).waitFor();
  assert.equal(await page.getByRole('heading', { name: t.finalResults, exact: true }).count(), 1, 'final results, not "so far"');
  const summary = page.locator('.bsv-follow-up-summary');
  assert.equal(await summary.getByRole('heading', { name: t.followUpTitle, exact: true }).count(), 1);
  assert.match(await summary.innerText(), /173/, 'the batch\'s summary as the organiser published it');
  const licence = page.locator('.bsv-results__item', { hasText: '办理营业执照要携带的材料多' });
  assert.match(await licence.innerText(), /12 票 \(54%\)/);
  assert.ok(await page.locator('.bsv-results__item .bsv-follow-up').count() >= 1, 'bottlenecks carry their follow-up');
  // Nobody voted here: no region of theirs to offer, but the map of the provinces is.
  assert.equal(await page.getByRole('group', { name: t.scopeLegend }).count(), 0);
  await page.getByRole('button', { name: t.mapOpen, exact: true }).click();
  const table = page.getByRole('table', { name: t.mapTable });
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), 2, 'Hebei and Guangdong; the rest have no votes');
  assert.deepEqual(errors, []);
});

test('an endpoint of protocol v1 without the additions gets the national results only, and no map or earlier batches', async (tt) => {
  // A static host: the batch and its results as files, nothing else.
  const site = mkdtempSync(join(tmpdir(), 'bsv-v1-'));
  tt.after(() => rmSync(site, { recursive: true, force: true }));
  const batches = join(site, 'api', 'v1', 'batches');
  mkdirSync(join(batches, BATCH.id), { recursive: true });
  writeFileSync(join(batches, 'current'), JSON.stringify(BATCH));
  writeFileSync(join(batches, BATCH.id, 'results'), JSON.stringify(readExample('results.json')));
  const server = await startStaticSite(site);
  tt.after(() => server.stop());

  const { page, errors } = await pageFor(tt);
  // This browser voted in the batch before, in Hebei.
  await page.addInitScript(({ key, record }) => localStorage.setItem(key, record), {
    key: `bsv.voted.v1|${server.url}/api/v1|${BATCH.id}`,
    record: JSON.stringify({ receipt: '7KQM-4ZPA', counted_at: '2018-07-09T02:13:45Z', province: '130000', city: '130100' }),
  });
  // Both additions are asked for, and answered 404.
  const additions = [`/api/v1/batches/${BATCH.id}/results/regions`, '/api/v1/batches']
    .map((path) => page.waitForResponse((r) => new URL(r.url()).pathname === path));
  await page.goto(`${server.url}/`);
  await page.getByRole('heading', { name: t.votedBefore, exact: true }).waitFor();
  await page.getByText('共 3 票，其中实名 1 票', { exact: true }).waitFor();
  assert.deepEqual((await Promise.all(additions)).map((r) => r.status()), [404, 404]);
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await page.getByRole('group', { name: t.scopeLegend }).count(), 0, 'no switch');
  assert.equal(await page.getByRole('button', { name: t.mapOpen, exact: true }).count(), 0, 'no map');
  assert.equal(await page.getByRole('button', { name: t.historyOpen, exact: true }).count(), 0, 'no earlier batches');
  // The browser reports the two 404s; nothing else goes wrong.
  assert.deepEqual(errors.filter((e) => !/status of 404/.test(e)), []);
});
