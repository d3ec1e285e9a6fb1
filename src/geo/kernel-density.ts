import type { BBox } from '../domain/ids';
import { METERS_PER_DEGREE } from './planar';

export const KERNELS = ['quartic', 'gaussian'] as const;
export type Kernel = (typeof KERNELS)[number];

/**
 * A raster over lon/lat: `width` × `height` square cells of `cellMeters`, row-major from the
 * north-west corner, in a local equirectangular frame (metres east and south of the corner,
 * scaled by the cosine of the middle latitude; at district scale the distortion is < 0.01 %).
 */
export interface RasterFrame {
  /** [west, south, east, north] of the raster's outer edges. */
  bbox: BBox;
  width: number;
  height: number;
  cellMeters: number;
}

/** A density raster: values per km² (weighted when weights are given), row-major from the north-west. */
export interface DensityGrid extends RasterFrame {
  values: Float64Array;
  /** Largest value. */
  max: number;
}

export interface DensityOptions {
  /** Quartic: the search radius h. Gaussian: the standard deviation σ. Metres. */
  bandwidthMeters: number;
  kernel: Kernel;
}

/** Beyond this many bandwidths a Gaussian contributes less than 1e-9 of its peak. */
const GAUSSIAN_REACH = Math.sqrt(2 * Math.log(1e9));

/** Returns how far (metres) a kernel reaches: h for the quartic, 6.4σ for the Gaussian. */
export function kernelReachMeters(options: DensityOptions): number {
  return options.kernel === 'quartic' ? options.bandwidthMeters : options.bandwidthMeters * GAUSSIAN_REACH;
}

/** Returns the kernel's value per m² at distance² d2 (m²), integrating to 1 over the plane. */
export function kernelValue(options: DensityOptions, d2: number): number {
  const h2 = options.bandwidthMeters ** 2;
  if (options.kernel === 'quartic') return d2 < h2 ? (3 / (Math.PI * h2)) * (1 - d2 / h2) ** 2 : 0;
  return Math.exp(-d2 / (2 * h2)) / (2 * Math.PI * h2);
}

/**
 * Returns the raster frame covering `bbox` with cells of `cellMeters` (the east and south edges
 * grow to whole cells). Throws when the raster would exceed `maxCells`.
 */
export function rasterFrame(bbox: BBox, cellMeters: number, maxCells = 25_000_000): RasterFrame {
  const [west, south, east, north] = bbox;
  if (!(cellMeters > 0)) throw new Error(`the raster cell size must be positive, got ${cellMeters}`);
  if (!(east > west && north > south)) throw new Error(`the raster extent is empty: [${bbox.join(', ')}]`);
  const cos = Math.cos((((north + south) / 2) * Math.PI) / 180);
  // A bbox written out to 8 decimals (about 1 mm) reads back as the same number of cells.
  const width = Math.max(1, Math.ceil(((east - west) * cos * METERS_PER_DEGREE) / cellMeters - 1e-4));
  const height = Math.max(1, Math.ceil(((north - south) * METERS_PER_DEGREE) / cellMeters - 1e-4));
  if (width * height > maxCells)
    throw new Error(`a ${width} × ${height} raster has more than ${maxCells.toLocaleString('en')} cells: choose a larger cell size`);
  return {
    bbox: [west, north - (height * cellMeters) / METERS_PER_DEGREE, west + (width * cellMeters) / (cos * METERS_PER_DEGREE), north],
    width,
    height,
    cellMeters,
  };
}

/** Returns the smallest bbox holding the points, grown by `marginMeters` on every side. */
export function pointsBBox(lng: ArrayLike<number>, lat: ArrayLike<number>, marginMeters: number): BBox {
  let w = Number.POSITIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < lng.length; i++) {
    const x = lng[i] as number;
    const y = lat[i] as number;
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  if (w > e) throw new Error('there are no points');
  return growBBox([w, s, e, n], marginMeters);
}

/** Returns a bbox grown by `meters` on every side. */
export function growBBox(bbox: BBox, meters: number): BBox {
  const dLat = meters / METERS_PER_DEGREE;
  const dLng = dLat / Math.cos((((bbox[1] + bbox[3]) / 2) * Math.PI) / 180);
  return [bbox[0] - dLng, bbox[1] - dLat, bbox[2] + dLng, bbox[3] + dLat];
}

/** Metres east and south of the frame's north-west corner, for each point. */
function toFrame(frame: RasterFrame, lng: ArrayLike<number>, lat: ArrayLike<number>): { x: Float64Array; y: Float64Array } {
  const [west, south, , north] = frame.bbox;
  const kx = Math.cos((((north + south) / 2) * Math.PI) / 180) * METERS_PER_DEGREE;
  const x = new Float64Array(lng.length);
  const y = new Float64Array(lng.length);
  for (let i = 0; i < lng.length; i++) {
    x[i] = ((lng[i] as number) - west) * kx;
    y[i] = (north - (lat[i] as number)) * METERS_PER_DEGREE;
  }
  return { x, y };
}

