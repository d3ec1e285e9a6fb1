import { CHINA_CRS, type ChinaCrs } from './geo/crs-china';
import type { ExternalGeocoderConfig } from './import/external-geocoder';

/** What the app is configured to use, from VITE_* environment variables at build time. */
export interface AppConfig {
  backend:
    | { kind: 'embedded'; dataUrl: string; postgisUrl: string; databaseName: string }
    | { kind: 'supabase'; url: string; anonKey: string };
  basemap: ({ kind: 'builtin' } | { kind: 'style'; url: string } | { kind: 'pmtiles'; url: string }) & {
    /** Coordinate system the basemap is drawn in; layers are converted to it for display. */
    crs: ChinaCrs;
  };
  /** Folder (URL) of the demo district files the built-in style draws. */
  demoBaseUrl: string;
  /** Online geocoder asked after the local gazetteer; null (the default) keeps geocoding offline. */
  geocoder: ExternalGeocoderConfig | null;
}

/** Result of reading the configuration: the config, or the reason it is unusable. */
export type ConfigResult = { valid: true; config: AppConfig } | { valid: false; reason: string };

const isHttpUrl = (value: string) => {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * Returns the app configuration from environment variables: Supabase when both
 * VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY are set, else the embedded database; the basemap
 * from VITE_BASEMAP_STYLE_URL, else VITE_BASEMAP_PMTILES, else the built-in offline style; an
 * online geocoder only when VITE_GEOCODER_URL is set (a template with `{address}`); the demo
 * district from public/demo/, or the folder VITE_DEMO_DIR names.
 * `base` resolves relative paths (the page's URL in the browser).
 */
export function readConfig(env: Record<string, string | boolean | undefined>, base: string): ConfigResult {
  const text = (key: string) => {
    const v = env[key];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const appBase = new URL(text('BASE_URL') ?? '/', base).href;
  // Another demo folder under public/ (e.g. demo-5000 from `prepare-demo --cells 5000`), with a
  // database of its own in the browser.
  const demoDir = text('VITE_DEMO_DIR') ?? 'demo';
  if (!/^demo(-[a-z0-9]+)*$/.test(demoDir))
    return { valid: false, reason: `VITE_DEMO_DIR must be a folder name like "demo" or "demo-5000", got "${demoDir}"` };
  const demoBaseUrl = new URL(`${demoDir}/`, appBase).href;
  const url = text('VITE_SUPABASE_URL');
  const anonKey = text('VITE_SUPABASE_ANON_KEY');
  if ((url === undefined) !== (anonKey === undefined)) {
    return { valid: false, reason: 'set both VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY, or neither' };
  }
  if (url !== undefined && !isHttpUrl(url)) return { valid: false, reason: `VITE_SUPABASE_URL is not an http(s) URL: "${url}"` };
  const backend: AppConfig['backend'] =
    url !== undefined && anonKey !== undefined
      ? { kind: 'supabase', url, anonKey }
      : {
          kind: 'embedded',
          dataUrl: new URL('pgdata.tar.gz', demoBaseUrl).href,
          postgisUrl: new URL('pglite/postgis.tar.gz', appBase).href,
          databaseName: demoDir === 'demo' ? 'gridatlas' : `gridatlas-${demoDir}`,
        };
  const styleUrl = text('VITE_BASEMAP_STYLE_URL');
  const pmtiles = text('VITE_BASEMAP_PMTILES');
  const crs = (text('VITE_BASEMAP_CRS') ?? 'wgs84').toLowerCase() as ChinaCrs;
  if (!CHINA_CRS.includes(crs))
    return { valid: false, reason: `VITE_BASEMAP_CRS must be one of ${CHINA_CRS.join(', ')}, got "${text('VITE_BASEMAP_CRS')}"` };
  if (crs !== 'wgs84' && styleUrl === undefined && pmtiles === undefined) {
    return { valid: false, reason: 'VITE_BASEMAP_CRS applies to a configured basemap; the built-in basemap is WGS-84' };
  }
  let basemap: AppConfig['basemap'] = { kind: 'builtin', crs };
  if (styleUrl !== undefined) basemap = { kind: 'style', url: new URL(styleUrl, appBase).href, crs };
  else if (pmtiles !== undefined) basemap = { kind: 'pmtiles', url: new URL(pmtiles, appBase).href, crs };
  const geocoderUrl = text('VITE_GEOCODER_URL');
  const geocoderCrs = (text('VITE_GEOCODER_CRS') ?? 'wgs84').toLowerCase() as ChinaCrs;
  if (!CHINA_CRS.includes(geocoderCrs))
    return { valid: false, reason: `VITE_GEOCODER_CRS must be one of ${CHINA_CRS.join(', ')}, got "${text('VITE_GEOCODER_CRS')}"` };
  let geocoder: AppConfig['geocoder'] = null;
  if (geocoderUrl !== undefined) {
    if (!isHttpUrl(geocoderUrl.replaceAll('{address}', 'x').replaceAll('{limit}', '1')))
      return { valid: false, reason: `VITE_GEOCODER_URL is not an http(s) URL: "${geocoderUrl}"` };
    if (!geocoderUrl.includes('{address}'))
      return { valid: false, reason: `VITE_GEOCODER_URL must contain {address} where the address goes: "${geocoderUrl}"` };
    geocoder = { url: geocoderUrl, crs: geocoderCrs };
  }
  return { valid: true, config: { backend, basemap, demoBaseUrl, geocoder } };
}
