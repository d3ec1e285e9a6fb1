import type { Polygon, Position } from 'geojson';

/**
 * Returns a point inside a polygon: the middle of the widest stretch of a horizontal line through
 * it (tried at several heights), so thin or bent shapes get a point inside, unlike a centroid.
 * @example interiorPoint({ type: "Polygon", coordinates: [[[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]] }) // [1, 0.5]
 */
export function interiorPoint(polygon: Polygon): Position {
  const rings = polygon.coordinates;
  const shell = rings[0] ?? [];
  let s = Infinity;
  let n = -Infinity;
  for (const p of shell) {
    s = Math.min(s, p[1] as number);
    n = Math.max(n, p[1] as number);
  }
  let best: Position = shell[0] ?? [0, 0];
  let bestWidth = -1;
  // Try a few lines across the shape; on each, pair up the crossings and keep the widest stretch.
  for (const f of [0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875]) {
    const y = s + (n - s) * f;
    const xs: number[] = [];
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i] as Position;
        const b = ring[i + 1] as Position;
        const ay = a[1] as number;
        const by = b[1] as number;
        if (ay > y !== by > y) {
          const ax = a[0] as number;
          xs.push(ax + (((b[0] as number) - ax) * (y - ay)) / (by - ay));
        }
      }
    }
    xs.sort((p, q) => p - q);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const width = (xs[i + 1] as number) - (xs[i] as number);
      if (width > bestWidth) {
        bestWidth = width;
        best = [((xs[i] as number) + (xs[i + 1] as number)) / 2, y];
      }
    }
    if (bestWidth > 0 && f === 0.5) break;
  }
  return best;
}
