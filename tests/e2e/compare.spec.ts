import { readFileSync } from 'node:fs';
import { expect, type Locator, test } from '@playwright/test';
import { actAs, collectErrors, flyToCell, inspectCell, keepScreenshot, PHONE, pagePoint, waitForCells, workerCell } from './helpers';

const number = async (cell: Locator) => Number((await cell.innerText()).replace(/[,\s]/g, ''));

test('a planner compares cells and communities: figures of a period as the inspector counts them, sorted, filtered, linked to the map, charted, compared with the period before and exported', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '规划分析 · 陈静');
  const code = await workerCell(page);
  await inspectCell(page, code);
  const inspected = await number(page.getByTestId('inspector-counts').locator('tr', { hasText: '事件' }).locator('td'));
  await page.getByRole('button', { name: '关闭' }).first().click();

  await page.getByTestId('compare-open').click();
  const table = page.getByTestId('compare-table');
  // All time: a cell's events are the inspector's.
  await page.getByTestId('compare-from').fill('2000-01-01');
  await expect(page.getByTestId('compare-count')).toHaveText('570 行');
  await page.getByTestId('compare-filter').fill(code);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  expect(await number(table.locator(`tr[data-row="${code}"] [data-metric="events"]`))).toBe(inspected);
  expect(inspected).toBeGreaterThan(0);

  // Sorted by events (the default, most first); by class A only.
  await page.getByTestId('compare-filter').fill('');
  await page.getByTestId('compare-class-A').check();
  const rows = table.locator('tbody tr');
  const firstTwo = [
    await number(rows.nth(0).locator('[data-metric="events"]')),
    await number(rows.nth(1).locator('[data-metric="events"]')),
  ];
  expect(firstTwo[0]).toBeGreaterThanOrEqual(firstTwo[1] as number);
  const classes = await table.locator('tbody tr td:nth-child(4)').allInnerTexts();
  expect(new Set(classes)).toEqual(new Set(['A']));
  // Sorted by name, then back.
  await table.getByRole('button', { name: '名称' }).click();
  await expect(table.locator('th[aria-sort="ascending"]')).toContainText('名称');

  // A row shows its cell on the map, in the inspector; the map's cell marks its row.
  const second = (await rows.nth(1).getAttribute('data-row')) as string;
  await rows.nth(1).click();
  await expect(page.getByTestId('inspector-code')).toHaveText(second);
  await expect(table.locator(`tr[data-row="${second}"]`)).toHaveAttribute('aria-selected', 'true');

  // Two rows ticked: the chart shows them, bar by bar.
  await rows.nth(0).locator('input[type="checkbox"]').check();
  await rows.nth(1).locator('input[type="checkbox"]').check();
  const bars = page.getByTestId('compare-chart').locator('rect.now[data-value]');
  await expect(bars).toHaveCount(2);
  const ticked = [await number(rows.nth(0).locator('[data-metric="events"]')), await number(rows.nth(1).locator('[data-metric="events"]'))];
  expect((await bars.evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('data-value'))))).sort()).toEqual(ticked.sort());

  // The period before: the change beside each period's figure.
  await page.getByTestId('compare-from').fill('2026-08-01');
  await page.getByTestId('compare-to').fill('2026-09-01');
  await page.getByTestId('compare-previous').check();
  await expect(page.getByText('前一时段：2026-07-01 至 2026-08-01（不含）')).toBeVisible();
  await expect(table.locator('th', { hasText: '事件 变化' })).toBeVisible();
  const row = table.locator('tbody tr').first();
  const firstCommunity = (await row.locator('td').nth(2).locator('.muted').innerText()).replace(/^\s*·\s*/, '');
  await expect(row.locator('[data-delta="events"]')).not.toHaveText('—');
  await expect(page.getByTestId('compare-chart').locator('rect.before[data-value]')).toHaveCount(2);
  await keepScreenshot(page, '66-compare-cells');

  // The cells shown as an atlas: a page each after the cover, summary and contents.
  await page.getByTestId('compare-filter').fill(firstCommunity);
  const shown = await rows.count();
  await page.getByTestId('compare-atlas').click();
  await expect(page.getByTestId('atlas-sheet')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('atlas-sheet').getByTestId('report-page')).toHaveCount(shown);
  await expect(page.getByTestId('atlas-sheet').locator('.report-page')).toHaveCount(shown + 3);
  await expect(page.getByTestId('atlas-page-number').last()).toHaveText(`第 ${shown + 3} 页 / 共 ${shown + 3} 页`);
  // The atlas counts the comparison's period.
  await expect(page.getByTestId('atlas-cover')).toContainText('统计时段 2026-08-01 至 2026-09-01（不含）');
  await page.getByTestId('atlas-close').click();
  await page.getByTestId('compare-filter').fill('');

  // The period's hot spots as an atlas: every page's cell is one, at the confidence chosen.
  await page.getByTestId('compare-atlas-of').selectOption('hotspot:95');
  await page.getByTestId('compare-atlas').click();
  await expect(page.getByTestId('atlas-sheet')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('atlas-cover')).toContainText('热点网格图集（置信度 95% 及以上）');
  const hotLines = page.getByTestId('atlas-sheet').getByTestId('report-hotspot');
  expect(await hotLines.count()).toBeGreaterThan(0);
  for (const line of await hotLines.allInnerTexts()) expect(line).toMatch(/热点：热点 9[59]%/);
  await page.getByTestId('atlas-close').click();
  await page.getByTestId('compare-atlas-of').selectOption('shown');

  // Communities: one row each, the cells counted.
  await page.getByTestId('compare-group').selectOption('community');
  const communities = (await (await page.request.get('/demo/communities.geojson')).json()) as { features: unknown[] };
  await expect(page.getByTestId('compare-count')).toHaveText(`${communities.features.length} 行`);

  // The table as CSV: the rows on screen, the figures as columns.
  const download = page.waitForEvent('download');
  await page.getByTestId('compare-csv').click();
  const file = await download;
  const text = readFileSync((await file.path()) as string, 'utf8');
  const lines = text.replace('\uFEFF', '').trim().split(/\r?\n/);
  expect(lines[0]).toContain('事件 变化');
  expect(lines).toHaveLength(communities.features.length + 1);
  expect(errors).toEqual([]);
});

