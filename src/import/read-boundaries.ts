import { kml } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import { unzipSync } from 'fflate';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Position } from 'geojson';
import { read as readShapefile } from 'shapefile';
import type { LngLat } from '../domain/ids';
import { type ChinaCrs, toWgs84 } from '../geo/crs-china';

/** The boundary file formats the import reads. */
export type BoundaryFormat = 'geojson' | 'shapefile' | 'kml';

/** One polygon feature read from a boundary file, in WGS-84, with its 1-based row in the file. */
export interface BoundaryFeature {
  row: number;
  properties: Record<string, unknown>;
  geometry: MultiPolygon;
}

/** Why a feature could not be taken (the UI words it per code; `reason` is the English text). */
export type BoundaryWhy =
  | { code: 'not-polygon'; type: string }
  | { code: 'no-geometry' }
  | { code: 'mixed-collection' }
  | { code: 'short-ring'; points: number }
  | { code: 'not-number' }
  | { code: 'out-of-range'; x: number; y: number }
  | { code: 'no-community' }
  | { code: 'unknown-community'; value: string }
  | { code: 'nowhere' }
  | { code: 'households'; value: string }
  | { code: 'community-code'; value: string }
  | { code: 'no-name' };

/** Returns the English reason for a rejected feature (for files and the CLI). */
export function boundaryReasonText(row: number, why: BoundaryWhy): string {
  switch (why.code) {
    case 'not-polygon':
      return `feature ${row} is a ${why.type}, not a polygon`;
    case 'no-geometry':
      return `feature ${row} has no geometry`;
    case 'mixed-collection':
      return `feature ${row} is a GeometryCollection with parts that are not polygons`;
    case 'short-ring':
      return `feature ${row} has a ring of ${why.points} points (a polygon needs 4)`;
    case 'not-number':
      return `feature ${row} has a coordinate that is not a number`;
    case 'out-of-range':
      return `feature ${row} has the coordinate ${why.x}, ${why.y}, outside longitude/latitude (is it projected?)`;
    case 'no-community':
      return `feature ${row} names no community`;
    case 'unknown-community':
      return `feature ${row}: there is no community "${why.value}"`;
    case 'nowhere':
      return `feature ${row} lies in no community (import the community first, or name it in a field)`;
    case 'households':
      return `feature ${row}: households "${why.value}" is not a whole number`;
    case 'community-code':
      return `feature ${row}: a community code has 12 digits, got "${why.value}"`;
    case 'no-name':
      return `feature ${row} has no name`;
  }
}

/** A feature the import could not take: which row, which field, why, and what it held. */
export interface BoundaryRejection {
  row: number;
  field: string;
  why: BoundaryWhy;
  reason: string;
  properties: Record<string, unknown>;
  /** The geometry as the file had it (WGS-84 once read), null when it had none. */
  geometry: Geometry | null;
}

/** What a boundary file held: the polygon features, the rows left out, and the property names. */
export interface BoundaryFile {
  format: BoundaryFormat;
  features: BoundaryFeature[];
  rejected: BoundaryRejection[];
  /** Property names in the order first seen (for mapping them to code, name, community…). */
  fields: string[];
  /** The .dbf text encoding used for a shapefile. */
  encoding?: string;
}

/** An unreadable file: the message names the file and the reason. */
export class BoundaryFileError extends Error {
  override name = 'BoundaryFileError';
}

/** Returns the format a file name says (by extension), or null. */
export function boundaryFormatOf(fileName: string): BoundaryFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.zip')) return 'shapefile';
  if (lower.endsWith('.kml')) return 'kml';
  return null;
}

// Language driver ids in a .dbf header (byte 29) that mean a Chinese code page.
const CHINESE_LDID = new Set([0x4d, 0x7a]);

/** Returns the TextDecoder label for a shapefile's .cpg content or its .dbf language driver. */
function dbfEncoding(cpg: string | null, dbf: Uint8Array): string {
  const name = (cpg ?? '').trim().toLowerCase().replace(/^cp/, '');
  if (/^utf-?8$/.test(name)) return 'utf-8';
  if (['gbk', 'gb2312', 'gb18030', '936', 'ansi 936'].includes(name)) return 'gb18030';
  if (name === '' && CHINESE_LDID.has(dbf[29] ?? 0)) return 'gb18030';
  if (name !== '') {
    try {
      new TextDecoder(name);
      return name;
    } catch {
      return 'utf-8';
    }
  }
  return 'utf-8';
}

const copy = (bytes: Uint8Array) => bytes.slice().buffer as ArrayBuffer;

/**
 * How much a zip may unpack to (a zip bomb: 1 MB holding a 1 GiB .shp ran minutes and ran out of
 * memory): each part of the shapefile, all parts together, and how many times its packed size a
 * part may grow (shapefiles pack 2–20 times; zeros pack a thousand times).
 */
export const ZIP_LIMITS = { entryBytes: 256 * 2 ** 20, totalBytes: 512 * 2 ** 20, ratio: 200 };

/** The parts of a shapefile the import reads; other files in the zip are not unpacked. */
const SHAPEFILE_PARTS = ['.shp', '.shx', '.dbf', '.prj', '.cpg'];

