// The viewer on a real run (identify.sh) in Debian's headless Chromium,
// driven by playwright-core (browser.mjs launches it).
//
// Usage: node identify.mjs BASE_URL OUT_DIR EXPECTED_JSON PROFILE_DIR
//                          ARTIFACTS CHROMIUM
//
// EXPECTED_JSON holds the GeoPackage's figures ({level: {code: {column:
// value}}}, read with sqlite3 by identify.sh).  What it checks:
//   - clicking the middle of commune 007 opens the panel with its name,
//     code and county, and every figure shown equals the GeoPackage's
//     column of the same name, to the rounding shown (whole numbers, one
//     or two decimals, per cent for coverage); hovering draws an outline
//   - clicking outside every region closes the panel
//   - the search box finds "Bistrița" from "Bistrita" (no diacritics) and
//     "北京" from "北京"; choosing a result moves the map so that its
//     centre lies in the region and opens its panel
//   - "bistriţa" (ţ with a cedilla) finds it too
//   - on a phone (390 px, touch) a tap opens the panel, within the screen
//   - no console error, no uncaught exception, no request elsewhere

import fs from 'node:fs';
import path from 'node:path';
import { decodePng } from './png.mjs';
import { execFileSync } from 'node:child_process';
import { check, checkQuiet, consoleText, finish, launchBrowser, openPage }
  from './browser.mjs';

const WAIT_MS = 45000;
let step = 'start'; // named in the message when a wait times out
const [baseUrl, outDir, expectedPath, profileDir, artifacts, chromiumPath] =
  process.argv.slice(2);
if (!chromiumPath) {
  console.error('usage: node identify.mjs BASE_URL OUT_DIR EXPECTED_JSON ' +
                'PROFILE_DIR ARTIFACTS CHROMIUM');
  process.exit(2);
}
const expected = JSON.parse(fs.readFileSync(expectedPath, 'utf8'));
const regionsOf = (level) => JSON.parse(fs.readFileSync(
  path.join(outDir, 'regions', `${level}.json`), 'utf8'));

/* The number a panel cell shows, and half its last digit: the largest
 * difference rounding may make.  "1,234" -> [1234, 0.5]; "42.1%" ->
 * [0.421, 0.0005]; "—" -> [null]. */
function parseShown(text) {
  const t = text.trim();
  if (t === '—')
    return [null, 0];
  const pct = t.endsWith('%');
  const digits = t.replace(/[,%]/g, '');
  const dot = digits.indexOf('.');
  const decimals = dot < 0 ? 0 : digits.length - dot - 1;
  const scale = pct ? 100 : 1;
  return [Number(digits) / scale, 0.5 * 10 ** -decimals / scale + 1e-9];
}

fs.mkdirSync(artifacts, { recursive: true });
const { context, page, seen } = await openPage(chromiumPath, profileDir);

/* Page coordinates of lon/lat on the map. */
async function pointOf(lon, lat) {
  return page.evaluate(([lo, la]) => {
    const m = window.mapgenViewer.map;
    const p = m.latLngToContainerPoint([la, lo]);
    const box = m.getContainer().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, [lon, lat]);
}

async function waitReady() {
  await page.waitForFunction(
    () => document.body.dataset.regions === 'ready' &&
          document.body.dataset.tiles === 'loaded',
    null, { timeout: WAIT_MS });
}

/* Every figure of the open panel against the GeoPackage's row. */
async function checkPanel(level, code, dir = outDir) {
  step = `checkPanel(${level} ${code})`;
  const row = expected[level][code];
  const shown = await page.evaluate(() => ({
    title: document.getElementById('identify-title').textContent,
    code: document.querySelector('#identify .code').textContent,
    parent: (document.querySelector('#identify .parent') || {}).textContent,
    cells: [...document.querySelectorAll('#identify [data-field]')]
      .map((e) => [e.dataset.field, e.textContent]),
  }));
  check(shown.title === row.name, `panel title "${shown.title}" is the ` +
        `GeoPackage's name "${row.name}"`);
  check(shown.code === code, `panel code ${shown.code} is ${code}`);
  if (row.parent_code !== undefined)
    check(shown.parent && shown.parent.includes(`(${row.parent_code})`),
          `panel names the parent ${row.parent_code}: "${shown.parent}"`);
  check(shown.cells.length >= 20, `panel shows ${shown.cells.length} figures`);
  const lead = await page.evaluate(() => {
    const e = document.querySelector('#identify .identify-lead [data-field]');
    return e ? e.dataset.field : null;
  });
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'maps.json')))
    .maps[0];
  check(spec.field && lead === spec.field && lead in row,
        `the panel puts the map's field first: ${lead} (${spec.field})`);
  let bad = [], compared = 0;
  for (const [field, text] of shown.cells) {
    if (!(field in row))
      continue;
    compared++;
    const [value, tol] = parseShown(text);
    const want = row[field];
    const ok = value === null ? want === null
                              : want !== null && Math.abs(value - want) <= tol;
    if (!ok)
      bad.push(`${field}: shown ${text}, GeoPackage ${want}`);
  }
  check(compared >= 20 && bad.length === 0,
        `${compared} figures of ${level} ${code} match the GeoPackage ` +
        bad.join('; '));
}

