import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/demo/random';
import { gaussianSeriesTerms } from '../../../src/geo/density-kernels';
import {
  densityBands,
  gaussianSeries,
  type Kernel,
  kernelDensity,
  kernelDensityRows,
  kernelReachMeters,
  pointsBBox,
  rasterFrame,
} from '../../../src/geo/kernel-density';
import { directDensity } from '../../oracles/direct-density';

function scatter(n: number, seed: number) {
  const rng = createRandom(seed);
  const random = () => rng.next();
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Two clusters and some noise, around Changsha.
    const k = random();
    const [cx, cy] =
      k < 0.4 ? [112.93, 28.2] : k < 0.7 ? [112.95, 28.21] : [112.94 + (random() - 0.5) * 0.04, 28.205 + (random() - 0.5) * 0.03];
    lng[i] = cx + (random() - 0.5) * 0.008;
    lat[i] = cy + (random() - 0.5) * 0.006;
    weight[i] = 1 + Math.floor(random() * 4);
  }
  return { lng, lat, weight };
}

/**
 * 3,000 points for exactness tests: a third in a few hot cells (many points per cell), the rest
 * spread over the raster and `beyond` degrees past it, one on a cell centre and one on a corner;
 * weights 0 and NaN among them (`finite`: the same with NaN as 0, for the direct sum).
 */
function crowded(seed: number, frame: ReturnType<typeof rasterFrame>, beyond: number) {
  const rng = createRandom(seed);
  const [west, south, east, north] = frame.bbox;
  const n = 3000;
  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hot = i % 3 === 0;
    lng[i] = hot ? west + (east - west) * (0.3 + 0.002 * (i % 7)) : west - beyond + (east - west + 2 * beyond) * rng.next();
    lat[i] = hot ? south + (north - south) * (0.6 + 0.003 * (i % 5)) : south - beyond + (north - south + 2 * beyond) * rng.next();
    weight[i] = i % 11 === 0 ? 0 : i % 13 === 0 ? Number.NaN : 1 + (i % 4);
  }
  const kx = (east - west) / frame.width;
  const ky = (north - south) / frame.height;
  lng[1] = west + 3.5 * kx;
  lat[1] = north - 2.5 * ky;
  lng[2] = west + 4 * kx;
  lat[2] = north - 6 * ky;
  return { lng, lat, weight, finite: weight.map((w) => (Number.isFinite(w) ? w : 0)) };
}

