import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../src/import/csv';

function cli(...args: string[]) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI', () => {
  it('lists its commands and exits 2 without one', () => {
    const r = cli();
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('demo');
  });

  it('prints help for a command and exits 0', () => {
    const r = cli('demo', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--seed N');
  });

  it('exits 2 with a clear message on a bad argument', () => {
    const r = cli('demo', '--out', join(tmpdir(), 'x'), '--seed', 'abc');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seed must be an integer, got "abc"');
    expect(cli('demo').stderr).toContain('--out DIR is required');
    expect(cli('demo', '--nope').code).toBe(2);
    expect(cli('nope').stderr).toContain('unknown command "nope"');
  });

  it('writes the demo files and a JSON summary; the same seed writes the same bytes', () => {
    const a = mkdtempSync(join(tmpdir(), 'demo-a-'));
    const b = mkdtempSync(join(tmpdir(), 'demo-b-'));
    const r = cli('demo', '--out', a, '--seed', '7', '--scale', '0.1', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { counts: Record<string, number>; files: string[] };
    expect(summary.counts.people).toBe(3_000);
    expect(summary.files.map((f) => f.split('/').pop())).toContain('events.csv');
    cli('demo', '--out', b, '--seed', '7', '--scale', '0.1');
    for (const file of ['cells.geojson', 'events.csv', 'people.csv']) {
      expect(readFileSync(join(a, file), 'utf8')).toBe(readFileSync(join(b, file), 'utf8'));
    }
    const header = readFileSync(join(a, 'events.csv'), 'utf8').split('\n')[0];
    expect(header).toBe('id,lon,lat,occurred_at,category,severity,source,status,description');
  }, 60_000);
});

describe('csv', () => {
  it('quotes fields with commas, quotes and line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
    expect(toCsv([{ a: 1, b: 'x\ny' }], ['a', 'b'])).toBe('a,b\n1,"x\ny"\n');
  });
});
