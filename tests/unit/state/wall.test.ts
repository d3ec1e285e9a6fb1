import { describe, expect, it } from 'vitest';
import type { BBox } from '../../../src/domain/ids';
import { streetShape } from '../../../src/geo/street-shape';
import { sceneBBox, stepScene, wallScenes } from '../../../src/state/wall';

const district: BBox = [112.8, 28.1, 113.0, 28.3];
const street = (code: string, bbox: BBox) => ({ code, name: `街道${code}`, bbox });

describe('wall screen scenes', () => {
  it('cycles the district, the streets by code, then the alerts', () => {
    const scenes = wallScenes([street('430104002', district), street('430104001', district)]);
    expect(scenes.map((s) => (s.kind === 'street' ? s.code : s.kind))).toEqual(['district', '430104001', '430104002', 'alerts']);
  });

  it('steps forward and back, wrapping round', () => {
    expect(stepScene(3, 4, 1)).toBe(0);
    expect(stepScene(0, 4, -1)).toBe(3);
    expect(stepScene(1, 4, 1)).toBe(2);
  });

  it("shows a street's box, the alerts' box, and the district's when no alert has a position", () => {
    const box: BBox = [112.9, 28.15, 112.95, 28.2];
    expect(sceneBBox({ kind: 'street', code: '1', name: '', bbox: box }, district, [])).toEqual(box);
    expect(sceneBBox({ kind: 'district' }, district, [{ lngLat: [1, 2] }])).toEqual(district);
    expect(sceneBBox({ kind: 'alerts' }, district, [{ lngLat: null }])).toEqual(district);
    expect(sceneBBox({ kind: 'alerts' }, district, [{ lngLat: [112.91, 28.2] }, { lngLat: null }, { lngLat: [112.93, 28.16] }])).toEqual([
      112.91, 28.16, 112.93, 28.2,
    ]);
  });
});

describe("a street's outline", () => {
  const square = (code: string, parentCode: string, x: number) => ({
    type: 'Feature' as const,
    properties: { code, parentCode },
    geometry: {
      type: 'MultiPolygon' as const,
      coordinates: [
        [
          [
            [x, 0],
            [x + 1, 0],
            [x + 1, 1],
            [x, 1],
            [x, 0],
          ],
        ],
      ],
    },
  });
  const communities = {
    type: 'FeatureCollection' as const,
    features: [square('430199001001', '430199001', 0), square('430199001002', '430199001', 1), square('430199002001', '430199002', 2)],
  };

  it("merges the street's communities into one shape without the edge they share, and leaves the others out", () => {
    const shape = streetShape(communities, '430199001');
    expect(shape.features).toHaveLength(1);
    expect(shape.features[0]?.properties).toEqual({ kind: 'focus', code: '430199001' });
    const polygons = shape.features[0]?.geometry.coordinates ?? [];
    expect(polygons).toHaveLength(1);
    const xs = polygons[0]?.[0]?.map((p) => p[0] as number) ?? [];
    expect(Math.min(...xs)).toBe(0);
    expect(Math.max(...xs)).toBe(2);
    // The corners of a 2 × 1 rectangle (closed), no vertex left on the shared edge's middle.
    expect(new Set(polygons[0]?.[0]?.map((p) => p.join(',')))).toEqual(new Set(['0,0', '2,0', '2,1', '0,1']));
  });

  it('is empty for a street with no community loaded', () => {
    expect(streetShape(communities, '430199009').features).toEqual([]);
  });
});
