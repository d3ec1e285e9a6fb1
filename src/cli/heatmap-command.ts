import { writeFile } from 'node:fs/promises';
import type { BBox } from '../domain/ids';
import {
  type DensityGrid,
  type DensityOptions,
  KERNELS,
  type Kernel,
  kernelDensity,
  kernelReachMeters,
  pointsBBox,
  type RasterFrame,
  rasterFrame,
} from '../geo/kernel-density';
import { type Command, positiveOption, UsageError } from './command';
import { densityThreads } from './density-threads';
import { EVENT_HELP, EVENT_OPTIONS, readEventPoints, writeRejectedRows } from './event-points';

/** Parses --bbox "west,south,east,north". */
function bboxOption(raw: unknown): BBox | null {
  if (raw === undefined) return null;
  const parts = String(raw).split(',').map(Number);
  if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v)))
    throw new UsageError(`--bbox must be west,south,east,north in degrees, got "${String(raw)}"`);
  return parts as unknown as BBox;
}

/** From this many points on, the density is computed in bands on every core (starting threads pays). */
const THREADS_FROM_POINTS = 100_000;

async function density(
  lng: Float64Array,
  lat: Float64Array,
  weights: Float64Array | null,
  frame: RasterFrame,
  options: DensityOptions,
): Promise<{ grid: DensityGrid; threads: number }> {
  if (lng.length < THREADS_FROM_POINTS) return { grid: kernelDensity(lng, lat, weights, frame, options), threads: 1 };
  const pool = densityThreads();
  try {
    await pool.setPoints(lng, lat);
    return await pool.density(weights, frame, options);
  } finally {
    pool.terminate();
  }
}

export const heatmapCommand: Command = {
  name: 'heatmap',
  summary: 'kernel density of events on a raster, per km² (weighted, with optional time decay)',
  usage:
    'heatmap --points EVENTS.(csv|geojson) --bandwidth-m 300 --cell-m 20 [--kernel quartic|gaussian] [--weight COL] [--time COL --half-life-days N] [--bbox W,S,E,N] --out HEAT.json [--json]',
  options: {
    ...EVENT_OPTIONS,
    'bandwidth-m': { type: 'string' },
    'cell-m': { type: 'string' },
    kernel: { type: 'string' },
    bbox: { type: 'string' },
    out: { type: 'string' },
  },
  help: [
    ...EVENT_HELP,
    '--bandwidth-m M      quartic: the search radius; gaussian: the standard deviation (default 300)',
    '--cell-m M           raster cell size in metres (default 20)',
    '--kernel NAME        quartic (default) or gaussian',
    '--bbox W,S,E,N       raster extent in degrees (default: the events, grown by the kernel reach)',
    '--out FILE           JSON {bbox, width, height, cell_m, values[]}: values row-major from the north-west',
    '                     corner, events per km² (weighted when --weight or --half-life-days is given).',
    'Rows that cannot be read go to FILE with .rejected.csv; exit code 1 when there are some.',
  ],
  async run(values) {
    const out = values.out;
    if (typeof out !== 'string') throw new UsageError('--out FILE is required');
    const kernel = (values.kernel ?? 'quartic') as Kernel;
    if (!KERNELS.includes(kernel)) throw new UsageError(`--kernel must be one of ${KERNELS.join(', ')}, got "${String(values.kernel)}"`);
    const options = { kernel, bandwidthMeters: positiveOption(values, 'bandwidth-m', 300) };
    const cellMeters = positiveOption(values, 'cell-m', 20);
    const events = await readEventPoints(values);
    const bbox = bboxOption(values.bbox);
    if (!bbox && events.lng.length === 0) throw new UsageError('there are no readable events, and no --bbox to draw an empty raster on');
    let frame: ReturnType<typeof rasterFrame>;
    try {
      frame = rasterFrame(bbox ?? pointsBBox(events.lng, events.lat, kernelReachMeters(options)), cellMeters);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    const { grid, threads } = await density(events.lng, events.lat, events.weight, frame, options);
    const round = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(7)));
    const body = {
      bbox: grid.bbox,
      width: grid.width,
      height: grid.height,
      cell_m: grid.cellMeters,
      kernel,
      bandwidth_m: options.bandwidthMeters,
      units: events.weight ? 'weighted events per km²' : 'events per km²',
      max: round(grid.max),
      values: Array.from(grid.values, round),
    };
    await writeFile(out, JSON.stringify(body));
    const rejectedOut = events.table.rejected.length > 0 ? await writeRejectedRows(out, events.table) : null;
    const summary = {
      points: events.lng.length,
      rejected: events.table.rejected.length,
      width: grid.width,
      height: grid.height,
      max: body.max,
      units: body.units,
      threads,
      out,
      rejectedOut,
    };
    return {
      json: summary,
      lines: [
        `${summary.points} events on a ${grid.width} × ${grid.height} raster of ${cellMeters} m cells; peak ${body.max} ${body.units}`,
        `wrote ${out}${rejectedOut ? ` and ${rejectedOut} (${summary.rejected} rows that could not be read)` : ''}`,
      ],
      exitCode: summary.rejected > 0 ? 1 : 0,
    };
  },
};
