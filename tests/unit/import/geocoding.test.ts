import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromWgs84 } from '../../../src/geo/crs-china';
import { type AddressCandidate, externalGeocode, parseGeocoderAnswer } from '../../../src/import/external-geocoder';
import { type Geocoder, geocodeRows } from '../../../src/import/geocode-rows';

const WGS: [number, number] = [112.938, 28.228];

/** A real HTTP server answering as the geocoders in common use do; the path picks the form. */
let server: Server;
let base = '';
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push(url.searchParams.get('q') ?? url.searchParams.get('address') ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const [lon, lat] = WGS;
    if (url.pathname === '/pelias')
      send(200, {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { label: '芙蓉路 1 号', confidence: 0.9 } },
        ],
      });
    else if (url.pathname === '/nominatim') send(200, [{ lat: String(lat), lon: String(lon), display_name: '芙蓉路' }]);
    else if (url.pathname === '/amap') {
      const [gx, gy] = fromWgs84(WGS, 'gcj02');
      send(200, {
        status: '1',
        info: 'OK',
        geocodes: [{ formatted_address: '湖南省长沙市芙蓉路1号', location: `${gx.toFixed(6)},${gy.toFixed(6)}` }],
      });
    } else if (url.pathname === '/amap-denied') send(200, { status: '0', info: 'INVALID_USER_KEY' });
    else if (url.pathname === '/baidu') {
      const [bx, by] = fromWgs84(WGS, 'bd09');
      send(200, { status: 0, result: { location: { lng: bx, lat: by }, confidence: 80, level: '门址' } });
    } else if (url.pathname === '/broken') send(200, '<html>');
    else if (url.pathname === '/slow') setTimeout(() => send(200, []), 2000);
    else send(503, { error: 'down' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('externalGeocode', () => {
  it('reads GeoJSON features with their confidence, and sends the address encoded', async () => {
    const [c] = await externalGeocode({ url: `${base}/pelias?q={address}&size={limit}`, crs: 'wgs84' }, '芙蓉路 1 号&x');
    expect(c).toMatchObject({ label: '芙蓉路 1 号', score: 0.9, lngLat: WGS, source: 'external' });
    expect(seen.at(-1)).toBe('芙蓉路 1 号&x');
  });

  it('reads a Nominatim list, which has no confidence', async () => {
    const [c] = await externalGeocode({ url: `${base}/nominatim?q={address}`, crs: 'wgs84' }, '芙蓉路');
    expect(c).toMatchObject({ label: '芙蓉路', score: null, lngLat: WGS });
  });

  it('converts AMap (GCJ-02) and Baidu (BD-09) answers back to WGS-84, to under a metre', async () => {
    const [a] = await externalGeocode({ url: `${base}/amap?address={address}`, crs: 'gcj02' }, '芙蓉路1号');
    const [b] = await externalGeocode({ url: `${base}/baidu?address={address}`, crs: 'bd09' }, '芙蓉路1号');
    for (const c of [a, b] as AddressCandidate[]) {
      expect(Math.abs(c.lngLat[0] - WGS[0])).toBeLessThan(1e-5);
      expect(Math.abs(c.lngLat[1] - WGS[1])).toBeLessThan(1e-5);
    }
    expect(b?.score).toBeCloseTo(0.8);
  });

  it('names the reason when the geocoder cannot be used', async () => {
    const host = new URL(base).host;
    await expect(externalGeocode({ url: `${base}/down?q={address}`, crs: 'wgs84' }, 'a')).rejects.toThrow(
      `external geocoder ${host}: HTTP 503`,
    );
    await expect(externalGeocode({ url: `${base}/broken?q={address}`, crs: 'wgs84' }, 'a')).rejects.toThrow('the answer is not JSON');
    await expect(externalGeocode({ url: `${base}/amap-denied?q={address}`, crs: 'gcj02' }, 'a')).rejects.toThrow(
      'the geocoder answered status 0 (INVALID_USER_KEY)',
    );
    await expect(externalGeocode({ url: `${base}/slow?q={address}`, crs: 'wgs84' }, 'a', 3, 200)).rejects.toThrow('no answer in 0.2 s');
  });

  it('refuses JSON of an unknown form', () => {
    expect(() => parseGeocoderAnswer({ hello: 1 })).toThrow('neither GeoJSON features');
  });
});

describe('geocodeRows', () => {
  const at = (score: number | null, id: string, source: AddressCandidate['source'] = 'gazetteer'): AddressCandidate => ({
    id,
    label: id,
    score,
    lngLat: [112 + (score ?? 0), 28],
    source,
  });
  const table: Record<string, AddressCandidate[]> = {
    sure: [at(0.95, 'g1')],
    unsure: [at(0.5, 'g2'), at(0.2, 'g3')],
    nothing: [at(0.1, 'g4')],
  };
  const gazetteer: Geocoder = async (address) => table[address] ?? [];

  it('takes confident matches, and sends every other row to review with the candidates worth showing', async () => {
    const rows = ['sure', 'unsure', 'nothing', 'absent'].map((address, row) => ({ row, address }));
    const progress: number[] = [];
    const out = await geocodeRows(rows, [gazetteer], (done) => progress.push(done));
    expect(out.located).toEqual([{ row: rows[0], lngLat: [112.95, 28] }]);
    expect(out.review.map((r) => [r.row.address, r.candidates.map((c) => c.id), r.best?.id ?? null])).toEqual([
      ['unsure', ['g2'], 'g2'],
      ['nothing', [], 'g4'],
      ['absent', [], null],
    ]);
    expect(progress).toEqual([0, 1, 2, 3, 4]);
  });

  it('asks the online geocoder only for rows the gazetteer is unsure of, and never takes an unscored answer unreviewed', async () => {
    const asked: string[] = [];
    const online: Geocoder = async (address) => {
      asked.push(address);
      if (address === 'unsure') return [at(0.9, 'e1', 'external')];
      if (address === 'nothing') return [at(null, 'e2', 'external')];
      throw new Error('external geocoder x: HTTP 503');
    };
    const rows = ['sure', 'unsure', 'nothing', 'absent'].map((address, row) => ({ row, address }));
    const out = await geocodeRows(rows, [gazetteer, online]);
    expect(asked).toEqual(['unsure', 'nothing', 'absent']);
    expect(out.located.map((l) => l.row.address)).toEqual(['sure', 'unsure']);
    expect(out.review.map((r) => [r.row.address, r.candidates.map((c) => c.id)])).toEqual([
      ['nothing', ['e2']],
      ['absent', []],
    ]);
    expect(out.failures).toEqual([{ row: rows[3], message: 'external geocoder x: HTTP 503' }]);
  });
});
