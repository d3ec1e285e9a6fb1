/// <reference lib="webworker" />
/**
 * The embedded database: PGlite + PostGIS in a Web Worker, persisted in IndexedDB. The first
 * boot loads the prebuilt demo data directory; later boots reopen the IndexedDB copy and apply
 * any migrations added since. Every call runs as a user under row level security.
 */
import { PGlite } from '@electric-sql/pglite';
import * as Comlink from 'comlink';
import { migrate } from '../migrate';
import type { RpcName } from '../rpc';
import { rpcAsUser } from '../rpc-as-user';
import { migrationsFromFiles, type SqlClient } from '../sql-client';
import type { BootProgress } from './boot-progress';
import { pgliteClient, runtimeExtensions } from './create-pglite';
import { storedDatabaseExists, storedDatabaseName } from './stored-database';

const migrationFiles = import.meta.glob('../../../supabase/migrations/*.sql', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

let db: PGlite | null = null;
let client: SqlClient | null = null;

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

const api = {
  /**
   * Opens the database named `name` in IndexedDB, creating it from `dataUrl` (a PGlite data
   * directory tarball) when absent or unreadable, and applies pending migrations.
   */
  async boot(
    options: { name: string; dataUrl: string; postgisUrl: string; fresh?: boolean },
    onProgress: (p: BootProgress) => void,
  ): Promise<{ reopened: boolean }> {
    onProgress({ stage: 'check' });
    if (options.fresh) await deleteStoredDatabase(options.name);
    let reopened = await storedDatabaseExists(options.name);
    const open = async (loadDataDir?: Blob) => {
      onProgress({ stage: 'start', reopened: !loadDataDir });
      const instance = await PGlite.create({
        dataDir: `idb://${options.name}`,
        extensions: runtimeExtensions(new URL(options.postgisUrl)),
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
    await migrate(client, migrationsFromFiles(migrationFiles));
    // Writes to IndexedDB are relaxed (started after queries, not awaited). The database is ready
    // for queries now; the full write of a first boot (80 MB, a second or two) goes on meanwhile,
    // and says when it is done: a reload before that finds no whole copy and loads the demo again.
    // PGlite's own syncToFs() does not wait under relaxed durability; its file system's does.
    const fs = (db as unknown as { fs?: { syncToFs(relaxedDurability: boolean): Promise<void> } }).fs;
    onProgress({ stage: 'ready', reopened, persisted: false });
    void (fs?.syncToFs(false) ?? Promise.resolve()).then(
      () => onProgress({ stage: 'ready', reopened, persisted: true }),
      () => undefined,
    );
    return { reopened };
  },

  /** Calls a SQL function as `userId` (null: anon) and returns its result. */
  async rpc(userId: string | null, fn: RpcName, args: Record<string, unknown>): Promise<unknown> {
    if (!client) throw new Error('the embedded database is not booted yet');
    try {
      return await rpcAsUser(client, userId, fn, args);
    } catch (error) {
      // Comlink sends an Error with its message only: send the SQLSTATE and DETAIL along as a
      // plain object, so the page can tell a conflict or a refusal from a failure.
      const e = error as { code?: string; message?: string; detail?: string };
      throw { code: e.code, message: e.message ?? String(error), detail: e.detail };
    }
  },
};

export type DbWorkerApi = typeof api;

Comlink.expose(api);
