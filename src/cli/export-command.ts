import { writeFile } from 'node:fs/promises';
import { cellsToCsvWkt, cellsToGeoJson, cellsToShapefileZip, type ExportCell } from '../geo/export-cells';
import { type Command, UsageError } from './command';
import { readPolygonFeatures } from './read-input';

const FORMATS = ['geojson', 'shp', 'csv'] as const;

export const exportCommand: Command = {
  name: 'export',
  summary: 'write cells as GeoJSON, a zipped shapefile (.prj, UTF-8 .cpg) or CSV with WKT',
  usage: 'export CELLS.geojson --format geojson|shp|csv --out FILE [--json]',
  options: { format: { type: 'string' }, out: { type: 'string' } },
  help: [
    'CELLS.geojson        Polygon or MultiPolygon features with "code"; "name", "community_code", "class"',
    '                     and "households" are carried over',
    '--format NAME        geojson, shp (a .zip holding .shp .shx .dbf .prj .cpg) or csv (with a wkt column)',
    '--out FILE           where to write',
  ],
  async run(values, positionals) {
    const [path, ...extra] = positionals;
    if (path === undefined) throw new UsageError('CELLS.geojson is required');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const format = values.format as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${String(values.format)}"`);
    const out = values.out;
    if (typeof out !== 'string') throw new UsageError('--out FILE is required');
    const features = await readPolygonFeatures(path, 'cells file', 'wgs84');
    const cells: ExportCell[] = features.map((f, i) => {
      const p = f.properties ?? {};
      const type = (f.geometry as { type?: string } | null)?.type;
      if (typeof p.code !== 'string' || p.code === '') throw new UsageError(`cells file ${path}: feature ${i + 1} has no "code" property`);
      if (type !== 'Polygon' && type !== 'MultiPolygon')
        throw new UsageError(`cells file ${path}: cell ${p.code} is a ${type ?? 'missing geometry'}, not a Polygon or MultiPolygon`);
      return {
        code: p.code,
        name: typeof p.name === 'string' ? p.name : '',
        communityCode: typeof p.community_code === 'string' ? p.community_code : '',
        class: typeof p.class === 'string' ? p.class : '',
        households: typeof p.households === 'number' ? p.households : 0,
        geometry: f.geometry,
      };
    });
    const base = out.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'cells';
    await writeFile(
      out,
      format === 'geojson' ? cellsToGeoJson(cells) : format === 'csv' ? cellsToCsvWkt(cells) : cellsToShapefileZip(cells, base),
    );
    return { json: { cells: cells.length, format, out }, lines: [`wrote ${cells.length} cells to ${out} (${format})`], exitCode: 0 };
  },
};
