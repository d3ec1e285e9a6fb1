import maplibregl, { type StyleSpecification } from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import type { AppConfig } from '../config';
import { builtinStyle } from './builtin-style';
import { pmtilesStyle, readPmtiles } from './pmtiles-style';

let pmtilesRegistered = false;

/**
 * Returns the MapLibre style for the configured basemap: the built-in offline style, a style
 * URL as given, or a style around a local PMTiles archive (see pmtilesStyle).
 */
export async function resolveBasemapStyle(config: AppConfig): Promise<StyleSpecification | string> {
  const basemap = config.basemap;
  if (basemap.kind === 'builtin') return builtinStyle(config.demoBaseUrl);
  if (basemap.kind === 'style') return basemap.url;
  if (!pmtilesRegistered) {
    maplibregl.addProtocol('pmtiles', new Protocol().tile);
    pmtilesRegistered = true;
  }
  const { header, metadata } = await readPmtiles(basemap.url);
  return pmtilesStyle(basemap.url, header, metadata);
}
