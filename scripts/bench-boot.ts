/**
 * Browser benchmark (not a test): how soon a user can work after opening the app, in Debian's
 * Chromium, on the built app with the demo district. For a new browser profile, a reload and a
 * later visit in a new tab (the database kept in IndexedDB) it records, from navigation: the first paint, the first
 * inspectable cell (a click on a cell shows its code: the user clicks every 100 ms from the moment
 * the page has cells, as an impatient user would), the database ready, the first cell with the
 * database's details (the counts), and the map drawing the cells itself. The database-backed
 * cell is the baseline: before the snapshot, nothing could be inspected until then.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, servePreview } from './browser';

const root = new URL('..', import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

execFileSync('npx', ['tsx', 'scripts/prepare-demo.ts'], { cwd: root, stdio: 'inherit' });
execFileSync('npx', ['vite', 'build', '--outDir', 'dist-bench-boot', '--emptyOutDir', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
/** Milliseconds from navigation to each moment of a boot. */
interface BootMarks {
  /** Something other than white (the app's frame). */
  firstPaint: number;
  /** The first words (the splash's title). */
  firstText: number;
  cellsShown: number;
  inspectable: number;
  databaseReady: number;
  databaseCell: number;
  mapDrawn: number;
}

/** Records, in the page, when each moment happened (a string: tsx would wrap a function in helpers the page lacks). */
const RECORDER = `(() => {
  const marks = {};
  window.__bootMarks = marks;
  window.__lastLongTaskEnd = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__lastLongTaskEnd = Math.max(window.__lastLongTaskEnd, e.startTime + e.duration);
  }).observe({ type: 'longtask', buffered: true });
  const tick = () => {
    const h = window.__gridatlas;
    const at = (name, yes) => { if (yes && marks[name] === undefined) marks[name] = performance.now(); };
    at('cellsShown', h && h.cellsLoaded > 0);
    at('databaseReady', h && h.bootStage === 'ready');
    at('mapDrawn', h && h.cellsDrawn);
    at('inspectable', document.querySelector('[data-testid="inspector-code"]'));
    at('databaseCell', document.querySelector('[data-testid="inspector-counts"]'));
    if (Object.keys(marks).length < 5) setTimeout(tick, 20);
  };
  tick();
})()`;

/**
 * Clicks a cell every 100 ms from the moment the page has cells until it is inspected, then waits
 * for the database's details. Where to click is asked once (one round trip to a page that may be
 * busy, as a user's eye finds the cell once); each click then waits only for the page to take it.
 */
async function bootAndInspect(page: Page): Promise<BootMarks> {
  await page.waitForFunction(() => (window.__gridatlas?.cellsLoaded ?? 0) > 0, null, { timeout: 300_000, polling: 20 });
  const aim = () =>
    page.evaluate(() => {
      const h = window.__gridatlas;
      const cell = h?.cellAt(200);
      const xy = cell ? h?.project(cell.lngLat) : null;
      const box = document.querySelector('[data-testid="map"]')?.getBoundingClientRect();
      return xy && box ? { x: box.x + xy[0], y: box.y + xy[1] } : null;
    });
  let target = await aim();
  for (let i = 0; i < 3000; i++) {
    // The map may have moved meanwhile (a fit to the user's area): look again now and then.
    if (!target || i % 5 === 4) target = await aim();
    if (target) await page.mouse.click(target.x, target.y);
    if (await page.evaluate('window.__bootMarks.inspectable !== undefined')) break;
    await page.waitForTimeout(100);
  }
  // Then the user waits for the details.
  await page.getByTestId('inspector-counts').waitFor({ timeout: 300_000 });
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true && window.__gridatlas?.bootStage === 'ready', null, {
    timeout: 300_000,
  });
  const marks = (await page.evaluate('window.__bootMarks')) as Omit<BootMarks, 'firstPaint' | 'firstText'>;
  return { ...(await paints(page)), ...marks };
}

/** When the page painted first (anything but white) and when it painted its first words. */
async function paints(page: Page): Promise<{ firstPaint: number; firstText: number }> {
  // A string, as RECORDER is: tsx would name the helpers with a function the page lacks.
  await page.waitForFunction(`performance.getEntriesByName('first-contentful-paint').length > 0`, null, { timeout: 10_000 });
  return (await page.evaluate(
    `({ firstPaint: performance.getEntriesByName('first-paint')[0]?.startTime, firstText: performance.getEntriesByName('first-contentful-paint')[0]?.startTime })`,
  )) as { firstPaint: number; firstText: number };
}

