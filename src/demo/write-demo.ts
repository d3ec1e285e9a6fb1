import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toCsv } from '../import/csv';
import type { DemoDistrict } from './generate-district';

/** The files a demo district is written as, relative to its folder. */
export const DEMO_FILES = [
  'district.geojson',
  'streets.geojson',
  'communities.geojson',
  'cells.geojson',
  'roads.geojson',
  'water.geojson',
  'buildings.geojson',
  'labels.geojson',
  'gazetteer.csv',
  'people.csv',
  'places.csv',
  'things.csv',
  'organisations.csv',
  'events.csv',
] as const;

/** Writes a demo district into `dir` (created if needed); returns the paths written. */
export async function writeDemo(demo: DemoDistrict, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const site = ['id', 'name', 'category', 'risk_level', 'address', 'lon', 'lat'] as const;
  const contents: Record<(typeof DEMO_FILES)[number], string> = {
    'district.geojson': JSON.stringify(demo.district),
    'streets.geojson': JSON.stringify(demo.streets),
    'communities.geojson': JSON.stringify(demo.communities),
    'cells.geojson': JSON.stringify(demo.cells),
    'roads.geojson': JSON.stringify(demo.roads),
    'water.geojson': JSON.stringify(demo.water),
    'buildings.geojson': JSON.stringify(demo.buildings),
    'labels.geojson': JSON.stringify(demo.labels),
    'gazetteer.csv': toCsv(demo.gazetteer, [
      'id',
      'kind',
      'road',
      'house_number',
      'building',
      'name',
      'address',
      'community_code',
      'lon',
      'lat',
    ]),
    'people.csv': toCsv(demo.people, [
      'id',
      'name',
      'gender',
      'birth_year',
      'id_card_number',
      'phone',
      'address',
      'household_id',
      'key_person',
      'floating',
      'lon',
      'lat',
    ]),
    'places.csv': toCsv(demo.places, site),
    'things.csv': toCsv(demo.things, site),
    'organisations.csv': toCsv(demo.organisations, site),
    'events.csv': toCsv(demo.events, ['id', 'lon', 'lat', 'occurred_at', 'category', 'severity', 'source', 'status', 'description']),
  };
  const written: string[] = [];
  for (const name of DEMO_FILES) {
    const path = join(dir, name);
    await writeFile(path, contents[name]);
    written.push(path);
  }
  return written;
}
