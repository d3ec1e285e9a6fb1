import { CHINA_CRS, type ChinaCrs } from '../geo/crs-china';
import { type TilingBoundary, type TilingCell, type TilingProblem, validateTiling } from '../geo/validate-tiling';
import { type Command, positiveOption, UsageError } from './command';
import { readPolygonFeatures } from './read-input';

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

const optionalNumber = (values: Record<string, unknown>, name: string) =>
  values[name] === undefined ? undefined : positiveOption(values, name, 0);

/** Returns a problem as the CLI prints it: {type, cells, area_m2, location, reason?}. */
function printable(p: TilingProblem) {
  return {
    type: p.type,
    cells: p.cells,
    area_m2: Math.round(p.areaSquareMeters * 100) / 100,
    location: p.location.map((v) => Math.round((v as number) * 1e7) / 1e7),
    ...(p.measure ? { reason: p.measure } : {}),
  };
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check that cells tile their area: gaps, overlaps, slivers, invalid or multi-part cells, cells outside',
  usage:
    'validate CELLS.(geojson|zip|kml) [--boundary BOUNDARY.(geojson|zip|kml)] [--crs wgs84|gcj02|bd09] [--tolerance-m 0.5] [--min-area-m2 N] [--max-area-m2 N] [--min-households N] [--max-households N] [--json]',
  options: {
    boundary: { type: 'string' },
    crs: { type: 'string' },
    'tolerance-m': { type: 'string' },
    'sliver-area-m2': { type: 'string' },
    'sliver-thinness': { type: 'string' },
    'min-area-m2': { type: 'string' },
    'max-area-m2': { type: 'string' },
    'min-households': { type: 'string' },
    'max-households': { type: 'string' },
  },
  help: [
    'CELLS               GeoJSON, zipped Shapefile or KML of Polygon or MultiPolygon features; id from "code"',
    '                     (else "id"), community from "community_code", households from "households"',
    '--crs CRS            coordinate system of both files: wgs84 (default; CGCS2000 too), gcj02 or bd09',
    '--boundary FILE      GeoJSON the cells must fill. Features with a "code" matching the cells\' community',
    '                     are checked one community at a time; otherwise all cells against all features.',
    '--tolerance-m M      gaps, overlaps and outside pieces narrower than M metres are ignored (default 0.5)',
    '--sliver-area-m2 N   cells smaller than N m² are slivers (default 100)',
    '--sliver-thinness T  cells thinner than T (4πA/P², 1 = a disc) are slivers (default 0.1)',
    '--min-area-m2, --max-area-m2, --min-households, --max-households',
    '                     the "moderate size" rule; cells outside it are reported as type "size"',
    'Prints every problem as {type, cells, area_m2, location: [lon, lat]}; types: invalid, multipart,',
    'overlap, gap, outside, sliver, size. Exit code 1 when there are problems, 0 when there are none.',
  ],
  async run(values, positionals) {
    const [cellsPath, ...extra] = positionals;
    if (cellsPath === undefined) throw new UsageError('CELLS.geojson is required');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const toleranceMeters = positiveOption(values, 'tolerance-m', 0.5);
    const crs = (values.crs ?? 'wgs84') as string;
    if (!(CHINA_CRS as readonly string[]).includes(crs)) throw new UsageError(`--crs must be one of ${CHINA_CRS.join(', ')}, got "${crs}"`);
    const features = await readPolygonFeatures(cellsPath, 'cells file', crs as ChinaCrs);
    const cells: TilingCell[] = features.map((f, i) => {
      const households = f.properties?.households;
      return {
        id: text(f.properties?.code) ?? text(f.properties?.id) ?? text(f.id) ?? `#${i + 1}`,
        community: text(f.properties?.community_code),
        ...(typeof households === 'number' ? { households } : {}),
        geometry: f.geometry,
      };
    });
    let boundaries: TilingBoundary[] | undefined;
    if (typeof values.boundary === 'string') {
      const path = values.boundary;
      const boundaryFeatures = await readPolygonFeatures(path, 'boundary file', crs as ChinaCrs);
      boundaries = boundaryFeatures.map((f, i) => {
        const type = (f.geometry as { type?: string } | null)?.type;
        if (type !== 'Polygon' && type !== 'MultiPolygon') {
          throw new UsageError(`boundary file ${path}: feature ${i + 1} is a ${type ?? 'missing geometry'}, not a polygon`);
        }
        const id = text(f.properties?.code) ?? text(f.properties?.community_code);
        return { ...(id ? { id } : {}), geometry: f.geometry };
      });
    }
    const problems = validateTiling(cells, {
      toleranceMeters,
      ...(boundaries ? { boundaries } : {}),
      sliverAreaSquareMeters: optionalNumber(values, 'sliver-area-m2'),
      sliverThinness: optionalNumber(values, 'sliver-thinness'),
      size: {
        minAreaSquareMeters: optionalNumber(values, 'min-area-m2'),
        maxAreaSquareMeters: optionalNumber(values, 'max-area-m2'),
        minHouseholds: optionalNumber(values, 'min-households'),
        maxHouseholds: optionalNumber(values, 'max-households'),
      },
    });
    const printed = problems.map(printable);
    const counts = new Map<string, number>();
    for (const p of problems) counts.set(p.type, (counts.get(p.type) ?? 0) + 1);
    return {
      json: printed,
      lines: [
        `${cells.length} cells: ${problems.length === 0 ? 'no problems' : [...counts].map(([t, n]) => `${n} ${t}`).join(', ')}`,
        ...printed.map(
          (p) =>
            `${p.type.padEnd(9)} ${p.cells.join(',').padEnd(34)} ${String(p.area_m2).padStart(12)} m²  at ${p.location.join(', ')}${
              p.reason
                ? `  (${p.reason.name}${p.reason.value !== undefined ? ` ${p.reason.value}` : ''}${p.reason.limit !== undefined ? ` vs ${p.reason.limit}` : ''})`
                : ''
            }`,
        ),
      ],
      exitCode: problems.length > 0 ? 1 : 0,
    };
  },
};
