// Sizes of the built widget in dist/, raw and brotli-compressed (quality 11,
// as scripts/precompress.mjs writes it and the collector serves it), as a
// markdown table for the README.
//
// The first load is everything a visitor downloads before the form shows:
// HTML, JS, the main wasm, CSS (see `kind` below). The wasm chunks of
// screens loaded on demand (src/on_demand.rs), region data and the files
// served for portals are listed separately. Exits 1 when the first load is
// over BUDGET bytes of brotli.
//
// Usage: node scripts/size.mjs [dist-dir]

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

// Bytes of brotli for the first load. The core vote (issue 2) had 100 KB and
// came in at 98.1 KiB; real-name verification, the outbox, embedding, care
// mode and named failures took it to 135.3 KiB under a 140 KiB budget.
// Issue 12 set a target of 80 KiB (a plain-HTML form's first load is about
// 24 KiB) and split off what a citizen needs only later: 127.8 KiB, so the
// target is missed by about 48 KiB (README, "Size", says where the bytes
// are). The budget follows what was reached, lowered from 140 KiB, then to
// 127 KiB once the form stopped printing floats (125.4 KiB), so that
// nothing creeps back into the first load; lower it again as the widget
// shrinks, toward the target, and never raise it without a line there.
const BUDGET = 127 * 1024;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = process.argv[2] ?? join(repoRoot, 'dist');

function filesUnder(dir) {
  // Dot entries are trunk's staging area (`.stage/`) during a build, not
  // output; `.br` and `.gz` files are the precompressed copies of the others.
  const listed = (entry) => !entry.name.startsWith('.') && !/\.(br|gz)$/.test(entry.name);
  return readdirSync(dir, { withFileTypes: true }).filter(listed).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function brotliSize(bytes) {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
}

const fmt = (n) => n.toLocaleString('en-US');
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

let files;
try {
  if (!statSync(dist).isDirectory()) throw new Error('not a directory');
  files = filesUnder(dist).sort();
} catch (err) {
  console.error(`error: cannot read ${dist} (${err.message}): run scripts/build first`);
  process.exit(2);
}
if (files.length === 0) {
  console.error(`error: ${dist} is empty: run scripts/build first`);
  process.exit(2);
}

// What a visitor's browser fetches before the form shows: the page, the
// loader, the JS glue and the chunk loader, the main wasm and its snippets,
// the page CSS. Chunks (`split_*.wasm`, and `chunk_*.wasm` shared between
// splits) are fetched when their screen is needed, never before the form
// shows; region data per province
// when one is picked; the demo pages and the iframe resizer are served for
// portals, not loaded by the widget.
const kind = (name) => {
  if (/^(split|chunk)_.*\.wasm$/.test(name)) return 'chunk';
  if (name.startsWith('regions/')) return 'region';
  if (name.startsWith('demo/') || name === 'embed-frame.js') return 'host';
  return 'first';
};
const rows = files.map((path) => {
  const name = relative(dist, path).split(sep).join('/');
  const bytes = readFileSync(path);
  return { name, raw: bytes.length, br: brotliSize(bytes), kind: kind(name) };
});

const total = (list) => list.reduce((t, r) => ({ raw: t.raw + r.raw, br: t.br + r.br }), { raw: 0, br: 0 });
const of = (k) => rows.filter((r) => r.kind === k);
const first = total(of('first'));
const chunks = total(of('chunk'));
const regions = total(of('region'));
const host = total(of('host'));
const largest = of('region').reduce((a, r) => (a && a.br >= r.br ? a : r), null);

const row = (r) => `| \`${r.name}\` | ${fmt(r.raw)} | ${fmt(r.br)} |`;
const lines = [
  '| file | raw bytes | brotli bytes |',
  '| --- | ---: | ---: |',
  ...of('first').map(row),
  `| **first load** | **${fmt(first.raw)}** | **${fmt(first.br)}** |`,
];
for (const chunk of of('chunk')) {
  lines.push(`| on demand: \`${chunk.name}\` | ${fmt(chunk.raw)} | ${fmt(chunk.br)} |`);
}
if (chunks.raw > 0) {
  lines.push(`| on demand, all chunks (the receipt's and results' with the vote, the real-name steps once a form that offers them is in use, the map and the earlier batches when opened) | ${fmt(chunks.raw)} | ${fmt(chunks.br)} |`);
}
if (largest) {
  lines.push(
    `| region data, ${of('region').length} files fetched one province at a time (largest: \`${largest.name}\`, ${fmt(largest.br)} brotli) | ${fmt(regions.raw)} | ${fmt(regions.br)} |`,
  );
}
if (host.raw > 0) {
  lines.push(`| demo pages and \`embed-frame.js\` (for portals, not loaded by the widget) | ${fmt(host.raw)} | ${fmt(host.br)} |`);
}
console.log(lines.join('\n'));
console.log();

const verdict = `first load ${fmt(first.br)} bytes brotli (${kib(first.br)}) of a ${fmt(BUDGET)}-byte budget (${kib(BUDGET)})`;
if (first.br > BUDGET) {
  console.error(`error: over budget: ${verdict}`);
  process.exit(1);
}
console.log(`ok: ${verdict}`);
