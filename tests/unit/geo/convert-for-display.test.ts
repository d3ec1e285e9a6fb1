import type { FeatureCollection, MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { convertForDisplay, convertPointsForDisplay } from '../../../src/geo/convert-for-display';
import { wgs84ToGcj02 } from '../../../src/geo/crs-china';

const cells: FeatureCollection<MultiPolygon, { code: string }> = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: 'A' },
      geometry: {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [112.9, 28.2],
              [112.91, 28.2],
              [112.91, 28.21],
              [112.9, 28.2],
            ],
          ],
        ],
      },
    },
  ],
};

describe('convertForDisplay', () => {
  it('moves every position into GCJ-02 and keeps the properties', () => {
    const out = convertForDisplay(cells, 'gcj02');
    expect(out.features[0]?.properties).toEqual({ code: 'A' });
    expect(out.features[0]?.geometry.coordinates[0]?.[0]?.[1]).toEqual(wgs84ToGcj02([112.91, 28.2]));
    // The stored geometry is not touched.
    expect(cells.features[0]?.geometry.coordinates[0]?.[0]?.[1]).toEqual([112.91, 28.2]);
  });

  it('returns the same collection for WGS-84', () => {
    expect(convertForDisplay(cells, 'wgs84')).toBe(cells);
  });

  it('moves point columns', () => {
    const points = {
      kind: 'event' as const,
      ids: ['e'],
      lng: Float64Array.of(112.9),
      lat: Float64Array.of(28.2),
      category: ['c'],
      severity: Uint8Array.of(1),
    };
    const out = convertPointsForDisplay(points, 'gcj02');
    expect([out.lng[0], out.lat[0]]).toEqual(wgs84ToGcj02([112.9, 28.2]));
    expect(out.ids).toBe(points.ids);
  });
});
