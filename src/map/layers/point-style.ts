import type { PointKind } from '../../domain/ids';
import type { PointColumns } from '../../domain/records';
import { KIND_COLORS, SEVERITY_COLORS } from '../../state/palettes';

/** Point radius in screen pixels per kind. */
export const KIND_RADIUS_PIXELS: Record<PointKind, number> = { person: 1.8, place: 3, thing: 3, organisation: 3, event: 3 };

/** Returns `[lng, lat, lng, lat, …]` for binary deck.gl attributes. */
export function interleavePositions(points: Pick<PointColumns, 'lng' | 'lat'>): Float64Array {
  const out = new Float64Array(points.lng.length * 2);
  for (let i = 0; i < points.lng.length; i++) {
    out[2 * i] = points.lng[i] as number;
    out[2 * i + 1] = points.lat[i] as number;
  }
  return out;
}

/** Returns RGBA per point: by severity for events, by kind otherwise. */
export function pointColors(points: Pick<PointColumns, 'kind' | 'severity'>): Uint8Array {
  const n = points.severity.length;
  const out = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const color =
      points.kind === 'event'
        ? SEVERITY_COLORS[Math.min(4, Math.max(1, points.severity[i] as number)) as 1 | 2 | 3 | 4]
        : KIND_COLORS[points.kind];
    out.set(color, i * 4);
  }
  return out;
}