const megabytes = (n: number) => (n < 2 ** 20 ? `${n} bytes` : `${Math.round(n / 2 ** 20)} MB`);

/** Returns the shapefile parts of a zip, unpacked within ZIP_LIMITS, or throws naming the file and the limit. */
export function unzipShapefile(
  fileName: string,
  bytes: Uint8Array,
  limits = ZIP_LIMITS,
): { entries: Record<string, Uint8Array>; names: string[] } {
  const names: string[] = [];
  let total = 0;
  let refusal: string | null = null;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (!file.name.startsWith('__MACOSX/')) names.push(file.name);
        if (refusal || !SHAPEFILE_PARTS.some((ext) => file.name.toLowerCase().endsWith(ext)) || file.name.startsWith('__MACOSX/'))
          return false;
        total += file.originalSize;
        if (file.originalSize > limits.entryBytes)
          refusal = `${file.name} would unpack to ${megabytes(file.originalSize)}, more than the ${megabytes(limits.entryBytes)} a part may have`;
        else if (total > limits.totalBytes) refusal = `its shapefile would unpack to more than ${megabytes(limits.totalBytes)}`;
        else if (file.originalSize > 2 ** 20 && file.originalSize > limits.ratio * Math.max(1, file.size))
          refusal = `${file.name} would grow ${Math.round(file.originalSize / Math.max(1, file.size))} times when unpacked, more than a shapefile does (${limits.ratio})`;
        return refusal === null;
      },
    });
  } catch (error) {
    throw new BoundaryFileError(`${fileName} is not a zip archive: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (refusal) throw new BoundaryFileError(`${fileName} was not unpacked: ${refusal}`);
  // A zip may understate what a part unpacks to: count what it did.
  const unpacked = Object.values(entries).reduce((n, e) => n + e.length, 0);
  if (unpacked > limits.totalBytes)
    throw new BoundaryFileError(`${fileName} was not unpacked: its shapefile unpacked to more than ${megabytes(limits.totalBytes)}`);
  return { entries, names };
}

async function readShapefileZip(fileName: string, bytes: Uint8Array): Promise<{ collection: FeatureCollection; encoding: string }> {
  const { entries, names } = unzipShapefile(fileName, bytes);
  const shpNames = names.filter((n) => n.toLowerCase().endsWith('.shp'));
  if (shpNames.length === 0) throw new BoundaryFileError(`${fileName} holds no .shp file (found: ${names.join(', ') || 'nothing'})`);
  if (shpNames.length > 1)
    throw new BoundaryFileError(`${fileName} holds ${shpNames.length} shapefiles (${shpNames.join(', ')}): zip one at a time`);
  const base = (shpNames[0] as string).slice(0, -4);
  const sibling = (ext: string) => {
    const key = names.find((n) => n.toLowerCase() === `${base.toLowerCase()}${ext}`);
    return key ? (entries[key] as Uint8Array) : null;
  };
  const prj = sibling('.prj');
  if (prj) {
    const wkt = new TextDecoder().decode(prj).trim();
    if (/^PROJCS|^PROJCRS/i.test(wkt)) {
      const name = /^\w+\["([^"]*)"/.exec(wkt)?.[1] ?? 'a projected system';
      throw new BoundaryFileError(
        `${fileName}: the .prj says ${name}, a projected coordinate system; save the layer in longitude/latitude (WGS-84 or CGCS2000) and import again`,
      );
    }
  }
  const dbf = sibling('.dbf');
  const cpg = sibling('.cpg');
  const encoding = dbf ? dbfEncoding(cpg ? new TextDecoder().decode(cpg) : null, dbf) : 'utf-8';
  try {
    const collection = await readShapefile(copy(entries[shpNames[0] as string] as Uint8Array), dbf ? copy(dbf) : undefined, { encoding });
    return { collection, encoding };
  } catch (error) {
    throw new BoundaryFileError(`${fileName}: the shapefile cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function readKml(fileName: string, bytes: Uint8Array): FeatureCollection {
  const text = new TextDecoder().decode(bytes);
  const errors: string[] = [];
  let doc: ReturnType<DOMParser['parseFromString']> | null = null;
  try {
    doc = new DOMParser({ onError: (level, message) => level !== 'warning' && errors.push(message) }).parseFromString(text, 'text/xml');
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  if (!doc || errors.length > 0 || doc.getElementsByTagName('kml').length === 0) {
    throw new BoundaryFileError(`${fileName} is not KML: ${errors[0] ?? 'there is no <kml> element'}`);
  }
  return kml(doc as unknown as Document) as FeatureCollection;
}

function readGeoJson(fileName: string, bytes: Uint8Array): FeatureCollection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new BoundaryFileError(`${fileName} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const value = parsed as { type?: string; features?: unknown };
  if (value?.type === 'FeatureCollection' && Array.isArray(value.features)) return value as FeatureCollection;
  if (value?.type === 'Feature') return { type: 'FeatureCollection', features: [value as Feature] };
  throw new BoundaryFileError(`${fileName} is not a GeoJSON FeatureCollection (its type is ${value?.type ?? 'missing'})`);
}

/** Returns why a position is unusable, or null. */
function badPosition(p: Position): BoundaryWhy | null {
  if (!Array.isArray(p)) return { code: 'not-number' };
  const [x, y] = p as [unknown, unknown];
  if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return { code: 'not-number' };
  if (x < -180 || x > 180 || y < -90 || y > 90) return { code: 'out-of-range', x, y };
  return null;
}

/** Returns the polygons of a geometry as a MultiPolygon, or why it is not one. */
function asMultiPolygon(geometry: Geometry | null): MultiPolygon | BoundaryWhy {
  if (!geometry || typeof geometry !== 'object') return { code: 'no-geometry' };
  // A file may say Polygon and hold anything: coordinates that are no array are no shape.
  if (geometry.type === 'Polygon')
    return Array.isArray(geometry.coordinates) ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : { code: 'no-geometry' };
  if (geometry.type === 'MultiPolygon') return Array.isArray(geometry.coordinates) ? geometry : { code: 'no-geometry' };
  if (geometry.type === 'GeometryCollection') {
    // KML MultiGeometry: keep it when it holds polygons only.
    if (!Array.isArray(geometry.geometries)) return { code: 'mixed-collection' };
    const parts = geometry.geometries.map(asMultiPolygon);
    if (parts.length === 0 || parts.some((p) => 'code' in p)) return { code: 'mixed-collection' };
    return { type: 'MultiPolygon', coordinates: (parts as MultiPolygon[]).flatMap((p) => p.coordinates) };
  }
  return { code: 'not-polygon', type: geometry.type };
}

/**
 * Returns the polygon features of a boundary file (GeoJSON, zipped Shapefile or KML), moved from
 * `crs` to WGS-84 (CGCS2000 counts as WGS-84), each with its row; features that are not
 * polygons or have unusable coordinates are rejected with the row, the field and the reason,
 * never dropped. Throws BoundaryFileError naming the file when it cannot be read at all
 * (unknown extension, not JSON/zip/KML, a projected .prj, several shapefiles in one zip).
 * A shapefile's .dbf is decoded by its .cpg, else by its language driver (GBK), else as UTF-8.
 * @example (await readBoundaries('cells.zip', bytes, 'gcj02')).features[0].geometry.type // 'MultiPolygon'
 */
export async function readBoundaries(fileName: string, bytes: Uint8Array, crs: ChinaCrs): Promise<BoundaryFile> {
  const format = boundaryFormatOf(fileName);
  if (!format) throw new BoundaryFileError(`${fileName}: import boundaries from .geojson, .json, .zip (shapefile) or .kml`);
  let collection: FeatureCollection;
  let encoding: string | undefined;
  if (format === 'shapefile') ({ collection, encoding } = await readShapefileZip(fileName, bytes));
  else if (format === 'kml') collection = readKml(fileName, bytes);
  else collection = readGeoJson(fileName, bytes);

  const features: BoundaryFeature[] = [];
  const rejected: BoundaryRejection[] = [];
  const fields: string[] = [];
  const seenFields = new Set<string>();
  collection.features.forEach((feature, i) => {
    const row = i + 1;
    const properties = { ...(feature.properties ?? {}) };
    for (const key of Object.keys(properties)) {
      if (!seenFields.has(key)) {
        seenFields.add(key);
        fields.push(key);
      }
    }
    const reject = (why: BoundaryWhy) =>
      rejected.push({ row, field: 'geometry', why, reason: boundaryReasonText(row, why), properties, geometry: feature.geometry ?? null });
    const shape = asMultiPolygon(feature.geometry);
    if ('code' in shape) {
      reject(shape);
      return;
    }
    // A polygon without rings (`"coordinates": []`) is no shape at all.
    if (shape.coordinates.length === 0 || shape.coordinates.some((polygon) => !Array.isArray(polygon) || polygon.length === 0)) {
      reject({ code: 'no-geometry' });
      return;
    }
    for (const polygon of shape.coordinates) {
      if (!Array.isArray(polygon)) {
        reject({ code: 'no-geometry' });
        return;
      }
      for (const ring of polygon) {
        if (!Array.isArray(ring) || ring.length < 4) {
          reject({ code: 'short-ring', points: Array.isArray(ring) ? ring.length : 0 });
          return;
        }
        for (const p of ring) {
          const bad = badPosition(p);
          if (bad) {
            reject(bad);
            return;
          }
        }
      }
    }
    const geometry: MultiPolygon =
      crs === 'wgs84'
        ? {
            type: 'MultiPolygon',
            coordinates: shape.coordinates.map((poly) => poly.map((ring) => ring.map((p) => [p[0] as number, p[1] as number]))),
          }
        : {
            type: 'MultiPolygon',
            coordinates: shape.coordinates.map((poly) => poly.map((ring) => ring.map((p) => toWgs84(p as LngLat, crs)))),
          };
    features.push({ row, properties, geometry });
  });
  return { format, features, rejected, fields, ...(encoding ? { encoding } : {}) };
}
