import * as Comlink from 'comlink';
import type { ImportWorkerApi } from './import.worker';

/** Returns the import worker's API (one worker per call; terminate it when done). */
export function createImportWorker(): { api: Comlink.Remote<ImportWorkerApi>; terminate(): void } {
  const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'gridatlas-import' });
  return { api: Comlink.wrap<ImportWorkerApi>(worker), terminate: () => worker.terminate() };
}
