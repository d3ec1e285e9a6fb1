import type { MultiPolygon, Polygon, Position } from 'geojson';

/** Mean Earth radius (IUGG), the sphere PostGIS uses for geography without spheroid. */
export const EARTH_RADIUS_METERS = 6_371_008.8;

/** Metres per degree of latitude on that sphere. */
export const METERS_PER_DEGREE = (EARTH_RADIUS_METERS * Math.PI) / 180;

/** Returns the polygons of a Polygon or MultiPolygon as one list of ring lists. */
export function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * Returns twice the signed area of a closed ring in coordinate units squared: positive when the
 * ring runs counter-clockwise (x east, y north). Shoelace formula, translated to the first point
 * so that the products stay small and exact enough for degree coordinates.
 */
export function ringSignedArea2(ring: readonly Position[]): number {
  const first = ring[0];
  if (!first) return 0;
  const x0 = first[0] as number;
  const y0 = first[1] as number;
  let sum = 0;
  for (let i = 1; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    sum += ((a[0] as number) - x0) * ((b[1] as number) - y0) - ((b[0] as number) - x0) * ((a[1] as number) - y0);
  }
  return sum;
}

/**
 * Returns the area in square metres of a ring in degrees, on the sphere: the sum over edges of
 * R²·Δλ·(sin φ₁ + sin φ₂)/2 (Chamberlain & Duquette, "Some algorithms for polygons on a sphere",
 * JPL 2007). Each edge adds its own term, so the areas of cells that share edges add up exactly
 * to the area of their union.
 */
export function ringAreaSquareMeters(ring: readonly Position[]): number {
  const first = ring[0];
  if (!first) return 0;
  const rad = Math.PI / 180;
  // Subtracting a constant from every sin φ leaves the sum unchanged (Σ Δλ = 0 on a closed ring)
  // and keeps the terms small.
  const s0 = Math.sin((first[1] as number) * rad);
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    sum += ((b[0] as number) - (a[0] as number)) * rad * (Math.sin((a[1] as number) * rad) + Math.sin((b[1] as number) * rad) - 2 * s0);
  }
  return (Math.abs(sum) / 2) * EARTH_RADIUS_METERS ** 2;
}

/** Returns the area in square metres of a polygon (outer ring minus holes) or multipolygon in degrees. */
export function areaSquareMeters(geometry: Polygon | MultiPolygon): number {
  let total = 0;
  for (const rings of polygonsOf(geometry)) {
    rings.forEach((ring, i) => {
      total += i === 0 ? ringAreaSquareMeters(ring) : -ringAreaSquareMeters(ring);
    });
  }
  return total;
}

/** Returns the length in metres of the boundary of a polygon or multipolygon in degrees (all rings). */
export function perimeterMeters(geometry: Polygon | MultiPolygon): number {
  let total = 0;
  for (const rings of polygonsOf(geometry)) {
    for (const ring of rings) {
      const lat = (ring[0]?.[1] as number | undefined) ?? 0;
      const kx = Math.cos((lat * Math.PI) / 180);
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i] as Position;
        const b = ring[i + 1] as Position;
        total += Math.hypot(((b[0] as number) - (a[0] as number)) * kx, (b[1] as number) - (a[1] as number));
      }
    }
  }
  return total * METERS_PER_DEGREE;
}

/** Returns the rings with repeated consecutive points removed (a closed ring stays closed). */
export function withoutRepeatedPoints(ring: readonly Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out;
}

/** Returns twice the signed area of triangle (a, b, c): > 0 when c lies left of a→b. */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}
