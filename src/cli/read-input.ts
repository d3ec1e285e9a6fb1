import { readFile } from 'node:fs/promises';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { decodeText } from '../import/decode-text';
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
