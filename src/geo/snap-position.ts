import Flatbush from 'flatbush';
import type { LineString, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import type { LngLat } from '../domain/ids';
import { METERS_PER_DEGREE } from './planar';

/** What a position snapped to, in order of preference. */
export type SnapKind = 'vertex' | 'edge' | 'road-vertex' | 'road';

/** Vertices and segments to snap to, indexed (build once per set of cells and roads). */
export interface SnapTargets {
  /** Cell vertices [x0, y0, …] (each shared vertex once), then road vertices. */
  points: Float64Array;
  /** Index of the first road vertex in `points` (points before it are cell vertices). */
  firstRoadPoint: number;
  pointIndex: Flatbush | null;
  /** Segments [ax, ay, bx, by, …]: cell edges, then road segments. */
  segments: Float64Array;
  firstRoadSegment: number;
  segmentIndex: Flatbush | null;
}

/** The snapped position, what it snapped to, and how far it moved in metres. */
export interface Snapped {
  position: LngLat;
  kind: SnapKind;
  distanceMeters: number;
}

function collectLines(
  shapes: readonly (Polygon | MultiPolygon | LineString | MultiLineString)[],
  points: number[],
  segments: number[],
  seen: Set<string>,
) {
  const addLine = (line: readonly Position[]) => {
    for (let i = 0; i < line.length; i++) {
      const p = line[i] as Position;
      const key = `${p[0]} ${p[1]}`;
      if (!seen.has(key)) {
        seen.add(key);
        points.push(p[0] as number, p[1] as number);
      }
      const q = line[i + 1];
      if (q && (q[0] !== p[0] || q[1] !== p[1])) {
        // A border shared by two cells is one segment: keep it once, in a canonical direction.
        const forward = `${p[0]} ${p[1]} ${q[0]} ${q[1]}`;
        const backward = `${q[0]} ${q[1]} ${p[0]} ${p[1]}`;
        if (!seen.has(forward) && !seen.has(backward)) {
          seen.add(forward);
          segments.push(p[0] as number, p[1] as number, q[0] as number, q[1] as number);
        }
      }
    }
  };
  for (const shape of shapes) {
    if (shape.type === 'LineString') addLine(shape.coordinates);
    else if (shape.type === 'MultiLineString') for (const l of shape.coordinates) addLine(l);
    else if (shape.type === 'Polygon') for (const r of shape.coordinates) addLine(r);
    else for (const poly of shape.coordinates) for (const r of poly) addLine(r);
  }
}

function indexOf(count: number, box: (i: number) => [number, number, number, number]): Flatbush | null {
  if (count === 0) return null;
  const index = new Flatbush(count);
  for (let i = 0; i < count; i++) index.add(...box(i));
  index.finish();
  return index;
}

/**
 * Returns the snap targets of cell shapes and road lines: their vertices (each once) and their
 * segments (a border shared by two cells once), in Flatbush indexes. Degrees, any one CRS (the
 * map's display CRS when snapping what the user draws).
 * @example snapPosition(buildSnapTargets(cells, roads), [112.93, 28.23], 3)
 */
export function buildSnapTargets(
  cells: readonly (Polygon | MultiPolygon)[],
  roads: readonly (LineString | MultiLineString)[] = [],
): SnapTargets {
  const points: number[] = [];
  const segments: number[] = [];
  const seen = new Set<string>();
  collectLines(cells, points, segments, seen);
  const firstRoadPoint = points.length / 2;
  const firstRoadSegment = segments.length / 4;
  collectLines(roads, points, segments, seen);
  const p = Float64Array.from(points);
  const s = Float64Array.from(segments);
  return {
    points: p,
    firstRoadPoint,
    pointIndex: indexOf(p.length / 2, (i) => [p[2 * i] as number, p[2 * i + 1] as number, p[2 * i] as number, p[2 * i + 1] as number]),
    segments: s,
    firstRoadSegment,
    segmentIndex: indexOf(s.length / 4, (i) => {
      const [ax, ay, bx, by] = [s[4 * i], s[4 * i + 1], s[4 * i + 2], s[4 * i + 3]] as number[];
      return [
        Math.min(ax as number, bx as number),
        Math.min(ay as number, by as number),
        Math.max(ax as number, bx as number),
        Math.max(ay as number, by as number),
      ];
    }),
  };
}

/** Snap targets as plain buffers, to build them in a worker and hand them over without copying. */
export interface SnapTargetBuffers {
  points: Float64Array;
  firstRoadPoint: number;
  pointIndex: ArrayBuffer | null;
  segments: Float64Array;
  firstRoadSegment: number;
  segmentIndex: ArrayBuffer | null;
}

/** Returns the targets' buffers (the Flatbush indexes as their data). */
export function snapTargetBuffers(t: SnapTargets): SnapTargetBuffers {
  return {
    points: t.points,
    firstRoadPoint: t.firstRoadPoint,
    pointIndex: (t.pointIndex?.data as ArrayBuffer | undefined) ?? null,
    segments: t.segments,
    firstRoadSegment: t.firstRoadSegment,
    segmentIndex: (t.segmentIndex?.data as ArrayBuffer | undefined) ?? null,
  };
}

/** Returns the targets from their buffers (Flatbush reopens its indexes without rebuilding). */
export function snapTargetsFromBuffers(b: SnapTargetBuffers): SnapTargets {
  return {
    points: b.points,
    firstRoadPoint: b.firstRoadPoint,
    pointIndex: b.pointIndex ? Flatbush.from(b.pointIndex) : null,
    segments: b.segments,
    firstRoadSegment: b.firstRoadSegment,
    segmentIndex: b.segmentIndex ? Flatbush.from(b.segmentIndex) : null,
  };
}

/**
 * Returns `at` snapped to the nearest cell vertex within `toleranceMeters`, else to the nearest
 * point on a cell edge, else to a road vertex, else to a road; null when nothing is that near.
 * A vertex wins over an edge even when the edge is nearer, as in QGIS, so that shared corners
 * are hit exactly. Distances on a local flat approximation (fine at snapping distances).
 * @example snapPosition(targets, [112.93, 28.23], 3) // { position, kind: 'vertex', distanceMeters }
 */
export function snapPosition(targets: SnapTargets, at: LngLat, toleranceMeters: number): Snapped | null {
  const [x, y] = at;
  const my = METERS_PER_DEGREE;
  const mx = METERS_PER_DEGREE * Math.cos((y * Math.PI) / 180);
  const dx = toleranceMeters / mx;
  const dy = toleranceMeters / my;
  const distance = (px: number, py: number) => Math.hypot((px - x) * mx, (py - y) * my);

  let best = null as Snapped | null;
  const consider = (position: LngLat, kind: SnapKind) => {
    const d = distance(position[0], position[1]);
    if (d > toleranceMeters) return;
    const rank = (k: SnapKind) => ['vertex', 'edge', 'road-vertex', 'road'].indexOf(k);
    if (!best || rank(kind) < rank(best.kind) || (kind === best.kind && d < best.distanceMeters)) {
      best = { position, kind, distanceMeters: d };
    }
  };

  const { points, segments } = targets;
  for (const i of targets.pointIndex?.search(x - dx, y - dy, x + dx, y + dy) ?? []) {
    consider([points[2 * i] as number, points[2 * i + 1] as number], i < targets.firstRoadPoint ? 'vertex' : 'road-vertex');
  }
  for (const i of targets.segmentIndex?.search(x - dx, y - dy, x + dx, y + dy) ?? []) {
    const ax = segments[4 * i] as number;
    const ay = segments[4 * i + 1] as number;
    const bx = segments[4 * i + 2] as number;
    const by = segments[4 * i + 3] as number;
    // The nearest point of the segment, projected in metres so that the foot is right.
    const ux = (bx - ax) * mx;
    const uy = (by - ay) * my;
    const t = Math.max(0, Math.min(1, ((x - ax) * mx * ux + (y - ay) * my * uy) / (ux * ux + uy * uy)));
    consider([ax + t * (bx - ax), ay + t * (by - ay)], i < targets.firstRoadSegment ? 'edge' : 'road');
  }
  return best;
}
