import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { type Header, PMTiles, type Source, TileType } from 'pmtiles';

/** Returns the header and metadata of a PMTiles archive at a URL or behind a Source. */
export async function readPmtiles(source: string | Source): Promise<{ header: Header; metadata: unknown }> {
  const archive = new PMTiles(source);
  const header = await archive.getHeader();
  const metadata = header.tileType === TileType.Mvt ? await archive.getMetadata() : {};
  return { header, metadata };
}

/**
 * Returns a MapLibre style for a PMTiles archive served at `url` (the `pmtiles://` protocol
 * must be registered): raster archives drawn as they are; vector archives drawn with a plain
 * fill and line style for every layer their metadata lists (water-like layers in blue).
 */
export function pmtilesStyle(url: string, header: Header, metadata: unknown): StyleSpecification {
  const source = `pmtiles://${url}`;
  if (header.tileType !== TileType.Mvt) {
    return {
      version: 8,
      sources: { basemap: { type: 'raster', url: source, tileSize: 256 } },
      layers: [
        { id: 'background', type: 'background', paint: { 'background-color': '#e9e6df' } },
        { id: 'basemap', type: 'raster', source: 'basemap' },
      ],
    };
  }
  const vectorLayers = (metadata as { vector_layers?: Array<{ id: string }> } | null)?.vector_layers ?? [];
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': '#f2efe9' } }];
  for (const { id } of vectorLayers) {
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
