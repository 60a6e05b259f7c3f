// The viewer page in Debian's headless Chromium, driven over the DevTools
// protocol by playwright-core (browser.mjs launches it).  run.sh builds and
// serves the page first.
//
// Usage: node check.mjs BASE_URL OUT_DIR PROFILE_DIR ARTIFACTS CHROMIUM
//
// What it checks, for the fixture of fixture.c:
//   - the page loads, the title of maps.json is shown (h1 and <title>)
//   - the layer switcher has one radio button per map, in order, titled
//   - each map, chosen by its radio button, is drawn: a screenshot region
//     in the middle of a tile has the tile's colour at the map's opacity
//     over the base's colour; the legend shown is the map's (HTML list
//     with swatch colours, or the PNG); the URL remembers the choice, a
//     link to #map=NAME switches, a reload keeps the map
//   - the absent tile of "poverty" shows the base through, quietly
//   - @2x tiles are requested as {y}@2x.png, and only inside the data
//     bounds of the map's TileJSON
//   - the opacity slider changes the colour; each map keeps its opacity
//   - the attribution of maps.json is shown, as text (not as HTML)
//   - on a narrow screen the map comes first, at a usable height
//   - every request goes to the server of the page (no internet)
//   - no console error, no uncaught exception (the one exception below)
//
// Console errors: none is allowed but this one.  Chromium logs every failed
// resource load ("Failed to load resource: the server responded with a
// status of 404") as a console error, and transparent tiles are never
// written, so asking for one is a 404 by design (the page limits requests
// to the data bounds but cannot know which tiles inside them are empty).
// Such a message is ignored only when its URL is a tile URL of maps.json
// that the server answered with 404; any other 404 or error fails.
//
// Colours: Chromium composites the map at the layer's opacity in 8 bits,
// and an opacity such as 0.85 becomes alpha 217/255, so a channel may be
// off by one or two from round(c * o + b * (1 - o)); TOLERANCE allows 3.
// Tiles are solid and every sampled pixel lies well inside one tile, so
// resampling at tile edges never enters.  The page is taken with
// prefers-reduced-motion, which turns Leaflet's fades off, so no tile is
// caught half faded in.

import fs from 'node:fs';
import path from 'node:path';
import { decodePng } from './png.mjs';
import { check, checkQuiet, consoleText, finish, openPage } from './browser.mjs';

const TOLERANCE = 3;
const WAIT_MS = 30000;
const VIEWPORT = { width: 1024, height: 768 };

const [baseUrl, outDir, profileDir, artifacts, chromiumPath] =
  process.argv.slice(2);
if (!chromiumPath) {
  console.error('usage: node check.mjs BASE_URL OUT_DIR PROFILE_DIR ' +
                'ARTIFACTS CHROMIUM');
  process.exit(2);
}
const doc = JSON.parse(fs.readFileSync(path.join(outDir, 'maps.json')));
const fixture = JSON.parse(fs.readFileSync(path.join(outDir,
                                                     'fixture.json')));

// ---- helpers -------------------------------------------------------------

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1, 7), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/* "#rrggbb" or "#rrggbbaa" as getComputedStyle() writes it */
function hexToCss(hex) {
  const rgb = hexToRgb(hex).join(', ');
  if (hex.length !== 9)
    return `rgb(${rgb})`;
  const a = parseInt(hex.slice(7), 16) / 255;
  return `rgba(${rgb}, ${Math.round(a * 1000) / 1000})`;
}

/* colour at opacity o over base, as the browser composites it */
function mix(colour, base, o) {
  return colour.map((c, i) => Math.round(c * o + base[i] * (1 - o)));
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/* A regular expression for the tile URLs of a map, as the page asks them
 * (512-px maps with @2x inserted, see viewer.js tileTemplate). */
function tileRe(spec) {
  let t = spec.tiles;
  if (spec.tile_size === 512 && !t.includes('@2x'))
    t = t.replace('{y}', '{y}@2x');
  const re = escapeRe(baseUrl + t)
    .replace('\\{z\\}', '(\\d+)').replace('\\{x\\}', '(\\d+)')
    .replace('\\{y\\}', '(\\d+)');
  return new RegExp(`^${re}$`);
}
const tileRes = [doc.base, ...doc.maps].map((s) => ({ name: s.name,
                                                      re: tileRe(s) }));
function tileOf(url) {
  for (const { name, re } of tileRes) {
    const m = re.exec(url);
    if (m) return { name, z: +m[1], x: +m[2], y: +m[3] };
  }
  return null;
}

/* lon/lat bounds of XYZ tile z/x/y */
function tileBounds(z, x, y) {
  const n = 2 ** z;
  const lat = (row) => Math.atan(Math.sinh(Math.PI * (1 - 2 * row / n))) *
                       180 / Math.PI;
  return [x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)];
}