async function run() {
  step = 'identify';
  await page.goto(baseUrl, { waitUntil: 'load' });
  await waitReady();
  // The keyboard: Enter on the map identifies the region at its centre.
  await page.evaluate(() => window.mapgenViewer.map.setView([45.05, 25.25], 10, { animate: false }));
  step = 'Enter on the map';
  await page.locator('#map').press('Enter');
  await page.waitForFunction(
    () => document.getElementById('identify').dataset.code === '012',
    null, { timeout: WAIT_MS });
  check(true, 'Enter on the map identifies the region at its centre (012)');

  await page.evaluate(() => window.mapgenViewer.tools.closePanel());
  step = 'identify';

  // Identify: commune 007, the cell 25.0-25.1 E, 45.1-45.2 N.
  await page.evaluate(() => window.mapgenViewer.map.setView([45.1, 25.15], 10, { animate: false }));
  await page.waitForFunction(() => document.body.dataset.tiles === 'loaded',
                             null, { timeout: WAIT_MS });
  const p = await pointOf(25.05, 45.15);
  await page.mouse.move(p.x, p.y);
  await page.waitForFunction(
    () => window.mapgenViewer.tools.hovered &&
          window.mapgenViewer.tools.hovered.code === '007',
    null, { timeout: WAIT_MS });
  check(await page.evaluate(() => !!window.mapgenViewer.tools.hoverLayer),
        'hovering commune 007 draws its outline');
  await page.mouse.click(p.x, p.y);
  await page.waitForSelector('#identify:not([hidden])', { timeout: WAIT_MS });
  await page.screenshot({ path: path.join(artifacts, 'identify.png') });
  await checkPanel('commune', '007');

  // Another map of the same level: the panel stays on 007, its field first.
  step = 'switch to needs with the panel open';
  await page.check('#map-needs');
  await page.waitForFunction(
    () => document.querySelector('#identify .identify-lead [data-field]')
            .dataset.field === 'gap_per10k_total', null, { timeout: WAIT_MS });
  check(await page.evaluate(() => !document.getElementById('identify').hidden &&
        document.getElementById('identify').dataset.code === '007'),
        'switching to the needs map keeps the panel on 007, its field first');
  await page.check('#map-services');
  // Outside every region: the panel closes.
  const q = await pointOf(24.9, 44.95);
  await page.mouse.click(q.x, q.y);
  await page.waitForSelector('#identify[hidden]', { state: 'attached',
                                                   timeout: WAIT_MS });
  check(true, 'a click outside every region closes the panel');

  await checkLabels(12, 'commune', ['Bistrița', '北京']);
  await checkLabels(10, 'county', ['Nordia', 'Sudia']);
  const scale = await page.locator('.leaflet-control-scale-line').first()
    .textContent();
  check(/^\d+ k?m$/.test(scale), `a metric scale bar: "${scale}"`);
  await checkClasses();

  await checkDownloads();
  await checkPrint();

  await checkReport('1', 'Nordia');
  await checkPoverty();

  await checkSearch('Bistrita', 'commune', '007');
  await checkSearch('bistriţa', 'commune', '007'); // ţ with a cedilla
  await checkSearch('北京', 'commune', '011');
}

