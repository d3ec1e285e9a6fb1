import type { StyleSpecification } from 'maplibre-gl';

/** Colours of the built-in offline style, a light base that lets cell classes stand out. */
export const BASE_COLORS = {
  background: '#e9e6df',
  land: '#f6f4ef',
  water: '#9cc3e4',
  waterLine: '#7aaed9',
  building: '#ddd6c8',
  buildingLine: '#cbc2b2',
  minorRoad: '#ffffff',
  secondaryRoad: '#fffdf5',
  arterialRoad: '#f8d78b',
  roadCasing: '#cfc8b8',
  districtLine: '#6b5b95',
} as const;

/**
 * Returns the built-in offline MapLibre style drawn from the demo district's own files under
 * `demoBaseUrl` (absolute URL ending in '/'): land, water, buildings and roads. It has no
 * glyphs or sprites, so it makes no request outside the app's origin; labels are drawn by
 * deck.gl's TextLayer with the system's CJK fonts.
 */
export function builtinStyle(demoBaseUrl: string): StyleSpecification {
  const source = (file: string) => ({ type: 'geojson' as const, data: new URL(file, demoBaseUrl).href });
  return {
    version: 8,
    name: 'GridAtlas offline',
    sources: {
      district: source('district.geojson'),
      water: source('water.geojson'),
      roads: source('roads.geojson'),
      buildings: source('buildings.geojson'),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BASE_COLORS.background } },
      { id: 'district-land', type: 'fill', source: 'district', paint: { 'fill-color': BASE_COLORS.land } },
      {
        id: 'water',
        type: 'fill',
        source: 'water',
        paint: { 'fill-color': BASE_COLORS.water, 'fill-outline-color': BASE_COLORS.waterLine },
      },
      {
        id: 'buildings',
        type: 'fill',
        source: 'buildings',
        minzoom: 13,
        paint: { 'fill-color': BASE_COLORS.building, 'fill-outline-color': BASE_COLORS.buildingLine },
      },
      {
        id: 'roads-casing',
        type: 'line',
        source: 'roads',
        filter: ['!=', ['get', 'rank'], 'minor'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': BASE_COLORS.roadCasing,
          'line-width': [
            'interpolate',
            ['exponential', 1.6],
            ['zoom'],
            11,
            ['match', ['get', 'rank'], 'arterial', 3, 1.5],
            17,
            ['match', ['get', 'rank'], 'arterial', 22, 14],
          ],
        },
      },
      {
        id: 'roads',
        type: 'line',
        source: 'roads',
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: {
          'line-color': [
            'match',
            ['get', 'rank'],
            'arterial',
            BASE_COLORS.arterialRoad,
            'secondary',
            BASE_COLORS.secondaryRoad,
            BASE_COLORS.minorRoad,
          ],
          'line-width': [
            'interpolate',
            ['exponential', 1.6],
            ['zoom'],
            11,
            ['match', ['get', 'rank'], 'arterial', 2, 'secondary', 0.8, 0.3],
            17,
            ['match', ['get', 'rank'], 'arterial', 18, 'secondary', 11, 6],
          ],
        },
      },
      {
        id: 'district-line',
        type: 'line',
        source: 'district',
        paint: { 'line-color': BASE_COLORS.districtLine, 'line-width': 2.5, 'line-dasharray': [3, 1.5] },
      },
    ],
  };
}
