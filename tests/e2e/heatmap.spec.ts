import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { canvasDigest, classPixels, collectErrors, keepScreenshot, waitForCells } from './helpers';

test('the risk heatmap follows the time slider, plays back, and exports the playback as WebM', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  await page.getByTestId('layer-cells').uncheck();
  await page.getByTestId('layer-event').uncheck();
  await page.waitForFunction(() => window.__gridatlas?.mapSettled() === true);
  const base = await classPixels(page);
  await page.getByTestId('layer-heat').check();
  await expect(page.getByTestId('heat-panel')).toBeVisible();
  await page.waitForFunction(() => (window.__gridatlas?.heat?.seq ?? 0) >= 1, undefined, { timeout: 120_000 });
  // Warm colours appear where there were none: the heat is drawn.
  await expect
    .poll(async () => (await classPixels(page)).red + (await classPixels(page)).amber)
    .toBeGreaterThan(base.red + base.amber + 5000);
  await expect(page.getByTestId('heat-legend')).toContainText('起/平方公里');
  await expect(page.getByTestId('heat-status')).toContainText('起事件');
  await keepScreenshot(page, '11-heatmap');
  const first = await page.evaluate(() => window.__gridatlas?.heat);
  // The density is computed in bands on every core (helpers of the geometry worker), up to four.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(first?.threads).toBe(Math.min(4, Math.max(1, cores)));
  await expect(page.getByTestId('heat-status')).toContainText(`${first?.threads} 线程`);
  const firstWindow = await page.getByTestId('heat-window').textContent();
  const firstDigest = await canvasDigest(page);

  // Move the slider to the earliest window: another heatmap, drawn differently.
  await page.getByTestId('heat-slider').focus();
  await page.keyboard.press('Home');
  // (A recompute for the same window may come first, when the database's events replace the snapshot's.)
  await page.waitForFunction((end) => (window.__gridatlas?.heat?.end ?? end) < end, first?.end ?? 0);
  const early = await page.evaluate(() => window.__gridatlas?.heat);
  expect(early?.counted).not.toBe(first?.counted);
  await expect(page.getByTestId('heat-window')).not.toHaveText(firstWindow ?? '');
  await expect.poll(() => canvasDigest(page)).not.toBe(firstDigest);
  await keepScreenshot(page, '12-heatmap-early');

  // Playback moves the window on by itself.
  const before = await page.getByTestId('heat-window').textContent();
  await page.getByTestId('heat-play').click();
  await expect(page.getByTestId('heat-window')).not.toHaveText(before ?? '');
  await page.getByTestId('heat-play').click();

  // Weighting by severity changes the units on the legend.
  await page.getByTestId('heat-weight').selectOption('severity');
  await expect(page.getByTestId('heat-legend')).toContainText('加权起/平方公里');

  // Filtering by source counts fewer events.
  const all = await page.evaluate(() => window.__gridatlas?.heat);
  await page.getByTestId('heat-source').selectOption('hotline');
  await page.waitForFunction((seq) => (window.__gridatlas?.heat?.seq ?? 0) > seq, all?.seq ?? 0);
  await expect.poll(async () => (await page.evaluate(() => window.__gridatlas?.heat?.counted)) ?? 0).toBeLessThan(all?.counted ?? 0);
  await page.getByTestId('heat-source').selectOption('');
  await expect.poll(async () => (await page.evaluate(() => window.__gridatlas?.heat?.counted)) ?? 0).toBe(all?.counted);

  // The Gaussian kernel (in WebAssembly, as the quartic): the same events, another surface.
  const quartic = await page.evaluate(() => window.__gridatlas?.heat);
  const quarticDigest = await canvasDigest(page);
  await page.getByTestId('heat-kernel').selectOption('gaussian');
  await page.waitForFunction((seq) => (window.__gridatlas?.heat?.seq ?? 0) > seq, quartic?.seq ?? 0);
  const gaussian = await page.evaluate(() => window.__gridatlas?.heat);
  expect(gaussian?.counted).toBe(quartic?.counted);
  expect(gaussian?.max).toBeGreaterThan(0);
  expect(gaussian?.max).not.toBe(quartic?.max);
  await expect.poll(() => canvasDigest(page)).not.toBe(quarticDigest);
  await keepScreenshot(page, '11b-heatmap-gaussian');
  await page.getByTestId('heat-kernel').selectOption('quartic');

  // Isobands at the legend's breaks, as outlines.
  await page.getByTestId('heat-isobands').check();
  await page.waitForFunction(() => (window.__gridatlas?.isobands ?? 0) > 0);
  await keepScreenshot(page, '16-isobands');
  await page.getByTestId('heat-isobands').uncheck();
  await page.waitForFunction(() => window.__gridatlas?.isobands === 0);

  // Gi* hot spots of the window's events, by cell; then against the window before.
  await page.getByTestId('heat-hotspots').check();
  await page.waitForFunction(() => (window.__gridatlas?.hotspots?.classes[3] ?? 0) > 0);
  const classes = await page.evaluate(() => window.__gridatlas?.hotspots?.classes);
  await expect(page.getByTestId('heat-bin-3')).toContainText(`热点 99% ${classes?.[3]}`);
  await keepScreenshot(page, '15-hotspots');
  // Neighbours within a 1 km band instead of touching cells: each cell weighs more of them, and
  // the classes change; back to touching cells, they are as before.
  await page.getByTestId('heat-neighbours').selectOption('distance:1000');
  await page.waitForFunction((before) => JSON.stringify(window.__gridatlas?.hotspots?.classes) !== before, JSON.stringify(classes));
  await expect(page.getByTestId('heat-neighbours')).toHaveValue('distance:1000');
  await keepScreenshot(page, '15a-hotspots-distance-band');
  await page.getByTestId('heat-neighbours').selectOption('queen');
  await page.waitForFunction((before) => JSON.stringify(window.__gridatlas?.hotspots?.classes) === before, JSON.stringify(classes));
  await page.getByTestId('heat-compare').check();
  await page.waitForFunction(() => window.__gridatlas?.hotspots?.trends != null);
  const trends = await page.evaluate(() => window.__gridatlas?.hotspots?.trends);
  expect(Object.values(trends ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  await expect(page.getByTestId('heat-trend-persistent')).toContainText(`持续 ${trends?.persistent}`);
  await page.getByTestId('heat-hotspots').uncheck();
  await page.waitForFunction(() => window.__gridatlas?.hotspots === null);

  // Export: record from two days before the end, playback runs to the end, a WebM downloads.
  await page.getByTestId('heat-slider').focus();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('heat-record').click()]);
  expect(download.suggestedFilename()).toMatch(/^gridatlas-heat-playback-.*\.webm$/);
  const video = readFileSync(await download.path());
  expect(video.length).toBeGreaterThan(1000);
  // WebM files start with the EBML magic number.
  expect(video.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
  expect(errors).toEqual([]);
});
