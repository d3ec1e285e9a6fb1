import { DENSITY_WASM } from './density-wasm';
import type { RasterFrame } from './kernel-density';

// The kernels of kernel-density.ts, on points already in a raster's frame (metres east and south
// of its north-west corner): the quartic's stamps, the Gaussian by its series (binned points, sums
// in WebAssembly) or by stamps, and the binning they share.

/** Beyond this many bandwidths a Gaussian contributes less than 1e-9 of its peak. */
export const GAUSSIAN_REACH = Math.sqrt(2 * Math.log(1e9));

/** Points ordered by the bin they fall in; `start[k]` to `start[k + 1]` are bin k's. */
interface BinnedPoints {
  x: Float64Array;
  y: Float64Array;
  /** Null when every point counts once. */
  weights: Float64Array | null;
  start: Uint32Array;
}

/**
 * Returns the points (and their weights) ordered by the raster cell they fall in, row by row, and
 * where each cell's run starts in that order; points off the raster, or with coordinates that are
 * not numbers, come last, in the extra bin. With a `margin`, the grid of bins reaches that many
 * cells beyond the raster on every side: (W + 2m) × (H + 2m) bins, the raster's cell (r, c) in
 * bin (r + m)(W + 2m) + c + m. A counting sort, O(n + bins); the copies in bin order let the
 * kernels read each bin's points from consecutive memory. `into(bins)`, when given, returns the
 * arrays to fill (zeroed; `start` has bins + 1 entries; `weights` null when `weights` is).
 */
function binPoints(
  x: Float64Array,
  y: Float64Array,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  margin = 0,
  into?: (bins: number) => BinnedPoints,
): BinnedPoints {
  const { cellMeters: s } = frame;
  const W = frame.width + 2 * margin;
  const H = frame.height + 2 * margin;
  const n = x.length;
  const off = W * H;
  const binOf = new Uint32Array(n);
  const sorted: BinnedPoints = into
    ? into(off + 1)
    : { x: new Float64Array(n), y: new Float64Array(n), weights: weights && new Float64Array(n), start: new Uint32Array(off + 2) };
  const { start } = sorted;
  for (let i = 0; i < n; i++) {
    const c = Math.floor((x[i] as number) / s) + margin;
    const r = Math.floor((y[i] as number) / s) + margin;
    const k = c >= 0 && c < W && r >= 0 && r < H ? r * W + c : off;
    binOf[i] = k;
    start[k + 1] = (start[k + 1] as number) + 1;
  }
  for (let k = 1; k < start.length; k++) start[k] = (start[k] as number) + (start[k - 1] as number);
  const next = start.slice(0, off + 1);
  for (let i = 0; i < n; i++) {
    const k = binOf[i] as number;
    const j = next[k] as number;
    next[k] = j + 1;
    sorted.x[j] = x[i] as number;
    sorted.y[j] = y[i] as number;
    if (sorted.weights) sorted.weights[j] = (weights as ArrayLike<number>)[i] as number;
  }
  return sorted;
}

export function quarticDensity(
  x: Float64Array,
  y: Float64Array,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  h: number,
  onProgress?: (done: number, total: number) => void,
): Float64Array {
  const { width: W, height: H, cellMeters: s } = frame;
  const n = x.length;
  // A point in column c reaches columns c − R to c + R, and rows likewise (R = h in cells).
  const R = Math.ceil(h / s);
  // Bins reach M cells beyond the raster, so that every point that reaches a cell centre is in one.
  const M = R + 1;
  const bins = (W + 2 * M) * (H + 2 * M);
  // The module's memory (see src/wasm/density.ts): the binned points, the raster, then the
  // running sums and scratch for the points of a bin. Points are binned straight into it.
  const Q = 2 * R + 4;
  const span = 4 * R + 2;
  const module = densityModule();
  const layout = new WasmLayout(module.heapBase());
  const xs = layout.take(n * 8);
  const ys = layout.take(n * 8);
  const ws = weights ? layout.take(n * 8) : 0;
  const starts = layout.take((bins + 2) * 4);
  const out = layout.take(W * H * 8);
  const sums = layout.take(Q * span * 5 * 8);
  const flags = layout.take(Q);
  let buffer = layout.grow(module.memory);
  new Uint8Array(buffer, out, layout.end - out).fill(0);
  const { start } = binPoints(x, y, weights, frame, M, (count) => ({
    x: new Float64Array(buffer, xs, n),
    y: new Float64Array(buffer, ys, n),
    weights: weights && new Float64Array(buffer, ws, n),
    start: new Uint32Array(buffer, starts, count + 1).fill(0),
  }));
  // The points of the largest bin, and one more (the module works on pairs of points).
  let most = 0;
  for (let k = 0; k < bins; k++) most = Math.max(most, (start[k + 1] as number) - (start[k] as number));
  most = (most + 2) & ~1;
  const scratch = layout.take(4 * most * 8);
  buffer = layout.grow(module.memory);
  // Strip by strip: calls short enough that V8's optimised code comes in after the first few.
  const args = [W, H, s, h, (3 / (Math.PI * h ** 6)) * 1e6, xs, ys, ws, starts, scratch, most, sums, flags, out];
  let done = 0;
  for (let first = 0; first < W + 2 * M; first += 2 * R + 2) {
    onProgress?.(done, n);
    done += module.quarticStrip(first, ...args);
  }
  onProgress?.(n, n);
  const values = new Float64Array(buffer, out, W * H).slice();
  // Rounding may leave a trace below zero where no disc reaches.
  for (let k = 0; k < values.length; k++) if ((values[k] as number) < 0) values[k] = 0;
  return values;
}

