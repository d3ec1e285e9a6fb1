import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { MyCell } from '../../src/domain/live';
import { actAs, failure, ownCell, seedDepartments } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

const myCells = async (tx: SqlClient) => (await tx.query<{ r: MyCell[] }>('select my_cells() r')).rows[0]?.r as MyCell[];

describeEachDatabase("the grid worker's own cells", (db) => {
  let own: { code: string; lon: number; lat: number } = { code: '', lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    own = await ownCell(db());
  });

  it('lists exactly the cells assigned to the worker, with class, community, box and a point inside', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const cells = await myCells(tx);
      await tx.exec('reset role');
      const { rows } = await tx.query<{ code: string; name: string; class: string | null; community: string | null }>(
        `select c.code, c.name, c.class, a.name community from worker_cells w join cells c on c.code = w.cell_code and c.valid_to is null
         left join admin_areas a on a.code = c.community_code where w.user_id = $1 order by c.code`,
        [id('worker')],
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(cells.map((c) => [c.code, c.name, c.class, c.communityName])).toEqual(rows.map((r) => [r.code, r.name, r.class, r.community]));
      for (const c of cells) {
        const [w, s, e, n] = c.bbox;
        expect(c.lngLat[0]).toBeGreaterThanOrEqual(w);
        expect(c.lngLat[0]).toBeLessThanOrEqual(e);
        expect(c.lngLat[1]).toBeGreaterThanOrEqual(s);
        expect(c.lngLat[1]).toBeLessThanOrEqual(n);
        const { rows: inside } = await tx.query<{ ok: boolean }>(
          'select ST_Intersects(geom, ST_SetSRID(ST_MakePoint($2, $3), 4326)) ok from cells where code = $1 and valid_to is null',
          [c.code, c.lngLat[0], c.lngLat[1]],
        );
        expect(inside[0]?.ok).toBe(true);
      }
    });
  });

  it("counts a cell's open and overdue cases with the nearest deadline, its week's events and latest event, and its latest patrol", async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const before = (await myCells(tx)).find((c) => c.code === own.code) as MyCell;
      const { rows: reported } = await tx.query<{ id: string }>(
        `select r ->> 'id' id from report_case('grid_worker', '环境污染', 3, '河道排污', $1, $2) r`,
        [own.lon, own.lat],
      );
      await tx.exec('reset role');
      await tx.query(`update cases set deadline_at = now() - interval '2 hours' where id = $1`, [reported[0]?.id]);
      await tx.query(
        `insert into events (external_id, category, severity, source, occurred_at, geom)
         select 'home-' || g, '火灾', 3, 'sensor', now() - make_interval(days => g), ST_SetSRID(ST_MakePoint($1, $2), 4326)
         from generate_series(1, 10) g`,
        [own.lon, own.lat],
      );
      await actAs(tx, id('worker'));
      await tx.query('select start_patrol($1, $2) r', [own.code, randomUUID()]);
      const after = (await myCells(tx)).find((c) => c.code === own.code) as MyCell;
      expect(after.openCases).toBe(before.openCases + 1);
      expect(after.overdue).toBe(before.overdue + 1);
      // The overdue case's deadline is the nearest one.
      expect(Date.parse(after.nextDeadline as string)).toBeLessThanOrEqual(Date.now() - 3600_000);
      // Days 1 to 6 are inside the last 7 days (day 7 is on its edge, 8 to 10 outside).
      expect(after.eventsWeek - before.eventsWeek).toBeGreaterThanOrEqual(6);
      expect(after.eventsWeek - before.eventsWeek).toBeLessThanOrEqual(7);
      expect(Date.parse(after.lastEventAt as string)).toBeGreaterThan(Date.now() - 2 * 86400_000);
      expect(after.riskIndex).toBeGreaterThan(before.riskIndex);
      expect(after.lastPatrol).toMatchObject({ endedAt: null, workerName: '王芳' });
    });
  });

  it('gives members without cells of their own an empty list and refuses anon', async () => {
    await rolledBack(db(), async (tx) => {
      for (const role of ['admin', 'command', 'planner']) {
        await actAs(tx, id(role));
        expect(await myCells(tx)).toEqual([]);
      }
      await tx.exec('reset role');
      await tx.exec('set local role anon');
      await tx.query(`select set_config('request.jwt.claims', '{"role":"anon"}', true)`);
      expect((await failure(tx, () => myCells(tx))).code).toBe('42501');
    });
  });
});
