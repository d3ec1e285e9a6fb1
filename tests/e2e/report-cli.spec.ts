import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { colourPixels, workerCell } from './helpers';
import { startSupabaseApp } from './supabase-app';

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
  const summary = JSON.parse(stdout) as { report: string; pages: number; from: string; to: string };
  expect(summary).toMatchObject({ report: code, from: '2026-01-01', to: '2027-01-01' });
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

test('npm run cli -- atlas prints a community’s cells as one PDF: cover, summary, contents with page numbers, a page a cell', async ({
  page,
}) => {
  type Features = { features: { properties: Record<string, string> }[] };
  const communities = (await (await page.request.get('/demo/communities.geojson')).json()) as Features;
  const cells = (await (await page.request.get('/demo/cells.geojson')).json()) as Features;
  const community = communities.features[1]?.properties as Record<string, string>;
  const codes = cells.features
    .map((f) => f.properties)
    .filter((p) => p.community_code === community.code)
    .map((p) => p.code as string)
    .sort();
  expect(codes.length).toBeGreaterThan(1);
  const out = join(mkdtempSync(join(tmpdir(), 'atlas-cli-')), 'atlas.pdf');
  const { stdout, stderr } = await run(
    'node_modules/.bin/tsx',
    ['src/cli/main.ts', 'atlas', '--community', community.code as string, '--out', out, '--app', 'dist', '--json'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  // Progress as the cells are read.
  expect(stderr).toMatch(/atlas: 正在读取 \d+ \/ \d+ 个网格/);
  const pages = 3 + codes.length;
  expect(JSON.parse(stdout)).toMatchObject({ pages });
  expect(Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [out], { encoding: 'utf8' })).stdout)?.[1])).toBe(pages);
  const page1 = (await run('pdftotext', ['-f', '1', '-l', '1', out, '-'], { encoding: 'utf8' })).stdout;
  expect(page1).toContain(`${community.name} 网格图集`);
  expect(page1).toContain(`共 ${codes.length} 个网格`);
  expect(page1).toContain(`第 1 页 / 共 ${pages} 页`);
  // The contents: every cell with the page it is on, and that page is the cell's.
  const contents = (await run('pdftotext', ['-layout', '-f', '3', '-l', '3', out, '-'], { encoding: 'utf8' })).stdout;
  expect(contents).toContain('目录');
  for (const [i, code] of codes.entries()) {
    expect(contents).toMatch(new RegExp(`${code}.*\\s${4 + i}\\s*\\n`));
    const cellPage = (await run('pdftotext', ['-f', String(4 + i), '-l', String(4 + i), out, '-'], { encoding: 'utf8' })).stdout;
    expect(cellPage).toContain(code);
    expect(cellPage).toContain(`第 ${4 + i} 页 / 共 ${pages} 页`);
  }
  // Every map drawn, by its pixels (50 dpi: about 2 px a millimetre): the overview's cells filled
  // by class; on each cell's page its neighbours filled and the cell ringed in blue.
  const dir = mkdtempSync(join(tmpdir(), 'atlas-png-'));
  await run('pdftoppm', ['-r', '50', '-png', out, join(dir, 'p')]);
  const png = (n: number) => readFileSync(join(dir, `p-${String(n).padStart(String(pages).length, '0')}.png`));
  const overview = await colourPixels(page, png(2), { x: 24, y: 50, w: 360, h: 250 }, [29, 63, 191]);
  expect(overview.coloured / overview.all).toBeGreaterThan(0.3);
  for (let p = 4; p <= pages; p++) {
    const map = await colourPixels(page, png(p), { x: 24, y: 62, w: 360, h: 80 }, [29, 63, 191]);
    expect(map.coloured / map.all, `page ${p}`).toBeGreaterThan(0.3);
    expect(map.near, `page ${p}`).toBeGreaterThan(30);
  }
});

