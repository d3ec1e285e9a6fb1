import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/demo/random';
import {
  distanceBandWeights,
  giStar,
  hotspotClasses,
  normalUpperTail,
  queenWeights,
  type SpatialWeights,
  spaceTimeTrend,
} from '../../../src/geo/gi-star';
import { formatWeightsSpec, parseWeightsSpec, periodHotspots, spatialWeights } from '../../../src/geo/hotspots';

const square = (x: number, y: number, size = 0.001): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

/** A k × k lattice of squares, row by row from the south-west. */
const lattice = (k: number) => Array.from({ length: k * k }, (_, i) => square(112.9 + (i % k) * 0.001, 28.2 + Math.floor(i / k) * 0.001));

const neighbours = (w: SpatialWeights, i: number) => Array.from(w.index.slice(w.start[i], w.start[i + 1]));

describe('spatial weights', () => {
  it('queen: a 3 × 3 lattice gives the centre 8 neighbours, an edge cell 5, a corner 3', () => {
    const w = queenWeights(lattice(3));
    expect(neighbours(w, 4)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    expect(neighbours(w, 1)).toEqual([0, 2, 3, 4, 5]);
    expect(neighbours(w, 0)).toEqual([1, 3, 4]);
  });

  it('queen: a vertex on a neighbour edge (a T-junction) makes neighbours; a gap wider than the tolerance does not', () => {
    const big = square(0, 0, 0.002);
    const small = [square(0.002, 0, 0.001), square(0.002, 0.001, 0.001)];
    const far = square(0.0031, 0, 0.001);
    const w = queenWeights([big, ...small, far]);
    expect(neighbours(w, 0)).toEqual([1, 2]);
    expect(neighbours(w, 3)).toEqual([]);
  });

  it('distance band: pairs within the band, both ways', () => {
    const w = distanceBandWeights(
      [
        [112.9, 28.2],
        [112.901, 28.2],
        [112.903, 28.2],
      ],
      150,
    );
    // 0.001° of longitude at 28.2° N is about 98 m.
    expect(neighbours(w, 0)).toEqual([1]);
    expect(neighbours(w, 1)).toEqual([0]);
    expect(neighbours(w, 2)).toEqual([]);
    expect(() => distanceBandWeights([], 0)).toThrow('the distance band must be positive');
  });
});

describe('weights specs', () => {
  it('reads and writes "queen" and "distance:METRES", and builds the cells\' neighbours by them', () => {
    for (const text of ['queen', 'distance:500', 'distance:1250.5']) expect(formatWeightsSpec(parseWeightsSpec(text))).toBe(text);
    expect(() => parseWeightsSpec('distance:0')).toThrow('weights must be "queen" or "distance:METRES"');
    const cells = lattice(3).map((geometry) => ({ geometry }));
    // Queen: the centre touches all 8; a band of 120 m reaches only the 4 cells sharing an edge
    // (centres ≈ 98 m and 111 m apart), not the diagonal ones (≈ 148 m).
    expect(neighbours(spatialWeights(cells, { kind: 'queen' }), 4)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    expect(neighbours(spatialWeights(cells, { kind: 'distance', meters: 120 }), 4)).toEqual([1, 3, 5, 7]);
  });
});

describe('normalUpperTail', () => {
  it('matches the standard normal table', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.644854)).toBeCloseTo(0.05, 6);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(2.575829)).toBeCloseTo(0.005, 6);
    expect(normalUpperTail(-1.959964)).toBeCloseTo(0.975, 6);
  });
});

