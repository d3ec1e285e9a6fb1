import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { actAs, ENV_OFFICER, failure, pointInWorkerCells, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;

/** A local time in Beijing (the working time's zone) as ISO text with its offset. */
const bj = (local: string) => `${local}+08:00`;

async function addHours(tx: SqlClient, start: string, hours: number): Promise<string> {
  const { rows } = await tx.query<{ t: string }>(
    `select to_char(add_working_hours($1::timestamptz, $2) at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') t`,
    [bj(start), hours],
  );
  return rows[0]?.t as string;
}

async function hoursBetween(tx: SqlClient, from: string, to: string): Promise<number> {
  const { rows } = await tx.query<{ h: string }>('select working_hours_between($1::timestamptz, $2::timestamptz) h', [bj(from), bj(to)]);
  return Number(rows[0]?.h);
}

interface ListedCase {
  code: string;
  state: string;
  overdue: boolean;
  deadlineAt: string | null;
  departmentName: string | null;
}

async function listCases(tx: SqlClient, filter: Record<string, unknown>, limit = 100) {
  const { rows } = await tx.query<{ r: { total: number; overdue: number; rows: ListedCase[] } }>('select list_cases($1, $2) r', [
    JSON.stringify(filter),
    limit,
  ]);
  return rows[0]?.r as { total: number; overdue: number; rows: ListedCase[] };
}

describeEachDatabase('cases: deadlines in working hours and routing', (db) => {
  let ownCell = { lon: 0, lat: 0 };
  let otherCell = { lon: 0, lat: 0 };
  let ownCommunity = '';
  const report = async (tx: SqlClient, at: { lon: number; lat: number }, category = '占道经营', severity = 2) =>
    (
      await tx.query<{ r: { id: string; code: string; deadlineAt: string; proposedDepartmentId: string | null } }>(
        `select report_case('hotline', $1, $2, '描述', $3, $4) r`,
        [category, severity, at.lon, at.lat],
      )
    ).rows[0]?.r as { id: string; code: string; deadlineAt: string; proposedDepartmentId: string | null };

  beforeAll(async () => {
    await seedDepartments(db());
    ownCell = await pointInWorkerCells(db(), true);
    otherCell = await pointInWorkerCells(db(), false);
    const { rows } = await db().query<{ c: string }>(
      'select community_code c from cells where valid_to is null and ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) limit 1',
      [ownCell.lon, ownCell.lat],
    );
    ownCommunity = rows[0]?.c as string;
  });

  it('counts working hours in the working periods of working days: lunch, weekends, holidays and moved working days', async () => {
    await rolledBack(db(), async (tx) => {
      // Friday 16:30 + 2 h: one hour on Friday, one on Monday morning.
      expect(await addHours(tx, '2026-12-04 16:30', 2)).toBe('2026-12-07 10:00');
      // Over lunch (12:00–13:30).
      expect(await addHours(tx, '2026-12-02 11:30', 1)).toBe('2026-12-02 14:00');
      // Before the office opens, and on a Sunday: the clock starts at the next opening.
      expect(await addHours(tx, '2026-12-02 07:00', 0.5)).toBe('2026-12-02 09:30');
      expect(await addHours(tx, '2026-12-06 10:00', 7)).toBe('2026-12-07 17:30');
      // Wednesday 30 September 16:00 + 7 h: National Day (1–7 October) is skipped.
      expect(await addHours(tx, '2026-09-30 16:00', 7)).toBe('2026-10-08 16:00');
      // Friday 9 October 17:00 + 1 h: Saturday 10 October is a working day that year.
      expect(await addHours(tx, '2026-10-09 17:00', 1)).toBe('2026-10-10 09:30');
      // Five working days from the eve of the Spring Festival (15–23 February; Saturday 28th works).
      expect(await addHours(tx, '2026-02-13 17:30', 35)).toBe('2026-02-27 17:30');
      expect(await hoursBetween(tx, '2026-12-04 16:30', '2026-12-07 10:00')).toBe(2);
      expect(await hoursBetween(tx, '2026-09-30 16:00', '2026-10-08 16:00')).toBe(7);
      expect(await hoursBetween(tx, '2026-12-07 10:00', '2026-12-04 16:30')).toBe(-2);
      expect(await hoursBetween(tx, '2026-12-05 08:00', '2026-12-06 20:00')).toBe(0);
      // The calendar is the command centre's: a day made a holiday moves the deadline.
      await actAs(tx, id('command'));
      await tx.query(`select set_work_calendar_day('2026-12-07', 'holiday', '测试假日')`);
      expect(await addHours(tx, '2026-12-04 16:30', 2)).toBe('2026-12-08 10:00');
      await tx.query(`select set_work_calendar_day('2026-12-07', null)`);
      expect(await addHours(tx, '2026-12-04 16:30', 2)).toBe('2026-12-07 10:00');
      await tx.query(`select set_case_working_time('Asia/Shanghai', '08:30', '12:00', '14:00', '17:30')`);
      expect(await addHours(tx, '2026-12-04 17:00', 1)).toBe('2026-12-07 09:00');
      await actAs(tx, id('worker'));
      expect((await failure(tx, () => tx.query(`select set_work_calendar_day('2026-12-07', 'holiday')`))).code).toBe('42501');
      expect(
        (await failure(tx, () => tx.query(`select set_case_working_time('Asia/Shanghai', '08:00', '12:00', '13:00', '17:00')`))).code,
      ).toBe('42501');
    });
  });

  it('the limit of a stage is the most specific row, the shorter of two as specific; edited by the command centre only', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('planner'));
      const hours = async (category: string, severity: number, stage: string) =>
        Number((await tx.query<{ h: string }>('select case_stage_hours($1, $2, $3) h', [category, severity, stage])).rows[0]?.h);
      expect(await hours('占道经营', 2, 'in_progress')).toBe(35);
      expect(await hours('消防安全', 2, 'in_progress')).toBe(14);
      // 消防安全 (any severity, 14 h) and severity 4 (any category, 7 h) are as specific: the shorter.
      expect(await hours('消防安全', 4, 'in_progress')).toBe(7);
      expect((await tx.query<{ h: string | null }>(`select case_stage_hours('占道经营', 2, 'evaluated') h`)).rows[0]?.h).toBeNull();
      expect((await failure(tx, () => tx.query(`select set_case_time_limit('占道经营', 2, 'in_progress', 10)`))).code).toBe('42501');
      await actAs(tx, id('command'));
      await tx.query(`select set_case_time_limit('消防安全', 4, 'in_progress', 3)`);
      expect(await hours('消防安全', 4, 'in_progress')).toBe(3);
      await tx.query(`select set_case_time_limit('消防安全', 4, 'in_progress', null)`);
      expect(await hours('消防安全', 4, 'in_progress')).toBe(7);
      expect((await failure(tx, () => tx.query(`select set_case_time_limit('x', 2, 'in_progress', -1)`))).message).toMatch(/check/);
    });
  });

  it('each stage gets its deadline from the database; the trace keeps it, and a late step is marked', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const c = await report(tx, ownCell);
      const expected = (await tx.query<{ t: string }>(`select add_working_hours(now(), 2) t`)).rows[0]?.t;
      expect(new Date(c.deadlineAt).getTime()).toBe(new Date(expected as string).getTime());
      // The command centre sat on it: the deadline to register passed an hour ago.
      await tx.exec('reset role');
      await tx.query(`update cases set deadline_at = now() - interval '1 hour' where id = $1`, [c.id]);
      await actAs(tx, id('command'));
      const listed = await listCases(tx, { overdue: true });
      expect(listed.rows.map((r) => r.code)).toContain(c.code);
      const detail = (await tx.query<{ d: Record<string, unknown> }>('select case_detail($1) d', [c.id])).rows[0]?.d;
      expect(detail).toMatchObject({ state: 'reported', overdue: true, allowed: ['register', 'reject'] });
      expect(detail?.workingHoursLeft as number).toBeLessThanOrEqual(0);
      await step(tx, c.id, 'register');
      const after = (
        await tx.query<{ d: { deadlineAt: string; overdue: boolean; trace: { action: string; late: boolean; actorName: string }[] } }>(
          'select case_detail($1) d',
          [c.id],
        )
      ).rows[0]?.d;
      expect(after?.overdue).toBe(false);
      expect(after?.trace.map((t) => `${t.action}:${t.late}:${t.actorName}`)).toEqual(['report:false:李强', 'register:true:李强']);
      const inTwo = (await tx.query<{ t: string }>(`select add_working_hours(now(), 2) t`)).rows[0]?.t;
      expect(new Date(after?.deadlineAt as string).getTime()).toBe(new Date(inTwo as string).getTime());
      // An urgent case gets the urgent limit; a closed-and-evaluated one none.
      const urgent = await report(tx, ownCell, '治安隐患', 4);
      const half = (await tx.query<{ t: string }>(`select add_working_hours(now(), 0.5) t`)).rows[0]?.t;
      expect(new Date(urgent.deadlineAt).getTime()).toBe(new Date(half as string).getTime());
    });
  });

  it('routing rules propose the department: the category first, then the smallest area, with a default', async () => {
    await rolledBack(db(), async (tx) => {
      await tx.exec('delete from case_routes');
      await actAs(tx, id('command'));
      expect((await report(tx, ownCell)).proposedDepartmentId).toBeNull();
      await tx.query(`select set_case_route('*', '', 'urban')`);
      await tx.query(`select set_case_route('环境污染', '', 'env')`);
      await tx.query(`select set_case_route('*', $1, 'env')`, [ownCommunity]);
      await tx.query(`select set_case_route('占道经营', $1, 'urban')`, [ownCommunity.slice(0, 9)]);
      expect((await report(tx, otherCell, '噪音扰民')).proposedDepartmentId).toBe('urban');
      expect((await report(tx, otherCell, '环境污染')).proposedDepartmentId).toBe('env');
      // In the worker's community: any category goes to env, but street vending (its street's rule) to urban.
      expect((await report(tx, ownCell, '噪音扰民')).proposedDepartmentId).toBe('env');
      expect((await report(tx, ownCell, '占道经营')).proposedDepartmentId).toBe('urban');
      expect((await failure(tx, () => tx.query(`select set_case_route('*', '', 'nowhere')`))).message).toBe('no department nowhere');
      expect((await failure(tx, () => tx.query(`select set_case_route('*', '4301', 'urban')`))).message).toMatch(/check/);
      const settings = (
        await tx.query<{ s: { routes: unknown[]; calendar: unknown[]; timeLimits: unknown[] } }>('select case_settings() s')
      ).rows[0]?.s;
      expect(settings?.routes).toHaveLength(4);
      expect(settings?.calendar.length).toBeGreaterThan(30);
      await tx.query(`select set_case_route('*', $1, null)`, [ownCommunity]);
      expect((await report(tx, ownCell, '噪音扰民')).proposedDepartmentId).toBe('urban');
      await actAs(tx, URBAN_OFFICER);
      expect((await failure(tx, () => tx.query(`select set_case_route('*', '', 'env')`))).code).toBe('42501');
    });
  });

  it('list_cases filters, pages and sorts what the caller may read', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const a = await report(tx, ownCell, '占道经营', 2);
      const b = await report(tx, otherCell, '环境污染', 3);
      const c = await report(tx, otherCell, '环境污染', 1);
      await step(tx, b.id, 'register');
      await step(tx, b.id, 'dispatch', '', 'env');
      const codes = async (filter: Record<string, unknown>) =>
        (await listCases(tx, filter)).rows.map((r) => r.code).filter((code) => [a.code, b.code, c.code].includes(code));
      expect(await codes({ category: '环境污染' })).toEqual(expect.arrayContaining([b.code, c.code]));
      expect(await codes({ category: '环境污染', states: ['reported'] })).toEqual([c.code]);
      expect(await codes({ departmentId: 'env' })).toEqual([b.code]);
      expect(await codes({ areaCode: ownCommunity })).toEqual([a.code]);
      expect(await codes({ areaCode: ownCommunity.slice(0, 9), severity: 2 })).toContain(a.code);
      expect(await codes({ text: b.code })).toEqual([b.code]);
      const page = await listCases(tx, {}, 2);
      expect(page.rows).toHaveLength(2);
      expect(page.total).toBeGreaterThanOrEqual(3);
      expect(page.rows[0]?.deadlineAt).not.toBeNull();
      // A department officer lists what is dispatched to them, and nothing else.
      await actAs(tx, ENV_OFFICER);
      expect(await codes({})).toEqual([b.code]);
      expect((await listCases(tx, { departmentId: 'env' })).rows[0]?.departmentName).toBe('生态环境局');
      await actAs(tx, URBAN_OFFICER);
      expect(await codes({})).toEqual([]);
      expect((await tx.query<{ d: unknown }>('select case_detail($1) d', [b.id])).rows[0]?.d).toBeNull();
      expect((await failure(tx, () => listCases(tx, {}, 5000))).message).toMatch(/p_limit must be 1 to 1000/);
      // The map's columns hold what the list holds, for each reader.
      for (const reader of [ENV_OFFICER, id('worker'), id('planner')]) {
        await actAs(tx, reader);
        const points = (await tx.query<{ p: { ids: string[]; states: string[]; overdue: boolean[] } }>('select case_points() p')).rows[0]
          ?.p;
        const all = await listCases(tx, {}, 1000);
        expect(points?.ids.length).toBe(all.total);
        expect(points?.overdue.filter(Boolean).length).toBe(all.overdue);
      }
    });
  });

  it('list_cases finds the cases a member signed for and the caller’s own; rows say their assignee, version and proposal', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('command'));
      const a = await report(tx, otherCell, '环境污染', 2);
      const b = await report(tx, otherCell, '环境污染', 2);
      for (const c of [a, b]) {
        await step(tx, c.id, 'register');
        await step(tx, c.id, 'dispatch', '', 'env');
      }
      await actAs(tx, ENV_OFFICER);
      await step(tx, a.id, 'start');
      const listed = async (filter: Record<string, unknown>) =>
        (await listCases(tx, filter, 1000)).rows.filter((r) => [a.code, b.code].includes(r.code)) as (ListedCase & {
          assigneeName: string | null;
          version: number;
        })[];
      const officer = (await tx.query<{ n: string }>('select display_name n from members where user_id = $1', [ENV_OFFICER])).rows[0]?.n;
      // Reported, registered, dispatched, signed for: version 4.
      expect((await listed({ assignee: ENV_OFFICER })).map((r) => [r.code, r.assigneeName, r.version])).toEqual([[a.code, officer, 4]]);
      expect((await listed({})).find((r) => r.code === b.code)?.assigneeName).toBeNull();
      expect((await listed({ mine: true })).map((r) => r.code)).toEqual([a.code]);
      expect((await failure(tx, () => listCases(tx, { assignee: 'someone' }))).message).toMatch(/assignee "someone" is not a member's id/);
      // The command centre reported both: both are its own; it finds who signed for them by name.
      await actAs(tx, id('command'));
      expect((await listed({ mine: true })).map((r) => r.code).sort()).toEqual([a.code, b.code].sort());
      const assignees = (await tx.query<{ a: { userId: string; name: string }[] }>('select case_assignees() a')).rows[0]?.a ?? [];
      expect(assignees).toContainEqual({ userId: ENV_OFFICER, name: officer });
      // Names come from the trace the caller may read: someone who reads no case sees no one.
      await actAs(tx, '00000000-0000-4000-8000-0000000000ff');
      expect((await tx.query<{ a: unknown[] }>('select case_assignees() a')).rows[0]?.a).toEqual([]);
    });
  });

  it('the demo cases went through the state machine: every step legal, the trace ending in the state, deadlines set', async () => {
    const { rows } = await db().query<{ problem: string }>(`
      select 'illegal step ' || t.action || ' from ' || t.from_state problem from case_trace t
        where t.action <> 'report' and not exists (select 1 from case_actions a where a.action = t.action and a.from_state = t.from_state and a.to_state = t.to_state)
      union all
      select 'case ' || c.code || ' is ' || c.state || ', its trace ends in ' || coalesce(l.to_state, 'nothing') from cases c
        left join lateral (select t.to_state, count(*) over () n from case_trace t where t.case_id = c.id order by t.id desc limit 1) l on true
        where l.to_state is distinct from c.state or l.n <> c.version
      union all
      select 'open case ' || code || ' without a deadline' from cases
        where state in ('reported', 'registered', 'dispatched', 'in_progress', 'answered') and deadline_at is null
      limit 5`);
    expect(rows.map((r) => r.problem)).toEqual([]);
    const states = await db().query<{ state: string }>('select distinct state from cases order by 1');
    expect(states.rows.map((r) => r.state)).toEqual(
      expect.arrayContaining(['answered', 'closed', 'dispatched', 'evaluated', 'in_progress', 'registered', 'rejected', 'reported']),
    );
    const late = await db().query<{ n: number }>('select count(*)::int n from case_trace where at > deadline_at');
    expect(late.rows[0]?.n).toBeGreaterThan(0);
  });
});
