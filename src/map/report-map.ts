import type { LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { LngLat } from '../domain/ids';

/** Metres per degree of latitude (and of longitude at the equator) on the WGS-84 sphere used for scale bars. */
const METRES_PER_DEGREE = 111_320;

/** A printed map's frame: what it shows (degrees) and its size (the SVG's units, mm on paper). */
export interface PrintFrame {
  west: number;
  south: number;
  east: number;
  north: number;
  width: number;
  height: number;
  /** SVG units per degree of latitude. */
  unitsPerDegree: number;
  /** The cosine of the middle latitude: a degree of longitude is this much of a degree of latitude. */
  cosLat: number;
}

/**
 * Returns the frame of a `width` × `height` map showing `bbox` [w, s, e, n] with `margin` (a share
 * of the box's size) around it, in a local equirectangular projection (longitudes shortened by the
 * cosine of the middle latitude: true to scale and shape at a cell's size), centred.
 */
export function printFrame(bbox: readonly [number, number, number, number], width: number, height: number, margin = 0.5): PrintFrame {
  const [w, s, e, n] = bbox;
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const spanX = Math.max(1e-6, (e - w) * k) * (1 + 2 * margin);
  const spanY = Math.max(1e-6, n - s) * (1 + 2 * margin);
  const unitsPerDegree = Math.min(width / spanX, height / spanY);
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;
  const halfX = width / unitsPerDegree / 2 / k;
  const halfY = height / unitsPerDegree / 2;
  return { west: cx - halfX, east: cx + halfX, south: cy - halfY, north: cy + halfY, width, height, unitsPerDegree, cosLat: k };
}

/** A position on the frame (x right, y down). */
export function framePoint(frame: PrintFrame, [lng, lat]: LngLat | Position): [number, number] {
  const x = ((lng as number) - frame.west) * frame.unitsPerDegree * frame.cosLat;
  const y = (frame.north - (lat as number)) * frame.unitsPerDegree;
  return [Math.round(x * 100) / 100, Math.round(y * 100) / 100];
}

/** An SVG path of a polygon's rings on the frame (holes kept: draw with fill-rule evenodd). */
export function framePath(frame: PrintFrame, geometry: Polygon | MultiPolygon): string {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.flatMap((rings) => rings.map((ring) => `M${ring.map((p) => framePoint(frame, p).join(' ')).join('L')}Z`)).join('');
}

/** An SVG path of a line's parts on the frame (parts wholly outside the frame left out). */
export function frameLine(frame: PrintFrame, geometry: LineString | MultiLineString): string {
  const parts = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
  return parts
    .filter((part) => {
      let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of part) {
        w = Math.min(w, x as number);
        s = Math.min(s, y as number);
        e = Math.max(e, x as number);
        n = Math.max(n, y as number);
      }
      return part.length > 1 && inFrame(frame, [w, s, e, n]);
    })
    .map((part) => `M${part.map((p) => framePoint(frame, p).join(' ')).join('L')}`)
    .join('');
}

/** Whether a box [w, s, e, n] overlaps the frame. */
export function inFrame(frame: PrintFrame, [w, s, e, n]: readonly [number, number, number, number]): boolean {
  return e >= frame.west && w <= frame.east && n >= frame.south && s <= frame.north;
}

/**
 * A scale bar for the frame: a round length (1, 2 or 5 × a power of ten, in metres) about a fifth
 * of the map's width, and its length in the frame's units.
 */
export function scaleBar(frame: PrintFrame): { metres: number; length: number } {
  const metresPerUnit = METRES_PER_DEGREE / frame.unitsPerDegree;
  const target = (frame.width / 5) * metresPerUnit;
  const power = 10 ** Math.floor(Math.log10(target));
  const metres = [5, 2, 1].map((f) => f * power).find((m) => m <= target) ?? power;
  return { metres, length: metres / metresPerUnit };
}