/* At zoom z the names of `level` are placed, `names` among them (and
 * some of the next finer level's where they fit), and no two labels
 * overlap. */
async function checkLabels(z, level, names) {
  step = `checkLabels(zoom ${z})`;
  await page.evaluate((zz) => window.mapgenViewer.map.setView([45.1, 25.15], zz, { animate: false }),
                      z);
  await page.waitForFunction(
    (lv) => document.body.dataset.labels === lv &&
            document.querySelectorAll('.mg-label').length > 0,
    level, { timeout: WAIT_MS }).catch(() => {});
  const labels = await page.evaluate(() =>
    [...document.querySelectorAll('.mg-label')].map((e) => {
      const b = e.getBoundingClientRect();
      return { text: e.textContent, level: e.className, box: [b.left, b.top,
               b.right, b.bottom] };
    }));
  await page.screenshot({ path: path.join(artifacts, `labels-z${z}.png`) });
  const texts = labels.map((l) => l.text);
  // Names of the finer level may join where they fit (a city within its
  // county), never a coarser one.
  const finer = { county: 'commune', commune: null }[level];
  check(names.every((n) => texts.includes(n)) &&
        labels.every((l) => l.level.includes(`mg-label-${level}`) ||
                            (finer && l.level.includes(`mg-label-${finer}`))),
        `zoom ${z}: ${level} names placed (${texts.join(', ')})`);
  let overlaps = 0;
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) {
      const a = labels[i].box, b = labels[j].box;
      if (a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3])
        overlaps++;
    }
  check(overlaps === 0, `zoom ${z}: no two labels overlap (${overlaps})`);
}

/* On the needs map: pressing the legend class "a – b" outlines exactly the
 * communes whose gap_per10k_total (the style's field) in the GeoPackage
 * lies in (a, b]; and a screenshot pixel inside each commune is nearest to
 * the colour of the class its GeoPackage value falls in. */
async function checkClasses() {
  step = `checkClasses()`;
  await page.check('#map-needs');
  await page.evaluate(() => window.mapgenViewer.map.setView([45.1, 25.15], 11, { animate: false }));
  await page.waitForFunction(
    () => document.body.dataset.map === 'needs' &&
          document.body.dataset.tiles === 'loaded',
    null, { timeout: WAIT_MS });
  const spec = JSON.parse(fs.readFileSync(path.join(outDir, 'maps.json')))
    .maps.find((m) => m.name === 'needs');
  const rows = Object.values(expected.commune);
  const classOf = (v) => spec.legend.findIndex((e) => {
    const m = /^([\d.,]+) – ([\d.,]+)$/.exec(e.label);
    const num = (t) => Number(t.replace(/,/g, ''));
    return m ? v > num(m[1]) && v <= num(m[2]) : Number(e.label) === v;
  });
  const j = spec.legend.findIndex((e) => / – /.test(e.label));
  const [lo, hi] = spec.legend[j].label.split(' – ').map(Number);
  const want = rows.filter((r) => r.gap_per10k_total > lo &&
                                  r.gap_per10k_total <= hi).length;
  await page.locator('#legend-items .legend-item').nth(j).click();
  await page.waitForFunction(() => document.body.dataset.highlighted !==
                             undefined, null, { timeout: WAIT_MS });
  const got = Number(await page.evaluate(() =>
    document.body.dataset.highlighted));
  check(want > 0 && got === want, `legend class "${spec.legend[j].label}" ` +
        `outlines ${got} communes, the GeoPackage has ${want} in it`);
  await page.locator('#legend-items .legend-item').nth(j).click();
  await page.evaluate(() => { document.body.dataset.labels = ''; });
  await page.uncheck('#labels-toggle');
  const shot = await page.screenshot();
  const img = decodePng(shot);
  const regions = regionsOf('commune').regions;
  let wrong = [];
  for (const r of rows) {
    const reg = regions.find((x) => x.code === String(r.code));
    // A quarter of the way into the cell: away from the label and dots.
    const lon = reg.bbox[0] + 0.8 * (reg.bbox[2] - reg.bbox[0]);
    const lat = reg.bbox[1] + 0.2 * (reg.bbox[3] - reg.bbox[1]);
    const p = await pointOf(lon, lat);
    const at = (Math.round(p.y) * img.width + Math.round(p.x)) * img.channels;
    const px = [img.px[at], img.px[at + 1], img.px[at + 2]];
    const dist = (hex) => {
      const n = parseInt(hex.slice(1, 7), 16);
      return Math.hypot(px[0] - (n >> 16), px[1] - ((n >> 8) & 255),
                        px[2] - (n & 255));
    };
    const nearest = spec.legend.reduce((best, e, k) =>
      dist(e.color) < dist(spec.legend[best].color) ? k : best, 0);
    if (nearest !== classOf(r.gap_per10k_total))
      wrong.push(`${r.code}: pixel ${px} nearest ${spec.legend[nearest].color}`);
  }
  check(wrong.length === 0, `the needs map's colour inside each commune is ` +
        `that of its class in the GeoPackage ${wrong.join('; ')}`);
  await page.check('#labels-toggle');
}

