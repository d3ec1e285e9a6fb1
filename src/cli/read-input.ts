import { readFile } from 'node:fs/promises';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon } from 'geojson';
import type { ChinaCrs } from '../geo/crs-china';
import { decodeText } from '../import/decode-text';
import { BoundaryFileError, readBoundaries } from '../import/read-boundaries';
import { UsageError } from './command';

/** Returns the bytes of a file, or throws a UsageError naming the file and why it cannot be read. */
export async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/**
 * Returns the features of a GeoJSON file (a FeatureCollection, or a single Feature), or throws a
 * UsageError naming the file and what is wrong with it.
 */
export async function readFeatures<G extends Geometry, P>(path: string, what: string): Promise<Feature<G, P>[]> {
  let json: unknown;
  try {
    json = JSON.parse(decodeText(await readInput(path, what)).text);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${what} ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const object = json as { type?: unknown; features?: unknown };
  if (object?.type === 'Feature') return [json as Feature<G, P>];
  if (object?.type !== 'FeatureCollection' || !Array.isArray(object.features)) {
    throw new UsageError(`${what} ${path} is not a GeoJSON FeatureCollection`);
  }
  return (json as FeatureCollection<G, P>).features;
}

/**
 * Returns the polygon features of a cells or boundary file (GeoJSON, zipped Shapefile or KML),
 * through the boundary reader whatever the system, moved to WGS-84: a coordinate outside
 * longitude/latitude (latitude 95, projected metres), a ring too short or empty, or a feature
 * that is not a polygon is refused with the file and the feature, as is a file with no features.
 */
export async function readPolygonFeatures(
  path: string,
  what: string,
  crs: ChinaCrs,
): Promise<Feature<Polygon | MultiPolygon, Record<string, unknown> | null>[]> {
  try {
    const read = await readBoundaries(path, await readInput(path, what), crs);
    const first = read.rejected[0];
    if (first) throw new UsageError(`${what} ${path}: ${first.reason}`);
    if (read.features.length === 0) throw new UsageError(`${what} ${path} holds no features: nothing to work on`);
    return read.features.map((f) => ({ type: 'Feature', properties: f.properties, geometry: f.geometry }));
  } catch (error) {
    if (error instanceof BoundaryFileError) throw new UsageError(`${what} ${error.message}`);
    throw error;
  }
}
