import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { actAs, ENV_OFFICER, failure, pointInWorkerCells, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

interface Call {
  id: number;
  departmentId: string;
  acknowledgedAt: string | null;
  missed: boolean;
  report: string | null;
  rating: number | null;
  mine: boolean;
}

const whistlesOf = async (tx: SqlClient, caseId: string) =>
  (await tx.query<{ w: { id: number; note: string; blownByName: string; calls: Call[] }[] }>('select case_whistles($1) w', [caseId]))
    .rows[0]?.w ?? [];

describeEachDatabase('cases: the whistle (吹哨报到)', (db) => {
  let place = { lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    place = await pointInWorkerCells(db(), false);
  });

  /** A case reported and registered by the command centre, outside the worker's cells. */
  const openCase = async (tx: SqlClient) => {
    await actAs(tx, id('command'));
    const { rows } = await tx.query<{ id: string }>(`select (report_case('hotline', '环境污染', 3, '河道排污', $1, $2) ->> 'id') id`, [
      place.lon,
      place.lat,
    ]);
    const caseId = rows[0]?.id as string;
    await step(tx, caseId, 'register');
    return caseId;
  };

  it('summons departments: each acknowledges, reports and is rated; a missed acknowledgement is flagged', async () => {
    await rolledBack(db(), async (tx) => {
      const caseId = await openCase(tx);
      await tx.query(`select blow_whistle($1, '["env","urban"]', '河道排污涉及环保与城管，请两部门到场', 2)`, [caseId]);
      let [whistle] = await whistlesOf(tx, caseId);
      expect(whistle?.blownByName).toBe('李强');
      expect(whistle?.calls.map((c) => `${c.departmentId}:${c.missed}`)).toEqual(['env:false', 'urban:false']);
      const call = (dep: string) => whistle?.calls.find((c) => c.departmentId === dep) as Call;

      // The environment officer is summoned: reads the case (not dispatched to them) and answers the call.
      await actAs(tx, ENV_OFFICER);
      expect((await tx.query('select 1 from cases where id = $1', [caseId])).rows).toHaveLength(1);
      [whistle] = await whistlesOf(tx, caseId);
      expect(call('env').mine).toBe(true);
      expect(call('urban').mine).toBe(false);
      expect((await failure(tx, () => tx.query('select report_whistle($1, $2)', [call('env').id, '已到场']))).message).toMatch(
        /acknowledge it before reporting/,
      );
      expect((await tx.query<{ r: { late: boolean } }>('select acknowledge_whistle($1) r', [call('env').id])).rows[0]?.r.late).toBe(false);
      expect((await failure(tx, () => tx.query('select acknowledge_whistle($1)', [call('env').id]))).message).toMatch(
        /acknowledged already/,
      );
      expect((await failure(tx, () => tx.query('select acknowledge_whistle($1)', [call('urban').id]))).code).toBe('P0002');
      await tx.query('select report_whistle($1, $2)', [call('env').id, '已取样送检，责令企业停止排放']);
      expect((await failure(tx, () => tx.query('select rate_whistle($1, 5)', [call('env').id]))).code).toBe('42501');
      // A summoned department may not move the case itself.
      expect((await failure(tx, () => step(tx, caseId, 'dispatch', '', 'env'))).message).toMatch(/not a next step for role department/);

      // Urban management lets its deadline pass: the call is flagged missed.
      await tx.exec('reset role');
      await tx.query(`update whistle_calls set ack_deadline = now() - interval '1 hour' where id = $1`, [call('urban').id]);
      await actAs(tx, id('command'));
      [whistle] = await whistlesOf(tx, caseId);
      expect(call('urban')).toMatchObject({ missed: true, acknowledgedAt: null });
      expect(call('env').missed).toBe(false);
      expect((await failure(tx, () => tx.query('select rate_whistle($1, 4)', [call('urban').id]))).message).toMatch(/no report to rate/);
      expect((await failure(tx, () => tx.query('select rate_whistle($1, 6)', [call('env').id]))).message).toMatch(/a rating is 1 to 5/);
      await tx.query(`select rate_whistle($1, 5, '响应迅速')`, [call('env').id]);
      [whistle] = await whistlesOf(tx, caseId);
      expect(call('env').rating).toBe(5);
      // Rated is final.
      await actAs(tx, ENV_OFFICER);
      expect((await failure(tx, () => tx.query('select report_whistle($1, $2)', [call('env').id, '改口']))).message).toMatch(/is rated/);
      // The urban officer, summoned too, reads the case; a grid worker (not their cell) does not.
      await actAs(tx, URBAN_OFFICER);
      expect(await whistlesOf(tx, caseId)).toHaveLength(1);
      await actAs(tx, id('worker'));
      expect(await whistlesOf(tx, caseId)).toHaveLength(0);
      await actAs(tx, id('planner'));
      expect((await whistlesOf(tx, caseId))[0]?.calls).toHaveLength(2);
    });
  });

  it('only the command centre and administrators whistle, on open cases, naming departments and a reason', async () => {
    await rolledBack(db(), async (tx) => {
      const caseId = await openCase(tx);
      expect((await failure(tx, () => tx.query(`select blow_whistle($1, '[]', 'x')`, [caseId]))).message).toMatch(
        /at least one department/,
      );
      expect((await failure(tx, () => tx.query(`select blow_whistle($1, '["env","nowhere"]', 'x')`, [caseId]))).message).toBe(
        'no department nowhere',
      );
      expect((await failure(tx, () => tx.query(`select blow_whistle($1, '["env"]', ' ')`, [caseId]))).message).toMatch(/a note/);
      expect((await failure(tx, () => tx.query(`select blow_whistle($1, '["env"]', 'x', 0)`, [caseId]))).message).toMatch(/working hours/);
      await step(tx, caseId, 'reject', '重复上报');
      expect((await failure(tx, () => tx.query(`select blow_whistle($1, '["env"]', 'x')`, [caseId]))).message).toMatch(/is rejected/);
      for (const who of [id('worker'), id('planner'), ENV_OFFICER]) {
        await actAs(tx, who);
        expect((await failure(tx, () => tx.query(`select blow_whistle($1, '["env"]', 'x')`, [caseId]))).code).toBe('42501');
      }
      // Nobody writes whistles or calls directly.
      await actAs(tx, id('admin'));
      expect((await failure(tx, () => tx.query(`update whistle_calls set rating = 5`))).message).toMatch(/permission denied/);
      expect((await failure(tx, () => tx.query(`delete from case_whistles`))).message).toMatch(/permission denied/);
    });
  });
});
