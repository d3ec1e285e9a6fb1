import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { actAs, collectErrors, colourPixels, inspectCell, keepScreenshot, waitForCells, workerCell } from './helpers';

test('a cell’s zone report prints as A4 PDF: the figures the inspector counts beside the medians, the map drawn, the chart and history, no app around it', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '规划分析 · 陈静');
  const code = await workerCell(page);
  await inspectCell(page, code);
  const events = Number(
    (await page.getByTestId('inspector-counts').locator('tr', { hasText: '事件' }).locator('td').innerText()).replace(/[,\s]/g, ''),
  );
  await page.getByTestId('inspector-zone-report').click();
  // All time: the report's events are the inspector's.
  await page.getByTestId('report-from').fill('2000-01-01');
  const report = page.getByTestId('report-page');
  await expect(report.getByTestId('report-code')).toHaveText(code);
  await expect(report.locator('tr[data-metric="events"] td').first()).toHaveText(String(events));
  const months = await report.getByTestId('report-months').locator('rect').count();
  expect(months).toBeGreaterThan(0);
  expect(months).toBeLessThanOrEqual(24);
  // The map draws the basemap's roads and the cell's places, things and organisations (as many as the figures count).
  const drawn = report.getByTestId('report-map');
  expect(await drawn.locator('[data-road]').count()).toBeGreaterThan(0);
  const entityCount = (metric: string) => report.locator(`tr[data-metric="${metric}"] td`).first().innerText();
  const counted = Number(await entityCount('places')) + Number(await entityCount('things')) + Number(await entityCount('organisations'));
  await expect(drawn.locator('rect[data-entity]')).toHaveCount(counted);
  // The risk index's parts, the same index as the figures give; the entities by category.
  const index = Number(/（当前）([\d.]+)/.exec(await report.getByTestId('report-risk-parts').innerText())?.[1]);
  expect(Math.abs(index - Number(await entityCount('riskIndex')))).toBeLessThan(0.06);
  await expect(report.getByTestId('report-entity-categories')).toContainText('场所：');
  // Cases by stage and the complaint rates; the hot-spot line; and nothing cut off the one A4 page.
  await expect(report.getByTestId('report-stages').locator('td[data-stage]')).toHaveCount(5);
  await expect(report.getByTestId('report-complaints')).toContainText('响应率');
  await expect(report.getByTestId('report-hotspot')).toContainText(/热点：/);
  expect(await report.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
  const name = (await report.locator('.report-name').innerText()).trim();
  await keepScreenshot(page, '68-zone-report');

  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  const pdf = join(dir, 'report.pdf');
  writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(1);
  expect(
    /Page size:\s+([\d.]+) x ([\d.]+) pts/
      .exec(info)
      ?.slice(1)
      .map((v) => Math.round(Number(v))),
  ).toEqual([595, 842]);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const s of [
    '网格区域报告',
    code,
    name.replace(/\s+/g, ''),
    '社区中位数',
    '全区中位数',
    '网格变更记录',
    '风险指数',
    '案件办理',
    '用时中位数',
    '满意率',
  ])
    expect(text).toContain(s);
  expect(text).toContain(`时段内事件${events}件`);
  expect(text).not.toContain('切换身份');

  // The map on the first page, by its pixels (50 dpi: about 2 px a millimetre): cells filled by class, the cell ringed in blue.
  execFileSync('pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', pdf, join(dir, 'page')]);
  const png = readFileSync(join(dir, 'page-1.png'));
  const map = await colourPixels(page, png, { x: 24, y: 80, w: 360, h: 120 }, [29, 63, 191]);
  expect(map.coloured / map.all).toBeGreaterThan(0.3);
  expect(map.near).toBeGreaterThan(50);
  await page.getByTestId('report-close').click();
  await expect(page.getByTestId('zone-report')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a community’s report from the comparison: its figures summed as the comparison sums them, beside the period before, its cells in a table, page by page', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '规划分析 · 陈静');
  await page.getByTestId('compare-open').click();
  await page.getByTestId('compare-group').selectOption('community');
  await page.getByTestId('compare-from').fill('2026-06-01');
  await page.getByTestId('compare-to').fill('2026-09-01');
  await page.getByTestId('compare-previous').check();
  const row = page.getByTestId('compare-table').locator('tbody tr').first();
  await expect(row.locator('[data-delta="events"]')).not.toHaveText('—');
  const community = (await row.getAttribute('data-row')) as string;
  const events = (await row.locator('[data-metric="events"]').innerText()).trim();
  const delta = (await row.locator('[data-delta="events"]').innerText()).trim();
  const cells = Number((await row.locator('td:nth-child(4)').innerText()).replace(/\D/g, ''));
  await page.getByTestId('compare-area-report').click();

  const report = page.getByTestId('area-report');
  await expect(report.getByTestId('area-report-code')).toHaveText(community);
  const figures = report.getByTestId('area-report-figures');
  await expect(figures.locator('tr[data-metric="events"] td').first()).toHaveText(events);
  // The change as the comparison gives it (its sign as a minus or a plus).
  expect((await figures.locator('[data-delta="events"]').innerText()).replace('−', '-').replace('+', '')).toBe(
    delta.replace('−', '-').replace('+', ''),
  );
  await expect(report.getByTestId('report-stages-before')).toBeVisible();
  await expect(report.getByTestId('area-report-map').locator('path')).not.toHaveCount(0);
  const listed = await report.getByTestId('area-report-cells').locator('tbody tr').count();
  expect(listed).toBe(cells);
  expect(listed).toBeGreaterThan(1);
  for (const article of await report.locator('.report-page').all())
    expect(await article.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
  await keepScreenshot(page, '69-community-report');

  const dir = mkdtempSync(join(tmpdir(), 'area-'));
  const pdf = join(dir, 'area.pdf');
  writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
  expect(pages).toBe(1 + Math.ceil(listed / 50));
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  for (const s of ['社区报告', community, '前一时段合计', '案件办理', '热点与趋势', '网格一览', `第1页/共${pages}页`])
    expect(text).toContain(s);
  await report.getByTestId('area-report-close').click();
  expect(errors).toEqual([]);
});

test('a cell’s report beside the period before: the figures then, the change, the class then and the cases of both', async ({ page }) => {
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '规划分析 · 陈静');
  const code = await workerCell(page);
  await page.goto(`/?report=${code}&from=2026-06-01&to=2026-09-01&compare=1`);
  const report = page.getByTestId('report-page');
  await expect(report.getByTestId('report-code')).toHaveText(code);
  await expect(page.getByTestId('report-compare')).toBeChecked();
  await expect(report.getByTestId('report-class-then')).toContainText(/时段初(为 [ABC] 类|尚未分类)/);
  await expect(report.getByTestId('report-stages-before')).toBeVisible();
  await expect(report.getByTestId('report-complaints-before')).toContainText('前一时段：');
  const events = report.locator('tr[data-metric="events"] td');
  const [now, then] = [Number(await events.nth(0).innerText()), Number(await events.nth(1).innerText())];
  const change = (await report.locator('[data-delta="events"]').innerText()).replace('−', '-').replace('+', '');
  expect(Number(change)).toBe(now - then);
  expect(await report.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
});