function intersects(a, b) {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

// ---- the browser ---------------------------------------------------------

fs.mkdirSync(artifacts, { recursive: true });
const { context, page, seen } =
  await openPage(chromiumPath, profileDir, { viewport: VIEWPORT });
const { consoleErrors, failedRequests, requests, statuses } = seen;

/* Waits until the page shows map `name` with all its tiles settled. */
async function waitShown(name) {
  await page.waitForFunction(
    (n) => document.body.dataset.tiles === 'failed' ||
           (document.body.dataset.map === n &&
            document.body.dataset.tiles === 'loaded'),
    name, { timeout: WAIT_MS });
  const state = await page.evaluate(() => document.body.dataset.tiles);
  if (state === 'failed')
    throw new Error('the page says: ' +
                    await page.locator('#status').textContent());
}

/* An 11 x 11 px box in the middle of the visible part of the tile that
 * holds lon/lat at the map's zoom, in page coordinates. */
async function tileBox(lon, lat) {
  return page.evaluate(([lo, la]) => {
    const m = window.mapgenViewer.map;
    const z = m.getZoom();
    const t = m.project([la, lo], z).divideBy(256).floor();
    const nw = m.latLngToContainerPoint(m.unproject([t.x * 256, t.y * 256], z));
    const se = m.latLngToContainerPoint(
      m.unproject([(t.x + 1) * 256, (t.y + 1) * 256], z));
    const size = m.getSize();
    const box = m.getContainer().getBoundingClientRect();
    const x0 = Math.max(nw.x, 0), x1 = Math.min(se.x, size.x);
    const y0 = Math.max(nw.y, 0), y1 = Math.min(se.y, size.y);
    const cx = Math.round(box.left + (x0 + x1) / 2);
    const cy = Math.round(box.top + (y0 + y1) / 2);
    const hit = document.elementFromPoint(cx, cy);
    return { z, x: t.x, y: t.y, w: x1 - x0, h: y1 - y0,
             covered: !hit || !!hit.closest('.leaflet-control'),
             clip: { x: cx - 5, y: cy - 5, width: 11, height: 11 } };
  }, [lon, lat]);
}

/* Every pixel of the box within TOLERANCE of rgb. */
async function checkColour(box, rgb, what) {
  if (!check(box.w >= 40 && box.h >= 40 && !box.covered,
             `${what}: tile ${box.z}/${box.x}/${box.y} has ` +
             `${Math.round(box.w)} x ${Math.round(box.h)} px in view, ` +
             `not under a control`))
    return;
  const png = decodePng(await page.screenshot({ clip: box.clip }));
  let worst = 0, seen = null;
  for (let i = 0; i < png.width * png.height; i++) {
    const p = [...png.px.subarray(i * png.channels, i * png.channels + 3)];
    const d = Math.max(...p.map((v, k) => Math.abs(v - rgb[k])));
    if (d >= worst) { worst = d; seen = p; }
  }
  check(worst <= TOLERANCE,
        `${what}: colour rgb(${seen}) within ${TOLERANCE} of rgb(${rgb})`);
}

async function checkLegend(spec) {
  const legend = page.locator('#legend');
  check(await legend.isVisible(), `${spec.name}: legend visible`);
  check((await page.locator('#legend-title').textContent()) ===
        spec.legend_title, `${spec.name}: legend title "${spec.legend_title}"`);
  const items = page.locator('#legend-items li.legend-item');
  const entries = spec.legend || [];
  check(await items.count() === entries.length,
        `${spec.name}: ${entries.length} legend entries`);
  for (let i = 0; i < entries.length; i++) {
    const item = items.nth(i);
    const text = (await item.textContent()).trim();
    const [colour, cls] = await item.locator('.swatch').evaluate(
      (el) => [getComputedStyle(el).backgroundColor, el.className]);
    const shape = entries[i].shape || 'box';
    check(text === entries[i].label && colour === hexToCss(entries[i].color) &&
          cls.split(' ').includes(`swatch-${shape}`),
          `${spec.name}: legend entry "${entries[i].label}" ` +
          `${entries[i].color} ${shape} (got "${text}" ${colour} ${cls})`);
  }
  const groups = entries.map((e) => e.group).filter((g, i, a) =>
    g && g !== a[i - 1]);
  const headings = await page.locator('#legend-items li.legend-group')
    .allTextContents();
  check(JSON.stringify(headings) === JSON.stringify(groups),
        `${spec.name}: legend groups [${groups.join(', ')}]`);
  const img = page.locator('#legend-image');
  if (entries.length === 0 && spec.legend_image) {
    const ok = await img.evaluate((el) => el.complete && el.naturalWidth > 0);
    check(await img.isVisible() && ok,
          `${spec.name}: legend image ${spec.legend_image} shown`);
  } else {
    check(!(await img.isVisible()), `${spec.name}: no legend image`);
  }
  const link = page.locator('#legend-link');
  if (entries.length > 0 && spec.legend_image)
    check(await link.isVisible() &&
          await link.getAttribute('href') === spec.legend_image,
          `${spec.name}: legend image offered as a link`);
  else
    check(!(await link.isVisible()), `${spec.name}: no legend link`);
}

async function showMap(spec) {
  await page.getByLabel(spec.title, { exact: true }).check();
  await waitShown(spec.name);
  check(await page.isChecked(`#map-${spec.name}`),
        `${spec.name}: its radio button is checked`);
  check(new URL(page.url()).hash === `#map=${spec.name}`,
        `${spec.name}: the URL remembers it (${page.url()})`);
}

const centre = [(doc.bounds[0] + doc.bounds[2]) / 2,
                (doc.bounds[1] + doc.bounds[3]) / 2];
const base = fixture.base;

async function run() {
  await page.goto(baseUrl, { waitUntil: 'load', timeout: WAIT_MS });
  await waitShown(doc.maps[0].name);

  check((await page.locator('h1').textContent()) === doc.title,
        `title shown: "${doc.title}"`);
  check((await page.title()) === doc.title, 'document title');
  const labels = (await page.locator('#switcher label').allTextContents())
    .map((s) => s.trim());
  check(JSON.stringify(labels) ===
        JSON.stringify(doc.maps.map((m) => m.title)),
        `layer switcher lists every map in order: ${labels.join(' | ')}`);
  check(await page.locator('#switcher input[type=radio]').count() ===
        doc.maps.length, `${doc.maps.length} radio buttons`);
  check(await page.locator('#sources').isVisible() &&
        (await page.locator('#attribution').textContent()) ===
        doc.attribution &&
        await page.locator('#attribution b').count() === 0,
        'attribution of maps.json shown under Sources, as text');
  check((await page.locator('#base-note').textContent())
    .includes(doc.base.title), 'base layer named in the panel');
  const view = await page.evaluate((b) => {
    const m = window.mapgenViewer.map;
    return { z: m.getZoom(), max: m.getMaxZoom(),
             fits: m.getBounds().contains([[b[1], b[0]], [b[3], b[2]]]) };
  }, doc.bounds);
  check(view.fits && view.z >= fixture.hole.minzoom,
        `view fits the bounds (zoom ${view.z})`);
  const deepest = Math.max(...[doc.base, ...doc.maps].map((m) => m.maxzoom));
  check(view.max === deepest + 2,
        `zooms in 2 levels past the deepest tiles (${view.max})`);

  for (const [i, spec] of doc.maps.entries()) {
    if (i > 0)
      await showMap(spec);
    await page.screenshot({ path: path.join(artifacts, `${spec.name}.png`) });
    await checkLegend(spec);
    const colour = fixture.colours[spec.name];
    await checkColour(await tileBox(...centre),
                      mix(colour, base, spec.opacity),
                      `${spec.name}: map centre`);
    if (spec.name === fixture.hole.map) {
      const box = await tileBox(fixture.hole.lon, fixture.hole.lat);
      const url = `${baseUrl}tiles/${spec.name}/${box.z}/${box.x}/${box.y}.png`;
      check(statuses.get(url) === 404, `${spec.name}: absent tile asked, 404`);
      await checkColour(box, base, `${spec.name}: absent tile shows the base`);
    }
  }

  // @2x tiles, and only inside the data bounds of the TileJSON.
  const services = doc.maps.find((m) => m.tile_size === 512);
  const tj = JSON.parse(fs.readFileSync(path.join(outDir, services.tilejson)));
  const asked = requests.map(tileOf).filter((t) => t &&
                                             t.name === services.name);
  check(asked.length > 0 &&
        requests.filter((u) => u.includes(`/${services.name}/`) &&
                        u.endsWith('.png')).every((u) => u.includes('@2x')),
        `${services.name}: ${asked.length} tiles asked, all @2x`);
  const outside = asked.filter((t) => !intersects(tileBounds(t.z, t.x, t.y),
                                                   tj.bounds));
  check(outside.length === 0,
        `${services.name}: no tile asked outside its data bounds ` +
        `(${outside.map((t) => `${t.z}/${t.x}/${t.y}`).join(' ')})`);

  // Opacity: the slider sets the map's, and each map keeps its own.
  await page.locator('#opacity').fill('50');
  check((await page.locator('#opacity-value').textContent()) === '50%',
        'opacity slider shows 50%');
  await checkColour(await tileBox(...centre),
                    mix(fixture.colours[services.name], base, 0.5),
                    `${services.name}: at opacity 50%`);
  await page.screenshot({ path: path.join(artifacts, 'opacity-50.png') });
  const first = doc.maps[0];
  await showMap(first);
  check(await page.locator('#opacity').inputValue() ===
        String(Math.round(first.opacity * 100)),
        `${first.name}: keeps its own opacity`);
  await checkColour(await tileBox(...centre),
                    mix(fixture.colours[first.name], base, first.opacity),
                    `${first.name}: switching back changes the colour back`);

  // A link to another map of the page switches; a reload keeps the map.
  const second = doc.maps[1], last = doc.maps[doc.maps.length - 1];
  await page.goto(`${baseUrl}#map=${second.name}`);
  await waitShown(second.name);
  check(await page.isChecked(`#map-${second.name}`),
        `a link to #map=${second.name} switches to it`);
  await showMap(last);
  await page.reload({ waitUntil: 'load' });
  await waitShown(last.name);
  check(await page.isChecked(`#map-${last.name}`),
        `a reload keeps ${last.name}`);

  // A narrow screen: the map on top at a usable height, the panel below.
  await page.setViewportSize({ width: 420, height: 800 });
  await waitShown(last.name);
  const [mapBox, panelBox] = await page.evaluate(() =>
    ['#map', '.panel'].map((s) => {
      const r = document.querySelector(s).getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: r.height };
    }));
  check(mapBox.height >= 300 && mapBox.bottom <= panelBox.top + 1,
        `narrow screen: map ${Math.round(mapBox.height)} px high, above ` +
        'the panel');
  await page.screenshot({ path: path.join(artifacts, 'narrow.png'),
                          fullPage: true });
}

