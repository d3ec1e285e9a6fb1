import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { placeDrawnCell, previewDrawnCell } from '../../../src/geo/draw-cell';
import { areaSquareMeters } from '../../../src/geo/planar';

const rect = (w: number, s: number, e: number, n: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});
// Three cells side by side, 100 m or so each, making up a community.
const cells = [0, 1, 2].map((i) => ({ id: `c${i}`, geometry: rect(112 + i * 0.001, 28, 112.001 + i * 0.001, 28.001) }));

describe('previewDrawnCell', () => {
  it('takes the drawn area from the cells under it, so that areas still add up', () => {
    const preview = previewDrawnCell(rect(112.0005, 28.0002, 112.0015, 28.0008), cells);
    expect(preview?.donors.map((d) => d.id)).toEqual(['c0', 'c1']);
    const kept = (preview?.donors ?? []).reduce((s, d) => s + (d.rest ? areaSquareMeters(d.rest) : 0), 0);
    const before = areaSquareMeters(cells[0]?.geometry as Polygon) + areaSquareMeters(cells[1]?.geometry as Polygon);
    expect(kept + (preview?.areaSquareMeters ?? 0)).toBeCloseTo(before, 3);
    expect(preview?.donors.every((d) => d.parts === 1)).toBe(true);
  });

  it('cuts the shape to the community and says when a cell is covered whole or cut in two', () => {
    // From outside the community (west) across c0 whole and through the middle of c1, top to bottom.
    const preview = previewDrawnCell(rect(111.999, 27.999, 112.0014, 28.002), cells);
    expect(preview?.areaSquareMeters).toBeCloseTo(areaSquareMeters(rect(112, 28, 112.0014, 28.001)), 3);
    expect(preview?.donors).toEqual([
      expect.objectContaining({ id: 'c0', rest: null, parts: 0 }),
      expect.objectContaining({ id: 'c1', parts: 1 }),
    ]);
    const band = previewDrawnCell(rect(112.0012, 27.999, 112.0016, 28.002), cells);
    expect(band?.donors).toEqual([expect.objectContaining({ id: 'c1', parts: 2 })]);
  });

  it('returns null for a shape outside the community', () => {
    expect(previewDrawnCell(rect(113, 28, 113.001, 28.001), cells)).toBeNull();
  });

  it('places a shape in the community whose cells it covers most, and cuts only that community', () => {
    const two = [
      ...cells.map((c) => ({ ...c, community: 'A' })),
      { id: 'd0', community: 'B', geometry: rect(112, 28.001, 112.003, 28.002) },
    ];
    // Mostly over community B (north), a little over c1 (A).
    const placed = placeDrawnCell(rect(112.001, 28.0008, 112.002, 28.0019), two);
    expect(placed?.community).toBe('B');
    expect(placed?.preview.donors.map((d) => d.id)).toEqual(['d0']);
    expect(placeDrawnCell(rect(113, 28, 113.001, 28.001), two)).toBeNull();
  });
});
