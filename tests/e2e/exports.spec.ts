import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { actAs, collectErrors, inspectCell, keepScreenshot, waitForCells, workerCell } from './helpers';

/** Runs the export as chosen and returns where the downloaded file was saved. */
async function exportTo(page: Page, dir: string): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByTestId('export-run').click();
  const file = await download;
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  await expect(page.getByTestId('export-done')).toContainText(file.suggestedFilename());
  return path;
}

test('exports by role: a grid worker takes their cell’s people as a GCJ-02 shapefile without personal fields; a planner takes events but never people; the command centre a GeoPackage of masked names', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const dir = mkdtempSync(join(tmpdir(), 'exports-'));
  await page.goto('/');
  await waitForCells(page);
  const cell = await workerCell(page);
  await actAs(page, '网格员 · 王芳');
  await inspectCell(page, cell);
  const people = Number(
    (await page.getByTestId('inspector').locator('tr', { hasText: '人员' }).locator('td').last().textContent())?.replace(/\D/g, ''),
  );
  expect(people).toBeGreaterThan(0);

  await page.getByTestId('export-data-open').click();
  await page.getByTestId('export-kind').selectOption('person');
  await page.getByTestId('export-format').selectOption('shp');
  await page.getByTestId('export-crs').selectOption('gcj02');
  await page.getByTestId('export-scope').selectOption('cell');
  await keepScreenshot(page, '65-export-dialog');
  const zip = await exportTo(page, dir);
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zip)))) writeFileSync(join(dir, name), bytes);
  const shp = zip.replace(/\.zip$/, '.shp');
  const info = execFileSync('ogrinfo', ['-ro', '-al', shp], { encoding: 'utf8' });
  expect(info).toContain(`Feature Count: ${people}`);
  expect(info).toMatch(/Geometry: Point/);
  expect(info).toContain('name (String)');
  expect(info).toContain(`cell_code (String) = ${cell}`);
  // Never a personal field: no ID card number, phone or address in any form.
  expect(info).not.toMatch(/id_card|phone|address|\d{17}[\dX]/);
  expect(shp).toContain('-gcj02-');

  // The worker's cells (theirs only) as a GeoPackage of polygons.
  await page.getByTestId('export-kind').selectOption('cell');
  await page.getByTestId('export-format').selectOption('gpkg');
  await page.getByTestId('export-crs').selectOption('wgs84');
  await page.getByTestId('export-scope').selectOption('district');
  const own = await page.evaluate(() => window.__gridatlas?.cellsLoaded ?? 0);
  const cellsFile = await exportTo(page, dir);
  const cellsInfo = execFileSync('ogrinfo', ['-ro', '-al', '-so', cellsFile], { encoding: 'utf8' });
  expect(cellsInfo).toContain(`Feature Count: ${own}`);
  expect(cellsInfo).toMatch(/Geometry: Multi Polygon/);
  // With the cells' figures (all time: no dates chosen) as columns.
  await expect(page.getByTestId('export-figures-note')).toBeVisible();
  expect(cellsInfo).toMatch(/events: Integer/);
  expect(cellsInfo).toMatch(/people: Integer/);
  expect(cellsInfo).toMatch(/risk_index: Real/);
  expect(own).toBeLessThan(570);

  // A planner: people are not offered (counts only); events of the community as GeoJSON.
  await page.getByTestId('export-dialog').getByRole('button', { name: '关闭' }).click();
  await actAs(page, '规划分析 · 陈静');
  await page.getByTestId('export-data-open').click();
  await expect(page.getByTestId('export-kind').locator('option')).toHaveText(['网格', '事件', '案件', '场所', '部件', '组织']);
  await page.getByTestId('export-kind').selectOption('event');
  await page.getByTestId('export-format').selectOption('geojson');
  const geojson = await exportTo(page, dir);
  const events = JSON.parse(readFileSync(geojson, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
  expect(events.features).toHaveLength(20_000);
  expect(execFileSync('ogrinfo', ['-ro', '-so', '-al', geojson], { encoding: 'utf8' })).toContain('Feature Count: 20000');

  // The command centre: the community's people as a GeoPackage, where they are but not who (names masked).
  await page.getByTestId('export-dialog').getByRole('button', { name: '关闭' }).click();
  await actAs(page, '指挥中心 · 李强');
  await inspectCell(page, cell);
  await page.getByTestId('export-data-open').click();
  await page.getByTestId('export-kind').selectOption('person');
  await page.getByTestId('export-format').selectOption('gpkg');
  await page.getByTestId('export-scope').selectOption('community');
  const gpkg = await exportTo(page, dir);
  const masked = execFileSync('ogrinfo', ['-ro', '-al', gpkg], { encoding: 'utf8' });
  expect(masked).toMatch(/Feature Count: [1-9]\d*/);
  expect(masked).toMatch(/Geometry: Point/);
  const names = [...masked.matchAll(/^ {2}name \(String\) = (.*)$/gm)].map((m) => m[1] as string);
  expect(names.length).toBeGreaterThan(0);
  expect(names.every((n) => /^.\*+$/.test(n))).toBe(true);
  expect(masked).not.toMatch(/gender|birth_year|id_card|phone|address/);
  expect(errors).toEqual([]);
});
