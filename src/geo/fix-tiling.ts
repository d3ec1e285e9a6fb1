import type { MultiPolygon, Polygon, Position } from 'geojson';
import * as clip from 'polyclip-ts';
import { polygonsOf, ringAreaSquareMeters } from './planar';
import type { TilingCell, TilingProblem } from './validate-tiling';

/** The new shape of a cell after fixes; only cells that change are returned. */
export interface FixedCell {
  id: string;
  geometry: MultiPolygon;
}

/** Returns the length, in degrees, of the stretches of border two shapes share (collinear edges). */
function sharedBorder(a: readonly Position[][][], b: readonly Position[][][]): number {
  const edges = (polygons: readonly Position[][][]) =>
    polygons.flatMap((rings) => rings.flatMap((ring) => ring.slice(1).map((p, i) => [ring[i] as Position, p] as const)));
  const eb = edges(b);
  let total = 0;
  for (const [p, q] of edges(a)) {
    const px = p[0] as number;
    const py = p[1] as number;
    const dx = (q[0] as number) - px;
    const dy = (q[1] as number) - py;
    const length = Math.hypot(dx, dy);
    if (length === 0) continue;
    const tolerance = 1e-9 * Math.max(1, length);
    for (const [r, s] of eb) {
      // Both end points of r–s on the line p–q: measure the overlap along it.
      const cr = dx * ((r[1] as number) - py) - dy * ((r[0] as number) - px);
      const cs = dx * ((s[1] as number) - py) - dy * ((s[0] as number) - px);
      if (Math.abs(cr) > tolerance * length || Math.abs(cs) > tolerance * length) continue;
      const t0 = (((r[0] as number) - px) * dx + ((r[1] as number) - py) * dy) / length;
      const t1 = (((s[0] as number) - px) * dx + ((s[1] as number) - py) * dy) / length;
      const overlap = Math.min(length, Math.max(t0, t1)) - Math.max(0, Math.min(t0, t1));
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

const snap = (v: number) => Math.round(v * 1e9) / 1e9;

/**
 * Returns polygons cleaned of clipping noise: coordinates on a 1e-9° grid (as the validator reads
 * them), repeated points and zero-width spikes (out to a point and back along the same line) removed, and rings or holes under
 * 0.01 m² dropped.
 */
function clean(polygons: readonly Position[][][]): Position[][][] {
  const out: Position[][][] = [];
  for (const rings of polygons) {
    const kept: Position[][] = [];
    for (const [r, ring] of rings.entries()) {
      let points = ring.slice(0, -1).map((p) => [snap(p[0] as number), snap(p[1] as number)]);
      for (let changed = true; changed && points.length >= 3; ) {
        changed = false;
        const next: Position[] = [];
        for (let i = 0; i < points.length; i++) {
          const p = points[i] as Position;
          const before = (next[next.length - 1] ?? points[points.length - 1]) as Position;
          const after = points[(i + 1) % points.length] as Position;
          const repeated = before[0] === p[0] && before[1] === p[1];
          // A spike: the ring runs out to p and straight back along the same line.
          const ux = (p[0] as number) - (before[0] as number);
          const uy = (p[1] as number) - (before[1] as number);
          const vx = (after[0] as number) - (p[0] as number);
          const vy = (after[1] as number) - (p[1] as number);
          const spike = Math.abs(ux * vy - uy * vx) <= 1e-9 * Math.hypot(ux, uy) * Math.hypot(vx, vy) + 1e-20 && ux * vx + uy * vy < 0;
          if (repeated || spike) changed = true;
          else next.push(p);
        }
        points = next;
      }
      if (points.length < 3) continue;
      const closed = [...points, points[0] as Position];
      if (ringAreaSquareMeters(closed) < 0.01) continue;
      if (r === 0 || kept.length > 0) kept.push(closed);
    }
    if (kept.length > 0) out.push(kept);
  }
  return out;
}

/**
 * Returns the new shapes that fix gaps and overlaps: each gap goes to the neighbour sharing its
 * longest border; each overlap stays with the cell that shares the longest border with it (its
 * other part) and is cut from the others. Pieces come from validateTiling; cells are the same
 * input. A piece no cell borders is left alone. Degrees, EPSG:4326.
 * @example fixTiling(validateTiling(cells), cells) // [{ id: 'c12', geometry: … }]
 */
export function fixTiling(problems: readonly TilingProblem[], cells: readonly TilingCell[]): FixedCell[] {
  const shapes = new Map<string, Position[][][]>(cells.map((c) => [c.id, polygonsOf(c.geometry)]));
  const changed = new Set<string>();
  for (const problem of problems) {
    const piece = problem.geometry as Polygon | undefined;
    if (!piece || (problem.type !== 'gap' && problem.type !== 'overlap')) continue;
    const pieceRings = [piece.coordinates];
    let best: string | null = null;
    let bestLength = -1;
    for (const id of problem.cells) {
      const shape = shapes.get(id);
      if (!shape) continue;
      const other = problem.type === 'gap' ? shape : (clip.difference(shape as clip.Geom, pieceRings as clip.Geom) as Position[][][]);
      const length = sharedBorder(pieceRings, other);
      if (length > bestLength) {
        best = id;
        bestLength = length;
      }
    }
    if (best === null) continue;
    if (problem.type === 'gap') {
      shapes.set(best, clip.union(shapes.get(best) as clip.Geom, pieceRings as clip.Geom) as Position[][][]);
      changed.add(best);
    } else {
      for (const id of problem.cells) {
        if (id === best || !shapes.has(id)) continue;
        shapes.set(id, clip.difference(shapes.get(id) as clip.Geom, pieceRings as clip.Geom) as Position[][][]);
        changed.add(id);
      }
    }
  }
  return [...changed]
    .sort()
    .map((id) => ({ id, geometry: { type: 'MultiPolygon', coordinates: clean(shapes.get(id) as Position[][][]) } }));
}
