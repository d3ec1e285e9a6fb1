import { expect, it } from 'vitest';
import type { ExportRow } from '../../src/data/backend';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { actAs, failure, seedDepartments, URBAN_OFFICER } from './case-fixtures';
import { describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const STRANGER = '00000000-0000-4000-8000-00000000dead';

const page = async (tx: SqlClient, kind: string, filter: object = {}, after: string | null = null, limit = 50_000) =>
  (await tx.query<{ r: ExportRow[] }>('select export_points($1, $2, $3, $4) r', [kind, JSON.stringify(filter), after, limit])).rows[0]?.r ??
  [];

/** Every row of a layer, page by page, as the export reads it. */
async function all(tx: SqlClient, kind: string, filter: object = {}, limit = 50_000): Promise<ExportRow[]> {
  const rows: ExportRow[] = [];
  for (let after: string | null = null; ; ) {
    const next = await page(tx, kind, filter, after, limit);
    rows.push(...next);
    if (next.length < limit) return rows;
    after = next[next.length - 1]?.id ?? null;
  }
}

const count = async (tx: SqlClient, sql: string, params: unknown[] = []) => (await tx.query<{ n: number }>(sql, params)).rows[0]?.n ?? -1;

describeEachDatabase('exports by role', (db) => {
  it('the admin exports every point of each layer, in pages that join up exactly', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const events = await all(tx, 'event', {}, 7_000);
      expect(events).toHaveLength(await count(tx, 'select count(*)::int n from events'));
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(events[0]).toMatchObject({
        lon: expect.any(Number),
        lat: expect.any(Number),
        props: { category: expect.any(String), severity: expect.any(Number) },
      });
      for (const kind of ['place', 'thing', 'organisation', 'person'])
        expect(await all(tx, kind), kind).toHaveLength(await count(tx, 'select count(*)::int n from entities where kind = $1', [kind]));
      expect(await all(tx, 'case')).toHaveLength(await count(tx, 'select count(*)::int n from cases'));
      // The admin's people: names, never the personal fields (ID card, phone, address).
      const [person] = await page(tx, 'person', {}, null, 1);
      expect(Object.keys(person?.props ?? {}).sort()).toEqual(
        ['birth_year', 'category', 'cell_code', 'community', 'gender', 'household', 'key_person', 'name', 'risk_level'].sort(),
      );
    });
  });

  it('filters by cell, community, category and period', async () => {
    await rolledBack(db(), async (tx) => {
      await actAs(tx, id('admin'));
      const { cell, community, category } = (
        await tx.query<{ cell: string; community: string; category: string }>(
          `select cell_code cell, community_code community, category from events where cell_code is not null
           group by 1, 2, 3 order by count(*) desc limit 1`,
        )
      ).rows[0] as { cell: string; community: string; category: string };
      const inCell = await all(tx, 'event', { cellCode: cell, category });
      expect(inCell.length).toBe(
        await count(tx, 'select count(*)::int n from events where cell_code = $1 and category = $2', [cell, category]),
      );
      expect(inCell.every((e) => e.props.cell_code === cell && e.props.category === category)).toBe(true);
      expect(await all(tx, 'place', { communityCode: community })).toHaveLength(
        await count(tx, `select count(*)::int n from entities where kind = 'place' and community_code = $1`, [community]),
      );
      const [from, to] = ['2026-09-01T00:00:00+08:00', '2026-10-01T00:00:00+08:00'];
      expect(await all(tx, 'event', { from, to })).toHaveLength(
        await count(tx, 'select count(*)::int n from events where occurred_at >= $1 and occurred_at < $2', [from, to]),
      );
    });
  });

  it('a grid worker exports only their own cells; the command centre people masked; planners and departments no people', async () => {
    await rolledBack(db(), async (tx) => {
      await seedDepartments(tx);
      await actAs(tx, id('worker'));
      const own = `(select cell_code from worker_cells where user_id = '${id('worker')}')`;
      for (const [kind, table] of [
        ['event', 'events'],
        ['place', `entities where kind = 'place' and`],
        ['person', `entities where kind = 'person' and`],
      ] as const) {
        const rows = await all(tx, kind);
        await tx.exec('reset role');
        const expected = await count(
          tx,
          table.endsWith('and')
            ? `select count(*)::int n from ${table} cell_code in ${own}`
            : `select count(*)::int n from ${table} where cell_code in ${own}`,
        );
        await actAs(tx, id('worker'));
        expect(rows.length, kind).toBe(expected);
        expect(rows.length, kind).toBeGreaterThan(0);
      }

      await actAs(tx, id('command'));
      const people = await all(tx, 'person');
      expect(people.length).toBe(30_000);
      expect(
        people.every((p) => /^.\*+$/.test(String(p.props.name)) && p.props.gender === undefined && p.props.birth_year === undefined),
      ).toBe(true);

      for (const who of [id('planner'), URBAN_OFFICER]) {
        await actAs(tx, who);
        expect((await failure(tx, () => page(tx, 'person'))).code).toBe('42501');
      }
      // Planners export everything else.
      await actAs(tx, id('planner'));
      expect((await all(tx, 'event')).length).toBe(20_000);
      // A department officer: the cases they may read (dispatched or summoned to), fewer than all.
      await actAs(tx, URBAN_OFFICER);
      const theirs = await all(tx, 'case');
      expect(theirs).toHaveLength(await count(tx, 'select count(*)::int n from cases'));
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.length).toBeLessThan(1487);

      await actAs(tx, STRANGER);
      expect((await failure(tx, () => page(tx, 'event'))).code).toBe('42501');
      await actAs(tx, id('admin'));
      expect((await failure(tx, () => page(tx, 'cell'))).code).toBe('22023');
      expect((await failure(tx, () => page(tx, 'event', [] as unknown as object))).code).toBe('22023');
    });
  });
});
