import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import * as clip from 'polyclip-ts';
import { interiorPoint } from './interior-point';
import { areaSquareMeters, orient, perimeterMeters, polygonsOf, ringSignedArea2, withoutRepeatedPoints } from './planar';

/** Kinds of tiling problem, in the order the validator reports them. */
export type TilingProblemType = 'invalid' | 'multipart' | 'overlap' | 'gap' | 'outside' | 'sliver' | 'size';

/** A measure that broke a rule, for the message: which measure, its value and the limit it broke. */
export interface ProblemMeasure {
  name: 'area' | 'thinness' | 'households' | 'points' | 'self-intersection' | 'unclosed' | 'coordinates' | 'type';
  value?: number;
  limit?: number;
}

/** One problem: its type, the cells involved (ids), its area, a point inside it and the piece itself. */
export interface TilingProblem {
  type: TilingProblemType;
  cells: string[];
  areaSquareMeters: number;
  /** A point on the problem, [lng, lat]: to zoom to. */
  location: Position;
  /** The gap, overlap or outside piece (or the cell for per-cell problems), in the input CRS. */
  geometry?: Polygon;
  measure?: ProblemMeasure;
}

/** A cell to validate: its id (code), community and shape in degrees (EPSG:4326). */
export interface TilingCell {
  id: string;
  community?: string;
  households?: number;
  geometry: Polygon | MultiPolygon;
}

/** A boundary the cells must fill: a community (id = its code) or, without id, the whole area. */
export interface TilingBoundary {
  id?: string;
  geometry: Polygon | MultiPolygon;
}

/** The "moderate size" rule for cells; any bound may be left out. */
export interface SizeRule {
  minAreaSquareMeters?: number;
  maxAreaSquareMeters?: number;
  minHouseholds?: number;
  maxHouseholds?: number;
}

export interface TilingOptions {
  /** Gaps, overlaps and outside pieces narrower than this (mean width) are noise. Default 0.5 m. */
  toleranceMeters?: number;
  /** Boundaries to fill. With ids, each community's cells are checked against their own boundary. */
  boundaries?: readonly TilingBoundary[];
  /** A cell smaller than this is a sliver. Default 100 m². */
  sliverAreaSquareMeters?: number;
  /** A cell thinner than this (Polsby–Popper 4πA/P², 1 for a disc) is a sliver. Default 0.1. */
  sliverThinness?: number;
  size?: SizeRule;
}

interface Prepared {
  index: number;
  id: string;
  community: string;
  /** Polygons with the outer ring counter-clockwise and holes clockwise, repeated points removed. */
  polygons: Position[][][];
  bbox: [number, number, number, number];
}

/** On-boundary distance in degrees for the exact tests (≈ 0.1 mm): rounding noise, not tolerance. */
const EPSILON_DEGREES = 1e-9;

/** Returns the distance² from (px, py) to segment a–b, in coordinate units squared. */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  const ex = ax + t * dx - px;
  const ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/** Returns 'boundary' within EPSILON_DEGREES of a ring, else 'inside' or 'outside' (crossing number). */
function placeInRing(ring: readonly Position[], x: number, y: number): 'inside' | 'boundary' | 'outside' {
  let inside = false;
  const e2 = EPSILON_DEGREES * EPSILON_DEGREES;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as Position;
    const b = ring[i + 1] as Position;
    const ax = a[0] as number;
    const ay = a[1] as number;
    const bx = b[0] as number;
    const by = b[1] as number;
    if (segmentDistance2(x, y, ax, ay, bx, by) <= e2) return 'boundary';
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside ? 'inside' : 'outside';
}

/** Returns where a point lies relative to polygons (outer ring + holes each). */
function placeInPolygons(polygons: readonly Position[][][], x: number, y: number): 'inside' | 'boundary' | 'outside' {
  for (const rings of polygons) {
    const shell = rings[0];
    if (!shell) continue;
    const p = placeInRing(shell, x, y);
    if (p === 'outside') continue;
    if (p === 'boundary') return 'boundary';
    let inHole = false;
    for (let h = 1; h < rings.length; h++) {
      const q = placeInRing(rings[h] as Position[], x, y);
      if (q === 'boundary') return 'boundary';
      if (q === 'inside') inHole = true;
    }
    if (!inHole) return 'inside';
  }
  return 'outside';
}

interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

function segmentsOf(polygons: readonly Position[][][]): Segment[] {
  const out: Segment[] = [];
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i] as Position;
        const b = ring[i + 1] as Position;
        out.push({ ax: a[0] as number, ay: a[1] as number, bx: b[0] as number, by: b[1] as number });
      }
    }
  }
  return out;
}

/** True when two segments cross at a point interior to both (not at an end point). */
function crossProperly(s: Segment, t: Segment): boolean {
  const d1 = orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
  const d2 = orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
  const d3 = orient(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
  const d4 = orient(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
  // Scale-aware zero: an end point within EPSILON_DEGREES of the other line counts as touching.
  const ls = Math.hypot(s.bx - s.ax, s.by - s.ay) * EPSILON_DEGREES;
  const lt = Math.hypot(t.bx - t.ax, t.by - t.ay) * EPSILON_DEGREES;
  return ((d1 > ls && d2 < -ls) || (d1 < -ls && d2 > ls)) && ((d3 > lt && d4 < -lt) || (d3 < -lt && d4 > lt));
}

/** True when two segments are collinear and share a stretch of positive length. */
function overlapCollinear(s: Segment, t: Segment): 'same' | 'opposite' | null {
  const length = Math.hypot(s.bx - s.ax, s.by - s.ay);
  if (length === 0) return null;
  const tol = length * EPSILON_DEGREES;
  if (Math.abs(orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay)) > tol) return null;
  if (Math.abs(orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by)) > tol) return null;
  const ux = (s.bx - s.ax) / length;
  const uy = (s.by - s.ay) / length;
  const t0 = (t.ax - s.ax) * ux + (t.ay - s.ay) * uy;
  const t1 = (t.bx - s.ax) * ux + (t.by - s.ay) * uy;
  const overlap = Math.min(length, Math.max(t0, t1)) - Math.max(0, Math.min(t0, t1));
  if (overlap <= EPSILON_DEGREES) return null;
  return t1 > t0 ? 'same' : 'opposite';
}

const bboxesMeet = (s: Segment, t: Segment) =>
  Math.max(s.ax, s.bx) >= Math.min(t.ax, t.bx) - EPSILON_DEGREES &&
  Math.max(t.ax, t.bx) >= Math.min(s.ax, s.bx) - EPSILON_DEGREES &&
  Math.max(s.ay, s.by) >= Math.min(t.ay, t.by) - EPSILON_DEGREES &&
  Math.max(t.ay, t.by) >= Math.min(s.ay, s.by) - EPSILON_DEGREES;

/**
 * Returns a reason when the rings of one polygon or multipolygon cross themselves or each other
 * (a proper crossing, a shared stretch, or a ring touching itself away from its neighbours).
 * Sweeps segments sorted by west edge, so long rings stay fast.
 */
function selfIntersection(polygons: readonly Position[][][]): boolean {
  interface Tagged extends Segment {
    ring: number;
    i: number;
    n: number;
    minX: number;
  }
  const segments: Tagged[] = [];
  let ringNo = 0;
  for (const rings of polygons) {
    for (const ring of rings) {
      const n = ring.length - 1;
      for (let i = 0; i < n; i++) {
        const a = ring[i] as Position;
        const b = ring[i + 1] as Position;
        const ax = a[0] as number;
        const bx = b[0] as number;
        segments.push({ ax, ay: a[1] as number, bx, by: b[1] as number, ring: ringNo, i, n, minX: Math.min(ax, bx) });
      }
      ringNo++;
    }
  }
  segments.sort((p, q) => p.minX - q.minX);
  for (let x = 0; x < segments.length; x++) {
    const s = segments[x] as Tagged;
    const maxX = Math.max(s.ax, s.bx);
    for (let y = x + 1; y < segments.length; y++) {
      const t = segments[y] as Tagged;
      if (t.minX > maxX + EPSILON_DEGREES) break;
      if (!bboxesMeet(s, t)) continue;
      if (crossProperly(s, t) || overlapCollinear(s, t)) return true;
      if (s.ring !== t.ring) continue;
      const adjacent = Math.abs(s.i - t.i) === 1 || Math.abs(s.i - t.i) === s.n - 1;
      if (adjacent) continue;
      // Non-adjacent segments of one ring may not even touch: that is a self-touching ring.
      const touches =
        segmentDistance2(s.ax, s.ay, t.ax, t.ay, t.bx, t.by) <= EPSILON_DEGREES ** 2 ||
        segmentDistance2(s.bx, s.by, t.ax, t.ay, t.bx, t.by) <= EPSILON_DEGREES ** 2 ||
        segmentDistance2(t.ax, t.ay, s.ax, s.ay, s.bx, s.by) <= EPSILON_DEGREES ** 2 ||
        segmentDistance2(t.bx, t.by, s.ax, s.ay, s.bx, s.by) <= EPSILON_DEGREES ** 2;
      if (touches) return true;
    }
  }
  return false;
}