let crashed = null;
try {
  await run();
} catch (e) {
  crashed = e;
  await page.screenshot({ path: path.join(artifacts, 'failure.png') })
    .catch(() => {});
} finally {
  await context.close();
}
if (crashed)
  check(false, `the checks ran to the end: ${crashed.message}`);

// ---- what the browser saw --------------------------------------------------

checkQuiet(seen, baseUrl);
// The fixture has no per-region files (regions/, written by `mapgen run`):
// the page asks for regions/index.json, gets a 404 and shows the maps
// without identify and search; viewer_identify tests those.
const noRegions = (u) => u === baseUrl + 'regions/index.json';
const badStatus = [...statuses].filter(([u, s]) =>
  s >= 400 && !(s === 404 && (tileOf(u) || noRegions(u))));
check(badStatus.length === 0,
      `no failed request but absent tiles ${badStatus.join(' ')}`);
const tile404 = [...statuses].filter(([u, s]) => s === 404 && tileOf(u));
const unexpected = consoleErrors.filter((e) =>
  !(/^Failed to load resource: the server responded with a status of 404/
    .test(e.text) && (tileOf(e.url) || noRegions(e.url)) &&
    statuses.get(e.url) === 404));
check(unexpected.length === 0,
      `no console error (${consoleErrors.length - unexpected.length} ` +
      `404s of absent tiles ignored, ${tile404.length} such tiles asked) ` +
      consoleText(unexpected));
const lost = failedRequests.filter((f) =>
  !((tileOf(f.url) || noRegions(f.url)) && f.error === 'net::ERR_ABORTED'));
check(lost.length === 0,
      `no request failed but tiles Leaflet cancelled ` +
      lost.map((f) => `${f.url} ${f.error}`).join(' '));

finish();
