/** Returns the IndexedDB name PGlite keeps the database `name` under (`idb://name`). */
export const storedDatabaseName = (name: string): string => `/pglite/${name}`;

/** Returns whether this browser holds the embedded database `name` (false where it cannot tell). */
export async function storedDatabaseExists(name: string): Promise<boolean> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return false;
  const dbs = await indexedDB.databases();
  return dbs.some((d) => d.name === storedDatabaseName(name));
}