/** Byte offsets in a WebAssembly module's memory, each 16-byte aligned, from `start` on. */
class WasmLayout {
  end: number;
  constructor(start: number) {
    this.end = Math.ceil(start / 16) * 16;
  }
  take(bytes: number): number {
    const at = this.end;
    this.end = at + Math.ceil(bytes / 16) * 16;
    return at;
  }
  /** Grows the memory to hold the layout; returns its buffer (a new one after growing). */
  grow(memory: WebAssembly.Memory): ArrayBuffer {
    const pages = Math.ceil(this.end / 65536) - memory.buffer.byteLength / 65536;
    if (pages > 0) memory.grow(pages);
    return memory.buffer;
  }
}

interface DensityModule {
  memory: WebAssembly.Memory;
  heapBase(): number;
  quarticStrip(firstBin: number, ...args: number[]): number;
  gaussianScatter(r0: number, r1: number, j0: number, j1: number, ...args: number[]): number;
  gaussianRows(band: number, r0: number, r1: number, ...args: number[]): void;
}

/** Column bins and rows per call of the Gaussian's module. */
const CALL_BINS = 32;
const CALL_ROWS = 16;

let loadedDensity: DensityModule | null = null;

/** The kernels' WebAssembly (src/wasm/density.ts), compiled once per thread. */
function densityModule(): DensityModule {
  if (!loadedDensity) {
    const bytes = Uint8Array.from(atob(DENSITY_WASM), (c) => c.charCodeAt(0));
    if (!WebAssembly.validate(bytes))
      throw new Error('the density kernels need WebAssembly with SIMD: Chrome or Edge 91, Firefox 89, Safari 16.4, Node 16.4 or later');
    loadedDensity = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as DensityModule;
  }
  return loadedDensity;
}

/** Largest error the Gaussian's series may leave, relative to a point's peak. */
const SERIES_ERROR = 1e-11;
const MAX_TERMS = 20;

/**
 * The number of terms p of the series e^(tu) = Σ (tu)^k / k! after which, for every t in [0, tMax]
 * and |u| ≤ uMax, e^(−t²/2) times what is left out stays below SERIES_ERROR (by the Lagrange bound
 * |tu|^p / p! · e^|tu|); null when more than MAX_TERMS would be needed.
 */
export function gaussianSeriesTerms(uMax: number, tMax: number): number | null {
  let factorial = 1;
  for (let p = 1; p <= MAX_TERMS; p++) {
    factorial *= p;
    let worst = 0;
    for (let t = 0; t <= tMax + 0.005; t += 0.005) {
      const tu = t * uMax;
      worst = Math.max(worst, (Math.exp(tu - (t * t) / 2) * tu ** p) / factorial);
    }
    if (worst < SERIES_ERROR) return p;
  }
  return null;
}

/**
 * Gaussian by a series along x, exact rows along y. A point at column bin j (centre x_j) and offset
 * δ = px − x_j reaches the cell d columns away with e^(−(ds − δ)²/2σ²) = e^(−t²/2) · e^(tu) · e^(−u²/2),
 * t = ds/σ, u = δ/σ; with e^(tu) as p terms of its series, the point adds p numbers
 * a_k = w e^(−u²/2) u^k / k! to its bin in each row it reaches (the row factors come from one exp
 * per point: e^(−(es − δy)²/2σ²) is a table of e^(−(es)²/2σ²) times a power of e^(sδy/σ²)), and
 * one pass per row turns the bins' sums into densities with the table Φ_k(d) = e^(−t²/2) t^k.
 * Per point: rows × p instead of rows × columns. Rows are done in bands to bound the memory.
 * The binning and tables are done here, the sums in WebAssembly with SIMD (src/wasm/density.ts,
 * terms and sums held in registers), ≈ 3.5× this code's speed in JavaScript.
 * Returns null when the series would need too many terms (cells much larger than σ; more than
 * 12, which the module takes, only happens where it would not pay) or would not pay (a reach of
 * few cells).
 */
