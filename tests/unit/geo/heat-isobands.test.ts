import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { densityIsobands } from '../../../src/geo/heat-isobands';
import { kernelDensity, rasterFrame } from '../../../src/geo/kernel-density';
import { polygonIntersectsPoint } from '../../../src/geo/point-in-polygon';

const inside = (p: [number, number], poly: Position[][]) =>
  polygonIntersectsPoint(
    poly.map((r) => Float64Array.from(r.flat() as number[])),
    p[0],
    p[1],
  );

describe('densityIsobands', () => {
  it('draws nested bands around a cluster, each labelled with its density range', () => {
    const lng = Array.from({ length: 200 }, (_, i) => 112.93 + ((i % 10) - 5) * 0.0002);
    const lat = Array.from({ length: 200 }, (_, i) => 28.2 + (Math.floor(i / 10) - 10) * 0.0001);
    const frame = rasterFrame([112.92, 28.19, 112.94, 28.21], 20);
    const grid = kernelDensity(lng, lat, null, frame, { kernel: 'quartic', bandwidthMeters: 300 });
    const bands = densityIsobands(grid, [10, 100, 500]);
    expect(bands.features.map((f) => f.properties)).toEqual([
      { band: 0, from: 10, to: 100 },
      { band: 1, from: 100, to: 500 },
      { band: 2, from: 500, to: null },
    ]);
    // The cluster's centre lies in the highest band, and a point far out in none.
    const centre: [number, number] = [112.93, 28.2];
    const top = bands.features[2]?.geometry;
    expect(top?.coordinates.some((poly) => inside(centre, poly))).toBe(true);
    const far: [number, number] = [112.9205, 28.1905];
    expect(bands.features.some((f) => f.geometry.coordinates.some((poly) => inside(far, poly)))).toBe(false);
  });

  it('samples a large raster down to the point budget', () => {
    const frame = rasterFrame([112.8, 28.1, 113.0, 28.3], 20);
    const grid = kernelDensity([112.9], [28.2], null, frame, { kernel: 'quartic', bandwidthMeters: 500 });
    const bands = densityIsobands(grid, [0.5], 5_000);
    expect(bands.features).toHaveLength(1);
  });
});
