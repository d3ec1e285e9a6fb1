import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { CommunityCode } from '../../../src/domain/ids';
import {
  type CommunityBoundary,
  guessBoundaryFields,
  rejectedBoundariesGeoJson,
  toCellImports,
  toCommunityImports,
} from '../../../src/import/boundary-rows';
import type { BoundaryFeature } from '../../../src/import/read-boundaries';

const box = (x: number, y: number, s: number): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [x, y],
        [x + s, y],
        [x + s, y + s],
        [x, y + s],
        [x, y],
      ],
    ],
  ],
});
const communities: CommunityBoundary[] = [
  { code: '430199001001' as CommunityCode, name: '牌楼社区', geometry: box(112.9, 28.2, 0.01) },
  { code: '430199001002' as CommunityCode, name: '东塘社区', geometry: box(112.91, 28.2, 0.01) },
];
const feature = (row: number, properties: Record<string, unknown>, geometry = box(112.901, 28.201, 0.002)): BoundaryFeature => ({
  row,
  properties,
  geometry,
});

describe('boundary rows', () => {
  it('guesses code, name, community and households fields in Chinese, English and pinyin initials', () => {
    expect(guessBoundaryFields(['网格编码', '名称', '所属社区', '户数', 'area'], 'cells')).toEqual({
      code: '网格编码',
      name: '名称',
      community: '所属社区',
      households: '户数',
    });
    expect(guessBoundaryFields(['SQBM', 'MC'], 'cells')).toEqual({ community: 'SQBM', name: 'MC' });
    expect(guessBoundaryFields(['code', 'name', 'community'], 'communities')).toEqual({ code: 'code', name: 'name' });
  });

  it('places cells by the community field (code or name) or by where they lie, and keeps a code of that community', () => {
    const { rows, rejected } = toCellImports(
      [
        feature(1, { 社区: '东塘社区', 编码: '430199001002007', 户数: '35' }),
        feature(2, { 社区: '430199001001', 编码: '430199001002008' }),
        feature(3, { 社区: '不存在社区' }),
        feature(4, { 社区: '牌楼社区', 户数: '3.5' }),
      ],
      { community: '社区', code: '编码', households: '户数' },
      communities,
    );
    expect(rows.map((r) => [r.row, r.communityCode, r.code, r.households])).toEqual([
      [1, '430199001002', '430199001002007', 35],
      [2, '430199001001', null, null],
    ]);
    expect(rejected.map((r) => [r.row, r.field, r.reason])).toEqual([
      [3, '社区', 'feature 3: there is no community "不存在社区"'],
      [4, '户数', 'feature 4: households "3.5" is not a whole number'],
    ]);
    const byPlace = toCellImports([feature(1, {}, box(112.912, 28.203, 0.001)), feature(2, {}, box(113.5, 28.2, 0.001))], {}, communities);
    expect(byPlace.rows.map((r) => r.communityCode)).toEqual(['430199001002']);
    expect(byPlace.rejected[0]?.reason).toBe('feature 2 lies in no community (import the community first, or name it in a field)');
  });

  it('places a cell by where it lies honouring holes and parts: one in an enclave goes to the enclave, one in a second part to its community', () => {
    const ring = (x: number, y: number, s: number) => [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ];
    // 牌楼社区 has a hole (东塘社区's enclave) and a second part to the east.
    const withEnclave: CommunityBoundary[] = [
      {
        code: '430199001001' as CommunityCode,
        name: '牌楼社区',
        geometry: {
          type: 'MultiPolygon',
          coordinates: [[ring(112.9, 28.2, 0.01), ring(112.904, 28.204, 0.002).reverse()], [ring(112.95, 28.2, 0.004)]],
        },
      },
      { code: '430199001002' as CommunityCode, name: '东塘社区', geometry: box(112.904, 28.204, 0.002) },
    ];
    const { rows, rejected } = toCellImports(
      [
        feature(1, {}, box(112.9045, 28.2045, 0.001)),
        feature(2, {}, box(112.951, 28.201, 0.001)),
        feature(3, {}, box(112.901, 28.201, 0.001)),
      ],
      {},
      withEnclave,
    );
    expect(rejected).toEqual([]);
    expect(rows.map((r) => [r.row, r.communityCode])).toEqual([
      [1, '430199001002'],
      [2, '430199001001'],
      [3, '430199001001'],
    ]);
  });

  it('needs a 12-digit code and a name for a community, and gives rejected rows back as GeoJSON with the reason', () => {
    const { rows, rejected } = toCommunityImports(
      [feature(1, { code: '430199001003', name: '新社区' }), feature(2, { code: '4301', name: 'x' }), feature(3, { code: '430199001004' })],
      { code: 'code', name: 'name' },
    );
    expect(rows.map((r) => r.code)).toEqual(['430199001003']);
    const back = JSON.parse(rejectedBoundariesGeoJson(rejected));
    expect(back.features.map((f: { properties: Record<string, unknown> }) => f.properties._reason)).toEqual([
      'feature 2: a community code has 12 digits, got "4301"',
      'feature 3 has no name',
    ]);
    expect(back.features[0].geometry.type).toBe('MultiPolygon');
    expect(back.features[0].properties).toMatchObject({ code: '4301', _row: 2, _field: 'code' });
  });
});
