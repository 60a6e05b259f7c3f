// The period switcher of the viewer (mapgen/viewer/periods.js) in Debian's
// headless Chromium, on the output of tests/fixtures/periods (two periods,
// 2011 and 2015).  periods.sh builds and serves it.
//
// Usage: node periods.mjs BASE_URL PROFILE_DIR CHROMIUM
//
// Checks: the slider is there with the periods' labels; on a small
// multiple, moving it shows the same figure in the other period (the
// active map, the radio button and the URL follow); on a change map it
// starts at the last period and leads to that figure's small multiple; on
// a map of no period it is disabled; no console error.
import { check, finish, openPage } from './browser.mjs';

const [baseUrl, profileDir, chromiumPath] = process.argv.slice(2);
if (!chromiumPath) {
  console.error('usage: node periods.mjs BASE_URL PROFILE_DIR CHROMIUM');
  process.exit(2);
}
const { context, page, seen } = await openPage(chromiumPath, profileDir);
// Absent (transparent) tiles are 404s by design (check.mjs says why).
const errors = () => [...seen.pageErrors, ...seen.consoleErrors
  .filter((e) => !/status of 404/.test(e.text)).map((e) => e.text)];
try {
  await page.goto(baseUrl + '#map=gap-total-2015');
  await page.waitForSelector('#period', { timeout: 30000 });
  const active = () => page.evaluate(() => document.body.dataset.map);
  await page.waitForFunction(() => document.body.dataset.map ===
                             'gap-total-2015', null, { timeout: 30000 });
  const marks = await page.$$eval('#period-marks option',
                                  (o) => o.map((x) => x.label));
  check(JSON.stringify(marks) === '["2011","2015"]', `period marks ${marks}`);
  check(await page.$eval('#period', (i) => i.value) === '1',
        'slider at 2015 for gap-total-2015');
  check(await page.$eval('#period-value', (o) => o.textContent) === '2015',
        'the slider says 2015');
  await page.$eval('#period', (i) => {
    i.value = '0';
    i.dispatchEvent(new Event('input'));
  });
  await page.waitForFunction(() => document.body.dataset.map ===
                             'gap-total-2011', null, { timeout: 10000 });
  check(await active() === 'gap-total-2011', 'moved to gap-total-2011');
  check(await page.$eval('#map-gap-total-2011', (i) => i.checked),
        'its radio button is checked');
  check(page.url().endsWith('#map=gap-total-2011'), 'the URL names it');
  // A change map: the slider stands at its last period, and moving it
  // shows the figure in that period.
  await page.click('#map-change-poverty-index');
  await page.waitForFunction(() => document.body.dataset.map ===
                             'change-poverty-index', null, { timeout: 10000 });
  check(await page.$eval('#period', (i) => i.value) === '1' &&
        !(await page.$eval('#period', (i) => i.disabled)),
        'change map: slider at 2015, enabled');
  await page.$eval('#period', (i) => {
    i.value = '0';
    i.dispatchEvent(new Event('input'));
  });
  await page.waitForFunction(() => document.body.dataset.map ===
                             'poverty-index-2011', null, { timeout: 10000 });
  check(await active() === 'poverty-index-2011',
        'from the change map to poverty-index-2011');
  // A map of no period: nothing to move through.
  await page.click('#map-needs');
  await page.waitForFunction(() => document.body.dataset.map === 'needs',
                             null, { timeout: 10000 });
  check(await page.$eval('#period', (i) => i.disabled),
        'needs: the slider is disabled');
  check(errors().length === 0, `no console error (${errors().join('; ')})`);
} catch (e) {
  check(false, `page: ${e.message}`);
} finally {
  await context.close();
}
finish();
