/// <reference lib="webworker" />
/**
 * The embedded database: PGlite + PostGIS in a Web Worker, persisted in IndexedDB. The first
 * boot loads the prebuilt demo data directory; later boots reopen the IndexedDB copy and apply
 * any migrations added since. Every call runs as a user under row level security.
 *
 * Where the browser has shared workers, one worker serves every tab of the app (each connects
 * its own port): the tabs share one database, and what one commits the others are told over a
 * BroadcastChannel, so live views follow it. Elsewhere each tab has its own dedicated worker.
 */
import { PGlite } from '@electric-sql/pglite';
import * as Comlink from 'comlink';
import { changeChannelName, changeTopics } from '../live-changes';
import { migrate } from '../migrate';
import type { RpcName } from '../rpc';
import { rpcAsUserWrote } from '../rpc-as-user';
import { migrationsFromFiles, type SqlClient } from '../sql-client';
import { BackupError, type BackupSummary, checkBackupArchive, summarizeBackup } from './backup';
import type { BootProgress } from './boot-progress';
import { pgliteClient, runtimeExtensions } from './create-pglite';
import { storedDatabaseExists, storedDatabaseName } from './stored-database';

const migrationFiles = import.meta.glob('../../../supabase/migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

let db: PGlite | null = null;
let client: SqlClient | null = null;

/** The boot under way or done, which every tab that connects shares. */
let booted: { name: string; done: Promise<{ reopened: boolean }> } | null = null;
/** Who hears the boot's progress (one per tab), and the last progress, told to a tab that connects later. */
const progressListeners = new Set<(p: BootProgress) => void>();
let lastProgress: BootProgress | null = null;
/** Where the tabs hear what was committed. */
let changes: BroadcastChannel | null = null;

function tellProgress(p: BootProgress): void {
  lastProgress = p;
  for (const listener of progressListeners) listener(p);
  // Nothing more comes after the copy is whole: let the tabs' callbacks go.
  if (p.stage === 'ready' && p.persisted) progressListeners.clear();
}

async function deleteStoredDatabase(name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(storedDatabaseName(name));
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // 'blocked' means a connection is still open: the deletion waits for it to close, and so
    // must we, or the next open would queue behind the pending deletion.
  });
}

async function download(url: string, onProgress: (p: BootProgress) => void): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`could not download the demo database ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress({ stage: 'download', loadedBytes: loaded, totalBytes: total });
  }
  return new Blob(chunks as BlobPart[], { type: 'application/gzip' });
}

/** Opens the database named `name` in IndexedDB (created from `loadDataDir` when given) and checks it is one of ours. */
async function openStored(name: string, postgisUrl: string, loadDataDir?: Blob): Promise<PGlite> {
  const instance = await PGlite.create({
    dataDir: `idb://${name}`,
    extensions: runtimeExtensions(new URL(postgisUrl)),
    loadDataDir,
    relaxedDurability: true,
  });
  // A half-written earlier first boot leaves a database without the migrations table.
  try {
    await instance.query('select 1 from supabase_migrations.schema_migrations limit 1');
  } catch (error) {
    // Close it, or its IndexedDB connection blocks deleting the broken copy.
    await instance.close().catch(() => undefined);
    throw error;
  }
  return instance;
}

/** Waits until everything written so far is in IndexedDB (relaxed durability writes behind the queries). */
async function persisted(instance: PGlite): Promise<void> {
  const fs = (instance as unknown as { fs?: { syncToFs(relaxedDurability: boolean): Promise<void> } }).fs;
  await (fs?.syncToFs(false) ?? Promise.resolve());
}

const migrations = () => migrationsFromFiles(migrationFiles);

/**
 * Opens the database named `name` in IndexedDB, creating it from `dataUrl` (a PGlite data
 * directory tarball) when absent or unreadable, and applies pending migrations.
 */
async function bootDatabase(
  options: { name: string; dataUrl: string; postgisUrl: string; fresh?: boolean },
  onProgress: (p: BootProgress) => void,
): Promise<{ reopened: boolean }> {
  onProgress({ stage: 'check' });
  if (options.fresh) await deleteStoredDatabase(options.name);
  let reopened = await storedDatabaseExists(options.name);
  const open = async (loadDataDir?: Blob) => {
    onProgress({ stage: 'start', reopened: !loadDataDir });
    return openStored(options.name, options.postgisUrl, loadDataDir);
  };
  try {
    db = reopened ? await open() : await open(await download(options.dataUrl, onProgress));
  } catch (error) {
    if (!reopened) throw error;
    await db?.close().catch(() => undefined);
    await deleteStoredDatabase(options.name);
    reopened = false;
    db = await open(await download(options.dataUrl, onProgress));
  }
  client = pgliteClient(db);
  onProgress({ stage: 'migrate', reopened });
  await migrate(client, migrations());
  // Writes to IndexedDB are relaxed (started after queries, not awaited). The database is ready
  // for queries now; the full write of a first boot (80 MB, a second or two) goes on meanwhile,
  // and says when it is done: a reload before that finds no whole copy and loads the demo again.
  // PGlite's own syncToFs() does not wait under relaxed durability; its file system's does.
  onProgress({ stage: 'ready', reopened, persisted: false });
  void persisted(db).then(
    () => onProgress({ stage: 'ready', reopened, persisted: true }),
    () => undefined,
  );
  return { reopened };
}

