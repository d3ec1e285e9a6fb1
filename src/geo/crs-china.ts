import type { LngLat } from '../domain/ids';

/** Coordinate systems that data from Chinese map services comes in; storage is always WGS-84. */
export const CHINA_CRS = ['wgs84', 'gcj02', 'bd09'] as const;
export type ChinaCrs = (typeof CHINA_CRS)[number];

// Krasovsky 1940 ellipsoid, as the GCJ-02 obfuscation uses it.
const A = 6378245.0;
// 0.00669342162296594323 as published; this literal is the same double.
const EE = 0.006693421622965943;
const X_PI = (Math.PI * 3000.0) / 180.0;

/**
 * Returns true when a point lies outside the rough bounding box of China, where GCJ-02 and
 * BD-09 leave coordinates unchanged (the box used by the common public implementations).
 */
export function outOfChina([lng, lat]: LngLat): boolean {
  return !(lng > 73.66 && lng < 135.05 && lat > 3.86 && lat < 53.55);
}

function transformLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function transformLng(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/**
 * Returns the GCJ-02 position of a WGS-84 position (the public reconstruction of the GCJ-02
 * obfuscation; unchanged outside China).
 * @example wgs84ToGcj02([116.404, 39.915]) // ≈ [116.41024449916938, 39.91640428150164]
 */
export function wgs84ToGcj02(p: LngLat): LngLat {
  if (outOfChina(p)) return [p[0], p[1]];
  const [lng, lat] = p;
  let dLat = transformLat(lng - 105.0, lat - 35.0);
  let dLng = transformLng(lng - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLng = (dLng * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/**
 * Returns the BD-09 (Baidu) position of a GCJ-02 position.
 * @example gcj02ToBd09([116.404, 39.915]) // ≈ [116.41036949371029, 39.92133699351021]
 */
export function gcj02ToBd09([lng, lat]: LngLat): LngLat {
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * X_PI);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** Returns the BD-09 position of a WGS-84 position. */
export function wgs84ToBd09(p: LngLat): LngLat {
  return gcj02ToBd09(wgs84ToGcj02(p));
}

// 1e-10 degrees is about 0.01 mm on the ground: far below the centimetre asked for.
const TOLERANCE_DEGREES = 1e-10;
const MAX_ITERATIONS = 30;

/**
 * Returns x with forward(x) = target, by fixed-point iteration x ← x + (target − forward(x)).
 * The obfuscations are small, smooth shifts whose Jacobian is close to the identity, so each
 * step gains several digits; the one-step inverse that libraries ship stops after the first.
 */
function invert(forward: (p: LngLat) => LngLat, target: LngLat): LngLat {
  let x: LngLat = [target[0], target[1]];
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const f = forward(x);
    const dLng = target[0] - f[0];
    const dLat = target[1] - f[1];
    x = [x[0] + dLng, x[1] + dLat];
    if (Math.abs(dLng) < TOLERANCE_DEGREES && Math.abs(dLat) < TOLERANCE_DEGREES) break;
  }
  return x;
}

/**
 * Returns the WGS-84 position of a GCJ-02 position, exact to far under a centimetre
 * (iterated inverse; unchanged outside China).
 */
export function gcj02ToWgs84(p: LngLat): LngLat {
  if (outOfChina(p)) return [p[0], p[1]];
  return invert(wgs84ToGcj02, p);
}

/** Returns the GCJ-02 position of a BD-09 position (iterated inverse of gcj02ToBd09). */
export function bd09ToGcj02(p: LngLat): LngLat {
  return invert(gcj02ToBd09, p);
}

/** Returns the WGS-84 position of a BD-09 position, exact to far under a centimetre. */
export function bd09ToWgs84(p: LngLat): LngLat {
  return gcj02ToWgs84(bd09ToGcj02(p));
}

/** Returns the WGS-84 position of a position given in `crs`. */
export function toWgs84(p: LngLat, crs: ChinaCrs): LngLat {
  if (crs === 'gcj02') return gcj02ToWgs84(p);
  if (crs === 'bd09') return bd09ToWgs84(p);
  return [p[0], p[1]];
}

/** Returns the position in `crs` of a WGS-84 position (for drawing over a GCJ-02 basemap). */
export function fromWgs84(p: LngLat, crs: ChinaCrs): LngLat {
  if (crs === 'gcj02') return wgs84ToGcj02(p);
  if (crs === 'bd09') return wgs84ToBd09(p);
  return [p[0], p[1]];
}
