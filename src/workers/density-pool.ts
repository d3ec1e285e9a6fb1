import * as Comlink from 'comlink';
import {
  type DensityGrid,
  type DensityOptions,
  densityBands,
  kernelDensity,
  kernelDensityRows,
  largest,
  type RasterFrame,
} from '../geo/kernel-density';
import type { DensityWorkerApi } from './density.worker';

/** Below this many points a density is quicker in one thread than split. */
const MIN_POINTS_TO_SPLIT = 10_000;
const MAX_HELPERS = 3;

/** Another thread that holds a copy of the points and computes bands of rows of their density. */
export interface DensityHelper {
  setPoints(lng: Float64Array, lat: Float64Array): Promise<void>;
  rows(weights: Float64Array | null, frame: RasterFrame, options: DensityOptions, rows: [number, number]): Promise<Float64Array>;
  terminate(): void;
}

/** Helpers to start on a machine with this many cores: one per core beyond the first, at most three. */
export function helperCount(cores: number): number {
  return Math.max(0, Math.min(MAX_HELPERS, cores - 1));
}

/** Web Worker helpers (none where workers cannot start workers). */
export function webDensityHelpers(
  count = helperCount(typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1),
): DensityHelper[] {
  if (typeof Worker === 'undefined') return [];
  return Array.from({ length: count }, (_, k) => {
    const worker = new Worker(new URL('./density.worker.ts', import.meta.url), { type: 'module', name: `gridatlas-density-${k + 1}` });
    const api = Comlink.wrap<DensityWorkerApi>(worker);
    return {
      setPoints: (lng, lat) => api.setPoints(lng, lat),
      rows: (weights, frame, options, rows) => api.rows(weights, frame, options, rows),
      terminate: () => worker.terminate(),
    };
  });
}

/**
 * Kernel density on more than one core: the raster's rows are split into bands of about equal
 * work (densityBands), each helper computes one while this thread computes the first, and the
 * bands are laid end to end. Helpers hold their own copy of the points (setPoints), so a new time
 * window sends only the weights.
 */
export class DensityPool {
  private points: { lng: Float64Array; lat: Float64Array } | null = null;

  constructor(private readonly helpers: DensityHelper[]) {}

  /** Keeps the points here and hands them to every helper (a copy each). */
  async setPoints(lng: Float64Array, lat: Float64Array): Promise<void> {
    this.points = { lng, lat };
    await Promise.all(this.helpers.map((h) => h.setPoints(lng, lat)));
  }

  /** The density of the points set last, and how many threads computed it. */
  async density(
    weights: Float64Array | null,
    frame: RasterFrame,
    options: DensityOptions,
  ): Promise<{ grid: DensityGrid; threads: number }> {
    const points = this.points;
    if (!points) throw new Error('no points loaded for the density');
    const { lng, lat } = points;
    if (this.helpers.length === 0 || lng.length < MIN_POINTS_TO_SPLIT)
      return { grid: kernelDensity(lng, lat, weights, frame, options), threads: 1 };
    const bands = densityBands(lat, frame, options, this.helpers.length + 1);
    const values = new Float64Array(frame.width * frame.height);
    // The helpers' messages leave before this thread starts on its own band.
    const others = bands.slice(1).map(async (band, k) => {
      const helper = this.helpers[k];
      if (!helper) throw new Error('a band without a helper');
      values.set(await helper.rows(weights, frame, options, band), band[0] * frame.width);
    });
    const first = bands[0] as [number, number];
    let failure: { error: unknown } | null = null;
    try {
      values.set(kernelDensityRows(lng, lat, weights, frame, options, first), 0);
    } catch (error) {
      failure = { error };
    }
    // Every band settles before an error goes on (no band's failure is left unheard).
    for (const band of await Promise.allSettled(others)) if (band.status === 'rejected') failure ??= { error: band.reason };
    if (failure) throw failure.error;
    return { grid: { ...frame, values, max: largest(values) }, threads: bands.length };
  }

  terminate(): void {
    for (const h of this.helpers) h.terminate();
    this.helpers.length = 0;
  }
}