const snap = (v: number) => Math.round(v * 1e9) / 1e9;

/** Returns the reason a geometry cannot be validated further, or null with its cleaned polygons. */
function prepareGeometry(geometry: unknown): { measure: ProblemMeasure } | { polygons: Position[][][] } {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
    return { measure: { name: 'type' } };
  }
  const polygons: Position[][][] = [];
  for (const rings of polygonsOf(g as Polygon | MultiPolygon)) {
    const cleaned: Position[][] = [];
    for (const [r, ring] of rings.entries()) {
      if (!Array.isArray(ring) || ring.some((p) => !Number.isFinite(p?.[0]) || !Number.isFinite(p?.[1]))) {
        return { measure: { name: 'coordinates' } };
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) return { measure: { name: 'unclosed' } };
      // Snapped to 1e-9° (≈ 0.1 mm) so that vertices equal but for rounding noise become equal.
      const clean = withoutRepeatedPoints(ring.map((p) => [snap(p[0] as number), snap(p[1] as number)]));
      if (clean.length < 4) return { measure: { name: 'points', value: Math.max(0, clean.length - 1), limit: 3 } };
      const ccw = ringSignedArea2(clean) > 0;
      // Outer rings counter-clockwise, holes clockwise: every edge then has its cell on the left.
      if ((r === 0) !== ccw) clean.reverse();
      cleaned.push(clean);
    }
    if (cleaned.length > 0) polygons.push(cleaned);
  }
  if (polygons.length === 0) return { measure: { name: 'points', value: 0, limit: 3 } };
  if (selfIntersection(polygons)) return { measure: { name: 'self-intersection' } };
  return { polygons };
}

function bboxOf(polygons: readonly Position[][][]): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const rings of polygons) {
    for (const p of rings[0] ?? []) {
      const x = p[0] as number;
      const y = p[1] as number;
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  }
  return [w, s, e, n];
}

/**
 * True unless the interiors of a and b certainly do not overlap: a proper crossing of edges, a
 * vertex or edge midpoint of one strictly inside the other, or a shared stretch of boundary run
 * in the same direction (both interiors on the same side) all mean they may.
 */
function interiorsMayOverlap(a: Prepared, b: Prepared): boolean {
  const sa = segmentsOf(a.polygons);
  const sb = segmentsOf(b.polygons);
  for (const s of sa) {
    for (const t of sb) {
      if (!bboxesMeet(s, t)) continue;
      if (crossProperly(s, t) || overlapCollinear(s, t) === 'same') return true;
    }
  }
  const strictlyInside = (segments: Segment[], other: Prepared) =>
    segments.some(
      (s) =>
        placeInPolygons(other.polygons, s.ax, s.ay) === 'inside' ||
        placeInPolygons(other.polygons, (s.ax + s.bx) / 2, (s.ay + s.by) / 2) === 'inside',
    );
  return strictlyInside(sa, b) || strictlyInside(sb, a);
}

