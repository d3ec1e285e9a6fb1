import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { workerCell } from './helpers';

const run = promisify(execFile);

test('npm run cli -- report prints a cell’s zone report from the built app in Chromium, headless: the same page, read back with pdftotext', async ({
  page,
}) => {
  const code = await workerCell(page);
  const out = join(mkdtempSync(join(tmpdir(), 'report-cli-')), `${code}.pdf`);
  const { stdout, stderr } = await run(
    'node_modules/.bin/tsx',
    ['src/cli/main.ts', 'report', '--cell', code, '--out', out, '--from', '2026-01-01', '--to', '2027-01-01', '--app', 'dist', '--json'],
    { encoding: 'utf8', timeout: 240_000 },
  );
  const summary = JSON.parse(stdout) as { cell: string; pages: number; from: string; to: string };
  expect(summary).toMatchObject({ cell: code, from: '2026-01-01', to: '2027-01-01' });
  expect(summary.pages).toBeGreaterThanOrEqual(1);
  expect(stderr).toContain('report: printing');
  const info = (await run('pdfinfo', [out], { encoding: 'utf8' })).stdout;
  expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(summary.pages);
  expect(info).toMatch(/Page size:\s+594\.\d+ x 841\.\d+ pts \(A4\)/);
  const text = (await run('pdftotext', [out, '-'], { encoding: 'utf8' })).stdout.replace(/\s+/g, '');
  for (const s of ['网格区域报告', code, '统计时段2026-01-01至2027-01-01（不含）', '社区中位数', '网格变更记录']) expect(text).toContain(s);
  expect(text).not.toContain('切换身份');

  // A cell that does not exist: exit 1 and why.
  const missing = await run(
    'node_modules/.bin/tsx',
    ['src/cli/main.ts', 'report', '--cell', '430199999999999', '--out', `${out}.x`, '--app', 'dist'],
    {
      encoding: 'utf8',
      timeout: 240_000,
    },
  ).catch((e: { code: number; stdout: string }) => e);
  expect('code' in missing ? missing.code : 0).toBe(1);
  expect(missing.stdout).toContain('430199999999999');
});