test('the comparison on a phone: a bottom sheet as wide as the screen, no sideways scroll of the page', async ({ browser }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.goto('/');
  await waitForCells(page);
  await page.getByTestId('menu-toggle').click();
  await actAs(page, '规划分析 · 陈静');
  if ((await page.getByTestId('menu-toggle').getAttribute('aria-expanded')) !== 'true') await page.getByTestId('menu-toggle').click();
  await page.getByTestId('compare-open').click();
  const panel = page.getByTestId('compare-panel');
  await expect(page.getByTestId('compare-table').locator('tbody tr').first()).toBeVisible();
  const box = await panel.boundingBox();
  expect(box?.width).toBe(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // The buttons keep their labels on one line (the row wraps between them), touch-sized.
  for (const button of await panel.locator('.compare-export > .btn').all()) {
    const size = await button.boundingBox();
    expect(size?.height).toBeGreaterThanOrEqual(44);
    expect(size?.height).toBeLessThan(60);
  }
  await keepScreenshot(page, '67-compare-phone');
  await context.close();
});

test('cells picked on the map (shift-click) are compared and printed as an atlas: the map, the bar and the table tick the same cells', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '规划分析 · 陈静');
  await page.waitForFunction(() => window.__gridatlas?.mapSettled() === true);
  const codes: string[] = [];
  for (const i of [0, 40]) {
    const { cell, centre: at } = await flyToCell(page, i);
    await page.keyboard.down('Shift');
    await page.mouse.click(at.x, at.y);
    await page.keyboard.up('Shift');
    codes.push(cell.code);
    await expect(page.getByTestId('picked-cells')).toHaveAttribute('data-count', String(codes.length));
  }
  // Picking is not inspecting: no inspector opened.
  await expect(page.getByTestId('inspector-code')).toHaveCount(0);
  // A second shift-click lets the cell go; a shift-drag box inside it picks it again (and the map does not pan).
  const last = await pagePoint(page, (await page.evaluate(() => window.__gridatlas?.cellAt(40)?.lngLat)) as [number, number]);
  await page.keyboard.down('Shift');
  await page.mouse.click(last.x, last.y);
  await expect(page.getByTestId('picked-cells')).toHaveAttribute('data-count', '1');
  await page.mouse.move(last.x - 15, last.y - 15);
  await page.mouse.down();
  await page.mouse.move(last.x, last.y, { steps: 4 });
  await expect(page.getByTestId('box-select')).toBeVisible();
  await page.mouse.move(last.x + 15, last.y + 15, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.getByTestId('picked-cells')).toHaveAttribute('data-count', '2');
  await expect(page.getByTestId('box-select')).toHaveCount(0);
  expect(await pagePoint(page, (await page.evaluate(() => window.__gridatlas?.cellAt(40)?.lngLat)) as [number, number])).toEqual(last);
  await expect(page.getByTestId('picked-cells')).toContainText('已选 2 个网格');
  await page.evaluate(() => window.__gridatlas?.flyTo(window.__gridatlas.cellAt(0)?.lngLat ?? [0, 0], 14));
  await page.waitForFunction(() => window.__gridatlas?.mapSettled() === true);
  await keepScreenshot(page, '70-picked-cells');

  // The comparison ticks them; ticking a third there picks it on the map.
  await page.getByTestId('picked-compare').click();
  const table = page.getByTestId('compare-table');
  for (const code of codes) await expect(table.locator(`tr[data-row="${code}"] input[type="checkbox"]`)).toBeChecked();
  const third = table
    .locator('tbody tr')
    .filter({ hasNot: page.locator('input:checked') })
    .first();
  const thirdCode = (await third.getAttribute('data-row')) as string;
  await third.locator('input[type="checkbox"]').check();
  await expect(page.getByTestId('picked-cells')).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('compare-chart').locator('rect.now[data-value]')).toHaveCount(3);

  // The atlas of the picked cells: a page each, theirs.
  await expect(page.getByTestId('compare-atlas-of')).toHaveValue('picked');
  await page.getByTestId('compare-atlas').click();
  await expect(page.getByTestId('atlas-sheet')).toHaveAttribute('data-ready', 'true');
  const printed = await page.getByTestId('atlas-sheet').getByTestId('report-code').allInnerTexts();
  expect(printed.sort()).toEqual([...codes, thirdCode].sort());
  await page.getByTestId('atlas-close').click();

  // Let them go: the table's ticks go too.
  await page.getByTestId('picked-clear').click();
  await expect(page.getByTestId('picked-cells')).toHaveCount(0);
  await expect(table.locator('input:checked')).toHaveCount(0);
  await expect(page.getByTestId('compare-atlas-of')).toHaveValue('shown');
  expect(errors).toEqual([]);
});
