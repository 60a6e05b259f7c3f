// MapLibre GL JS (npm maplibre-gl) in Debian's headless Chromium loads one
// map from the TileJSON that `mapgen serve` answers, and draws it.
//
// Usage: node maplibre.mjs BASE_URL MAP PROFILE_DIR ARTIFACTS CHROMIUM
//
// Checks: the page reaches "idle" with no MapLibre error, no console
// error and no uncaught exception; every tile request goes to the absolute
// URL of the TileJSON (BASE/MAP/{z}/{x}/{y}.png?v=...) and is answered 200
// image/png; at least one tile; and the canvas is not blank: at least 5 %
// of its pixels differ from the white background.
import fs from 'node:fs';
import path from 'node:path';
import { BROWSER_ARGS, check, consoleText, finish, openPage }
  from '../viewer/browser.mjs';

const [baseUrl, mapName, profileDir, artifacts, chromiumPath] =
  process.argv.slice(2);

fs.mkdirSync(artifacts, { recursive: true });
// WebGL without a GPU: SwiftShader, which Chromium now wants asked for.
const { context, page, seen } = await openPage(chromiumPath, profileDir, {
  args: [...BROWSER_ARGS.filter((a) => a !== '--disable-gpu'),
         '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  viewport: { width: 800, height: 600 },
});
const tiles = [];
page.on('response', async (r) => {
  if (/\.png(\?|$)/.test(r.url()))
    tiles.push({ url: r.url(), status: r.status(),
                 type: r.headers()['content-type'] });
});

try {
  const tjUrl = `${baseUrl}${mapName}.json`;
  const tj = await (await fetch(tjUrl)).json();
  const template = tj.tiles[0];
  check(template.startsWith(`${baseUrl}${mapName}/{z}/{x}/{y}.png?v=`),
        `TileJSON tiles URL is absolute: ${template}`);

  await page.goto(`${baseUrl}maplibre.html?map=${mapName}`);
  await page.waitForFunction(
    () => document.body.dataset.state !== 'loading' || document.body.dataset.error,
    null, { timeout: 60000 });
  const state = await page.evaluate(() => ({
    state: document.body.dataset.state, error: document.body.dataset.error }));
  check(state.state === 'idle' && !state.error,
        `the map is idle without error (${JSON.stringify(state)})`);

  const pattern = new RegExp('^' + template
    .split(/\{[zxy]\}/).map((s) => s.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))
    .join('[0-9]+') + '$');
  check(tiles.length >= 1, `${tiles.length} tile(s) fetched`);
  for (const t of tiles) {
    check(pattern.test(t.url), `tile URL from the TileJSON: ${t.url}`);
    check(t.status === 200 && t.type === 'image/png',
          `tile answered ${t.status} ${t.type}`);
  }
  const share = await page.evaluate(() => {
    const src = window.testMap.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < d.length; i += 4)
      if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) coloured++;
    return coloured / (d.length / 4);
  });
  check(share >= 0.05, `${(share * 100).toFixed(1)} % of the canvas drawn by the tiles`);
  await page.screenshot({ path: path.join(artifacts, `maplibre-${mapName}.png`) });
  check(seen.consoleErrors.length === 0,
        `no console error (${consoleText(seen.consoleErrors)})`);
  check(seen.pageErrors.length === 0,
        `no uncaught exception (${seen.pageErrors.join('; ')})`);
} finally {
  await context.close();
}
finish();
