import { beforeAll, expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { ZoneCaseFigures } from '../../src/domain/cases';
import { actAs, failure, ownCell, seedDepartments, step, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const STRANGER = '00000000-0000-4000-8000-00000000dead';
const FROM = '2000-01-01T00:00:00Z';
const TO = '2100-01-01T00:00:00Z';
const STAGES = ['reported', 'registered', 'dispatched', 'in_progress', 'answered'];

const zone = async (tx: SqlClient, cells: string[] | null, from = FROM, to = TO) =>
  (
    await tx.query<{ r: ZoneCaseFigures }>('select zone_case_figures($1, $2, $3) r', [
      cells === null ? null : JSON.stringify(cells),
      from,
      to,
    ])
  ).rows[0]?.r as ZoneCaseFigures;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** The zone's stages and complaints counted apart, from the tables (as the database's owner). */
async function countedApart(tx: SqlClient, cells: string[] | null) {
  await tx.exec('reset role');
  const steps = (
    await tx.query<{ stage: string; hours: number }>(
      `select t.from_state stage, t.stage_hours::float8 hours from case_trace t join cases c on c.id = t.case_id
       where c.cell_code is not null and ($1::text[] is null or c.cell_code = any ($1)) and t.action <> 'report'
         and t.stage_hours is not null and t.from_state = any ($2)`,
      [cells, STAGES],
    )
  ).rows;
  const complaints = (
    await tx.query<{ n: number; rated: number; satisfied: number }>(
      `select count(*)::int n, count(r.rating)::int rated, count(*) filter (where r.rating = 'satisfied')::int satisfied
       from case_complainants k join cases c on c.id = k.case_id
       left join lateral (select rating from complaint_ratings x where x.case_id = k.case_id order by x.rated_at desc, x.id desc limit 1) r on true
       where c.cell_code is not null and ($1::text[] is null or c.cell_code = any ($1))`,
      [cells],
    )
  ).rows[0] as { n: number; rated: number; satisfied: number };
  return { steps, complaints };
}

describeEachDatabase('a zone’s cases: stage times and complaint rates', (db) => {
  let cell = { code: '', lon: 0, lat: 0 };
  beforeAll(async () => {
    await seedDepartments(db());
    cell = await ownCell(db());
  });

  it('gives a cell’s median working hours per stage and its three complaint rates, as counted apart', async () => {
    await rolledBack(db(), async (tx) => {
      // A complaint in the cell, dispatched, contacted in time, handled, verified and rated.
      await actAs(tx, id('command'));
      const caseId = (
        await tx.query<{ id: string }>(
          `select (report_complaint('hotline', '占道经营', 2, '门口占道', $1, $2, '刘桂英', '138 0731 5678') ->> 'id') id`,
          [cell.lon, cell.lat],
        )
      ).rows[0]?.id as string;
      await step(tx, caseId, 'register');
      await step(tx, caseId, 'dispatch', '', 'urban');
      await actAs(tx, URBAN_OFFICER);
      await tx.query(`select record_complaint_contact($1, '已电话联系')`, [caseId]);
      await step(tx, caseId, 'start');
      await step(tx, caseId, 'answer', '已清理');
      await actAs(tx, id('command'));
      await step(tx, caseId, 'verify');
      await tx.query(`select rate_complaint($1, 'satisfied', true, '回访')`, [caseId]);

      await actAs(tx, id('admin'));
      const figures = await zone(tx, [cell.code]);
      const apart = await countedApart(tx, [cell.code]);
      for (const stage of STAGES) {
        const hours = apart.steps.filter((s) => s.stage === stage).map((s) => s.hours);
        if (hours.length === 0) expect(figures.stages[stage as keyof ZoneCaseFigures['stages']]).toBeUndefined();
        else
          expect(figures.stages[stage as keyof ZoneCaseFigures['stages']]).toEqual({
            steps: hours.length,
            medianHours: expect.closeTo(median(hours), 1),
          });
      }
      // The new case's own steps are there: registered, dispatched, in progress and answered ended in the cell.
      for (const stage of ['reported', 'registered', 'dispatched', 'in_progress', 'answered'])
        expect(figures.stages[stage as keyof ZoneCaseFigures['stages']]?.steps ?? 0).toBeGreaterThan(0);
      expect(figures).toMatchObject({
        complaints: apart.complaints.n,
        rated: apart.complaints.rated,
        satisfied: apart.complaints.satisfied,
      });
      expect(figures.complaints).toBeGreaterThan(0);
      expect(figures.responded).toBeGreaterThan(0);
      expect(figures.responseRate).toBeCloseTo(figures.responded / figures.due, 4);
      expect(figures.resolutionRate).toBeCloseTo(figures.solved / figures.rated, 4);
      expect(figures.satisfactionRate).toBeGreaterThan(0);
      expect(figures.satisfactionRate).toBeLessThanOrEqual(1);
    });
  });

  it('counts the period only, the district without a list of cells, and says nothing of a zone without cases', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const district = await zone(tx, null);
      const apart = await countedApart(tx, null);
      await actAs(tx, id('admin'));
      expect(district.complaints).toBe(apart.complaints.n);
      expect(district.stages.dispatched?.steps).toBe(apart.steps.filter((s) => s.stage === 'dispatched').length);
      // A period before every case: nothing, and no rate.
      const empty = await zone(tx, null, '1990-01-01T00:00:00Z', '1991-01-01T00:00:00Z');
      expect(empty).toMatchObject({ stages: {}, complaints: 0, responseRate: null, resolutionRate: null, satisfactionRate: null });
      expect(await zone(tx, ['000000000000000'])).toMatchObject({ stages: {}, complaints: 0 });
    });
  });

  it('gives every member the same counts (medians and counts only) and refuses strangers, empty periods and huge zones', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const admin = await zone(tx, [cell.code]);
      for (const who of [id('planner'), id('worker'), URBAN_OFFICER]) {
        await actAs(tx, who);
        expect(await zone(tx, [cell.code])).toEqual(admin);
      }
      await actAs(tx, STRANGER);
      expect((await failure(tx, () => zone(tx, [cell.code]))).code).toBe('42501');
      await actAs(tx, id('admin'));
      expect((await failure(tx, () => zone(tx, null, TO, FROM))).code).toBe('22023');
      const many = Array.from({ length: 100_001 }, (_, i) => String(i).padStart(15, '0'));
      expect((await failure(tx, () => zone(tx, many))).message).toMatch(/at most 100000 cells/);
      expect((await failure(tx, () => tx.query(`select zone_case_figures('"430"', $1, $2)`, [FROM, TO]))).message).toMatch(
        /a list of cell codes/,
      );
    });
  });
});
