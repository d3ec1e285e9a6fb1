import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { AlertsNow, LiveNow } from '../../src/domain/live';
import { actAs, failure, pointInWorkerCells, seedDepartments, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

const alertsNow = async (tx: SqlClient) => (await tx.query<{ r: AlertsNow }>('select alerts_now(500) r')).rows[0]?.r as AlertsNow;
const saveRule = async (tx: SqlClient, rule: Record<string, unknown>) =>
  Number((await tx.query<{ r: number }>('select save_alert_rule($1) r', [JSON.stringify(rule)])).rows[0]?.r);

/** Switches off every rule (the district's two included), as the owner: each test sets its own. */
const onlyRulesOf = async (tx: SqlClient) => {
  await tx.exec('reset role');
  await tx.exec('update alert_rules set active = false');
};

const addEvents = async (tx: SqlClient, at: { lon: number; lat: number }, n: number, category: string, hoursAgo = 0.5) => {
  await tx.exec('reset role');
  await tx.query(
    `insert into events (external_id, category, severity, source, occurred_at, geom)
     select 'alert-' || gen_random_uuid(), $3, 2, 'citizen', now() - make_interval(secs => $4::float8 * 3600), ST_SetSRID(ST_MakePoint($1, $2), 4326)
     from generate_series(1, $5::int) g`,
    [at.lon, at.lat, category, hoursAgo, n],
  );
};

const cellAt = async (tx: SqlClient, at: { lon: number; lat: number }) =>
  (
    await tx.query<{ code: string }>(
      'select code from cells where valid_to is null and ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))',
      [at.lon, at.lat],
    )
  ).rows[0]?.code as string;

describeEachDatabase('alerts', (db) => {
  let place = { lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    place = await pointInWorkerCells(db(), false);
  });

  it("raises a cell's events over the threshold in the window once, says why, and keeps it until acknowledged", async () => {
    await rolledBack(db(), async (tx) => {
      await onlyRulesOf(tx);
      await actAs(tx, id('command'));
      const rule = await saveRule(tx, { kind: 'cell_events', threshold: 3, windowHours: 2, category: '噪音扰民' });
      await addEvents(tx, place, 2, '噪音扰民');
      // Outside the window, or another category: not counted.
      await addEvents(tx, place, 5, '噪音扰民', 3);
      await addEvents(tx, place, 5, '治安');
      await actAs(tx, id('command'));
      expect((await alertsNow(tx)).raised).toBe(0);
      await addEvents(tx, place, 1, '噪音扰民');
      await actAs(tx, id('command'));
      let now = await alertsNow(tx);
      expect(now.raised).toBe(1);
      const cell = await cellAt(tx, place);
      const alert = now.alerts.find((a) => a.ruleId === rule);
      expect(alert).toMatchObject({ kind: 'cell_events', subject: cell, cellCode: cell, caseId: null });
      expect(alert?.figures).toMatchObject({ events: 3, threshold: 3, windowHours: 2, category: '噪音扰民' });
      expect(alert?.lngLat).toHaveLength(2);
      // Asked again, or after more events in the window: the same alert, not a new one.
      await addEvents(tx, place, 2, '噪音扰民');
      await actAs(tx, id('command'));
      now = await alertsNow(tx);
      expect(now.raised).toBe(0);
      expect(now.alerts.filter((a) => a.ruleId === rule)).toHaveLength(1);

      await tx.query('select acknowledge_alert($1)', [alert?.id]);
      now = await alertsNow(tx);
      expect(now.alerts.some((a) => a.id === alert?.id)).toBe(false);
      expect(now.raised).toBe(0);
      const again = await failure(tx, () => tx.query('select acknowledge_alert($1)', [alert?.id]));
      expect(again.code).toBe('GA409');
      expect(again.message).toContain('李强');
      await tx.exec('reset role');
      const { rows } = await tx.query<{ by: string }>('select acknowledged_by::text by from alerts where id = $1', [alert?.id]);
      expect(rows[0]?.by).toBe(id('command'));
    });
  });

  it("raises a category's count in the district, a cell's risk index, a case overdue by the hours set; a rule switched off raises nothing", async () => {
    await rolledBack(db(), async (tx) => {
      await onlyRulesOf(tx);
      await actAs(tx, id('command'));
      const category = await saveRule(tx, { kind: 'category_events', threshold: 4, windowHours: 6, category: '火灾' });
      await addEvents(tx, place, 4, '火灾', 1);
      await actAs(tx, id('command'));
      const live = (await tx.query<{ r: LiveNow }>('select live_now() r')).rows[0]?.r as LiveNow;
      const top = live.topCells[0];
      const risk = await saveRule(tx, { kind: 'cell_risk', threshold: (top?.riskIndex ?? 0) - 0.01 });
      const overdue = await saveRule(tx, { kind: 'case_overdue', threshold: 48 });
      await tx.exec('reset role');
      const { rows: late } = await tx.query<{ n: number }>(
        `select count(*)::int n from cases where state in ('reported','registered','escalated','dispatched','in_progress','answered')
           and deadline_at < now() - interval '48 hours'`,
      );
      await actAs(tx, id('command'));
      const now = await alertsNow(tx);
      const of = (rule: number) => now.alerts.filter((a) => a.ruleId === rule);
      expect(of(category).map((a) => [a.subject, a.figures.events])).toEqual([['火灾', 4]]);
      expect(of(risk).map((a) => a.subject)).toContain(top?.code);
      expect(of(risk).every((a) => (a.figures.riskIndex ?? 0) >= (top?.riskIndex ?? 0) - 0.01)).toBe(true);
      expect(of(overdue)).toHaveLength(late[0]?.n ?? -1);
      expect(of(overdue).every((a) => (a.figures.hoursOverdue ?? 0) >= 48 && a.caseId === a.subject)).toBe(true);
      expect(now.open).toBe(now.alerts.length);

      // Switched off: nothing new from it.
      await saveRule(tx, { id: category, active: false });
      await addEvents(tx, place, 10, '火灾', 0.2);
      await actAs(tx, id('command'));
      const later = await alertsNow(tx);
      expect(later.raised).toBe(0);
      expect(later.rules.find((r) => r.id === category)?.active).toBe(false);
    });
  });

  it('refuses bad rules with the field named; only the command centre and admins see or set alerts', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const bad = async (rule: Record<string, unknown>) => failure(tx, () => saveRule(tx, rule));
      expect(await bad({ kind: 'weather', threshold: 1 })).toMatchObject({ code: '22023', message: expect.stringContaining('weather') });
      expect(await bad({ kind: 'cell_events', threshold: 0 })).toMatchObject({
        code: '22023',
        message: expect.stringContaining('threshold'),
      });
      expect(await bad({ kind: 'cell_events', threshold: 2, windowHours: 1.5 })).toMatchObject({
        message: expect.stringContaining('window'),
      });
      expect(await bad({ kind: 'category_events', threshold: 2 })).toMatchObject({ message: expect.stringContaining('category') });
      expect(await bad({ id: 999999, active: false })).toMatchObject({ code: 'P0002' });
      await actAs(tx, id('admin'));
      expect((await alertsNow(tx)).rules.length).toBeGreaterThanOrEqual(2);
      for (const who of [id('worker'), id('planner'), URBAN_OFFICER]) {
        await actAs(tx, who);
        expect((await failure(tx, () => alertsNow(tx))).code).toBe('42501');
        expect((await failure(tx, () => saveRule(tx, { kind: 'cell_risk', threshold: 5 }))).code).toBe('42501');
        expect((await failure(tx, () => tx.query('select acknowledge_alert(1)'))).code).toBe('42501');
        expect((await tx.query('select * from alert_rules')).rows).toEqual([]);
        expect((await tx.query('select * from alerts')).rows).toEqual([]);
      }
      expect((await failure(tx, () => tx.query('select evaluate_alerts()'))).code).toBe('42501');
    });
  });
});
