import * as Comlink from 'comlink';
import type { Backend } from '../backend';
import { DEMO_MEMBERS } from '../demo-members';
import { type ChangeTopic, changeChannelName, type DataChange } from '../live-changes';
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

/** Connects to the database's worker: the one every tab shares where the browser has shared workers. */
function connect(): Comlink.Remote<DbWorkerApi> {
  if (typeof SharedWorker !== 'undefined') {
    const shared = new SharedWorker(new URL('./db.worker.ts', import.meta.url), { type: 'module', name: 'gridatlas-db' });
    return Comlink.wrap<DbWorkerApi>(shared.port);
  }
  const worker = new Worker(new URL('./db.worker.ts', import.meta.url), { type: 'module', name: 'gridatlas-db' });
  return Comlink.wrap<DbWorkerApi>(worker);
}

/** Boots the embedded database in a Web Worker and returns the Backend over it. */
export async function createEmbeddedBackend(options: EmbeddedOptions): Promise<Backend> {
  const api = connect();
  // Names this tab's writes, which the worker tells every tab of (this one has reloaded what it changed).
  const tab = crypto.randomUUID();
  const onProgress = options.onProgress ?? (() => undefined);
  await api.boot(
    { name: options.name, dataUrl: options.dataUrl, postgisUrl: options.postgisUrl, fresh: options.fresh },
    Comlink.proxy(onProgress),
  );
  const admin = DEMO_MEMBERS.find((m) => m.role === 'admin');
  const backend = createRpcBackend(
    'embedded',
    (userId, fn, args) => api.rpc(userId, fn, args, tab),
    options.userId ?? admin?.userId ?? null,
  );
  return {
    ...backend,
    subscribeChanges: (listener) => {
      const channel = new BroadcastChannel(changeChannelName(options.name));
      channel.onmessage = (event: MessageEvent<{ topics: ChangeTopic[]; tab?: string }>) => {
        const change: DataChange = { topics: event.data.topics, own: event.data.tab === tab };
        listener(change);
      };
      return () => channel.close();
    },
    databaseFile: {
      backup: () => api.backup(),
      restore: (file, onProgress) => api.restore({ name: options.name, postgisUrl: options.postgisUrl }, file, Comlink.proxy(onProgress)),
    },
  };
}
