import { describe, expect, it } from 'vitest';
import { type LabelGrid, type SplitLine, signedArea2, splitRect, traceRegions } from '../../../src/demo/lattice';
import { createRandom } from '../../../src/demo/random';

function grid(rows: string[]): LabelGrid {
  // rows[0] is the northern row; labels are digits, '.' is outside.
  const height = rows.length;
  const width = (rows[0] as string).length;
  const labels = new Int32Array(width * height);
  rows.forEach((row, r) => {
    for (let u = 0; u < width; u++) labels[(height - 1 - r) * width + u] = row[u] === '.' ? -1 : Number(row[u]);
  });
  return { width, height, labels };
}

describe('traceRegions', () => {
  it('traces a square as one counter-clockwise ring with a vertex at every lattice point', () => {
    const rings = traceRegions(grid(['00', '00'])).get(0);
    expect(rings).toHaveLength(1);
    const outer = rings?.[0]?.[0] ?? [];
    expect(outer).toHaveLength(9); // 8 boundary points + closing point
    expect(signedArea2(outer)).toBe(8); // twice the area of 4 unit squares
  });

  it('gives neighbours exactly the same shared vertices', () => {
    const traced = traceRegions(grid(['0011', '0011']));
    const key = (p: [number, number]) => p.join(',');
    const a = new Set((traced.get(0)?.[0]?.[0] ?? []).map(key));
    const b = new Set((traced.get(1)?.[0]?.[0] ?? []).map(key));
    expect([...a].filter((p) => b.has(p)).sort()).toEqual(['2,0', '2,1', '2,2']);
  });

  it('makes a hole where another region sits inside', () => {
    const traced = traceRegions(grid(['000', '010', '000']));
    const polygon = traced.get(0)?.[0] ?? [];
    expect(polygon).toHaveLength(2);
    expect(signedArea2(polygon[1] ?? [])).toBe(-2);
  });

  it('splits a region touching itself at a corner into two rings, never a figure eight', () => {
    const traced = traceRegions(grid(['01', '10']));
    const polygons = traced.get(0) ?? [];
    expect(polygons).toHaveLength(2);
    for (const [outer] of polygons) expect(outer).toHaveLength(5);
  });

  it('areas of all regions add up to the labelled squares', () => {
    const g = grid(['0011.', '0221.', '3322.']);
    let area2 = 0;
    for (const polygons of traceRegions(g).values()) for (const p of polygons) for (const ring of p) area2 += signedArea2(ring);
    expect(area2 / 2).toBe([...g.labels].filter((l) => l >= 0).length);
  });
});

describe('splitRect', () => {
  it('splits into the asked number of parts that tile the rectangle', () => {
    const lines: SplitLine[] = [];
    const parts = splitRect({ u0: 0, v0: 0, u1: 40, v1: 30 }, 7, 0.1, createRandom(3).next, lines, 0);
    expect(parts).toHaveLength(7);
    expect(lines).toHaveLength(6);
    expect(parts.reduce((s, r) => s + (r.u1 - r.u0) * (r.v1 - r.v0), 0)).toBe(1200);
  });
});
