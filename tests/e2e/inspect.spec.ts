import { expect, test } from '@playwright/test';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { classPixels, collectErrors, keepScreenshot, waitForCells } from './helpers';

type CellsFile = FeatureCollection<MultiPolygon, { code: string; name: string }>;

test('boots on the embedded database, draws the cells by class, without console errors', async ({ page }) => {
  const errors = collectErrors(page);
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1:4173/') && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
      outside.push(r.url());
  });
  await page.goto('/');
  await expect(page.getByTestId('boot-status')).toBeVisible();
  await keepScreenshot(page, '01-booting');
  await waitForCells(page);
  await expect(page.getByTestId('district-name')).toHaveText('湘麓区');
  await expect(page.getByTestId('legend')).toContainText('A 类 重点网格');
  const withCells = await classPixels(page);
  await keepScreenshot(page, '02-cells');
  // A, B and C cells each cover a visible share of the map.
  expect(withCells.red / withCells.total).toBeGreaterThan(0.01);
  expect(withCells.amber / withCells.total).toBeGreaterThan(0.01);
  expect(withCells.green / withCells.total).toBeGreaterThan(0.05);
  // Switching the cell layer off removes those colours: they came from the cells.
  await page.getByTestId('layer-cells').uncheck();
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn !== undefined);
  await expect.poll(async () => (await classPixels(page)).green).toBeLessThan(withCells.green / 5);
  await page.getByTestId('layer-cells').check();
  await expect.poll(async () => (await classPixels(page)).green).toBeGreaterThan(withCells.green / 2);
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

test('clicking a cell opens the inspector with its code, class and counts', async ({ page }) => {
  await page.goto('/');
  await waitForCells(page);
  // Points are drawn over cells and win the click: switch the events off first.
  await page.getByTestId('layer-event').uncheck();
  const cells = (await (await page.request.get('/demo/cells.geojson')).json()) as CellsFile;
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('map has no box');
  // Choose a cell whose centre lies well inside the visible map, away from the panels.
  let target: { code: string; x: number; y: number } | null = null;
  for (const f of cells.features) {
    const ring = f.geometry.coordinates[0]?.[0] ?? [];
    const lng = ring.reduce((s, p) => s + (p[0] as number), 0) / ring.length;
    const lat = ring.reduce((s, p) => s + (p[1] as number), 0) / ring.length;
    const xy = await page.evaluate((p) => window.__gridatlas?.project(p as [number, number]) ?? null, [lng, lat]);
    if (xy && xy[0] > 300 && xy[0] < box.width - 420 && xy[1] > 80 && xy[1] < box.height - 120) {
      target = { code: f.properties.code, x: xy[0], y: xy[1] };
      break;
    }
  }
  if (!target) throw new Error('no cell in view');
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await expect(page.getByTestId('inspector-code')).toHaveText(target.code);
  await expect(page.getByTestId('inspector-class')).toContainText('类');
  await expect(page.getByTestId('inspector-counts')).toContainText('人员');
  await keepScreenshot(page, '03-cell-inspector');
});

test('clicking an event shows its details and its cell', async ({ page }) => {
  await page.goto('/');
  await waitForCells(page);
  await page.waitForFunction(() => (window.__gridatlas?.pointsLoaded.event ?? 0) > 0);
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('map has no box');
  // Zoom to an event so that it is not hidden under its neighbours, then click it.
  const event = await page.evaluate(() => window.__gridatlas?.pointAt('event', 1234) ?? null);
  if (!event) throw new Error('no event loaded');
  await page.waitForFunction(() => window.__gridatlas?.mapSettled() === true);
  await page.evaluate((p) => window.__gridatlas?.flyTo(p, 18), event.lngLat);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true && window.__gridatlas?.mapSettled() === true);
  const xy = await page.evaluate((p) => window.__gridatlas?.project(p) ?? null, event.lngLat);
  if (!xy) throw new Error('cannot project');
  await page.mouse.click(box.x + xy[0], box.y + xy[1]);
  await expect(page.getByTestId('inspector-title')).toContainText('事件');
  await expect(page.getByTestId('inspector-point-cell')).toContainText('430199');
  await keepScreenshot(page, '04-event-inspector');
});

