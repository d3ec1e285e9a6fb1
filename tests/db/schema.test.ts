import { expect, it } from 'vitest';
import { describeEachDatabase, rolledBack } from './each-database';

const point = (lng: number, lat: number) => `ST_SetSRID(ST_MakePoint(${lng}, ${lat}), 4326)`;

describeEachDatabase('schema v1: triggers and constraints', (db) => {
  it('assigns a new entity to the cell that contains it, with its community', async () => {
    await rolledBack(db(), async (tx) => {
      const { rows: cells } = await tx.query<{ code: string; community_code: string; lng: number; lat: number }>(
        `select code, community_code, ST_X(ST_PointOnSurface(geom)) lng, ST_Y(ST_PointOnSurface(geom)) lat
         from cells where valid_to is null order by code limit 1`,
      );
      const c = cells[0];
      if (!c) throw new Error('no cells');
      const { rows } = await tx.query<{ cell_code: string; community_code: string; outside_district: boolean }>(
        `insert into entities (kind, external_id, name, geom) values ('thing', 'T-test-1', '测试消防栓', ${point(c.lng, c.lat)})
         returning cell_code, community_code, outside_district`,
      );
      expect(rows[0]).toEqual({ cell_code: c.code, community_code: c.community_code, outside_district: false });
    });
  });

  it('flags, and keeps, an event outside every cell', async () => {
    await rolledBack(db(), async (tx) => {
      const { rows } = await tx.query<{ cell_code: string | null; outside_district: boolean }>(
        `insert into events (external_id, category, severity, source, occurred_at, geom)
         values ('E-outside', '市容环境', 1, 'citizen', now(), ${point(100, 30)}) returning cell_code, outside_district`,
      );
      expect(rows[0]).toEqual({ cell_code: null, outside_district: true });
    });
  });

  it('re-assigns an entity when its location moves', async () => {
    await rolledBack(db(), async (tx) => {
      const { rows: two } = await tx.query<{ code: string; lng: number; lat: number }>(
        `select code, ST_X(ST_PointOnSurface(geom)) lng, ST_Y(ST_PointOnSurface(geom)) lat from cells where valid_to is null order by code limit 2`,
      );
      const [a, b] = two;
      if (!a || !b) throw new Error('need two cells');
      await tx.query(`insert into entities (kind, external_id, name, geom) values ('place', 'L-move', '移动', ${point(a.lng, a.lat)})`);
      const { rows } = await tx.query<{ cell_code: string }>(
        `update entities set geom = ${point(b.lng, b.lat)} where external_id = 'L-move' returning cell_code`,
      );
      expect(rows[0]?.cell_code).toBe(b.code);
    });
  });

  it('keeps a point in the cell its position gives: a written cell_code is set again from the position', async () => {
    await rolledBack(db(), async (tx) => {
      const { rows: two } = await tx.query<{ code: string }>(`select code from cells where valid_to is null order by code limit 2`);
      const { rows } = await tx.query<{ before: string; after: string }>(
        `with e as (select id, cell_code from events where cell_code = $1 limit 1)
         update events v set cell_code = $2 from e where v.id = e.id returning e.cell_code before, v.cell_code after`,
        [two[0]?.code, two[1]?.code],
      );
      expect(rows[0]).toEqual({ before: two[0]?.code, after: two[0]?.code });
    });
  });

  it('refuses positions that are not numbers or lie outside China (NaN, 1e308), for points and cells', async () => {
    for (const [sql, constraint] of [
      [
        `insert into events (external_id, category, severity, source, occurred_at, geom) values ('nan', 'x', 1, 'citizen', now(), ST_SetSRID(ST_MakePoint('NaN', 'NaN'), 4326))`,
        'events_geom_in_china',
      ],
      [
        `insert into entities (kind, external_id, name, geom) values ('thing', 'huge', 'x', ST_SetSRID(ST_MakePoint(1e308, 28), 4326))`,
        'entities_geom_in_china',
      ],
      [
        `insert into entities (kind, external_id, name, geom) values ('thing', 'metres', 'x', ST_SetSRID(ST_MakePoint(500000, 3100000), 4326))`,
        'entities_geom_in_china',
      ],
      [
        `insert into cells (code, name, community_code, geom)
          select community_code || '997', 'huge', community_code,
            ST_Multi(ST_GeomFromText('POLYGON((112.9 28.2, 1e300 28.2, 112.9 28.3, 112.9 28.2))', 4326))
          from cells limit 1`,
        'cells_geom_in_china',
      ],
    ] as const) {
      await rolledBack(db(), async (tx) => {
        await expect(tx.query(sql), sql).rejects.toThrow(new RegExp(constraint));
      });
    }
  });

  it('refuses a self-intersecting cell', async () => {
    await rolledBack(db(), async (tx) => {
      await expect(
        tx.query(`insert into cells (code, name, community_code, geom)
          select community_code || '998', 'bow tie', community_code,
            ST_Multi(ST_GeomFromText('POLYGON((112.9 28.2, 112.91 28.21, 112.91 28.2, 112.9 28.21, 112.9 28.2))', 4326))
          from cells limit 1`),
      ).rejects.toThrow(/cells_geom_valid/);
    });
  });

  it('refuses geometry in another SRID', async () => {
    await rolledBack(db(), async (tx) => {
      await expect(
        tx.query(
          `insert into entities (kind, external_id, name, geom) values ('thing', 'T-srid', 'x', ST_SetSRID(ST_MakePoint(500000, 3100000), 4547))`,
        ),
      ).rejects.toThrow(/SRID|srid/);
    });
  });

  it('refuses a cell code that is not in its community', async () => {
    await rolledBack(db(), async (tx) => {
      await expect(
        tx.query(`insert into cells (code, name, community_code, geom)
          select '999999999999001', 'wrong', community_code, geom from cells limit 1`),
      ).rejects.toThrow(/cells_code_in_community/);
    });
  });

  it('refuses a manual class without a reason', async () => {
    await rolledBack(db(), async (tx) => {
      await expect(
        tx.query(`update cells set class = 'A', class_source = 'manual', class_reason = '' where code = (select min(code) from cells)`),
      ).rejects.toThrow(/cells_manual_class_has_reason/);
    });
  });

  it('refuses a second current cell with the same code but keeps closed versions', async () => {
    await rolledBack(db(), async (tx) => {
      const insertCopy = `insert into cells (code, name, community_code, geom, version)
        select code, name, community_code, geom, $1 from cells where code = (select min(code) from cells)`;
      await expect(tx.query(insertCopy, [2])).rejects.toThrow(/cells_current_code_idx/);
    });
    await rolledBack(db(), async (tx) => {
      await tx.query(`update cells set valid_to = now() where code = (select min(code) from cells)`);
      await tx.query(`insert into cells (code, name, community_code, geom, version)
        select code, name, community_code, geom, 2 from cells where code = (select min(code) from cells)`);
      const { rows } = await tx.query<{ n: number }>(`select count(*)::int n from cells where code = (select min(code) from cells)`);
      expect(rows[0]?.n).toBe(2);
    });
  });

  it('refuses an ID card number of the wrong form', async () => {
    await rolledBack(db(), async (tx) => {
      await expect(
        tx.query(
          `update person_private set id_card_number = '12345' where entity_id = (select min(entity_id::text)::uuid from person_private)`,
        ),
      ).rejects.toThrow(/person_private_id_card_number_check/);
    });
  });

  it('has row level security enabled on every table of the public schema', async () => {
    const { rows } = await db().query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and not c.relrowsecurity and c.relname <> 'spatial_ref_sys'`,
    );
    expect(rows).toEqual([]);
  });

  it('has GiST indexes on every geometry column', async () => {
    const { rows } = await db().query<{ t: string }>(
      `select f_table_name t from geometry_columns g where f_table_schema = 'public'
       and not exists (select 1 from pg_indexes i where i.tablename = g.f_table_name and i.indexdef ilike '%gist%(' || g.f_geometry_column || ')%')`,
    );
    expect(rows).toEqual([]);
  });
});

describeEachDatabase('demo district tiling', (db) => {
  it('cells cover their district exactly: no gap, no overlap', async () => {
    const { rows } = await db().query<{ district: number; cells: number; union_diff: number }>(
      `select ST_Area(d.geom::geography) district,
              (select sum(ST_Area(geom::geography)) from cells where valid_to is null) cells,
              ST_Area(ST_SymDifference(d.geom, (select ST_Union(geom) from cells where valid_to is null))::geography) union_diff
       from admin_areas d where d.level = 'district'`,
    );
    const r = rows[0];
    if (!r) throw new Error('no district');
    // Sum of areas equal to the area of the union means no overlap; the union equal to the district means no gap.
    expect(r.cells / r.district).toBeCloseTo(1, 9);
    expect(r.union_diff).toBeLessThan(1);
  });

  it('every cell lies in its own community', async () => {
    const { rows } = await db().query<{ n: number }>(
      `select count(*)::int n from cells c join admin_areas a on a.code = c.community_code
       where c.valid_to is null and ST_Area(ST_Difference(c.geom, a.geom)::geography) > 0.01`,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('every located row has the cell PostGIS finds for it', async () => {
    const { rows } = await db().query<{ n: number }>(
      `select count(*)::int n from entities e
       where e.cell_code is distinct from (select code from cells c where c.valid_to is null and ST_Intersects(c.geom, e.geom) order by code limit 1)`,
    );
    expect(rows[0]?.n).toBe(0);
  });
});
