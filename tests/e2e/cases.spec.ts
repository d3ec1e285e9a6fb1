import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { actAs, collectErrors, inspectCell, keepScreenshot, makeImage, waitForCells, workerCell } from './helpers';

type Features = FeatureCollection<MultiPolygon, { code: string; community_code?: string }>;

/** Opens the cases panel (closed first if open) and the case with `code` from its list. */
async function openCase(page: Page, code: string): Promise<void> {
  if (await page.getByTestId('cases-panel').isVisible()) await page.getByTestId('cases-open').click();
  await page.getByTestId('cases-open').click();
  await page.getByTestId('cases-state').selectOption('all');
  await page.getByTestId('cases-text').fill(code);
  await page.locator(`[data-testid="case-row"][data-code="${code}"]`).click();
  await expect(page.getByTestId('case-code')).toHaveText(code);
}

/** Takes a step on the open case and waits for the state it leads to. */
async function step(page: Page, action: string, state: string, note = ''): Promise<void> {
  await page.getByTestId(`case-action-${action}`).click();
  if (note) await page.getByTestId('case-step-note').fill(note);
  await page.getByTestId('case-step-submit').click();
  await expect(page.getByTestId('case-state')).toHaveText(state);
}

test('a case from report to evaluation: the worker reports, command dispatches, the department answers, command closes', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  // A cell of the demo grid worker: the cells of the first community.
  const cell = await workerCell(page);
  await actAs(page, '网格员 · 王芳');
  await inspectCell(page, cell);
  await page.getByTestId('inspector-report-case').click();
  await expect(page.getByTestId('case-report-position')).toContainText('112.');
  await page.getByTestId('case-report-category').selectOption('占道经营');
  // Without a description the form says so, and nothing is reported.
  await page.getByTestId('case-report-submit').click();
  await expect(page.getByTestId('case-report')).toContainText('请填写描述');
  await page.getByTestId('case-report-description').fill('早市摊贩占用人行道，行人只能走机动车道');
  // A photo from the camera, 3000 × 2000, comes in resized to 1600 on its long edge; a file that is no image is named and left out.
  await page.getByTestId('case-report-photos-input').setInputFiles([
    { name: '现场.jpg', mimeType: 'image/jpeg', buffer: await makeImage(page, 3000, 2000, 'image/jpeg') },
    { name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('不是图片') },
  ]);
  await expect(page.getByTestId('case-report-photos-problem')).toContainText('“说明.txt”不是可读取的图片');
  await expect(page.getByTestId('case-report-photos-count')).toHaveText('1 / 6 张');
  await expect(page.getByTestId('case-report-photos').locator('.photo-thumb')).toHaveAttribute('data-width', '1600');
  await expect(page.getByTestId('case-report-photos').locator('.photo-thumb')).toHaveAttribute('data-height', '1067');
  await keepScreenshot(page, '29-case-report-photos');
  await page.getByTestId('case-report-submit').click();
  await expect(page.getByTestId('case-state')).toHaveText('待立案');
  const code = (await page.getByTestId('case-code').textContent()) as string;
  expect(code).toMatch(/^AJ\d{8}$/);
  await expect(page.getByTestId('case-deadline')).toContainText('工作小时');
  // A grid worker may not register their own report.
  await expect(page.getByTestId('case-actions')).toContainText('无可办理的操作');

  // The panel stays open for the next member, on the list of what they may read.
  await actAs(page, '指挥中心 · 李强');
  await expect(page.getByTestId('cases-summary')).toContainText('超期');
  await keepScreenshot(page, '30-case-list');
  await openCase(page, code);
  await step(page, 'register', '待派遣');
  // The routing rules propose urban management for street vending: the page's dispatch form has it
  // chosen; the dispatcher sends it from the list instead, with the others waiting, each to its proposal.
  await page.getByTestId('case-action-dispatch').click();
  await expect(page.getByTestId('case-step-department')).toHaveValue('urban');
  await page.getByTestId('case-back').click();
  await page.getByTestId('cases-state').selectOption('registered');
  await page.getByTestId('cases-text').fill(code);
  const row = page.locator('li', { has: page.locator(`[data-testid="case-row"][data-code="${code}"]`) });
  await expect(row).toContainText('按派遣规则建议：城市管理局');
  await row.getByTestId('case-tick').check();
  await expect(page.getByTestId('cases-dispatch-to')).toHaveValue('');
  await keepScreenshot(page, '30b-case-list-dispatch');
  await page.getByTestId('cases-dispatch-submit').click();
  await expect(page.getByTestId('cases-dispatch-result')).toHaveText('已派遣 1 件');
  await openCase(page, code);
  await expect(page.getByTestId('case-state')).toHaveText('已派遣');
  await expect(page.getByTestId('case-department')).toContainText('城市管理局');

  await actAs(page, '职能部门 · 赵刚');
  await openCase(page, code);
  await step(page, 'start', '处置中');
  // An answer needs a note: refused in the form, no step taken.
  await page.getByTestId('case-action-answer').click();
  await page.getByTestId('case-step-submit').click();
  await expect(page.getByTestId('case-error')).toContainText('须填写理由');
  await page.getByTestId('case-step-note').fill('已劝离摊贩，恢复人行道通行，现场照片已留存');
  await page.getByTestId('case-step-photos-picker-input').setInputFiles({
    name: '处置后.png',
    mimeType: 'image/png',
    buffer: await makeImage(page, 800, 600, 'image/png'),
  });
  await expect(page.getByTestId('case-step-photos-picker-count')).toHaveText('1 / 6 张');
  await page.getByTestId('case-step-submit').click();
  await expect(page.getByTestId('case-state')).toHaveText('待核查');

  await actAs(page, '指挥中心 · 李强');
  await openCase(page, code);
  await step(page, 'verify', '已结案');
  await step(page, 'evaluate', '已评价');
  const trace = page.getByTestId('case-trace').locator(':scope > li');
  await expect(trace).toHaveCount(7);
  await expect(trace.nth(0)).toContainText('王芳（网格员）');
  await expect(trace.nth(2)).toContainText('城市管理局');
  await expect(trace.nth(4)).toContainText('已劝离摊贩');
  await expect(trace.nth(2)).toContainText('李强（指挥中心） → 城市管理局');
  // The photos stay with their steps: the report's and the answer's, each shown in full on a click.
  await expect(trace.nth(0).getByTestId('case-photo')).toHaveCount(1);
  await expect(trace.nth(4).getByTestId('case-photo')).toHaveAttribute('data-width', '800');
  await expect(page.getByTestId('case-photo')).toHaveCount(2);
  await keepScreenshot(page, '31-case-page');
  await trace.nth(0).getByTestId('case-photo').click();
  await expect(page.getByTestId('photo-viewer-caption')).toContainText('第 1 / 2 张 · 现场.jpg · 1600 × 1067');
  await expect
    .poll(() =>
      page
        .getByTestId('photo-viewer')
        .locator('img')
        .evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]),
    )
    .toEqual([1600, 1067]);
  await keepScreenshot(page, '31b-case-photo');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('photo-viewer-caption')).toContainText('第 2 / 2 张 · 处置后.jpg · 800 × 600');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('photo-viewer')).toHaveCount(0);
  // The officer who signed for it is its assignee: the list finds it by them.
  await page.getByTestId('case-back').click();
  await page.getByTestId('cases-more-filters').click();
  await page.getByTestId('cases-assignee').selectOption({ label: '赵刚' });
  await expect(page.locator(`[data-testid="case-row"][data-code="${code}"]`)).toContainText('经办 赵刚');
  await page.getByTestId('cases-assignee').selectOption('');
  await page.getByTestId('cases-more-filters').click();
  await openCase(page, code);
  // On the map: the case layer draws the case where the page centred the map; a click on it opens it.
  await page.getByTestId('case-back').click();
  await page.getByTestId('layer-event').uncheck();
  await page.getByTestId('layer-cases').check();
  await expect(page.getByTestId('legend-cases')).toContainText('超期');
  await expect(page.getByTestId('layer-cases')).toBeChecked();
  // A user clicks the dot once it is drawn: the cases are on the map, and the map stands still.
  await page.waitForFunction(() => (window.__gridatlas?.casesOnMap() ?? 0) > 0 && window.__gridatlas?.mapSettled() === true);
  const box = (await page.getByTestId('map').boundingBox()) as { x: number; y: number; width: number; height: number };
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('case-code')).toHaveText(code);
  await keepScreenshot(page, '33-case-layer');
  expect(errors).toEqual([]);
});

