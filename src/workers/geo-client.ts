import * as Comlink from 'comlink';
import type { GeoWorkerApi } from './geo.worker';

/** Returns the geometry worker's API (one worker per call; terminate it when done). */
export function createGeoWorker(): { api: Comlink.Remote<GeoWorkerApi>; terminate(): void } {
  const worker = new Worker(new URL('./geo.worker.ts', import.meta.url), { type: 'module', name: 'gridatlas-geo' });
  return { api: Comlink.wrap<GeoWorkerApi>(worker), terminate: () => worker.terminate() };
}

/**
 * Runs one task in a fresh geometry worker and terminates the worker when the task ends, fails,
 * or `signal` aborts (an aborted task never settles: check `signal.aborted` before using it).
 * @example const problems = await inGeoWorker((api) => api.validate(cells, {}));
 */
export async function inGeoWorker<T>(task: (api: Comlink.Remote<GeoWorkerApi>) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const worker = createGeoWorker();
  const stop = () => worker.terminate();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    return await task(worker.api);
  } finally {
    signal?.removeEventListener('abort', stop);
    worker.terminate();
  }
}
