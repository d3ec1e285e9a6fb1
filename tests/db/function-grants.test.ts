import { expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { RPC_NAMES } from '../../src/data/rpc';
import type { SqlClient } from '../../src/data/sql-client';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
/** Someone with a valid sign-in who is no member. */
const STRANGER = '00000000-0000-4000-8000-00000000dead';

/** What a member may execute besides the API: what policies and invoker functions call on their behalf. */
const MEMBER_HELPERS = [
  'app_role',
  'is_own_cell',
  'person_personal',
  'import_person_private',
  'person_keys_by_id_card',
  'classify_by_rules',
  'rule_set_problem',
  'person_counts',
  'person_points',
  'person_detail',
  'member_department',
  'case_allowed_actions',
  'is_working_day',
  'add_working_hours',
  'working_hours_between',
  'case_stage_hours',
  'propose_department',
  'member_summoned_to',
  'whistle_call_for_officer',
  'open311_request_json',
  'complainant_shown_in_full',
  'case_photo_upload_allowed',
  'case_photo_readable',
  'patrol_json',
  'cell_risk_indexes',
  'export_people_masked',
  'export_point_rows',
];

/** The cases' API (issue 23): the case pages of the app call these, as the SQL tests do now. */
/** Returns the project's functions (not extensions') that `role` may execute, by name. */
async function executable(client: SqlClient, role: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select distinct p.proname name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' and has_function_privilege($1, p.oid, 'EXECUTE')
       and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
     order by 1`,
    [role],
  );
  return rows.map((r) => r.name);
}

/**
 * Runs `fn` as `userId` after the owner has made temporary tables that shadow real ones (the
 * attack: PostgreSQL searches the session's temporary schema first unless told otherwise).
 */
function withShadowTables<T>(client: SqlClient, userId: string, setup: string, fn: (tx: SqlClient) => Promise<T>): Promise<T> {
  return rolledBack(client, async (tx) => {
    await tx.exec(setup);
    await tx.exec('set local role authenticated');
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
    return fn(tx);
  });
}

describeEachDatabase('who may execute what', (db) => {
  it('anon asks only who it is; members execute the API and its helpers; internal helpers nobody outside', async () => {
    expect(await executable(db(), 'anon')).toEqual(['current_member']);
    const api = [...new Set<string>([...RPC_NAMES, ...MEMBER_HELPERS])].sort();
    expect(await executable(db(), 'authenticated')).toEqual(api);
    // Nothing is left to PUBLIC, which every role (and every new one) is in.
    const { rows } = await db().query<{ name: string }>(
      `select p.proname name from pg_proc p join pg_namespace n on n.oid = p.pronamespace,
         aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
       where n.nspname = 'public' and a.grantee = 0 and a.privilege_type = 'EXECUTE'
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`,
    );
    expect(rows.map((r) => r.name)).toEqual([]);
  });

  it('the API roles may not create temporary tables', async () => {
    for (const userId of [id('worker'), null]) {
      await expect(
        rolledBack(db(), async (tx) => {
          await tx.exec(userId ? 'set local role authenticated' : 'set local role anon');
          await tx.exec('create temporary table shadow (x integer)');
        }),
      ).rejects.toThrow(/permission denied/);
    }
  });

  it('every function searches temporary tables last: a shadow members, worker_cells or cells fools none', async () => {
    const shadowMembers = `create temporary table members (like public.members including all);
      insert into pg_temp.members (user_id, role) values ('${STRANGER}', 'admin'), ('${id('planner')}', 'admin')`;
    // app_role and everything that asks it (policies, the personal-data door, the grid edits).
    await withShadowTables(db(), STRANGER, shadowMembers, async (tx) => {
      expect((await tx.query<{ r: string }>('select app_role() r')).rows[0]?.r).toBe('anon');
      const person = (await tx.query<{ id: string }>(`select id from entities where kind = 'person' limit 1`)).rows[0];
      expect(person).toBeUndefined();
    });
    const { rows: people } = await db().query<{ id: string; cell_code: string; card: string }>(
      `select e.id, e.cell_code, p.id_card_number card from entities e join person_private p on p.entity_id = e.id
       where e.kind = 'person' order by e.external_id limit 1`,
    );
    const person = people[0];
    if (!person) throw new Error('the demo has no person');
    await withShadowTables(db(), id('planner'), shadowMembers, async (tx) => {
      expect((await tx.query<{ r: string }>('select app_role() r')).rows[0]?.r).toBe('planner');
      expect((await tx.query<{ p: unknown }>('select person_personal($1) p', [person.id])).rows[0]?.p).toBeNull();
      expect((await tx.query('select * from person_keys_by_id_card($1)', [[person.card]])).rows).toEqual([]);
      const { rows: cell } = await tx.query<{ code: string; version: number }>(
        'select code, version from cells where valid_to is null order by code limit 1',
      );
      const c = cell[0];
      if (!c) throw new Error('no cell');
      await expect(
        tx.query('select move_cell($1, $2, $3, $4)', [c.code, c.version, c.code.slice(0, 12), 'a shadow admin']),
      ).rejects.toThrow(/only grid administrators/);
    });
    // is_own_cell: a shadow worker_cells gives a worker no foreign cell.
    const foreign = (
      await db().query<{ code: string }>(
        `select code from cells c where valid_to is null and not exists (select 1 from worker_cells w where w.user_id = $1 and w.cell_code = c.code) limit 1`,
        [id('worker')],
      )
    ).rows[0]?.code as string;
    await withShadowTables(
      db(),
      id('worker'),
      `create temporary table worker_cells (like public.worker_cells including all);
       insert into pg_temp.worker_cells values ('${id('worker')}', '${foreign}')`,
      async (tx) => {
        expect((await tx.query<{ own: boolean }>('select is_own_cell($1) own', [foreign])).rows[0]?.own).toBe(false);
        expect((await tx.query('select code from cells where code = $1', [foreign])).rows).toEqual([]);
      },
    );
    // assign_cell (the trigger placing points): a shadow cells covering the whole district puts nothing in it.
    await withShadowTables(
      db(),
      id('admin'),
      `create temporary table cells (like public.cells including all);
       insert into pg_temp.cells (code, name, community_code, class, geom)
         select '999999999999999', 'shadow', '999999999999', 'C', ST_Multi(ST_Envelope(ST_Collect(geom))) from public.cells`,
      async (tx) => {
        const { rows } = await tx.query<{ cell_code: string | null }>(
          `insert into events (external_id, category, severity, source, occurred_at, geom)
           select 'shadow-test', '治安隐患', 2, 'grid_worker', now(), ST_PointOnSurface(geom) from public.cells where valid_to is null limit 1
           returning cell_code`,
        );
        expect(rows[0]?.cell_code).toMatch(/^\d{15}$/);
        expect(rows[0]?.cell_code).not.toBe('999999999999999');
      },
    );
  });
});