test('the whistle: command summons two departments, one acknowledges and reports and is rated, the other waits', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '指挥中心 · 李强');
  await page.getByTestId('cases-open').click();
  await page.getByTestId('cases-state').selectOption('in_progress');
  // The list reloads with the filter: wait for it before picking a row.
  await expect(page.getByTestId('case-row').first()).toBeVisible();
  await expect(page.locator('[data-testid="case-row"]:not([data-state="in_progress"])')).toHaveCount(0);
  // A case in progress that no whistle has summoned anyone to yet (the demo blew some).
  let code = '';
  for (let k = 0; k < 10 && code === ''; k++) {
    const row = page.getByTestId('case-row').nth(k);
    const candidate = (await row.getAttribute('data-code')) as string;
    await row.click();
    await expect(page.getByTestId('case-code')).toHaveText(candidate);
    await expect(page.getByTestId('whistle-open')).toBeVisible();
    if ((await page.getByTestId('case-whistle').count()) === 0) code = candidate;
    else await page.getByTestId('case-back').click();
  }
  expect(code).not.toBe('');
  await page.getByTestId('whistle-open').click();
  // Without a department the whistle is not blown, and the form says why.
  await page.getByTestId('whistle-note').fill('涉及多个部门，请城管、环保到场联合处置');
  await page.getByTestId('whistle-submit').click();
  await expect(page.getByTestId('whistle-error')).toContainText('请至少选择一个部门');
  await page.getByTestId('whistle-department-urban').check();
  await page.getByTestId('whistle-department-env').check();
  await page.getByTestId('whistle-submit').click();
  await expect(page.getByTestId('whistle-call')).toHaveCount(2);
  await expect(page.locator('[data-testid="whistle-call"][data-department="urban"]')).toContainText('待报到');

  await actAs(page, '职能部门 · 赵刚');
  await openCase(page, code);
  const mine = page.locator('[data-testid="whistle-call"][data-department="urban"]');
  await mine.getByTestId('whistle-acknowledge').click();
  await expect(mine.getByTestId('whistle-status')).toContainText('赵刚 已报到');
  await mine.getByTestId('whistle-report-text').fill('已派执法队员到场，清理占道物品');
  await mine.getByTestId('whistle-report-submit').click();
  await expect(mine.getByTestId('whistle-report')).toContainText('清理占道物品');
  // The other department's call is not his to answer.
  await expect(page.locator('[data-testid="whistle-call"][data-department="env"]').getByTestId('whistle-acknowledge')).toHaveCount(0);

  await actAs(page, '指挥中心 · 李强');
  await openCase(page, code);
  const urban = page.locator('[data-testid="whistle-call"][data-department="urban"]');
  await urban.getByTestId('whistle-rating-value').selectOption('4');
  await urban.getByTestId('whistle-rate').click();
  await expect(urban.getByTestId('whistle-rating')).toContainText('★★★★☆');
  await expect(page.locator('[data-testid="whistle-call"][data-department="env"]')).toContainText('待报到');
  await keepScreenshot(page, '34-case-whistle');
  expect(errors).toEqual([]);
});

