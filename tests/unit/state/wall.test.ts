import { describe, expect, it } from 'vitest';
import type { BBox } from '../../../src/domain/ids';
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
