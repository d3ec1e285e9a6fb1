import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LngLat } from '../../../src/domain/ids';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  fromWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  outOfChina,
  toWgs84,
  wgs84ToBd09,
  wgs84ToGcj02,
} from '../../../src/geo/crs-china';

/** Ground distance in metres between two nearby positions (equirectangular). */
function meters(a: LngLat, b: LngLat): number {
  const dy = (a[1] - b[1]) * 110_574;
  const dx = (a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180);
  return Math.hypot(dx, dy);
}

describe('forward transforms, against published reference values', () => {
  // Values from wandergis/coordtransform's test/app.js, reproduced by its many ports.
  it('WGS-84 → GCJ-02', () => {
    const [lng, lat] = wgs84ToGcj02([116.404, 39.915]);
    expect(lng).toBeCloseTo(116.41024449916938, 12);
    expect(lat).toBeCloseTo(39.91640428150164, 12);
  });

  it('GCJ-02 → BD-09', () => {
    const [lng, lat] = gcj02ToBd09([116.404, 39.915]);
    expect(lng).toBeCloseTo(116.41036949371029, 12);
    expect(lat).toBeCloseTo(39.92133699351021, 12);
  });

  it("WGS-84 → GCJ-02 near Tiananmen (the R package's reference pair, to 1e-8)", () => {
    const [lng, lat] = wgs84ToGcj02([116.39089, 39.90734]);
    expect(lng).toBeCloseTo(116.39713094, 8);
    expect(lat).toBeCloseTo(39.90874107, 8);
  });
});

describe('inverse transforms', () => {
  it('GCJ-02 → WGS-84 is exact to far under a centimetre where the one-step inverse is not', () => {
    const gcj: LngLat = [116.404, 39.915];
    const exact = gcj02ToWgs84(gcj);
    expect(meters(wgs84ToGcj02(exact), gcj)).toBeLessThan(0.001);
    // The one-step inverse of common libraries gives [116.39775550083061, 39.91359571849836]: 6 cm off here.
    const oneStep: LngLat = [116.39775550083061, 39.91359571849836];
    expect(meters(wgs84ToGcj02(oneStep), gcj)).toBeGreaterThan(0.05);
  });

  it('stays exact where the one-step inverse is off by metres (north-east China)', () => {
    const gcj: LngLat = [131, 52.75];
    const w = wgs84ToGcj02(gcj);
    const oneStep: LngLat = [2 * gcj[0] - w[0], 2 * gcj[1] - w[1]];
    expect(meters(wgs84ToGcj02(oneStep), gcj)).toBeGreaterThan(4);
    expect(meters(wgs84ToGcj02(gcj02ToWgs84(gcj)), gcj)).toBeLessThan(0.001);
  });

  it('BD-09 → GCJ-02 is exact where the one-step inverse is not', () => {
    const bd: LngLat = [116.404, 39.915];
    expect(meters(gcj02ToBd09(bd09ToGcj02(bd)), bd)).toBeLessThan(0.001);
    const oneStep: LngLat = [116.39762729119315, 39.90865673957631];
    expect(meters(gcj02ToBd09(oneStep), bd)).toBeGreaterThan(0.001);
  });

  it('round-trips anywhere in China to under a centimetre (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.double({ min: 75, max: 134, noNaN: true }), fc.double({ min: 18, max: 53, noNaN: true }), (lng, lat) => {
        const p: LngLat = [lng, lat];
        expect(meters(gcj02ToWgs84(wgs84ToGcj02(p)), p)).toBeLessThan(0.01);
        expect(meters(bd09ToWgs84(wgs84ToBd09(p)), p)).toBeLessThan(0.01);
        expect(meters(toWgs84(fromWgs84(p, 'gcj02'), 'gcj02'), p)).toBeLessThan(0.01);
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe('outside China', () => {
  it('leaves positions unchanged and says so', () => {
    expect(outOfChina([2.35, 48.85])).toBe(true);
    expect(outOfChina([112.9, 28.2])).toBe(false);
    expect(wgs84ToGcj02([2.35, 48.85])).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84([2.35, 48.85])).toEqual([2.35, 48.85]);
  });
});
