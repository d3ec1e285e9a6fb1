import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateDistrict } from '../../../src/demo/generate-district';
import { createRandom } from '../../../src/demo/random';
import { assignPoints } from '../../../src/geo/assign-points';
import { polygonIntersectsPoint, ringPlacement } from '../../../src/geo/point-in-polygon';
import { buildCellIndex } from '../../../src/geo/spatial-index';

type Cell = Feature<Polygon | MultiPolygon, { code: string }>;

const square = (code: string, x0: number, y0: number, size: number, hole?: [number, number, number]): Cell => ({
  type: 'Feature',
  properties: { code },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x0 + size, y0],
        [x0 + size, y0 + size],
        [x0, y0 + size],
        [x0, y0],
      ],
      ...(hole
        ? [
            [
              [hole[0], hole[1]],
              [hole[0], hole[1] + hole[2]],
              [hole[0] + hole[2], hole[1] + hole[2]],
              [hole[0] + hole[2], hole[1]],
              [hole[0], hole[1]],
            ],
          ]
        : []),
    ],
  },
});

describe('point in polygon', () => {
  const ring = Float64Array.of(0, 0, 2, 0, 2, 2, 0, 2, 0, 0);
  it('tells inside, boundary and outside apart, vertices included', () => {
    expect(ringPlacement(ring, 1, 1)).toBe('inside');
    expect(ringPlacement(ring, 2, 1)).toBe('boundary');
    expect(ringPlacement(ring, 0, 0)).toBe('boundary');
    expect(ringPlacement(ring, 3, 1)).toBe('outside');
  });

  it('treats a hole as outside but its boundary as intersecting (ST_Intersects)', () => {
    const rings = [ring, Float64Array.of(0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 1.5, 0.5, 0.5, 0.5)];
    expect(polygonIntersectsPoint(rings, 1, 1)).toBe(false);
    expect(polygonIntersectsPoint(rings, 0.5, 1)).toBe(true);
    expect(polygonIntersectsPoint(rings, 0.25, 0.25)).toBe(true);
  });
});

describe('assignPoints', () => {
  it('gives a point on a shared border to the lower code, and -1 outside', () => {
    const cells = buildCellIndex([square('B', 1, 0, 1), square('A', 0, 0, 1)]);
    expect(cells.codes).toEqual(['A', 'B']);
    const hit = assignPoints(cells, [0.5, 1, 1.5, 5], [0.5, 0.5, 0.5, 5]);
    expect([...hit].map((i) => (i < 0 ? null : cells.codes[i]))).toEqual(['A', 'A', 'B', null]);
  });

  it('puts a point in a park cell that fills the hole of the cell around it', () => {
    const cells = buildCellIndex([square('outer', 0, 0, 4, [1, 1, 2]), square('park', 1, 1, 2)]);
    expect(cells.codes[assignPoints(cells, [2], [2])[0] as number]).toBe('park');
    expect(cells.codes[assignPoints(cells, [0.5], [0.5])[0] as number]).toBe('outer');
  });

  it('skips non-finite coordinates', () => {
    const cells = buildCellIndex([square('A', 0, 0, 1)]);
    expect([...assignPoints(cells, [Number.NaN], [0.5])]).toEqual([-1]);
  });

  it('names the feature that has no code or the wrong geometry', () => {
    expect(() => buildCellIndex([{ ...square('A', 0, 0, 1), properties: {} } as never])).toThrow('cell feature 1 has no "code" property');
    expect(() =>
      buildCellIndex([{ type: 'Feature', properties: { code: 'X' }, geometry: { type: 'Point', coordinates: [0, 0] } } as never]),
    ).toThrow('cell X is a Point, not a Polygon or MultiPolygon');
  });

  it('agrees with the brute-force loop over every cell on the demo district (seeded random points)', () => {
    const demo = generateDistrict({ seed: 3, scale: 0.05 });
    const cells = buildCellIndex(demo.cells.features);
    const random = createRandom(11);
    const n = 3_000;
    const lng = Float64Array.from({ length: n }, () => 112.855 + random.next() * 0.12);
    const lat = Float64Array.from({ length: n }, () => 28.145 + random.next() * 0.085);
    const fast = assignPoints(cells, lng, lat);
    for (let i = 0; i < n; i++) {
      let expected = -1;
      for (let c = 0; c < cells.codes.length; c++) {
        if ((cells.polygons[c] as Float64Array[][]).some((rings) => polygonIntersectsPoint(rings, lng[i] as number, lat[i] as number))) {
          expected = c;
          break;
        }
      }
      expect(fast[i]).toBe(expected);
    }
    expect([...fast].filter((c) => c >= 0).length).toBeGreaterThan(n / 2);
  });
});