/** Returns the ids of the candidates that share a stretch of border with a piece. */
function cellsAlong(piece: Polygon, candidates: readonly Prepared[]): string[] {
  const edges = segmentsOf([piece.coordinates]);
  return candidates
    .filter((c) => segmentsOf(c.polygons).some((s) => edges.some((t) => bboxesMeet(s, t) && overlapCollinear(s, t))))
    .map((c) => c.id);
}

/** Returns the polygons of a clipping result as GeoJSON polygons. */
const piecesOf = (multi: clip.Geom[]): Polygon[] => (multi as Position[][][]).map((rings) => ({ type: 'Polygon', coordinates: rings }));

interface OpenSegment {
  a: Position;
  b: Position;
  owner: number;
}

/**
 * Returns the rings traced from boundary segments that no other cell matches: counter-clockwise
 * rings are the outline of the covered area, clockwise rings are holes in it (gaps). At a vertex
 * with several ways on, the sharpest right turn is taken, so rings that only touch stay apart.
 * A chain that does not close (edges that end on another cell's edge, or rings cut by tangled
 * cells left out) is dropped and its cells are returned as `broken`.
 */
function traceRings(open: readonly OpenSegment[]): { rings: { ring: Position[]; owners: Set<number> }[]; broken: Set<number> } {
  const outgoing = new Map<string, number[]>();
  const vkey = (p: Position) => `${p[0]} ${p[1]}`;
  open.forEach((s, i) => {
    const k = vkey(s.a);
    const list = outgoing.get(k);
    if (list) list.push(i);
    else outgoing.set(k, [i]);
  });
  const used = new Uint8Array(open.length);
  const rings: { ring: Position[]; owners: Set<number> }[] = [];
  const broken = new Set<number>();
  chains: for (let start = 0; start < open.length; start++) {
    if (used[start]) continue;
    const first = open[start] as OpenSegment;
    const ring: Position[] = [first.a];
    const owners = new Set<number>();
    let current = start;
    for (;;) {
      used[current] = 1;
      const seg = open[current] as OpenSegment;
      owners.add(seg.owner);
      ring.push(seg.b);
      if (seg.b[0] === first.a[0] && seg.b[1] === first.a[1]) break;
      const candidates = (outgoing.get(vkey(seg.b)) ?? []).filter((i) => !used[i]);
      if (candidates.length === 0) {
        for (const o of owners) broken.add(o);
        continue chains;
      }
      // Sharpest right turn: smallest counter-clockwise angle from the way back to the way on.
      const back = Math.atan2((seg.a[1] as number) - (seg.b[1] as number), (seg.a[0] as number) - (seg.b[0] as number));
      let next = candidates[0] as number;
      let bestAngle = Infinity;
      for (const i of candidates) {
        const o = open[i] as OpenSegment;
        const out = Math.atan2((o.b[1] as number) - (o.a[1] as number), (o.b[0] as number) - (o.a[0] as number));
        let angle = out - back;
        while (angle <= 0) angle += 2 * Math.PI;
        while (angle > 2 * Math.PI) angle -= 2 * Math.PI;
        if (angle < bestAngle) {
          bestAngle = angle;
          next = i;
        }
      }
      current = next;
    }
    rings.push({ ring, owners });
  }
  return { rings, broken };
}

/** Numbers the distinct vertices it is shown, so that an edge can be keyed by two integers. */
class VertexIds {
  private readonly byX = new Map<number, Map<number, number>>();
  private next = 0;
  id(p: Position): number {
    const x = p[0] as number;
    const y = p[1] as number;
    let column = this.byX.get(x);
    if (!column) {
      column = new Map();
      this.byX.set(x, column);
    }
    let id = column.get(y);
    if (id === undefined) {
      id = this.next++;
      column.set(y, id);
    }
    return id;
  }
}

/** Edge key: two vertex ids below 2²⁶ fit exactly in one double. */
const edgeKey = (a: number, b: number) => a * 67_108_864 + b;

