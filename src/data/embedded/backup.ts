import { gunzipSync } from 'fflate';
import type { SqlClient } from '../sql-client';
import { tarPaths } from './filter-tar';

/** Why a file cannot be restored (the app words each in the user's language; `detail` fills it in). */
export type BackupProblem = 'not-gzip' | 'damaged' | 'no-database' | 'cannot-open' | 'not-ours' | 'newer';

/** A backup that cannot be restored: `problem` says why, the message in English (CLI). */
export class BackupError extends Error {
  override name = 'BackupError';
  constructor(
    readonly problem: BackupProblem,
    message: string,
    readonly detail = '',
  ) {
    super(message);
  }
}

/** What a backup holds, as the user is told before and after a restore. */
export interface BackupSummary {
  /** The last migration the backup's database had. */
  version: string;
  cells: number;
  entities: number;
  events: number;
}

/**
 * Checks that `bytes` are a gzipped PGlite data directory (what `dumpDataDir('gzip')` and the
 * app's "download backup" write): a tar archive holding PG_VERSION and base/. Throws a
 * BackupError naming what is wrong, before anything is replaced.
 */
export function checkBackupArchive(bytes: Uint8Array): void {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b)
    throw new BackupError('not-gzip', 'the file is not a GridAtlas backup (not a gzip archive: .tar.gz)');
  let paths: string[];
  try {
    paths = tarPaths(gunzipSync(bytes));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new BackupError('damaged', `the backup is damaged: ${why}`, why);
  }
  const strip = (p: string) => p.replace(/^(\.?\/)?(pgdata\/)?/, '');
  if (!paths.some((p) => strip(p) === 'PG_VERSION') || !paths.some((p) => strip(p).startsWith('base/')))
    throw new BackupError('no-database', 'the archive holds no database (no PG_VERSION and base/): it is not a GridAtlas backup');
}

/**
 * Returns what the database opened from a backup holds, after checking that this version of
 * GridAtlas knows every migration it had (a backup of a newer version is refused: its schema
 * may hold what this one cannot read). `known` are the versions of supabase/migrations.
 */
export async function summarizeBackup(client: SqlClient, known: readonly string[]): Promise<BackupSummary> {
  let versions: string[];
  try {
    versions = (
      await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations order by version')
    ).rows.map((r) => r.version);
  } catch {
    throw new BackupError('not-ours', 'the backup holds a database, but not a GridAtlas one (it has no migrations table)');
  }
  const unknown = versions.filter((v) => !known.includes(v));
  if (unknown.length > 0)
    throw new BackupError(
      'newer',
      `the backup was made by a newer GridAtlas (migration ${unknown[0]} is unknown here): update the app first`,
      unknown[0],
    );
  const { rows } = await client.query<{ cells: number; entities: number; events: number }>(
    `select (select count(*) from cells where valid_to is null)::int cells, (select count(*) from entities)::int entities,
            (select count(*) from events)::int events`,
  );
  return { version: versions.at(-1) ?? '', ...(rows[0] ?? { cells: 0, entities: 0, events: 0 }) };
}

/**
 * The project's tables (not PostGIS's) in the order their rows can be written back: a table after
 * those its foreign keys name, and the areas and cells before everything else (the triggers that
 * place an entity, event or address in its cell read them).
 */
export async function projectTables(client: SqlClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string; refs: string[] | null }>(
    `select c.relname name,
            array(select distinct r.relname::text from pg_constraint k join pg_class r on r.oid = k.confrelid
                  where k.conrelid = c.oid and k.contype = 'f' and k.confrelid <> c.oid) refs
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r'
       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
     order by 1`,
  );
  const first = ['admin_areas', 'cells'];
  const pending = new Map(rows.map((r) => [r.name, new Set([...(r.refs ?? []), ...(first.includes(r.name) ? [] : first)])]));
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending.keys()].filter((name) => [...(pending.get(name) ?? [])].every((ref) => !pending.has(ref) || ref === name));
    if (ready.length === 0) throw new Error(`the tables' foreign keys form a cycle: ${[...pending.keys()].join(', ')}`);
    for (const name of ready) {
      order.push(name);
      pending.delete(name);
    }
  }
  return order;
}
