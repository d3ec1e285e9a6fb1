import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { LngLat } from '../domain/ids';
import { METERS_PER_DEGREE, polygonsOf } from './planar';

/**
 * Binary spatial weights in compressed rows: the neighbours of cell i are
 * `index[start[i]] … index[start[i + 1] − 1]`, never i itself (Gi* adds it).
 */
export interface SpatialWeights {
  start: Int32Array;
  index: Int32Array;
}

function fromLists(lists: Set<number>[]): SpatialWeights {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => {
    start[i + 1] = (start[i] as number) + l.size;
  });
  const index = new Int32Array(start[lists.length] as number);
  lists.forEach((l, i) => {
    index.set(
      [...l].sort((a, b) => a - b),
      start[i] as number,
    );
  });
  return { start, index };
}

/** Squared distance (in degrees², x scaled by `kx`) from p to the segment a–b. */
function segmentDistance2(p: Position, a: Position, b: Position, kx: number): number {
  const ax = ((a[0] as number) - (p[0] as number)) * kx;
  const ay = (a[1] as number) - (p[1] as number);
  const bx = ((b[0] as number) - (p[0] as number)) * kx;
  const by = (b[1] as number) - (p[1] as number);
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  const x = ax + t * dx;
  const y = ay + t * dy;
  return x * x + y * y;
}

/**
 * Queen contiguity: cells are neighbours when their boundaries touch, at a shared vertex or where
 * a vertex of one lies on an edge of the other (within `toleranceMeters`), as in a tiling where a
 * cell was split and its neighbour not.
 */
export function queenWeights(cells: readonly (Polygon | MultiPolygon)[], toleranceMeters = 0.05): SpatialWeights {
  const tol = toleranceMeters / METERS_PER_DEGREE;
  const rings = cells.map((g) => polygonsOf(g).flat());
  const index = new Flatbush(Math.max(1, cells.length));
  const boxes = new Float64Array(cells.length * 4);
  let midLat = 0;
  for (const [i, rs] of rings.entries()) {
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    for (const r of rs)
      for (const p of r) {
        w = Math.min(w, p[0] as number);
        e = Math.max(e, p[0] as number);
        s = Math.min(s, p[1] as number);
        n = Math.max(n, p[1] as number);
      }
    midLat += (s + n) / 2 / cells.length;
    boxes.set([w - tol * 2, s - tol, e + tol * 2, n + tol], i * 4);
    index.add(w - tol * 2, s - tol, e + tol * 2, n + tol);
  }
  if (cells.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const kx = Math.cos((midLat * Math.PI) / 180);
  const lists = cells.map(() => new Set<number>());
  const touches = (a: number, b: number) => {
    for (const ra of rings[a] as Position[][])
      for (const p of ra)
        for (const rb of rings[b] as Position[][])
          for (let k = 0; k + 1 < rb.length; k++)
            if (segmentDistance2(p, rb[k] as Position, rb[k + 1] as Position, kx) <= tol * tol) return true;
    return false;
  };
  for (let i = 0; i < cells.length; i++) {
    for (const j of index.search(
      boxes[4 * i] as number,
      boxes[4 * i + 1] as number,
      boxes[4 * i + 2] as number,
      boxes[4 * i + 3] as number,
    )) {
      if (j <= i) continue;
      if (touches(i, j) || touches(j, i)) {
        (lists[i] as Set<number>).add(j);
        (lists[j] as Set<number>).add(i);
      }
    }
  }
  return fromLists(lists);
}

/** Distance band: cells whose representative points lie within `meters` of each other. */
export function distanceBandWeights(points: readonly LngLat[], meters: number): SpatialWeights {
  if (!(meters > 0)) throw new Error(`the distance band must be positive, got ${meters}`);
  const midLat = points.reduce((a, p) => a + p[1], 0) / Math.max(1, points.length);
  const kx = Math.cos((midLat * Math.PI) / 180) * METERS_PER_DEGREE;
  const ky = METERS_PER_DEGREE;
  const index = new Flatbush(Math.max(1, points.length));
  for (const p of points) index.add(p[0] * kx, p[1] * ky, p[0] * kx, p[1] * ky);
  if (points.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const lists = points.map((p, i) => {
    const x = p[0] * kx;
    const y = p[1] * ky;
    const near = index.search(x - meters, y - meters, x + meters, y + meters, (j) => {
      const q = points[j] as LngLat;
      return j !== i && (q[0] * kx - x) ** 2 + (q[1] * ky - y) ** 2 <= meters * meters;
    });
    return new Set(near);
  });
  return fromLists(lists);
}

/**
 * Standard normal upper tail 1 − Φ(z), from the complementary error function (Numerical Recipes'
 * Chebyshev fit `erfcc`, fractional error < 1.2e-7 everywhere).
 */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const tail =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return z >= 0 ? 0.5 * tail : 1 - 0.5 * tail;
}

export interface GiStarResult {
  /** Gi* z-score per cell (0 where it is undefined: every cell a neighbour, or no variation). */
  z: Float64Array;
  /** Two-sided p-value per cell. */
  p: Float64Array;
}

/**
 * Getis-Ord Gi* (the cell itself included, binary weights), as ArcGIS computes it:
 * z_i = (Σ_j w_ij x_j − x̄ Σ_j w_ij) / (S √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1))),
 * with x̄ the mean and S the (population) standard deviation of x. Linear in the number of
 * neighbour links.
 */
export function giStar(values: ArrayLike<number>, weights: SpatialWeights): GiStarResult {
  const n = values.length;
  let sum = 0;
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    sum += v;
    sum2 += v * v;
  }
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  const z = new Float64Array(n);
  const p = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    let local = values[i] as number;
    const from = weights.start[i] as number;
    const to = weights.start[i + 1] as number;
    for (let k = from; k < to; k++) local += values[weights.index[k] as number] as number;
    const w = to - from + 1;
    const spread = sd * Math.sqrt((n * w - w * w) / (n - 1));
    if (!(spread > 0)) continue;
    const zi = (local - mean * w) / spread;
    z[i] = zi;
    p[i] = Math.min(1, 2 * normalUpperTail(Math.abs(zi)));
  }
  return { z, p };
}

