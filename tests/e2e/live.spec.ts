import { expect, type Page, test } from '@playwright/test';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { actAs, collectErrors, keepScreenshot, waitForCells } from './helpers';

type Features = FeatureCollection<MultiPolygon, { code: string }>;

const counter = async (page: Page, testId: string) =>
  Number((await page.getByTestId(testId).locator('strong').textContent())?.replace(/\D/g, ''));

test("two tabs of one browser share the database: a case reported in one reaches the other's live view, feed and map without reload", async ({
  page,
  context,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '指挥中心 · 李强');
  await page.getByTestId('now-open').click();
  await expect(page.getByTestId('now-freshness')).toContainText('实时 · 更新于');
  await expect(page.getByTestId('now-top').locator('li')).toHaveCount(5);
  const casesToday = await counter(page, 'now-cases-today');
  const open = await counter(page, 'now-open');

  // The second tab: the same browser, so the same database (no second boot from the demo).
  const other = await context.newPage();
  const otherErrors = collectErrors(other);
  await other.goto('/');
  await waitForCells(other);
  await actAs(other, '网格员 · 王芳');
  const cells = (await (await other.request.get('/demo/cells.geojson')).json()) as Features;
  const workerCells = await other.evaluate(() => window.__gridatlas?.cellAt(0)?.code ?? null);
  const cell = workerCells ?? (cells.features[0]?.properties.code as string);
  await other.getByTestId('search-input').fill(cell);
  await expect(other.getByTestId('search-result').first()).toContainText(cell);
  await other.getByTestId('search-input').press('Enter');
  await expect(other.getByTestId('inspector-code')).toHaveText(cell);
  await other.getByTestId('inspector-report-case').click();
  await other.getByTestId('case-report-category').selectOption('占道经营');
  await other.getByTestId('case-report-description').fill('商铺门前堆放杂物，占用盲道');
  await other.getByTestId('case-report-submit').click();
  await expect(other.getByTestId('case-state')).toHaveText('待立案');
  const code = (await other.getByTestId('case-code').textContent()) as string;

  // The command centre's tab follows without a reload: the counters, the feed (highlighted), a ring on the map.
  await expect(page.getByTestId('now-cases-today').locator('strong')).toHaveText(String(casesToday + 1));
  expect(await counter(page, 'now-open')).toBe(open + 1);
  const fresh = page.getByTestId('now-feed').locator('li.fresh');
  await expect(fresh.first()).toContainText(`${code} 占道经营 · 上报`);
  await expect.poll(() => page.evaluate(() => window.__gridatlas?.highlightsOnMap() ?? 0)).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.__gridatlas?.changesHeard ?? 0)).toBeGreaterThan(0);
  await keepScreenshot(page, '40-live-now');

  // The command centre registers it here; the grid worker's tab hears that too (its case page reloads).
  await page.getByTestId('now-feed').locator('li', { hasText: code }).first().getByRole('button').click();
  await expect(page.getByTestId('case-code')).toHaveText(code);
  await page.getByTestId('case-action-register').click();
  await page.getByTestId('case-step-submit').click();
  await expect(page.getByTestId('case-state')).toHaveText('待派遣');
  await page.getByTestId('now-open').click();
  await expect(page.getByTestId('now-feed').locator('li').first()).toContainText(`${code} 占道经营 · 立案`);
  await expect.poll(() => other.evaluate(() => window.__gridatlas?.changesHeard ?? 0)).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

test('the live view at phone width is a bottom sheet with no horizontal scroll', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: 'zh-CN',
  });
  const page = await context.newPage();
  await page.goto('/');
  await waitForCells(page);
  await page.getByTestId('menu-toggle').tap();
  await actAs(page, '指挥中心 · 李强');
  if (!(await page.getByTestId('now-open').isVisible())) await page.getByTestId('menu-toggle').tap();
  await page.getByTestId('now-open').tap();
  await expect(page.getByTestId('now-top').locator('li')).toHaveCount(5);
  const box = await page.getByTestId('now-panel').boundingBox();
  expect(box?.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await keepScreenshot(page, '41-live-now-phone');
  await context.close();
});

