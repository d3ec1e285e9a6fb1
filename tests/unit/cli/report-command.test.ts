import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appTargetOf, pdfPages } from '../../../src/cli/report-command';
import { serveApp } from '../../../src/cli/serve-app';
import {
  type AtlasScope,
  atlasLayout,
  atlasParam,
  atlasRequestOf,
  atlasScopeOf,
  atlasUrl,
  cellsInScope,
  reportRequestOf,
  reportSubjectOf,
  reportUrl,
  withoutReport,
} from '../../../src/domain/reports';

function cli(...args: string[]) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, GRIDATLAS_PASSWORD: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('report command', () => {
  it('refuses what it cannot print, with a clear message and exit 2, before starting a browser', () => {
    const out = join(tmpdir(), 'r.pdf');
    expect(cli('report', '--out', out).stderr).toContain('give exactly one of --cell CODE, --community CODE, --district');
    expect(cli('report', '--district', '--cell', '430199001001001', '--out', out).stderr).toContain('give exactly one of');
    expect(cli('report', '--community', '43019900100', '--out', out).stderr).toContain(
      '--community must be a 12-digit community code, got "43019900100"',
    );
    expect(cli('report', '--cell', '4301', '--out', out).stderr).toContain('--cell must be a 15-digit cell code, got "4301"');
    expect(cli('report', '--cell', '430199001001001').stderr).toContain('--out FILE.pdf is required');
    const day = cli('report', '--cell', '430199001001001', '--out', out, '--from', '2026/01/01');
    expect(day.code).toBe(2);
    expect(day.stderr).toContain('--from must be a day as YYYY-MM-DD, got "2026/01/01"');
    expect(cli('report', '--cell', '430199001001001', '--out', out, '--from', '2026-02-01', '--to', '2026-01-01').stderr).toContain(
      '--from 2026-02-01 must come before --to 2026-01-01',
    );
    const noApp = cli('report', '--cell', '430199001001001', '--out', out, '--app', join(tmpdir(), 'no-such-app'));
    expect(noApp.code).toBe(2);
    expect(noApp.stderr).toContain('index.html missing): run npm run build first');
  });

  it('prints a built app or a deployment, signed in with the password from the environment, never from the command line', () => {
    expect(appTargetOf({}, {})).toEqual({ kind: 'dir', dir: 'dist' });
    expect(appTargetOf({ app: 'build' }, {})).toEqual({ kind: 'dir', dir: 'build' });
    expect(appTargetOf({ url: 'https://grid.example.org/app' }, {})).toEqual({
      kind: 'url',
      url: 'https://grid.example.org/app',
      email: null,
      password: null,
    });
    expect(appTargetOf({ url: 'https://grid.example.org/', email: 'planner@example.org' }, { GRIDATLAS_PASSWORD: 's3cret' })).toEqual({
      kind: 'url',
      url: 'https://grid.example.org/',
      email: 'planner@example.org',
      password: 's3cret',
    });
    expect(() => appTargetOf({ url: 'https://grid.example.org/', email: 'planner@example.org' }, {})).toThrow(
      '--email planner@example.org signs in with the password in GRIDATLAS_PASSWORD, which is not set',
    );
    expect(() => appTargetOf({ url: 'grid.example.org' }, {})).toThrow('--url must be the address of a deployed app (http or https)');
    expect(() => appTargetOf({ url: 'ftp://grid.example.org/' }, {})).toThrow('--url must be the address of a deployed app');
    expect(() => appTargetOf({ url: 'https://grid.example.org/', app: 'dist' }, {})).toThrow('not both');
    expect(() => appTargetOf({ email: 'planner@example.org' }, { GRIDATLAS_PASSWORD: 'x' })).toThrow(
      '--email signs in to a deployment given by --url',
    );
    // The CLI says so before a browser starts.
    const r = cli('report', '--district', '--out', join(tmpdir(), 'r.pdf'), '--url', 'http://127.0.0.1:9/', '--email', 'a@b.c');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('GRIDATLAS_PASSWORD, which is not set');
  });

  it('counts a PDF’s pages by their page objects', () => {
    const pdf = new TextEncoder().encode(
      '%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page /Parent 1 0 R>>',
    );
    expect(pdfPages(pdf)).toBe(2);
  });

  it('opens the app on a report and back: the cell and the period in the address', () => {
    const url = reportUrl('http://127.0.0.1:4173/', { code: '430199001001001', from: '2026-01-01', to: '2026-07-01' });
    expect(url).toBe('http://127.0.0.1:4173/?report=430199001001001&from=2026-01-01&to=2026-07-01');
    expect(reportRequestOf(url)).toEqual({ code: '430199001001001', from: '2026-01-01', to: '2026-07-01' });
    expect(reportRequestOf('http://x/?report=430199001001001&from=yesterday')).toEqual({ code: '430199001001001' });
    expect(reportRequestOf('http://x/?plate=abc')).toBeNull();
    expect(withoutReport(`${url}&plate=abc`)).toBe('http://127.0.0.1:4173/?plate=abc');
    // A community's or the district's, beside the period before.
    const area = reportUrl('http://127.0.0.1:4173/', { code: 'district', compare: true });
    expect(area).toBe('http://127.0.0.1:4173/?report=district&compare=1');
    expect(reportRequestOf(area)).toEqual({ code: 'district', compare: true });
    expect(withoutReport(area)).toBe('http://127.0.0.1:4173/');
    expect(['430199001001001', '430199001001', 'district', '4301'].map(reportSubjectOf)).toEqual(['cell', 'community', 'district', null]);
  });

  it('serves a built app: files by path with their types, archives as files, nothing outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(join(dir, 'assets', 'a.wasm'), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(dir, 'assets', 'b.tar.gz'), new Uint8Array([31, 139]));
    writeFileSync(join(tmpdir(), 'secret.txt'), 'no');
    const app = await serveApp(dir);
    try {
      const index = await fetch(app.url);
      expect(index.headers.get('content-type')).toContain('text/html');
      expect(await index.text()).toContain('<title>app</title>');
      expect((await fetch(`${app.url}assets/a.wasm`)).headers.get('content-type')).toBe('application/wasm');
      const archive = await fetch(`${app.url}assets/b.tar.gz`);
      expect(archive.headers.get('content-type')).toBe('application/gzip');
      expect(archive.headers.get('content-encoding')).toBeNull();
      expect((await fetch(`${app.url}assets/none.js`)).status).toBe(404);
      expect((await fetch(`${app.url}..%2fsecret.txt`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('atlas command', () => {
  it('takes exactly one set of cells, each checked, before starting a browser', () => {
    const out = join(tmpdir(), 'a.pdf');
    expect(cli('atlas', '--out', out).stderr).toContain(
      'give exactly one of --community CODE, --class A|B|C, --cells CODE,CODE,…, --hotspot 90|95|99',
    );
    expect(cli('atlas', '--hotspot', '80', '--out', out).stderr).toContain(
      '--hotspot must be a confidence of 90, 95 or 99 (percent), got "80"',
    );
    expect(cli('atlas', '--class', 'A', '--community', '430199001001', '--out', out).stderr).toContain('give exactly one of');
    expect(cli('atlas', '--class', 'D', '--out', out).stderr).toContain('--class must be A, B or C, got "D"');
    expect(cli('atlas', '--community', '4301', '--out', out).stderr).toContain('--community must be a 12-digit community code, got "4301"');
    const cells = cli('atlas', '--cells', '430199001001001,x', '--out', out);
    expect(cells.code).toBe(2);
    expect(cells.stderr).toContain('--cells must be 15-digit cell codes separated by commas, got "x"');
    expect(cli('atlas', '--class', 'A').stderr).toContain('--out FILE.pdf is required');
  });
});

describe('atlas scope and pages', () => {
  const cells = [
    { code: '430199001001002', communityCode: '430199001001', class: 'A' },
    { code: '430199001001001', communityCode: '430199001001', class: 'C' },
    { code: '430199001002001', communityCode: '430199001002', class: 'A' },
  ];

  it('reads and writes the scope in the address', () => {
    const scopes: AtlasScope[] = [
      { kind: 'community', code: '430199001001' },
      { kind: 'class', cls: 'A' },
      { kind: 'cells', codes: ['430199001001001', '430199001002001'] },
      { kind: 'hotspot', level: 95 },
    ];
    for (const scope of scopes) {
      const url = atlasUrl('http://127.0.0.1:4173/', { scope, from: '2026-01-01' });
      expect(atlasRequestOf(url)).toEqual({ scope, from: '2026-01-01' });
      expect(atlasScopeOf(atlasParam(scope))).toEqual(scope);
    }
    expect(atlasScopeOf('class:D')).toBeNull();
    expect(atlasScopeOf('hotspot:80')).toBeNull();
    expect(atlasScopeOf('cells:')).toBeNull();
    expect(atlasScopeOf('nothing')).toBeNull();
    expect(atlasScopeOf('cells:1,1,2')).toEqual({ kind: 'cells', codes: ['1', '2'] });
    expect(withoutReport('http://x/?atlas=class:A&from=2026-01-01&plate=p')).toBe('http://x/?plate=p');
  });

  it('picks the cells of a community, a class or a list, in code order', () => {
    expect(cellsInScope(cells, { kind: 'community', code: '430199001001' })).toEqual(['430199001001001', '430199001001002']);
    expect(cellsInScope(cells, { kind: 'class', cls: 'A' })).toEqual(['430199001001002', '430199001002001']);
    expect(cellsInScope(cells, { kind: 'cells', codes: ['430199001002001', '999'] })).toEqual(['430199001002001']);
  });

  it('picks the hot spots of the period at a confidence or more, and none before they are counted', () => {
    const hotspots = new Map([
      ['430199001001001', { hotspot: 3 }],
      ['430199001001002', { hotspot: 1 }],
      ['430199001002001', { hotspot: -3 }],
    ]);
    expect(cellsInScope(cells, { kind: 'hotspot', level: 90 }, hotspots)).toEqual(['430199001001001', '430199001001002']);
    expect(cellsInScope(cells, { kind: 'hotspot', level: 99 }, hotspots)).toEqual(['430199001001001']);
    expect(cellsInScope(cells, { kind: 'hotspot', level: 90 })).toEqual([]);
  });

  it('numbers the pages: cover, summary, contents, then a page a cell', () => {
    expect(atlasLayout(11)).toEqual({ tocPages: 1, firstCellPage: 4, pages: 14 });
    expect(atlasLayout(100, 40)).toEqual({ tocPages: 3, firstCellPage: 6, pages: 105 });
    expect(atlasLayout(0)).toEqual({ tocPages: 1, firstCellPage: 4, pages: 3 });
  });
});