/** Confidence levels of the hot-spot classes 1, 2 and 3 (90, 95 and 99 %). */
const LEVELS = [0.1, 0.05, 0.01] as const;

/**
 * Hot/cold classes like ArcGIS's Gi_Bin: ±3 at 99 % confidence, ±2 at 95 %, ±1 at 90 %, 0 not
 * significant; the sign is the z-score's. With `fdr`, each level's p-value threshold is lowered
 * by the Benjamini–Hochberg false-discovery-rate rule over all cells.
 */
export function hotspotClasses(result: GiStarResult, fdr = false): Int8Array {
  const n = result.p.length;
  const thresholds: number[] = LEVELS.map((alpha) => {
    if (!fdr) return alpha;
    const sorted = Float64Array.from(result.p).sort();
    let cut = -1;
    for (let k = 0; k < n; k++) if ((sorted[k] as number) <= ((k + 1) / n) * alpha) cut = sorted[k] as number;
    return cut;
  });
  const out = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const p = result.p[i] as number;
    let level = 0;
    thresholds.forEach((t, k) => {
      if (fdr ? p <= t : p < t) level = k + 1;
    });
    out[i] = (result.z[i] as number) < 0 ? -level : level;
  }
  return out;
}

export type SpaceTimeTrend = 'new' | 'intensifying' | 'persistent' | 'diminishing' | null;

/**
 * Compares a cell's hot-spot class in two periods: 'new' (hot now, not before), 'intensifying'
 * (hot in both, stronger now), 'persistent' (hot in both, not stronger), 'diminishing' (hot
 * before, not now), null (hot in neither).
 */
export function spaceTimeTrend(before: number, after: number, zBefore: number, zAfter: number): SpaceTimeTrend {
  const hotBefore = before > 0;
  const hotAfter = after > 0;
  if (hotAfter && !hotBefore) return 'new';
  if (hotAfter && hotBefore) return after > before || (after === before && zAfter > zBefore * 1.1) ? 'intensifying' : 'persistent';
  if (hotBefore) return 'diminishing';
  return null;
}
