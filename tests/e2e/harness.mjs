// Shared helpers for the end-to-end tests (`node --test tests/e2e/`).
//
// A test starts its own collector on a free port with a fresh database, drives
// Debian's Chromium through playwright-core, and checks pages with axe-core:
//
//   const collector = await startCollector();
//   t.after(() => collector.stop());
//   const browser = await launchBrowser();
//   t.after(() => browser.close());
//   const { page, errors } = await newPage(browser);
//   await page.goto(collector.url);
//   assertNoA11yViolations(await checkA11y(page), { label: 'form', impact: 'serious' });
//   assert.deepEqual(errors, []);
//
// The collector binary is built by scripts/test (and scripts/demo), never here:
// run `cargo build -p collector` before running these tests by hand.
// Only 127.0.0.1 is used.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The repository's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The collector binary: $COLLECTOR_BIN (set by scripts/lib.sh) or the debug build. */
export const COLLECTOR_BIN = process.env.COLLECTOR_BIN ?? join(REPO_ROOT, 'target', 'debug', 'collector');

/** Debian's Chromium; never a browser that a tool downloads. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Flags that make Chromium quiet, offline and root-safe in a container. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Where screenshot() writes (git-ignored). */
export const ARTIFACTS_DIR = join(REPO_ROOT, 'tests', 'e2e', 'artifacts');

const STARTUP_TIMEOUT_MS = Number(process.env.COLLECTOR_STARTUP_TIMEOUT_MS ?? 20_000);
const READY_LINE = /collector listening on (http:\/\/127\.0\.0\.1:\d+)/;

/** Parses one of the protocol's JSON examples, e.g. readExample('batch-open.json'). */
export function readExample(name) {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'examples', name), 'utf8'));
}

// Collectors not yet stopped, with their folders: killed and removed when Node exits.
const running = new Map();
process.on('exit', () => {
  for (const [child, dir] of running) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Starts the collector on a free port of 127.0.0.1 with a fresh database in a
 * temporary folder, serving dist/. Resolves once it prints its listening line.
 *
 * @param {object} [options]
 * @param {string|object} [options.batches] passed as `--batches`: a path as
 *   it is; an object in the batches-file format (see
 *   collector/batches/demo-2018.json) is written to a temporary file first.
 *   Left out, the collector uses its demo batches.
 * @param {string[]} [options.args] more command-line arguments.
 * @param {Record<string,string>} [options.env] added to the environment.
 * @param {string} [options.database] an SQLite file to use instead of a
 *   fresh one, e.g. one an earlier collector of the test wrote (the test
 *   removes it).
 * @param {object} [options.followUp] a follow-up file's contents (see
 *   collector/README.md), published into the database with `collector
 *   publish-follow-up` before the collector starts, as an organiser does.
 * @returns {Promise<{url: string, dbPath: string, output: () => {stdout: string, stderr: string}, stop: () => Promise<void>}>}
 */
export async function startCollector({ batches, args = [], env = {}, database, followUp } = {}) {
  if (!existsSync(COLLECTOR_BIN)) {
    throw new Error(`no collector binary at ${COLLECTOR_BIN}: run \`cargo build -p collector\` (scripts/test does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bsv-e2e-'));
  const dbPath = database ?? join(dir, 'survey.sqlite3');
  const argv = ['--bind', '127.0.0.1:0', '--database', dbPath, '--dist', join(REPO_ROOT, 'dist')];
  const storeArgs = ['--database', dbPath];
  if (batches !== undefined) {
    let path = batches;
    if (typeof batches !== 'string') {
      path = join(dir, 'batches.json');
      writeFileSync(path, JSON.stringify(batches, null, 2));
    }
    argv.push('--batches', path);
    storeArgs.push('--batches', path);
  }
  argv.push(...args);
  if (followUp !== undefined) {
    const file = join(dir, 'follow-up.json');
    writeFileSync(file, JSON.stringify(followUp, null, 2));
    execFileSync(COLLECTOR_BIN, ['publish-follow-up', ...storeArgs, file], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }

  const child = spawn(COLLECTOR_BIN, argv, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(child, dir);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { stderr += chunk; });

  const exited = new Promise((resolve) => child.once('close', (code, signal) => {
    running.delete(child);
    resolve({ code, signal });
  }));

  const url = await new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    const fail = (why) => {
      if (settled) return;
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      settle(reject, new Error(`collector ${why}\n  command: ${COLLECTOR_BIN} ${argv.join(' ')}\n  stdout:\n${stdout}\n  stderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail(`did not print "collector listening on ..." within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
    child.once('error', (err) => fail(`could not be started: ${err.message}`));
    exited.then(({ code, signal }) => fail(`exited before listening (code ${code}, signal ${signal})`));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = settled ? null : READY_LINE.exec(stdout);
      if (match) settle(resolve, match[1]);
    });
  });

  // A test that forgets stop() must not hang the run: the collector no longer
  // keeps Node alive, and the 'exit' handler above kills it.
  child.unref();
  child.stdout.unref();
  child.stderr.unref();

  let stopped;
  return {
    url,
    dbPath,
    /** What the collector printed so far, to help explain a failure. */
    output: () => ({ stdout, stderr }),
    /** Stops the collector (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/**
 * A collector started as `startCollector(options)` that stops when the test
 * `t` ends, whether it passed or not.
 */
export async function collectorFor(t, options) {
  const collector = await startCollector(options);
  t.after(() => collector.stop());
  return collector;
}

/** Launches headless Chromium (Debian's) with CHROMIUM_FLAGS and a fresh profile. */
export function launchBrowser(options = {}) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, ...options });
}

/**
 * Opens a page in a new browser context and records what goes wrong in it:
 * console.error messages (failed loads among them, but not of the favicon)
 * and uncaught exceptions (`pageerror`) land in `errors`, which a test
 * asserts empty.
 *
 * @param {import('playwright-core').Browser} browser
 * @param {object} [options] browser context options: viewport, locale, ...
 *   (default viewport 1280x800).
 * @returns {Promise<{page: import('playwright-core').Page, errors: string[]}>}
 */
export async function newPage(browser, { viewport = { width: 1280, height: 800 }, ...contextOptions } = {}) {
  const context = await browser.newContext({ viewport, ...contextOptions });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    // Chromium asks every page for /favicon.ico; the widget does not serve one.
    if (url && new URL(url).pathname === '/favicon.ico') return;
    errors.push(`console.error: ${message.text()}${url ? ` (${url})` : ''}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  page.once('close', () => context.close().catch(() => {}));
  return { page, errors };
}

let axeSource;

/**
 * Runs axe-core on the page as it is now and returns its violations.
 *
 * @param {import('playwright-core').Page} page
 * @param {object} [options]
 * @param {string} [options.label] names the page state in messages, e.g. 'validation errors'.
 * @param {string|object} [options.context] what to check (axe's context), default the document.
 * @param {object} [options.axeOptions] axe.run options, e.g. { runOnly: ['wcag2a', 'wcag2aa'] }.
 * @returns {Promise<Array<{id: string, impact: string, help: string, helpUrl: string, label?: string, nodes: Array<{target: string[], html: string, failureSummary: string}>}>>}
 */
export async function checkA11y(page, { label, context, axeOptions = {} } = {}) {
  axeSource ??= readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Evaluated, not added as a <script>, so a Content-Security-Policy cannot block it.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async ({ context, axeOptions }) => {
    const results = await window.axe.run(context ?? document, axeOptions);
    return results.violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id,
      impact,
      help,
      helpUrl,
      nodes: nodes.map(({ target, html, failureSummary }) => ({ target, html, failureSummary })),
    }));
  }, { context, axeOptions });
  return violations.map((violation) => ({ ...violation, label }));
}

