import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackupCommand } from '../../src/cli/database-commands';
import { BackupError, checkBackupArchive, projectTables, summarizeBackup } from '../../src/data/embedded/backup';
import { createPglite } from '../../src/data/embedded/create-pglite';
import { readMigrations } from '../../src/data/read-migrations';
import { demoPglite, demoPostgres, type TestDatabase } from './databases';

const KNOWN = readMigrations().map((m) => m.version);

/** Returns the BackupError problem `fn` throws, or 'none'. */
async function problemOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
    return 'none';
  } catch (error) {
    if (error instanceof BackupError) return error.problem;
    throw error;
  }
}

describe('backup and restore of the embedded database', () => {
  let source: Awaited<ReturnType<typeof demoPglite>> | null = null;
  /** An empty, migrated PostgreSQL database to restore into (DATABASE_URL only). */
  let target: TestDatabase | null = null;
  let backup: Uint8Array = new Uint8Array();
  const file = join(tmpdir(), `gridatlas-backup-${process.pid}.tar.gz`);

  beforeAll(async () => {
    source = await demoPglite();
    // Something only this database has: an event, and a logged view (an identity column).
    await source.client.exec(`
      insert into events (external_id, category, severity, source, occurred_at, geom)
      select 'BACKUP-1', '占道经营', 2, 'hotline', now(), ST_PointOnSurface(geom) from cells where valid_to is null order by code limit 1;
      insert into personal_data_views (viewer, viewer_role, entity_id)
      select '00000000-0000-4000-8000-000000000001', 'admin', id from entities where kind = 'person' limit 1;
    `);
    backup = new Uint8Array(await (await source.db.dumpDataDir('gzip')).arrayBuffer());
    writeFileSync(file, backup);
    target = await demoPostgres({ loadDemoData: false });
  }, 180_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it('a backup opens as the same database, its own rows included', async () => {
    checkBackupArchive(backup);
    const { db, client } = await createPglite({ loadDataDir: new Blob([backup as BlobPart]) });
    try {
      const summary = await summarizeBackup(client, KNOWN);
      expect(summary).toEqual({ version: KNOWN.at(-1), cells: 570, entities: 37_500, events: 20_001 });
      const { rows } = await client.query<{ cell_code: string }>(`select cell_code from events where external_id = 'BACKUP-1'`);
      expect(rows[0]?.cell_code).toMatch(/^430199\d{9}$/);
    } finally {
      await db.close();
    }
  });

  it('refuses what is no backup, or a backup of a newer version, saying why', async () => {
    expect(await problemOf(() => checkBackupArchive(strToU8('id,name\n1,a\n')))).toBe('not-gzip');
    expect(await problemOf(() => checkBackupArchive(gzipSync(strToU8('not a tar archive, only text'.repeat(40)))))).toBe('damaged');
    const emptyTar = new Uint8Array(1024);
    expect(await problemOf(() => checkBackupArchive(gzipSync(emptyTar)))).toBe('no-database');
    expect(await problemOf(() => checkBackupArchive(backup.subarray(0, backup.length >> 1)))).toBe('damaged');
    const { db, client } = await createPglite({ loadDataDir: new Blob([backup as BlobPart]) });
    try {
      await client.exec(`insert into supabase_migrations.schema_migrations (version, name) values ('29991231000000', 'from_the_future')`);
      expect(await problemOf(() => summarizeBackup(client, KNOWN))).toBe('newer');
      await client.exec('drop schema supabase_migrations cascade');
      expect(await problemOf(() => summarizeBackup(client, KNOWN))).toBe('not-ours');
    } finally {
      await db.close();
    }
  });

  it('orders the tables so that rows can be written back: areas and cells first, a table after those it refers to', async () => {
    if (!source) throw new Error('no source');
    const order = await projectTables(source.client);
    expect(order.slice(0, 2)).toEqual(['admin_areas', 'cells']);
    expect(order.indexOf('class_rule_sets')).toBeLessThan(order.indexOf('cell_class_changes'));
    expect(order.indexOf('entities')).toBeLessThan(order.indexOf('person_private'));
    expect(order).not.toContain('spatial_ref_sys');
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'restore-backup into PostgreSQL copies every row, each event in the same cell, and the database takes new rows after',
    async () => {
      if (!target || !source) throw new Error('no databases');
      const url = new URL(process.env.DATABASE_URL as string);
      url.pathname = `/${(await target.client.query<{ db: string }>('select current_database() db')).rows[0]?.db}`;
      const result = await restoreBackupCommand.run({ backup: file, 'database-url': url.toString() }, []);
      const copied = (result.json as { tables: Record<string, number> }).tables;
      expect(copied).toMatchObject({ cells: 570, entities: 37_500, events: 20_001, person_private: 30_000 });
      const cellOf = async (client: TestDatabase['client']) =>
        (await client.query<{ cell_code: string }>(`select cell_code from events where external_id = 'BACKUP-1'`)).rows[0]?.cell_code;
      expect(await cellOf(target.client)).toBe(await cellOf(source.client));
      const agree = await target.client.query<{ n: number }>(
        `select count(*)::int n from events e where e.cell_code is distinct from
           (select c.code from cells c where c.valid_to is null and ST_Intersects(c.geom, e.geom) order by c.code limit 1)`,
      );
      expect(agree.rows[0]?.n).toBe(0);
      // Identity columns continue after the copied rows.
      await target.client.exec(
        `insert into personal_data_views (viewer, viewer_role, entity_id) values ('00000000-0000-4000-8000-000000000001', 'admin', gen_random_uuid())`,
      );
      // A second restore would mix two districts: refused.
      await expect(restoreBackupCommand.run({ backup: file, 'database-url': url.toString() }, [])).rejects.toThrow(/already holds cells/);
    },
    300_000,
  );
});
