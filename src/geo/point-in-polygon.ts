/** Where a point lies relative to a ring or polygon. */
export type Placement = 'inside' | 'boundary' | 'outside';

/**
 * Returns where (x, y) lies relative to a closed ring given as flat [x0, y0, x1, y1, …] with the
 * first point repeated last. Exact for points on an edge or vertex (crossing-number test with an
 * on-segment check first).
 * @example ringPlacement(Float64Array.of(0,0, 1,0, 1,1, 0,1, 0,0), 0.5, 0) // 'boundary'
 */
export function ringPlacement(ring: Float64Array, x: number, y: number): Placement {
  let inside = false;
  const n = ring.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = ring[2 * i] as number;
    const yi = ring[2 * i + 1] as number;
    const xj = ring[2 * j] as number;
    const yj = ring[2 * j + 1] as number;
    // On the segment: collinear and within its bounding box.
    if (
      (x - xi) * (yj - yi) - (y - yi) * (xj - xi) === 0 &&
      x >= Math.min(xi, xj) &&
      x <= Math.max(xi, xj) &&
      y >= Math.min(yi, yj) &&
      y <= Math.max(yi, yj)
    ) {
      return 'boundary';
    }
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 'inside' : 'outside';
}

/**
 * Returns true when (x, y) intersects a polygon given as rings (outer first, then holes): inside
 * it or on its boundary, including a hole's boundary — the meaning of PostGIS ST_Intersects.
 */
export function polygonIntersectsPoint(rings: readonly Float64Array[], x: number, y: number): boolean {
  const outer = rings[0];
  if (!outer) return false;
  const placement = ringPlacement(outer, x, y);
  if (placement !== 'inside') return placement === 'boundary';
  for (let h = 1; h < rings.length; h++) {
    const inHole = ringPlacement(rings[h] as Float64Array, x, y);
    if (inHole === 'boundary') return true;
    if (inHole === 'inside') return false;
  }
  return true;
}
