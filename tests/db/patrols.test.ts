import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { Patrol } from '../../src/domain/live';
import { actAs, failure, seedDepartments, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

const call = async (tx: SqlClient, sql: string, params: unknown[]) => (await tx.query<{ r: Patrol }>(sql, params)).rows[0]?.r as Patrol;
const start = (tx: SqlClient, cell: string, key: string, positions: unknown[] = []) =>
  call(tx, 'select start_patrol($1, $2, $3) r', [cell, key, JSON.stringify(positions)]);

describeEachDatabase('patrols', (db) => {
  let own = '';
  let other = '';
  let at: [number, number] = [0, 0];
  beforeAll(async () => {
    await seedDepartments(db());
    const { rows } = await db().query<{ code: string; lon: number; lat: number }>(
      `select c.code, ST_X(ST_PointOnSurface(c.geom)) lon, ST_Y(ST_PointOnSurface(c.geom)) lat from cells c join worker_cells w on w.cell_code = c.code
       where c.valid_to is null and w.user_id = $1 order by c.code limit 1`,
      [id('worker')],
    );
    own = rows[0]?.code as string;
    at = [rows[0]?.lon as number, rows[0]?.lat as number];
    other = (
      await db().query<{ code: string }>(
        'select code from cells where valid_to is null and code not in (select cell_code from worker_cells) order by code limit 1',
      )
    ).rows[0]?.code as string;
  });

  it('the grid worker patrols a cell of theirs: start, positions, end with a note; the track is measured; a start sent twice is one patrol', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const key = randomUUID();
      const t0 = Date.parse('2026-12-06T09:00:00+08:00');
      const started = await start(tx, own, key, [[at[0], at[1], t0]]);
      expect(started).toMatchObject({ cellCode: own, workerName: '王芳', endedAt: null, positions: 1, lengthMeters: 0 });
      // The phone sends the start again (the answer was lost): the same patrol.
      expect((await start(tx, own, key)).id).toBe(started.id);
      // One patrol at a time.
      const second = await failure(tx, () => start(tx, own, randomUUID()));
      expect(second).toMatchObject({ code: '23505', message: expect.stringContaining(own) });

      // About 111 m north, then a bad position refused by its place.
      const moved = await call(tx, 'select add_patrol_positions($1, $2) r', [
        started.id,
        JSON.stringify([[at[0], at[1] + 0.001, t0 + 60_000]]),
      ]);
      expect(moved.positions).toBe(2);
      expect(moved.lengthMeters).toBeGreaterThan(105);
      expect(moved.lengthMeters).toBeLessThan(115);
      const bad = await failure(tx, () =>
        call(tx, 'select add_patrol_positions($1, $2) r', [
          started.id,
          JSON.stringify([
            [at[0], at[1], t0],
            [0, 0, t0],
          ]),
        ]),
      );
      expect(bad).toMatchObject({ code: '22023', message: expect.stringContaining('position 2') });

      const ended = await call(tx, 'select end_patrol($1, $2, $3) r', [
        started.id,
        '道路通畅，无异常',
        JSON.stringify([[at[0], at[1], t0 + 120_000]]),
      ]);
      expect(ended).toMatchObject({ note: '道路通畅，无异常', positions: 3 });
      expect(ended.endedAt).not.toBeNull();
      expect(ended.track).toHaveLength(3);
      // Ended twice (sent again): as it ended; no more positions.
      expect((await call(tx, 'select end_patrol($1, $2) r', [started.id, '另一条'])).note).toBe('道路通畅，无异常');
      expect((await failure(tx, () => call(tx, 'select add_patrol_positions($1, $2) r', [started.id, '[]']))).code).toBe('22023');

      // The cell's inspector and the command centre see it; under way: none now.
      const patrols = (await tx.query<{ r: Patrol[] }>('select cell_patrols($1) r', [own])).rows[0]?.r ?? [];
      expect(patrols.map((p) => p.id)).toEqual([started.id]);
      await actAs(tx, id('command'));
      expect(((await tx.query<{ r: Patrol[] }>('select cell_patrols($1) r', [own])).rows[0]?.r ?? []).map((p) => p.note)).toEqual([
        '道路通畅，无异常',
      ]);
      expect(((await tx.query<{ r: Patrol[] }>('select patrols_under_way() r')).rows[0]?.r ?? []).some((p) => p.id === started.id)).toBe(
        false,
      );
    });
  });

  it('only the grid worker of a cell patrols it; others read by role; a key is its owner’s', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      expect((await failure(tx, () => start(tx, other, randomUUID()))).code).toBe('42501');
      const key = randomUUID();
      const started = await start(tx, own, key);
      for (const who of [id('command'), id('admin'), id('planner'), URBAN_OFFICER]) {
        await actAs(tx, who);
        expect((await failure(tx, () => start(tx, own, randomUUID()))).code).toBe('42501');
        // Someone else's key, or someone else's patrol to end: refused.
        expect((await failure(tx, () => start(tx, own, key))).code).toBe('42501');
        expect((await failure(tx, () => call(tx, 'select end_patrol($1) r', [started.id]))).code).toBe('P0002');
        const underWay = (await tx.query<{ r: Patrol[] }>('select patrols_under_way() r')).rows[0]?.r ?? [];
        expect(underWay.some((p) => p.id === started.id)).toBe(who !== URBAN_OFFICER);
      }
      expect((await failure(tx, () => tx.query('select start_patrol($1, null)', [own]))).code).toBe('22023');
    });
  });
});