test('the wall screen: large figures, a clock and freshness, cycling the district, its streets and the alerts; keys step, Esc leaves, ?wall opens it', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '指挥中心 · 李强');
  await page.getByTestId('now-open').click();
  await page.getByTestId('wall-open').click();
  const wall = page.getByTestId('wall');
  await expect(wall).toBeVisible();
  await expect(page.locator('.header')).toBeHidden();
  await expect(page.getByTestId('wall-scene')).toHaveText('全区总览');
  await expect(page.getByTestId('wall-clock')).toHaveText(/\d\d:\d\d:\d\d/);
  await expect(wall.getByTestId('now-freshness')).toContainText('实时 · 更新于');
  await expect(wall.getByTestId('now-open').locator('strong')).toHaveText(/\d/);
  const scene = () => page.evaluate(() => window.__gridatlas?.wall ?? null);
  const zoom = () => page.evaluate(() => window.__gridatlas?.view()?.zoom ?? 0);
  await expect.poll(() => page.evaluate(() => window.__gridatlas?.mapSettled() ?? false)).toBe(true);
  const districtZoom = await zoom();
  await keepScreenshot(page, '45-wall-district');

  // It moves on by itself, at the interval chosen, to the first street: its figures, the map on it.
  await page.getByTestId('wall-interval').selectOption('10');
  await expect.poll(async () => (await scene())?.kind, { timeout: 15_000 }).toBe('street');
  const street = (await scene())?.code as string;
  expect(street).toMatch(/^\d{9}$/);
  await expect(page.getByTestId('wall-scene')).not.toHaveText('全区总览');
  await expect(page.getByTestId('wall-street-open').locator('strong')).toHaveText(/\d/);
  await expect.poll(zoom).toBeGreaterThan(districtZoom);
  // The street is outlined: its communities merged into one shape on the map.
  const outlined = () => page.evaluate(() => window.__gridatlas?.sourceFeatures('app-overlay') ?? 0);
  await expect.poll(outlined).toBe(1);
  await keepScreenshot(page, '46-wall-street');

  // Keys: ← twice goes round to the alerts (the demo's overdue cases have raised some), space pauses.
  await page.getByTestId('wall-scene').click();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('wall-scene')).toHaveText('全区总览');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('wall-scene')).toContainText('当前预警');
  await expect(page.getByTestId('wall-alerts').locator('li').first()).toContainText('已超期');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('wall-pause')).toHaveAttribute('aria-pressed', 'true');
  await keepScreenshot(page, '47-wall-alerts');
  expect(await outlined()).toBe(0);
  await page.keyboard.press('Escape');
  await expect(wall).toBeHidden();
  await expect(page.locator('.header')).toBeVisible();
  await expect(page.getByTestId('now-panel')).toBeVisible();

  // A kiosk: the address opens the wall at once for the command centre.
  await page.goto('/?wall');
  await expect(page.getByTestId('wall')).toBeVisible();
  await expect(page.getByTestId('wall-scene')).toHaveText('全区总览');
  expect(errors).toEqual([]);
  await context.close();
});

