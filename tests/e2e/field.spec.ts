import { expect, test } from '@playwright/test';
import { actAs, collectErrors, keepScreenshot, makeImage, PHONE, waitForCells } from './helpers';

test("the grid worker's phone opens on their home screen: open cases by deadline, their cells; a report on the spot with the device's position and a photo from the camera", async ({
  browser,
}) => {
  const context = await browser.newContext({
    ...PHONE,
    permissions: ['geolocation'],
    geolocation: { longitude: 112.9, latitude: 28.2 },
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  try {
    await page.goto('/');
    await waitForCells(page);
    const all = await page.evaluate(() => window.__gridatlas?.cellsLoaded ?? 0);
    await page.getByTestId('menu-toggle').tap();
    await actAs(page, '网格员 · 王芳');
    if (await page.getByTestId('session-select').isVisible()) await page.getByTestId('menu-toggle').tap();
    await page.waitForFunction((n) => {
      const loaded = window.__gridatlas?.cellsLoaded ?? 0;
      return loaded > 0 && loaded < n;
    }, all);
    const own = await page.evaluate(() => window.__gridatlas?.cellsLoaded ?? 0);

    // The home screen comes by itself: every cell of theirs, the open cases nearest deadline first.
    const home = page.getByTestId('worker-home');
    await expect(home).toBeVisible();
    await expect(page.getByTestId('home-cell')).toHaveCount(own);
    await expect(page.getByTestId('home-cases-count')).toHaveText(/\d+ 件，超期 \d+ 件/);
    const dues = await page.getByTestId('home-case-due').allTextContents();
    expect(dues.length).toBeGreaterThan(0);
    for (const due of dues) expect(due).toMatch(/到期|已超期|无办理时限/);
    // Overdue ones (deadline passed) before the rest.
    const overdue = dues.map((d) => d.startsWith('已超期'));
    expect(overdue).toEqual([...overdue].sort((a, b) => Number(b) - Number(a)));
    for (const id of ['home-report', 'home-patrol']) {
      const box = await page.getByTestId(id).first().boundingBox();
      expect(box?.height, id).toBeGreaterThanOrEqual(44);
    }
    expect((await page.getByTestId('home-case').first().boundingBox())?.height).toBeGreaterThanOrEqual(44);
    expect((await home.boundingBox())?.width).toBeGreaterThanOrEqual(388);
    // The map shows the worker's cells above the home sheet, not under it.
    const sheetTop = (await home.boundingBox())?.y ?? 0;
    const mapTop = (await page.getByTestId('map').boundingBox())?.y ?? 0;
    await expect
      .poll(() =>
        page.evaluate(
          ({ n, top, sheetTop }) =>
            Array.from({ length: n }, (_, i) => {
              const c = window.__gridatlas?.cellAt(i);
              const p = c && window.__gridatlas?.project(c.lngLat);
              return p ? p[1] + top : Number.NaN;
            }).filter((y) => !(y > top && y < sheetTop)).length,
          { n: own, top: mapTop, sheetTop },
        ),
      )
      .toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await keepScreenshot(page, '48-worker-home-phone');

    // Standing in a cell of theirs, the worker reports: the position is the phone's, the photo the camera's.
    const cell = (await page.evaluate(() => window.__gridatlas?.cellAt(0) ?? null)) as { code: string; lngLat: [number, number] };
    const row = page.locator(`[data-testid="home-cell"][data-code="${cell.code}"]`);
    const openBefore = Number(/待办 (\d+)/.exec((await row.textContent()) ?? '')?.[1]);
    const totalBefore = Number(/(\d+) 件/.exec((await page.getByTestId('home-cases-count').textContent()) ?? '')?.[1]);
    await context.setGeolocation({ longitude: cell.lngLat[0], latitude: cell.lngLat[1], accuracy: 12 });
    await page.getByTestId('home-report').tap();
    await expect(page.getByTestId('case-report-position')).toContainText(`${cell.lngLat[0].toFixed(6)}, ${cell.lngLat[1].toFixed(6)}`);
    await expect(page.getByTestId('case-report-position')).toContainText('精度约 12 米');
    await page.getByTestId('case-report-category').selectOption({ label: '市容环境' });
    await page.getByTestId('case-report-description').fill('小区门口垃圾满溢，气味较大');
    await expect(page.getByTestId('case-report-photos-camera')).toBeVisible();
    await page.getByTestId('case-report-photos-camera-input').setInputFiles({
      name: 'IMG_0001.jpg',
      mimeType: 'image/jpeg',
      buffer: await makeImage(page, 4032, 3024, 'image/jpeg'),
    });
    await expect(page.getByTestId('case-report-photos-count')).toHaveText('1 / 6 张');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await keepScreenshot(page, '49-worker-report-phone');
    await page.getByTestId('case-report-submit').tap();
    await expect(page.getByTestId('case-state')).toHaveText('待立案');

    // Back home: one more open case, in that cell.
    await page.getByTestId('cases-panel').getByRole('button', { name: '关闭' }).tap();
    await expect(home).toBeVisible();
    await expect(page.getByTestId('home-cases-count')).toContainText(`${totalBefore + 1} 件`);
    await expect(row).toContainText(`待办 ${openBefore + 1}`);

    // A cell of theirs tapped: the map goes there and its inspector takes the sheet.
    await row.getByTestId('home-cell-open').tap();
    await expect(page.getByTestId('inspector-code')).toHaveText(cell.code);
    await expect(home).toBeHidden();
    // Its risk governance stages, ranked among the worker's own cells (all they may read).
    await page.getByTestId('inspector-governance').tap();
    await expect(page.getByTestId('governance-risk')).toContainText(`我的 ${own} 个网格中排第`);
    await expect(page.getByTestId('governance-district')).toHaveText('我的全部网格');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
