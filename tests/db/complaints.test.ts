import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import { rpcAsUser } from '../../src/data/rpc-as-user';
import type { SqlClient } from '../../src/data/sql-client';
import { actAs, ENV_OFFICER, failure, pointInWorkerCells, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

interface Complainant {
  name: string;
  phone: string;
  masked: boolean;
  contactDeadlineAt: string | null;
  contactedAt: string | null;
  contactedByName: string | null;
  contactLate: boolean | null;
  canContact: boolean;
  canRate: boolean;
  ratings: { rating: string; solved: boolean; reopened: boolean; ratedByName: string }[];
}

interface RateRow {
  key: string;
  name: string;
  complaints: number;
  due: number;
  responded: number;
  rated: number;
  solved: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  score: number | null;
  rank: number | null;
}

const complainantOf = async (tx: SqlClient, caseId: string) =>
  (await tx.query<{ k: Complainant | null }>('select case_complainant($1) k', [caseId])).rows[0]?.k ?? null;

const ratesOf = async (tx: SqlClient, group: string, from: string, to: string) =>
  (await tx.query<{ r: { rows: RateRow[]; rules: Record<string, number> } }>('select complaint_rates($1, $2, $3) r', [group, from, to]))
    .rows[0]?.r as { rows: RateRow[]; rules: Record<string, number> };

describeEachDatabase('cases: complaints handled at once (接诉即办)', (db) => {
  let elsewhere = { lon: 0, lat: 0 };
  let own = { lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    elsewhere = await pointInWorkerCells(db(), false);
    own = await pointInWorkerCells(db(), true);
  });

  /** A complaint reported by the command centre at `at`, registered and dispatched to urban management. */
  const dispatchedComplaint = async (tx: SqlClient, at = elsewhere, severity = 2) => {
    await actAs(tx, id('command'));
    const { rows } = await tx.query<{ id: string }>(
      `select (report_complaint('hotline', '占道经营', $3, '小区门口占道摆摊', $1, $2, '刘桂英', '138 0731 5678') ->> 'id') id`,
      [at.lon, at.lat, severity],
    );
    const caseId = rows[0]?.id as string;
    await step(tx, caseId, 'register');
    await step(tx, caseId, 'dispatch', '', 'urban');
    return caseId;
  };

  it('a complaint needs a citizen with a phone, from the hotline or a complaint; departments and planners do not report them', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const report = (source: string, name: string, phone: string) =>
        tx.query(`select report_complaint($1, '占道经营', 2, '', $2, $3, $4, $5)`, [source, elsewhere.lon, elsewhere.lat, name, phone]);
      expect((await failure(tx, () => report('camera', '刘桂英', '13807315678'))).message).toMatch(
        /hotline or a citizen complaint, not "camera"/,
      );
      expect((await failure(tx, () => report('hotline', ' ', '13807315678'))).message).toMatch(/needs the citizen's name/);
      expect((await failure(tx, () => report('hotline', '刘桂英', '电话'))).message).toMatch(/"电话" is not a phone number/);
      await report('complaint', '刘桂英', '13807315678');
      await actAs(tx, id('worker'));
      await tx.query(`select report_complaint('complaint', '占道经营', 2, '', $1, $2, '王大爷', '13907310000')`, [own.lon, own.lat]);
      for (const who of [URBAN_OFFICER, id('planner')]) {
        await actAs(tx, who);
        expect((await failure(tx, () => report('hotline', '刘桂英', '13807315678'))).code).toBe('42501');
      }
    });
  });

  it('the citizen is shown in full only after a committed log row, masked to the grid worker and summoned departments, hidden from planners', async () => {
    // A demo complaint dispatched to urban management (committed data: the log row must commit before the read).
    const { rows } = await db().query<{ id: string; name: string; phone: string }>(
      `select c.id, k.name, k.phone from cases c join case_complainants k on k.case_id = c.id
       where c.department_id = 'urban' order by c.code limit 1`,
    );
    const demo = rows[0] as { id: string; name: string; phone: string };
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      // Logged in this very transaction does not count: the reader could still roll it back.
      await tx.query('select log_complainant_view($1)', [demo.id]);
      expect((await failure(tx, () => complainantOf(tx, demo.id))).message).toMatch(/only after the view has been logged/);
    });
    for (const who of [id('command'), URBAN_OFFICER, id('admin')]) {
      expect(Number(await rpcAsUser<number | string | null>(db(), who, 'log_complainant_view', { p_case: demo.id }))).toBeGreaterThan(0);
      const shown = await rpcAsUser<Complainant>(db(), who, 'case_complainant', { p_case: demo.id });
      expect(shown).toMatchObject({ name: demo.name, phone: demo.phone, masked: false });
    }
    // Another department logs nothing and reads nothing.
    expect(await rpcAsUser(db(), ENV_OFFICER, 'log_complainant_view', { p_case: demo.id })).toBeNull();
    expect(await rpcAsUser(db(), ENV_OFFICER, 'case_complainant', { p_case: demo.id })).toBeNull();
    expect(await rpcAsUser(db(), id('planner'), 'case_complainant', { p_case: demo.id })).toBeNull();
    const { rows: logged } = await db().query<{ viewer_role: string }>(
      `select viewer_role from personal_data_views where case_id = $1 and entity_id is null order by id`,
      [demo.id],
    );
    expect(logged.map((r) => r.viewer_role)).toEqual(expect.arrayContaining(['command', 'department', 'admin']));

    await rolledBack(db(), async (tx) => {
      // The worker reads the complaint in their cells, masked; a department summoned by a whistle too.
      const caseId = await dispatchedComplaint(tx, own);
      await tx.query(`select blow_whistle($1, '["env"]', '需环保到场', 2)`, [caseId]);
      for (const who of [id('worker'), ENV_OFFICER]) {
        await actAs(tx, who);
        expect(await complainantOf(tx, caseId)).toMatchObject({ name: '刘**', phone: '138****5678', masked: true, canContact: false });
      }
      await actAs(tx, id('planner'));
      expect(await complainantOf(tx, caseId)).toBeNull();
      // Nobody reads the table's personal columns directly.
      await actAs(tx, URBAN_OFFICER);
      expect((await failure(tx, () => tx.query('select phone from case_complainants'))).code).toBe('42501');
    });
  });

  it('the contact clock starts at the first dispatch; the handling department records the contact once', async () => {
    await rolledBack(db(), async (tx) => {
      const caseId = await dispatchedComplaint(tx, elsewhere, 4);
      await tx.exec('reset role');
      const { rows } = await tx.query<{ ok: boolean }>(
        `select k.contact_deadline_at = add_working_hours(t.at, 2) ok from case_complainants k
         join case_trace t on t.case_id = k.case_id and t.action = 'dispatch' where k.case_id = $1`,
        [caseId],
      );
      expect(rows[0]?.ok).toBe(true);
      await actAs(tx, ENV_OFFICER);
      expect((await failure(tx, () => tx.query(`select record_complaint_contact($1, '已联系')`, [caseId]))).code).toBe('P0002');
      await actAs(tx, URBAN_OFFICER);
      expect((await failure(tx, () => tx.query(`select record_complaint_contact($1, ' ')`, [caseId]))).message).toMatch(/needs a note/);
      const done = (await tx.query<{ r: { late: boolean } }>(`select record_complaint_contact($1, '已电话联系，约定明早处理') r`, [caseId]))
        .rows[0]?.r;
      expect(done?.late).toBe(false);
      expect((await failure(tx, () => tx.query(`select record_complaint_contact($1, '再次联系')`, [caseId]))).message).toMatch(
        /was contacted already, at .* by 赵刚/,
      );
      // A case without a citizen is no complaint.
      await actAs(tx, id('command'));
      const plain = (
        await tx.query<{ id: string }>(`select (report_case('camera', '占道经营', 2, '', $1, $2) ->> 'id') id`, [
          elsewhere.lon,
          elsewhere.lat,
        ])
      ).rows[0]?.id as string;
      await step(tx, plain, 'register');
      await step(tx, plain, 'dispatch', '', 'urban');
      expect((await failure(tx, () => tx.query(`select record_complaint_contact($1, '已联系')`, [plain]))).message).toMatch(
        /is not a complaint/,
      );
    });
  });

  it('at closing the citizen rates it once; a dissatisfied rating reopens it, traced; ratings are a history', async () => {
    await rolledBack(db(), async (tx) => {
      const caseId = await dispatchedComplaint(tx);
      const rate = (rating: string, solved: boolean, reopen = false) =>
        tx.query<{ r: { state: string; reopened: boolean } }>(`select rate_complaint($1, $2, $3, '回访', $4) r`, [
          caseId,
          rating,
          solved,
          reopen,
        ]);
      expect((await failure(tx, () => rate('satisfied', true))).message).toMatch(/is dispatched: the citizen rates a closed case/);
      await actAs(tx, URBAN_OFFICER);
      await step(tx, caseId, 'start');
      await step(tx, caseId, 'answer', '已清理');
      expect((await failure(tx, () => rate('satisfied', true))).code).toBe('42501');
      await actAs(tx, id('command'));
      await step(tx, caseId, 'verify');
      expect((await failure(tx, () => rate('satisfied', true, true))).message).toMatch(/only a dissatisfied rating reopens/);
      expect((await failure(tx, () => rate('so-so', true))).message).toMatch(/"so-so" is not a rating/);
      const reopened = (await rate('dissatisfied', false, true)).rows[0]?.r;
      expect(reopened).toMatchObject({ state: 'in_progress', reopened: true });
      const { rows: trace } = await tx.query<{ action: string; from_state: string; to_state: string; note: string }>(
        `select action, from_state, to_state, note from case_trace where case_id = $1 order by id desc limit 1`,
        [caseId],
      );
      expect(trace[0]).toEqual({ action: 'reopen', from_state: 'closed', to_state: 'in_progress', note: '回访' });
      // Handled again, closed again: rated again, once.
      await actAs(tx, URBAN_OFFICER);
      await step(tx, caseId, 'answer', '已再次清理');
      await actAs(tx, id('command'));
      await step(tx, caseId, 'verify');
      expect((await rate('basically_satisfied', true)).rows[0]?.r).toMatchObject({ state: 'closed', reopened: false });
      expect((await failure(tx, () => rate('satisfied', true))).message).toMatch(/was rated already since it was closed/);
      const { rows } = await tx.query<{ rating: string }>('select rating from complaint_ratings where case_id = $1 order by id', [caseId]);
      expect(rows.map((r) => r.rating)).toEqual(['dissatisfied', 'basically_satisfied']);
      await tx.exec('reset role');
      expect(
        (await failure(tx, () => tx.query(`update complaint_ratings set rating = 'satisfied' where case_id = $1`, [caseId]))).message,
      ).toMatch(/is a history/);
    });
  });

  it('the three rates per department and street, the score by the rules in the table, and the ranking', async () => {
    await rolledBack(db(), async (tx) => {
      // Three complaints of a period of their own (2030): urban contacted in time, rated satisfied and solved;
      // urban contacted late, rated basically satisfied and not solved; environment never contacted, past its deadline.
      const a = await dispatchedComplaint(tx);
      const b = await dispatchedComplaint(tx);
      const c = await dispatchedComplaint(tx);
      await tx.exec('reset role');
      await tx.query(
        `update cases set reported_at = '2030-03-02T01:00:00Z', department_id = case when id = $3 then 'env' else 'urban' end where id in ($1, $2, $3)`,
        [a, b, c],
      );
      await tx.query(
        `update case_complainants set contact_deadline_at = '2030-03-02T04:00:00Z',
           contacted_at = case when case_id = $1 then '2030-03-02T03:00:00Z'::timestamptz when case_id = $2 then '2030-03-02T05:00:00Z'::timestamptz end
         where case_id in ($1, $2, $3)`,
        [a, b, c],
      );
      await tx.query(`update case_complainants set contact_deadline_at = '2020-01-01T00:00:00Z' where case_id = $1`, [c]);
      await tx.query(
        // (As fixtures, not through closings: each rating stands on a trace row of its case.)
        `insert into complaint_ratings (case_id, closing_trace_id, rating, solved, rated_by)
         select t.case_id, max(t.id), case when t.case_id = $1 then 'satisfied' else 'basically_satisfied' end, t.case_id = $1, $3
         from case_trace t where t.case_id in ($1, $2) group by t.case_id`,
        [a, b, id('command')],
      );
      await actAs(tx, id('planner'));
      const period = ['2030-03-01T00:00:00+08:00', '2030-04-01T00:00:00+08:00'] as const;
      const { rows, rules } = await ratesOf(tx, 'department', ...period);
      expect(rules).toMatchObject({ responseWeight: 0.1, resolutionWeight: 0.45, satisfactionWeight: 0.45, basicallySatisfiedWeight: 0.8 });
      const urban = rows.find((r) => r.key === 'urban') as RateRow;
      expect(urban).toMatchObject({ name: '城市管理局', complaints: 2, due: 2, responded: 1, rated: 2, solved: 1 });
      expect(urban.responseRate).toBeCloseTo(0.5);
      expect(urban.resolutionRate).toBeCloseTo(0.5);
      expect(urban.satisfactionRate).toBeCloseTo(0.9);
      expect(urban.score).toBeCloseTo(0.1 * 0.5 + 0.45 * 0.5 + 0.45 * 0.9);
      expect(urban.rank).toBe(1);
      const env = rows.find((r) => r.key === 'env') as RateRow;
      expect(env).toMatchObject({
        complaints: 1,
        due: 1,
        responded: 0,
        rated: 0,
        responseRate: 0,
        resolutionRate: null,
        score: null,
        rank: null,
      });
      const streets = (await ratesOf(tx, 'street', ...period)).rows;
      expect(streets.reduce((n, r) => n + r.complaints, 0)).toBe(3);
      expect(streets.every((r) => /^[0-9]{9}$/.test(r.key) && r.name !== r.key)).toBe(true);
      // The rules are data: the command centre weighs basically satisfied as fully satisfied, and the rate follows.
      expect((await failure(tx, () => tx.query(`select set_complaint_rate_rules('{"responseWeight": 0.5}')`))).code).toBe('42501');
      await actAs(tx, id('command'));
      expect((await failure(tx, () => tx.query(`select set_complaint_rate_rules('{"responseWeight": 0.5}')`))).message).toMatch(
        /complaint_rate_rules_weights_sum/,
      );
      await tx.query(`select set_complaint_rate_rules('{"basicallySatisfiedWeight": 1}')`);
      expect((await ratesOf(tx, 'department', ...period)).rows.find((r) => r.key === 'urban')?.satisfactionRate).toBeCloseTo(1);
      expect((await failure(tx, () => ratesOf(tx, 'cell', ...period))).message).toMatch(/by department or street, not "cell"/);
      await actAs(tx, id('worker'));
      expect((await ratesOf(tx, 'department', ...period)).rows.map((r) => r.key).sort()).toEqual(['env', 'urban']);
    });
  });
});
