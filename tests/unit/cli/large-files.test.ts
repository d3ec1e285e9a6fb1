/**
 * Large point files are read as a stream, into columns: memory is bounded by what a command
 * keeps (its output), not by the file. A 200,000-row CSV goes through `assign` and `hotspots`
 * with a 64 MB heap (reading it whole took ≈ 440 MB and died there).
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDistrict } from '../../../src/demo/generate-district';
import { writeDemo } from '../../../src/demo/write-demo';

const ROWS = 200_000;

function cli(heapMb: number | null, ...args: string[]) {
  const env = { ...process.env, NODE_OPTIONS: heapMb ? `--max-old-space-size=${heapMb}` : '' };
  const r = spawnSync('node_modules/.bin/tsx', ['src/cli/main.ts', ...args], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('large point files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'large-'));
  const cells = join(dir, 'cells.geojson');
  const points = join(dir, 'points.csv');
  beforeAll(async () => {
    await writeDemo(generateDistrict({ seed: 3, scale: 0.05 }), dir);
    const { features } = JSON.parse(readFileSync(cells, 'utf8')) as { features: { geometry: { coordinates: number[][][][] } }[] };
    const positions = features.flatMap((f) => f.geometry.coordinates.flat(2)) as unknown as number[][];
    const xs = positions.map((p) => p[0] as number);
    const ys = positions.map((p) => p[1] as number);
    const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const out = createWriteStream(points);
    out.write('id,名称,lon,lat,severity\n');
    for (let i = 0; i < ROWS; i++) {
      const x = w + (((i * 7919) % 10007) / 10007) * (e - w);
      const y = s + (((i * 104729) % 10009) / 10009) * (n - s);
      if (!out.write(`E${i},事件${i},${x.toFixed(6)},${y.toFixed(6)},${1 + (i % 4)}\n`)) await once(out, 'drain');
    }
    out.write('BAD,坏坐标,abc,28.2,1\n');
    await new Promise((r) => out.end(r));
  }, 60_000);

  it('assign and hotspots take 200,000 rows with a 64 MB heap, every row accounted for', () => {
    const assigned = join(dir, 'assigned.csv');
    const a = cli(64, 'assign', '--cells', cells, '--points', points, '--out', assigned, '--json');
    expect(a.stderr).toBe('');
    expect(a.code).toBe(1); // the one bad row
    expect(JSON.parse(a.stdout)).toMatchObject({ rows: ROWS + 1, rejected: 1 });
    const lines = readFileSync(assigned, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(ROWS + 1);
    expect(lines[0]).toBe('id,名称,lon,lat,severity,cell_code');
    expect(readFileSync(join(dir, 'assigned.rejected.csv'), 'utf8')).toContain(`${ROWS + 2},lon,`);
    const h = cli(
      64,
      'hotspots',
      '--cells',
      cells,
      '--points',
      points,
      '--weight',
      'severity',
      '--out',
      join(dir, 'hot.geojson'),
      '--json',
    );
    expect(h.code).toBe(1);
    expect(JSON.parse(h.stdout)).toMatchObject({ points: ROWS, rejected: 1 });
  }, 120_000);

  it('a UTF-8 guess that turns out wrong beyond the first 64 kB stops naming the byte; --encoding gbk reads it', () => {
    // 90 kB of ASCII rows, then a row in GBK (名称 消防栓).
    const ascii = Array.from({ length: 4000 }, (_, i) => `A${i},hydrant,112.9,28.2`).join('\n');
    const file = join(dir, 'late-gbk.csv');
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(`id,name,lon,lat\n${ascii}\nG1,`), Buffer.from('cffbb7c0cba8', 'hex'), Buffer.from(',112.9,28.2\n')]),
    );
    const out = join(dir, 'late.csv');
    const guessed = cli(null, 'assign', '--cells', cells, '--points', file, '--out', out);
    expect(guessed.code).toBe(2);
    expect(guessed.stderr).toMatch(/not valid UTF-8 after byte \d+: it may be GBK \(give --encoding gbk\)/);
    const chosen = cli(null, 'assign', '--cells', cells, '--points', file, '--out', out, '--encoding', 'gbk');
    expect(chosen.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('G1,消防栓,');
  }, 60_000);
});