const IMPACTS = ['minor', 'moderate', 'serious', 'critical'];

/**
 * Fails, listing id, impact and offending nodes, when any violation is at
 * least `impact` ('minor' by default: all of them).
 */
export function assertNoA11yViolations(violations, { impact = 'minor', label } = {}) {
  const floor = IMPACTS.indexOf(impact);
  assert.ok(floor >= 0, `unknown impact ${impact}: use one of ${IMPACTS.join(', ')}`);
  const bad = violations.filter((v) => IMPACTS.indexOf(v.impact ?? 'minor') >= floor);
  if (bad.length === 0) return;
  const where = label ?? bad[0].label ?? 'page';
  const lines = bad.map((v) => [
    `- ${v.id} (${v.impact}): ${v.help} ${v.helpUrl}`,
    ...v.nodes.map((n) => `    ${n.target.join(' ')}  ${n.html}\n      ${(n.failureSummary ?? '').replaceAll('\n', '\n      ')}`),
  ].join('\n'));
  assert.fail(`${bad.length} accessibility violation(s) of impact ${impact} or worse on ${where}:\n${lines.join('\n')}`);
}

/**
 * Runs SQL on a database with the sqlite3 CLI and returns the rows as
 * objects (sqlite3 -json). Waits up to 2 s for a lock held by the collector.
 */
export function queryDb(dbPath, sql) {
  const out = execFileSync('sqlite3', ['-bail', '-json', '-cmd', '.timeout 2000', dbPath, sql], { encoding: 'utf8' });
  return out.trim() === '' ? [] : JSON.parse(out);
}

/** Saves a full-page PNG to tests/e2e/artifacts/NAME.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Casts `count` votes through the collector's own API (`POST /api/v1/votes`,
 * each with a fresh vote id), as citizens elsewhere would: how a test gets
 * a region past the 10 votes results by region need before they show.
 * Resolves to the receipts; fails on any answer but 201.
 *
 * @param {string} url the collector's base URL (startCollector's `url`).
 * @param {{batch_id: string, location: {province: string|null, city: string|null, county: string|null}, choices: string[]}} vote
 * @param {number} count
 */
export async function castVotes(url, vote, count) {
  const receipts = [];
  for (let i = 0; i < count; i += 1) {
    const voteId = randomUUID();
    const body = {
      ...vote,
      vote_id: voteId,
      client: { widget_version: '0.1.0', locale: 'zh-CN', embed_origin: null },
    };
    const response = await fetch(`${url}/api/v1/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': voteId },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    assert.equal(response.status, 201, `vote ${i + 1} of ${count} in ${vote.location.province}: ${text}`);
    receipts.push(JSON.parse(text));
  }
  return receipts;
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Serves files and nothing else on a free port of 127.0.0.1: `dist/`, and
 * over it the files of `site` (a folder), so that `site/api/v1/batches/current`
 * answers `GET /api/v1/batches/current`. A minimal endpoint of protocol v1
 * as a static host could offer it: whatever has no file is a 404.
 *
 * @param {string} site
 * @returns {Promise<{url: string, stop: () => Promise<void>}>}
 */
export async function startStaticSite(site) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    const relative = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '');
    const file = [join(site, relative), join(REPO_ROOT, 'dist', relative)].find((candidate) => {
      try {
        return statSync(candidate).isFile();
      } catch {
        return false;
      }
    });
    if (request.method !== 'GET' || !file || relative.startsWith('..')) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = CONTENT_TYPES[extname(file)] ?? (file.startsWith(site) ? 'application/json' : 'application/octet-stream');
    response.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    // A browser may hold a connection open that it has sent nothing on
    // yet; close() alone would wait for it for ever.
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
