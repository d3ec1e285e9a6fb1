import * as Comlink from 'comlink';
import type { GeoWorkerApi } from './geo.worker';

/** Returns the geometry worker's API (one worker per call; terminate it when done). */
export function createGeoWorker(): { api: Comlink.Remote<GeoWorkerApi>; terminate(): void } {
  const worker = new Worker(new URL('./geo.worker.ts', import.meta.url), { type: 'module', name: 'gridatlas-geo' });
  return { api: Comlink.wrap<GeoWorkerApi>(worker), terminate: () => worker.terminate() };
}
