import type { MultiPolygon } from 'geojson';
import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { AlertsNow } from '../../src/domain/live';
import { giStar, hotspotClasses, queenWeights, spaceTimeTrend } from '../../src/geo/gi-star';
import { actAs, failure } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

type Trend = {
  code: string;
  events_before: number;
  events_after: number;
  z_before: number;
  z_after: number;
  class_before: number;
  class_after: number;
  trend: string | null;
};

/** 120 days against the 120 before: the demo's events fall in both. */
const WINDOW_HOURS = 24 * 120;

/** The browser's Gi* (src/geo/gi-star.ts) on the same counts: the oracle the database is held to. */
async function browserTrends(tx: SqlClient, category: string | null): Promise<Map<string, Omit<Trend, 'code'>>> {
  const { rows } = await tx.query<{ code: string; geometry: MultiPolygon; before: number; after: number }>(
    `select c.code, ST_AsGeoJSON(c.geom)::json geometry,
            (select count(*)::int from events e where e.cell_code = c.code and ($2::text is null or e.category = $2)
               and e.occurred_at > now() - make_interval(hours => 2 * $1::int) and e.occurred_at <= now() - make_interval(hours => $1::int)) before,
            (select count(*)::int from events e where e.cell_code = c.code and ($2::text is null or e.category = $2)
               and e.occurred_at > now() - make_interval(hours => $1::int) and e.occurred_at <= now()) after
     from cells c where c.valid_to is null order by c.code`,
    [WINDOW_HOURS, category],
  );
  const weights = queenWeights(rows.map((r) => r.geometry));
  const before = giStar(
    rows.map((r) => r.before),
    weights,
  );
  const after = giStar(
    rows.map((r) => r.after),
    weights,
  );
  const classBefore = hotspotClasses(before);
  const classAfter = hotspotClasses(after);
  return new Map(
    rows.map((r, i) => {
      const cb = classBefore[i] as number;
      const ca = classAfter[i] as number;
      const zb = before.z[i] as number;
      const za = after.z[i] as number;
      return [
        r.code,
        {
          events_before: r.before,
          events_after: r.after,
          z_before: zb,
          z_after: za,
          class_before: cb,
          class_after: ca,
          trend: spaceTimeTrend(cb, ca, zb, za),
        },
      ];
    }),
  );
}

const databaseTrends = async (tx: SqlClient, category: string | null) =>
  (await tx.query<Trend>('select * from cell_hotspot_trends($1, $2) order by code', [WINDOW_HOURS, category])).rows;

describeEachDatabase('hot-spot alerts', (db) => {
  let category = '';
  beforeAll(async () => {
    const { rows } = await db().query<{ category: string }>('select category from events group by category order by count(*) desc limit 1');
    category = rows[0]?.category as string;
  });

  it("computes every cell's Gi* class and trend as the browser does, for all events and for one category", async () => {
    for (const of of [null, category]) {
      const oracle = await browserTrends(db(), of);
      const mine = await databaseTrends(db(), of);
      expect(mine).toHaveLength(oracle.size);
      for (const row of mine) {
        const o = oracle.get(row.code);
        expect(o, row.code).toBeDefined();
        expect([row.code, row.events_before, row.events_after, row.class_before, row.class_after, row.trend]).toEqual([
          row.code,
          o?.events_before,
          o?.events_after,
          o?.class_before,
          o?.class_after,
          o?.trend,
        ]);
        expect(row.z_before).toBeCloseTo(o?.z_before as number, 9);
        expect(row.z_after).toBeCloseTo(o?.z_after as number, 9);
      }
      // The demo has hot spots of every kind to compare, not only quiet cells.
      if (of === null)
        expect(new Set(mine.map((r) => r.trend))).toEqual(new Set([null, 'new', 'intensifying', 'persistent', 'diminishing']));
      expect(mine.some((r) => r.trend === 'new' || r.trend === 'intensifying')).toBe(true);
    }
  });

  it('raises an alert for each cell turning a new or intensifying hot spot at the class asked, once, saying why', async () => {
    await rolledBack(db(), async (tx) => {
      await tx.exec('update alert_rules set active = false');
      const oracle = await browserTrends(tx, null);
      await actAs(tx, id('command'));
      const save = async (rule: Record<string, unknown>) =>
        Number((await tx.query<{ r: number }>('select save_alert_rule($1) r', [JSON.stringify(rule)])).rows[0]?.r);
      const fresh = await save({ kind: 'hotspot_new', threshold: 1, windowHours: WINDOW_HOURS });
      const stronger = await save({ kind: 'hotspot_intensifying', threshold: 2, windowHours: WINDOW_HOURS });
      const alertsNow = async () => (await tx.query<{ r: AlertsNow }>('select alerts_now(500) r')).rows[0]?.r as AlertsNow;
      const now = await alertsNow();
      const raised = (rule: number) =>
        now.alerts
          .filter((a) => a.ruleId === rule)
          .map((a) => a.subject)
          .sort();
      const expected = (trend: string, least: number) =>
        [...oracle.entries()]
          .filter(([, o]) => o.trend === trend && o.class_after >= least)
          .map(([code]) => code)
          .sort();
      expect(raised(fresh)).toEqual(expected('new', 1));
      expect(raised(stronger)).toEqual(expected('intensifying', 2));
      expect(raised(fresh).length).toBeGreaterThan(0);
      expect(raised(stronger).length).toBeGreaterThan(0);
      expect(now.raised).toBe(raised(fresh).length + raised(stronger).length);
      // Why, in figures: the trend, both classes and z-scores, both counts, the rule.
      const one = now.alerts.find((a) => a.ruleId === stronger);
      const o = oracle.get(one?.subject as string);
      expect(one?.figures).toMatchObject({
        trend: 'intensifying',
        classBefore: o?.class_before,
        classAfter: o?.class_after,
        eventsBefore: o?.events_before,
        events: o?.events_after,
        threshold: 2,
        windowHours: WINDOW_HOURS,
      });
      expect(one?.lngLat).toHaveLength(2);
      // Once per window: asking again raises nothing more.
      expect((await alertsNow()).raised).toBe(0);
    });
  });

  it('refuses a hot-spot rule whose threshold is not a class 1 to 3; the worker may not set one', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      for (const threshold of [4, 1.5, 0.5]) {
        const error = await failure(tx, () =>
          tx.query('select save_alert_rule($1)', [JSON.stringify({ kind: 'hotspot_new', threshold, windowHours: 24 })]),
        );
        expect(error).toMatchObject({ code: '22023' });
        expect(error.message).toMatch(threshold > 0.9 ? /least confidence class: 1 \(90 %\), 2 \(95 %\) or 3 \(99 %\)/ : /threshold/);
      }
      const ok = await tx.query<{ r: number }>('select save_alert_rule($1) r', [
        JSON.stringify({ kind: 'hotspot_intensifying', threshold: 3, windowHours: 72, category }),
      ]);
      const { rows } = await tx.query<{ category: string }>('select category from alert_rules where id = $1', [ok.rows[0]?.r]);
      expect(rows[0]?.category).toBe(category);
      await actAs(tx, id('worker'));
      const refused = await failure(tx, () =>
        tx.query('select save_alert_rule($1)', [JSON.stringify({ kind: 'hotspot_new', threshold: 1, windowHours: 24 })]),
      );
      expect(refused.code).toBe('42501');
    });
  });
});