test('alerts: the database raises them by the rules, the command centre hears a chime, sees why, acknowledges; a rule added raises its own', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '指挥中心 · 李强');
  // The district's rule "a case overdue by a day" finds the demo's old overdue cases: the badge counts them.
  const badge = page.getByTestId('alerts-badge');
  await expect(badge).toBeVisible();
  const before = Number(await badge.textContent());
  expect(before).toBeGreaterThan(0);
  await page.getByTestId('now-open').click();
  const list = page.getByTestId('alert-list').getByTestId('alert');
  await expect(list.first()).toContainText('已超期');
  await expect(page.getByTestId('alerts')).toContainText(`告警（${before}）`);

  // A rule on the risk index, just under the top cell's: raised at once, with a chime.
  const top = page.getByTestId('now-top').locator('li').first();
  const topName = ((await top.getByRole('button').textContent()) ?? '').replace(/^[ABC]\s*/, '').split(' ')[0] as string;
  const index = Number(/指数 ([\d.]+)/.exec((await top.textContent()) ?? '')?.[1]);
  await page.getByTestId('alert-rules-open').click();
  await page.getByTestId('alert-rule-kind').selectOption('cell_risk');
  await page.getByTestId('alert-rule-threshold').fill('0');
  await page.getByTestId('alert-rule-add').click();
  await expect(page.getByTestId('alerts-problem')).toHaveText('阈值须为大于 0 的数');
  const threshold = Math.floor(index) - 1;
  await page.getByTestId('alert-rule-threshold').fill(String(threshold));
  await page.getByTestId('alert-rule-add').click();
  await expect(page.getByTestId('alert-rules')).toContainText(`网格风险指数达到 ${threshold.toLocaleString('zh-CN')}`);
  const risky = page.getByTestId('alert-list').locator('[data-kind="cell_risk"]');
  await expect(risky.filter({ hasText: `${topName}：风险指数` })).toHaveCount(1);
  await expect.poll(() => page.evaluate(() => window.__gridatlas?.alertsSounded ?? 0)).toBeGreaterThan(0);
  const raised = Number(await badge.textContent());
  expect(raised).toBeGreaterThan(before);
  await keepScreenshot(page, '42-alerts');

  // Acknowledged: off the list and the badge.
  await risky.first().getByTestId('alert-ack').click();
  await expect(badge).toHaveText(String(raised - 1));
  await expect(page.getByTestId('alert-list').locator('[data-kind="cell_risk"]')).toHaveCount(raised - before - 1);

  // Cells turning new hot spots over 120 days against the 120 before (Gi*, in the database): raised, each saying why.
  await page.getByTestId('alert-rule-kind').selectOption('hotspot_new');
  await page.getByTestId('alert-rule-window').fill('2880');
  await page.getByTestId('alert-rule-add').click();
  await expect(page.getByTestId('alerts-problem')).toHaveText('热点告警须选择置信度：90%、95% 或 99%');
  await page.getByTestId('alert-rule-threshold').selectOption('1');
  await page.getByTestId('alert-rule-add').click();
  await expect(page.getByTestId('alert-rules')).toContainText('2880 小时内成为新热点（热点 90% 及以上）');
  const hot = page.getByTestId('alert-list').locator('[data-kind="hotspot_new"]');
  await expect(hot.first()).toContainText('新热点——近 2880 小时');
  await expect(hot.first()).toContainText(/热点分级 (不显著|冷点 \d+%) → 热点 \d+%/);
  await keepScreenshot(page, '57-hotspot-alerts');
  expect(errors).toEqual([]);
});

test("patrol check-in: the grid worker patrols a cell of theirs from the phone's position, the command centre sees it under way, the inspector when it was last patrolled", async ({
  browser,
}) => {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1400, height: 900 },
    permissions: ['geolocation'],
    geolocation: { longitude: 112.9, latitude: 28.2 },
  });
  const command = await context.newPage();
  const errors = collectErrors(command);
  await command.goto('/');
  await waitForCells(command);
  await actAs(command, '指挥中心 · 李强');
  await command.getByTestId('now-open').click();
  await expect(command.getByTestId('now-panel')).toContainText('当前无人巡查');

  const worker = await context.newPage();
  const workerErrors = collectErrors(worker);
  await worker.goto('/');
  await waitForCells(worker);
  const all = await worker.evaluate(() => window.__gridatlas?.cellsLoaded ?? 0);
  await actAs(worker, '网格员 · 王芳');
  // The worker sees only their cells: the first is theirs. The phone stands in it.
  await worker.waitForFunction((n) => {
    const loaded = window.__gridatlas?.cellsLoaded ?? 0;
    return loaded > 0 && loaded < n;
  }, all);
  const cell = (await worker.evaluate(() => window.__gridatlas?.cellAt(0) ?? null)) as { code: string; lngLat: [number, number] };
  await context.setGeolocation({ longitude: cell.lngLat[0], latitude: cell.lngLat[1] });
  await worker.getByTestId('search-input').fill(cell.code);
  await expect(worker.getByTestId('search-result').first()).toContainText(cell.code);
  await worker.getByTestId('search-input').press('Enter');
  await expect(worker.getByTestId('inspector-code')).toHaveText(cell.code);
  await expect(worker.getByTestId('cell-patrols-none')).toHaveText('尚无巡查记录');
  await worker.getByTestId('patrol-start').click();
  await expect(worker.getByTestId('patrol-banner')).toContainText('巡查中');
  await expect(worker.getByTestId('patrol-start')).toHaveCount(0);

  // The command centre's tab: under way, without a reload.
  await expect(command.getByTestId('now-patrols')).toContainText('王芳');
  await keepScreenshot(worker, '43-patrol-under-way');

  // The phone moves about 100 m; the patrol ends with a note.
  const positions = async () => Number(/(\d+) 个定位点/.exec((await worker.getByTestId('patrol-banner').textContent()) ?? '')?.[1]);
  const before = await positions();
  expect(before).toBeGreaterThanOrEqual(1);
  await context.setGeolocation({ longitude: cell.lngLat[0], latitude: cell.lngLat[1] + 0.0009 });
  await expect.poll(positions).toBe(before + 1);
  await worker.getByTestId('patrol-end').click();
  await worker.getByTestId('patrol-note').fill('道路通畅，无异常');
  await worker.getByTestId('patrol-end-confirm').click();
  await expect(worker.getByTestId('patrol-banner')).toHaveCount(0);
  const last = worker.getByTestId('cell-patrol').first();
  await expect(last).toContainText('王芳');
  await expect(last).toContainText('道路通畅，无异常');
  const meters = Number(/轨迹 (\d+) 米/.exec((await last.textContent()) ?? '')?.[1]);
  expect(meters).toBeGreaterThan(90);
  expect(meters).toBeLessThan(110);
  await expect(command.getByTestId('now-panel')).toContainText('当前无人巡查');
  await keepScreenshot(worker, '44-patrol-done');
  expect(errors).toEqual([]);
  expect(workerErrors).toEqual([]);
  await context.close();
});