/**
 * Returns the point indices ordered by the raster cell they fall in (row by row; points off the
 * raster go to its nearest edge cell): a counting sort, O(n + cells). Stamping points in this
 * order writes to neighbouring memory one point after the other, which keeps the raster's
 * running sums in cache instead of jumping across megabytes for every point.
 */
function rasterOrder(x: Float64Array, y: Float64Array, frame: RasterFrame): Uint32Array {
  const { width: W, height: H, cellMeters: s } = frame;
  const n = x.length;
  const cellOf = new Uint32Array(n);
  const counts = new Uint32Array(W * H + 1);
  for (let i = 0; i < n; i++) {
    const c = Math.min(W - 1, Math.max(0, Math.floor((x[i] as number) / s)));
    const r = Math.min(H - 1, Math.max(0, Math.floor((y[i] as number) / s)));
    const k = r * W + c;
    cellOf[i] = k;
    counts[k + 1] = (counts[k + 1] as number) + 1;
  }
  for (let k = 1; k < counts.length; k++) counts[k] = (counts[k] as number) + (counts[k - 1] as number);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const k = cellOf[i] as number;
    order[counts[k] as number] = i;
    counts[k] = (counts[k] as number) + 1;
  }
  return order;
}

/** Columns per block of the quartic's running sums (local coordinates keep them precise). */
const BLOCK = 32;

/**
 * Kernel density of weighted points on a raster, per km²; the result equals the direct sum over
 * all points at every cell centre, to rounding (the Gaussian is cut where it falls below 1e-9 of
 * its peak). `weights` null counts each point once; `onProgress` is called every 65,536 points.
 *
 * Quartic: in each raster row a point adds (h² − dy² − (x − px)²)² on the run of cells inside its
 * disc, a polynomial of degree 4 in x. Its five coefficients are added where the run starts and
 * taken off where it ends (difference arrays), and one pass sums and evaluates them: work per
 * point grows with the rows it reaches, not the cells. Coordinates are local to blocks of 32
 * columns so that the sums stay exact to ~1e-14 of a point's peak.
 * Gaussian: separable, so each point's stamp is the product of a row and a column factor.
 */
export function kernelDensity(
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  options: DensityOptions,
  onProgress?: (done: number, total: number) => void,
): DensityGrid {
  if (!(options.bandwidthMeters > 0)) throw new Error(`the bandwidth must be positive, got ${options.bandwidthMeters}`);
  const { x, y } = toFrame(frame, lng, lat);
  const values =
    options.kernel === 'quartic'
      ? quarticDensity(x, y, weights, frame, options.bandwidthMeters, onProgress)
      : gaussianDensity(x, y, weights, frame, options.bandwidthMeters, onProgress);
  let max = 0;
  for (let k = 0; k < values.length; k++) if ((values[k] as number) > max) max = values[k] as number;
  return { ...frame, values, max };
}

function quarticDensity(
  x: Float64Array,
  y: Float64Array,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  h: number,
  onProgress?: (done: number, total: number) => void,
): Float64Array {
  const { width: W, height: H, cellMeters: s } = frame;
  const h2 = h * h;
  const n = x.length;
  // Five running-sum coefficients per raster cell, interleaved.
  const diff = new Float64Array(W * H * 5);
  const scale = (3 / (Math.PI * h2 * h2 * h2)) * 1e6;
  const order = rasterOrder(x, y, frame);
  for (let k = 0; k < n; k++) {
    if ((k & 0xffff) === 0) onProgress?.(k, n);
    const i = order[k] as number;
    const w = weights ? (weights[i] as number) : 1;
    if (w === 0 || !Number.isFinite(w)) continue;
    const a = w * scale;
    const px = x[i] as number;
    const py = y[i] as number;
    const r0 = Math.max(0, Math.ceil((py - h) / s - 0.5));
    const r1 = Math.min(H - 1, Math.floor((py + h) / s - 0.5));
    for (let r = r0; r <= r1; r++) {
      const dy = (r + 0.5) * s - py;
      const rest = h2 - dy * dy;
      if (rest <= 0) continue;
      const half = Math.sqrt(rest);
      let ca = Math.max(0, Math.ceil((px - half) / s - 0.5));
      const cb = Math.min(W - 1, Math.floor((px + half) / s - 0.5));
      while (ca <= cb) {
        const blockStart = ca & -BLOCK;
        const end = Math.min(cb, blockStart + BLOCK - 1);
        // (rest − (u − pl)²)² = q² + 2qb·u + (b² − 2q)·u² − 2b·u³ + u⁴, u local to the block.
        const pl = px - blockStart * s;
        const q = rest - pl * pl;
        const b = 2 * pl;
        const e0 = a * q * q;
        const e1 = a * 2 * q * b;
        const e2 = a * (b * b - 2 * q);
        const e3 = a * -2 * b;
        let o = (r * W + ca) * 5;
        diff[o] = (diff[o] as number) + e0;
        diff[o + 1] = (diff[o + 1] as number) + e1;
        diff[o + 2] = (diff[o + 2] as number) + e2;
        diff[o + 3] = (diff[o + 3] as number) + e3;
        diff[o + 4] = (diff[o + 4] as number) + a;
        if (end + 1 < Math.min(W, blockStart + BLOCK)) {
          o = (r * W + end + 1) * 5;
          diff[o] = (diff[o] as number) - e0;
          diff[o + 1] = (diff[o + 1] as number) - e1;
          diff[o + 2] = (diff[o + 2] as number) - e2;
          diff[o + 3] = (diff[o + 3] as number) - e3;
          diff[o + 4] = (diff[o + 4] as number) - a;
        }
        ca = end + 1;
      }
    }
  }
  onProgress?.(n, n);
  const values = new Float64Array(W * H);
  for (let r = 0; r < H; r++) {
    for (let blockStart = 0; blockStart < W; blockStart += BLOCK) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      const end = Math.min(W, blockStart + BLOCK);
      for (let c = blockStart; c < end; c++) {
        const o = (r * W + c) * 5;
        s0 += diff[o] as number;
        s1 += diff[o + 1] as number;
        s2 += diff[o + 2] as number;
        s3 += diff[o + 3] as number;
        s4 += diff[o + 4] as number;
        const u = (c - blockStart + 0.5) * s;
        const v = s0 + u * (s1 + u * (s2 + u * (s3 + u * s4)));
        // Rounding may leave a trace below zero where no disc reaches.
        values[r * W + c] = v > 0 ? v : 0;
      }
    }
  }
  return values;
}

