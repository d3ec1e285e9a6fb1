import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import jsQR from 'jsqr';
import { idCardCheckDigit } from '../../src/domain/id-card';
import { actAs, collectErrors, inspectCell, keepScreenshot, PHONE, pngPixels, waitForCells, workerCell } from './helpers';

/** Reads the QR in a picture of the page (a PNG screenshot), as a phone's camera would: by its pixels. */
async function readQr(page: Page, png: Buffer): Promise<string | null> {
  const { width, height, data } = await pngPixels(page, png);
  return jsQR(new Uint8ClampedArray(data), width, height)?.data ?? null;
}

test('house plates: a cell’s sheet prints as A4 PDF with every plate; its QR, read from the pixels, opens the building on a phone, where the grid worker records a tenant in and out and reports from the door', async ({
  page,
  browser,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  const cell = await workerCell(page);
  await actAs(page, '网格员 · 王芳');
  await inspectCell(page, cell);

  // The sheet: every plate of the cell, eight to an A4 page, each with the cell's worker.
  await page.getByTestId('inspector-plates').click();
  const sheet = page.getByTestId('plate-sheet');
  await expect(page.getByTestId('plate-sheet-count')).toHaveText(/^\d+ 块门牌 · \d+ 页 A4$/);
  const [, plates, pages] = /^(\d+) 块门牌 · (\d+) 页/.exec((await page.getByTestId('plate-sheet-count').textContent()) ?? '') ?? [];
  expect(Number(plates)).toBeGreaterThan(1);
  expect(Number(pages)).toBe(Math.ceil(Number(plates) / 8));
  await expect(sheet.getByTestId('house-plate')).toHaveCount(Number(plates));
  const first = sheet.getByTestId('house-plate').first();
  const address = (await first.locator('.house-plate-full').textContent()) as string;
  await expect(first.locator('.house-plate-door')).toHaveText(/^\S+\d+号$/);
  const code = (await first.locator('.plate-code').textContent()) as string;
  expect(code).toMatch(/^[0-9A-F]{12}$/);
  await expect(first).toContainText('王芳');
  await expect(first).toContainText(cell);
  await keepScreenshot(page, '59-plate-sheet');

  // Printed (the browser's print to PDF): only the plates, one page per eight, Chinese text intact.
  const dir = mkdtempSync(join(tmpdir(), 'plates-'));
  const pdf = join(dir, 'plates.pdf');
  writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(Number(pages));
  expect(
    /Page size:\s+([\d.]+) x ([\d.]+) pts/
      .exec(info)
      ?.slice(1)
      .map((v) => Math.round(Number(v))),
  ).toEqual([595, 842]);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  expect(text).toContain(address.replace(/\s+/g, ''));
  // Every plate of the sheet, by its code.
  for (const c of await sheet.locator('.plate-code').allTextContents()) expect(text).toContain(c);
  expect(text).toContain('数字门牌');
  // Nothing of the app around it (the header, the inspector) is printed.
  expect(text).not.toContain('网格图谱');
  // A plate's QR reads from the printed page too (rendered at 150 dpi, a plate cut out of it).
  execFileSync('pdftoppm', [
    '-r',
    '150',
    '-png',
    '-f',
    '1',
    '-l',
    '1',
    '-x',
    '0',
    '-y',
    '0',
    '-W',
    '620',
    '-H',
    '450',
    pdf,
    join(dir, 'page'),
  ]);
  const printed = await readQr(page, readFileSync(join(dir, 'page-1.png')));
  expect(printed).toBe(`http://127.0.0.1:4173/?plate=${code}`);

  // The QR, as a camera reads it from the screen: the app's address and the plate's code, nothing else.
  const url = await readQr(page, await first.locator('.house-plate-qr').screenshot());
  expect(url).toBe(`http://127.0.0.1:4173/?plate=${code}`);
  await page.getByTestId('plate-sheet-close').click();
  expect(errors).toEqual([]);

  // The plate scanned with a phone: the app opens on the building's page.
  const phone = await browser.newContext(PHONE);
  const mobile = await phone.newPage();
  const mobileErrors = collectErrors(mobile);
  try {
    await mobile.goto(url as string);
    await waitForCells(mobile);
    await mobile.getByTestId('menu-toggle').tap();
    await actAs(mobile, '网格员 · 王芳');
    if (await mobile.getByTestId('session-select').isVisible()) await mobile.getByTestId('menu-toggle').tap();
    const plate = mobile.getByTestId('plate-page');
    await expect(mobile.getByTestId('plate-address')).toHaveText(address);
    await expect(mobile.getByTestId('plate-cell')).toContainText(cell);
    await expect(mobile.getByTestId('plate-workers')).toHaveText('王芳');
    // The door ringed on the map.
    await expect.poll(() => mobile.evaluate(() => window.__gridatlas?.highlightsOnMap() ?? 0)).toBe(1);
    await expect(mobile.getByTestId('plate-counts')).toHaveText(/^\d+ 户 · \d+ 人/);
    const residents = () =>
      mobile
        .getByTestId('plate-counts')
        .textContent()
        .then((t) => Number(/· (\d+) 人/.exec(t ?? '')?.[1]));
    const before = await residents();
    await expect(mobile.getByTestId('plate-person')).toHaveCount(before);

    // A tenant moves in: a wrong ID card is caught as typed; then recorded, in the register.
    await mobile.getByTestId('plate-move-in-open').tap();
    await mobile.getByTestId('move-in-name').fill('刘晓宇');
    const body = '43010419950412123';
    await mobile.getByTestId('move-in-id-card').fill(`${body}${idCardCheckDigit(body) === '0' ? '1' : '0'}`);
    await expect(mobile.getByTestId('move-in-id-card-problem')).toContainText('校验位');
    await expect(mobile.getByTestId('move-in-submit')).toBeDisabled();
    await mobile.getByTestId('move-in-id-card').fill(`${body}${idCardCheckDigit(body)}`);
    await mobile.getByTestId('move-in-room').fill('9单元901室');
    await keepScreenshot(mobile, '60-plate-move-in-phone');
    await mobile.getByTestId('move-in-submit').tap();
    await expect(mobile.getByTestId('plate-notice')).toHaveText('已登记：刘晓宇 迁入 9单元901室。');
    await expect.poll(residents).toBe(before + 1);
    const tenant = plate.getByTestId('plate-person').filter({ hasText: '刘晓宇' });
    await expect(tenant).toContainText('男 · 1995 年生 · 流动人口');
    await expect(mobile.getByTestId('plate-register')).toContainText('刘晓宇');
    for (const id of ['plate-report', 'plate-move-in-open', 'plate-locate']) {
      expect((await mobile.getByTestId(id).boundingBox())?.height, id).toBeGreaterThanOrEqual(44);
    }
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // A bottom sheet the width of the phone, the map above it.
    const box = await plate.boundingBox();
    expect([box?.x, Math.round((box?.x ?? 0) + (box?.width ?? 0))]).toEqual([0, 390]);
    await keepScreenshot(mobile, '61-plate-page-phone');

    // They move out: gone from the residents, kept in the register with both dates.
    await tenant.getByTestId('plate-move-out').tap();
    await mobile.getByTestId('move-out-submit').tap();
    await expect(mobile.getByTestId('plate-notice')).toContainText('刘晓宇 于');
    await expect.poll(residents).toBe(before);
    await expect(plate.getByTestId('plate-person').filter({ hasText: '刘晓宇' })).toHaveCount(0);
    await expect(mobile.getByTestId('plate-register').locator('tr', { hasText: '刘晓宇' }).locator('td').nth(3)).toHaveText(
      /^\d{4}-\d{2}-\d{2}$/,
    );

    // A report from the plate: at the door, the address written; back on the plate, the case is open there.
    await mobile.getByTestId('plate-report').tap();
    await expect(mobile.getByTestId('case-report-description')).toHaveValue(`${address}：`);
    await mobile.getByTestId('case-report-category').selectOption({ label: '市容环境' });
    await mobile.getByTestId('case-report-description').fill(`${address}：楼道堆放杂物，堵塞消防通道`);
    await mobile.getByTestId('case-report-submit').tap();
    await expect(mobile.getByTestId('case-state')).toHaveText('待立案');
    await mobile.getByTestId('cases-panel').getByRole('button', { name: '关闭' }).tap();
    await expect(mobile.getByTestId('plate-cases')).toContainText('市容环境 · 待立案');
    expect(mobileErrors).toEqual([]);
  } finally {
    await phone.close();
  }
});
