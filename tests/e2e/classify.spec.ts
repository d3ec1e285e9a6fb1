import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { unzipSync } from 'fflate';
import { collectErrors, keepScreenshot, waitForCells } from './helpers';

test('an admin previews and applies a class rule set, overrides a cell by hand with a reason, and places a category in the risk matrix', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await page.getByTestId('classify-open').click();
  await expect(page.getByTestId('classify-panel')).toBeVisible();
  // The panel opens on the latest saved rule set: the demo's; a new one starts from the defaults.
  await expect(page.getByTestId('classify-name')).toHaveValue('示例规则：事件与户数');
  await page.getByTestId('classify-new').click();
  await expect(page.getByTestId('classify-name')).toHaveValue('默认分类规则');
  // A weight out of range is named by the input's label, and nothing can be previewed until it is mended.
  const eventsWeight = await page.getByTestId('classify-weight-events').inputValue();
  await page.getByTestId('classify-weight-events').fill('5000');
  await expect(page.getByTestId('classify-panel')).toContainText('“事件量（按等级加权）”的权重须为 0 到 1000 之间的数');
  await expect(page.getByTestId('classify-preview')).toBeDisabled();
  await page.getByTestId('classify-weight-events').fill(eventsWeight);
  await page.getByTestId('classify-preview').click();
  await expect(page.getByTestId('classify-summary')).toContainText('个网格将改变分类');
  const summary = (await page.getByTestId('classify-summary').textContent()) ?? '';
  const changed = Number(/(\d+) 个网格将改变分类/.exec(summary)?.[1]);
  expect(changed).toBeGreaterThan(0);
  await expect(page.getByTestId('classify-changes').locator('tbody tr')).toHaveCount(changed);
  await keepScreenshot(page, '13-classify-preview');
  await page.getByTestId('classify-apply').click();
  await expect(page.getByTestId('classify-result')).toContainText(`已按“默认分类规则” v1 分类：改变 ${changed}`);
  // The same rule set again changes nothing.
  await page.getByTestId('classify-preview').click();
  await expect(page.getByTestId('classify-summary')).toContainText('0 个网格将改变分类');
  // The risk index per 1,000 residents with hazard sites weighing 5 events moves cells across the
  // cut-offs; back per km² with weight 1, nothing changes again.
  await page.getByTestId('classify-risk-per').selectOption('residents');
  await page.getByTestId('classify-hazard-weight').fill('5');
  await page.getByTestId('classify-half-life').fill('30');
  await page.getByTestId('classify-preview').click();
  await expect(page.getByTestId('classify-summary')).not.toContainText('；0 个网格将改变分类');
  await keepScreenshot(page, '13a-classify-risk-options');
  await page.getByTestId('classify-risk-per').selectOption('area');
  await page.getByTestId('classify-hazard-weight').fill('1');
  await page.getByTestId('classify-half-life').fill('');
  await page.getByTestId('classify-preview').click();
  await expect(page.getByTestId('classify-summary')).toContainText('；0 个网格将改变分类');

  await page.getByTestId('classify-panel').getByRole('button', { name: '关闭' }).click();
  await page.getByTestId('layer-event').uncheck();
  const box = await page.getByTestId('map').boundingBox();
  if (!box) throw new Error('map has no box');
  let target: [number, number] | null = null;
  for (let i = 0; i < 570 && !target; i++) {
    const cell = await page.evaluate((k) => window.__gridatlas?.cellAt(k) ?? null, i);
    const xy = cell && (await page.evaluate((p) => window.__gridatlas?.project(p) ?? null, cell.lngLat));
    if (xy && xy[0] > 300 && xy[0] < box.width - 420 && xy[1] > 80 && xy[1] < box.height - 120) target = xy;
  }
  if (!target) throw new Error('no cell in view');

  // A grid edit classes the cells it changed again, by the rule set just applied; undo too.
  await page.getByTestId('edit-open').click();
  await page.mouse.click(box.x + target[0], box.y + target[1]);
  await expect(page.getByTestId('edit-picked')).toContainText('已选');
  await page.getByTestId('edit-split-equal').click();
  await page.getByTestId('edit-commit').click();
  await expect(page.getByTestId('edit-message')).toContainText('已拆分');
  await expect(page.getByTestId('edit-message')).toContainText('已按“默认分类规则” v1 重新分类');
  await page.getByTestId('edit-undo').click();
  await expect(page.getByTestId('edit-message')).toContainText('已撤销');
  await expect(page.getByTestId('edit-message')).toContainText('已按“默认分类规则” v1 重新分类');
  await page.getByTestId('edit-open').click();

  // Click a cell: the inspector shows its rule, risk index and parts.
  await page.mouse.click(box.x + target[0], box.y + target[1]);
  await expect(page.getByTestId('inspector-risk')).toBeVisible();
  await expect(page.getByTestId('inspector')).toContainText('规则“默认分类规则” v1');
  // The rule set weighs the risk index: the reason says how it was made.
  await expect(page.getByTestId('inspector')).toContainText('风险指数每平方公里，每处隐患场所权重 1');
  await keepScreenshot(page, '14a-inspector-rule-reason');
  const index = Number(await page.getByTestId('inspector-risk-index').textContent());
  expect(index).toBeGreaterThanOrEqual(0);
  await page.getByTestId('inspector-risk-per').selectOption('residents');
  await expect(page.getByTestId('inspector-risk-index')).not.toHaveText(String(index.toFixed(1)));
  // A manual class needs a reason, and then shows as manual with its reason and history.
  await expect(page.getByTestId('inspector-override-save')).toBeDisabled();
  await page.getByTestId('inspector-override-class').selectOption('A');
  await page.getByTestId('inspector-override-reason').fill('重点整治片区，人工核定');
  await page.getByTestId('inspector-override-save').click();
  await expect(page.getByTestId('inspector-class')).toContainText('A 类（重点）');
  await expect(page.getByTestId('inspector-class')).toContainText('人工');
  await expect(page.getByTestId('inspector-class-history')).toContainText('重点整治片区，人工核定');
  await keepScreenshot(page, '14-inspector-risk-override');

  // Risk × responsibility: place a category.
  await page.getByTestId('classify-open').click();
  await page.getByTestId('classify-tab-matrix').click();
  const select = page.getByTestId('risk-matrix').locator('select').first();
  await select.selectOption('high-high');
  await page.getByTestId('classify-tab-rules').click();
  await page.getByTestId('classify-tab-matrix').click();
  await expect(page.getByTestId('risk-matrix').locator('select').first()).toHaveValue('high-high');

  // Export the cells: a zipped shapefile with .prj and UTF-8 .cpg, and CSV with WKT, with the class just set.
  const [shp] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-shp').click()]);
  expect(shp.suggestedFilename()).toMatch(/^cells-.*\.zip$/);
  const files = unzipSync(readFileSync(await shp.path()));
  expect(
    Object.keys(files)
      .map((f) => f.replace(/^.*\./, ''))
      .sort(),
  ).toEqual(['cpg', 'dbf', 'prj', 'shp', 'shx']);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const bytes = readFileSync(await csv.path());
  // A byte-order mark first, so that Excel reads the UTF-8 names.
  expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf');
  const rows = bytes.toString('utf8').trim().split('\n');
  expect(rows[0]).toBe('code,name,community_code,class,households,wkt');
  expect(rows).toHaveLength(571);
  const overridden = (await page.getByTestId('inspector-code').textContent()) ?? '';
  expect(rows.find((r) => r.startsWith(`${overridden},`))).toContain(',A,');
  expect(errors).toEqual([]);
});
