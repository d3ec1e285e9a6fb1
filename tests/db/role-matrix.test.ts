/**
 * The role matrix: what each actor gets from every table of the project when they read, update
 * and delete directly (as a client with the anon key and a member's token would, bypassing the
 * app), run for real on the demo district. A new table fails this test until its row is written
 * here, so every table's access is decided on purpose; cases, departments and reports extend it.
 *
 * Reads: all (every row the owner sees), part (some), none (no row), denied (no privilege).
 * Writes (one row the actor can see, rolled back): ok, none (nothing to change), denied,
 * history (refused by the append-only trigger), linked (a foreign key keeps the row).
 */
import { expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { projectTables } from '../../src/data/embedded/backup';
import type { SqlClient } from '../../src/data/sql-client';
import { pointInWorkerCells, seedDepartments, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const ACTORS = ['admin', 'command', 'worker', 'planner', 'department', 'stranger', 'anon'] as const;
type Actor = (typeof ACTORS)[number];
const STRANGER = '00000000-0000-4000-8000-0000000000ff';
const userOf = (actor: Actor) =>
  actor === 'stranger' ? STRANGER : actor === 'department' ? URBAN_OFFICER : (DEMO_MEMBERS.find((m) => m.role === actor)?.userId ?? null);

/** table → actor → 'read/update/delete' */
const MATRIX: Record<string, Record<Actor, string>> = {
  addresses: {
    admin: 'all/ok/ok',
    command: 'all/none/none',
    worker: 'all/none/none',
    planner: 'all/none/none',
    department: 'none/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  admin_areas: {
    admin: 'all/ok/linked',
    command: 'all/none/none',
    worker: 'all/none/none',
    planner: 'all/none/none',
    department: 'none/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  case_actions: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'all/denied/denied',
    planner: 'all/denied/denied',
    department: 'all/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  alert_rules: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'none/denied/denied',
    planner: 'none/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  alerts: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'none/denied/denied',
    planner: 'none/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  patrols: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  case_photos: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'part/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  case_complainants: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'part/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  case_routes: {
    admin: 'all/ok/ok',
    command: 'all/ok/ok',
    worker: 'all/none/none',
    planner: 'all/none/none',
    department: 'all/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  case_step_keys: {
    admin: 'none/denied/denied',
    command: 'part/denied/denied',
    worker: 'part/denied/denied',
    planner: 'none/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  case_time_limits: {
    admin: 'all/ok/ok',
    command: 'all/ok/ok',
    worker: 'all/none/none',
    planner: 'all/none/none',
    department: 'all/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  case_trace: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'part/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  case_whistles: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'part/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  case_working_time: {
    admin: 'all/ok/denied',
    command: 'all/ok/denied',
    worker: 'all/none/denied',
    planner: 'all/none/denied',
    department: 'all/none/denied',
    stranger: 'none/none/denied',
    anon: 'denied/denied/denied',
  },
  cases: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'part/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  cell_class_changes: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'none/denied/denied',
    planner: 'all/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  cell_edits: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'none/denied/denied',
    planner: 'all/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  cells: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  class_rule_sets: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'none/denied/denied',
    planner: 'all/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  complaint_rate_rules: {
    admin: 'all/ok/denied',
    command: 'all/ok/denied',
    worker: 'all/none/denied',
    planner: 'all/none/denied',
    department: 'all/none/denied',
    stranger: 'none/none/denied',
    anon: 'denied/denied/denied',
  },
  complaint_ratings: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'part/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  departments: {
    admin: 'all/ok/linked',
    command: 'all/none/none',
    worker: 'all/none/none',
    planner: 'all/none/none',
    department: 'all/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  entities: {
    admin: 'all/ok/ok',
    command: 'part/none/none',
    worker: 'part/ok/none',
    planner: 'part/none/none',
    department: 'none/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  events: {
    admin: 'all/ok/ok',
    command: 'all/ok/none',
    worker: 'part/none/none',
    planner: 'all/none/none',
    department: 'none/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  house_plates: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'all/denied/denied',
    planner: 'all/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  members: {
    admin: 'all/ok/ok',
    command: 'part/none/none',
    worker: 'part/none/none',
    planner: 'part/none/none',
    department: 'part/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  person_private: {
    admin: 'all/denied/denied',
    command: 'none/denied/denied',
    worker: 'part/denied/denied',
    planner: 'none/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  personal_data_views: {
    admin: 'all/denied/denied',
    command: 'none/denied/denied',
    worker: 'none/denied/denied',
    planner: 'none/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  risk_matrix: {
    admin: 'all/ok/ok',
    command: 'all/none/none',
    worker: 'all/none/none',
    planner: 'all/none/none',
    department: 'none/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  scorecard_rules: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'all/denied/denied',
    planner: 'all/denied/denied',
    department: 'all/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  work_calendar: {
    admin: 'all/ok/ok',
    command: 'all/ok/ok',
    worker: 'all/none/none',
    planner: 'all/none/none',
    department: 'all/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
  tenancies: {
    admin: 'all/denied/denied',
    command: 'none/denied/denied',
    worker: 'part/denied/denied',
    planner: 'none/denied/denied',
    department: 'none/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  whistle_calls: {
    admin: 'all/denied/denied',
    command: 'all/denied/denied',
    worker: 'part/denied/denied',
    planner: 'all/denied/denied',
    department: 'part/denied/denied',
    stranger: 'none/denied/denied',
    anon: 'denied/denied/denied',
  },
  worker_cells: {
    admin: 'all/ok/ok',
    command: 'all/none/none',
    worker: 'all/none/none',
    planner: 'none/none/none',
    department: 'none/none/none',
    stranger: 'none/none/none',
    anon: 'denied/denied/denied',
  },
};

type Outcome = string;

async function outcome(tx: SqlClient, sql: string, total?: number): Promise<Outcome> {
  await tx.exec('savepoint probe');
  try {
    const { rows } = await tx.query<{ n: number }>(sql);
    const n = rows[0]?.n ?? 0;
    if (total === undefined) return n > 0 ? 'ok' : 'none';
    return n === 0 ? 'none' : n === total ? 'all' : 'part';
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code === '42501' && /is a history/.test(e.message ?? '')) return 'history';
    if (e.code === '42501') return 'denied';
    if (e.code === '23503') return 'linked';
    throw error;
  } finally {
    await tx.exec('rollback to savepoint probe');
  }
}