describe('kernelDensity', () => {
  for (const kernel of ['quartic', 'gaussian'] as Kernel[]) {
    it(`${kernel}: equals the direct sum over all points at every cell, to 1e-6 of the peak`, () => {
      const { lng, lat, weight } = scatter(400, kernel === 'quartic' ? 7 : 8);
      const options = { kernel, bandwidthMeters: kernel === 'quartic' ? 300 : 150 };
      const frame = rasterFrame(pointsBBox(lng, lat, 200), 40);
      for (const weights of [null, weight]) {
        const grid = kernelDensity(lng, lat, weights, frame, options);
        const all = Array.from({ length: frame.width * frame.height }, (_, i) => i);
        const direct = directDensity(lng, lat, weights, frame, options, all);
        let worst = 0;
        let peak = 0;
        for (let i = 0; i < all.length; i++) {
          worst = Math.max(worst, Math.abs((grid.values[i] as number) - (direct[i] as number)));
          peak = Math.max(peak, direct[i] as number);
        }
        expect(grid.max).toBeCloseTo(peak, 6);
        expect(peak).toBeGreaterThan(0);
        expect(worst / peak).toBeLessThan(1e-6);
      }
    });
  }

  it('integrates to the number of points (per km², over cells of known area)', () => {
    const { lng, lat } = scatter(300, 3);
    for (const kernel of ['quartic', 'gaussian'] as Kernel[]) {
      const options = { kernel, bandwidthMeters: 200 };
      const frame = rasterFrame(pointsBBox(lng, lat, kernelReachMeters(options) + 50), 10);
      const grid = kernelDensity(lng, lat, null, frame, options);
      const total = grid.values.reduce((a, v) => a + v, 0) * (frame.cellMeters / 1000) ** 2;
      expect(total).toBeGreaterThan(300 * 0.995);
      expect(total).toBeLessThan(300 * 1.005);
    }
  });

  it('is the same density in the same place whatever the raster: a cell centre shared by two rasters gets one value', () => {
    const { lng, lat } = scatter(200, 4);
    for (const options of [
      { kernel: 'quartic' as const, bandwidthMeters: 250 },
      { kernel: 'gaussian' as const, bandwidthMeters: 60 },
    ]) {
      const a = rasterFrame(pointsBBox(lng, lat, 300), 20);
      // The same raster reaching 37 cells further east: the cells they share have the same centres.
      const extra = 37;
      const [west, south, east, north] = a.bbox;
      const b = { ...a, bbox: [west, south, east + (extra * (east - west)) / a.width, north] as typeof a.bbox, width: a.width + extra };
      const ga = kernelDensity(lng, lat, null, a, options);
      const gb = kernelDensity(lng, lat, null, b, options);
      let compared = 0;
      for (let row = 0; row < a.height; row += 3)
        for (let col = 0; col < a.width; col += 2) {
          const va = ga.values[row * a.width + col] as number;
          expect(gb.values[row * b.width + col]).toBeCloseTo(va, 6);
          if (va > 0) compared++;
        }
      expect(compared).toBeGreaterThan(100);
      // The peak lies where both rasters are: the same.
      expect(gb.max).toBeCloseTo(ga.max, 6);
    }
  });

  it('places the north-west corner first, rows going south', () => {
    const frame = rasterFrame([112.9, 28.19, 112.91, 28.2], 50);
    // A point in the north-west corner cell, a heavier one in the south-west corner cell.
    const grid = kernelDensity([112.9002, 112.9002], [28.1998, frame.bbox[1] + 0.0002], [1, 2], frame, {
      kernel: 'quartic',
      bandwidthMeters: 60,
    });
    const nw = grid.values[0] as number;
    const sw = grid.values[(frame.height - 1) * frame.width] as number;
    expect(nw).toBeGreaterThan(0);
    expect(sw).toBeGreaterThan(nw * 1.5);
    expect(grid.values[frame.width - 1]).toBe(0);
  });

  it('ignores points with weight 0 and refuses bad rasters', () => {
    const frame = rasterFrame([112.9, 28.19, 112.91, 28.2], 50);
    expect(kernelDensity([112.905], [28.195], [0], frame, { kernel: 'gaussian', bandwidthMeters: 100 }).max).toBe(0);
    expect(() => rasterFrame([112.9, 28.19, 112.9, 28.2], 50)).toThrow('the raster extent is empty');
    expect(() => rasterFrame([100, 20, 120, 40], 1)).toThrow('choose a larger cell size');
    expect(() => kernelDensity([1], [1], null, frame, { kernel: 'quartic', bandwidthMeters: 0 })).toThrow('the bandwidth must be positive');
  });
});

describe('kernelDensity (quartic) on crowded cells', () => {
  // Many points per raster cell take the moments path; points off the raster, on cell edges
  // and centres, with weight 0 or not a number, and bandwidths from below a cell to many cells
  // all have to give the direct sum.
  for (const [bandwidth, cell] of [
    [8, 20],
    [45, 20],
    [300, 12],
  ] as const) {
    it(`radius ${bandwidth} m on ${cell} m cells`, () => {
      const frame = rasterFrame([112.93, 28.2, 112.94, 28.207], cell);
      const { lng, lat, weight, finite } = crowded(bandwidth, frame, 0.001);
      const options = { kernel: 'quartic' as const, bandwidthMeters: bandwidth };
      const all = Array.from({ length: frame.width * frame.height }, (_, i) => i);
      const grid = kernelDensity(lng, lat, weight, frame, options);
      const direct = directDensity(lng, lat, finite, frame, options, all);
      let worst = 0;
      let peak = 0;
      for (let i = 0; i < all.length; i++) {
        worst = Math.max(worst, Math.abs((grid.values[i] as number) - (direct[i] as number)));
        peak = Math.max(peak, direct[i] as number);
      }
      expect(peak).toBeGreaterThan(0);
      expect(worst / peak).toBeLessThan(1e-9);
    });
  }
});

