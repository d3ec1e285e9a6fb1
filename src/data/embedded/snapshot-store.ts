import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';

let store: UseStore | null = null;
/** The snapshots live in an IndexedDB database of their own, apart from PGlite's. */
const snapshots = () => {
  store ??= createStore('gridatlas-snapshots', 'snapshots');
  return store;
};

/** Returns the snapshot text kept under `key`, or null. */
export async function readSnapshotText(key: string): Promise<string | null> {
  const value = await get<unknown>(key, snapshots());
  return typeof value === 'string' ? value : null;
}

/** Keeps `text` under `key`, replacing what was there. */
export async function writeSnapshotText(key: string, text: string): Promise<void> {
  await set(key, text, snapshots());
}

/** Forgets every snapshot of the database `databaseName` (its copy was dropped or replaced). */
export async function dropSnapshots(databaseName: string): Promise<void> {
  const all = await keys(snapshots());
  await Promise.all(all.filter((k) => String(k).startsWith(`${databaseName}|`)).map((k) => del(k, snapshots())));
}
