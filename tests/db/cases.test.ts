import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { createPool } from '../../src/data/node-postgres';
import type { SqlClient } from '../../src/data/sql-client';
import { actAs, ENV_OFFICER, failure, pointInWorkerCells, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const URBAN = URBAN_OFFICER;
const ENV = ENV_OFFICER;

describeEachDatabase('cases: the closed loop', (db) => {
  let ownCell: { lon: number; lat: number } = { lon: 0, lat: 0 };
  let otherCell: { lon: number; lat: number } = { lon: 0, lat: 0 };
  const report = async (tx: SqlClient, at: { lon: number; lat: number }, source = 'grid_worker') =>
    (
      await tx.query<{ r: { id: string; code: string; state: string; cellCode: string } }>(
        `select report_case($1, '占道经营', 2, '商户占道摆摊', $2, $3) r`,
        [source, at.lon, at.lat],
      )
    ).rows[0]?.r as { id: string; code: string; state: string; cellCode: string };

  beforeAll(async () => {
    await seedDepartments(db());
    ownCell = await pointInWorkerCells(db(), true);
    otherCell = await pointInWorkerCells(db(), false);
  });

  it('runs from report to evaluation, each step by its role, with a trace row per step', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('worker'));
      const reported = await report(tx, ownCell);
      expect(reported).toMatchObject({
        state: 'reported',
        code: expect.stringMatching(/^AJ\d{8}$/),
        cellCode: expect.stringMatching(/^430199/),
      });
      await actAs(tx, id('command'));
      expect(await step(tx, reported.id, 'register')).toMatchObject({ state: 'registered', allowed: ['dispatch', 'escalate', 'reject'] });
      expect(await step(tx, reported.id, 'dispatch', '', 'urban')).toMatchObject({ state: 'dispatched', departmentId: 'urban' });
      await actAs(tx, URBAN);
      expect(await step(tx, reported.id, 'start')).toMatchObject({ state: 'in_progress' });
      expect(await step(tx, reported.id, 'answer', '已劝离商户，恢复通行')).toMatchObject({ state: 'answered' });
      await actAs(tx, id('worker'));
      expect(await step(tx, reported.id, 'verify')).toMatchObject({ state: 'closed' });
      await actAs(tx, id('command'));
      expect(await step(tx, reported.id, 'evaluate')).toMatchObject({ state: 'evaluated', version: 7, allowed: [] });
      const { rows } = await tx.query<{ action: string; from_state: string | null; to_state: string; actor_role: string }>(
        'select action, from_state, to_state, actor_role from case_trace where case_id = $1 order by id',
        [reported.id],
      );
      expect(rows.map((r) => `${r.actor_role}:${r.action}:${r.from_state ?? '-'}→${r.to_state}`)).toEqual([
        'worker:report:-→reported',
        'command:register:reported→registered',
        'command:dispatch:registered→dispatched',
        'department:start:dispatched→in_progress',
        'department:answer:in_progress→answered',
        'worker:verify:answered→closed',
        'command:evaluate:closed→evaluated',
      ]);
    });
  });

  it('refuses an illegal step naming the state and the steps allowed; reasons and departments where needed', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const c = await report(tx, otherCell, 'hotline');
      const early = await failure(tx, () => step(tx, c.id, 'answer', 'done'));
      expect(early.message).toMatch(
        /^case AJ\d{8} is reported: "answer" is not a next step for role command \(allowed: register, reject\)$/,
      );
      expect((await failure(tx, () => step(tx, c.id, 'reject'))).message).toBe('"reject" needs a reason (a note)');
      await step(tx, c.id, 'register');
      expect((await failure(tx, () => step(tx, c.id, 'dispatch'))).message).toMatch(/"dispatch" needs a department/);
      expect((await failure(tx, () => step(tx, c.id, 'dispatch', '', 'nowhere'))).message).toMatch(/nowhere is none/);
      await step(tx, c.id, 'dispatch', '', 'env');
      // The urban officer does not see a case of the environment department, nor may act on it.
      await actAs(tx, URBAN);
      expect((await failure(tx, () => step(tx, c.id, 'start'))).message).toBe(`no case ${c.id}`);
      expect((await tx.query('select * from cases where id = $1', [c.id])).rows).toHaveLength(0);
      await actAs(tx, ENV);
      expect((await tx.query('select * from cases where id = $1', [c.id])).rows).toHaveLength(1);
      expect((await failure(tx, () => step(tx, c.id, 'verify'))).message).toMatch(/allowed: escalate, return, start\)$/);
      // Returned to dispatch with a reason; the command centre dispatches again.
      expect(await step(tx, c.id, 'return', '不属本局职责')).toMatchObject({ state: 'registered' });
      await actAs(tx, id('command'));
      expect(await step(tx, c.id, 'dispatch', '', 'urban')).toMatchObject({ state: 'dispatched', departmentId: 'urban' });
      // A planner reads cases but acts on none; reports none.
      await actAs(tx, id('planner'));
      expect((await failure(tx, () => step(tx, c.id, 'evaluate'))).code).toBe('P0002');
      expect((await failure(tx, () => report(tx, ownCell))).message).toBe('role planner may not report cases');
      // A grid worker reports in their own cells only.
      await actAs(tx, id('worker'));
      expect((await failure(tx, () => report(tx, otherCell))).message).toBe('a grid worker reports cases in their own cells only');
    });
  });

  it('a failed verification reopens the case; escalation goes back to dispatch', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const c = await report(tx, ownCell, 'camera');
      await step(tx, c.id, 'register');
      await step(tx, c.id, 'dispatch', '', 'urban');
      await actAs(tx, URBAN);
      await step(tx, c.id, 'start');
      await step(tx, c.id, 'answer', '已处理');
      await actAs(tx, id('worker'));
      expect(await step(tx, c.id, 'reopen', '现场复核仍有摊位')).toMatchObject({ state: 'in_progress' });
      await actAs(tx, URBAN);
      expect(await step(tx, c.id, 'escalate', '需区级协调')).toMatchObject({ state: 'escalated' });
      await actAs(tx, id('command'));
      expect(await step(tx, c.id, 'dispatch', '', 'env')).toMatchObject({ state: 'dispatched', departmentId: 'env' });
    });
  });

  it('the trace is append-only and cases change only through the functions; a stale version is a conflict', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const c = await report(tx, ownCell, 'sensor');
      for (const sql of [
        `update cases set state = 'closed' where id = '${c.id}'`,
        `delete from cases where id = '${c.id}'`,
        'insert into case_trace (case_id) values (null)',
      ]) {
        expect((await failure(tx, () => tx.query(sql))).message, sql).toMatch(/permission denied/);
      }
      const first = await step(tx, c.id, 'register', '', null, 1);
      expect(first.version).toBe(2);
      const stale = await failure(tx, () => step(tx, c.id, 'reject', '重复上报', null, 1));
      expect(stale.code).toBe('40001');
      expect(stale.message).toMatch(/changed meanwhile: it is registered now \(version 2, not 1\)/);
      await tx.exec('reset role');
      const forged = await failure(tx, () => tx.query(`update case_trace set note = 'forged' where case_id = $1`, [c.id]));
      expect(forged.message).toMatch(/case_trace is a history/);
    });
  });

  it('who reads which cases: command and planners all, workers their cells, departments what is dispatched to them, anon nothing', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const mine = await report(tx, ownCell);
      const other = await report(tx, otherCell);
      await step(tx, other.id, 'register');
      await step(tx, other.id, 'dispatch', '', 'urban');
      const visible = async (userId: string) => {
        await actAs(tx, userId);
        const { rows } = await tx.query<{ id: string }>('select id from cases where id in ($1, $2) order by code', [mine.id, other.id]);
        const trace = await tx.query<{ n: number }>('select count(*)::int n from case_trace where case_id in ($1, $2)', [
          mine.id,
          other.id,
        ]);
        return { cases: rows.map((r) => (r.id === mine.id ? 'mine' : 'other')), trace: trace.rows[0]?.n };
      };
      expect(await visible(id('admin'))).toEqual({ cases: ['mine', 'other'], trace: 4 });
      expect(await visible(id('planner'))).toEqual({ cases: ['mine', 'other'], trace: 4 });
      expect(await visible(id('worker'))).toEqual({ cases: ['mine'], trace: 1 });
      expect(await visible(URBAN)).toEqual({ cases: ['other'], trace: 3 });
      expect(await visible(ENV)).toEqual({ cases: [], trace: 0 });
      await tx.exec('reset role');
      await tx.exec('set local role anon');
      expect((await failure(tx, () => tx.query('select * from cases'))).message).toMatch(/permission denied/);
    });
  });

  it('two transitions of one case at once: one wins, the other is refused from the state the first left (PostgreSQL)', async (ctx) => {
    const url = process.env.DATABASE_URL;
    const name = (await db().query<{ db: string }>('select current_database() db')).rows[0]?.db;
    if (!url || !name || name === 'template1' || name === 'postgres') return ctx.skip();
    const target = new URL(url);
    target.pathname = `/${name}`;
    const pool = createPool(target.toString());
    try {
      const claims = (userId: string) =>
        `set local role authenticated; select set_config('request.jwt.claims', '${JSON.stringify({ sub: userId, role: 'authenticated' })}', true);`;
      const setup = await pool.connect();
      let caseId = '';
      try {
        await setup.query(`begin; ${claims(id('command'))}`);
        caseId = (
          await setup.query(`select (report_case('hotline', '噪声扰民', 2, '夜间施工', ${ownCell.lon}, ${ownCell.lat}) ->> 'id') id`)
        ).rows[0].id;
        await setup.query(`select transition_case('${caseId}', 'register')`);
        await setup.query('commit');
      } finally {
        setup.release();
      }
      const a = await pool.connect();
      const b = await pool.connect();
      try {
        await a.query(`begin; ${claims(id('command'))}`);
        await b.query(`begin; ${claims(id('admin'))}`);
        await a.query(`select transition_case('${caseId}', 'dispatch', '', 'urban')`);
        // b waits for a's lock, then finds the case dispatched: "reject" is no next step there.
        const second = b.query(`select transition_case('${caseId}', 'reject', '无效')`).then(
          () => null,
          (error: Error) => error.message,
        );
        await a.query('commit');
        expect(await second).toMatch(/is dispatched: "reject" is not a next step for role admin/);
        await b.query('rollback');
      } finally {
        a.release();
        b.release();
      }
      const { rows } = await pool.query(
        `select state, version, (select count(*)::int from case_trace where case_id = $1) steps from cases where id = $1`,
        [caseId],
      );
      expect(rows[0]).toEqual({ state: 'dispatched', version: 3, steps: 3 });
    } finally {
      await pool.end();
    }
  });
});
