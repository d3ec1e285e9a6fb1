import { expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { rpcAsUser } from '../../src/data/rpc-as-user';
import type { SqlClient } from '../../src/data/sql-client';
import { asUser, describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const personal = (tx: SqlClient, entity: string) =>
  tx
    .query<{ p: { idCardNumber: string; masked: boolean } | null }>('select person_personal($1) p', [entity])
    .then((r) => r.rows[0]?.p ?? null);
const count = async (tx: SqlClient, sql: string) =>
  (await tx.query<{ n: number }>(`select count(*)::int n from (${sql}) q`)).rows[0]?.n ?? -1;

describeEachDatabase('row level security by actor', (db) => {
  it('nobody reads personal columns directly, not even the admin: only through person_personal()', async () => {
    for (const role of ['admin', 'command', 'worker', 'planner']) {
      await expect(asUser(db(), id(role), (tx) => tx.query('select id_card_number from person_private limit 1'))).rejects.toThrow(
        /permission denied/,
      );
    }
  });

  it('person_personal: full once logged for the admin, masked for command, own cells only for the worker, nothing for the planner', async () => {
    const { rows: people } = await db().query<{ id: string; cell_code: string; own: boolean }>(
      `select e.id, e.cell_code, exists (select 1 from worker_cells w where w.user_id = $1 and w.cell_code = e.cell_code) own
       from entities e where e.kind = 'person' order by e.external_id limit 400`,
      [id('worker')],
    );
    const own = people.find((p) => p.own);
    const foreign = people.find((p) => !p.own);
    if (!own || !foreign) throw new Error('need a person in and out of the worker cells');
    // The log is written by a call of its own that commits, as the app (and PostgREST) make it.
    const logView = (role: string, entity: string) =>
      rpcAsUser<number | null>(db(), id(role), 'log_personal_view', { p_entity_id: entity });
    const views = async (entity: string) => count(db(), `select * from personal_data_views where entity_id = '${entity}'`);
    const before = await views(foreign.id);
    expect(await logView('admin', foreign.id)).not.toBeNull();
    expect(await views(foreign.id)).toBe(before + 1);
    await asUser(db(), id('admin'), async (tx) => {
      const full = await personal(tx, foreign.id);
      expect(full?.masked).toBe(false);
      expect(full?.idCardNumber).toMatch(/^\d{17}[\dX]$/);
      const { rows } = await tx.query<{ viewer: string; viewer_role: string; entity_id: string }>(
        'select viewer, viewer_role, entity_id from personal_data_views order by id desc limit 1',
      );
      expect(rows[0]).toEqual({ viewer: id('admin'), viewer_role: 'admin', entity_id: foreign.id });
    });
    // Command: masked, nothing to log; log_personal_view writes nothing for them.
    expect(await logView('command', foreign.id)).toBeNull();
    await asUser(db(), id('command'), async (tx) => {
      const masked = await personal(tx, foreign.id);
      expect(masked?.masked).toBe(true);
      expect(masked?.idCardNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
      expect(await count(tx, 'select * from personal_data_views')).toBe(0);
    });
    expect(await logView('worker', foreign.id)).toBeNull();
    await logView('worker', own.id);
    await asUser(db(), id('worker'), async (tx) => {
      expect((await personal(tx, own.id))?.masked).toBe(false);
      expect(await personal(tx, foreign.id)).toBeNull();
    });
    expect(await logView('planner', own.id)).toBeNull();
    await asUser(db(), id('planner'), async (tx) => {
      expect(await personal(tx, own.id)).toBeNull();
    });
    expect(await views(foreign.id)).toBe(before + 1);
  });

  it('the log of a personal view cannot be undone by its reader: no read without a committed log row', async () => {
    const { rows } = await db().query<{ id: string; id_card_number: string }>(
      `select p.entity_id id, p.id_card_number from person_private p join entities e on e.id = p.entity_id
       join worker_cells w on w.cell_code = e.cell_code and w.user_id = $1
       where p.id_card_number <> '' order by p.entity_id desc limit 1`,
      [id('worker')],
    );
    const person = rows[0];
    if (!person) throw new Error('need a person with an ID card number');
    const views = () => count(db(), `select * from personal_data_views where entity_id = '${person.id}'`);
    const before = await views();
    await asUser(db(), id('admin'), async (tx) => {
      // Not logged yet: refused, and the refusal does not carry the number (the cast would have).
      await tx.exec('savepoint by_cast');
      const cast = await tx.query(`select (person_personal($1) ->> 'idCardNumber')::bigint n`, [person.id]).catch((e: Error) => e);
      expect(cast).toBeInstanceOf(Error);
      expect(String((cast as Error).message)).toMatch(/only after the view has been logged/);
      expect(JSON.stringify(cast, Object.getOwnPropertyNames(cast))).not.toContain(person.id_card_number.slice(6, 14));
      await tx.exec('rollback to savepoint by_cast');
      // Logged in the reader's own transaction (in a savepoint or not), which it could roll back: refused.
      await tx.exec('savepoint logged');
      await tx.query('select log_personal_view($1)', [person.id]);
      await expect(tx.query('select person_personal($1) p', [person.id])).rejects.toThrow(/only after the view has been logged/);
      await tx.exec('rollback to savepoint logged');
    });
    expect(await views()).toBe(before);
    await rpcAsUser(db(), id('admin'), 'log_personal_view', { p_entity_id: person.id });
    // Read in a savepoint that is rolled back, in a transaction that is rolled back: the log stays.
    await asUser(db(), id('admin'), async (tx) => {
      await tx.exec('savepoint read');
      expect((await personal(tx, person.id))?.idCardNumber).toBe(person.id_card_number);
      await tx.exec('rollback to savepoint read');
    });
    expect(await views()).toBe(before + 1);
    // The row is the reader's own: the admin's log does not open the fields to the cell's grid worker.
    await asUser(db(), id('worker'), async (tx) => {
      await expect(tx.query('select person_personal($1) p', [person.id])).rejects.toThrow(/only after the view has been logged/);
    });
  });

  it('people are personal: the command centre sees where people are but not who; planners only counts', async () => {
    const { rows } = await db().query<{ id: string; name: string; cell_code: string; n: number; key_persons: number }>(
      `select e.id, e.name, e.cell_code,
              (select count(*)::int from entities x where x.kind = 'person' and x.cell_code = e.cell_code) n,
              (select count(*)::int from entities x where x.kind = 'person' and x.cell_code = e.cell_code and x.risk_level >= 2) key_persons
       from entities e where e.kind = 'person' and char_length(e.name) >= 2 order by e.external_id limit 1`,
    );
    const person = rows[0];
    if (!person) throw new Error('need a person');
    const detail = (tx: SqlClient) =>
      tx
        .query<{ d: { name: string; attributes: Record<string, unknown>; nameMasked: boolean } | null }>(
          `select point_detail('person', $1) d`,
          [person.id],
        )
        .then((r) => r.rows[0]?.d ?? null);
    const figures = async (tx: SqlClient) => {
      const { rows: f } = await tx.query<{ points: number; overview: number; cell: number; residents: number; key: number }>(
        `select jsonb_array_length(points_columns('person') -> 'ids') points,
                (district_overview() -> 'counts' ->> 'person')::int overview,
                (cell_detail($1) -> 'counts' ->> 'person')::int cell,
                (cell_class_inputs(now(), 90, null, $1) -> 0 ->> 'residents')::int residents,
                (cell_class_inputs(now(), 90, null, $1) -> 0 ->> 'keyPersons')::int key`,
        [person.cell_code],
      );
      return f[0];
    };
    for (const role of ['command', 'planner']) {
      await asUser(db(), id(role), async (tx) => {
        // No person row, by any query of the table.
        expect(await count(tx, `select * from entities where kind = 'person'`), role).toBe(0);
        expect(await count(tx, `select name from entities where id = '${person.id}'`), role).toBe(0);
        // The figures stay whole.
        const f = await figures(tx);
        expect(f?.overview, role).toBe(30_000);
        expect([f?.cell, f?.residents, f?.key], role).toEqual([person.n, person.n, person.key_persons]);
        if (role === 'command') {
          expect(f?.points).toBe(30_000);
          const d = await detail(tx);
          expect(d?.name).toBe(`${person.name.slice(0, 1)}${'*'.repeat(person.name.length - 1)}`);
          expect(d?.nameMasked).toBe(true);
          expect(Object.keys(d?.attributes ?? {}).sort()).toEqual(['key_person']);
        } else {
          expect(f?.points).toBe(0);
          expect(await detail(tx)).toBeNull();
        }
      });
    }
    // The admin's detail needs the view logged first (personal fields); the name is whole.
    await rpcAsUser(db(), id('admin'), 'log_personal_view', { p_entity_id: person.id });
    await asUser(db(), id('admin'), async (tx) => {
      const d = await detail(tx);
      expect([d?.name, d?.nameMasked]).toEqual([person.name, false]);
      const f = await figures(tx);
      expect([f?.points, f?.overview, f?.cell]).toEqual([30_000, 30_000, person.n]);
      expect(await count(tx, `select * from entities where kind = 'person'`)).toBe(30_000);
    });
    await asUser(db(), id('worker'), async (tx) => {
      const own = await count(tx, `select * from entities where kind = 'person'`);
      expect(own).toBeGreaterThan(0);
      const f = await figures(tx);
      expect([f?.points, f?.overview]).toEqual([own, own]);
    });
  });

  it("every policy asks the caller's role once per statement, never once per row", async () => {
    const { rows } = await db().query<{ policy: string; expression: string }>(
      `select tablename || ': ' || policyname policy, coalesce(qual, '') || ' ' || coalesce(with_check, '') expression
       from pg_policies where schemaname = 'public'`,
    );
    expect(rows.filter((r) => r.expression.includes('app_role()')).length).toBeGreaterThan(20);
    // Every call of app_role() sits in a scalar subquery, which PostgreSQL runs once (an InitPlan).
    const perRow = rows.filter((r) => r.expression.replaceAll('SELECT app_role()', '').includes('app_role()')).map((r) => r.policy);
    expect(perRow).toEqual([]);
  });

  it('anon: no table is readable', async () => {
    for (const table of ['cells', 'entities', 'person_private', 'events', 'members', 'admin_areas']) {
      await expect(asUser(db(), null, (tx) => tx.query(`select * from ${table} limit 1`))).rejects.toThrow(/permission denied/);
    }
  });

  it('authenticated non-member: sees no rows', async () => {
    const stranger = '00000000-0000-4000-8000-0000000000ff';
    await asUser(db(), stranger, async (tx) => {
      expect(await count(tx, 'select * from cells')).toBe(0);
      expect(await count(tx, 'select * from entities')).toBe(0);
      expect(await count(tx, 'select * from events')).toBe(0);
    });
  });

  it('admin: reads everything; changes cells only through the edit functions, never the history', async () => {
    await asUser(db(), id('admin'), async (tx) => {
      expect(await count(tx, 'select entity_id from person_private')).toBe(30_000);
      expect(await count(tx, 'select * from events')).toBe(20_000);
      // A direct write would skip versions, tiling and the history: refused, as forging the history is.
      for (const sql of [
        `update cells set geom = ST_Multi(ST_Buffer(geom, 0.001)) where code = (select min(code) from cells)`,
        `insert into cells (code, name, community_code, geom) select code, name, community_code, geom from cells limit 1`,
        `update cell_edits set reason = 'forged' where id = (select min(id) from cell_edits)`,
        `delete from cell_class_changes where id = (select min(id) from cell_class_changes)`,
        `update class_rule_sets set rules = rules where id = (select min(id) from class_rule_sets)`,
      ]) {
        await tx.exec('savepoint direct');
        await expect(tx.query(sql), sql).rejects.toThrow(/permission denied/);
        await tx.exec('rollback to savepoint direct');
      }
    });
  });

  it('the history is append-only for everyone, the owner too; the log of personal views outlives the person', async () => {
    await rolledBack(db(), async (tx) => {
      // An edit in the history (the demo has none yet).
      await tx.query(`insert into cell_edits (operation, reason, community_codes, after_cells) values ('split', 'a road', '{}', '{}')`);
      for (const sql of [
        `update cell_edits set reason = 'forged' where id = (select min(id) from cell_edits)`,
        `delete from cell_edits where id = (select min(id) from cell_edits)`,
        `update cell_class_changes set reason = 'forged' where id = (select min(id) from cell_class_changes)`,
        `delete from class_rule_sets where id = (select min(id) from class_rule_sets)`,
      ]) {
        await tx.exec('savepoint owner');
        await expect(tx.query(sql), sql).rejects.toThrow(/is a history/);
        await tx.exec('rollback to savepoint owner');
      }
      const person = (await tx.query<{ id: string }>(`select entity_id id from person_private order by entity_id limit 1`)).rows[0]?.id;
      await tx.query(`insert into personal_data_views (viewer, viewer_role, entity_id) values ($1, 'admin', $2)`, [id('admin'), person]);
      await tx.query('delete from person_private where entity_id = $1', [person]);
      await tx.query('delete from entities where id = $1', [person]);
      expect(await count(tx, `select * from personal_data_views where entity_id = '${person}'`)).toBe(1);
    });
  });

  it('command: reads everything, updates events, cannot edit cells', async () => {
    await asUser(db(), id('command'), async (tx) => {
      expect(await count(tx, 'select * from cells where valid_to is null')).toBeGreaterThan(500);
      const updated = await tx.query(`update events set status = 'dispatched' where external_id = 'E0000001' returning id`);
      expect(updated.rows).toHaveLength(1);
      await expect(tx.query(`update cells set name = 'x' where code = (select min(code) from cells) returning code`)).rejects.toThrow(
        /permission denied/,
      );
    });
  });

  it('planner: reads cells, entities other than people and events, never personal fields, and writes nothing', async () => {
    await asUser(db(), id('planner'), async (tx) => {
      expect(await count(tx, 'select * from entities')).toBe(7_500);
      expect(await count(tx, 'select entity_id from person_private')).toBe(0);
      const edited = await tx.query(`update events set status = 'closed' where external_id = 'E0000001' returning id`);
      expect(edited.rows).toHaveLength(0);
    });
  });

  it('worker: sees only own cells and what is in them, and reports events only there', async () => {
    const { rows: own } = await db().query<{ cell_code: string }>('select cell_code from worker_cells where user_id = $1', [id('worker')]);
    expect(own.length).toBeGreaterThan(0);
    const { rows: inOwn } = await db().query<{ n: number }>(
      `select count(*)::int n from person_private p join entities e on e.id = p.entity_id
       where e.cell_code in (select cell_code from worker_cells where user_id = $1)`,
      [id('worker')],
    );
    await asUser(db(), id('worker'), async (tx) => {
      expect(await count(tx, 'select * from cells where valid_to is null')).toBe(own.length);
      expect(await count(tx, 'select entity_id from person_private')).toBe(inOwn[0]?.n);
      expect(await count(tx, `select * from events where cell_code not in (select cell_code from worker_cells)`)).toBe(0);
      const inside = await tx.query<{ lng: number; lat: number }>(
        `select ST_X(ST_PointOnSurface(geom)) lng, ST_Y(ST_PointOnSurface(geom)) lat from cells where valid_to is null limit 1`,
      );
      const p = inside.rows[0];
      if (!p) throw new Error('worker sees no cell');
      await tx.query(
        `insert into events (external_id, category, severity, source, occurred_at, reported_by, geom)
         values ('E-worker-own', '设施损坏', 2, 'grid_worker', now(), $1, ST_SetSRID(ST_MakePoint($2, $3), 4326))`,
        [id('worker'), p.lng, p.lat],
      );
    });
    await expect(
      asUser(db(), id('worker'), (tx) =>
        tx.query(
          `insert into events (external_id, category, severity, source, occurred_at, reported_by, geom)
           values ('E-worker-foreign', '设施损坏', 2, 'grid_worker', now(), $1, ST_SetSRID(ST_MakePoint(112.99, 28.2), 4326))`,
          [id('worker')],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