function gaussianDensity(
  x: Float64Array,
  y: Float64Array,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  h: number,
  onProgress?: (done: number, total: number) => void,
): Float64Array {
  const { width: W, height: H, cellMeters: s } = frame;
  const reach = h * GAUSSIAN_REACH;
  const h2 = h * h;
  const n = x.length;
  const values = new Float64Array(W * H);
  const column = new Float64Array(2 * Math.ceil(reach / s) + 3);
  const scale = (1 / (2 * Math.PI * h2)) * 1e6;
  for (let i = 0; i < n; i++) {
    if ((i & 0xffff) === 0) onProgress?.(i, n);
    const w = weights ? (weights[i] as number) : 1;
    if (w === 0 || !Number.isFinite(w)) continue;
    const px = x[i] as number;
    const py = y[i] as number;
    const r0 = Math.max(0, Math.ceil((py - reach) / s - 0.5));
    const r1 = Math.min(H - 1, Math.floor((py + reach) / s - 0.5));
    const c0 = Math.max(0, Math.ceil((px - reach) / s - 0.5));
    const c1 = Math.min(W - 1, Math.floor((px + reach) / s - 0.5));
    for (let c = c0; c <= c1; c++) {
      const dx = (c + 0.5) * s - px;
      column[c - c0] = Math.exp(-(dx * dx) / (2 * h2));
    }
    const a = w * scale;
    for (let r = r0; r <= r1; r++) {
      const dy = (r + 0.5) * s - py;
      const g = a * Math.exp(-(dy * dy) / (2 * h2));
      const base = r * W;
      for (let c = c0; c <= c1; c++) values[base + c] = (values[base + c] as number) + g * (column[c - c0] as number);
    }
  }
  onProgress?.(n, n);
  return values;
}

/**
 * The naive method, for tests and the benchmark: the density at the given raster cells as the
 * direct sum of the kernel over every point (no reach cut-off), per km².
 */
export function directDensity(
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  options: DensityOptions,
  cells: readonly number[],
): Float64Array {
  const { x, y } = toFrame(frame, lng, lat);
  const out = new Float64Array(cells.length);
  cells.forEach((cell, k) => {
    const cx = ((cell % frame.width) + 0.5) * frame.cellMeters;
    const cy = (Math.floor(cell / frame.width) + 0.5) * frame.cellMeters;
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      const dx = cx - (x[i] as number);
      const dy = cy - (y[i] as number);
      sum += (weights ? (weights[i] as number) : 1) * kernelValue(options, dx * dx + dy * dy);
    }
    out[k] = sum * 1e6;
  });
  return out;
}

/**
 * Returns an event's weight: its severity weight, halved every `halfLifeDays` of age before `now`
 * (no decay when halfLifeDays is null). Events after `now` weigh 0 (they have not happened yet).
 */
export function decayedWeight(weight: number, occurredMs: number, nowMs: number, halfLifeDays: number | null): number {
  if (occurredMs > nowMs) return 0;
  if (halfLifeDays === null) return weight;
  return weight * 0.5 ** ((nowMs - occurredMs) / 86_400_000 / halfLifeDays);
}