describe('kernelDensity (quartic) in WebAssembly', () => {
  it('gives the same raster again after a larger one (the module keeps its memory between calls)', () => {
    const small = rasterFrame([112.93, 28.2, 112.94, 28.207], 20);
    const large = rasterFrame([112.9, 28.18, 112.97, 28.23], 15);
    const a = crowded(3, small, 0.001);
    const b = crowded(4, large, 0.002);
    const options = { kernel: 'quartic' as const, bandwidthMeters: 90 };
    const first = kernelDensity(a.lng, a.lat, a.weight, small, options).values;
    const other = kernelDensity(b.lng, b.lat, null, large, { kernel: 'quartic', bandwidthMeters: 250 }).values;
    expect(other.some((v) => v > 0)).toBe(true);
    expect(kernelDensity(a.lng, a.lat, a.weight, small, options).values).toEqual(first);
    expect(kernelDensity(a.lng, a.lat, null, small, options).values).not.toEqual(first);
  });
});

describe('kernelDensity (Gaussian) by its series', () => {
  for (const [sigma, cell] of [
    [45, 20],
    [60, 20],
    [150, 12],
  ] as const) {
    it(`σ ${sigma} m on ${cell} m cells equals the direct sum to 1e-9 of the peak, in one band or many`, () => {
      const frame = rasterFrame([112.93, 28.2, 112.94, 28.207], cell);
      const { lng, lat, weight, finite } = crowded(sigma, frame, 0.002);
      const options = { kernel: 'gaussian' as const, bandwidthMeters: sigma };
      const all = Array.from({ length: frame.width * frame.height }, (_, i) => i);
      const direct = directDensity(lng, lat, finite, frame, options, all);
      const peak = Math.max(...direct);
      expect(peak).toBeGreaterThan(0);
      const whole = gaussianSeries(lng, lat, weight, frame, sigma);
      if (!whole) throw new Error('the series should apply');
      for (const values of [
        whole,
        gaussianSeries(lng, lat, weight, frame, sigma, 3),
        kernelDensity(lng, lat, weight, frame, options).values,
      ]) {
        if (!values) throw new Error('the series should apply');
        let worst = 0;
        for (let i = 0; i < all.length; i++) worst = Math.max(worst, Math.abs((values[i] as number) - (direct[i] as number)));
        expect(worst / peak).toBeLessThan(1e-9);
      }
    });
  }

  it('steps aside for the stamped sum when cells are large against σ, which still equals the direct sum', () => {
    const frame = rasterFrame([112.93, 28.2, 112.94, 28.207], 20);
    const { lng, lat, weight, finite } = crowded(9, frame, 0.002);
    expect(gaussianSeries(lng, lat, weight, frame, 4)).toBeNull();
    expect(gaussianSeries(lng, lat, weight, frame, 20)).toBeNull();
    const options = { kernel: 'gaussian' as const, bandwidthMeters: 4 };
    const all = Array.from({ length: frame.width * frame.height }, (_, i) => i);
    const direct = directDensity(lng, lat, finite, frame, options, all);
    const values = kernelDensity(lng, lat, weight, frame, options).values;
    const peak = Math.max(...direct);
    let worst = 0;
    for (let i = 0; i < all.length; i++) worst = Math.max(worst, Math.abs((values[i] as number) - (direct[i] as number)));
    expect(worst / peak).toBeLessThan(1e-9);
  });

  it('keeps as many terms as the cell size asks: more for larger cells, none beyond the limit', () => {
    const small = gaussianSeriesTerms(0.05, 7);
    const large = gaussianSeriesTerms(0.25, 7);
    expect(small).not.toBeNull();
    expect(large).not.toBeNull();
    expect(large as number).toBeGreaterThan(small as number);
    expect(gaussianSeriesTerms(3, 7)).toBeNull();
    // The bound holds: with u = 0.25 and that many terms, the series of e^(tu) is within 1e-11
    // once weighted by e^(−t²/2), at every t up to 7.
    const p = large as number;
    for (let t = 0; t <= 7; t += 0.1) {
      let series = 0;
      let term = 1;
      for (let k = 0; k < p; k++) {
        series += term;
        term *= (t * 0.25) / (k + 1);
      }
      expect(Math.abs(Math.exp(t * 0.25) - series) * Math.exp(-(t * t) / 2)).toBeLessThan(1e-11);
    }
  });
});

