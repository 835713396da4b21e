// What the widget's Lighthouse numbers would be with a smaller (or larger)
// main wasm, everything else as measured: for bench.mjs --wasm-sizes.
//
// Lighthouse's simulated throttling (Lantern) replays the requests of a real
// load over a modelled slow-4G link, from the devtools log it recorded. Its
// LCP graphs for this page end with the main wasm's download (README,
// "Speed"), so re-running only the audits on that log with the wasm's
// transfer size changed shows the LCP and score a first load of that size
// would get: the size to aim at, before cutting anything. The link is
// modelled in TCP round trips, so LCP moves in steps, not smoothly.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';

const LOG = 'defaultPass.devtoolslog.json';

/**
 * Re-audits the run saved in `artifactsDir` (Lighthouse's gatherMode) once
 * per size in `sizesKiB`, the main wasm's brotli bytes, and returns one
 * `{ kib, lcp, score }` per size.
 */
export async function lcpBySize(artifactsDir, sizesKiB) {
  const rows = [];
  for (const kib of sizesKiB) {
    const copy = mkdtempSync(join(tmpdir(), 'bsv-wasm-size-'));
    try {
      cpSync(artifactsDir, copy, { recursive: true });
      const log = JSON.parse(readFileSync(join(copy, LOG), 'utf8'));
      writeFileSync(join(copy, LOG), JSON.stringify(withWasmBytes(log, Math.round(kib * 1024))));
      const { lhr } = await lighthouse(undefined, { auditMode: copy, logLevel: 'error', onlyCategories: ['performance'] });
      rows.push({
        kib,
        lcp: lhr.audits['largest-contentful-paint'].numericValue,
        score: Math.round(lhr.categories.performance.score * 100),
      });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  return rows;
}

/**
 * The devtools log with the main wasm's body `bytes` long on the wire; its
 * headers keep their measured size.
 */
function withWasmBytes(log, bytes) {
  const wasm = new Set(
    log
      .filter((e) => e.method === 'Network.requestWillBeSent' && e.params.request.url.endsWith('_bg.wasm'))
      .map((e) => e.params.requestId),
  );
  if (wasm.size === 0) throw new Error('the saved run has no request for the main wasm');
  const headers = new Map();
  for (const e of log) {
    if (!wasm.has(e.params.requestId)) continue;
    if (e.method === 'Network.responseReceived') headers.set(e.params.requestId, e.params.response.encodedDataLength);
  }
  const received = new Set();
  return log.map((e) => {
    if (!wasm.has(e.params.requestId)) return e;
    const id = e.params.requestId;
    if (e.method === 'Network.dataReceived') {
      // The whole body in the first chunk of data, none in the rest.
      const first = !received.has(id);
      received.add(id);
      return { ...e, params: { ...e.params, encodedDataLength: first ? bytes : 0 } };
    }
    if (e.method === 'Network.loadingFinished') {
      return { ...e, params: { ...e.params, encodedDataLength: bytes + (headers.get(id) ?? 0) } };
    }
    return e;
  });
}
