import { describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/config';

const base = 'http://localhost:5173/';

describe('readConfig', () => {
  it('uses the embedded database and the built-in style when nothing is set', () => {
    expect(readConfig({ BASE_URL: '/' }, base)).toEqual({
      valid: true,
      config: {
        backend: {
          kind: 'embedded',
          dataUrl: 'http://localhost:5173/demo/pgdata.tar.gz',
          postgisUrl: 'http://localhost:5173/pglite/postgis.tar.gz',
          databaseName: 'gridatlas',
        },
        basemap: { kind: 'builtin', crs: 'wgs84' },
        demoBaseUrl: 'http://localhost:5173/demo/',
        geocoder: null,
      },
    });
  });

  it('takes the demo district from another folder, with a browser database of its own', () => {
    expect(readConfig({ BASE_URL: '/', VITE_DEMO_DIR: 'demo-5000' }, base)).toMatchObject({
      valid: true,
      config: {
        backend: {
          kind: 'embedded',
          dataUrl: 'http://localhost:5173/demo-5000/pgdata.tar.gz',
          postgisUrl: 'http://localhost:5173/pglite/postgis.tar.gz',
          databaseName: 'gridatlas-demo-5000',
        },
        demoBaseUrl: 'http://localhost:5173/demo-5000/',
      },
    });
    expect(readConfig({ VITE_DEMO_DIR: '../etc' }, base)).toEqual({
      valid: false,
      reason: 'VITE_DEMO_DIR must be a folder name like "demo" or "demo-5000", got "../etc"',
    });
  });

  it('uses Supabase when both the URL and the anon key are set', () => {
    const result = readConfig({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: 'key' }, base);
    expect(result).toMatchObject({
      valid: true,
      config: { backend: { kind: 'supabase', url: 'https://abc.supabase.co', anonKey: 'key' } },
    });
  });

  it('refuses half a Supabase configuration, naming both variables', () => {
    expect(readConfig({ VITE_SUPABASE_URL: 'https://abc.supabase.co' }, base)).toEqual({
      valid: false,
      reason: 'set both VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY, or neither',
    });
  });

  it('refuses a Supabase URL that is not http(s)', () => {
    const result = readConfig({ VITE_SUPABASE_URL: 'abc', VITE_SUPABASE_ANON_KEY: 'k' }, base);
    expect(result).toEqual({ valid: false, reason: 'VITE_SUPABASE_URL is not an http(s) URL: "abc"' });
  });

  it('prefers a style URL over a PMTiles file and resolves relative paths', () => {
    expect(readConfig({ VITE_BASEMAP_STYLE_URL: '/tiles/style.json', VITE_BASEMAP_PMTILES: 'x.pmtiles' }, base)).toMatchObject({
      config: { basemap: { kind: 'style', url: 'http://localhost:5173/tiles/style.json' } },
    });
    expect(readConfig({ VITE_BASEMAP_PMTILES: 'basemap/city.pmtiles' }, base)).toMatchObject({
      config: { basemap: { kind: 'pmtiles', url: 'http://localhost:5173/basemap/city.pmtiles' } },
    });
  });

  it('draws layers in GCJ-02 over a GCJ-02 basemap, and refuses an unknown system', () => {
    expect(readConfig({ VITE_BASEMAP_STYLE_URL: '/amap.json', VITE_BASEMAP_CRS: 'GCJ02' }, base)).toMatchObject({
      config: { basemap: { kind: 'style', crs: 'gcj02' } },
    });
    expect(readConfig({ VITE_BASEMAP_STYLE_URL: '/s.json', VITE_BASEMAP_CRS: 'utm' }, base)).toEqual({
      valid: false,
      reason: 'VITE_BASEMAP_CRS must be one of wgs84, gcj02, bd09, got "utm"',
    });
    expect(readConfig({ VITE_BASEMAP_CRS: 'gcj02' }, base)).toMatchObject({ valid: false });
  });

  it('asks an online geocoder only when its URL template is set', () => {
    expect(
      readConfig(
        { VITE_GEOCODER_URL: 'https://restapi.amap.com/v3/geocode/geo?key=K&address={address}', VITE_GEOCODER_CRS: 'gcj02' },
        base,
      ),
    ).toMatchObject({
      config: { geocoder: { url: 'https://restapi.amap.com/v3/geocode/geo?key=K&address={address}', crs: 'gcj02' } },
    });
    expect(readConfig({ VITE_GEOCODER_URL: 'https://geo.example/search' }, base)).toEqual({
      valid: false,
      reason: 'VITE_GEOCODER_URL must contain {address} where the address goes: "https://geo.example/search"',
    });
    expect(readConfig({ VITE_GEOCODER_URL: 'geo?q={address}' }, base)).toEqual({
      valid: false,
      reason: 'VITE_GEOCODER_URL is not an http(s) URL: "geo?q={address}"',
    });
    expect(readConfig({ VITE_GEOCODER_URL: 'https://g.example/?q={address}', VITE_GEOCODER_CRS: 'utm' }, base)).toMatchObject({
      valid: false,
    });
  });

  it('ignores blank values', () => {
    expect(readConfig({ VITE_SUPABASE_URL: '  ', VITE_SUPABASE_ANON_KEY: '', VITE_BASEMAP_STYLE_URL: '' }, base)).toMatchObject({
      config: { backend: { kind: 'embedded' }, basemap: { kind: 'builtin' } },
    });
  });
});
