import maplibregl, { type LayerSpecification, type StyleSpecification } from 'maplibre-gl';
import { PMTiles, Protocol } from 'pmtiles';
import type { AppConfig } from '../config';
import { builtinStyle } from './builtin-style';

let pmtilesRegistered = false;

/** PMTiles tile types (PMTiles v3 spec, header byte 99). */
const TILE_TYPE_MVT = 1;

/**
 * Returns the MapLibre style for the configured basemap: the built-in offline style, a style
 * URL as given, or a style built around a local PMTiles archive (raster tiles drawn as they are;
 * vector tiles drawn with a plain style for every layer the archive's metadata lists).
 */
export async function resolveBasemapStyle(config: AppConfig): Promise<StyleSpecification | string> {
  const basemap = config.basemap;
  if (basemap.kind === 'builtin') return builtinStyle(config.demoBaseUrl);
  if (basemap.kind === 'style') return basemap.url;
  if (!pmtilesRegistered) {
    const protocol = new Protocol();
    maplibregl.addProtocol('pmtiles', protocol.tile);
    pmtilesRegistered = true;
  }
  const archive = new PMTiles(basemap.url);
  const header = await archive.getHeader();
  const source = `pmtiles://${basemap.url}`;
  const bounds: [number, number, number, number] = [header.minLon, header.minLat, header.maxLon, header.maxLat];
  if (header.tileType !== TILE_TYPE_MVT) {
    return {
      version: 8,
      sources: { basemap: { type: 'raster', url: source, tileSize: 256, bounds } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#e9e6df' } },
        { id: 'basemap', type: 'raster', source: 'basemap' },
      ],
    };
  }
  const metadata = (await archive.getMetadata()) as { vector_layers?: Array<{ id: string }> };
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': '#f2efe9' } }];
  for (const { id } of metadata.vector_layers ?? []) {
    const water = /water|ocean|river|lake/i.test(id);
    layers.push(
      {
        id: `${id}-fill`,
        type: 'fill',
        source: 'basemap',
        'source-layer': id,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': water ? '#9cc3e4' : '#e4e0d8', 'fill-opacity': 0.8 },
      },
      {
        id: `${id}-line`,
        type: 'line',
        source: 'basemap',
        'source-layer': id,
        filter: ['==', ['geometry-type'], 'LineString'],
        paint: { 'line-color': water ? '#7aaed9' : '#ffffff', 'line-width': 1.2 },
      },
    );
  }
  return { version: 8, sources: { basemap: { type: 'vector', url: source } }, layers };
}