const api = {
  /**
   * Boots the database named `name` (see bootDatabase), or joins the boot another tab started:
   * `onProgress` hears the progress from where it is. `fresh` starts again from the demo.
   */
  async boot(
    options: { name: string; dataUrl: string; postgisUrl: string; fresh?: boolean },
    onProgress: (p: BootProgress) => void,
  ): Promise<{ reopened: boolean }> {
    progressListeners.add(onProgress);
    if (booted && booted.name === options.name && !options.fresh) {
      if (lastProgress) onProgress(lastProgress);
      // A failed boot is tried again by the tab that asks next.
      const done = booted.done;
      try {
        return await done;
      } catch {
        if (booted?.done === done) booted = null;
        return api.boot(options, onProgress);
      }
    }
    if (booted) {
      await booted.done.catch(() => undefined);
      await db?.close().catch(() => undefined);
      db = null;
      client = null;
    }
    lastProgress = null;
    changes?.close();
    changes = new BroadcastChannel(changeChannelName(options.name));
    const done = bootDatabase(options, tellProgress);
    booted = { name: options.name, done };
    return done;
  },

  /** Returns the whole database as a file (a gzipped data directory) that `restore` takes back. */
  async backup(): Promise<Blob> {
    if (!db) throw new Error('the embedded database is not booted yet');
    return db.dumpDataDir('gzip');
  },

  /**
   * Replaces the database named `name` with a backup: checks the file and opens it apart first
   * (a file that is no backup, or a backup of a newer version, leaves the database as it was),
   * then writes it to IndexedDB, applies the migrations added since, and waits until it is whole
   * there. The page reloads afterwards.
   */
  async restore(
    options: { name: string; postgisUrl: string },
    file: Blob,
    onProgress: (step: 'check' | 'write') => void,
  ): Promise<BackupSummary> {
    onProgress('check');
    // A refusal crosses to the page as a plain object: its problem and detail are worded there.
    const refuse = (error: unknown) => {
      const e = error instanceof BackupError ? error : new BackupError('cannot-open', 'the archive holds a database that cannot be opened');
      return { code: 'backup', problem: e.problem, detail: e.detail, message: e.message };
    };
    const known = migrations().map((m) => m.version);
    let apart: PGlite | null = null;
    try {
      checkBackupArchive(new Uint8Array(await file.arrayBuffer()));
      apart = await PGlite.create({ extensions: runtimeExtensions(new URL(options.postgisUrl)), loadDataDir: file });
      await summarizeBackup(pgliteClient(apart), known);
    } catch (error) {
      throw refuse(error);
    } finally {
      await apart?.close().catch(() => undefined);
    }
    onProgress('write');
    await db?.close().catch(() => undefined);
    db = null;
    client = null;
    await deleteStoredDatabase(options.name);
    const restored = await openStored(options.name, options.postgisUrl, file);
    db = restored;
    client = pgliteClient(restored);
    await migrate(client, migrations());
    const summary = await summarizeBackup(client, known);
    await persisted(restored);
    return summary;
  },

  /**
   * Calls a SQL function as `userId` (null: anon) and returns its result. When it wrote, every
   * tab hears what it touched; `tab` names the caller's, which knows already.
   */
  async rpc(userId: string | null, fn: RpcName, args: Record<string, unknown>, tab?: string): Promise<unknown> {
    if (!client) throw new Error('the embedded database is not booted yet');
    try {
      const { result, wrote } = await rpcAsUserWrote(client, userId, fn, args);
      if (wrote) changes?.postMessage({ topics: changeTopics(fn, args), tab });
      return result;
    } catch (error) {
      // Comlink sends an Error with its message only: send the SQLSTATE and DETAIL along as a
      // plain object, so the page can tell a conflict or a refusal from a failure.
      const e = error as { code?: string; message?: string; detail?: string };
      throw { code: e.code, message: e.message ?? String(error), detail: e.detail };
    }
  },
};

export type DbWorkerApi = typeof api;

// A shared worker gets a port per tab that connects; a dedicated one talks over itself.
const scope = self as unknown as { onconnect?: ((event: MessageEvent) => void) | null };
if ('onconnect' in scope) {
  scope.onconnect = (event) => {
    const port = event.ports[0];
    if (port) Comlink.expose(api, port);
  };
} else {
  Comlink.expose(api);
}
