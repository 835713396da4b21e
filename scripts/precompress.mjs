// Writes `NAME.br` (brotli, quality 11) and `NAME.gz` (gzip, level 9) next to
// every text or wasm file of a built dist/ folder, for the collector to send
// to browsers that accept them (collector/src/widget.rs). Compressing once
// here, at the highest settings, costs the server nothing per request and
// gives every visitor the sizes scripts/size reports.
//
// Usage: node scripts/precompress.mjs DIST

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.wasm', '.json', '.svg']);

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

const dist = process.argv[2];
if (!dist) {
  console.error('usage: node scripts/precompress.mjs DIST');
  process.exit(2);
}
for (const path of filesUnder(dist)) {
  if (!COMPRESSIBLE.has(extname(path))) continue;
  const bytes = readFileSync(path);
  const variants = [
    ['.br', brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    })],
    ['.gz', gzipSync(bytes, { level: 9 })],
  ];
  for (const [suffix, compressed] of variants) {
    // A tiny file can come out larger: then the original is what is sent.
    if (compressed.length < bytes.length) writeFileSync(path + suffix, compressed);
  }
}
