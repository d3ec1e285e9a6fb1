import { describe, expect, it } from 'vitest';
import { type BootSnapshot, parseBootSnapshot, SNAPSHOT_FORMAT, snapshotKey } from '../../../src/data/boot-snapshot';

const userId = '00000000-0000-4000-8000-000000000001';
const snapshot: BootSnapshot = {
  format: SNAPSHOT_FORMAT,
  savedAt: '2026-12-02T00:00:00.000Z',
  session: { userId, role: 'admin', displayName: '张敏' },
  overview: {
    code: '430199',
    name: '湘麓区',
    bbox: [112.8, 28.1, 112.9, 28.2],
    counts: { cells: 1, event: 0, person: 0, place: 0, thing: 0, organisation: 0 },
  },
  cells: {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: {
          code: '430199001001001' as never,
          name: '牌楼社区第1网格',
          communityCode: '430199001001' as never,
          communityName: '牌楼社区',
          class: 'C',
          classSource: 'rule',
          households: 11,
          version: 1,
        },
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [112.8, 28.1],
                [112.81, 28.1],
                [112.81, 28.11],
                [112.8, 28.1],
              ],
            ],
          ],
        },
      },
    ],
  },
  communities: { type: 'FeatureCollection', features: [] },
};

describe('parseBootSnapshot', () => {
  it('reads back what was kept for the same user', () => {
    expect(parseBootSnapshot(JSON.stringify(snapshot), userId)).toEqual(snapshot);
  });

  it('ignores a snapshot of another user (a switch of role never shows cells another may see)', () => {
    expect(parseBootSnapshot(JSON.stringify(snapshot), '00000000-0000-4000-8000-000000000003')).toBeNull();
  });

  it('ignores what is missing, unreadable, of another format or without its parts', () => {
    expect(parseBootSnapshot(null, userId)).toBeNull();
    expect(parseBootSnapshot('', userId)).toBeNull();
    expect(parseBootSnapshot('{"format":1', userId)).toBeNull();
    expect(parseBootSnapshot(JSON.stringify({ ...snapshot, format: 0 }), userId)).toBeNull();
    expect(parseBootSnapshot(JSON.stringify({ ...snapshot, cells: null }), userId)).toBeNull();
    const noCode = { ...snapshot, cells: { ...snapshot.cells, features: [{ ...snapshot.cells.features[0], properties: {} }] } };
    expect(parseBootSnapshot(JSON.stringify(noCode), userId)).toBeNull();
  });
});

describe('snapshotKey', () => {
  it('is one key per database and user', () => {
    expect(snapshotKey('gridatlas', userId)).toBe(`gridatlas|${userId}`);
    expect(snapshotKey('gridatlas-demo-5000', null)).toBe('gridatlas-demo-5000|anon');
  });
});
