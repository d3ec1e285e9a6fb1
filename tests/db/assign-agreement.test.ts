import type { FeatureCollection, MultiPolygon } from 'geojson';
import { expect, it } from 'vitest';
import { assignPoints } from '../../src/geo/assign-points';
import { buildCellIndex } from '../../src/geo/spatial-index';
import { describeEachDatabase } from './each-database';

describeEachDatabase('assignPoints agrees with PostGIS', (db) => {
  it('gives every event and entity the cell ST_Intersects gives it in the database', async () => {
    const { rows: cellRows } = await db().query<{ fc: FeatureCollection<MultiPolygon, { code: string }> }>(
      `select jsonb_build_object('type', 'FeatureCollection', 'features', jsonb_agg(jsonb_build_object(
         'type', 'Feature', 'properties', jsonb_build_object('code', code), 'geometry', ST_AsGeoJSON(geom, 15)::jsonb))) fc
       from cells where valid_to is null`,
    );
    const cells = buildCellIndex(cellRows[0]?.fc.features ?? []);
    const { rows } = await db().query<{ x: number; y: number; cell_code: string | null }>(
      `select ST_X(geom) x, ST_Y(geom) y, cell_code from events
       union all select ST_X(geom), ST_Y(geom), cell_code from entities`,
    );
    const hits = assignPoints(
      cells,
      rows.map((r) => r.x),
      rows.map((r) => r.y),
    );
    const disagreements = rows.filter((r, i) => (r.cell_code ?? '') !== ((hits[i] as number) < 0 ? '' : cells.codes[hits[i] as number]));
    expect(rows.length).toBe(57_500);
    expect(disagreements).toEqual([]);
  });
});