describe('kernelDensity in bands of rows', () => {
  const { lng, lat, weight } = scatter(3000, 12);
  for (const options of [
    { kernel: 'quartic' as const, bandwidthMeters: 300 },
    { kernel: 'gaussian' as const, bandwidthMeters: 60 },
    { kernel: 'gaussian' as const, bandwidthMeters: 8 },
  ]) {
    it(`${options.kernel} ${options.bandwidthMeters} m: bands laid end to end are the whole raster`, () => {
      const frame = rasterFrame(pointsBBox(lng, lat, 300), 20);
      const whole = kernelDensity(lng, lat, weight, frame, options);
      for (const parts of [2, 3, 7]) {
        const bands = densityBands(lat, frame, options, parts);
        expect(bands).toHaveLength(parts);
        const joined = new Float64Array(frame.width * frame.height);
        for (const band of bands) joined.set(kernelDensityRows(lng, lat, weight, frame, options, band), band[0] * frame.width);
        let worst = 0;
        for (let k = 0; k < joined.length; k++) worst = Math.max(worst, Math.abs((joined[k] as number) - (whole.values[k] as number)));
        // The same sums in another order (a band takes only the points that reach it, and stamps
        // those beyond its edge one by one): equal to rounding.
        expect(worst / whole.max).toBeLessThan(1e-10);
      }
    });
  }

  it('splits the rows in order, all of them, with about equal work where the points are', () => {
    const frame = rasterFrame(pointsBBox(lng, lat, 300), 20);
    const options = { kernel: 'quartic' as const, bandwidthMeters: 300 };
    const bands = densityBands(lat, frame, options, 4);
    expect(bands[0]?.[0]).toBe(0);
    expect(bands.at(-1)?.[1]).toBe(frame.height);
    for (let k = 1; k < bands.length; k++) expect(bands[k]?.[0]).toBe(bands[k - 1]?.[1]);
    // Work: the points each band's rows reach, counted directly.
    const s = frame.cellMeters;
    const R = Math.ceil(300 / s);
    const work = bands.map(([r0, r1]) => {
      let w = 0;
      for (let i = 0; i < lat.length; i++) {
        const m = Math.floor(((frame.bbox[3] - (lat[i] as number)) * 111_195) / s);
        w += Math.max(0, Math.min(r1 - 1, m + R) - Math.max(r0, m - R) + 1);
      }
      return w + (r1 - r0) * frame.width * 0.1;
    });
    const mean = work.reduce((a, b) => a + b, 0) / work.length;
    for (const w of work) expect(Math.abs(w - mean) / mean).toBeLessThan(0.05);
    // More parts than rows: one row each.
    const small = rasterFrame([112.9, 28.19, 112.91, 28.1905], 20);
    expect(densityBands([28.19], small, options, 10)).toEqual(Array.from({ length: small.height }, (_, r) => [r, r + 1]));
  });

  it('refuses rows outside the raster', () => {
    const frame = rasterFrame([112.9, 28.19, 112.91, 28.2], 50);
    const options = { kernel: 'quartic' as const, bandwidthMeters: 100 };
    expect(() => kernelDensityRows([112.905], [28.195], null, frame, options, [3, 3])).toThrow('rows 3 to 3 are not a band');
    expect(() => kernelDensityRows([112.905], [28.195], null, frame, options, [0, frame.height + 1])).toThrow('not a band');
  });
});
