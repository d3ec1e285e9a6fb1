import type { MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { areaSquareMeters, METERS_PER_DEGREE, polygonsOf } from './planar';

/** Returns a closed ring clipped to the side of `coordinate[axis] <= c` (Sutherland–Hodgman). */
function clipRing(ring: readonly Position[], axis: 0 | 1, c: number): Position[] {
  const out: Position[] = [];
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    const av = a[axis] as number;
    const bv = b[axis] as number;
    if (av <= c) out.push(a);
    if ((av < c && bv > c) || (av > c && bv < c)) {
      const t = (c - av) / (bv - av);
      out.push([
        (a[0] as number) + t * ((b[0] as number) - (a[0] as number)),
        (a[1] as number) + t * ((b[1] as number) - (a[1] as number)),
      ]);
    }
  }
  if (out.length > 0) out.push(out[0] as Position);
  return out;
}

/**
 * Returns `parts - 1` straight cuts that split a cell into `parts` pieces of equal area, across
 * its longer side (vertical cuts for a cell wider than tall, in metres, else horizontal). Each
 * cut is placed by bisection on the area west (or south) of it, to 1e-6 of the cell's area, and
 * reaches past the cell on both sides so that it crosses it from one side to the other. For
 * split_cell as one MultiLineString. Degrees. Throws when parts is not an integer from 2 to 50.
 * @example equalAreaCuts(cell.geometry, 3).coordinates.length // 2
 */
export function equalAreaCuts(geometry: Polygon | MultiPolygon, parts: number): MultiLineString {
  if (!Number.isInteger(parts) || parts < 2 || parts > 50) throw new Error(`split into 2 to 50 parts, not ${parts}`);
  const rings = polygonsOf(geometry);
  let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of rings) {
    for (const p of poly[0] ?? []) {
      west = Math.min(west, p[0] as number);
      east = Math.max(east, p[0] as number);
      south = Math.min(south, p[1] as number);
      north = Math.max(north, p[1] as number);
    }
  }
  const total = areaSquareMeters(geometry);
  const metersPerDegreeX = METERS_PER_DEGREE * Math.cos((((south + north) / 2) * Math.PI) / 180);
  const vertical = (east - west) * metersPerDegreeX >= (north - south) * METERS_PER_DEGREE;
  const margin = Math.max(east - west, north - south) * 0.05;
  const box = [west - margin, south - margin, east + margin, north + margin] as const;
  const axis = vertical ? 0 : 1;
  // The area of the cell before the cut at c (west of x = c, or south of y = c): each ring
  // clipped to that half-plane (Sutherland–Hodgman; exact in area for any simple ring, since a
  // half-plane is convex) — no general polygon overlay in the bisection's loop.
  const areaBefore = (c: number) => {
    const kept: Position[][][] = [];
    for (const poly of rings) {
      const outer = clipRing(poly[0] ?? [], axis, c);
      if (outer.length < 4) continue;
      kept.push([
        outer,
        ...poly
          .slice(1)
          .map((hole) => clipRing(hole, axis, c))
          .filter((r) => r.length >= 4),
      ]);
    }
    return kept.length === 0 ? 0 : areaSquareMeters({ type: 'MultiPolygon', coordinates: kept });
  };
  const lines: Position[][] = [];
  let lo = vertical ? west : south;
  const end = vertical ? east : north;
  for (let k = 1; k < parts; k++) {
    const goal = (total * k) / parts;
    let a = lo;
    let b = end;
    while (b - a > 1e-12 && Math.abs(areaBefore((a + b) / 2) - goal) > total * 1e-6) {
      const mid = (a + b) / 2;
      if (areaBefore(mid) < goal) a = mid;
      else b = mid;
    }
    const c = (a + b) / 2;
    lo = c;
    lines.push(
      vertical
        ? [
            [c, box[1]],
            [c, box[3]],
          ]
        : [
            [box[0], c],
            [box[2], c],
          ],
    );
  }
  return { type: 'MultiLineString', coordinates: lines };
}
