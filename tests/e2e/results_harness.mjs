// What the results tests share (results.test.mjs,
// results_accessibility.test.mjs): the words they look for, the places they
// vote in, the votes cast through the API, and the batches and follow-up
// files they start collectors with.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, castVotes, readExample, startCollector } from './harness.mjs';

const BATCH = readExample('batch-open.json');

/** The demo batches file, which the collector serves when given none. */
export function demoBatches() {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'collector', 'batches', 'demo-2018.json'), 'utf8'));
}

/**
 * The demo's follow-up file (what the organiser published in 2018), for the
 * batches `ids` (all of them by default).
 */
export function demoFollowUp(ids) {
  const file = JSON.parse(readFileSync(join(REPO_ROOT, 'collector', 'batches', 'demo-2018-follow-up.json'), 'utf8'));
  return { ...file, batches: file.batches.filter((batch) => !ids || ids.includes(batch.id)) };
}

/**
 * A collector whose current batch has closed, with votes in it: the demo's
 * first two batches, the second open (undated, so its status stands) while
 * 22 citizens vote through the API (Shijiazhuang 12 for the business
 * licence, Guangzhou 10 for the repeated company details), then closed on
 * its 2018 dates, the organiser's follow-up published. The second batch,
 * which closed last, is the current one; the first is the earlier batch.
 * `stop()` also removes the database.
 */
export async function startClosedCollector() {
  const folder = mkdtempSync(join(tmpdir(), 'bsv-closed-'));
  const database = join(folder, 'survey.sqlite3');
  const [first, second] = ['2018-1-education-identity', '2018-2-business-services']
    .map((id) => demoBatches().batches.find((batch) => batch.id === id));
  const { opens_at: _opens, closes_at: _closes, ...undated } = second;
  const voting = await startCollector({ batches: { batches: [first, { ...undated, status: 'open' }] }, database });
  const vote = (location, choice, count) => castVotes(voting.url, { batch_id: second.id, location, choices: [choice] }, count);
  await vote(SHIJIAZHUANG, 'business-license', 12);
  await vote(GUANGZHOU, 'repeat-company-info', 10);
  await voting.stop();
  const collector = await startCollector({
    batches: { batches: [first, second] },
    database,
    followUp: demoFollowUp([first.id, second.id]),
  });
  return {
    ...collector,
    async stop() {
      await collector.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Places by their codes, with the names the form's selects show. */
export const SHIJIAZHUANG = { province: '130000', city: '130100', county: '130102' };
export const TANGSHAN = { province: '130000', city: '130200', county: '130202' };
export const BAODING = { province: '130000', city: '130600', county: '130602' };
export const GUANGZHOU = { province: '440000', city: '440100', county: '440103' };
export const BEIJING = { province: '110000', city: '110100', county: '110101' };
export const TIANJIN = { province: '120000', city: '120100', county: '120101' };
const NAMES = {
  130102: ['河北省', '石家庄市', '长安区'],
  130202: ['河北省', '唐山市', '路南区'],
  130602: ['河北省', '保定市', '竞秀区'],
  440103: ['广东省', '广州市', '荔湾区'],
  110101: ['北京市', '北京市', '东城区'],
};

/**
 * 41 votes in the open batch, through the API: Hebei 21 (Shijiazhuang 11
 * for the clinic card and the repeated tests, Tangshan 10 for the clinic
 * card, 5 of them for the repeated tests too), Guangdong 10 (Guangzhou, the
 * repeated tests), Beijing 3 and Tianjin 7 (the repeated tests): Hebei and
 * Guangdong past the 10 votes a region needs, Beijing and Tianjin under
 * them but 10 together, so that no province is left out to keep their
 * votes from being worked out (the nation's total less the listed
 * provinces'); Shijiazhuang one vote short of 12.
 */
export async function seedRegions(collector) {
  const vote = (location, choices, count) => castVotes(collector.url, { batch_id: BATCH.id, location, choices }, count);
  await vote(SHIJIAZHUANG, ['clinic-card', 'repeat-tests'], 11);
  await vote(TANGSHAN, ['clinic-card'], 5);
  await vote(TANGSHAN, ['clinic-card', 'repeat-tests'], 5);
  await vote(GUANGZHOU, ['repeat-tests'], 10);
  await vote(BEIJING, ['repeat-tests'], 3);
  await vote(TIANJIN, ['repeat-tests'], 7);
}

/** The words of src/i18n/ the tests look for, by language. */
export const TEXTS = {
  'zh-CN': {
    places: ['省份', '城市', '区县'],
    submit: '提交',
    receipt: '提交成功，感谢您的参与！',
    votedBefore: '您已在本批次投过票',
    scopeLegend: '查看哪里的投票情况',
    nation: '全国',
    province: (name) => `${name}（您选的省份）`,
    city: (name) => `${name}（您选的城市）`,
    hebei: '河北省',
    withheld: (name) => `${name}的投票情况暂不公布：一个地区的票数要足够多（至少 10 票）才公布，以免从结果中看出是谁投的票。`,
    mapOpen: '在地图上查看各省份的情况',
    mapOption: '选择要查看的堵点',
    mapTable: '各省份选择这一堵点的比例',
    mapAlt: '各省份选择比例的地图，数字见下表',
    historyOpen: '查看往期征集',
    historyTitle: '往期征集',
    historyView: '查看结果和办理情况',
    historyBack: '返回往期征集列表',
    closed: '本批征集已经结束',
    finalResults: '投票结果',
    followUpTitle: '办理情况',
  },
  en: {
    places: ['Province', 'City', 'County or district'],
    submit: 'Submit',
    receipt: 'Thank you, your vote has been counted',
    votedBefore: 'You have already voted in this round',
    scopeLegend: 'Show the votes of',
    nation: 'The whole country',
    province: (name) => `${name} (your province)`,
    city: (name) => `${name} (your city)`,
    hebei: 'Hebei',
    withheld: (name) => `Not published yet for ${name}: a region's votes are published only once there are enough of them (at least 10), so that no one's vote can be singled out.`,
    mapOpen: 'See the provinces on a map',
    mapOption: 'Bottleneck to show',
    mapTable: 'Share of voters who chose this bottleneck, by province',
    mapAlt: 'Map of the shares by province; the numbers are in the table below',
    historyOpen: 'See earlier rounds',
    historyTitle: 'Earlier rounds',
    historyView: 'See its results and what was done',
    historyBack: 'Back to the earlier rounds',
    closed: 'This round has closed',
    finalResults: 'Results',
    followUpTitle: 'What was done',
  },
};

/** An option's text in the open batch, in Chinese or English. */
export function optionText(id, lang) {
  const option = BATCH.options.find((o) => o.id === id);
  assert.ok(option, `no option ${id}`);
  if (lang !== 'en') return option.text;
  return demoBatches().batches.find((b) => b.id === BATCH.id).translations.en.options[id];
}

/** Votes in the browser as a citizen does (place, one bottleneck, submit) and waits for the receipt. */
export async function voteInBrowser(page, lang, place, optionId) {
  const t = TEXTS[lang];
  const names = NAMES[place.county];
  for (let i = 0; i < 3; i += 1) {
    await page.getByLabel(t.places[i], { exact: true }).selectOption({ label: names[i] });
  }
  await page.getByText(optionText(optionId, lang), { exact: true }).click();
  await page.getByRole('button', { name: t.submit, exact: true }).click();
  await page.getByRole('heading', { name: t.receipt, exact: true }).waitFor();
}
