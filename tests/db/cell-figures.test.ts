import { expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import type { CellFigures } from '../../src/domain/records';
import { actAs, failure, seedDepartments, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const STRANGER = '00000000-0000-4000-8000-00000000dead';
/** A year that holds the demo's events and cases. */
const FROM = '2000-01-01T00:00:00Z';
const TO = '2100-01-01T00:00:00Z';

const figures = async (tx: SqlClient, from = FROM, to = TO) =>
  (await tx.query<{ r: CellFigures[] }>('select cell_figures($1, $2) r', [from, to])).rows[0]?.r ?? [];
const number = async (tx: SqlClient, sql: string, params: unknown[] = []) => (await tx.query<{ n: number }>(sql, params)).rows[0]?.n ?? -1;
const sum = (rows: CellFigures[], key: keyof CellFigures) => rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

describeEachDatabase('the cells’ figures by actor', (db) => {
  it('gives the admin every current cell with the counts of what lies in it and of the period', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const rows = await figures(tx);
      expect(rows).toHaveLength(await number(tx, 'select count(*)::int n from cells where valid_to is null'));
      expect(rows.map((r) => r.code)).toEqual([...rows.map((r) => r.code)].sort());
      expect(sum(rows, 'events')).toBe(await number(tx, 'select count(*)::int n from events where cell_code is not null'));
      expect(sum(rows, 'people')).toBe(
        await number(tx, `select count(*)::int n from entities where kind = 'person' and cell_code is not null`),
      );
      expect(sum(rows, 'casesReported')).toBe(await number(tx, 'select count(*)::int n from cases where cell_code is not null'));
      // One busy cell, figure by figure.
      const busiest = [...rows].sort((a, b) => b.events - a.events)[0] as CellFigures;
      const count = (sql: string) => number(tx, sql, [busiest.code]);
      expect(busiest).toMatchObject({
        places: await count(`select count(*)::int n from entities where kind = 'place' and cell_code = $1`),
        things: await count(`select count(*)::int n from entities where kind = 'thing' and cell_code = $1`),
        organisations: await count(`select count(*)::int n from entities where kind = 'organisation' and cell_code = $1`),
        casesOpen: await count(
          `select count(*)::int n from cases where cell_code = $1 and state in ('reported','registered','escalated','dispatched','in_progress','answered')`,
        ),
      });
      expect(busiest.communityName).toEqual(expect.any(String));
      expect(busiest.streetName).toEqual(expect.any(String));
    });
  });

  it('counts the period only: events by occurrence, cases by report and closing, with the median handling time', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const { from, to } = (
        await tx.query<{ from: string; to: string }>(
          `select (max(occurred_at) - interval '30 days')::text "from", (max(occurred_at) + interval '1 second')::text "to" from events`,
        )
      ).rows[0] as { from: string; to: string };
      const rows = await figures(tx, from, to);
      expect(sum(rows, 'events')).toBe(
        await number(tx, 'select count(*)::int n from events where cell_code is not null and occurred_at >= $1 and occurred_at < $2', [
          from,
          to,
        ]),
      );
      expect(sum(rows, 'events')).toBeLessThan(sum(await figures(tx), 'events'));
      // Closings: the first step into 'closed' of each case, within the period.
      const closings = (
        await tx.query<{ cell: string; hours: number }>(
          `select c.cell_code cell, extract(epoch from min(t.at) - c.reported_at)::float8 / 3600 hours
           from cases c join case_trace t on t.case_id = c.id and t.to_state = 'closed'
           where c.cell_code is not null group by c.id having min(t.at) >= $1 and min(t.at) < $2`,
          [FROM, TO],
        )
      ).rows;
      const all = await figures(tx);
      expect(sum(all, 'casesClosed')).toBe(closings.length);
      const cell = closings[0]?.cell;
      if (cell) {
        const mine = closings.filter((c) => c.cell === cell).map((c) => c.hours);
        expect(all.find((r) => r.code === cell)?.medianHandlingHours).toBeCloseTo(median(mine), 1);
      }
      expect(all.filter((r) => r.casesClosed === 0).every((r) => r.medianHandlingHours === null)).toBe(true);
    });
  });

  it('gives a grid worker their own cells, and planners the people as counts they may not read', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const everyone = new Map((await figures(tx)).map((r) => [r.code, r]));
      await actAs(tx, id('worker'));
      const own = await figures(tx);
      const assigned = (
        await tx.query<{ cell_code: string }>('select cell_code from worker_cells where user_id = $1 order by 1', [id('worker')])
      ).rows;
      expect(own.map((r) => r.code)).toEqual(assigned.map((r) => r.cell_code));
      for (const r of own) expect(r).toMatchObject({ events: everyone.get(r.code)?.events, people: everyone.get(r.code)?.people });
      await actAs(tx, id('planner'));
      expect(await number(tx, `select count(*)::int n from entities where kind = 'person'`)).toBe(0);
      const planned = await figures(tx);
      expect(sum(planned, 'people')).toBe(sum([...everyone.values()], 'people'));
      expect(sum(planned, 'people')).toBeGreaterThan(0);
    });
  });

  it('gives departments no cells (they read no cells), and refuses strangers and empty periods', async () => {
    await rolledBack(db(), async (tx) => {
      await seedDepartments(tx);
      await actAs(tx, URBAN_OFFICER);
      expect(await number(tx, 'select count(*)::int n from cases')).toBeGreaterThan(0);
      expect(await figures(tx)).toEqual([]);
      await actAs(tx, STRANGER);
      expect((await failure(tx, () => figures(tx))).code).toBe('42501');
      await actAs(tx, id('admin'));
      expect((await failure(tx, () => figures(tx, TO, FROM))).code).toBe('22023');
    });
  });
});