test('a complaint (接诉即办): the hotline takes the citizen, the department contacts them, a dissatisfied callback reopens it, the rates rank', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  const cells = (await (await page.request.get('/demo/cells.geojson')).json()) as Features;
  const cell = cells.features[cells.features.length - 1]?.properties.code as string;
  await actAs(page, '指挥中心 · 李强');
  await inspectCell(page, cell);
  await page.getByTestId('inspector-report-case').click();
  await page.getByTestId('case-report-category').selectOption('占道经营');
  await page.getByTestId('case-report-source').selectOption('hotline');
  await page.getByTestId('case-report-description').fill('12345 来电：小区门口夜市占道，噪音扰民');
  // A complaint needs the citizen: the form says so, nothing is reported.
  await page.getByTestId('case-report-submit').click();
  await expect(page.getByTestId('case-report')).toContainText('请填写诉求人姓名和联系电话');
  await page.getByTestId('case-report-citizen-name').fill('刘桂英');
  await page.getByTestId('case-report-citizen-phone').fill('138 0731 5678');
  await page.getByTestId('case-report-submit').click();
  await expect(page.getByTestId('case-state')).toHaveText('待立案');
  const code = (await page.getByTestId('case-code').textContent()) as string;
  await expect(page.getByTestId('complaint-citizen')).toHaveText('刘桂英 · 13807315678');
  await expect(page.getByTestId('complaint-contact')).toContainText('派遣后开始计时');
  await step(page, 'register', '待派遣');
  await page.getByTestId('case-action-dispatch').click();
  await page.getByTestId('case-step-submit').click();
  await expect(page.getByTestId('case-state')).toHaveText('已派遣');
  await expect(page.getByTestId('complaint-contact')).not.toContainText('派遣后开始计时');

  // The department handling it sees the citizen in full, records the contact, handles and answers.
  await actAs(page, '职能部门 · 赵刚');
  await openCase(page, code);
  await expect(page.getByTestId('complaint-citizen')).toHaveText('刘桂英 · 13807315678');
  await page.getByTestId('complaint-contact-submit').click();
  await expect(page.getByTestId('complaint-error')).toContainText('请填写联系情况');
  await page.getByTestId('complaint-contact-note').fill('已电话联系刘女士，约定今晚清理');
  await page.getByTestId('complaint-contact-submit').click();
  await expect(page.getByTestId('complaint-contact')).toContainText('赵刚 已于');
  await expect(page.getByTestId('complaint-contact-submit')).toHaveCount(0);
  await step(page, 'start', '处置中');
  await step(page, 'answer', '待核查', '已清理占道摊位');

  // The callback: the citizen is dissatisfied and the case goes back to the department.
  await actAs(page, '指挥中心 · 李强');
  await openCase(page, code);
  await step(page, 'verify', '已结案');
  await page.getByTestId('complaint-rating').selectOption('dissatisfied');
  await page.getByTestId('complaint-solved').uncheck();
  await page.getByTestId('complaint-rating-note').fill('回访：摊位次日又出现');
  await page.getByTestId('complaint-reopen').check();
  await page.getByTestId('complaint-rate-submit').click();
  await expect(page.getByTestId('case-state')).toHaveText('处置中');
  const rating = page.getByTestId('complaint-rating-row');
  await expect(rating).toHaveCount(1);
  await expect(rating).toContainText('不满意');
  await expect(rating).toContainText('已重启');
  await expect(page.getByTestId('case-trace').locator(':scope > li').last()).toContainText('回访：摊位次日又出现');
  await keepScreenshot(page, '35-complaint');

  // The rates: every department ranked, the rules written out, downloadable.
  await page.getByTestId('case-back').click();
  await page.getByTestId('cases-rates-open').click();
  // Scorecards first: departments ranked by the rules in the database; a row opens the sum behind its score.
  const card = page.locator('[data-testid="scorecard-row"][data-key="urban"]');
  await expect(card).toContainText('城市管理局');
  await card.getByTestId('scorecard-open').click();
  await expect(page.getByTestId('scorecard-sum')).toContainText('按时办理率');
  await expect(page.getByTestId('scorecards-rules')).toContainText('按时办理率 × 40');
  // The command centre weighs the on-time rate more: the rule, the sum and the score follow.
  // (The score itself may round to the same figure, so the test redoes the sum shown.)
  const sum = page.getByTestId('scorecard-sum');
  const weightsBefore = Number((await sum.locator('tr').last().locator('td').first().textContent())?.match(/÷ ([\d.]+)/)?.[1]);
  expect(weightsBefore).toBeGreaterThan(40);
  await page.getByTestId('scorecards-rule-metric').selectOption('on_time_rate');
  await page.getByTestId('scorecards-rule-weight').fill('80');
  await page.getByTestId('scorecards-rule-save').click();
  await expect(page.getByTestId('scorecards-rules')).toContainText('按时办理率 × 80');
  await expect(sum.locator('tr').last().locator('td').first()).toHaveText(new RegExp(`÷ ${weightsBefore + 40}$`));
  await expect(sum.locator('tr', { hasText: '按时办理率' })).toContainText('× 80');
  const lines = await sum
    .locator('tr')
    .evaluateAll((rows) => rows.map((r) => Array.from((r as HTMLTableRowElement).cells, (c) => c.textContent ?? '')));
  const terms = lines.slice(0, -1).map(([, rate, weight]) => [Number.parseFloat(rate ?? '') / 100, Number(weight?.replace('× ', ''))]);
  const expected = (100 * terms.reduce((s, [r = 0, w = 0]) => s + r * w, 0)) / (weightsBefore + 40);
  const shown = Number(lines.at(-1)?.[1]);
  expect(Math.abs(shown - expected)).toBeLessThan(0.2);
  await expect(card.locator('td').nth(2)).toHaveText(String(shown));
  const xlsx = page.waitForEvent('download');
  await page.getByTestId('scorecards-xlsx').click();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await (await xlsx).path());
  const sheet = workbook.worksheets[0];
  expect(sheet?.getRow(1).getCell(2).value).toBe('部门');
  const names = Array.from({ length: (sheet?.rowCount ?? 1) - 1 }, (_, i) => sheet?.getRow(i + 2).getCell(2).value);
  expect(names).toContain('城市管理局');
  await keepScreenshot(page, '38-scorecards');
  await page.getByTestId('evaluation-tab-complaints').click();
  const urban = page.locator('[data-testid="rates-row"][data-key="urban"]');
  await expect(urban).toContainText('城市管理局');
  await expect(page.getByTestId('rates-rules')).toContainText('响应率 × 10%');
  await expect(page.getByTestId('rates-row').first().locator('td').first()).toHaveText('1');
  // The command centre weighs the response rate more: weights that do not make 100 % are not taken.
  await page.getByTestId('rates-rule-responseWeight').fill('20');
  await expect(page.getByTestId('rates-rule-sum')).toHaveText('三率权重合计须为 100%，现为 110%');
  await expect(page.getByTestId('rates-rule-save')).toBeDisabled();
  await page.getByTestId('rates-rule-resolutionWeight').fill('40');
  await page.getByTestId('rates-rule-satisfactionWeight').fill('40');
  await page.getByTestId('rates-rule-save').click();
  await expect(page.getByTestId('rates-rules')).toContainText('响应率 × 20% + 解决率 × 40% + 满意率 × 40%');
  await keepScreenshot(page, '36b-complaint-rules');
  // Each score is the sum the rules now say, of the rates shown beside it.
  const rateCells = await urban.locator('td').evaluateAll((cells) => cells.map((c) => c.firstChild?.textContent ?? ''));
  const [score, response, resolution, satisfaction] = rateCells.slice(2, 6).map((v) => Number.parseFloat(v));
  expect(Math.abs((score ?? 0) - (0.2 * (response ?? 0) + 0.4 * (resolution ?? 0) + 0.4 * (satisfaction ?? 0)))).toBeLessThan(0.2);
  const download = page.waitForEvent('download');
  await page.getByTestId('rates-download').click();
  const csv = await (await download).path().then((p) => readFileSync(p, 'utf8'));
  expect(csv.split('\n')[0]).toContain('响应率');
  expect(csv).toContain('城市管理局');
  await page.getByTestId('rates-group').selectOption('street');
  await expect(page.getByTestId('rates-row').first()).toContainText('街道');
  await keepScreenshot(page, '36-complaint-rates');

  // The list narrowed to the cell and the day: the complaint is there; a period ending before today has none of it.
  await page.getByTestId('rates-back').click();
  await page.getByTestId('cases-state').selectOption('all');
  await page.getByTestId('cases-more-filters').click();
  await page.getByTestId('cases-cell').fill(cell);
  const today = await page.evaluate(() => new Date().toLocaleDateString('en-CA'));
  await page.getByTestId('cases-from').fill(today);
  const row = page.locator(`[data-testid="case-row"][data-code="${code}"]`);
  await expect(row).toBeVisible();
  await expect(page.getByTestId('cases-summary')).toContainText('共 1 件');
  await page.getByTestId('cases-from').fill('');
  await page.getByTestId('cases-to').fill('2026-01-01');
  await expect(row).toHaveCount(0);

  // A planner reads the rates and the case, never the citizen.
  await actAs(page, '规划分析 · 陈静');
  await openCase(page, code);
  await expect(page.getByTestId('case-complaint')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('the command centre edits the case rules: a time limit, a holiday, a routing rule; a grid worker has no such screen', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '网格员 · 王芳');
  await page.getByTestId('cases-open').click();
  await expect(page.getByTestId('cases-rates-open')).toBeVisible();
  await expect(page.getByTestId('cases-settings-open')).toHaveCount(0);
  await actAs(page, '指挥中心 · 李强');
  await page.getByTestId('cases-settings-open').click();
  // The time to contact a complaint's citizen, for any category and severity: 8 working hours, now 4.
  const contact = page.locator('[data-testid="settings-limit"][data-key="*|0|contact"]');
  await expect(contact.getByTestId('settings-limit-hours')).toHaveValue('8');
  await contact.getByTestId('settings-limit-hours').fill('4');
  await contact.getByTestId('settings-limit-save').click();
  await expect(page.getByTestId('settings-message')).toHaveText('已保存');
  await expect(contact.getByTestId('settings-limit-hours')).toHaveValue('4');
  // A new limit for a stage without one of its own.
  await page.getByTestId('settings-new-limit-stage').selectOption('escalated');
  await page.getByTestId('settings-new-limit-hours').fill('3');
  await page.getByTestId('settings-new-limit').click();
  await expect(page.locator('[data-testid="settings-limit"][data-key="*|0|escalated"]').getByTestId('settings-limit-hours')).toHaveValue(
    '3',
  );
  // A holiday, then taken back.
  await page.getByText('工作日历').click();
  await page.getByTestId('settings-new-day').fill('2026-12-31');
  await page.getByTestId('settings-new-day-submit').click();
  const day = page.locator('[data-testid="settings-day"][data-day="2026-12-31"]');
  await expect(day).toContainText('节假日');
  await keepScreenshot(page, '39-case-rules');
  await day.getByTestId('settings-day-remove').click();
  await expect(day).toHaveCount(0);
  // A routing rule for a category: the routes list names the department.
  await page.getByText('派遣规则').click();
  const routes = await page.getByTestId('settings-route').count();
  await page.getByTestId('settings-new-route-department').selectOption('police');
  await page.getByTestId('settings-new-route').click();
  await expect(page.getByTestId('settings-route')).toHaveCount(routes === 0 ? 1 : routes);
  await expect(page.getByTestId('settings-routes')).toContainText('全部类别 · 全区 → 公安分局');
  expect(errors).toEqual([]);
});

