import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { idCardCheckDigit } from '../../src/domain/id-card';
import { collectErrors, keepScreenshot, waitForCells } from './helpers';

/** A valid ID card number: district 430199, born 1980-01-01, sequence 100 + n. */
const idCard = (n: number) => {
  const body = `43019919800101${100 + n}`;
  return body + idCardCheckDigit(body);
};

test('a 20-row roster of people: the kind from the header, people known by ID card, every problem of a row, rows outside flagged, a result that stays', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  // Positions inside cells (a point inside each of 16 cells).
  const positions = await page.evaluate(() =>
    Array.from({ length: 16 }, (_, i) => window.__gridatlas?.cellAt(i * 30)?.lngLat.map((x) => x.toFixed(6)) ?? []),
  );
  const lines = ['姓名,身份证号,地址,经度,纬度'];
  for (const [k, [lon, lat]] of positions.entries()) lines.push(`居民${k + 1},${idCard(k)},枫楼巷${k + 1}号,${lon},${lat}`); // rows 2–17
  lines.push('错号居民,430199198001011239,枫楼巷99号,东经,28.2'); // row 18: two problems
  lines.push(',,枫楼巷98号,112.9,28.2'); // row 19: no name, no ID card
  lines.push(`北京居民,${idCard(17)},长安街1号,116.397,39.909`); // row 20: in China, in no cell
  lines.push(`坏纬度,${idCard(18)},枫楼巷97号,112.9,abc`); // row 21
  const file = { name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) };

  await page.getByTestId('import-open').click();
  await page.getByTestId('import-file').setInputFiles(file);
  // The header says people; no id column: they are known by their ID card numbers.
  await expect(page.getByTestId('import-kind')).toHaveValue('person');
  await expect(page.getByTestId('import-kind-guessed')).toContainText('人员');
  await expect(page.getByTestId('import-map-id_card_number')).toHaveValue('身份证号');
  await expect(page.getByTestId('import-by-id-card')).toBeVisible();

  // The kind can change while the file is open: a thing needs an id the file lacks, and says so.
  await page.getByTestId('import-kind').selectOption('thing');
  await expect(page.getByTestId('import-missing')).toContainText('编号');
  await page.getByTestId('import-validate').click();
  await expect(page.getByTestId('import-missing')).toHaveAttribute('role', 'alert');
  await page.getByTestId('import-kind').selectOption('person');
  await expect(page.getByTestId('import-missing')).toHaveCount(0);

  await page.getByTestId('import-validate').click();
  await expect(page.getByTestId('import-summary')).toHaveText('可导入 16 行（其中 0 行按地址定位），不能导入 4 行');
  await expect(page.getByTestId('import-outside')).toContainText('1 行的位置不在您的网格内');
  await expect(page.getByTestId('import-outside')).toContainText('第 20 行 北京居民');
  // Every problem of row 18 and of row 19.
  const rejected = page.getByTestId('import-rejected');
  await expect(rejected).toContainText('“430199198001011239”的校验位是');
  await expect(rejected).toContainText('经度“东经”不是数字');
  await expect(rejected).toContainText('既没有编号也没有身份证号');
  await keepScreenshot(page, '07c-import-roster-checked');
  // The user weighs the outside row; the result of the check stays meanwhile.
  await page.getByTestId('import-outside-keep').check();
  await expect(page.getByTestId('import-submit')).toHaveText('导入 17 行');
  await expect(page.getByTestId('import-summary')).toHaveText('可导入 17 行（其中 0 行按地址定位），不能导入 3 行');
  await page.getByTestId('import-outside-drop').check();
  await expect(page.getByTestId('import-submit')).toHaveText('导入 16 行');
  await expect(page.getByTestId('import-summary')).toBeVisible();
  await expect(page.getByTestId('import-progress')).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-download').click()]);
  const downloaded = readFileSync(await download.path(), 'utf8');
  expect(downloaded).toMatch(/\n18,身份证号; 经度,“430199198001011239”的校验位是 \d，应为 \d; 经度“东经”不是数字,错号居民/);
  expect(downloaded).toContain('20,"经度,纬度","坐标（116.397, 39.909）不在任何网格内",北京居民');
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-result')).toHaveText('完成：新增 16，更新 0，未变 0');

  // The same roster again: found by their ID card numbers, nothing new.
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-validate').click();
  await expect(page.getByTestId('import-summary')).toHaveText('可导入 16 行（其中 0 行按地址定位），不能导入 4 行');
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-result')).toHaveText('完成：新增 0，更新 0，未变 16');
  expect(errors).toEqual([]);
});
