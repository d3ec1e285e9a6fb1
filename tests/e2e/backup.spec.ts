import { expect, test } from '@playwright/test';
import { collectErrors, keepScreenshot, waitForCells } from './helpers';

test('an administrator downloads the database and restores it in a new browser profile; a file that is no backup changes nothing', async ({
  page,
  browser,
}) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await waitForCells(page);
  // Something only this browser's database has: two things imported.
  await page.getByTestId('import-open').click();
  await page.getByTestId('import-kind').selectOption('thing');
  const things = ['id,name,category,lon,lat', 'BK-1,备份测试消防栓1,消防栓,112.905,28.205', 'BK-2,备份测试消防栓2,消防栓,112.906,28.206'];
  await page.getByTestId('import-file').setInputFiles({ name: 'things.csv', mimeType: 'text/csv', buffer: Buffer.from(things.join('\n')) });
  await page.getByTestId('import-validate').click();
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-result')).toHaveText('完成：新增 2，更新 0，未变 0');
  await page.getByRole('button', { name: '关闭' }).first().click();

  await page.getByTestId('backup-open').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('backup-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^gridatlas-backup-\d{8}-\d{4}\.tar\.gz$/);
  const backupPath = test.info().outputPath('backup.tar.gz');
  await download.saveAs(backupPath);
  await expect(page.getByTestId('backup-saved')).toContainText('已下载备份');
  await keepScreenshot(page, '20-backup-dialog');

  // Another browser profile, on the demo as shipped.
  const fresh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
  const other = await fresh.newPage();
  await other.goto('/');
  await waitForCells(other);
  await expect(other.getByTestId('layer-thing').locator('xpath=..')).toContainText('1,000');
  await other.getByTestId('backup-open').click();
  // Not a backup: refused, nothing changed.
  await other
    .getByTestId('backup-restore-file')
    .setInputFiles({ name: 'x.tar.gz', mimeType: 'application/gzip', buffer: Buffer.from('id,name\n1,a\n') });
  await expect(other.getByTestId('backup-error')).toHaveText('这不是网格图谱的备份文件（不是 .tar.gz 压缩包），数据未作改动');
  // The backup: checked, written, and the page opens again on it.
  await other.getByTestId('backup-restore-file').setInputFiles(backupPath);
  await expect(other.getByTestId('backup-restored')).toHaveText(/已从备份恢复：570 个网格、37,502 个要素、20,000 个事件/, {
    timeout: 180_000,
  });
  await waitForCells(other);
  await expect(other.getByTestId('layer-thing').locator('xpath=..')).toContainText('1,002');
  await keepScreenshot(other, '20a-restored');
  // And it stays after a reload: the restored copy is the one in IndexedDB.
  await other.reload();
  await waitForCells(other);
  await expect(other.getByTestId('layer-thing').locator('xpath=..')).toContainText('1,002');
  await fresh.close();
  expect(errors).toEqual([]);
});