test('on a phone the case list and a case page fill the bottom sheet, with touch-sized steps', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  try {
    await page.goto('/');
    await waitForCells(page);
    await page.getByTestId('menu-toggle').tap();
    await actAs(page, '指挥中心 · 李强');
    await page.getByTestId('menu-toggle').tap();
    await page.getByTestId('cases-open').tap();
    await page.getByTestId('cases-state').selectOption('reported');
    // The list reloads with the filter: wait for it before picking a row.
    await expect(page.getByTestId('case-row').first()).toBeVisible();
    await expect(page.locator('[data-testid="case-row"]:not([data-state="reported"])')).toHaveCount(0);
    const first = page.getByTestId('case-row').first();
    const code = (await first.getAttribute('data-code')) as string;
    await first.tap();
    await expect(page.getByTestId('case-code')).toHaveText(code);
    const register = page.getByTestId('case-action-register');
    expect((await register.boundingBox())?.height).toBeGreaterThanOrEqual(44);
    await keepScreenshot(page, '32-case-phone');
    await register.tap();
    await page.getByTestId('case-step-submit').tap();
    await expect(page.getByTestId('case-state')).toHaveText('待派遣');
    await expect(page.getByTestId('case-trace').locator(':scope > li')).toHaveCount(2);
    // The complaint rates fit the sheet: the table scrolls within it, the page never sideways.
    await page.getByTestId('case-back').tap();
    await page.getByTestId('cases-rates-open').tap();
    await expect(page.getByTestId('scorecard-row').first()).toBeVisible();
    await page.getByTestId('evaluation-tab-complaints').tap();
    await expect(page.getByTestId('rates-row').first()).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await keepScreenshot(page, '37-complaint-rates-phone');
  } finally {
    await context.close();
  }
});