/** Returns the segments of `cells` that no other of `cells` matches edge for edge in reverse. */
function openSegments(
  cells: readonly Prepared[],
  ids: VertexIds,
): { open: OpenSegment[]; sameDirection: [number, number][]; keys: number[] } {
  const directed = new Map<number, number | number[]>();
  const edges: number[] = [];
  for (const cell of cells) {
    for (const rings of cell.polygons) {
      for (const ring of rings) {
        let a = ids.id(ring[0] as Position);
        for (let i = 0; i + 1 < ring.length; i++) {
          const b = ids.id(ring[i + 1] as Position);
          const k = edgeKey(a, b);
          edges.push(a, b);
          const seen = directed.get(k);
          if (seen === undefined) directed.set(k, cell.index);
          else if (typeof seen === 'number') directed.set(k, [seen, cell.index]);
          else seen.push(cell.index);
          a = b;
        }
      }
    }
  }
  const open: OpenSegment[] = [];
  const keys: number[] = [];
  const sameDirection: [number, number][] = [];
  for (const list of directed.values()) {
    if (typeof list === 'number') continue;
    for (let i = 1; i < list.length; i++) sameDirection.push([list[0] as number, list[i] as number]);
  }
  let e = 0;
  for (const cell of cells) {
    for (const rings of cell.polygons) {
      for (const ring of rings) {
        for (let i = 0; i + 1 < ring.length; i++, e += 2) {
          const a = edges[e] as number;
          const b = edges[e + 1] as number;
          const back = directed.get(edgeKey(b, a));
          const forward = directed.get(edgeKey(a, b));
          const matched = typeof back === 'number' && back !== cell.index && typeof forward === 'number';
          if (!matched) {
            open.push({ a: ring[i] as Position, b: ring[i + 1] as Position, owner: cell.index });
            keys.push(edgeKey(a, b));
          }
        }
      }
    }
  }
  return { open, sameDirection, keys };
}

/**
 * Returns every problem of a tiling of cells: invalid geometry, multi-part cells, overlaps, gaps
 * (holes in the covered area, and, with boundaries, parts of a boundary no cell covers), parts of
 * cells outside their boundary, slivers and cells that break the size rule.
 *
 * Coordinates in degrees (EPSG:4326); areas in square metres on a local projection. Neighbouring
 * cells are expected to share vertices; where they do, the check is a linear pass over edges, and
 * exact polygon clipping (polyclip-ts) runs only where edges do not match up.
 * @example validateTiling([{ id: 'a', geometry: square }]) // []
 */
