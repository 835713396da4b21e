// Proves the end-to-end harness works: the collector starts and answers the
// API, and the widget's page loads in Chromium without errors. The real
// journeys live in the other tests of this folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, readExample, screenshot, startCollector } from './harness.mjs';

test('collector serves the open batch and the widget page loads without errors', async (t) => {
  const collector = await startCollector();
  t.after(() => collector.stop());

  const response = await fetch(`${collector.url}/api/v1/batches/current`);
  assert.equal(response.status, 200);
  const batch = await response.json();
  assert.equal(batch.id, readExample('batch-open.json').id);
  assert.equal(batch.status, 'open');

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await newPage(browser);
  const pageResponse = await page.goto(`${collector.url}/`, { waitUntil: 'networkidle' });
  assert.equal(pageResponse.status(), 200);
  assert.notEqual(await page.title(), '', 'document.title is empty');
  await screenshot(page, 'smoke-home');
  assert.deepEqual(errors, []);
});