/**
 * The browser's own floor: a page with no script (a coloured bar and a word, as the app's frame)
 * on a new profile, opened as the app is. No app can paint sooner.
 */
const FLOOR_PAGE =
  '<!doctype html><html><head><meta charset="UTF-8"><title>floor</title><style>body{margin:0}div{background:#3b2f63;color:#fff;height:52px}</style></head><body><div>GridAtlas</div></body></html>';

/**
 * A new profile as a user opens one: the browser warms up on a page of the app's origin (its very
 * first navigation costs the browser, not the app, half a second) and is left a second to finish
 * starting (a user types the address meanwhile; a navigation at once competes with the browser's
 * own start-up on two cores and doubles any page's first paint); the profile stays new: no
 * database, no cache of the app.
 */
async function newProfile(): Promise<{ context: BrowserContext; page: Page; done(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'gridatlas-boot-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.addInitScript(RECORDER);
  await page.goto(`${URL_ROOT}favicon.svg`);
  await page.waitForTimeout(1000);
  const done = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, done };
}

/**
 * Waits until the app is at rest: booted, its copy of the database kept, the map drawn, and no
 * long task for two seconds. A reload while the page still draws waits for the old page's frames
 * in the (software) GPU first: up to a second here, which a user who reloads a page they have used
 * does not meet.
 */
async function atRest(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      window.__gridatlas?.persisted === true && (window.__gridatlas?.snapshotsSaved ?? 0) > 0 && window.__gridatlas?.cellsDrawn === true,
    null,
    { timeout: 300_000 },
  );
  await page.waitForFunction('performance.now() - window.__lastLongTaskEnd > 2000', null, { timeout: 300_000, polling: 100 });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function report(label: string, runs: BootMarks[]): string {
  const m = (key: keyof BootMarks) => median(runs.map((r) => r[key]));
  const all = (key: keyof BootMarks) => runs.map((r) => (r[key] / 1000).toFixed(2)).join(' / ');
  return [
    `  ${label} (median of ${runs.length}; each run: ${all('inspectable')} s to the first inspectable cell)`,
    `    first paint ${seconds(m('firstPaint'))} (each run: ${all('firstPaint')} s), first words ${seconds(m('firstText'))}, cells on screen ${seconds(m('cellsShown'))}, first inspectable cell ${seconds(m('inspectable'))}`,
    `    database ready ${seconds(m('databaseReady'))}, first cell with the database's details ${seconds(m('databaseCell'))} (baseline: ${(m('databaseCell') / m('inspectable')).toFixed(1)}× the first inspectable cell), map drew the cells ${seconds(m('mapDrawn'))}`,
  ].join('\n');
}

writeFileSync(join(root, 'dist-bench-boot', 'floor.html'), FLOOR_PAGE);
const { url: URL_ROOT, stop: stopServer } = await servePreview(root, 'dist-bench-boot', 4189);
try {
  const fresh: BootMarks[] = [];
  const reload: BootMarks[] = [];
  const later: BootMarks[] = [];
  const floor: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const bare = await newProfile();
    await bare.page.goto(`${URL_ROOT}floor.html`);
    floor.push((await paints(bare.page)).firstPaint);
    await bare.done();

    const { context, page, done } = await newProfile();
    await page.goto(URL_ROOT);
    fresh.push(await bootAndInspect(page));
    await atRest(page);
    await page.reload();
    reload.push(await bootAndInspect(page));
    // A later visit: the app opened again in a new tab (no old page to tear down first, which a
    // reload waits for: ≈ 0.4 s of the page's heap, workers and WebGL contexts in SwiftShader).
    await atRest(page);
    await page.close();
    const again = await context.newPage();
    await again.addInitScript(RECORDER);
    await again.goto(URL_ROOT);
    later.push(await bootAndInspect(again));
    await done();
  }
  process.stdout.write(
    `boot of the built app with the demo district (570 cells), Chromium (SwiftShader) 1400 × 900\n${report('new profile', fresh)}\n${report('reload', reload)}\n${report('later visit (new tab)', later)}\n  the browser's floor: a page with no script paints first at ${seconds(median(floor))} on a new profile (each run: ${floor.map((f) => (f / 1000).toFixed(2)).join(' / ')} s)\n`,
  );
} finally {
  stopServer();
}
