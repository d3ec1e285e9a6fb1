import type { MultiPolygon, Position } from 'geojson';
import { expect, it } from 'vitest';
import { createRandom } from '../../src/demo/random';
import { type TilingCell, validateTiling } from '../../src/geo/validate-tiling';
import { describeEachDatabase } from './each-database';

interface Totals {
  gaps: number;
  gapArea: number;
  overlaps: number;
  overlapArea: number;
}

/** Gaps and overlaps by PostGIS: holes in the union, and the pairwise intersections with an area. */
const POSTGIS_TOTALS = `
  with cells as (
    select t.id, ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4326) geom from jsonb_array_elements_text($1::jsonb) with ordinality t(g, id)
  ),
  holes as (
    select (ST_DumpRings((ST_Dump(ST_Union(geom))).geom)).* from cells
  ),
  pieces as (
    select (ST_Dump(ST_Intersection(a.geom, b.geom))).geom
    from cells a join cells b on a.id < b.id and ST_Intersects(a.geom, b.geom)
  )
  select
    (select count(*) from holes where path[1] > 0 and ST_Area(geom::geography) > 50)::int gaps,
    (select coalesce(sum(ST_Area(geom::geography)), 0) from holes where path[1] > 0 and ST_Area(geom::geography) > 50) gap_area,
    (select count(*) from pieces where ST_Dimension(geom) = 2 and ST_Area(geom::geography) > 50)::int overlap_count,
    (select coalesce(sum(ST_Area(geom::geography)), 0) from pieces where ST_Dimension(geom) = 2 and ST_Area(geom::geography) > 50) overlap_area`;

describeEachDatabase('validateTiling agrees with PostGIS', (db) => {
  it('finds the same gaps and overlaps as ST_Union and ST_Intersection after random damage', async () => {
    const { rows } = await db().query<{ code: string; community_code: string; geom: MultiPolygon }>(
      `select code, community_code, ST_AsGeoJSON(geom, 15)::jsonb geom from cells where valid_to is null order by code`,
    );
    expect(rows.length).toBeGreaterThan(500);
    const random = createRandom(7);
    const next = () => random.next();
    const found = { gaps: 0, overlaps: 0 };
    for (let round = 0; round < 6; round++) {
      const cells: TilingCell[] = rows.map((r) => ({
        id: r.code,
        community: r.community_code,
        geometry: structuredClone(r.geom),
      }));
      // Damage: drop a cell (a gap), push a vertex of another outwards (an overlap and maybe a
      // gap beside it), and lay a shifted copy of a third over its neighbours.
      const pick = () => Math.floor(next() * cells.length);
      cells.splice(pick(), 1);
      const moved = cells[pick()] as TilingCell;
      const ring = (moved.geometry as MultiPolygon).coordinates[0]?.[0] as Position[];
      const k = 1 + Math.floor(next() * (ring.length - 2));
      const v = ring[k] as Position;
      ring[k] = [(v[0] as number) + (next() - 0.5) * 0.0006, (v[1] as number) + (next() - 0.5) * 0.0006];
      const copied = cells[pick()] as TilingCell;
      const shift = 0.0002 + next() * 0.0002;
      cells.push({
        id: 'copy',
        geometry: {
          type: 'MultiPolygon',
          coordinates: (copied.geometry as MultiPolygon).coordinates.map((rings) =>
            rings.map((r) => r.map((p) => [(p[0] as number) + shift, (p[1] as number) + shift / 2])),
          ),
        },
      });

      const problems = validateTiling(cells, { toleranceMeters: 0.5 }).filter((p) => p.areaSquareMeters > 50);
      const ours: Totals = {
        gaps: problems.filter((p) => p.type === 'gap').length,
        gapArea: problems.filter((p) => p.type === 'gap').reduce((s, p) => s + p.areaSquareMeters, 0),
        overlaps: problems.filter((p) => p.type === 'overlap').length,
        overlapArea: problems.filter((p) => p.type === 'overlap').reduce((s, p) => s + p.areaSquareMeters, 0),
      };
      const invalid = problems.filter((p) => p.type === 'invalid');
      const valid = cells.filter((c) => !invalid.some((p) => p.cells.includes(c.id)));
      const { rows: theirs } = await db().query<{ gaps: number; gap_area: number; overlap_count: number; overlap_area: number }>(
        POSTGIS_TOTALS,
        [JSON.stringify(valid.map((c) => JSON.stringify(c.geometry)))],
      );
      const postgis = theirs[0] as { gaps: number; gap_area: number; overlap_count: number; overlap_area: number };
      expect(ours.overlaps, `round ${round}`).toBe(postgis.overlap_count);
      expect(ours.gaps, `round ${round}`).toBe(postgis.gaps);
      found.gaps += ours.gaps;
      found.overlaps += ours.overlaps;
      // Ours are on the sphere, PostGIS's on the WGS-84 spheroid: 0.15 % apart at this latitude.
      const relative = (a: number, b: number) => (b === 0 ? a : Math.abs(a - b) / b);
      expect(relative(ours.overlapArea, Number(postgis.overlap_area))).toBeLessThan(3e-3);
      expect(relative(ours.gapArea, Number(postgis.gap_area))).toBeLessThan(3e-3);
    }
    expect(found.gaps).toBeGreaterThan(2);
    expect(found.overlaps).toBeGreaterThan(5);
  });
});
