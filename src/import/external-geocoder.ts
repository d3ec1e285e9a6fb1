import type { LngLat } from '../domain/ids';
import { type ChinaCrs, toWgs84 } from '../geo/crs-china';

/** An online geocoder, configured for online deployments; off by default. */
export interface ExternalGeocoderConfig {
  /** URL template: `{address}` is replaced by the encoded address, `{limit}` by the number wanted. */
  url: string;
  /** Coordinate system of the positions it answers with (AMap answers in GCJ-02, Baidu in BD-09). */
  crs: ChinaCrs;
}

/** One answer of a geocoder: `score` is its own confidence from 0 to 1, or null when it gives none. */
export interface AddressCandidate {
  id: string;
  label: string;
  score: number | null;
  /** WGS-84. */
  lngLat: LngLat;
  source: 'gazetteer' | 'external';
}

const finite = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

const score01 = (v: unknown): number | null => {
  const n = finite(v);
  return n === null ? null : Math.max(0, Math.min(1, n));
};

/**
 * Reads a geocoder's JSON answer in the forms in common use: GeoJSON features (Pelias, Photon;
 * `properties.confidence` when given), Nominatim's list (`lat`, `lon`, `display_name`; no
 * confidence), AMap's `geocodes` (`location: "lng,lat"`) and Baidu's `result.location` (with its
 * `confidence` of 0–100). Throws naming what was unexpected. Positions stay in the answer's system.
 */
export function parseGeocoderAnswer(body: unknown): Omit<AddressCandidate, 'source'>[] {
  const o = body as Record<string, unknown> | null;
  const out: Omit<AddressCandidate, 'source'>[] = [];
  const push = (label: unknown, lon: unknown, lat: unknown, score: number | null) => {
    const x = finite(lon);
    const y = finite(lat);
    if (x === null || y === null) return;
    out.push({ id: `ext-${out.length}`, label: String(label ?? ''), score, lngLat: [x, y] });
  };
  if (Array.isArray(body)) {
    for (const r of body as Record<string, unknown>[]) push(r.display_name ?? r.name, r.lon, r.lat, score01(r.confidence));
    return out;
  }
  if (o && Array.isArray(o.features)) {
    for (const f of o.features as { geometry?: { type?: string; coordinates?: unknown[] }; properties?: Record<string, unknown> }[]) {
      if (f.geometry?.type !== 'Point' || !Array.isArray(f.geometry.coordinates)) continue;
      const p = f.properties ?? {};
      push(p.label ?? p.name ?? p.formatted_address, f.geometry.coordinates[0], f.geometry.coordinates[1], score01(p.confidence));
    }
    return out;
  }
  if (o && Array.isArray(o.geocodes)) {
    for (const g of o.geocodes as Record<string, unknown>[]) {
      const [lon, lat] = String(g.location ?? '').split(',');
      push(g.formatted_address, lon, lat, null);
    }
    return out;
  }
  const result = o?.result as Record<string, unknown> | undefined;
  const location = result?.location as Record<string, unknown> | undefined;
  if (location) {
    const confidence = finite(result?.confidence);
    push(
      result?.formatted_address ?? result?.level ?? '',
      location.lng,
      location.lat,
      confidence === null ? null : score01(confidence / 100),
    );
    return out;
  }
  if (o && (o.status !== undefined || o.info !== undefined) && !o.features) {
    throw new Error(
      `the geocoder answered status ${String(o.status)}${o.info ? ` (${String(o.info)})` : ''}${o.message ? ` (${String(o.message)})` : ''}`,
    );
  }
  throw new Error('the geocoder answered JSON that is neither GeoJSON features, a Nominatim list, AMap geocodes nor a Baidu result');
}

/**
 * Asks the configured online geocoder for an address; positions come back in WGS-84. Throws with
 * the HTTP status or the reason when the geocoder cannot be used; gives up after `timeoutMs`.
 */
export async function externalGeocode(
  config: ExternalGeocoderConfig,
  address: string,
  limit = 3,
  timeoutMs = 8000,
  fetchImpl: typeof fetch = fetch,
): Promise<AddressCandidate[]> {
  const url = config.url.replaceAll('{address}', encodeURIComponent(address)).replaceAll('{limit}', String(limit));
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    const why =
      err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
        ? `no answer in ${timeoutMs / 1000} s`
        : String(err);
    throw new Error(`external geocoder ${new URL(url).host}: ${why}`);
  }
  if (!response.ok) throw new Error(`external geocoder ${new URL(url).host}: HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error(`external geocoder ${new URL(url).host}: the answer is not JSON`);
  }
  return parseGeocoderAnswer(body)
    .slice(0, limit)
    .map((c) => ({ ...c, lngLat: toWgs84(c.lngLat, config.crs), source: 'external' as const }));
}
