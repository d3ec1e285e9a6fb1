import type { LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { expect, it } from 'vitest';
import { DEMO_MEMBERS } from '../../src/data/demo-members';
import type { SqlClient } from '../../src/data/sql-client';
import { DEMO_RULE_SET } from '../../src/demo/demo-rules';
import { createRandom } from '../../src/demo/random';
import { fixTiling } from '../../src/geo/fix-tiling';
import { METERS_PER_DEGREE } from '../../src/geo/planar';
import { validateTiling } from '../../src/geo/validate-tiling';
import { asUser, describeEachDatabase, rolledBack } from './each-database';

const id = (role: string) => DEMO_MEMBERS.find((m) => m.role === role)?.userId as string;
const ADMIN = id('admin');

interface CellRow {
  code: string;
  version: number;
  community_code: string;
  households: number;
  geom: MultiPolygon;
}

const currentCells = async (tx: SqlClient, community?: string) =>
  (
    await tx.query<CellRow>(
      `select code, version, community_code, households, ST_AsGeoJSON(geom, 15)::jsonb geom from cells
       where valid_to is null and ($1::text is null or community_code = $1) order by code`,
      [community ?? null],
    )
  ).rows;

/** Runs fn as a user in a transaction that commits (for edits other connections must see). */
const committedAs = <T>(client: SqlClient, userId: string, fn: (tx: SqlClient) => Promise<T>) =>
  client.transaction(async (tx) => {
    await tx.exec('set local role authenticated');
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: userId, role: 'authenticated' })]);
    return fn(tx);
  });

/** Returns a line crossing a cell from west to east through a point inside it. */
const lineAcross = (cell: CellRow, at = 0.5): LineString => {
  const ring = cell.geom.coordinates[0]?.[0] as Position[];
  const ys = ring.map((p) => p[1] as number);
  const xs = ring.map((p) => p[0] as number);
  const y = Math.min(...ys) + (Math.max(...ys) - Math.min(...ys)) * at;
  return {
    type: 'LineString',
    coordinates: [
      [Math.min(...xs) - 0.001, y],
      [Math.max(...xs) + 0.001, y],
    ],
  };
};

/** Asserts the community's cells still tile it: no gap, no overlap, nothing outside, same area. */
async function expectExactTiling(tx: SqlClient, community: string) {
  const cells = await currentCells(tx, community);
  const { rows } = await tx.query<{ geom: MultiPolygon; area: number; cells_area: number }>(
    `select ST_AsGeoJSON(a.geom, 15)::jsonb geom, ST_Area(a.geom::geography) area,
       (select sum(ST_Area(c.geom::geography)) from cells c where c.valid_to is null and c.community_code = a.code) cells_area
     from admin_areas a where a.code = $1`,
    [community],
  );
  const boundary = rows[0] as { geom: MultiPolygon; area: number; cells_area: number };
  const problems = validateTiling(
    cells.map((c) => ({ id: c.code, community: c.community_code, geometry: c.geom })),
    { boundaries: [{ id: community, geometry: boundary.geom }], sliverAreaSquareMeters: 0, sliverThinness: 0 },
  ).filter((p) => p.type !== 'multipart');
  expect(problems).toEqual([]);
  expect(Math.abs(boundary.cells_area - boundary.area) / boundary.area).toBeLessThan(1e-9);
}

/** Expects a statement to fail with a message, inside a savepoint so the transaction goes on. */
async function expectRefused(tx: SqlClient, sql: string, params: unknown[], message: string | RegExp) {
  await tx.exec('savepoint refused');
  await expect(tx.query(sql, params)).rejects.toThrow(message);
  await tx.exec('rollback to savepoint refused');
}

/** Returns a rectangle of ±halfWidth by ±halfHeight metres around (x, y), as a GeoJSON Polygon. */
const squareAround = (x: number, y: number, halfWidthMeters: number, halfHeightMeters = halfWidthMeters): Polygon => {
  const dx = halfWidthMeters / (METERS_PER_DEGREE * Math.cos((y * Math.PI) / 180));
  const dy = halfHeightMeters / METERS_PER_DEGREE;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x - dx, y - dy],
        [x + dx, y - dy],
        [x + dx, y + dy],
        [x - dx, y + dy],
        [x - dx, y - dy],
      ],
    ],
  };
};

const rpc = async <T = Record<string, unknown>>(tx: SqlClient, sql: string, params: unknown[]) =>
  (await tx.query<{ r: T }>(`select ${sql} r`, params)).rows[0]?.r as T;