describe('giStar', () => {
  it('agrees with a hand-worked chain of five cells', () => {
    // Values 1, 2, 3, 10, 12 along a chain; each cell's neighbours are the cells beside it.
    // n = 5, x̄ = 5.6, S = √(258/5 − 5.6²) = √20.24 = 4.49889.
    // Cell 0: Σwx = 1 + 2 = 3, Σw = 2: z = (3 − 11.2) / (4.49889 · √((10 − 4)/4)) = −8.2 / 5.50999 = −1.48821.
    // Cell 3: Σwx = 3 + 10 + 12 = 25, Σw = 3: z = (25 − 16.8) / (4.49889 · √((15 − 9)/4)) = 8.2 / 5.50999 = 1.48821.
    const weights: SpatialWeights = { start: Int32Array.from([0, 1, 3, 5, 7, 8]), index: Int32Array.from([1, 0, 2, 1, 3, 2, 4, 3]) };
    const { z, p } = giStar([1, 2, 3, 10, 12], weights);
    expect(z[0]).toBeCloseTo(-1.48821, 4);
    expect(z[3]).toBeCloseTo(1.48821, 4);
    // Cell 4: Σwx = 22, Σw = 2: z = (22 − 11.2) / 5.50999 = 1.96008, just significant at 95 %.
    expect(z[4]).toBeCloseTo(1.96008, 4);
    expect(p[4]).toBeCloseTo(0.04999, 4);
    // Cell 1: Σwx = 6, Σw = 3: z = (6 − 16.8) / 5.50999 = −1.96008: a cold spot at 95 %.
    expect(z[1]).toBeCloseTo(-1.96008, 4);
    expect(Array.from(hotspotClasses({ z, p }))).toEqual([0, -2, 0, 0, 2]);
  });

  it('agrees with the Getis–Ord (1992) form G*_i = Σwx / Σx standardised by its expectation and variance', () => {
    const random = createRandom(11);
    const k = 12;
    const w = queenWeights(lattice(k));
    const x = Array.from({ length: k * k }, (_, i) => random.int(0, 5) + (i % k < 4 && i < 50 ? 15 : 0));
    const { z } = giStar(x, w);
    const n = x.length;
    const total = x.reduce((a, v) => a + v, 0);
    const y1 = total / n;
    const y2 = x.reduce((a, v) => a + v * v, 0) / n - y1 * y1;
    for (let i = 0; i < n; i++) {
      const links = [i, ...neighbours(w, i)];
      const wi = links.length;
      const g = links.reduce((a, j) => a + (x[j] as number), 0) / total;
      const expected = wi / n;
      const variance = ((wi * (n - wi)) / (n * n * (n - 1))) * (y2 / (y1 * y1));
      expect(z[i]).toBeCloseTo((g - expected) / Math.sqrt(variance), 9);
    }
  });

  it('gives 0 and p = 1 where the statistic is undefined (no variation)', () => {
    const { z, p } = giStar([4, 4, 4, 4], queenWeights(lattice(2)));
    expect(Array.from(z)).toEqual([0, 0, 0, 0]);
    expect(Array.from(p)).toEqual([1, 1, 1, 1]);
  });
});

describe('hotspotClasses', () => {
  it('bins by confidence with the sign of z, and the false-discovery-rate rule lowers the bar', () => {
    const z = Float64Array.from([3, 2.2, 1.8, -2.7, 0.5, 2.0]);
    const p = Float64Array.from([0.002, 0.028, 0.09, 0.007, 0.6, 0.046]);
    expect(Array.from(hotspotClasses({ z, p }))).toEqual([3, 2, 1, -3, 0, 2]);
    // Benjamini–Hochberg over 6 cells: sorted p 0.002, 0.007, 0.028, 0.046, 0.09, 0.6.
    // α = 0.10: largest k with p(k) ≤ k/6 · 0.10 is k = 4 (0.046 ≤ 0.0667; 0.09 > 0.0833): cut 0.046.
    // α = 0.05: k = 2 (0.007 ≤ 0.0167; 0.028 > 0.025, 0.046 > 0.0333): cut 0.007.
    // α = 0.01: 0.002 > 0.00167 and 0.007 > 0.00333: no cell.
    expect(Array.from(hotspotClasses({ z, p }, true))).toEqual([2, 1, 0, -2, 0, 1]);
  });
});

describe('spaceTimeTrend', () => {
  it('labels new, intensifying, persistent and diminishing hot spots', () => {
    expect(spaceTimeTrend(0, 2, 0.3, 2.1)).toBe('new');
    expect(spaceTimeTrend(1, 3, 1.7, 3.1)).toBe('intensifying');
    expect(spaceTimeTrend(2, 2, 2.0, 2.05)).toBe('persistent');
    expect(spaceTimeTrend(3, 0, 3.0, 0.4)).toBe('diminishing');
    expect(spaceTimeTrend(-2, 0, -2, 0)).toBeNull();
  });
});

describe('periodHotspots', () => {
  const cells = lattice(9).map((geometry, i) => ({ code: `c${i}`, geometry }));
  /** Counts with a cluster of `n` events in each cell of the 3 × 3 block whose south-west cell is (x, y), 1 elsewhere. */
  const cluster = (x: number, y: number, n: number) =>
    cells.map((_, i) => (Math.abs((i % 9) - (x + 1)) <= 1 && Math.abs(Math.floor(i / 9) - (y + 1)) <= 1 ? n : 1));

  it('finds this period’s hot spots and their trend against the period before', () => {
    // Before: a cluster in the south-west corner; now: in the centre, and a weaker one still in the corner.
    const before = cluster(0, 0, 30);
    const now = cluster(3, 3, 30).map((v, i) => Math.max(v, (before[i] as number) > 1 ? 8 : 1));
    const result = periodHotspots(cells, now, before);
    if (!result.cells) throw new Error(result.problem);
    const centre = result.cells.get('c40');
    expect(centre?.hotspot).toBe(3);
    expect(centre?.trend).toBe('new');
    expect(result.cells.get('c10')?.trend).toBe('diminishing');
    // Far from both: neither hot nor a trend.
    expect(result.cells.get('c80')).toMatchObject({ trend: null });
    expect(result.cells.get('c80')?.hotspot).toBeLessThanOrEqual(0);
  });

  it('says why when the period has too few events, rather than calling one event a hot spot', () => {
    const now = cells.map((_, i) => (i === 40 ? 5 : 0));
    expect(periodHotspots(cells, now, now)).toEqual({ cells: null, problem: expect.stringMatching(/too few events.*5 in 1 of 81 cells/) });
  });
});