test('npm run cli -- atlas --hotspot prints the period’s hot spots: each page’s cell is a hot spot at that confidence', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'atlas-hot-')), 'hot.pdf');
  const { stdout } = await run(
    'node_modules/.bin/tsx',
    ['src/cli/main.ts', 'atlas', '--hotspot', '99', '--from', '2000-01-01', '--out', out, '--app', 'dist', '--json'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  const { pages } = JSON.parse(stdout) as { pages: number };
  // The demo's events cluster: there are hot spots at 99 %, one page each after the cover, summary and contents.
  expect(pages).toBeGreaterThan(3);
  const page1 = (await run('pdftotext', ['-f', '1', '-l', '1', out, '-'], { encoding: 'utf8' })).stdout;
  expect(page1).toContain('热点网格图集（置信度 99% 及以上）');
  expect(page1).toContain(`共 ${pages - 3} 个网格`);
  const contents = (await run('pdftotext', ['-layout', '-f', '3', '-l', '3', out, '-'], { encoding: 'utf8' })).stdout;
  expect(contents.match(/\b\d{15}\b/g)).toHaveLength(pages - 3);
  for (let p = 4; p <= pages; p++) {
    const text = (await run('pdftotext', ['-f', String(p), '-l', String(p), out, '-'], { encoding: 'utf8' })).stdout;
    expect(text, `page ${p}`).toMatch(/热点：热点 99%（z = [\d.]+）/);
  }
});

test('npm run cli -- report --district prints the district’s report: a summary page, then every cell in a table, 50 a page', async ({
  page,
}) => {
  const cells = (await (await page.request.get('/demo/cells.geojson')).json()) as { features: unknown[] };
  const out = join(mkdtempSync(join(tmpdir(), 'district-')), 'district.pdf');
  const { stdout } = await run(
    'node_modules/.bin/tsx',
    ['src/cli/main.ts', 'report', '--district', '--out', out, '--app', 'dist', '--json'],
    {
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  const pages = 1 + Math.ceil(cells.features.length / 50);
  expect(JSON.parse(stdout)).toMatchObject({ report: 'district', pages });
  const first = (await run('pdftotext', ['-f', '1', '-l', '1', out, '-'], { encoding: 'utf8' })).stdout;
  for (const s of ['全区报告', `共 ${cells.features.length} 个网格`, '统计数字与对比', '案件办理', `第 1 页 / 共 ${pages} 页`])
    expect(first).toContain(s);
  const all = (await run('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' })).stdout;
  expect(new Set(all.match(/\b\d{15}\b/g)).size).toBe(cells.features.length);
});

test('npm run cli -- report prints from a deployment on Supabase: signed in as a planner with the password from the environment; a wrong one is refused with why', async () => {
  test.setTimeout(480_000);
  // The same port as offline.spec's: the Supabase build is made once a run.
  const app = await startSupabaseApp(4175);
  try {
    const code = '430199001001001';
    const out = join(mkdtempSync(join(tmpdir(), 'report-supabase-')), `${code}.pdf`);
    const args = ['src/cli/main.ts', 'report', '--cell', code, '--out', out, '--url', app.url, '--email', 'planner@demo.gridatlas.local'];
    const { stdout, stderr } = await run('node_modules/.bin/tsx', [...args, '--json'], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, GRIDATLAS_PASSWORD: 'demo-password' },
    });
    expect(JSON.parse(stdout)).toMatchObject({ report: code, pages: 1 });
    expect(stderr).toContain('report: signed in as 规划分析');
    // The figures came from the deployment's database, through its RPCs, as the planner.
    expect(app.rpcCalls.get('cell_figures')).toBeGreaterThan(0);
    expect(app.rpcCalls.get('zone_case_figures')).toBeGreaterThan(0);
    const text = (await run('pdftotext', [out, '-'], { encoding: 'utf8' })).stdout.replace(/\s+/g, '');
    for (const s of ['网格区域报告', code, '社区中位数']) expect(text).toContain(s);
    expect(text).not.toContain('登录');

    const refused = await run('node_modules/.bin/tsx', args, {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, GRIDATLAS_PASSWORD: 'not-the-password' },
    }).catch((e: { code: number; stdout: string }) => e);
    expect('code' in refused ? refused.code : 0).toBe(1);
    expect(refused.stdout).toContain('planner@demo.gridatlas.local: 登录失败');
  } finally {
    await app.close();
  }
});
