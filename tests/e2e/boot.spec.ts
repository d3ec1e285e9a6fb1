import { expect, type Page, test } from '@playwright/test';
import { collectErrors, keepScreenshot, pagePoint, waitForCells } from './helpers';

/**
 * Holds PostGIS's bundle (fetched at every start of the embedded database) until `release`:
 * the database cannot be ready before, so what the page shows meanwhile is what a user meets
 * while it boots, however fast the machine.
 */
async function holdDatabase(page: Page): Promise<() => void> {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route('**/pglite/postgis.tar.gz', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Clicks the middle of the i-th cell on the map; returns its code. */
async function clickCell(page: Page, i: number): Promise<string> {
  const cell = await page.evaluate((k) => window.__gridatlas?.cellAt(k) ?? null, i);
  if (!cell) throw new Error('no cell to click');
  const { x, y } = await pagePoint(page, cell.lngLat as [number, number]);
  await page.mouse.click(x, y);
  return cell.code;
}

/** While the database is held: the cells come from the snapshot, a click inspects one, details wait. */
async function inspectBeforeDatabase(page: Page, screenshot: string): Promise<void> {
  await page.waitForFunction(() => window.__gridatlas?.cellsFrom === 'snapshot');
  await expect(page.getByTestId('cells-poster')).toBeVisible();
  await page.getByTestId('layer-event').uncheck();
  const code = await clickCell(page, 200);
  await expect(page.getByTestId('inspector-code')).toHaveText(code);
  await expect(page.getByTestId('inspector-class')).toContainText('类');
  await expect(page.getByTestId('inspector-community')).toContainText('社区');
  await expect(page.getByTestId('inspector-details-loading')).toBeVisible();
  await expect(page.getByTestId('boot-status')).toBeVisible();
  expect(await page.evaluate(() => window.__gridatlas?.bootStage)).not.toBe('ready');
  await keepScreenshot(page, screenshot);
}

test('a new visitor sees a frame at once, then inspects a cell from the shipped snapshot before the database is up', async ({ page }) => {
  const errors = collectErrors(page);
  const release = await holdDatabase(page);
  await page.goto('/', { waitUntil: 'commit' });
  // index.html paints the frame before any script runs, then its words.
  await expect(page.getByTestId('splash')).toBeVisible();
  await expect(page.getByTestId('splash').getByRole('status')).toHaveText(/正在打开地图/);
  await inspectBeforeDatabase(page, '01a-inspect-before-database');
  // The app began once those frames were on the screen (or after its longest wait for them), and
  // only then asked for its code: nothing of it ran before the first paint.
  const start = await page.evaluate(() => {
    const mark = performance.getEntriesByName('gridatlas:start')[0] as PerformanceMark | undefined;
    const app = performance.getEntriesByType('resource').find((e) => e.name.includes('/assets/start-app-'));
    return { at: mark?.startTime, why: mark?.detail, app: app?.startTime, painted: performance.getEntriesByName('first-paint').length };
  });
  expect(['frames', 'wait']).toContain(start.why);
  expect(start.app).toBeGreaterThanOrEqual(start.at ?? Number.POSITIVE_INFINITY);
  expect(start.painted).toBe(1);
  release();
  await page.waitForFunction(() => window.__gridatlas?.bootStage === 'ready' && window.__gridatlas?.cellsFrom === 'database');
  // The details follow from the database, for the same cell.
  await expect(page.getByTestId('inspector-counts')).toContainText('人员');
  await expect(page.getByTestId('inspector-details-loading')).toHaveCount(0);
  // The map has drawn the cells itself: the poster has stepped aside.
  await waitForCells(page);
  await expect(page.getByTestId('cells-poster')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a reload inspects a cell from the last visit’s snapshot before the database is up', async ({ page }) => {
  // A shared worker may outlive the reload, and the database with it (the page then finds it up
  // at once); without shared workers (the fallback) every reload boots the database again, which
  // is what this test holds back.
  await page.addInitScript(() => {
    Reflect.deleteProperty(window, 'SharedWorker');
  });
  await page.goto('/');
  await waitForCells(page);
  await page.waitForFunction(() => window.__gridatlas?.persisted === true && (window.__gridatlas?.snapshotsSaved ?? 0) > 0);
  const release = await holdDatabase(page);
  await page.reload();
  await inspectBeforeDatabase(page, '01b-reload-inspect-before-database');
  release();
  await page.waitForFunction(() => window.__gridatlas?.bootStage === 'ready');
  await expect(page.getByTestId('inspector-counts')).toContainText('人员');
  expect(await page.evaluate(() => window.__gridatlas?.reopened)).toBe(true);
});

test('a stale or empty acting user in localStorage falls back to the administrator instead of failing the boot', async ({ page }) => {
  for (const stale of ['', 'not-a-member', '00000000-0000-4000-8000-000000000099']) {
    await page.addInitScript((value) => localStorage.setItem('gridatlas.actingAs', value), stale);
    await page.goto('/');
    await waitForCells(page);
    await expect(page.getByTestId('session-select')).toHaveValue('00000000-0000-4000-8000-000000000001');
    await expect(page.getByTestId('boot-status')).toHaveCount(0);
  }
});
