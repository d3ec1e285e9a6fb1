import { afterAll, describe, expect, it } from 'vitest';
import { densityThreads, threadHelper } from '../../../src/cli/density-threads';
import { createRandom } from '../../../src/demo/random';
import { kernelDensity, pointsBBox, rasterFrame } from '../../../src/geo/kernel-density';
import { DensityPool, HelperStopped } from '../../../src/workers/density-pool';

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

  it('computes a band itself when its thread has stopped, and asks that thread no more', async () => {
    const alive = threadHelper();
    const dying = threadHelper();
    const stopping = new DensityPool([alive, dying]);
    try {
      await stopping.setPoints(lng, lat);
      const frame = rasterFrame(pointsBBox(lng, lat, 300), 15);
      const options = { kernel: 'quartic' as const, bandwidthMeters: 250 };
      const one = kernelDensity(lng, lat, weight, frame, options);
      // The thread ends between two heatmaps: its band comes from this thread instead.
      dying.terminate();
      await expect(dying.rows(weight, frame, options, [0, 1])).rejects.toBeInstanceOf(HelperStopped);
      const { grid, threads } = await stopping.density(weight, frame, options);
      expect(threads).toBe(2);
      expect(stopping.size).toBe(1);
      let worst = 0;
      for (let k = 0; k < one.values.length; k++) worst = Math.max(worst, Math.abs((grid.values[k] as number) - (one.values[k] as number)));
      expect(worst / one.max).toBeLessThan(1e-10);
      // The next one splits between the two threads left.
      expect((await stopping.density(weight, frame, options)).threads).toBe(2);
    } finally {
      stopping.terminate();
    }
  });

  it('passes a thread’s error on', async () => {
    const frame = rasterFrame(pointsBBox(lng, lat, 300), 15);
    await expect(pool.density(null, frame, { kernel: 'quartic', bandwidthMeters: -1 })).rejects.toThrow('the bandwidth must be positive');
  });
});
