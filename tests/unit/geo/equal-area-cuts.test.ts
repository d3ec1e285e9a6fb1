import type { MultiPolygon, Polygon, Position } from 'geojson';
import * as clip from 'polyclip-ts';
import { describe, expect, it } from 'vitest';
import { equalAreaCuts } from '../../../src/geo/equal-area-cuts';
import { areaSquareMeters } from '../../../src/geo/planar';

// An L-shaped cell, wider than tall (so the cuts are vertical).
const cell: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [112, 28],
      [112.004, 28],
      [112.004, 28.001],
      [112.001, 28.001],
      [112.001, 28.002],
      [112, 28.002],
      [112, 28],
    ],
  ],
};

/** Cuts the cell at the lines' x (or y) positions into slabs, independently of the bisection. */
function slabs(geometry: Polygon, cuts: number[], vertical: boolean): number[] {
  const edges = [-180, ...cuts, 180];
  return edges.slice(1).map((to, i) => {
    const from = edges[i] as number;
    const box: Position[][] = vertical
      ? [
          [
            [from, -90],
            [to, -90],
            [to, 90],
            [from, 90],
            [from, -90],
          ],
        ]
      : [
          [
            [-180, from],
            [180, from],
            [180, to],
            [-180, to],
            [-180, from],
          ],
        ];
    const piece = clip.intersection(geometry.coordinates as clip.Geom, box as clip.Geom) as Position[][][];
    return areaSquareMeters({ type: 'MultiPolygon', coordinates: piece } as MultiPolygon);
  });
}

describe('equalAreaCuts', () => {
  it('cuts a cell into N pieces of equal area across its longer side', () => {
    for (const parts of [2, 3, 5]) {
      const cuts = equalAreaCuts(cell, parts);
      expect(cuts.coordinates).toHaveLength(parts - 1);
      const xs = cuts.coordinates.map((l) => l[0]?.[0] as number);
      for (const l of cuts.coordinates) expect(l[0]?.[0]).toBe(l[1]?.[0]);
      const areas = slabs(cell, xs, true);
      const total = areaSquareMeters(cell);
      for (const a of areas) expect(Math.abs(a - total / parts) / total).toBeLessThan(2e-6);
    }
  });

  it('cuts a tall cell with horizontal lines that reach past it on both sides', () => {
    const tall: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [112, 28],
          [112.001, 28],
          [112.001, 28.003],
          [112, 28.003],
          [112, 28],
        ],
      ],
    };
    const cuts = equalAreaCuts(tall, 3);
    for (const l of cuts.coordinates) {
      expect(l[0]?.[1]).toBe(l[1]?.[1]);
      expect(l[0]?.[0]).toBeLessThan(112);
      expect(l[1]?.[0]).toBeGreaterThan(112.001);
    }
    expect(cuts.coordinates.map((l) => l[0]?.[1] as number)).toEqual([expect.closeTo(28.001, 6), expect.closeTo(28.002, 6)]);
  });

  it('refuses fewer than 2 or more than 50 parts, or a fraction', () => {
    expect(() => equalAreaCuts(cell, 1)).toThrow('split into 2 to 50 parts, not 1');
    expect(() => equalAreaCuts(cell, 2.5)).toThrow('not 2.5');
    expect(() => equalAreaCuts(cell, 51)).toThrow('not 51');
  });
});