test('the risk governance stages of a cell, then of a category across the district: identified, assessed, classified, decided, carried out', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await actAs(page, '指挥中心 · 李强');
  // The cell of highest risk, from the live view.
  await page.getByTestId('now-open').click();
  const top = page.getByTestId('now-top').locator('li').first();
  await top.locator('button').first().click();
  const code = (await page.getByTestId('inspector-code').textContent()) as string;
  expect(code).toMatch(/^\d{15}$/);
  await page.getByTestId('inspector-governance').click();
  const panel = page.getByTestId('governance-panel');
  await expect(page.getByTestId('now-panel')).toBeHidden();
  await expect(panel.locator('.gov-stage')).toHaveCount(5);
  await expect(panel.locator('.gov-stage-head strong')).toHaveText([
    '风险识别',
    '风险评估',
    '风险分类',
    '风险控制决策',
    '风险控制措施实施',
  ]);
  // The riskiest cell: events identified, ranked first of the district.
  await expect(page.getByTestId('governance-stage-identify')).toHaveAttribute('data-progress', 'done');
  await expect(page.getByTestId('governance-risk')).toContainText('排第 1');
  await expect(page.getByTestId('governance-stage-classify')).toContainText(/[ABC] 类/);
  await expect(page.getByTestId('governance-decide')).toContainText(/上报案件 \d+ 件：立案 \d+/);
  await page.getByTestId('governance-days').selectOption('365');
  await expect(page.getByTestId('governance-carry-out')).toContainText(/已结案 \d+/);
  // Hot spots are computed in the browser: off until the heatmap's analysis is on, then the cell's class.
  await expect(page.getByTestId('governance-hotspot')).toContainText('热点分析未开启');
  await page.getByTestId('layer-heat').check();
  await page.getByTestId('heat-hotspots').check();
  await page.waitForFunction(() => window.__gridatlas?.hotspots != null);
  await expect(page.getByTestId('governance-hotspot')).toContainText('热点分析：热点');
  await keepScreenshot(page, '51-governance-cell');
  await page.getByTestId('layer-heat').uncheck();

  // One category across the district: its place in the risk × responsibility matrix.
  await page.getByTestId('governance-district').click();
  await expect(page.getByTestId('governance-risk')).toHaveCount(0);
  await expect(page.getByTestId('governance-stage-assess')).toContainText('风险指数中位数');
  await page.getByTestId('governance-category').selectOption({ label: '市容环境' });
  await expect(page.getByTestId('governance-quadrant')).toBeVisible();
  const quadrant = (await page.getByTestId('governance-quadrant').textContent()) ?? '';
  expect(quadrant).toMatch(/风险 · .责任|尚未放入风险责任矩阵/);
  await expect(page.getByTestId('governance-stage-identify')).not.toContainText('占道经营');
  await keepScreenshot(page, '52-governance-category');
  expect(errors).toEqual([]);
});