test('the language switch turns the UI to English and back', async ({ page }) => {
  await page.goto('/');
  await waitForCells(page);
  await expect(page.locator('.layer-panel h2').first()).toHaveText('图层');
  await expect(page.locator('.maplibregl-ctrl-zoom-in')).toHaveAttribute('title', '放大');
  await page.getByTestId('lang-en').click();
  await expect(page.locator('.header h1')).toContainText('GridAtlas');
  await expect(page.locator('.layer-panel h2').first()).toHaveText('Layers');
  await expect(page.getByTestId('legend')).toContainText('A key cell');
  await expect(page.locator('.maplibregl-ctrl-zoom-in')).toHaveAttribute('title', 'Zoom in');
  // The map rebuilt in English still draws the cells.
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true);
  expect((await classPixels(page)).green).toBeGreaterThan(10_000);
  await keepScreenshot(page, '05-english');
  await page.reload();
  await expect(page.locator('.layer-panel h2').first()).toHaveText('Layers');
  await page.getByTestId('lang-zh').click();
  await expect(page.locator('.layer-panel h2').first()).toHaveText('图层');
});

test('a later boot reopens the IndexedDB copy instead of downloading again', async ({ page }) => {
  await page.goto('/');
  await waitForCells(page);
  // The first boot's copy is written to IndexedDB after the database is ready.
  await page.waitForFunction(() => window.__gridatlas?.persisted === true);
  const downloads: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('pgdata.tar.gz')) downloads.push(r.url());
  });
  await page.reload();
  await waitForCells(page);
  expect(await page.evaluate(() => window.__gridatlas?.reopened)).toBe(true);
  expect(downloads).toEqual([]);
});

test('acting as the command centre shows a person with personal data masked', async ({ page }) => {
  await page.goto('/');
  await waitForCells(page);
  await page.getByTestId('session-select').selectOption({ label: '指挥中心 · 李强' });
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true);
  await page.getByTestId('layer-event').uncheck();
  await page.getByTestId('layer-person').check();
  await page.waitForFunction(() => (window.__gridatlas?.pointsLoaded.person ?? 0) > 0);
  const person = await page.evaluate(() => window.__gridatlas?.pointAt('person', 100) ?? null);
  if (!person) throw new Error('no person loaded');
  // The view first finishes moving to the command centre's area (the role switch), then jumps to the person.
  await page.waitForFunction(() => window.__gridatlas?.mapSettled() === true);
  await page.evaluate((p) => window.__gridatlas?.flyTo(p, 19), person.lngLat);
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true && window.__gridatlas?.mapSettled() === true);
  const box = await page.getByTestId('map').boundingBox();
  const xy = await page.evaluate((p) => window.__gridatlas?.project(p) ?? null, person.lngLat);
  if (!box || !xy) throw new Error('cannot place the click');
  await page.mouse.click(box.x + xy[0], box.y + xy[1]);
  await expect(page.getByTestId('inspector-title')).toContainText('人员');
  await expect(page.getByTestId('inspector-personal')).toContainText('********');
  await expect(page.getByTestId('inspector-personal-note')).toHaveText(
    '指挥中心身份仅可查看脱敏信息：姓名、证件号、电话、地址均已隐去，不含性别与出生年份',
  );
  // Where people are, not who: the name shows its first character only, no birth year or gender.
  await expect(page.getByTestId('inspector')).toContainText(/[\u4e00-\u9fa5]\*+/);
  await expect(page.getByTestId('inspector').locator('dt', { hasText: /出生年份|性别/ })).toHaveCount(0);
  await keepScreenshot(page, '06-command-masked');
});

test('a planner sees people only as counts: the people layer cannot be shown, the cell still counts them', async ({ page }) => {
  await page.goto('/');
  await waitForCells(page);
  await page.getByTestId('session-select').selectOption({ label: '规划分析 · 陈静' });
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true);
  await expect(page.getByTestId('layer-person')).toBeDisabled();
  await expect(page.getByTestId('layer-person-counts-only')).toHaveText('仅统计');
  await expect(page.getByTestId('layer-panel')).toContainText('30,000 个');
  // A click on the cell, not on an event dot in it; the view has stopped moving to the planner's area.
  await page.getByTestId('layer-event').uncheck();
  await page.waitForFunction(() => window.__gridatlas?.cellsDrawn === true && window.__gridatlas?.mapSettled() === true);
  const cell = await page.evaluate(() => window.__gridatlas?.cellAt(200) ?? null);
  if (!cell) throw new Error('no cell');
  const box = await page.getByTestId('map').boundingBox();
  const xy = await page.evaluate((p) => window.__gridatlas?.project(p) ?? null, cell.lngLat);
  if (!box || !xy) throw new Error('cannot place the click');
  await page.mouse.click(box.x + xy[0], box.y + xy[1]);
  await expect(page.getByTestId('inspector-counts')).toContainText(/人员\s*[1-9]/);
  await keepScreenshot(page, '06b-planner-counts-only');
});
