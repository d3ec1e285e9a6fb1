import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { LiveNow, LiveStreet } from '../../src/domain/live';
import { actAs, failure, pointInWorkerCells, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

const liveNow = async (tx: SqlClient, feedLimit = 30) =>
  (await tx.query<{ r: LiveNow }>('select live_now($1) r', [feedLimit])).rows[0]?.r as LiveNow;

const liveStreets = async (tx: SqlClient) => (await tx.query<{ r: LiveStreet[] }>('select live_streets() r')).rows[0]?.r as LiveStreet[];

/** The street whose cells hold a point. */
const streetAt = async (tx: SqlClient, at: { lon: number; lat: number }) =>
  (
    await tx.query<{ code: string }>(
      `select a.parent_code code from cells c join admin_areas a on a.code = c.community_code
       where c.valid_to is null and ST_Intersects(c.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
      [at.lon, at.lat],
    )
  ).rows[0]?.code as string;

const reportAt = async (tx: SqlClient, at: { lon: number; lat: number }, category = '环境污染') =>
  (
    await tx.query<{ id: string; code: string }>(
      `select r ->> 'id' id, r ->> 'code' code from report_case('hotline', $3, 3, '河道排污', $1, $2) r`,
      [at.lon, at.lat, category],
    )
  ).rows[0] as { id: string; code: string };

const classOf = async (tx: SqlClient, at: { lon: number; lat: number }) =>
  (
    await tx.query<{ class: 'A' | 'B' | 'C' }>(
      'select class from cells where valid_to is null and ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))',
      [at.lon, at.lat],
    )
  ).rows[0]?.class as 'A' | 'B' | 'C';

describeEachDatabase('the live "now" view', (db) => {
  let outside = { lon: 0, lat: 0 };
  let inside = { lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    outside = await pointInWorkerCells(db(), false);
    inside = await pointInWorkerCells(db(), true);
  });

  it("counts today's cases, the open ones by their cell's class, the overdue by stage and the whistles awaiting, and feeds each step", async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const before = await liveNow(tx);
      const reported = await reportAt(tx, outside);
      const cls = await classOf(tx, outside);
      let now = await liveNow(tx);
      expect(now.casesToday).toBe(before.casesToday + 1);
      expect(now.openCases).toBe(before.openCases + 1);
      expect(now.openByClass[cls]).toBe(before.openByClass[cls] + 1);
      const reportStep = now.feed.find((f) => f.kind === 'case' && f.caseId === reported.id);
      expect(reportStep).toMatchObject({ caseCode: reported.code, category: '环境污染', severity: 3, state: 'reported' });
      expect(reportStep?.lngLat[0]).toBeCloseTo(outside.lon, 9);
      expect(reportStep?.lngLat[1]).toBeCloseTo(outside.lat, 9);

      await step(tx, reported.id, 'register');
      await tx.query(`select blow_whistle($1, '["env","urban"]', '请两部门到场', 2)`, [reported.id]);
      now = await liveNow(tx);
      expect(now.whistlesAwaiting).toBe(before.whistlesAwaiting + 2);
      expect(now.feed.filter((f) => f.caseId === reported.id).map((f) => f.action)).toEqual(
        expect.arrayContaining(['report', 'register', 'whistle']),
      );

      // Its deadline passes: overdue in its stage.
      await tx.exec('reset role');
      await tx.query(`update cases set deadline_at = now() - interval '1 hour' where id = $1`, [reported.id]);
      await actAs(tx, id('command'));
      now = await liveNow(tx);
      expect(now.overdueByStage.registered ?? 0).toBe((before.overdueByStage.registered ?? 0) + 1);
    });
  });

  it("counts today's events (in the working time's zone) and lists the latest recorded first", async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const before = await liveNow(tx);
      // Midnight where the cases are worked (Asia/Shanghai in the demo).
      const midnight = new Date(before.dayStart).toLocaleString('en-GB', { timeZone: 'Asia/Shanghai', hour12: false });
      expect(midnight.endsWith('00:00:00')).toBe(true);
      await tx.exec('reset role');
      await tx.query(
        `insert into events (external_id, category, severity, source, occurred_at, geom) values
           ('live-1', '治安', 2, 'citizen', now(), ST_SetSRID(ST_MakePoint($1, $2), 4326)),
           ('live-2', '治安', 2, 'citizen', $3::timestamptz - interval '1 minute', ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
        [outside.lon, outside.lat, before.dayStart],
      );
      await actAs(tx, id('command'));
      const now = await liveNow(tx, 5);
      // The one before midnight is not today's.
      expect(now.eventsToday).toBe(before.eventsToday + 1);
      expect(now.feed).toHaveLength(5);
      expect(now.feed.filter((f) => f.kind === 'event' && f.category === '治安' && f.severity === 2)).toHaveLength(2);
    });
  });

  it('ranks the cells by the risk index the inspector shows (90 days of events by severity, halved every 30 days, plus hazard sites, per km²)', async () => {
    await rolledBack(db(), async (tx) => {
      await tx.query(
        `insert into events (external_id, category, severity, source, occurred_at, geom)
         select 'hot-' || g, '火灾', 4, 'sensor', now() - interval '1 day', ST_SetSRID(ST_MakePoint($1, $2), 4326)
         from generate_series(1, 400) g`,
        [outside.lon, outside.lat],
      );
      const { rows } = await tx.query<{ code: string; index: number }>(
        `select c.code, ((select sum(e.severity * power(0.5, extract(epoch from (now() - e.occurred_at)) / 86400.0 / 30)) from events e
                  where e.cell_code = c.code and e.occurred_at >= now() - interval '90 days' and e.occurred_at < now())
                 + (select count(*) from entities n where n.cell_code = c.code and n.kind in ('place', 'organisation') and n.risk_level >= 2))
                / (ST_Area(c.geom::geography) / 1e6) index
         from cells c where c.valid_to is null and ST_Intersects(c.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
        [outside.lon, outside.lat],
      );
      const hot = rows[0] as { code: string; index: number };
      await actAs(tx, id('command'));
      const now = await liveNow(tx);
      expect(now.topCells).toHaveLength(5);
      expect(now.topCells[0]?.code).toBe(hot.code);
      expect(now.topCells[0]?.riskIndex).toBeCloseTo(hot.index, 2);
      expect(now.topCells[0]?.events).toBeGreaterThanOrEqual(400);
      const indexes = now.topCells.map((c) => c.riskIndex);
      expect([...indexes].sort((a, b) => b - a)).toEqual(indexes);
    });
  });

  it("gives the district's complaint rates of the month as the streets' counts make them", async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const now = await liveNow(tx);
      const { rows } = await tx.query<{ r: { rows: Record<string, number>[] } }>(
        `select complaint_rates('street', $1, ($1::timestamptz at time zone 'Asia/Shanghai' + interval '1 month') at time zone 'Asia/Shanghai') r`,
        [now.monthStart],
      );
      const streets = rows[0]?.r.rows ?? [];
      const sum = (key: string) => streets.reduce((s, r) => s + Number(r[key] ?? 0), 0);
      expect(now.complaintRates.complaints).toBe(sum('complaints'));
      const response = sum('due') > 0 ? Math.round((sum('responded') / sum('due')) * 1e4) / 1e4 : null;
      expect(now.complaintRates.responseRate).toBe(response);
    });
  });

  it('shows a grid worker only their cells and own reports, a department only its cases; anon is refused', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const workerBefore = await liveNow(tx);
      await actAs(tx, URBAN_OFFICER);
      const departmentBefore = await liveNow(tx);
      await actAs(tx, id('command'));
      const elsewhere = await reportAt(tx, outside);
      await step(tx, elsewhere.id, 'register');
      await step(tx, elsewhere.id, 'dispatch', '', 'urban');

      await actAs(tx, id('worker'));
      let worker = await liveNow(tx);
      expect(worker.casesToday).toBe(workerBefore.casesToday);
      expect(worker.feed.some((f) => f.caseId === elsewhere.id)).toBe(false);
      const own = await reportAt(tx, inside, '市容环境');
      worker = await liveNow(tx);
      expect(worker.casesToday).toBe(workerBefore.casesToday + 1);
      expect(worker.feed.some((f) => f.caseId === own.id)).toBe(true);

      await actAs(tx, URBAN_OFFICER);
      const department = await liveNow(tx);
      expect(department.openCases).toBe(departmentBefore.openCases + 1);
      expect(department.feed.some((f) => f.caseId === elsewhere.id)).toBe(true);
      expect(department.feed.some((f) => f.caseId === own.id)).toBe(false);

      await tx.exec('reset role');
      await tx.exec('set local role anon');
      await tx.query(`select set_config('request.jwt.claims', '{"role":"anon"}', true)`);
      expect((await failure(tx, () => liveNow(tx))).code).toBe('42501');
      await actAs(tx, id('command'));
      expect((await failure(tx, () => liveNow(tx, 0))).code).toBe('22023');
    });
  });

  it("gives each street's figures for the wall screen: cells, open and overdue cases, events, the cell of highest risk", async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const before = await liveStreets(tx);
      const { rows: streets } = await tx.query<{ code: string; cells: number; a: number }>(
        `select s.code, count(c.code)::int cells, (count(c.code) filter (where c.class = 'A'))::int a
         from admin_areas s left join admin_areas m on m.parent_code = s.code
         left join cells c on c.community_code = m.code and c.valid_to is null
         where s.level = 'street' group by s.code order by s.code`,
      );
      expect(before.map((s) => [s.code, s.cells, s.cellsA])).toEqual(streets.map((s) => [s.code, s.cells, s.a]));
      const code = await streetAt(tx, outside);
      const street = before.find((s) => s.code === code) as LiveStreet;
      const [w, s, e, n] = street.bbox;
      expect(outside.lon).toBeGreaterThan(w);
      expect(outside.lon).toBeLessThan(e);
      expect(outside.lat).toBeGreaterThan(s);
      expect(outside.lat).toBeLessThan(n);

      const reported = await reportAt(tx, outside);
      await tx.exec('reset role');
      await tx.query(`update cases set deadline_at = now() - interval '1 hour' where id = $1`, [reported.id]);
      await tx.query(
        `insert into events (external_id, category, severity, source, occurred_at, geom)
         select 'street-' || g, '火灾', 4, 'sensor', now() - interval '1 minute', ST_SetSRID(ST_MakePoint($1, $2), 4326)
         from generate_series(1, 300) g`,
        [outside.lon, outside.lat],
      );
      await actAs(tx, id('command'));
      const after = (await liveStreets(tx)).find((s) => s.code === code) as LiveStreet;
      expect(after.openCases).toBe(street.openCases + 1);
      expect(after.overdue).toBe(street.overdue + 1);
      expect(after.eventsToday).toBe(street.eventsToday + 300);
      expect(after.eventsWeek).toBe(street.eventsWeek + 300);
      // So many fires make the cell the street's riskiest, as the live view's list ranks it.
      const top = (await liveNow(tx)).topCells[0];
      expect(after.topCell).toMatchObject({ code: top?.code, riskIndex: top?.riskIndex });
      const { rows: indexes } = await tx.query<{ code: string }>(
        'select code from cell_risk_indexes() order by risk_index desc, code limit 1',
      );
      expect(indexes[0]?.code).toBe(top?.code);
    });
  });

  it("shows a grid worker the streets' figures of their cells' cases only; anon is refused", async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const workerBefore = await liveStreets(tx);
      await actAs(tx, id('command'));
      await reportAt(tx, outside);
      const code = await streetAt(tx, outside);
      await actAs(tx, id('worker'));
      const worker = await liveStreets(tx);
      expect(worker.find((s) => s.code === code)?.openCases).toBe(workerBefore.find((s) => s.code === code)?.openCases);
      // The streets count the cells the worker may read, no others.
      const cells = worker.reduce((n, s) => n + s.cells, 0);
      const { rows } = await tx.query<{ n: number }>('select count(*)::int n from cells where valid_to is null');
      expect(cells).toBe(rows[0]?.n);
      await tx.exec('reset role');
      await tx.exec('set local role anon');
      await tx.query(`select set_config('request.jwt.claims', '{"role":"anon"}', true)`);
      expect((await failure(tx, () => liveStreets(tx))).code).toBe('42501');
    });
  });
});
