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

test('imports things from a CSV, shows and downloads the rejected rows, and re-imports without duplicates', async ({ page }) => {
  await page.goto('/');
  await waitForCells(page);
  const events = (await (await page.request.get('/demo/events.csv')).text()).split('\n').slice(1, 4);
  const door = (await (await page.request.get('/demo/gazetteer.csv')).text()).split('\n').find((line) => line.includes(',door,'));
  const [, , road, houseNumber, , , address] = door?.split(',') ?? [];
  expect(address).toMatch(/号$/);
  const lines = ['id,name,category,lon,lat,address'];
  events.forEach((line, k) => {
    const [, lon, lat] = line.split(',');
    lines.push(`W-E2E-${k + 1},测试消防栓${k + 1},消防栓,${lon},${lat},`);
  });
  lines.push('W-E2E-1,重复的编号,消防栓,112.9,28.2,'); // row 5: duplicate id
  lines.push('W-E2E-5,坏坐标,消防栓,abc,28.2,'); // row 6: not a number
  lines.push(`W-E2E-6,按地址定位,井盖,,,${address}`); // row 7: located by its address
  lines.push(`W-E2E-7,地址有误,井盖,,,鑫${road?.slice(1)}${houseNumber}`); // row 8: misspelt road: to review
  lines.push('W-E2E-8,无此地址,井盖,,,火星大道九百九十九号'); // row 9: no match at all: a pin is dropped
  const file = { name: 'things.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) };

  await page.getByTestId('import-open').click();
  // A GBK file whose bytes are also valid UTF-8 (郑伟): the guess is shown, and the user may read it otherwise.
  const gbk = Buffer.concat([Buffer.from('name,lon,lat\n'), Buffer.from('d6a3ceb0', 'hex'), Buffer.from(',112.9,28.2\n')]);
  await page.getByTestId('import-file').setInputFiles({ name: 'gbk.csv', mimeType: 'text/csv', buffer: gbk });
  await expect(page.getByTestId('import-encoding').locator('option:checked')).toHaveText('自动识别：GBK');
  await expect(page.getByTestId('import-preview')).toContainText('郑伟');
  await page.getByTestId('import-encoding').selectOption('utf-8');
  await expect(page.getByTestId('import-preview')).toContainText('\u05a3\u03b0');
  await keepScreenshot(page, '07a-import-encoding-chosen');
  await page.getByTestId('import-encoding').selectOption('auto');
  await expect(page.getByTestId('import-preview')).toContainText('郑伟');
  await page.getByTestId('import-kind').selectOption('thing');
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-file-info')).toContainText('8 行');
  await expect(page.getByTestId('import-encoding')).toHaveValue('auto');
  await expect(page.getByTestId('import-map-external_id')).toHaveValue('id');
  await page.getByTestId('import-validate').click();
  await expect(page.getByTestId('import-summary')).toHaveText('可导入 4 行（其中 1 行按地址定位），不能导入 2 行');
  await expect(page.getByTestId('import-review')).toContainText(`鑫${road?.slice(1)}${houseNumber}`);
  await expect(page.getByTestId('import-rejected')).toContainText('编号“W-E2E-1”重复（首次出现在第 2 行）');
  await expect(page.getByTestId('import-rejected')).toContainText('经度“abc”不是数字');
  await keepScreenshot(page, '07-import-checked');
  // Pick the first candidate for the misspelt address: the row becomes ready.
  await page.getByTestId('import-candidate').first().click();
  await expect(page.getByTestId('import-summary')).toHaveText('可导入 5 行（其中 2 行按地址定位），不能导入 2 行');
  // The address that matches nothing: drop a pin for it on the map.
  await expect(page.getByTestId('import-review-row')).toHaveCount(1);
  await expect(page.getByTestId('import-review-row')).toContainText('没有相近的地址');
  await page.getByTestId('import-pin').click();
  await expect(page.getByTestId('import-pin-banner')).toContainText('第 9 行“火星大道九百九十九号”');
  await expect(page.getByTestId('import-dialog')).toBeHidden();
  await keepScreenshot(page, '07b-import-drop-pin');
  const box = await page.locator('.maplibregl-canvas').boundingBox();
  if (!box) throw new Error('no map canvas');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(page.getByTestId('import-dialog')).toBeVisible();
  await expect(page.getByTestId('import-summary')).toHaveText('可导入 6 行（其中 3 行按地址定位），不能导入 2 行');
  await expect(page.getByTestId('import-review')).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-download').click()]);
  expect(download.suggestedFilename()).toBe('rejected-thing.csv');
  const downloaded = readFileSync(await download.path(), 'utf8');
  expect(downloaded).toContain('row,field,reason,id,name,category,lon,lat,address');
  expect(downloaded).toContain('6,lon,经度“abc”不是数字,W-E2E-5,坏坐标,消防栓,abc,28.2,');
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-result')).toHaveText('完成：新增 6，更新 0，未变 0');
  await keepScreenshot(page, '08-import-done');
  await page.getByRole('button', { name: '关闭' }).first().click();
  await expect(page.getByTestId('layer-thing').locator('xpath=..')).toContainText('1,006');

  // The same file again: nothing new, nothing changed.
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-kind').selectOption('thing');
  await page.getByTestId('import-file').setInputFiles(file);
  await page.getByTestId('import-validate').click();
  await page.getByTestId('import-candidate').first().click();
  // A pin dropped and cancelled with Escape leaves the row waiting; then it is dropped.
  await page.getByTestId('import-pin').click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-review-row')).toHaveCount(1);
  await page.getByTestId('import-drop-row').click();
  await expect(page.getByTestId('import-summary')).toHaveText('可导入 5 行（其中 2 行按地址定位），不能导入 3 行');
  await expect(page.getByTestId('import-rejected')).toContainText('地址“火星大道九百九十九号”没有可靠的匹配');
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-result')).toHaveText('完成：新增 0，更新 0，未变 5');
});

test('imports 100,000 rows in a Web Worker with progress while the map keeps drawing, and reports how long it took', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/');
  await waitForCells(page);
  // 100,000 things at demo event positions spread a little.
  const events = (await (await page.request.get('/demo/events.csv')).text()).trim().split('\n').slice(1);
  const lines = ['编号,名称,类别,经度,纬度'];
  for (let i = 0; i < 100_000; i++) {
    const [, lon, lat] = (events[i % events.length] as string).split(',');
    lines.push(`BIG-${i},井盖${i},井盖,${(Number(lon) + ((i % 7) - 3) * 1e-5).toFixed(6)},${lat}`);
  }
  const file = { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) };
  // Count animation frames and long main-thread tasks while the import runs.
  await page.evaluate(() => {
    const w = window as unknown as { frames100k: number; longest100k: number };
    w.frames100k = 0;
    w.longest100k = 0;
    const tick = () => {
      w.frames100k++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longest100k = Math.max(w.longest100k, e.duration);
    }).observe({ type: 'longtask' });
  });
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-kind').selectOption('thing');
  await page.getByTestId('import-file').setInputFiles(file);
  // Playwright's own injection of the 5 MB file blocks the page once: start counting after it.
  const started = Date.now();
  await page.evaluate(() => {
    (window as unknown as { longest100k: number }).longest100k = 0;
  });
  await expect(page.getByTestId('import-file-info')).toContainText('100000 行');
  const read = Date.now();
  await page.getByTestId('import-validate').click();
  await expect(page.getByTestId('import-summary')).toBeVisible();
  // A few demo events lie just outside every cell (the district's edge): they are flagged; keep them.
  if ((await page.getByTestId('import-outside').count()) > 0) await page.getByTestId('import-outside-keep').check();
  await expect(page.getByTestId('import-summary')).toHaveText('可导入 100000 行（其中 0 行按地址定位），不能导入 0 行');
  const checked = Date.now();
  // Progress is shown in steps while rows are written (it is not one frozen block): the page
  // records every text the progress shows.
  await page.evaluate(() => {
    const seen = new Set<string>();
    (window as unknown as { progressSeen: Set<string> }).progressSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="import-progress"]')?.textContent;
      if (text) seen.add(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-result')).toHaveText('完成：新增 100000，更新 0，未变 0');
  const done = Date.now();
  expect(await page.evaluate(() => (window as unknown as { progressSeen: Set<string> }).progressSeen.size)).toBeGreaterThan(2);
  await page.getByRole('button', { name: '关闭' }).first().click();
  await expect(page.getByTestId('layer-thing').locator('xpath=..')).toContainText('101,000');
  const { frames, longest } = await page.evaluate(() => {
    const w = window as unknown as { frames100k: number; longest100k: number };
    return { frames: w.frames100k, longest: w.longest100k };
  });
  // Measured, not asserted (timings vary by machine): printed with the test run.
  const seconds = (a: number, b: number) => ((b - a) / 1000).toFixed(1);
  console.log(
    `100,000-row import: read ${seconds(started, read)} s, check ${seconds(read, checked)} s, write ${seconds(checked, done)} s ` +
      `(${Math.round(100_000 / ((done - checked) / 1000))} rows/s); ${frames} frames drawn, longest main-thread task ${Math.round(longest)} ms`,
  );
  expect(frames).toBeGreaterThan(0);
});