/** Makes two cases as the command centre (committed): one in the worker's cells dispatched to the urban department, one elsewhere. */
async function makeCases(client: SqlClient): Promise<void> {
  const command = DEMO_MEMBERS.find((m) => m.role === 'command')?.userId as string;
  const points = [await pointInWorkerCells(client, true), await pointInWorkerCells(client, false)];
  await client.transaction(async (tx) => {
    await tx.exec('set local role authenticated');
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: command, role: 'authenticated' })]);
    for (const [k, p] of points.entries()) {
      const { rows } = await tx.query<{ id: string }>(`select report_case('hotline', '占道经营', 2, '', $1, $2) ->> 'id' id`, [
        p.lon,
        p.lat,
      ]);
      if (k === 0) {
        await tx.query(`select transition_case($1, 'register')`, [rows[0]?.id]);
        await tx.query(`select transition_case($1, 'dispatch', '', 'urban')`, [rows[0]?.id]);
      }
    }
  });
}

describeEachDatabase('the role matrix', (db) => {
  it('every table, every actor: read, update, delete', async () => {
    // Tables the demo leaves empty get a row, so that every cell of the matrix says something.
    await db().exec(`
      insert into cell_edits (operation, reason, community_codes, after_cells) select 'split', 'a road', '{}', '{}'
        where not exists (select 1 from cell_edits);
      insert into personal_data_views (viewer, viewer_role, entity_id)
        select '00000000-0000-4000-8000-000000000001', 'admin', id from entities where kind = 'person'
        and not exists (select 1 from personal_data_views) limit 1;
      insert into risk_matrix (category, risk, responsibility)
        select '占道经营', 'high', 'low' where not exists (select 1 from risk_matrix);
      insert into patrols (client_key, cell_code, worker, worker_name)
        select gen_random_uuid(), w.cell_code, w.user_id, 'matrix' from (
          (select cell_code, user_id from worker_cells order by cell_code limit 1)
          union all (select code, '00000000-0000-4000-8000-000000000002'::uuid from cells where valid_to is null order by code limit 1)) w
        where not exists (select 1 from patrols);
      insert into alerts (rule_id, subject, figures)
        select id, 'matrix', '{"threshold": 1}' from alert_rules where not exists (select 1 from alerts) order by id limit 1;
    `);
    await seedDepartments(db());
    await db().exec(`insert into case_routes (category, department_id) select '*', 'urban' where not exists (select 1 from case_routes)`);
    // Whistles: one on an open case in the worker's cells summoning urban management, one elsewhere summoning the
    // environment bureau (the demo's whistles may all lie outside the worker's cells).
    await db().exec(`
      insert into case_whistles (case_id, note, blown_by)
      select c.id, 'matrix', '00000000-0000-4000-8000-000000000002' from (
        (select id from cases where cell_code in (select cell_code from worker_cells) limit 1)
        union all (select id from cases where cell_code not in (select cell_code from worker_cells) limit 1)) c
      where not exists (select 1 from case_whistles where note = 'matrix');
      insert into whistle_calls (whistle_id, department_id, ack_deadline)
      select w.id, case when c.cell_code in (select cell_code from worker_cells) then 'urban' else 'env' end, now()
      from case_whistles w join cases c on c.id = w.case_id
      where w.note = 'matrix' and not exists (select 1 from whistle_calls k where k.whistle_id = w.id);
    `);
    // Photos on the two whistled cases: urban management reads the one it is summoned to, the worker the one in their cells.
    await db().exec(`
      insert into case_photos (case_id, trace_id, place, name, mime, width, height, size_bytes, bytes, created_by)
      select w.case_id, (select max(t.id) from case_trace t where t.case_id = w.case_id), 1, 'matrix.jpg', 'image/jpeg', 1, 1, 3,
             '\\xffd8ff'::bytea, '00000000-0000-4000-8000-000000000002'
      from case_whistles w where w.note = 'matrix' and not exists (select 1 from case_photos);
    `);
    // Cases: one in the demo worker's cell dispatched to the urban department, one elsewhere to no one.
    if ((await db().query<{ n: number }>('select count(*)::int n from cases')).rows[0]?.n === 0) await makeCases(db());
    // Step keys: one of the worker's and one of the command centre's; each reads their own.
    await db().exec(`
      insert into case_step_keys (actor, client_key, case_id, trace_id)
      select u.actor, gen_random_uuid(), t.case_id, t.id
      from (select id, case_id from case_trace order by id limit 1) t,
           (values ('${userOf('worker')}'::uuid), ('${userOf('command')}'::uuid)) u (actor)
      where not exists (select 1 from case_step_keys);
    `);
    // Tenancies: one at a door in the demo worker's cells, one elsewhere; the worker reads theirs.
    await db().exec(`
      insert into tenancies (address_id, cell_code, person_name, room, moved_in_on, recorded_by)
      select a.id, a.cell_code, '矩阵', '1室', current_date, '${userOf('admin')}'::uuid
      from ((select * from addresses where kind = 'door' and cell_code in (select cell_code from worker_cells) limit 1)
            union all (select * from addresses where kind = 'door' and cell_code not in (select cell_code from worker_cells) limit 1)) a
      where not exists (select 1 from tenancies);
    `);
    const tables = (await projectTables(db())).sort();
    const actual: Record<string, Record<string, string>> = {};
    for (const table of tables) {
      const total = (await db().query<{ n: number }>(`select count(*)::int n from ${table}`)).rows[0]?.n ?? 0;
      actual[table] = {};
      for (const actor of ACTORS) {
        const userId = userOf(actor);
        actual[table][actor] = await rolledBack(db(), async (tx) => {
          await tx.exec(userId === null ? 'set local role anon' : 'set local role authenticated');
          await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
            JSON.stringify(userId === null ? { role: 'anon' } : { sub: userId, role: 'authenticated' }),
          ]);
          const read = await outcome(tx, `select count(*)::int n from ${table}`, total);
          const column = (
            await tx.query<{ c: string }>(
              `select attname c from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attidentity = '' and attgenerated = '' order by attnum desc limit 1`,
              [table],
            )
          ).rows[0]?.c;
          const one = `ctid = (select ctid from ${table} limit 1)`;
          const update = await outcome(
            tx,
            `with u as (update ${table} set ${column} = ${column} where ${one} returning 1) select count(*)::int n from u`,
          );
          const remove = await outcome(tx, `with d as (delete from ${table} where ${one} returning 1) select count(*)::int n from d`);
          return `${read}/${update}/${remove}`;
        });
      }
    }
    expect(actual).toEqual(MATRIX);
  });
});
