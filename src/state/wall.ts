import type { BBox } from '../domain/ids';
import type { Alert, LiveStreet } from '../domain/live';

/** What the wall screen shows at a time: the whole district, one street, or the open alerts. */
export type WallScene = { kind: 'district' } | { kind: 'street'; code: string; name: string; bbox: BBox } | { kind: 'alerts' };

/** The intervals a wall screen may cycle at, in seconds; the first is the default. */
export const WALL_INTERVALS_SECONDS = [20, 10, 30, 60, 120] as const;

/**
 * Returns the scenes a wall screen cycles through, in order: the district, each street (by code),
 * then the open alerts.
 */
export function wallScenes(streets: readonly Pick<LiveStreet, 'code' | 'name' | 'bbox'>[]): WallScene[] {
  const byCode = [...streets].sort((a, b) => a.code.localeCompare(b.code));
  return [
    { kind: 'district' },
    ...byCode.map((s): WallScene => ({ kind: 'street', code: s.code, name: s.name, bbox: s.bbox })),
    { kind: 'alerts' },
  ];
}

/** Returns the index `step` scenes on from `index`, wrapping round (`count` > 0). */
export function stepScene(index: number, count: number, step: number): number {
  return (((index + step) % count) + count) % count;
}

/**
 * Returns the box a scene shows on the map: the district's, the street's, or the one holding the
 * open alerts that have a position (the district's when none has); null when nothing is known.
 */
export function sceneBBox(scene: WallScene, district: BBox | null, alerts: readonly Pick<Alert, 'lngLat'>[]): BBox | null {
  if (scene.kind === 'street') return scene.bbox;
  if (scene.kind === 'alerts') {
    const at = alerts.flatMap((a) => (a.lngLat ? [a.lngLat] : []));
    if (at.length > 0) {
      const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of at) {
        box[0] = Math.min(box[0], x);
        box[1] = Math.min(box[1], y);
        box[2] = Math.max(box[2], x);
        box[3] = Math.max(box[3], y);
      }
      return box;
    }
  }
  return district;
}
