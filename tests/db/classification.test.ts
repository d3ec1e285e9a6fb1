import { expect, it } from 'vitest';
import type { CellClassInputs } from '../../src/data/backend';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { classifyInputs } from '../../src/data/run-rule-set';
import type { SqlClient } from '../../src/data/sql-client';
import { type CellInputs, classifyCells, classReason, type RuleSet, ruleSetProblem } from '../../src/domain/classify';
import { asUser, describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const ADMIN = id('admin');

async function expectRefused(tx: SqlClient, sql: string, params: unknown[], message: string | RegExp) {
  await tx.exec('savepoint refused');
  await expect(tx.query(sql, params)).rejects.toThrow(message);
  await tx.exec('rollback to savepoint refused');
}

const rpc = async <T = Record<string, unknown>>(tx: SqlClient, sql: string, params: unknown[] = []) =>
  (await tx.query<{ r: T }>(`select ${sql} r`, params)).rows[0]?.r as T;

interface Inputs {
  code: string;
  class: string;
  classSource: string;
  households: number;
  residents: number;
  events: number;
  eventsWeighted: number;
  eventsByCategory: Record<string, number>;
  keyPersons: number;
  hazardSites: number;
  areaKm2: number;
}

const byEvents: RuleSet = {
  name: '按事件量',
  weights: { events: 0.7, households: 0.3 },
  normalize: 'rank',
  method: 'quantiles',
  A: 0.1,
  B: 0.3,
};

describeEachDatabase('classification', (db) => {
  /** Rule sets that must not be saved: each value out of its bounds, and malformed shapes. */
  const BAD_RULE_SETS: unknown[] = [
    { ...byEvents, weights: {} },
    { ...byEvents, weights: { events: 0 } },
    { ...byEvents, weights: { events: 'abc' } },
    { ...byEvents, weights: { events: 1e308 } },
    { ...byEvents, weights: { crimes: 1 } },
    { ...byEvents, method: 'vote' },
    { ...byEvents, normalize: 7 },
    { ...byEvents, A: 1e300 },
    { ...byEvents, A: '0.2' },
    { ...byEvents, method: 'thresholds', A: 0.1, B: 0.5 },
    { ...byEvents, method: 'quantiles', A: 0.7, B: 0.5 },
    { ...byEvents, eventDays: 1e8 },
    { ...byEvents, eventDays: 1.5 },
    { ...byEvents, halfLifeDays: 0 },
    { ...byEvents, halfLifeDays: 'a month' },
    { ...byEvents, risk: 'area' },
    { ...byEvents, risk: { per: 'km', hazardWeight: 1 } },
    { ...byEvents, risk: { per: 'area', hazardWeight: -2 } },
    { ...byEvents, risk: { per: 'area', hazardWeight: 1e308 } },
    { ...byEvents, name: '' },
    { ...byEvents, name: 'x'.repeat(201) },
    [],
  ];

  it('the database and the app find the same problem in a rule set, word for word, and agree on what is usable', async () => {
    const usable: unknown[] = [byEvents, { ...byEvents, eventDays: 365, halfLifeDays: null, risk: { per: 'residents', hazardWeight: 0 } }];
    for (const rules of [...BAD_RULE_SETS, ...usable]) {
      const { rows } = await db().query<{ p: string | null }>('select rule_set_problem($1) p', [JSON.stringify(rules)]);
      expect(rows[0]?.p, JSON.stringify(rules)).toBe(ruleSetProblem(rules));
    }
    // A set written past save_rule_set is refused too.
    await expect(
      rolledBack(db(), (tx) =>
        tx.query('insert into class_rule_sets (name, version, rules) values ($1, 1, $2)', [
          'bad',
          JSON.stringify({ ...byEvents, A: 1e300 }),
        ]),
      ),
    ).rejects.toThrow(/class_rule_sets_rules_usable/);
  });

  const lastEvent = async (tx: SqlClient) =>
    (await tx.query<{ t: string }>(`select max(occurred_at)::text t from events`)).rows[0]?.t as string;

  it('saves rule sets as versions, for administrators only, and refuses a malformed one', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      expect(await rpc(tx, 'save_rule_set($1)', [byEvents])).toMatchObject({ name: '按事件量', version: 1 });
      expect(await rpc(tx, 'save_rule_set($1)', [{ ...byEvents, A: 0.2 }])).toMatchObject({ version: 2 });
      const list = await rpc<{ name: string; version: number; rules: RuleSet }[]>(tx, 'list_rule_sets()');
      expect(list.filter((r) => r.name === '按事件量').map((r) => r.version)).toEqual([2, 1]);
      expect(list[0]?.rules.A).toBe(0.2);
      // Refused with the app's own words (ruleSetProblem), every value checked.
      for (const bad of BAD_RULE_SETS) {
        await expectRefused(tx, 'select save_rule_set($1)', [JSON.stringify(bad)], `the rule set cannot be used: ${ruleSetProblem(bad)}`);
      }
      expect(await rpc(tx, 'save_rule_set($1)', [{ ...byEvents, risk: { per: 'residents', hazardWeight: 2 } }])).toMatchObject({
        version: 3,
      });
    });
    await asUser(db(), id('planner'), async (tx) => {
      await expectRefused(tx, 'select save_rule_set($1)', [byEvents], 'only grid administrators may save rule sets');
    });
  });

  it('gives each cell the inputs rules weigh, agreeing with direct counts', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const end = await lastEvent(tx);
      const inputs = await rpc<Inputs[]>(tx, 'cell_class_inputs($1::timestamptz, 90, null)', [end]);
      const cells = (await tx.query<{ n: number }>(`select count(*)::int n from cells where valid_to is null`)).rows[0]?.n;
      expect(inputs).toHaveLength(cells as number);
      const direct = (
        await tx.query<{ n: number; w: number }>(
          `select count(*)::int n, sum(severity)::float8 w from events
           where cell_code is not null and occurred_at < $1::timestamptz and occurred_at >= $1::timestamptz - interval '90 days'`,
          [end],
        )
      ).rows[0];
      expect(inputs.reduce((s, c) => s + c.events, 0)).toBe(direct?.n);
      expect(inputs.reduce((s, c) => s + c.eventsWeighted, 0)).toBeCloseTo(direct?.w as number, 6);
      const busiest = inputs.reduce((a, b) => (b.events > a.events ? b : a));
      const categories = Object.values(busiest.eventsByCategory).reduce((s, v) => s + v, 0);
      expect(categories).toBeCloseTo(busiest.eventsWeighted, 4);
      const persons = (
        await tx.query<{ n: number; k: number }>(
          `select count(*)::int n, count(*) filter (where risk_level >= 2)::int k from entities where kind = 'person' and cell_code = $1`,
          [busiest.code],
        )
      ).rows[0];
      expect([busiest.residents, busiest.keyPersons]).toEqual([persons?.n, persons?.k]);
      // One cell alone gives the same inputs.
      expect(await rpc<Inputs[]>(tx, 'cell_class_inputs($1::timestamptz, 90, null, $2)', [end, busiest.code])).toEqual([busiest]);
      // With a half-life, older events weigh less.
      const decayed = await rpc<Inputs[]>(tx, 'cell_class_inputs($1::timestamptz, 90, 30)', [end]);
      expect(decayed.reduce((s, c) => s + c.eventsWeighted, 0)).toBeLessThan(direct?.w as number);
    });
    // A grid worker gets their own cells only.
    await asUser(db(), id('worker'), async (tx) => {
      const inputs = await rpc<Inputs[]>(tx, 'cell_class_inputs(now(), 90, null)');
      const own = (await tx.query<{ n: number }>(`select count(*)::int n from worker_cells where user_id = $1`, [id('worker')])).rows[0]?.n;
      expect(inputs.length).toBe(own);
    });
  });

  it('applies a run: classes change with history, manual classes survive, overrides clear', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const end = await lastEvent(tx);
      const saved = await rpc<{ id: number; version: number }>(tx, 'save_rule_set($1)', [byEvents]);
      const inputs = await rpc<Inputs[]>(tx, 'cell_class_inputs($1::timestamptz, 90, null)', [end]);
      // Hand-class the busiest cell C before the run.
      const busiest = inputs.reduce((a, b) => (b.events > a.events ? b : a));
      await tx.query(`select override_cell_class($1, 'C', '人工核定：该网格已整治')`, [busiest.code]);
      await expectRefused(tx, `select override_cell_class($1, 'A', '  ')`, [busiest.code], 'a manual class needs a reason');
      const results = classifyCells(
        inputs.map((c): CellInputs => ({ code: c.code, events: c.events, households: c.households })),
        byEvents,
      );
      const before = new Map(inputs.map((c) => [c.code, c.class]));
      const expectedChanges = results.filter((r) => r.code !== busiest.code && r.class !== before.get(r.code)).length;
      const payload = results.map((r) => ({ code: r.code, class: r.class, reason: classReason(r, byEvents, saved.version) }));
      const outcome = await rpc(tx, 'apply_cell_classes($1, $2)', [saved.id, JSON.stringify(payload)]);
      expect(outcome).toEqual({ changed: expectedChanges, unchanged: inputs.length - 1 - expectedChanges, keptManual: 1, missing: 0 });
      const kept = (
        await tx.query<{ class: string; class_source: string }>(
          `select class, class_source from cells where code = $1 and valid_to is null`,
          [busiest.code],
        )
      ).rows[0];
      expect(kept).toEqual({ class: 'C', class_source: 'manual' });
      // A second run changes nothing and still keeps the manual class.
      expect(await rpc(tx, 'apply_cell_classes($1, $2)', [saved.id, JSON.stringify(payload)])).toMatchObject({ changed: 0, keptManual: 1 });
      // Every change is in the history, with the rule set named.
      const changedCode = results.find((r) => r.code !== busiest.code && r.class !== before.get(r.code))?.code as string;
      const history = await rpc<{ source: string; ruleSet: string; toClass: string }[]>(tx, 'cell_class_history($1)', [changedCode]);
      expect(history[0]).toMatchObject({ source: 'rule', ruleSet: `按事件量 v${saved.version}` });
      // Clearing the override hands the cell back to the rules: the next run classes it.
      await tx.query(`select clear_cell_override($1, '整治效果待复核')`, [busiest.code]);
      const third = await rpc<{ keptManual: number; changed: number }>(tx, 'apply_cell_classes($1, $2)', [
        saved.id,
        JSON.stringify(payload),
      ]);
      expect(third.keptManual).toBe(0);
      const after = (await tx.query<{ class: string }>(`select class from cells where code = $1 and valid_to is null`, [busiest.code]))
        .rows[0];
      expect(after?.class).toBe(results.find((r) => r.code === busiest.code)?.class);
      expect((await rpc<{ source: string }[]>(tx, 'cell_class_history($1)', [busiest.code])).map((h) => h.source).slice(-2)).toEqual([
        'override_cleared',
        'manual',
      ]);
      // Bad input is named.
      await expectRefused(
        tx,
        'select apply_cell_classes($1, $2)',
        [saved.id, JSON.stringify([{ code: busiest.code, class: 'D' }])],
        'class must be A, B or C',
      );
      await expectRefused(tx, 'select apply_cell_classes($1, $2)', [999999, '[]'], 'there is no rule set 999999');
      expect(
        await rpc(tx, 'apply_cell_classes($1, $2)', [saved.id, JSON.stringify([{ code: '430199999999999', class: 'A' }])]),
      ).toMatchObject({ missing: 1 });
    });
    await asUser(db(), id('command'), async (tx) => {
      await expectRefused(tx, `select apply_cell_classes(1, '[]')`, [], 'only grid administrators may apply rule sets');
      await expectRefused(
        tx,
        `select override_cell_class('430199001001001', 'A', 'x')`,
        [],
        'only grid administrators may override a class',
      );
    });
  });

  it('classes cells in the database exactly as the browser does (classify_by_rules is the twin of classifyCells)', async () => {
    const ruleSets: RuleSet[] = [
      byEvents,
      {
        name: '综合',
        weights: { events: 0.4, key_persons: 0.2, hazard_sites: 0.2, risk_index: 0.2 },
        normalize: 'max',
        method: 'thresholds',
        A: 0.5,
        B: 0.2,
      },
      { name: '绝对', weights: { events: 1, households: 0.01 }, normalize: 'none', method: 'thresholds', A: 40, B: 15, eventDays: 30 },
      { name: '风险', weights: { risk_index: 1, households: 0 }, normalize: 'rank', method: 'quantiles', A: 0, B: 0.25 },
      { name: '全A', weights: { hazard_sites: 1 }, normalize: 'max', method: 'quantiles', A: 1, B: 0 },
      // The risk index per 1,000 residents with hazards weighing 3 events, and per km² without hazards.
      {
        name: '每千人风险',
        weights: { risk_index: 1, events: 0.2 },
        normalize: 'rank',
        method: 'quantiles',
        A: 0.1,
        B: 0.2,
        risk: { per: 'residents', hazardWeight: 3 },
        halfLifeDays: 30,
      },
      {
        name: '无隐患',
        weights: { risk_index: 0.5, hazard_sites: 0.5 },
        normalize: 'max',
        method: 'thresholds',
        A: 0.4,
        B: 0.1,
        risk: { per: 'area', hazardWeight: 0 },
      },
    ];
    // As the owner: row security per row would only make the comparison slow.
    await rolledBack(db(), async (tx) => {
      const end = new Date(Date.parse(await lastEvent(tx)) + 86_400_000).toISOString();
      for (const rules of ruleSets) {
        const inputs = await rpc<CellClassInputs[]>(tx, 'cell_class_inputs($1::timestamptz, $2, $3)', [
          end,
          rules.eventDays ?? 90,
          rules.halfLifeDays ?? null,
        ]);
        const expected = classifyInputs(inputs, rules);
        const { rows } = await tx.query<{ code: string; class: string; score: number; reason: string }>(
          'select code, class, score, reason from classify_by_rules($1, 3, $2::timestamptz) order by code',
          [JSON.stringify(rules), end],
        );
        expect(rows.length).toBe(expected.length);
        const byCode = new Map(expected.map((r) => [r.code, r]));
        for (const row of rows) {
          const want = byCode.get(row.code);
          expect({ code: row.code, class: row.class, score: row.score }).toEqual({
            code: want?.code,
            class: want?.class,
            score: want?.score,
          });
          if (want) expect(JSON.parse(row.reason)).toEqual(JSON.parse(classReason(want, rules, 3)));
        }
        // Every class occurs where the rules say so (the rule sets above are not all-C by accident).
        expect(new Set(rows.map((r) => r.class)).size).toBeGreaterThan(rules.name === '全A' ? 0 : 1);
      }
      // The risk options matter: per residents, and without hazards, other cells come out on top.
      const inputs = await rpc<CellClassInputs[]>(tx, 'cell_class_inputs($1::timestamptz, 90, null)', [end]);
      const riskOf = (risk?: RuleSet['risk']) =>
        classifyInputs(inputs, { ...byEvents, weights: { risk_index: 1 }, risk }).map((r) => r.inputs.risk_index);
      const [area, residents, noHazards] = [
        riskOf(),
        riskOf({ per: 'residents', hazardWeight: 1 }),
        riskOf({ per: 'area', hazardWeight: 0 }),
      ];
      const top = (v: (number | undefined)[]) => v.indexOf(Math.max(...(v as number[])));
      expect(top(residents)).not.toBe(top(area));
      expect(noHazards.filter((v, i) => v !== area[i]).length).toBeGreaterThan(0);
    });
  });

  it('keeps the risk × responsibility matrix, edited by administrators', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      await tx.query(`select set_risk_matrix_entry('火灾隐患', 'high', 'high', '消防安全')`);
      await tx.query(`select set_risk_matrix_entry('占道经营', 'low', 'high', '')`);
      await tx.query(`select set_risk_matrix_entry('火灾隐患', 'high', 'low', '移交消防部门')`);
      expect(await rpc(tx, 'risk_matrix_entries()')).toEqual([
        { category: '占道经营', risk: 'low', responsibility: 'high', note: '' },
        { category: '火灾隐患', risk: 'high', responsibility: 'low', note: '移交消防部门' },
      ]);
      await expectRefused(
        tx,
        `select set_risk_matrix_entry('噪声扰民', 'medium', 'high', '')`,
        [],
        /risk_matrix_risk_check|violates check constraint/,
      );
    });
    await asUser(db(), id('planner'), async (tx) => {
      await expectRefused(
        tx,
        `select set_risk_matrix_entry('噪声扰民', 'low', 'low', '')`,
        [],
        'only grid administrators may edit the risk matrix',
      );
      expect(await rpc(tx, 'risk_matrix_entries()')).toEqual([]);
    });
  });
});
