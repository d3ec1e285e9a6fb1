import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { Scorecard, Scorecards } from '../../src/domain/cases';
import { actAs, ENV_OFFICER, failure, pointInWorkerCells, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

/** The scorecards of this transaction's instant: every step the test takes happens at now(). */
const cardsNow = async (tx: SqlClient, group: string) =>
  (await tx.query<{ r: Scorecards }>(`select case_scorecards($1, now(), now() + interval '1 millisecond') r`, [group])).rows[0]
    ?.r as Scorecards;

describeEachDatabase('cases: scorecards (评价考核)', (db) => {
  let place = { lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    place = await pointInWorkerCells(db(), false);
  });

  it('counts each group’s own steps on time or late, returns, medians and the score by the rules in the table', async () => {
    await rolledBack(db(), async (tx) => {
      const report = async () =>
        (
          await tx.query<{ id: string }>(`select (report_case('grid_worker', '占道经营', 2, '', $1, $2) ->> 'id') id`, [
            place.lon,
            place.lat,
          ])
        ).rows[0]?.id as string;
      await actAs(tx, id('command'));
      // A: handled by urban management and closed. B: sent to the environment bureau first, which returns it;
      // then to urban management, which starts it after its deadline.
      const a = await report();
      await step(tx, a, 'register');
      await step(tx, a, 'dispatch', '', 'urban');
      const b = await report();
      await step(tx, b, 'register');
      await step(tx, b, 'dispatch', '', 'env');
      await actAs(tx, ENV_OFFICER);
      await step(tx, b, 'return', '不属本部门职责');
      await actAs(tx, id('command'));
      await step(tx, b, 'dispatch', '', 'urban');
      await actAs(tx, URBAN_OFFICER);
      await step(tx, a, 'start');
      await step(tx, a, 'answer', '已处置');
      await tx.exec('reset role');
      await tx.query(`update cases set deadline_at = now() - interval '1 hour' where id = $1`, [b]);
      await actAs(tx, URBAN_OFFICER);
      await step(tx, b, 'start');
      await actAs(tx, id('command'));
      await step(tx, a, 'verify');

      const departments = await cardsNow(tx, 'department');
      expect(departments.rules.map((r) => [r.metric, Number(r.weight)])).toContainEqual(['on_time_rate', 40]);
      const urban = departments.rows.find((r) => r.key === 'urban') as Scorecard;
      expect(urban).toMatchObject({ name: '城市管理局', received: 2, answered: 1, returned: 0, steps: 3, onTime: 2, late: 1 });
      expect(urban.rates.on_time_rate).toBeCloseTo(2 / 3);
      expect(urban.rates.not_returned_rate).toBe(1);
      expect(urban.rates.response_rate).toBeUndefined();
      expect(Object.keys(urban.medianHours).sort()).toEqual(['dispatched', 'in_progress']);
      // Rates without cases leave their weights out: (40 × 2/3 + 10 × 1) ÷ 50.
      expect(urban.score).toBeCloseTo((100 * (40 * (2 / 3) + 10)) / 50, 1);
      const env = departments.rows.find((r) => r.key === 'env') as Scorecard;
      expect(env).toMatchObject({ received: 1, returned: 1, steps: 1, onTime: 1, late: 0 });
      expect(env.rates.not_returned_rate).toBe(0);
      expect(urban.rank).toBe(env.score !== null && env.score > (urban.score ?? 0) ? 2 : 1);

      const [street] = (await cardsNow(tx, 'street')).rows;
      expect(street).toMatchObject({ reported: 2, steps: 10, onTime: 9, late: 1, returned: 1, verified: 1 });
      expect(street?.name).toMatch(/街道$/);

      // The rules are data: without the on-time rate, the score is the not-returned rate alone.
      await tx.query(`select set_scorecard_rule('department', 'on_time_rate', null)`);
      expect((await cardsNow(tx, 'department')).rows.find((r) => r.key === 'urban')?.score).toBe(100);
      await actAs(tx, id('worker'));
      expect((await failure(tx, () => tx.query(`select set_scorecard_rule('department', 'on_time_rate', 50)`))).code).toBe('42501');
      expect((await failure(tx, () => cardsNow(tx, 'cell'))).message).toMatch(/by department, street or worker, not "cell"/);
    });
  });

  it('a grid worker reads only their own card; the command centre every worker’s; planners none', async () => {
    const period = [new Date(Date.now() - 400 * 86_400_000).toISOString(), new Date(Date.now() + 86_400_000).toISOString()];
    const workers = async (who: string) =>
      rolledBack(db(), async (tx) => {
        await actAs(tx, who);
        return (await tx.query<{ r: Scorecards }>(`select case_scorecards('worker', $1, $2) r`, period)).rows[0]?.r.rows ?? [];
      });
    const all = await workers(id('command'));
    expect(all.map((r) => r.name)).toContain('王芳');
    const own = await workers(id('worker'));
    expect(own.map((r) => r.key)).toEqual([id('worker')]);
    expect(own[0]?.verified).toBeGreaterThan(0);
    expect(await workers(id('planner'))).toEqual([]);
  });
});
