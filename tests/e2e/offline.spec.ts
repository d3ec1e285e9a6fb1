import { expect, test } from '@playwright/test';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { rpcAsUser } from '../../src/data/rpc-as-user';
import { ownCell, seedDepartments, URBAN_OFFICER } from '../db/case-fixtures';
import { makeImage } from './helpers';
import { type SupabaseApp, startSupabaseApp } from './supabase-app';

// Supabase mode, on a grid worker's phone with a weak network: the app built for Supabase, its
// HTTP boundary answered by the real SQL (tests/e2e/supabase-app.ts).
let app: SupabaseApp;
test.beforeAll(async () => {
  test.setTimeout(300_000);
  app = await startSupabaseApp(4175);
});
test.afterAll(async () => {
  await app?.close();
});

test('a check and a report made without a network wait in the outbox, survive a reload, and are sent once, in order, when the network is back', async ({
  browser,
}) => {
  const cell = await ownCell(app.db);
  // A case in the worker's cell, answered by urban management: the worker's to check on the spot.
  await seedDepartments(app.db);
  const command = DEMO_MEMBERS.find((m) => m.role === 'command')?.userId as string;
  const answered = (await rpcAsUser(app.db, command, 'report_case', {
    p_source: 'hotline',
    p_category: '占道经营',
    p_severity: 2,
    p_description: '早市占道，待核查',
    p_lon: cell.lon,
    p_lat: cell.lat,
  })) as { id: string; code: string };
  await rpcAsUser(app.db, command, 'transition_case', { p_case: answered.id, p_action: 'register' });
  await rpcAsUser(app.db, command, 'transition_case', { p_case: answered.id, p_action: 'dispatch', p_department: 'urban' });
  await rpcAsUser(app.db, URBAN_OFFICER, 'transition_case', { p_case: answered.id, p_action: 'start' });
  await rpcAsUser(app.db, URBAN_OFFICER, 'transition_case', { p_case: answered.id, p_action: 'answer', p_note: '已劝离' });
  const context = await browser.newContext({
    baseURL: app.url,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    permissions: ['geolocation'],
    geolocation: { longitude: cell.lon, latitude: cell.lat, accuracy: 8 },
  });
  const page = await context.newPage();
  try {
    await page.goto('/');
    // Sign in, as on a phone: the form is in the folded menu.
    await page.getByTestId('menu-toggle').tap();
    await page.getByPlaceholder('邮箱').fill('worker@demo.gridatlas.local');
    await page.getByPlaceholder('密码').fill('demo-password');
    await page.getByRole('button', { name: '登录' }).tap();
    await expect(page.getByTestId('worker-home')).toBeVisible();
    // The service worker has kept the shell, and controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    });

    // The worker opens the answered case; then the network goes, and they check it.
    await page.locator(`[data-testid="home-case"][data-code="${answered.code}"]`).tap();
    await expect(page.getByTestId('case-state')).toHaveText('待核查');
    await context.setOffline(true);
    await expect(page.getByTestId('outbox-toggle')).toHaveText('离线');
    await page.getByTestId('case-action-verify').tap();
    await page.getByTestId('case-step-submit').tap();
    await expect(page.getByTestId('case-message')).toHaveText(
      `没有网络：「核查通过，结案」（${answered.code}）已保存在本机，联网后自动发送。`,
    );
    await expect(page.getByTestId('outbox-count')).toHaveText('1');
    await page.getByTestId('cases-panel').getByRole('button', { name: '关闭' }).tap();

    // Still without a network, the worker reports on the spot, with a photo.
    const description = `离线上报 ${Date.now()}`;
    await page.getByTestId('home-report').tap();
    await expect(page.getByTestId('case-report-position')).toContainText(cell.lon.toFixed(6));
    await page.getByTestId('case-report-category').selectOption({ label: '市容环境' });
    await page.getByTestId('case-report-description').fill(description);
    await page.getByTestId('case-report-photos-camera-input').setInputFiles({
      name: 'IMG_0002.jpg',
      mimeType: 'image/jpeg',
      buffer: await makeImage(page, 1200, 900, 'image/jpeg'),
    });
    await expect(page.getByTestId('case-report-photos-count')).toHaveText('1 / 6 张');
    await page.getByTestId('case-report-submit').tap();
    await expect(page.getByTestId('case-report-queued')).toContainText('没有网络：上报已保存在本机');
    await expect(page.getByTestId('outbox-count')).toHaveText('2');
    await page.getByTestId('outbox-toggle').tap();
    await expect(page.getByTestId('outbox-item').first()).toContainText(answered.code);
    await expect(page.getByTestId('outbox-item').nth(1)).toContainText(description);
    await expect(page.getByTestId('outbox-item').nth(1)).toContainText('1 张照片');
    await expect(page.getByTestId('outbox-network')).toContainText('没有网络');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'tests/e2e/screenshots/55-outbox-offline-phone.png' });
    const count = async () =>
      (await app.db.query<{ n: number }>('select count(*)::int n from cases where description = $1', [description])).rows[0]?.n;
    expect(await count()).toBe(0);

    // Still without a network, the page is reloaded: the shell comes from the service worker, the outbox from the phone.
    await page.reload();
    await expect(page.getByTestId('outbox-count')).toHaveText('2');
    // The map is the worker's cells as last read, kept on the phone.
    await page.waitForFunction(() => window.__gridatlas?.offlineSnapshot === true && (window.__gridatlas?.cellsLoaded ?? 0) > 0);
    await expect(page.getByTestId('worker-home')).toBeVisible();
    await page.screenshot({ path: 'tests/e2e/screenshots/56-offline-reload-phone.png' });

    // The network is back: the report goes by itself, once.
    await context.setOffline(false);
    await expect(page.getByTestId('outbox-notice')).toHaveText('已发送 2 条离线保存的内容。');
    await expect(page.getByTestId('outbox-toggle')).toHaveCount(0);
    expect(await count()).toBe(1);
    const { rows } = await app.db.query<{ photos: number; key: string | null }>(
      `select (select count(*)::int from case_photos p where p.case_id = c.id) photos, c.client_key::text key from cases c where description = $1`,
      [description],
    );
    expect(rows[0]?.photos).toBe(1);
    expect(rows[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    // Tried while offline, it never reached the server: the server heard the report once, and the check once.
    expect(app.rpcCalls.get('report_case')).toBe(1);
    const checked = await app.db.query<{ state: string; verifies: number; keys: number }>(
      `select c.state, (select count(*)::int from case_trace t where t.case_id = c.id and t.action = 'verify') verifies,
              (select count(*)::int from case_step_keys k where k.case_id = c.id) keys from cases c where c.id = $1`,
      [answered.id],
    );
    expect(checked.rows[0]).toEqual({ state: 'closed', verifies: 1, keys: 1 });
  } finally {
    await context.close();
  }
});
