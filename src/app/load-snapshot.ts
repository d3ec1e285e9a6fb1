import type { AppConfig } from '../config';
import { type BootSnapshot, parseBootSnapshot, snapshotKey } from '../data/boot-snapshot';
import { DEMO_MEMBERS } from '../data/demo-members';
import { readSnapshotText, writeSnapshotText } from '../data/embedded/snapshot-store';

/**
 * Returns what to draw while the embedded database boots: the user's own snapshot from their
 * last visit, or, when this browser held no database before this boot (`hadDatabase` false: it
 * will be the demo's as shipped), the demo's snapshot for the administrator. Null when there is none to trust, in
 * supabase mode, or when anything goes wrong (the app then waits for the database).
 */
export async function loadSnapshot(config: AppConfig, userId: string, hadDatabase: boolean): Promise<BootSnapshot | null> {
  if (config.backend.kind !== 'embedded') return null;
  const { databaseName } = config.backend;
  try {
    const kept = parseBootSnapshot(await readSnapshotText(snapshotKey(databaseName, userId)), userId);
    if (kept) return kept;
    const admin = DEMO_MEMBERS.find((m) => m.role === 'admin')?.userId;
    if (userId !== admin || hadDatabase) return null;
    const response = await fetch(new URL('snapshot.json', config.demoBaseUrl).href);
    return response.ok ? parseBootSnapshot(await response.text(), userId) : null;
  } catch {
    return null;
  }
}

/** The name a snapshot is kept under: the embedded database's, or the Supabase project's. */
const keptAs = (config: AppConfig, userId: string | null) =>
  snapshotKey(config.backend.kind === 'embedded' ? config.backend.databaseName : `supabase:${config.backend.url}`, userId);

/**
 * Keeps `snapshot` for the next visit: in embedded mode, to draw while the database boots; on
 * Supabase, to open without a network. Failures only cost that visit's head start.
 */
export async function saveSnapshot(config: AppConfig, snapshot: BootSnapshot): Promise<void> {
  await writeSnapshotText(keptAs(config, snapshot.session.userId), JSON.stringify(snapshot)).catch(() => undefined);
}

/** Returns the snapshot kept for `userId` on Supabase (what the app last read), to open with when the network is gone; null when there is none. */
export async function loadOfflineSnapshot(config: AppConfig, userId: string | null): Promise<BootSnapshot | null> {
  if (config.backend.kind !== 'supabase' || !userId) return null;
  try {
    return parseBootSnapshot(await readSnapshotText(keptAs(config, userId)), userId);
  } catch {
    return null;
  }
}
