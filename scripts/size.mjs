// Sizes of the built widget in dist/, raw and brotli-compressed (quality 11,
// as a CDN or `brotli -q 11` would serve it), as a markdown table for the
// README.
//
// The first load is everything a visitor downloads before the form shows:
// HTML, JS, wasm, CSS, i.e. all of dist/ except dist/regions/, whose place
// data is fetched on demand and is totalled separately. Exits 1 when the first
// load is over BUDGET bytes of brotli.
//
// Usage: node scripts/size.mjs [dist-dir]

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const BUDGET = 100 * 1024; // bytes, brotli, first load

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const dist = process.argv[2] ?? join(repoRoot, 'dist');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
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

const rows = files.map((path) => {
  const name = relative(dist, path).split(sep).join('/');
  const bytes = readFileSync(path);
  return { name, raw: bytes.length, br: brotliSize(bytes), region: name.startsWith('regions/') };
});

const total = (list) => list.reduce((t, r) => ({ raw: t.raw + r.raw, br: t.br + r.br }), { raw: 0, br: 0 });
const first = total(rows.filter((r) => !r.region));
const regionRows = rows.filter((r) => r.region);
const regions = total(regionRows);

const row = (r) => `| \`${r.name}\` | ${fmt(r.raw)} | ${fmt(r.br)} |`;
const lines = [
  '| file | raw bytes | brotli bytes |',
  '| --- | ---: | ---: |',
  ...rows.filter((r) => !r.region).map(row),
  `| **first load** (all but \`regions/\`) | **${fmt(first.raw)}** | **${fmt(first.br)}** |`,
];
if (regionRows.length > 0) {
  lines.push(
    ...regionRows.map(row),
    `| **region data** (\`regions/\`, ${regionRows.length} ${regionRows.length === 1 ? 'file' : 'files'}, loaded on demand) | **${fmt(regions.raw)}** | **${fmt(regions.br)}** |`,
  );
}
console.log(lines.join('\n'));
console.log();

const verdict = `first load ${fmt(first.br)} bytes brotli (${kib(first.br)}) of a ${fmt(BUDGET)}-byte budget (${kib(BUDGET)})`;
if (first.br > BUDGET) {
  console.error(`error: over budget: ${verdict}`);
  process.exit(1);
}
console.log(`ok: ${verdict}`);