/* Every download link of the panel is served, with the bytes of the file
 * in the output folder; the GeoPackage, the CSV reports and the MBTiles
 * files are all listed. */
async function checkDownloads() {
  step = `checkDownloads()`;
  const hrefs = await page.evaluate(() =>
    [...document.querySelectorAll('#download-list a')]
      .map((a) => a.getAttribute('href')));
  const want = ['clean.gpkg', 'reports/ranking.csv', 'reports/join-report.csv',
                'needs.mbtiles'];
  check(want.every((h) => hrefs.includes(h)),
        `downloads list ${hrefs.join(', ')}`);
  const bad = [];
  for (const h of hrefs) {
    const r = await page.request.get(baseUrl + h);
    const body = await r.body();
    const file = path.join(outDir, h.split('?')[0]);
    if (r.status() !== 200 || (fs.existsSync(file) &&
        !body.equals(fs.readFileSync(file))))
      bad.push(`${h}: ${r.status()}`);
  }
  check(bad.length === 0, `every download is served whole ${bad.join(' ')}`);
}

/* Prints to PDF (A4 landscape, then A3 portrait) as the print button
 * does; pdfinfo says one page of the sheet's size, pdftotext finds the
 * title, the legend's heading, the sources and the date. */
async function checkPrint() {
  step = `checkPrint()`;
  const title = JSON.parse(fs.readFileSync(path.join(outDir, 'maps.json')))
    .title;
  for (const [paper, orientation, wmm, hmm] of
       [['a4', 'landscape', 297, 210], ['a3', 'portrait', 297, 420]]) {
    await page.evaluate(([p, o]) => window.mapgenViewer.tools.preparePrint(p, o),
                        [paper, orientation]);
    const pdf = path.join(artifacts, `print-${paper}-${orientation}.pdf`);
    await page.pdf({ path: pdf, preferCSSPageSize: true,
                     printBackground: true });
    await page.evaluate(() => window.mapgenViewer.tools.restorePrint());
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const pages = Number((/^Pages:\s+(\d+)/m.exec(info) || [])[1]);
    const size = /^Page size:\s+([\d.]+) x ([\d.]+) pts/m.exec(info) || [];
    const mm = (pt) => Number(pt) / 72 * 25.4;
    check(pages === 1 && Math.abs(mm(size[1]) - wmm) < 2 &&
          Math.abs(mm(size[2]) - hmm) < 2,
          `${paper} ${orientation}: ${pages} page(s) of ` +
          `${Math.round(mm(size[1]))} x ${Math.round(mm(size[2]))} mm`);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'],
                              { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const today = new Date().toISOString().slice(0, 10);
    const flat = (t) => t.replace(/\s+/g, ' ');
    const legend = await page.locator('#legend-title').textContent();
    check(text.includes(flat(title)),
          `${paper} ${orientation}: the PDF has the title "${title}"`);
    check(text.includes(flat(legend)) && text.includes('Test attribution'),
          `${paper} ${orientation}: the PDF has the legend "${legend}" and ` +
          `the sources`);
    check(text.includes(today) && text.includes('Sources') &&
          /\d+ k?m/.test(text),
          `${paper} ${orientation}: the PDF has the date, sources and ` +
          `a scale bar`);
  }
}

/* report.html?county=CODE: the county's name, its totals as the
 * GeoPackage's regions_county row, each category's table holding its
 * communes (parent_code equal as numbers) by gap, largest first, with the
 * GeoPackage's gaps; the recommended sites of the GeoPackage's "sites"
 * layer that lie in them; printed to PDF, one A4 page or more with the
 * county's name. */
async function checkReport(code, name) {
  step = `checkReport(${code})`;
  await page.goto(`${baseUrl}report.html?county=${code}`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.report !== 'loading',
                             null, { timeout: WAIT_MS });
  check(await page.evaluate(() => document.body.dataset.report) === 'ready' &&
        await page.locator('#report-title').textContent() === name,
        `report.html?county=${code} is the report of ${name}`);
  const county = expected.county[code];
  const totals = await page.evaluate(() =>
    [...document.querySelectorAll('#totals [data-field]')]
      .map((e) => [e.dataset.field, e.textContent]));
  const bad = totals.filter(([f, t]) => {
    const [v, tol] = parseShown(t);
    return v === null ? county[f] !== null : Math.abs(v - county[f]) > tol;
  });
  check(totals.length >= 20 && bad.length === 0,
        `${totals.length} totals of ${name} match the GeoPackage ${bad}`);
  const communes = Object.values(expected.commune)
    .filter((r) => Number(r.parent_code) === Number(code));
  const tables = await page.evaluate(() =>
    [...document.querySelectorAll('table.ranking')].map((t) => ({
      category: t.dataset.category,
      rows: [...t.tBodies[0].rows].map((tr) => ({
        code: tr.dataset.code,
        gap: tr.querySelector(`[data-field="gap_${t.dataset.category}"]`)
          .textContent })) })));
  const wrong = [];
  for (const t of tables) {
    const gaps = t.rows.map((r) => expected.commune[r.code][`gap_${t.category}`]);
    const sorted = gaps.every((g, i) => i === 0 || gaps[i - 1] >= g);
    const same = t.rows.length === communes.length &&
      communes.every((c) => t.rows.some((r) => r.code === String(c.code)));
    const shown = t.rows.every((r, i) => {
      const [v, tol] = parseShown(r.gap);
      return Math.abs(v - gaps[i]) <= tol;
    });
    if (!sorted || !same || !shown)
      wrong.push(t.category);
  }
  check(tables.length === 5 && wrong.length === 0,
        `${tables.length} rankings by gap hold the county's ` +
        `${communes.length} communes in order ${wrong.join(' ')}`);
  const codes = new Set(communes.map((c) => String(c.code)));
  const sites = expected.sites.filter((s) => codes.has(String(s.region_code)));
  const siteRows = await page.locator('table.site-table tbody tr').count();
  check(expected.sites.length > 0 && siteRows === sites.length,
        `${siteRows} recommended sites listed, the GeoPackage has ` +
        `${sites.length} in ${name} (${expected.sites.length} in all)`);
  const pdf = path.join(artifacts, `report-${code}.pdf`);
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  const pages = Number((/^Pages:\s+(\d+)/m.exec(info) || [])[1]);
  check(pages >= 1 && /\(A4\)/.test(info) && text.includes(name),
        `the report prints on ${pages} A4 page(s) with "${name}"`);
  await page.goto(baseUrl, { waitUntil: 'load' });
  await waitReady();
}

/* The poverty fixture at /pov/: clicking cell A (25.0-25.1 E, 45.0-45.1
 * N) shows its poverty score, grade, rank, dimension scores and
 * Alkire-Foster figures, each equal to the GeoPackage's column. */
async function checkPoverty() {
  step = `checkPoverty()`;
  await page.goto(`${baseUrl}pov/index.html`, { waitUntil: 'load' });
  await waitReady();
  await page.evaluate(() => window.mapgenViewer.map.setView([45.05, 25.2], 10, { animate: false }));
  await page.waitForFunction(() => document.body.dataset.tiles === 'loaded',
                             null, { timeout: WAIT_MS });
  const p = await pointOf(25.03, 45.03);
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction(
    () => document.getElementById('identify').dataset.code === 'A',
    null, { timeout: WAIT_MS });
  const fields = await page.evaluate(() =>
    [...document.querySelectorAll('#identify [data-field]')]
      .map((e) => e.dataset.field));
  const want = ['poverty_score', 'poverty_grade', 'poverty_rank', 'af_h',
                'af_m0'].filter((f) => f in expected.cell.A);
  check(want.length >= 4 && want.every((f) => fields.includes(f)),
        `the panel of cell A shows ${want.join(', ')}`);
  await checkPanel('cell', 'A', path.join(outDir, 'pov'));
  await page.goto(baseUrl, { waitUntil: 'load' });
  await waitReady();
}

/* Types query into the search box with the map elsewhere, presses Enter,
 * and checks the map's centre is now in the region and its panel open. */
async function checkSearch(query, level, code) {
  step = `checkSearch(${query})`;
  const r = regionsOf(level).regions.find((x) => x.code === code);
  await page.evaluate(() => window.mapgenViewer.map.setView([44.0, 23.0], 7, { animate: false }));
  await page.fill('#search-input', query);
  await page.waitForSelector('#search-results .search-hit',
                             { timeout: WAIT_MS });
  const first = await page.locator('#search-results .hit-name').first()
    .textContent();
  check(first === r.name, `search "${query}" lists "${r.name}" first ` +
        `(got "${first}")`);
  await page.press('#search-input', 'Enter');
  await page.waitForFunction(
    (c) => document.getElementById('identify').dataset.code === c, code,
    { timeout: WAIT_MS });
  const c = await page.evaluate(() => {
    const m = window.mapgenViewer.map;
    return [m.getCenter().lng, m.getCenter().lat, m.getZoom()];
  });
  const [w, s, e, n] = r.bbox;
  check(c[0] >= w && c[0] <= e && c[1] >= s && c[1] <= n && c[2] >= 9,
        `search "${query}" moved the map to ${code}: centre ` +
        `${c[0].toFixed(3)} ${c[1].toFixed(3)} zoom ${c[2]} in ${r.bbox}`);
}

/* A phone: 390 x 844 px, touch.  Tapping commune 007 opens its panel,
 * which fits the screen's width. */
async function checkPhone() {
  step = `checkPhone()`;
  const browser = await launchBrowser(chromiumPath);
  try {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true,
      deviceScaleFactor: 2, reducedMotion: 'reduce' });
    const p = await phone.newPage();
    p.on('pageerror', (e) => seen.pageErrors.push(String(e)));
    await p.goto(baseUrl, { waitUntil: 'load' });
    await p.waitForFunction(() => document.body.dataset.regions === 'ready',
                            null, { timeout: WAIT_MS });
    await p.evaluate(() => window.mapgenViewer.map.setView([45.15, 25.05], 11, { animate: false }));
    const pt = await p.evaluate(() => {
      const m = window.mapgenViewer.map;
      const c = m.latLngToContainerPoint([45.14, 25.04]);
      const b = m.getContainer().getBoundingClientRect();
      return { x: b.left + c.x, y: b.top + c.y };
    });
    await p.touchscreen.tap(pt.x, pt.y);
    await p.waitForFunction(
      () => document.getElementById('identify').dataset.code === '007',
      null, { timeout: WAIT_MS });
    const box = await p.locator('#identify').boundingBox();
    await p.screenshot({ path: path.join(artifacts, 'identify-phone.png') });
    check(box.x >= 0 && box.x + box.width <= 390,
          `a tap on a phone opens the panel of 007, ${Math.round(box.width)} ` +
          `px wide on a 390 px screen`);
  } finally {
    await browser.close();
  }
}

try {
  await run();
  await checkPhone();
} catch (e) {
  check(false, `no exception (during ${step}): ${e.stack || e}`);
  await page.screenshot({ path: path.join(artifacts, 'identify-error.png') })
    .catch(() => {});
}
await context.close();

checkQuiet(seen, baseUrl);
check(seen.consoleErrors.length === 0,
      `no console error ${consoleText(seen.consoleErrors)}`);
finish();
