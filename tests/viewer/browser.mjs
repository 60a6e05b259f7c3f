// What every browser test here shares (check.mjs, identify.mjs,
// periods.mjs; tests/serve/maplibre.mjs): Debian's headless Chromium
// through playwright-core (which never downloads a browser here: it is
// given the path of /usr/bin/chromium), what the page says on its console
// and which requests it makes, and the ok/FAIL lines with their count.

import { chromium } from 'playwright-core';

// Playwright passes most of these itself; listed so the set is known.
export const BROWSER_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  '--force-color-profile=srgb'];

let passed = 0;
const failures = [];

/* Prints "ok   what" or "FAIL what" and counts it; returns ok. */
export function check(ok, what) {
  if (ok)
    passed++;
  else
    failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  return ok;
}

/* The count of the checks, and the exit: 1 when one failed. */
export function finish() {
  console.log(`${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

/* Launches Chromium on a persistent profile at 1024 x 768, 1 px per CSS
 * pixel, without motion (Leaflet's fades off, so no tile is caught half
 * faded in); options override those (args, viewport, ...).  Returns
 * { context, page, seen }: seen collects, from the start, the console's
 * errors ({ text, url }), uncaught exceptions, every request's URL, the
 * status of each URL answered and the requests that failed
 * ({ url, error }).  Console warnings are printed. */
export async function openPage(chromiumPath, profileDir, options = {}) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: BROWSER_ARGS,
    viewport: { width: 1024, height: 768 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
    timeout: 60000,
    ...options,
  });
  const page = context.pages()[0] || await context.newPage();
  const seen = { consoleErrors: [], pageErrors: [], requests: [],
                 statuses: new Map(), failedRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error')
      seen.consoleErrors.push({ text: m.text(), url: m.location().url });
    else if (m.type() === 'warning')
      console.log(`console warning: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.pageErrors.push(String(e)));
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('response', (r) => seen.statuses.set(r.url(), r.status()));
  page.on('requestfailed', (r) => seen.failedRequests.push(
    { url: r.url(), error: r.failure() ? r.failure().errorText : '' }));
  return { context, page, seen };
}

/* A browser without a profile, for contexts of other devices. */
export function launchBrowser(chromiumPath) {
  return chromium.launch({ executablePath: chromiumPath, headless: true,
                           args: BROWSER_ARGS });
}

/* Console errors as one line: "text [url]; ...". */
export function consoleText(errors) {
  return errors.map((e) => `${e.text} [${e.url}]`).join('; ');
}

/* The checks at the end of every page test: no uncaught exception and no
 * request to a server other than the page's. */
export function checkQuiet(seen, baseUrl) {
  check(seen.pageErrors.length === 0,
        `no uncaught exception ${seen.pageErrors.join('; ')}`);
  const foreign = seen.requests.filter((u) => !u.startsWith(baseUrl) &&
                                              !u.startsWith('data:'));
  check(foreign.length === 0,
        `every request goes to the page's server ${foreign.join(' ')}`);
}
