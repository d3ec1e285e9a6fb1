import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { RiskGovernance } from '../../src/domain/governance';
import { actAs, failure, ownCell, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

const governance = async (tx: SqlClient, cell: string | null, category: string | null = null, days = 90) =>
  (await tx.query<{ r: RiskGovernance }>('select risk_governance($1, $2, $3) r', [cell, category, days])).rows[0]?.r as RiskGovernance;

/** A category no demo event or case has: what a test adds is all there is of it. */
const CATEGORY = '测试治理类别';

describeEachDatabase('the risk governance stages', (db) => {
  let own: { code: string; lon: number; lat: number } = { code: '', lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    own = await ownCell(db());
  });

  it("counts a cell's events by source and category as identified, its risk index against the district's as assessed, its class as classified", async () => {
    await rolledBack(db(), async (tx) => {
      await tx.exec(`update events set occurred_at = now() - interval '3 days' where cell_code = '${own.code}'`);
      await actAs(tx, id('command'));
      const g = await governance(tx, own.code);
      await tx.exec('reset role');
      const { rows } = await tx.query<{ n: number; sources: Record<string, number>; hazards: number }>(
        `select (select count(*)::int from events where cell_code = $1 and occurred_at >= now() - interval '90 days' and occurred_at <= now()) n,
                (select count(*)::int from entities where cell_code = $1 and kind in ('place', 'organisation') and risk_level >= 2) hazards`,
        [own.code],
      );
      expect(g.scope).toMatchObject({ cellCode: own.code, category: null, days: 90 });
      expect(g.identify.events).toBe(rows[0]?.n);
      expect(g.identify.events).toBeGreaterThan(0);
      expect(Object.values(g.identify.bySource).reduce((a, b) => a + b, 0)).toBe(g.identify.events);
      expect(Object.values(g.assess.bySeverity).reduce((a, b) => a + b, 0)).toBe(g.identify.events);
      expect(g.identify.hazardSites).toBe(rows[0]?.hazards);
      const { rows: index } = await tx.query<{ risk: number; rank: number; median: number; cells: number; class: string }>(
        `with a as (select c.code, coalesce(r.risk_index, 0) risk from cells c left join cell_risk_indexes() r on r.code = c.code where c.valid_to is null)
         select round((select risk from a where code = $1)::numeric, 2)::float8 risk,
                (select count(*)::int + 1 from a where risk > (select risk from a where code = $1)) rank,
                round(percentile_cont(0.5) within group (order by risk)::numeric, 2)::float8 median, count(*)::int cells,
                (select class from cells where code = $1 and valid_to is null) class
         from a`,
        [own.code],
      );
      expect(g.assess).toMatchObject({
        riskIndex: index[0]?.risk,
        rank: index[0]?.rank,
        districtMedian: index[0]?.median,
        cells: index[0]?.cells,
      });
      expect(g.classify).toMatchObject({ class: index[0]?.class, classSource: 'rule', byClass: null });
      // The district: no cell's index or class, its cells by class instead.
      await actAs(tx, id('command'));
      const district = await governance(tx, null);
      expect(district.assess.riskIndex).toBeNull();
      expect(district.identify.events).toBeGreaterThanOrEqual(g.identify.events);
      const byClass = district.classify.byClass as Record<'A' | 'B' | 'C', number>;
      expect(byClass.A + byClass.B + byClass.C).toBe(index[0]?.cells);
    });
  });

  it('follows a category through the decision and the control: registered, dispatched, closed and how fast; the quadrant; a patrol', async () => {
    await rolledBack(db(), async (tx) => {
      await tx.query(`insert into risk_matrix (category, risk, responsibility, note) values ($1, 'low', 'high', '低风险高责任')`, [
        CATEGORY,
      ]);
      await tx.query(
        `insert into events (external_id, category, severity, source, occurred_at, geom)
         select 'gov-' || g, $3, 1 + g % 4, case when g % 2 = 0 then 'grid_worker' else 'citizen' end, now() - make_interval(days => g),
                ST_SetSRID(ST_MakePoint($1, $2), 4326)
         from generate_series(1, 6) g`,
        [own.lon, own.lat, CATEGORY],
      );
      const empty = await (async () => {
        await actAs(tx, id('command'));
        return governance(tx, own.code, CATEGORY);
      })();
      expect(empty.identify).toMatchObject({
        events: 6,
        bySource: { grid_worker: 3, citizen: 3 },
        byCategory: [{ category: CATEGORY, events: 6 }],
      });
      expect(empty.classify.quadrant).toEqual({ risk: 'low', responsibility: 'high', note: '低风险高责任' });
      expect(empty.decide).toMatchObject({ cases: 0, registered: 0 });

      // Three cases: one closed, one rejected, one waiting to be registered.
      await actAs(tx, id('worker'));
      const report = async () =>
        (
          await tx.query<{ id: string }>(`select r ->> 'id' id from report_case('grid_worker', $3, 2, '治理测试', $1, $2) r`, [
            own.lon,
            own.lat,
            CATEGORY,
          ])
        ).rows[0]?.id as string;
      const done = await report();
      const rejected = await report();
      await report();
      await actAs(tx, id('command'));
      await step(tx, done, 'register');
      await step(tx, done, 'dispatch', '', 'urban');
      await step(tx, rejected, 'reject', '重复上报');
      await actAs(tx, URBAN_OFFICER);
      await step(tx, done, 'start');
      await step(tx, done, 'answer', '已处置');
      await actAs(tx, id('worker'));
      await step(tx, done, 'verify');
      await tx.query('select start_patrol($1, gen_random_uuid()) r', [own.code]);

      await actAs(tx, id('command'));
      const g = await governance(tx, own.code, CATEGORY);
      expect(g.decide).toMatchObject({ cases: 3, registered: 1, rejected: 1, dispatched: 1, escalated: 0, whistles: 0 });
      expect(g.decide.byDepartment).toEqual([{ departmentId: 'urban', name: expect.any(String), cases: 1 }]);
      expect(g.carryOut).toMatchObject({ open: 1, closed: 1, inProgress: 0, answered: 0, patrols: 1 });
      expect(g.carryOut.medianHoursToClose).toBeGreaterThanOrEqual(0);
      expect(g.carryOut.lastPatrolAt).not.toBeNull();
      // Another period: nothing of it a year and more ago.
      const days = await governance(tx, own.code, CATEGORY, 1);
      expect(days.identify.events).toBe(1);
    });
  });

  it("shows a grid worker only their cells' figures, refuses a cell they may not read, anon and a bad period", async () => {
    await rolledBack(db(), async (tx) => {
      const other = (
        await tx.query<{ code: string }>(
          `select code from cells where valid_to is null and code not in (select cell_code from worker_cells where user_id = $1) order by code limit 1`,
          [id('worker')],
        )
      ).rows[0]?.code as string;
      await actAs(tx, id('command'));
      const all = await governance(tx, null);
      await actAs(tx, id('worker'));
      const mine = await governance(tx, null);
      expect(mine.identify.events).toBeLessThan(all.identify.events);
      expect(mine.assess.cells).toBeLessThan(all.assess.cells);
      expect((await failure(tx, () => governance(tx, other))).code).toBe('P0002');
      expect((await failure(tx, () => governance(tx, own.code, null, 0))).code).toBe('22023');
      await tx.exec('reset role');
      await tx.exec('set local role anon');
      await tx.query(`select set_config('request.jwt.claims', '{"role":"anon"}', true)`);
      expect((await failure(tx, () => governance(tx, null))).code).toBe('42501');
    });
  });
});
