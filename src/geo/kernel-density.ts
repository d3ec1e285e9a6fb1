import type { BBox } from '../domain/ids';
import { GAUSSIAN_REACH, gaussianDensity, gaussianSeriesDensity, quarticDensity } from './density-kernels';
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
 * Kernel density of weighted points on a raster, per km²; the result equals the direct sum over
 * all points at every cell centre, to rounding (the Gaussian is cut where it falls below 1e-9 of
 * its peak). `weights` null counts each point once; `onProgress` is called every 65,536 points.
 *
 * Quartic: in each raster row a point adds (h² − dy² − (x − px)²)² on the run of cells inside its
 * disc, a polynomial of degree 4 in x. Its five coefficients are added where the run starts and
 * taken off where it ends (difference arrays), and one pass sums and evaluates them. Points are
 * first binned by raster cell: on the run of a row's cells inside the discs of all the points of
 * a bin, the bin's polynomial follows from nine moments of its points (one stamp for the whole
 * bin); only the cells on the rim, inside some of its discs and outside others, are summed point
 * by point. Bins are visited in strips a few bandwidths wide, and the running sums are kept for
 * the strip's window and the rows its bins still reach only (they stay in cache). Coordinates are
 * local to bins and to windows, so that the sums stay exact to ~1e-12 of a point's peak. The
 * binning is done here; the rest runs in WebAssembly with SIMD (src/wasm/density.ts, the rim two
 * points and two cells at a time), ≈ 2× this code's speed in JavaScript.
 * Gaussian: along x, a series in each column bin (p numbers per point and row instead of a value
 * per cell; see gaussianSeriesDensity), exact along y; when cells are large against σ, each point's
 * stamp, the product of a row and a column factor.
 */
export function kernelDensity(
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  options: DensityOptions,
  onProgress?: (done: number, total: number) => void,
): DensityGrid {
  const values = kernelDensityRows(lng, lat, weights, frame, options, [0, frame.height], onProgress);
  return { ...frame, values, max: largest(values) };
}

/** Returns the largest of the values (0 when none is above it). */
export function largest(values: Float64Array): number {
  let max = 0;
  for (let k = 0; k < values.length; k++) if ((values[k] as number) > max) max = values[k] as number;
  return max;
}

/**
 * The rows `rows[0]` to `rows[1] − 1` of kernelDensity's raster (row-major, the same values to
 * rounding): bands of one raster can be computed apart, in parallel, and laid end to end.
 */
export function kernelDensityRows(
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  options: DensityOptions,
  rows: readonly [number, number],
  onProgress?: (done: number, total: number) => void,
): Float64Array {
  if (!(options.bandwidthMeters > 0)) throw new Error(`the bandwidth must be positive, got ${options.bandwidthMeters}`);
  const [r0, r1] = rows;
  if (!(Number.isInteger(r0) && Number.isInteger(r1) && r0 >= 0 && r1 > r0 && r1 <= frame.height))
    throw new Error(`rows ${r0} to ${r1} are not a band of a raster ${frame.height} rows high`);
  if (r1 - r0 < frame.height) {
    // Only the points that reach the band (a cell's margin beyond the kernel's reach) go on.
    const north = frame.bbox[3];
    const margin = kernelReachMeters(options) + frame.cellMeters;
    const top = north - (r0 * frame.cellMeters - margin) / METERS_PER_DEGREE;
    const bottom = north - (r1 * frame.cellMeters + margin) / METERS_PER_DEGREE;
    const keep = new Uint32Array(lat.length);
    let kept = 0;
    for (let i = 0; i < lat.length; i++) {
      const v = lat[i] as number;
      if (v <= top && v >= bottom) keep[kept++] = i;
    }
    if (kept < lat.length) {
      // A plain loop: Float64Array.from with a mapping function is ~50× slower.
      const pick = (from: ArrayLike<number>) => {
        const picked = new Float64Array(kept);
        for (let k = 0; k < kept; k++) picked[k] = from[keep[k] as number] as number;
        return picked;
      };
      return kernelDensityRowsOf(pick(lng), pick(lat), weights && pick(weights), frame, options, rows, onProgress);
    }
  }
  return kernelDensityRowsOf(lng, lat, weights, frame, options, rows, onProgress);
}

function kernelDensityRowsOf(
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  options: DensityOptions,
  [r0, r1]: readonly [number, number],
  onProgress?: (done: number, total: number) => void,
): Float64Array {
  const { x, y } = toFrame(frame, lng, lat);
  // The band is a raster of its own whose first row is row r0.
  if (r0 > 0) for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) - r0 * frame.cellMeters;
  const band = { ...frame, height: r1 - r0 };
  return options.kernel === 'quartic'
    ? quarticDensity(x, y, weights, band, options.bandwidthMeters, onProgress)
    : (gaussianSeriesDensity(x, y, weights, band, options.bandwidthMeters, onProgress) ??
        gaussianDensity(x, y, weights, band, options.bandwidthMeters, onProgress));
}

/**
 * Splits the raster's rows into `parts` bands of about equal work: a row costs the points that
 * reach it (within the kernel's reach) and a little per cell. Bands are [first row, end row),
 * in order, together all rows; fewer than `parts` when there are fewer rows.
 */
export function densityBands(lat: ArrayLike<number>, frame: RasterFrame, options: DensityOptions, parts: number): [number, number][] {
  const { height: H, width: W, cellMeters: s } = frame;
  const north = frame.bbox[3];
  const R = Math.ceil(kernelReachMeters(options) / s);
  // Points per row (rows R beyond the raster on each side count too: they reach into it).
  const count = new Float64Array(H + 2 * R + 1);
  for (let i = 0; i < lat.length; i++) {
    const r = Math.floor(((north - (lat[i] as number)) * METERS_PER_DEGREE) / s) + R;
    if (r >= 0 && r < H + 2 * R) count[r + 1] = (count[r + 1] as number) + 1;
  }
  for (let k = 1; k < count.length; k++) count[k] = (count[k] as number) + (count[k - 1] as number);
  // Work up to row r: Σ over rows of the points within R rows, plus a tenth of a point per cell.
  const done = new Float64Array(H + 1);
  for (let r = 0; r < H; r++) done[r + 1] = (done[r] as number) + (count[r + 2 * R + 1] as number) - (count[r] as number) + W * 0.1;
  const total = done[H] as number;
  const bands: [number, number][] = [];
  let from = 0;
  for (let k = 1; k <= parts && from < H; k++) {
    let to = H;
    if (k < parts) {
      const goal = (total * k) / parts;
      to = from + 1;
      while (to < H && (done[to] as number) < goal) to++;
    }
    bands.push([from, to]);
    from = to;
  }
  return bands;
}

/**
 * The Gaussian density by its series (as kernelDensity computes it when it applies), or null
 * when it does not apply; `rowsPerBand` sets the bands (tests).
 */
export function gaussianSeries(
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  sigmaMeters: number,
  rowsPerBand?: number,
): Float64Array | null {
  const { x, y } = toFrame(frame, lng, lat);
  return gaussianSeriesDensity(x, y, weights, frame, sigmaMeters, undefined, rowsPerBand);
}
