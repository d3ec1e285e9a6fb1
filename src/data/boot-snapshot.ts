import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { AdminAreaProperties, CellProperties } from '../domain/records';
import type { Backend, DistrictOverview, Session } from './backend';

/**
 * What the map showed a user last time (their session, the district's overview, the cells and
 * communities they could see), kept so that the next visit draws and inspects the cells at once
 * while the embedded database boots. The database's answers replace it when they come.
 */
export interface BootSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** When the database gave these answers (ISO 8601). */
  savedAt: string;
  session: Session;
  /** Null for a visitor who may see nothing (anon). */
  overview: DistrictOverview | null;
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  communities: FeatureCollection<MultiPolygon, AdminAreaProperties>;
}

/** Bumped whenever the snapshot's shape changes: an older snapshot is then ignored. */
export const SNAPSHOT_FORMAT = 1;

const isCollection = (v: unknown): v is FeatureCollection =>
  typeof v === 'object' &&
  v !== null &&
  (v as FeatureCollection).type === 'FeatureCollection' &&
  Array.isArray((v as FeatureCollection).features);

/**
 * Returns the snapshot in `text`, or null when it is not one this app can use (unreadable JSON,
 * another format, missing parts, or taken as another user than `userId`): a bad snapshot only
 * means waiting for the database, never a failed boot.
 */
export function parseBootSnapshot(text: string | null | undefined, userId: string | null): BootSnapshot | null {
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const s = value as Partial<BootSnapshot> | null;
  if (!s || typeof s !== 'object' || s.format !== SNAPSHOT_FORMAT) return null;
  if (!s.session || s.session.userId !== userId || typeof s.session.role !== 'string') return null;
  if (typeof s.overview !== 'object' || !isCollection(s.cells) || !isCollection(s.communities)) return null;
  if (s.cells.features.some((f) => typeof f?.properties?.code !== 'string' || f.geometry?.type !== 'MultiPolygon')) return null;
  return s as BootSnapshot;
}

/** Returns the key a snapshot is kept under: one per database and user. */
export function snapshotKey(databaseName: string, userId: string | null): string {
  return `${databaseName}|${userId ?? 'anon'}`;
}

/** Returns what the map shows `backend`'s current user, read from the database, as a snapshot. */
export async function readBootSnapshot(backend: Backend): Promise<BootSnapshot> {
  const session = await backend.getSession();
  const empty = { type: 'FeatureCollection' as const, features: [] };
  if (session.role === 'anon')
    return { format: SNAPSHOT_FORMAT, savedAt: new Date().toISOString(), session, overview: null, cells: empty, communities: empty };
  const [overview, cells, communities] = await Promise.all([
    backend.getDistrictOverview(),
    backend.listCells(),
    backend.listAdminAreas('community'),
  ]);
  return { format: SNAPSHOT_FORMAT, savedAt: new Date().toISOString(), session, overview, cells, communities };
}