export function validateTiling(cells: readonly TilingCell[], options: TilingOptions = {}): TilingProblem[] {
  const tolerance = options.toleranceMeters ?? 0.5;
  const sliverArea = options.sliverAreaSquareMeters ?? 100;
  const sliverThinness = options.sliverThinness ?? 0.1;
  const problems: TilingProblem[] = [];
  const significant = (piece: Polygon) => {
    const area = areaSquareMeters(piece);
    return area > 0 && (2 * area) / Math.max(perimeterMeters(piece), 1e-9) > tolerance ? area : 0;
  };
  const report = (type: TilingProblemType, owners: string[], piece: Polygon, area: number, measure?: ProblemMeasure) =>
    problems.push({
      type,
      cells: [...new Set(owners)].sort(),
      areaSquareMeters: area,
      location: interiorPoint(piece),
      geometry: piece,
      ...(measure ? { measure } : {}),
    });

  // 1. Each cell on its own: geometry, parts, size.
  const prepared: Prepared[] = [];
  for (const cell of cells) {
    const result = prepareGeometry(cell.geometry);
    if ('measure' in result) {
      const first = polygonsOf(cell.geometry ?? { type: 'Polygon', coordinates: [] })[0]?.[0]?.[0];
      problems.push({
        type: 'invalid',
        cells: [cell.id],
        areaSquareMeters: 0,
        location: first && Number.isFinite(first[0]) ? [first[0] as number, first[1] as number] : [0, 0],
        measure: result.measure,
      });
      continue;
    }
    const p: Prepared = {
      index: prepared.length,
      id: cell.id,
      community: cell.community ?? '',
      polygons: result.polygons,
      bbox: bboxOf(result.polygons),
    };
    prepared.push(p);
    const shape: MultiPolygon = { type: 'MultiPolygon', coordinates: p.polygons };
    const area = areaSquareMeters(shape);
    const firstPolygon: Polygon = { type: 'Polygon', coordinates: p.polygons[0] as Position[][] };
    if (p.polygons.length > 1) report('multipart', [p.id], firstPolygon, area, { name: 'points', value: p.polygons.length });
    const thinness = (4 * Math.PI * area) / perimeterMeters(shape) ** 2;
    if (area < sliverArea) report('sliver', [p.id], firstPolygon, area, { name: 'area', value: area, limit: sliverArea });
    else if (thinness < sliverThinness) {
      report('sliver', [p.id], firstPolygon, area, { name: 'thinness', value: thinness, limit: sliverThinness });
    }
    const size = options.size;
    const households = cell.households;
    if (size?.minAreaSquareMeters !== undefined && area < size.minAreaSquareMeters) {
      report('size', [p.id], firstPolygon, area, { name: 'area', value: area, limit: size.minAreaSquareMeters });
    } else if (size?.maxAreaSquareMeters !== undefined && area > size.maxAreaSquareMeters) {
      report('size', [p.id], firstPolygon, area, { name: 'area', value: area, limit: size.maxAreaSquareMeters });
    }
    if (households !== undefined && size?.minHouseholds !== undefined && households < size.minHouseholds) {
      report('size', [p.id], firstPolygon, area, { name: 'households', value: households, limit: size.minHouseholds });
    } else if (households !== undefined && size?.maxHouseholds !== undefined && households > size.maxHouseholds) {
      report('size', [p.id], firstPolygon, area, { name: 'households', value: households, limit: size.maxHouseholds });
    }
  }
  if (prepared.length === 0) return problems;

  // 2. Edges no neighbour matches. Cells without any are interior to a clean tiling.
  const ids = new VertexIds();
  const { open, sameDirection, keys: openKeys } = openSegments(prepared, ids);
  const suspect = new Uint8Array(prepared.length);
  for (const s of open) suspect[s.owner] = 1;

  // 3. Overlaps: only a cell with an unmatched edge can overlap another.
  const index = new Flatbush(prepared.length);
  for (const p of prepared) index.add(...p.bbox);
  index.finish();
  const overlapping = new Uint8Array(prepared.length);
  const checked = new Set<string>();
  const checkPair = (a: Prepared, b: Prepared, certain: boolean) => {
    const pair = a.index < b.index ? `${a.index} ${b.index}` : `${b.index} ${a.index}`;
    if (checked.has(pair)) return;
    checked.add(pair);
    if (!certain && !interiorsMayOverlap(a, b)) return;
    for (const piece of piecesOf(clip.intersection(a.polygons as clip.Geom, b.polygons as clip.Geom))) {
      const area = significant(piece);
      if (area === 0) continue;
      overlapping[a.index] = 1;
      overlapping[b.index] = 1;
      report('overlap', [a.id, b.id], piece, area);
    }
  };
  for (const [i, j] of sameDirection) checkPair(prepared[i] as Prepared, prepared[j] as Prepared, true);
  for (const a of prepared) {
    if (!suspect[a.index]) continue;
    for (const j of index.search(...a.bbox)) {
      const b = prepared[j] as Prepared;
      if (b.index !== a.index) checkPair(a, b, false);
    }
  }

  // 4. Gaps: clockwise rings of unmatched edges are holes in the covered area. Where cells
  //    overlap, the edges do not close into rings: clip those cells' union instead. A hole that
  //    lies in a hole of the boundaries (an enclave of another district) or between their parts is
  //    no gap: with boundaries, only what of a hole lies inside them is one.
  const boundaryPolygons = (options.boundaries ?? []).flatMap((b) => polygonsOf(b.geometry));
  const reportGap = (owners: string[], piece: Polygon, area: number) => {
    if (boundaryPolygons.length === 0) {
      report('gap', owners, piece, area);
      return;
    }
    const [w, s, e, n] = bboxOf([piece.coordinates]);
    const within = boundaryPolygons.every((rings) => {
      const [bw, bs, be, bn] = bboxOf([rings]);
      return bw > e || be < w || bs > n || bn < s;
    })
      ? []
      : piecesOf(clip.intersection(piece.coordinates as clip.Geom, boundaryPolygons as clip.Geom));
    for (const part of within) {
      const partArea = significant(part);
      if (partArea > 0) report('gap', owners, part, partArea);
    }
  };
  const gapsFrom = (group: readonly Prepared[], groupOpen: readonly OpenSegment[]) => {
    // Edges of overlapping cells and of their neighbours do not close into clean rings.
    const near = new Uint8Array(prepared.length);
    prepared.forEach((p, i) => {
      if (overlapping[i]) for (const j of index.search(...p.bbox)) near[j] = 1;
    });
    const clean = groupOpen.filter((s) => !near[s.owner]);
    const tangled = groupOpen.filter((s) => near[s.owner]);
    const shells: Position[][] = [];
    const { rings, broken } = traceRings(clean);
    const fallbackOwners = new Set<number>([...tangled.map((s) => s.owner), ...broken]);
    for (const { ring, owners } of rings) {
      if (ringSignedArea2(ring) > 0) {
        shells.push(ring);
        continue;
      }
      const piece: Polygon = { type: 'Polygon', coordinates: [[...ring].reverse()] };
      const area = significant(piece);
      if (area > 0)
        reportGap(
          [...owners].map((o) => (prepared[o] as Prepared).id),
          piece,
          area,
        );
    }
    if (fallbackOwners.size > 0) {
      // Take in the neighbours of the tangled cells so that the holes among them close.
      const members = new Set(fallbackOwners);
      const inGroup = new Set(group.map((g) => g.index));
      for (const o of fallbackOwners) {
        for (const j of index.search(...(prepared[o] as Prepared).bbox)) if (inGroup.has(j)) members.add(j);
      }
      const geoms = [...members].map((m) => (prepared[m] as Prepared).polygons as clip.Geom);
      const union = clip.union(geoms[0] as clip.Geom, ...geoms.slice(1)) as Position[][][];
      for (const rings of union) {
        shells.push(rings[0] as Position[]);
        for (const hole of rings.slice(1)) {
          // A hole in the union of some cells may be filled by others: take those away first.
          const others = index
            .search(...bboxOf([[hole]]))
            .filter((j) => inGroup.has(j) && !members.has(j))
            .map((j) => prepared[j] as Prepared);
          // Many cells inside: the ring of cells around the outline enclosing the rest of the
          // tiling, whose own gaps the traced rings found.
          if (others.length > 64) continue;
          const holePolygon: Position[][] = [[...hole].reverse()];
          const uncovered =
            others.length === 0
              ? [holePolygon]
              : (clip.difference(holePolygon as clip.Geom, ...others.map((o) => o.polygons as clip.Geom)) as Position[][][]);
          for (const piece of piecesOf(uncovered as clip.Geom[])) {
            const area = significant(piece);
            if (area === 0) continue;
            const near = index.search(...bboxOf([piece.coordinates])).filter((j) => inGroup.has(j));
            reportGap(
              cellsAlong(
                piece,
                near.map((j) => prepared[j] as Prepared),
              ),
              piece,
              area,
            );
          }
        }
      }
    }
    return shells;
  };
  const outline = gapsFrom(prepared, open);

  // 5. Boundaries: parts of cells outside, parts of the boundary not covered.
  const boundaries = options.boundaries ?? [];
  if (boundaries.length > 0) {
    const byId = new Map(boundaries.filter((b) => b.id).map((b) => [b.id as string, b]));
    const perCommunity = prepared.every((p) => byId.has(p.community));
    const regions = perCommunity
      ? [...byId.entries()].map(([id, b]) => ({ id, geometry: b.geometry, cells: prepared.filter((p) => p.community === id) }))
      : [{ id: '', geometry: null as Polygon | MultiPolygon | null, cells: prepared }];
    for (const region of regions) {
      const regionPolygons = region.geometry ? polygonsOf(region.geometry) : boundaries.flatMap((b) => polygonsOf(b.geometry));
      const regionOpen = perCommunity ? openSegments(region.cells, ids) : { open, keys: openKeys };
      // Fast path: when the outline of the cells is the boundary, edge for edge, nothing lies
      // outside and nothing is uncovered.
      const regionPrepared = prepareGeometry({ type: 'MultiPolygon', coordinates: regionPolygons });
      if ('polygons' in regionPrepared && region.cells.every((c) => !overlapping[c.index])) {
        const boundaryEdges = new Set<number>();
        for (const rings of regionPrepared.polygons) {
          for (const ring of rings) {
            for (let i = 0; i + 1 < ring.length; i++) {
              boundaryEdges.add(edgeKey(ids.id(ring[i] as Position), ids.id(ring[i + 1] as Position)));
            }
          }
        }
        if (boundaryEdges.size === regionOpen.keys.length && regionOpen.keys.every((k) => boundaryEdges.has(k))) continue;
      }
      const regionSegments = segmentsOf(regionPolygons);
      const regionArea = areaSquareMeters({ type: 'MultiPolygon', coordinates: regionPolygons });
      let covered = 0;
      for (const cell of region.cells) {
        covered += areaSquareMeters({ type: 'MultiPolygon', coordinates: cell.polygons });
        const cellSegments = segmentsOf(cell.polygons);
        const [w, s, e, n] = cell.bbox;
        const near = regionSegments.filter(
          (t) => Math.max(t.ax, t.bx) >= w && Math.min(t.ax, t.bx) <= e && Math.max(t.ay, t.by) >= s && Math.min(t.ay, t.by) <= n,
        );
        // Inside when no edge leaves the boundary and no part of the cell lies wholly out of it
        // (a cell filling an enclave has every edge on the boundary).
        const inside =
          cellSegments.every(
            (c) =>
              placeInPolygons(regionPolygons, c.ax, c.ay) !== 'outside' &&
              placeInPolygons(regionPolygons, (c.ax + c.bx) / 2, (c.ay + c.by) / 2) !== 'outside',
          ) &&
          !cellSegments.some((c) => near.some((t) => crossProperly(c, t))) &&
          cell.polygons.every((rings) => {
            const at = interiorPoint({ type: 'Polygon', coordinates: rings });
            return placeInPolygons(regionPolygons, at[0] as number, at[1] as number) !== 'outside';
          });
        if (inside) continue;
        for (const piece of piecesOf(clip.difference(cell.polygons as clip.Geom, regionPolygons as clip.Geom))) {
          const area = significant(piece);
          if (area > 0) {
            covered -= area;
            report('outside', [cell.id], piece, area);
          }
        }
      }
      for (const p of problems) {
        if (p.type === 'overlap' && p.cells.every((c) => region.cells.some((r) => r.id === c))) covered -= p.areaSquareMeters;
      }
      // Cheap first: when the cells' area adds up to the boundary's, nothing is left uncovered.
      if (regionArea - covered <= regionArea * 1e-9 + 1e-3) continue;
      // The outline of these cells: for all cells it is the one traced above.
      const shells = perCommunity ? traceShells(region.cells, regionOpen.open) : outline;
      const uncovered =
        shells.length === 0 ? [regionPolygons] : clip.difference(regionPolygons as clip.Geom, ...shells.map((r) => [r] as clip.Geom));
      for (const piece of piecesOf(uncovered as clip.Geom[])) {
        const area = significant(piece);
        if (area === 0) continue;
        // Holes between cells are already reported as gaps; report only the uncovered border.
        const at = interiorPoint(piece);
        const known = problems.some(
          (p) =>
            p.type === 'gap' && p.geometry && placeInPolygons([p.geometry.coordinates], at[0] as number, at[1] as number) !== 'outside',
        );
        if (known) continue;
        const pb = bboxOf([piece.coordinates]);
        const near = region.cells.filter((c) => c.bbox[0] <= pb[2] && c.bbox[2] >= pb[0] && c.bbox[1] <= pb[3] && c.bbox[3] >= pb[1]);
        report('gap', cellsAlong(piece, near), piece, area);
      }
    }
  }

  return problems;

  /** Returns a group's outline rings without reporting its gaps again (they are in the global pass). */
  function traceShells(group: readonly Prepared[], groupOpen: readonly OpenSegment[]): Position[][] {
    const before = problems.length;
    const shells = gapsFrom(group, groupOpen);
    problems.length = before;
    return shells;
  }
}
