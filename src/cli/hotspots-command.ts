import { writeFile } from 'node:fs/promises';
import { cellHotspots, formatWeightsSpec, hotspotDataProblem, parseWeightsSpec, type WeightsSpec } from '../geo/hotspots';
import { type Command, UsageError } from './command';
import { EVENT_HELP, EVENT_OPTIONS, readEventPoints, writeRejectedRows } from './event-points';
import { readPolygonFeatures } from './read-input';

export const hotspotsCommand: Command = {
  name: 'hotspots',
  summary: 'Getis-Ord Gi* hot and cold spots of events over cells, with z-scores, p-values and classes',
  usage:
    'hotspots --cells CELLS.geojson --points EVENTS.(csv|geojson) [--weights queen|distance:METRES] [--fdr] [--weight COL] --out HOT.geojson [--json]',
  options: {
    ...EVENT_OPTIONS,
    cells: { type: 'string' },
    weights: { type: 'string' },
    fdr: { type: 'boolean' },
    out: { type: 'string' },
  },
  help: [
    '--cells FILE         GeoJSON cells (Polygon or MultiPolygon features with a "code" property)',
    ...EVENT_HELP,
    '--weights SPEC       neighbours: queen (cells that touch, default) or distance:METRES (cells whose',
    '                     inner points lie within METRES)',
    '--fdr                correct for multiple testing (Benjamini–Hochberg false discovery rate)',
    '--out FILE           GeoJSON: every cell with count, value (summed weight), gi_z, gi_p and hotspot',
    '                     (−3..3: cold/hot at 99, 95, 90 % confidence, 0 not significant, like ArcGIS Gi_Bin)',
    'Rows that cannot be read go to FILE with .rejected.csv; exit code 1 when there are some.',
  ],
  async run(values) {
    const out = values.out;
    const cellsPath = values.cells;
    if (typeof cellsPath !== 'string') throw new UsageError('--cells FILE is required');
    if (typeof out !== 'string') throw new UsageError('--out FILE is required');
    let weights: WeightsSpec;
    try {
      weights = parseWeightsSpec(typeof values.weights === 'string' ? values.weights : 'queen');
    } catch (error) {
      throw new UsageError(`--${error instanceof Error ? error.message : String(error)}`);
    }
    const features = await readPolygonFeatures(cellsPath, 'cells file', 'wgs84');
    const cells = features.map((f, i) => {
      const code = f.properties?.code;
      const type = (f.geometry as { type?: string } | null)?.type;
      if (typeof code !== 'string' || code === '') throw new UsageError(`cells file ${cellsPath}: feature ${i + 1} has no "code" property`);
      if (type !== 'Polygon' && type !== 'MultiPolygon')
        throw new UsageError(`cells file ${cellsPath}: cell ${code} is a ${type ?? 'missing geometry'}, not a Polygon or MultiPolygon`);
      return { code, geometry: f.geometry };
    });
    if (cells.length < 3) throw new UsageError(`cells file ${cellsPath}: Gi* needs at least 3 cells, found ${cells.length}`);
    const events = await readEventPoints(values);
    const result = cellHotspots(cells, events.lng, events.lat, events.weight, { weights, fdr: values.fdr === true });
    const thin = hotspotDataProblem(result.cells.map((c) => c.count));
    if (thin) throw new UsageError(`events ${String(values.points)}: ${thin}`);
    await writeFile(
      out,
      JSON.stringify({
        type: 'FeatureCollection',
        features: result.cells.map((c, i) => ({
          type: 'Feature',
          properties: {
            ...(features[i]?.properties ?? {}),
            code: c.code,
            count: c.count,
            value: Number(c.value.toPrecision(12)),
            gi_z: Number(c.z.toFixed(6)),
            gi_p: Number(c.p.toPrecision(6)),
            hotspot: c.hotspot,
          },
          geometry: cells[i]?.geometry,
        })),
      }),
    );
    const rejectedOut = events.table.rejected.length > 0 ? await writeRejectedRows(out, events.table) : null;
    const tally = (bin: number) => result.cells.filter((c) => c.hotspot === bin).length;
    const summary = {
      cells: cells.length,
      points: events.lng.length,
      outside: result.outside,
      rejected: events.table.rejected.length,
      hot: { '99': tally(3), '95': tally(2), '90': tally(1) },
      cold: { '99': tally(-3), '95': tally(-2), '90': tally(-1) },
      weights: formatWeightsSpec(weights),
      fdr: values.fdr === true,
      out,
      rejectedOut,
    };
    return {
      json: summary,
      lines: [
        `${summary.points} events over ${summary.cells} cells (${summary.outside} outside every cell)`,
        `hot spots: ${summary.hot['99']} at 99 %, ${summary.hot['95']} at 95 %, ${summary.hot['90']} at 90 %; cold spots: ${summary.cold['99']}, ${summary.cold['95']}, ${summary.cold['90']}`,
        `wrote ${out}${rejectedOut ? ` and ${rejectedOut} (${summary.rejected} rows that could not be read)` : ''}`,
      ],
      exitCode: summary.rejected > 0 ? 1 : 0,
    };
  },
};
