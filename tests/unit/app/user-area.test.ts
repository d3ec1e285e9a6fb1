import type { FeatureCollection, MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { userArea } from '../../../src/app/user-area';
import type { DistrictOverview, Session } from '../../../src/data/backend';
import type { CellProperties } from '../../../src/domain/records';

const square = (x: number, y: number): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [x, y],
        [x + 1, y],
        [x + 1, y + 1],
        [x, y + 1],
        [x, y],
      ],
    ],
  ],
});
const cells = (...at: [number, number][]) =>
  ({
    type: 'FeatureCollection',
    features: at.map(([x, y]) => ({ type: 'Feature', properties: {}, geometry: square(x, y) })),
  }) as unknown as FeatureCollection<MultiPolygon, CellProperties>;
const overview = { bbox: [0, 0, 100, 100] } as DistrictOverview;
const as = (role: Session['role']): Session => ({ userId: 'u', role, displayName: '' });

describe('userArea', () => {
  it("is a grid worker's own cells", () => {
    expect(userArea({ session: as('worker'), overview, cells: cells([10, 20], [12, 21]) })).toEqual([10, 20, 13, 22]);
  });

  it('is the district for the other roles', () => {
    expect(userArea({ session: as('command'), overview, cells: cells([10, 20]) })).toEqual([0, 0, 100, 100]);
  });

  it('is the cells when the district has no box, and nothing without cells', () => {
    expect(userArea({ session: as('admin'), overview: { ...overview, bbox: null }, cells: cells([1, 2]) })).toEqual([1, 2, 2, 3]);
    expect(userArea({ session: as('worker'), overview, cells: cells() })).toBeNull();
  });
});
