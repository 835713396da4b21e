// The first-paint benchmark: Lighthouse (mobile preset, simulated
// throttling) on the widget's standalone page and on a plain-HTML page of the
// same form (plain/), both served with brotli by the reference collector in
// one run, several runs each, alternating; prints the medians as a markdown
// table for the README, with the conditions it ran under.
//
// Run it through scripts/lighthouse/bench, which installs Lighthouse here
// when missing and builds what is not built. Not a test: numbers depend on
// the machine and its load, so it is run by hand and its table recorded.
//
// Usage: node scripts/lighthouse/bench.mjs [--runs N] [--tasks] [--wasm-sizes KIB,KIB,...] [--devtools]
//
// --tasks also prints, for each run, where the main thread's time went: the
// long tasks (Lighthouse's simulated durations, after its 4x CPU slowdown;
// each one's time over 50 ms is what TBT adds up) and the scripts' own
// evaluation and compile times.
//
// --wasm-sizes also prints what the widget's last run would have scored with
// a main wasm of each of those sizes (KiB of brotli), everything else as
// measured (wasm_sizes.mjs): the size a first-load target has to reach.
//
// --devtools throttles the page's real network and CPU as it loads (the same
// slow-4G and 4x numbers, applied through the browser) instead of simulating
// them afterwards from an unthrottled load. The simulation replays requests,
// not races: anything a page drew while the wasm was still on its way would
// never happen in an unthrottled load of a local page, so only this mode
// can see it (README, Speed: an early paint measured so and dropped). The
// targets are in the simulated mode; this one says what a phone would see.

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { lcpBySize } from './wasm_sizes.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '..', '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const TASKS = process.argv.includes('--tasks');
const sizesArg = process.argv.indexOf('--wasm-sizes');
const WASM_SIZES = sizesArg > 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [];
const THROTTLING = process.argv.includes('--devtools') ? 'devtools' : 'simulate';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const COLLECTOR = process.env.COLLECTOR_BIN ?? join(repoRoot, 'target', 'debug', 'collector');

// The site: dist/ as built, plus the plain page, precompressed alike.
const site = mkdtempSync(join(tmpdir(), 'bsv-lighthouse-'));
process.on('exit', () => rmSync(site, { recursive: true, force: true }));
for (const entry of readdirSync(join(repoRoot, 'dist'))) {
  symlinkSync(join(repoRoot, 'dist', entry), join(site, entry));
}
cpSync(join(here, 'plain'), join(site, 'plain'), { recursive: true });
execFileSync('node', [join(repoRoot, 'scripts', 'precompress.mjs'), join(site, 'plain')]);

/** Starts the collector on a free port with a fresh database; resolves to its URL. */
function startCollector() {
  const child = spawn(COLLECTOR, ['--bind', '127.0.0.1:0', '--database', join(site, 'votes.sqlite3'), '--dist', site], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let output = '';
    const look = (chunk) => {
      output += chunk;
      const found = output.match(/collector listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) resolve(found[1]);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`the collector stopped (${code}):\n${output}`)));
  });
}

const origin = await startCollector();
const pages = [
  { name: 'plain HTML + JS form (the floor)', url: `${origin}/plain/` },
  { name: 'this widget', url: `${origin}/`, saveTo: WASM_SIZES.length ? join(site, 'widget-run') : undefined },
];

const chrome = await chromeLauncher.launch({
  chromePath: CHROMIUM,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--lang=zh-CN'],
});
process.on('exit', () => chrome.kill());

const results = new Map(pages.map((page) => [page.name, []]));
const loadBefore = loadavg()[0];
for (let run = 1; run <= RUNS; run += 1) {
  for (const page of pages) {
    // With --wasm-sizes the widget's run is also saved, for wasm_sizes.mjs.
    const saved = page.saveTo ? { gatherMode: page.saveTo, auditMode: page.saveTo } : {};
    const { lhr } = await lighthouse(page.url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'], throttlingMethod: THROTTLING, ...saved });
    const audit = (id) => lhr.audits[id].numericValue;
    const measured = {
      score: Math.round(lhr.categories.performance.score * 100),
      fcp: audit('first-contentful-paint'),
      lcp: audit('largest-contentful-paint'),
      tbt: audit('total-blocking-time'),
      cls: audit('cumulative-layout-shift'),
      bytes: audit('total-byte-weight'),
    };
    results.get(page.name).push(measured);
    console.error(`run ${run}/${RUNS} ${page.name}: ${JSON.stringify(measured)}`);
    if (TASKS) console.error(mainThread(lhr, origin));
  }
}
const loadAfter = loadavg()[0];

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (n) => `${Math.round(n).toLocaleString('en-US')} ms`;
const lines = [
  `| page | LH perf | FCP | LCP | TBT | CLS | transferred |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const [name, list] of results) {
  const m = (key) => median(list.map((r) => r[key]));
  lines.push(`| ${name} | ${m('score')} | ${ms(m('fcp'))} | ${ms(m('lcp'))} | ${ms(m('tbt'))} | ${m('cls').toFixed(3)} | ${(m('bytes') / 1024).toFixed(1)} KiB |`);
}
const chromium = execFileSync(CHROMIUM, ['--version']).toString().trim();
console.log(lines.join('\n'));
console.log();
const throttled = THROTTLING === 'devtools' ? 'throttling applied in the browser' : 'simulated throttling';
console.log(`Lighthouse ${lhrVersion()}, mobile preset (${throttled}), median of ${RUNS} runs per page, alternating;`);
console.log(`${chromium}; pages served with brotli by the collector on 127.0.0.1;`);
console.log(`${cpus().length} cores, load average ${loadBefore.toFixed(2)} before and ${loadAfter.toFixed(2)} after.`);
console.log(`Command: scripts/lighthouse/bench${THROTTLING === 'devtools' ? ' --devtools' : ''}`);
if (WASM_SIZES.length) {
  console.log();
  console.log('The widget\'s last run, re-audited with the main wasm at other sizes (everything else as measured):');
  console.log();
  console.log('| main wasm, brotli | LCP | LH perf |');
  console.log('| ---: | ---: | ---: |');
  for (const { kib, lcp, score } of await lcpBySize(join(site, 'widget-run'), WASM_SIZES)) {
    console.log(`| ${kib} KiB | ${ms(lcp)} | ${score} |`);
  }
}
process.exit(0);

/** The long tasks and the time per script of one run, as indented lines. */
function mainThread(lhr, origin) {
  const name = (url) => (url.startsWith(origin) ? url.slice(origin.length) || '/' : url);
  const ms = (n) => `${Math.round(n)} ms`;
  const tasks = lhr.audits['long-tasks'].details?.items ?? [];
  const scripts = lhr.audits['bootup-time'].details?.items ?? [];
  return [
    ...tasks.map((t) => `  long task at ${ms(t.startTime)}: ${ms(t.duration)} (${name(t.url)})`),
    ...scripts.map((s) => `  script ${name(s.url)}: ${ms(s.scripting)} evaluating, ${ms(s.scriptParseCompile)} compiling`),
  ].join('\n');
}

function lhrVersion() {
  return JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("lighthouse/package.json").version)'], { cwd: here }).toString());
}
