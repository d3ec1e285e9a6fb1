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

/** What a helper's calls reject with once its thread has stopped (failed to start, crashed, ended). */
export class HelperStopped extends Error {
  constructor(why: string) {
    super(`a density helper has stopped: ${why}`);
    this.name = 'HelperStopped';
  }
}

/**
 * Another thread that holds a copy of the points and computes bands of rows of their density;
 * its calls reject with HelperStopped once the thread is gone.
 */
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
    // A worker that fails to load or crashes never answers: its calls end when it reports an error.
    let stop: (error: HelperStopped) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => {
      stop = reject;
    });
    stopped.catch(() => undefined);
    worker.addEventListener('error', (e) => stop(new HelperStopped(e.message || 'the worker failed')));
    return {
      setPoints: (lng, lat) => Promise.race([api.setPoints(lng, lat), stopped]),
      rows: (weights, frame, options, rows) => Promise.race([api.rows(weights, frame, options, rows), stopped]),
      terminate: () => {
        worker.terminate();
        stop(new HelperStopped('terminated'));
      },
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

  /** Helpers in use (stopped ones are left out). */
  get size(): number {
    return this.helpers.length;
  }

  /** Keeps the points here and hands them to every helper (a copy each); stopped helpers are left out. */
  async setPoints(lng: Float64Array, lat: Float64Array): Promise<void> {
    this.points = { lng, lat };
    const results = await Promise.allSettled(this.helpers.map((h) => h.setPoints(lng, lat)));
    this.dropStopped(results);
    for (const r of results) if (r.status === 'rejected' && !(r.reason instanceof HelperStopped)) throw r.reason;
  }

  /** Terminates and leaves out the helpers whose call (results[k], from helper k) found them stopped. */
  private dropStopped(results: PromiseSettledResult<unknown>[]): void {
    const stopped = new Set(
      this.helpers.filter(
        (_, k) => results[k]?.status === 'rejected' && (results[k] as PromiseRejectedResult).reason instanceof HelperStopped,
      ),
    );
    for (const h of stopped) h.terminate();
    this.helpers.splice(0, this.helpers.length, ...this.helpers.filter((h) => !stopped.has(h)));
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
    const helpers = bands.slice(1).map((_, k) => this.helpers[k] as DensityHelper);
    const others = bands.slice(1).map(async (band, k) => {
      values.set(await (helpers[k] as DensityHelper).rows(weights, frame, options, band), band[0] * frame.width);
    });
    const first = bands[0] as [number, number];
    let failure: { error: unknown } | null = null;
    try {
      values.set(kernelDensityRows(lng, lat, weights, frame, options, first), 0);
    } catch (error) {
      failure = { error };
    }
    // Every band settles before an error goes on (no band's failure is left unheard). A band whose
    // helper has stopped is computed here instead, and the helper is not asked again.
    const results = await Promise.allSettled(others);
    let threads = bands.length;
    for (const [k, r] of results.entries()) {
      if (r.status === 'fulfilled') continue;
      if (!(r.reason instanceof HelperStopped)) {
        failure ??= { error: r.reason };
        continue;
      }
      threads--;
      const band = bands[k + 1] as [number, number];
      if (!failure) values.set(kernelDensityRows(lng, lat, weights, frame, options, band), band[0] * frame.width);
    }
    this.dropStopped(results);
    if (failure) throw failure.error;
    return { grid: { ...frame, values, max: largest(values) }, threads };
  }

  terminate(): void {
    for (const h of this.helpers) h.terminate();
    this.helpers.length = 0;
  }
}