describeEachDatabase('grid edits', (db) => {
  const pickCell = async (tx: SqlClient, offset = 0) => {
    const cells = await currentCells(tx);
    // An interior cell of the first street with neighbours all round.
    return cells.filter((c) => c.code.startsWith('430199001'))[5 + offset] as CellRow;
  };

  it('splits a cell along a line: the larger part keeps the code, the other gets the next one, points follow', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const cell = await pickCell(tx);
      const { rows: before } = await tx.query<{ n: number; max: string }>(
        `select (select count(*)::int from entities where cell_code = $1) + (select count(*)::int from events where cell_code = $1) n,
           (select max(code) from cells where community_code = $2) max`,
        [cell.code, cell.community_code],
      );
      const result = await rpc<{ editId: number; cells: { code: string; version: number }[]; newCodes: string[] }>(
        tx,
        'split_cell($1, $2, $3, $4)',
        [cell.code, cell.version, JSON.stringify(lineAcross(cell, 0.4)), '道路改造'],
      );
      const next = String(Number(before[0]?.max) + 1).padStart(15, '0');
      expect(result.cells).toEqual([
        { code: cell.code, version: cell.version + 1 },
        { code: next, version: 1 },
      ]);
      expect(result.newCodes).toEqual([next]);
      const { rows: after } = await tx.query<{ n: number; households: number }>(
        `select (select count(*)::int from entities where cell_code = any($1)) + (select count(*)::int from events where cell_code = any($1)) n,
           (select sum(households)::int from cells where valid_to is null and code = any($1)) households`,
        [[cell.code, next]],
      );
      expect(after[0]?.n).toBe(before[0]?.n);
      expect(after[0]?.households).toBe(cell.households);
      const { rows: history } = await tx.query<{ operation: string; reason: string; actor: string; retired_codes: string[] }>(
        'select operation, reason, actor, retired_codes from cell_edits where id = $1',
        [result.editId],
      );
      expect(history[0]).toEqual({ operation: 'split', reason: '道路改造', actor: ADMIN, retired_codes: [] });
      await expectExactTiling(tx, cell.community_code);
    });
  });

  it('refuses a line that does not cross the cell, and edits by anyone but an admin', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const cell = await pickCell(tx);
      const ring = cell.geom.coordinates[0]?.[0] as Position[];
      const [x, y] = ring[0] as number[];
      const stub: LineString = {
        type: 'LineString',
        coordinates: [
          [(x as number) - 0.01, y as number],
          [(x as number) - 0.009, y as number],
        ],
      };
      await expectRefused(
        tx,
        'select split_cell($1, $2, $3, $4)',
        [cell.code, cell.version, JSON.stringify(stub), 'x'],
        `the line does not cross cell ${cell.code} from one side to the other`,
      );
    });
    await asUser(db(), id('command'), async (tx) => {
      await expectRefused(
        tx,
        `select split_cell('430199001001001', 1, '{"type":"LineString","coordinates":[[0,0],[1,1]]}', 'x')`,
        [],
        'only grid administrators may edit cells',
      );
    });
  });

  it('merges neighbours into one cell and refuses cells that only touch at a point or lie in two communities', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const { rows } = await tx.query<{ a: string; av: number; b: string; bv: number }>(
        `select a.code a, a.version av, b.code b, b.version bv from cells a join cells b
           on a.code < b.code and a.community_code = b.community_code and ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) > 0
         where a.valid_to is null and b.valid_to is null order by a.code, b.code limit 1`,
      );
      const pair = rows[0] as { a: string; av: number; b: string; bv: number };
      const result = await rpc<{ cells: { code: string }[]; retiredCodes: string[] }>(tx, 'merge_cells($1, $2)', [
        JSON.stringify([
          { code: pair.a, version: pair.av },
          { code: pair.b, version: pair.bv },
        ]),
        '合并',
      ]);
      expect(result.cells).toHaveLength(1);
      expect(result.retiredCodes).toHaveLength(1);
      expect([pair.a, pair.b]).toContain(result.cells[0]?.code);
      await expectExactTiling(tx, pair.a.slice(0, 12));

      const { rows: corner } = await tx.query<{ a: string; av: number; b: string; bv: number }>(
        `select a.code a, a.version av, b.code b, b.version bv from cells a join cells b
           on a.code < b.code and a.community_code = b.community_code and ST_Touches(a.geom, b.geom)
           and ST_Dimension(ST_Intersection(a.geom, b.geom)) = 0
         where a.valid_to is null and b.valid_to is null limit 1`,
      );
      if (corner[0]) {
        const c = corner[0];
        await expectRefused(
          tx,
          'select merge_cells($1, $2)',
          [
            JSON.stringify([
              { code: c.a, version: c.av },
              { code: c.b, version: c.bv },
            ]),
            'x',
          ],
          'do not share a border (touching at a point is not enough)',
        );
      }
      const { rows: across } = await tx.query<{ a: string; av: number; b: string; bv: number }>(
        `select a.code a, a.version av, b.code b, b.version bv from cells a join cells b
           on a.community_code < b.community_code and ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) > 0
         where a.valid_to is null and b.valid_to is null limit 1`,
      );
      const x = across[0] as { a: string; av: number; b: string; bv: number };
      await expectRefused(
        tx,
        'select merge_cells($1, $2)',
        [
          JSON.stringify([
            { code: x.a, version: x.av },
            { code: x.b, version: x.bv },
          ]),
          'x',
        ],
        'the cells belong to different communities; move one first, then merge',
      );
    });
  });

  it('gives a deleted cell to a neighbour, and moves a cell to the next community with a new code there', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const { rows } = await tx.query<{ a: string; av: number; b: string; bv: number }>(
        `select a.code a, a.version av, b.code b, b.version bv from cells a join cells b
           on a.code <> b.code and a.community_code = b.community_code and ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) > 0
         where a.valid_to is null and b.valid_to is null order by a.code desc limit 1`,
      );
      const pair = rows[0] as { a: string; av: number; b: string; bv: number };
      const given = await rpc<{ operation: string; cells: { code: string }[]; retiredCodes: string[] }>(
        tx,
        'transfer_cell($1, $2, $3, $4, $5)',
        [pair.a, pair.av, pair.b, pair.bv, '撤销网格'],
      );
      expect(given.operation).toBe('transfer');
      expect(given.cells.map((c) => c.code)).toEqual([pair.b]);
      expect(given.retiredCodes).toEqual([pair.a]);

      const { rows: movable } = await tx.query<{ code: string; version: number; from: string; to: string }>(
        `select a.code, a.version, a.community_code "from", b.community_code "to" from cells a join cells b
           on a.community_code <> b.community_code and left(a.community_code, 9) = left(b.community_code, 9)
           and ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) > 0
         where a.valid_to is null and b.valid_to is null order by a.code limit 1`,
      );
      const m = movable[0] as { code: string; version: number; from: string; to: string };
      const moved = await rpc<{ cells: { code: string }[]; retiredCodes: string[] }>(tx, 'move_cell($1, $2, $3, $4)', [
        m.code,
        m.version,
        m.to,
        '调整社区',
      ]);
      expect(moved.cells[0]?.code.slice(0, 12)).toBe(m.to);
      expect(moved.retiredCodes).toEqual([m.code]);
      await expectExactTiling(tx, m.from);
      await expectExactTiling(tx, m.to);
    });
  });

  it('moves a shared border only when every cell on it moves together', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      // A vertex inside the community shared by three or more cells.
      const { rows } = await tx.query<{ x: number; y: number; codes: string[] }>(
        `with v as (
           select c.code, c.community_code, (ST_DumpPoints(c.geom)).geom p from cells c where c.valid_to is null
         )
         select ST_X(p) x, ST_Y(p) y, array_agg(distinct code order by code) codes from v
         group by p, community_code
         having count(distinct code) >= 3
           and not exists (select 1 from cells o where o.valid_to is null and o.community_code <> min(v.community_code) and ST_Intersects(o.geom, v.p))
         limit 1`,
      );
      const vertex = rows[0] as { x: number; y: number; codes: string[] };
      const cells = (await currentCells(tx)).filter((c) => vertex.codes.includes(c.code));
      const moveVertex = (g: MultiPolygon): MultiPolygon => ({
        type: 'MultiPolygon',
        coordinates: g.coordinates.map((poly) =>
          poly.map((ring) => ring.map((p) => (p[0] === vertex.x && p[1] === vertex.y ? [vertex.x + 0.00005, vertex.y + 0.00003] : p))),
        ),
      });
      const onlyOne = [{ code: cells[0]?.code, version: cells[0]?.version, geometry: moveVertex((cells[0] as CellRow).geom) }];
      await expectRefused(
        tx,
        'select reshape_cells($1, $2)',
        [JSON.stringify(onlyOne), 'x'],
        /the new shapes cover [0-9.]+ m² more or less than the cells did/,
      );
      const all = cells.map((c) => ({ code: c.code, version: c.version, geometry: moveVertex(c.geom) }));
      const result = await rpc<{ cells: { code: string; version: number }[] }>(tx, 'reshape_cells($1, $2)', [
        JSON.stringify(all),
        '边界调整',
      ]);
      expect(result.cells.map((c) => c.code)).toEqual(cells.map((c) => c.code));
      await expectExactTiling(tx, (cells[0] as CellRow).community_code);
    });
  });

  it('fixes the gaps and overlaps validation finds, giving each piece to the neighbour with the longest border', async () => {
    await rolledBack(db(), async (tx) => {
      const { rows } = await tx.query<{ x: number; y: number; codes: string[]; community: string }>(
        `with v as (select c.code, c.community_code, (ST_DumpPoints(c.geom)).geom p from cells c where c.valid_to is null)
         select ST_X(p) x, ST_Y(p) y, array_agg(distinct code order by code) codes, min(community_code) community from v
         group by p having count(distinct code) = 2 and count(distinct community_code) = 1
           and not exists (select 1 from admin_areas a where a.level = 'community' and ST_Intersects(ST_Boundary(a.geom), v.p))
         order by min(code), ST_X(p) limit 40`,
      );
      const inward = rows[0];
      const outward = rows.find((r) => r.codes.every((c) => !inward?.codes.includes(c)));
      if (!inward || !outward) throw new Error('need two inner vertices');
      // Damage as the table owner: one cell pulls a corner in (a gap), another pushes one out (an overlap).
      const damage = async (code: string, vertex: { x: number; y: number }, factor: number) =>
        tx.query(
          `update cells c set geom = (
               select ST_Multi(ST_MakePolygon(ST_MakeLine(array_agg(
                 case when ST_Equals(d.geom, ST_SetSRID(ST_Point($2, $3), 4326))
                   then ST_SetSRID(ST_Point($2 + (ST_X(ST_Centroid(c.geom)) - $2) * $4, $3 + (ST_Y(ST_Centroid(c.geom)) - $3) * $4), 4326)
                   else d.geom end order by d.path))))
               from ST_DumpPoints(ST_ExteriorRing(ST_GeometryN(c.geom, 1))) d)
             where c.code = $1 and c.valid_to is null`,
          [code, vertex.x, vertex.y, factor],
        );
      await damage(inward.codes[0] as string, inward, 0.2);
      await damage(outward.codes[0] as string, outward, -0.2);
      await tx.exec(`set local role authenticated`);
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: ADMIN, role: 'authenticated' })]);
      const community = inward.community;
      const cells = await currentCells(tx);
      const problems = validateTiling(cells.map((c) => ({ id: c.code, community: c.community_code, geometry: c.geom }))).filter(
        (p) => p.type === 'gap' || p.type === 'overlap',
      );
      expect(problems.map((p) => p.type).sort()).toContain('gap');
      expect(problems.map((p) => p.type)).toContain('overlap');
      const fixed = fixTiling(
        problems,
        cells.map((c) => ({ id: c.code, community: c.community_code, geometry: c.geom })),
      );
      const versions = new Map(cells.map((c) => [c.code, c.version]));
      const result = await rpc<{ operation: string; cells: { code: string }[] }>(tx, 'reshape_cells($1, $2, false, $3)', [
        JSON.stringify(fixed.map((f) => ({ code: f.id, version: versions.get(f.id), geometry: f.geometry }))),
        '修复缝隙与重叠',
        'fix',
      ]);
      expect(result.operation).toBe('fix');
      await expectExactTiling(tx, community);
      if (outward.community !== community) await expectExactTiling(tx, outward.community);
    });
  });

  it('undoes and redoes a split; a retired code is never given to a new cell', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const cell = await pickCell(tx, 1);
      const split = await rpc<{ editId: number; newCodes: string[] }>(tx, 'split_cell($1, $2, $3, $4)', [
        cell.code,
        cell.version,
        JSON.stringify(lineAcross(cell)),
        'x',
      ]);
      const undo = await rpc<{ editId: number; operation: string; cells: { code: string }[]; retiredCodes: string[] }>(
        tx,
        'revert_cell_edit($1)',
        [split.editId],
      );
      expect(undo.operation).toBe('undo');
      expect(undo.cells.map((c) => c.code)).toEqual([cell.code]);
      expect(undo.retiredCodes).toEqual(split.newCodes);
      const { rows: same } = await tx.query<{ same: boolean }>(
        `select ST_Equals(a.geom, b.geom) same from cells a, cells b
         where a.code = $1 and a.valid_to is null and b.code = $1 and b.version = $2`,
        [cell.code, cell.version],
      );
      expect(same[0]?.same).toBe(true);
      await expectRefused(tx, 'select revert_cell_edit($1)', [split.editId], `edit ${split.editId} was already undone`);
      const redo = await rpc<{ operation: string; cells: { code: string }[] }>(tx, 'revert_cell_edit($1)', [undo.editId]);
      expect(redo.operation).toBe('redo');
      expect(redo.cells.map((c) => c.code)).toEqual([cell.code, ...split.newCodes]);
      const again = await currentCells(tx, cell.community_code);
      const other = again.find((c) => c.code !== cell.code && !split.newCodes.includes(c.code)) as CellRow;
      const next = await rpc<{ newCodes: string[] }>(tx, 'split_cell($1, $2, $3, $4)', [
        other.code,
        other.version,
        JSON.stringify(lineAcross(other)),
        'x',
      ]);
      expect(Number(next.newCodes[0])).toBeGreaterThan(Number(split.newCodes[0]));
      const history = await rpc<{ version: number; operation: string | null }[]>(tx, 'cell_history($1)', [cell.code]);
      expect(history.map((h) => h.operation)).toEqual([null, 'split', 'undo', 'redo']);
      await expectExactTiling(tx, cell.community_code);
    });
  });

  it('keeps the tiling exact through a chain of random edits', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const random = createRandom(11);
      const community = (await pickCell(tx)).community_code;
      const done: string[] = [];
      for (let step = 0; step < 12; step++) {
        const cells = await currentCells(tx, community);
        const cell = random.pick(cells);
        const kind = random.int(0, 2);
        if (kind === 0) {
          await tx.query('select split_cell($1, $2, $3, $4)', [
            cell.code,
            cell.version,
            JSON.stringify(lineAcross(cell, 0.3 + random.next() * 0.4)),
            'r',
          ]);
          done.push('split');
        } else {
          const { rows } = await tx.query<{ code: string; version: number }>(
            `select b.code, b.version from cells a join cells b on b.community_code = a.community_code and b.code <> a.code
               and ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) > 0
             where a.code = $1 and a.valid_to is null and b.valid_to is null order by b.code`,
            [cell.code],
          );
          const other = rows[0];
          if (!other) continue;
          if (kind === 1) {
            await tx.query('select merge_cells($1, $2)', [JSON.stringify([{ code: cell.code, version: cell.version }, other]), 'r']);
            done.push('merge');
          } else {
            const { rows: last } = await tx.query<{ id: number }>(
              'select max(id)::int id from cell_edits where reverted_by is null and operation <> $1',
              ['undo'],
            );
            await tx.query('select revert_cell_edit($1)', [last[0]?.id]);
            done.push('undo');
          }
        }
      }
      expect(new Set(done).size).toBe(3);
      await expectExactTiling(tx, community);
    });
  });

  it('draws a new cell over two neighbours: they give up the area, it gets the next code, points and households follow', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const cell = await pickCell(tx);
      const all = await currentCells(tx, cell.community_code);
      // A square of ±20 m around the middle of the border the cell shares with a neighbour.
      const { rows } = await tx.query<{ code: string; x: number; y: number }>(
        `select b.code, ST_X(m) x, ST_Y(m) y from cells a join cells b on b.community_code = a.community_code and b.code <> a.code
           cross join lateral ST_LineInterpolatePoint(ST_LineMerge(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)), 0.5) m
         where a.code = $1 and a.valid_to is null and b.valid_to is null
           and ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) > 0
         order by b.code limit 1`,
        [cell.code],
      );
      const { code: other, x, y } = rows[0] as { code: string; x: number; y: number };
      const square = squareAround(x, y, 20);
      const { rows: before } = await tx.query<{ n: number; max: string; households: number }>(
        `select (select count(*)::int from entities where ST_Intersects(geom, ST_GeomFromGeoJSON($1))) n,
           (select max(code) from cells where community_code = $2) max,
           (select sum(households)::int from cells where valid_to is null and community_code = $2) households`,
        [JSON.stringify(square), cell.community_code],
      );
      const result = await rpc<{ editId: number; operation: string; cells: { code: string; version: number }[]; newCodes: string[] }>(
        tx,
        'draw_cell($1, $2, $3, $4)',
        [cell.community_code, JSON.stringify(square), JSON.stringify(all.map((c) => ({ code: c.code, version: c.version }))), '新建小区'],
      );
      const next = String(Number(before[0]?.max) + 1).padStart(15, '0');
      expect(result.operation).toBe('draw');
      expect(result.newCodes).toEqual([next]);
      expect(result.cells.map((c) => c.code).sort()).toEqual([cell.code, other, next].sort());
      const { rows: after } = await tx.query<{ n: number; area: number; households: number; history: string }>(
        `select (select count(*)::int from entities where cell_code = $1) n,
           (select ST_Area(geom::geography) from cells where code = $1 and valid_to is null) area,
           (select sum(households)::int from cells where valid_to is null and community_code = $2) households,
           (select operation || ' ' || reason from cell_edits where id = $3) history`,
        [next, cell.community_code, result.editId],
      );
      expect(after[0]?.n).toBe(before[0]?.n);
      expect(after[0]?.area).toBeCloseTo(1600, -1);
      expect(after[0]?.households).toBe(before[0]?.households);
      expect(after[0]?.history).toBe('draw 新建小区');
      await expectExactTiling(tx, cell.community_code);
    });
  });

  it('asks before leaving a cell in two pieces, retires a cell drawn over whole, and refuses a stale picture', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const cell = await pickCell(tx, 1);
      const named = (cells: CellRow[]) => JSON.stringify(cells.map((c) => ({ code: c.code, version: c.version })));
      const { rows } = await tx.query<{ w: number; s: number; e: number; n: number }>(
        `select ST_XMin(geom) w, ST_YMin(geom) s, ST_XMax(geom) e, ST_YMax(geom) n from cells where code = $1 and valid_to is null`,
        [cell.code],
      );
      const box = rows[0] as { w: number; s: number; e: number; n: number };
      const mid = (box.w + box.e) / 2;
      // A band 10 m wide from north to south across the cell (and a little into its neighbours).
      const band = squareAround(mid, (box.s + box.n) / 2, 5, (box.n - box.s) * 0.6 * METERS_PER_DEGREE);
      const all = await currentCells(tx, cell.community_code);
      await expectRefused(
        tx,
        'select draw_cell($1, $2, $3, $4)',
        [cell.community_code, JSON.stringify(band), named(all), 'x'],
        new RegExp(`drawing this cell leaves ${cell.code} \\(2 parts\\).* in separate pieces; confirm multi-part cells to keep them`),
      );
      await tx.exec('savepoint multipart');
      const confirmed = await rpc<{ cells: { code: string }[] }>(tx, 'draw_cell($1, $2, $3, $4, true)', [
        cell.community_code,
        JSON.stringify(band),
        named(all),
        'x',
      ]);
      expect(confirmed.cells.map((c) => c.code)).toContain(cell.code);
      const { rows: parts } = await tx.query<{ n: number }>(
        'select ST_NumGeometries(geom) n from cells where code = $1 and valid_to is null',
        [cell.code],
      );
      expect(parts[0]?.n).toBe(2);
      await expectExactTiling(tx, cell.community_code);
      await tx.exec('rollback to savepoint multipart');

      // Drawn over the whole cell (and a margin): the cell's code is retired.
      const over = squareAround(
        mid,
        (box.s + box.n) / 2,
        ((box.e - box.w) / 2) * 1.02 * METERS_PER_DEGREE * Math.cos((box.s * Math.PI) / 180),
        ((box.n - box.s) / 2) * 1.02 * METERS_PER_DEGREE,
      );
      const whole = await rpc<{ retiredCodes: string[]; newCodes: string[] }>(tx, 'draw_cell($1, $2, $3, $4, true)', [
        cell.community_code,
        JSON.stringify(over),
        named(all),
        'x',
      ]);
      expect(whole.retiredCodes).toEqual([cell.code]);
      await expectExactTiling(tx, cell.community_code);

      // The same picture again is stale now.
      await expectRefused(
        tx,
        'select draw_cell($1, $2, $3, $4, true)',
        [cell.community_code, JSON.stringify(over), named(all), 'x'],
        /changed by another edit|no longer exists|not among the cells you named/,
      );
      // A shape in another district, and a picture that leaves out a cell under the shape.
      await expectRefused(
        tx,
        'select draw_cell($1, $2, $3, $4)',
        [cell.community_code, JSON.stringify(squareAround(100, 10, 20)), named(all), 'x'],
        `the drawn shape does not lie in community ${cell.community_code}`,
      );
      const fresh = await currentCells(tx, cell.community_code);
      const under = fresh.find((c) => c.code === whole.newCodes[0]) as CellRow;
      await expectRefused(
        tx,
        'select draw_cell($1, $2, $3, $4, true)',
        [cell.community_code, JSON.stringify(over), named(fresh.filter((c) => c.code !== under.code)), 'x'],
        `cell ${under.code} lies under the drawn shape but is not among the cells you named`,
      );
    });
  });

  it('imports a new design of a community: kept codes stay, new cells get new codes, the old one retires, undo restores', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const cell = await pickCell(tx);
      const community = cell.community_code;
      const all = await currentCells(tx, community);
      // The picked cell in two halves (no code), every other cell as it is (with its code).
      const { rows: halves } = await tx.query<{ geom: MultiPolygon }>(
        `select ST_AsGeoJSON(ST_Multi(d.geom), 15)::jsonb geom
           from cells c, ST_Dump(ST_Split(c.geom, ST_SetSRID(ST_MakeLine(
             ST_MakePoint(ST_X(ST_Centroid(c.geom)), ST_YMin(c.geom) - 0.01), ST_MakePoint(ST_X(ST_Centroid(c.geom)), ST_YMax(c.geom) + 0.01)), 4326))) d
          where c.code = $1 and c.valid_to is null`,
        [cell.code],
      );
      expect(halves).toHaveLength(2);
      const rows = [
        ...all
          .filter((c) => c.code !== cell.code)
          .map((c, i) => ({ row: i + 1, code: c.code, name: null, community_code: community, households: null, geometry: c.geom })),
        ...halves.map((h, i) => ({
          row: 100 + i,
          code: null,
          name: `新网格${i + 1}`,
          community_code: community,
          households: 5,
          geometry: h.geom,
        })),
      ];
      const expected = JSON.stringify(all.map((c) => ({ code: c.code, version: c.version })));
      const result = await rpc<{ editId: number; operation: string; newCodes: string[]; retiredCodes: string[]; communities: string[] }>(
        tx,
        'import_cells($1, $2, $3)',
        [JSON.stringify(rows), expected, '社区网格重新划分'],
      );
      expect(result).toMatchObject({ operation: 'import', retiredCodes: [cell.code], communities: [community] });
      expect(result.newCodes).toHaveLength(2);
      const after = await currentCells(tx, community);
      expect(after).toHaveLength(all.length + 1);
      expect(after.filter((c) => c.code !== cell.code && !result.newCodes.includes(c.code)).every((c) => c.version === 2)).toBe(true);
      const { rows: names } = await tx.query<{ name: string; households: number }>(
        'select name, households from cells where code = any($1) and valid_to is null order by code',
        [result.newCodes],
      );
      expect(names.map((n) => n.households)).toEqual([5, 5]);
      await expectExactTiling(tx, community);
      const { rows: stray } = await tx.query<{ n: number }>('select count(*)::int n from entities where cell_code = $1', [cell.code]);
      expect(stray[0]?.n).toBe(0);
      await tx.query('select revert_cell_edit($1)', [result.editId]);
      expect((await currentCells(tx, community)).map((c) => c.code)).toEqual(all.map((c) => c.code));

      // A file that leaves a hole: the community keeps its boundary, and the hole is a gap.
      const { rows: boundaryBefore } = await tx.query<{ g: string }>('select ST_AsEWKT(geom) g from admin_areas where code = $1', [
        community,
      ]);
      const restored = await currentCells(tx, community);
      const holed = await rpc<{ editId: number }>(tx, 'import_cells($1, $2, $3)', [
        JSON.stringify(rows.slice(1)),
        JSON.stringify(restored.map((c) => ({ code: c.code, version: c.version }))),
        'x',
      ]);
      const { rows: boundaryAfter } = await tx.query<{ same: boolean; geom: MultiPolygon }>(
        'select ST_Equals(geom, $2::geometry) same, ST_AsGeoJSON(geom, 15)::jsonb geom from admin_areas where code = $1',
        [community, boundaryBefore[0]?.g],
      );
      expect(boundaryAfter[0]?.same).toBe(true);
      const gaps = validateTiling(
        (await currentCells(tx, community)).map((c) => ({ id: c.code, community, geometry: c.geom })),
        { boundaries: [{ id: community, geometry: boundaryAfter[0]?.geom as MultiPolygon }] },
      ).filter((p) => p.type === 'gap');
      expect(gaps).toHaveLength(1);
      await tx.query('select revert_cell_edit($1)', [holed.editId]);

      // Overlapping rows are named; a stale picture is a conflict.
      const fresh = await currentCells(tx, community);
      const overlapping = [
        { row: 7, code: null, name: 'a', community_code: community, households: null, geometry: fresh[0]?.geom },
        { row: 9, code: null, name: 'b', community_code: community, households: null, geometry: fresh[0]?.geom },
      ];
      await expectRefused(
        tx,
        'select import_cells($1, $2, $3)',
        [JSON.stringify(overlapping), JSON.stringify(fresh.map((c) => ({ code: c.code, version: c.version }))), 'x'],
        /^features 7 and 9 overlap by [0-9.]+ m²; cells must not overlap$/,
      );
      await expectRefused(tx, 'select import_cells($1, $2, $3)', [JSON.stringify(rows), expected, 'x'], /was changed by another edit/);
      await expectRefused(
        tx,
        'select import_cells($1, $2, $3)',
        [JSON.stringify([{ ...rows[0], community_code: '430199001099' }]), '[]', 'x'],
        'there is no community 430199001099',
      );
    });
  });

  it('imports a new community under its street, then cells into it; undo takes them away again', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const area = {
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [113.5, 28.5],
              [113.51, 28.5],
              [113.51, 28.51],
              [113.5, 28.51],
              [113.5, 28.5],
            ],
          ],
        ],
      };
      const made = await rpc<{ inserted: number; updated: number }>(tx, 'import_communities($1)', [
        JSON.stringify([
          { row: 1, code: '430199001090', name: '新建社区', geometry: area },
          {
            row: 2,
            code: '430199001001',
            name: '牌楼社区（更名）',
            geometry: (await tx.query<{ g: unknown }>(`select ST_AsGeoJSON(geom)::jsonb g from admin_areas where code = '430199001001'`))
              .rows[0]?.g,
          },
        ]),
      ]);
      expect(made).toEqual({ inserted: 1, updated: 1 });
      await expectRefused(
        tx,
        'select import_communities($1)',
        [JSON.stringify([{ row: 3, code: '430199999001', name: 'x', geometry: area }])],
        'feature 3: there is no street 430199999 for community 430199999001',
      );
      const halves = [0, 1].map((i) => ({
        row: i + 1,
        code: null,
        name: null,
        community_code: '430199001090',
        households: null,
        geometry: {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [113.5 + i * 0.005, 28.5],
                [113.505 + i * 0.005, 28.5],
                [113.505 + i * 0.005, 28.51],
                [113.5 + i * 0.005, 28.51],
                [113.5 + i * 0.005, 28.5],
              ],
            ],
          ],
        },
      }));
      const result = await rpc<{ editId: number; newCodes: string[] }>(tx, 'import_cells($1, $2, $3)', [
        JSON.stringify(halves),
        '[]',
        '新社区网格',
      ]);
      expect(result.newCodes).toEqual(['430199001090001', '430199001090002']);
      await expectExactTiling(tx, '430199001090');
      await tx.query('select revert_cell_edit($1)', [result.editId]);
      expect(await currentCells(tx, '430199001090')).toEqual([]);
    });
  });

  it("classes the cells an edit writes by the latest saved rule set, in the edit's own transaction", async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const cell = await pickCell(tx, 2);
      const split = () =>
        rpc<{ editId: number; cells: { code: string }[]; reclassified: unknown }>(tx, 'split_cell($1, $2, $3, $4)', [
          cell.code,
          cell.version,
          JSON.stringify(lineAcross(cell)),
          'x',
        ]);
      // The demo's rule set is the latest saved: the parts are classed by it.
      await tx.exec('savepoint before_rules');
      expect((await split()).reclassified).toMatchObject({ ruleSet: { name: DEMO_RULE_SET.name, version: 1 }, missing: 0 });
      await tx.exec('rollback to savepoint before_rules');
      // A rule set under which a part with fewer than half the cell's households is C, more is A.
      // (As the owner: members change classes only through the class functions.)
      await tx.exec('reset role');
      await tx.query(`update cells set class = 'B', class_source = 'rule' where code = $1 and valid_to is null`, [cell.code]);
      await tx.exec('set local role authenticated');
      const threshold = Math.max(1, cell.households / 2);
      const saved = await rpc<{ id: number }>(tx, 'save_rule_set($1)', [
        { name: '按户数', weights: { households: 1 }, normalize: 'none', method: 'thresholds', A: threshold, B: threshold },
      ]);
      const result = await split();
      expect(result.reclassified).toMatchObject({ ruleSet: { id: saved.id, name: '按户数', version: 1 }, missing: 0 });
      const { rows } = await tx.query<{ code: string; class: string; households: number; reason: string }>(
        'select code, class, households, class_reason reason from cells where code = any($1) and valid_to is null order by code',
        [result.cells.map((c) => c.code)],
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.class).toBe(row.households >= threshold ? 'A' : 'C');
        expect(JSON.parse(row.reason)).toMatchObject({ rule: '按户数', version: 1, inputs: { households: row.households } });
      }
      // Each change is in the class history as the rule set's, written with the edit.
      const { rows: history } = await tx.query<{ n: number }>(
        `select count(*)::int n from cell_class_changes where cell_code = any($1) and rule_set_id = $2 and source = 'rule'`,
        [result.cells.map((c) => c.code), saved.id],
      );
      expect(history[0]?.n).toBe(rows.filter((r) => r.class !== 'B').length);
      // A manual class survives the edit's run.
      const kept = rows[0] as { code: string };
      await tx.query(`select override_cell_class($1, 'B', '人工核定')`, [kept.code]);
      const version = (await currentCells(tx)).find((c) => c.code === kept.code)?.version as number;
      const moved = await rpc<{ reclassified: { keptManual: number } }>(tx, 'reshape_cells($1, $2)', [
        JSON.stringify(
          (
            await tx.query<{ code: string; version: number; geometry: MultiPolygon }>(
              'select code, version, ST_AsGeoJSON(geom, 15)::jsonb geometry from cells where code = $1 and valid_to is null',
              [kept.code],
            )
          ).rows,
        ),
        'same shape',
      ]);
      expect(version).toBeGreaterThan(0);
      expect(moved.reclassified.keptManual).toBe(1);
      expect(
        (await tx.query<{ class: string }>('select class from cells where code = $1 and valid_to is null', [kept.code])).rows[0]?.class,
      ).toBe('B');
    });
  });

  it('takes a reshape made from cells rounded to 7 decimals (as the app reads them) after a split at full precision', async () => {
    await asUser(db(), ADMIN, async (tx) => {
      const cell = await pickCell(tx, 3);
      const split = await rpc<{ cells: { code: string; version: number }[] }>(tx, 'split_cell($1, $2, $3, $4)', [
        cell.code,
        cell.version,
        JSON.stringify(lineAcross(cell, 0.37)),
        'x',
      ]);
      const { rows } = await tx.query<{ code: string; version: number; geometry: MultiPolygon }>(
        'select code, version, ST_AsGeoJSON(geom, 7)::jsonb geometry from cells where code = any($1) and valid_to is null order by code',
        [split.cells.map((c) => c.code)],
      );
      const result = await rpc<{ operation: string }>(tx, 'reshape_cells($1, $2)', [JSON.stringify(rows), 'rounded']);
      expect(result.operation).toBe('reshape');
      await expectExactTiling(tx, cell.community_code);
    });
  });

  it('lets one of two concurrent edits of a cell win; the other gets a conflict with the fresh shape', async () => {
    const cell = await pickCell(db(), 2);
    const edit = (userDb: SqlClient) =>
      committedAs(userDb, ADMIN, (tx) =>
        tx.query('select split_cell($1, $2, $3, $4)', [cell.code, cell.version, JSON.stringify(lineAcross(cell)), 'concurrent']),
      );
    const results = await Promise.allSettled([edit(db()), edit(db())]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    const error = failure.reason as { code?: string; message: string; detail?: string };
    expect(error.code).toBe('GA409');
    expect(error.message).toBe(
      `cell ${cell.code} was changed by another edit (now version ${cell.version + 1}, you edited version ${cell.version})`,
    );
    const fresh = JSON.parse(error.detail ?? '[]') as { code: string; version: number; geometry: Polygon }[];
    expect(fresh[0]).toMatchObject({ code: cell.code, version: cell.version + 1 });
    expect(fresh[0]?.geometry.type).toBe('MultiPolygon');
  });

  it('refuses a new code once a community has used its 999, naming the community, and never hands out a retired one', async () => {
    await rolledBack(db(), async (tx) => {
      const cell = await pickCell(tx, 3);
      const community = cell.community_code;
      // A retired cell numbered 999 in the community (written as the owner: no edit gets that far here).
      await tx.query(
        `insert into cells (code, name, community_code, class, class_source, class_reason, households, version, geom, valid_from, valid_to)
         select left(code, 12) || '999', name, community_code, class, class_source, class_reason, households, 1, geom,
                now() - interval '2 days', now() - interval '1 day'
         from cells where code = $1 and valid_to is null`,
        [cell.code],
      );
      await tx.exec('set local role authenticated');
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: ADMIN, role: 'authenticated' })]);
      await expectRefused(
        tx,
        'select split_cell($1, $2, $3, $4)',
        [cell.code, cell.version, JSON.stringify(lineAcross(cell)), 'one too many'],
        `community ${community} has used 999 of its 999 cell codes and this edit needs 1 more`,
      );
    });
  });

  it('two opposite moves across one community border at once: no deadlock, each sees the other', async () => {
    const { rows } = await db().query<{ a: string; av: number; ac: string; b: string; bv: number; bc: string }>(
      `select a.code a, a.version av, a.community_code ac, b.code b, b.version bv, b.community_code bc
       from cells a join cells b on a.community_code < b.community_code and left(a.code, 9) = left(b.code, 9)
         and ST_Length(ST_CollectionExtract(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)), 2)) > 0
       where a.valid_to is null and b.valid_to is null
       order by a.code, b.code limit 1`,
    );
    const pair = rows[0];
    if (!pair) throw new Error('no two neighbours in two communities of one street');
    for (let round = 0; round < 3; round++) {
      const move = (code: string, version: number, to: string) =>
        asUser(db(), ADMIN, (tx) => tx.query('select move_cell($1, $2, $3, $4)', [code, version, to, 'opposite moves']));
      const results = await Promise.allSettled([move(pair.a, pair.av, pair.bc), move(pair.b, pair.bv, pair.ac)]);
      const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : 'ok'));
      expect(codes, JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')))).not.toContain('40P01');
    }
  });
});
