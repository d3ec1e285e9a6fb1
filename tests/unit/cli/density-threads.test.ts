import { afterAll, describe, expect, it } from 'vitest';
import { densityThreads } from '../../../src/cli/density-threads';
import { createRandom } from '../../../src/demo/random';
import { kernelDensity, pointsBBox, rasterFrame } from '../../../src/geo/kernel-density';

describe('kernel density on Node threads', () => {
  const pool = densityThreads(2);
  afterAll(() => pool.terminate());
  const rng = createRandom(21);
  const n = 30_000;
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Most points in the north: equal work is not equal rows.
    const north = rng.next() < 0.8;
    lng[i] = 112.93 + rng.next() * 0.03;
    lat[i] = north ? 28.22 + rng.next() * 0.005 : 28.2 + rng.next() * 0.02;
    weight[i] = 1 + (i % 3);
  }

  it('gives the same raster as one thread, in three bands', async () => {
    await pool.setPoints(lng, lat);
    for (const options of [
      { kernel: 'quartic' as const, bandwidthMeters: 250 },
      { kernel: 'gaussian' as const, bandwidthMeters: 60 },
    ]) {
      const frame = rasterFrame(pointsBBox(lng, lat, 300), 15);
      const one = kernelDensity(lng, lat, weight, frame, options);
      const { grid, threads } = await pool.density(weight, frame, options);
      expect(threads).toBe(3);
      expect(grid.width).toBe(one.width);
      expect(Math.abs(grid.max - one.max) / one.max).toBeLessThan(1e-10);
      let worst = 0;
      for (let k = 0; k < one.values.length; k++) worst = Math.max(worst, Math.abs((grid.values[k] as number) - (one.values[k] as number)));
      // Points beyond a band are stamped one by one, not through their bin's moments: the same
      // sums, rounded differently (both within 1e-9 of the direct sum, see kernel-density.test).
      expect(worst / one.max).toBeLessThan(1e-10);
    }
  });

  it('passes a thread’s error on', async () => {
    const frame = rasterFrame(pointsBBox(lng, lat, 300), 15);
    await expect(pool.density(null, frame, { kernel: 'quartic', bandwidthMeters: -1 })).rejects.toThrow('the bandwidth must be positive');
  });
});
