import * as Comlink from 'comlink';
import type { Backend } from '../backend';
import { DEMO_MEMBERS } from '../demo-members';
import { createRpcBackend } from '../rpc-backend';
import type { BootProgress } from './boot-progress';
import type { DbWorkerApi } from './db.worker';

/** Where the embedded backend keeps its data and whom it acts as on start. */
export interface EmbeddedOptions {
  /** IndexedDB name of the database. */
  name: string;
  /** URL of the prebuilt PGlite data directory (demo district loaded). */
  dataUrl: string;
  /** URL of PostGIS's runtime bundle (see runtimeExtensions). */
  postgisUrl: string;
  /** Demo member acted as first; defaults to the admin. */
  userId?: string;
  /** Drop the stored copy and start again from the demo. */
  fresh?: boolean;
  onProgress?: (p: BootProgress) => void;
}

/** Boots the embedded database in a Web Worker and returns the Backend over it. */
export async function createEmbeddedBackend(options: EmbeddedOptions): Promise<Backend> {
  const worker = new Worker(new URL('./db.worker.ts', import.meta.url), { type: 'module', name: 'gridatlas-db' });
  const api = Comlink.wrap<DbWorkerApi>(worker);
  const onProgress = options.onProgress ?? (() => undefined);
  await api.boot(
    { name: options.name, dataUrl: options.dataUrl, postgisUrl: options.postgisUrl, fresh: options.fresh },
    Comlink.proxy(onProgress),
  );
  const admin = DEMO_MEMBERS.find((m) => m.role === 'admin');
  const backend = createRpcBackend('embedded', (userId, fn, args) => api.rpc(userId, fn, args), options.userId ?? admin?.userId ?? null);
  return {
    ...backend,
    databaseFile: {
      backup: () => api.backup(),
      restore: (file, onProgress) => api.restore({ name: options.name, postgisUrl: options.postgisUrl }, file, Comlink.proxy(onProgress)),
    },
  };
}