export function gaussianSeriesDensity(
  x: Float64Array,
  y: Float64Array,
  weights: ArrayLike<number> | null,
  frame: RasterFrame,
  h: number,
  onProgress?: (done: number, total: number) => void,
  rowsPerBand?: number,
): Float64Array | null {
  const { width: W, height: H, cellMeters: s } = frame;
  const R = Math.ceil((h * GAUSSIAN_REACH) / s) + 1;
  const p = gaussianSeriesTerms(s / (2 * h), (R * s) / h);
  if (p === null || 2 * p >= 2 * R + 1 || p > 12) return null;
  const n = x.length;
  const Wb = W + 2 * R;
  const Hb = H + 2 * R;
  // The module takes 8 or 12 terms (the last ones 0); the series needs at most 12 where it pays.
  const pe = p <= 8 ? 8 : 12;
  // Rows per band: the band's sums take at most ~4 million numbers.
  const band = rowsPerBand ?? Math.max(1, Math.min(H, Math.floor(4_000_000 / (Wb * pe))));
  // The module's memory (see src/wasm/density.ts): points by bin, row by row (points of one bin
  // then add to the same sums; bins reach R rows and columns off the raster, `start[mb * Wb]`
  // opens row bin mb), tables, the band's sums and the raster.
  const module = densityModule();
  const layout = new WasmLayout(module.heapBase());
  const xs = layout.take(n * 8);
  const ys = layout.take(n * 8);
  const ws = weights ? layout.take(n * 8) : 0;
  const starts = layout.take((Wb * Hb + 2) * 4);
  const G = layout.take((R + 1) * 8);
  const phi = layout.take((2 * R + 1) * pe * 8);
  const inverseFactorial = layout.take(pe * 8);
  const a = layout.take(12 * 8);
  const sums = layout.take(band * Wb * pe * 8);
  const touched = layout.take(band * Wb);
  const out = layout.take(W * H * 8);
  const buffer = layout.grow(module.memory);
  binPoints(x, y, weights, frame, R, (count) => ({
    x: new Float64Array(buffer, xs, n),
    y: new Float64Array(buffer, ys, n),
    weights: weights && new Float64Array(buffer, ws, n),
    start: new Uint32Array(buffer, starts, count + 1).fill(0),
  }));
  // Tables: G[|e|] = e^(−(es)²/2σ²); Φ[(d + R)pe + k] = e^(−t²/2) t^k, t = ds/σ; 1/k! (0 past p).
  const h2 = h * h;
  const g = new Float64Array(buffer, G, R + 1);
  for (let e = 0; e <= R; e++) g[e] = Math.exp(-((e * s) ** 2) / (2 * h2));
  const table = new Float64Array(buffer, phi, (2 * R + 1) * pe).fill(0);
  for (let d = -R; d <= R; d++) {
    const t = (d * s) / h;
    let v = Math.exp(-(t * t) / 2);
    for (let k = 0; k < p; k++) {
      table[(d + R) * pe + k] = v;
      v *= t;
    }
  }
  const factorials = new Float64Array(buffer, inverseFactorial, pe).fill(0);
  factorials[0] = 1;
  for (let k = 1; k < p; k++) factorials[k] = (factorials[k - 1] as number) / k;
  new Float64Array(buffer, a, 12).fill(0);
  new Float64Array(buffer, out, W * H).fill(0);
  const scale = (1 / (2 * Math.PI * h2)) * 1e6;
  const points = [W, H, s, h, scale, pe, R, xs, ys, ws, starts, G, inverseFactorial, a, sums, touched];
  const bandSums = new Float64Array(buffer, sums, band * Wb * pe);
  const bandTouched = new Uint8Array(buffer, touched, band * Wb);
  let done = 0;
  for (let r0 = 0; r0 < H; r0 += band) {
    const r1 = Math.min(H, r0 + band);
    bandSums.fill(0);
    bandTouched.fill(0);
    // In strips of column bins and of rows: calls short enough that V8's optimised code comes in.
    for (let j0 = 0; j0 < Wb; j0 += CALL_BINS) {
      onProgress?.(Math.min(done, n), n);
      done += module.gaussianScatter(r0, r1, j0, Math.min(Wb, j0 + CALL_BINS), ...points);
    }
    for (let r = r0; r < r1; r += CALL_ROWS) module.gaussianRows(r0, r, Math.min(r1, r + CALL_ROWS), W, pe, R, phi, sums, touched, out);
  }
  const values = new Float64Array(buffer, out, W * H).slice();
  onProgress?.(n, n);
  // The series' terms alternate in sign: rounding may leave a trace below zero far from points.
  for (let k = 0; k < values.length; k++) if ((values[k] as number) < 0) values[k] = 0;
  return values;
}

export function gaussianDensity(
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
