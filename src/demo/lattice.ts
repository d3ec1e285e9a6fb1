/**
 * Lattice geometry for the demo district. Every region (cell, community, street, district) is a
 * set of unit squares on an integer lattice; its boundary is traced square edge by square edge,
 * so two neighbouring regions share exactly the same vertices and the tiling has no gaps or
 * overlaps by construction. A smooth warp then bends the lattice into believable streets.
 */

/** A labelled lattice: `labels[v * width + u]` is the region of square (u, v); -1 is outside. */
export interface LabelGrid {
  width: number;
  height: number;
  labels: Int32Array;
}

/** A ring of lattice points `[u, v]`, closed (first point repeated last). */
export type LatticeRing = Array<[number, number]>;

/**
 * Returns the rings bounding every region of a label grid, keyed by label: for each region a
 * list of polygons, each `[outer, ...holes]`, outer rings counter-clockwise and holes clockwise
 * (v grows northwards), with a vertex at every lattice point on the boundary.
 */
export function traceRegions(grid: LabelGrid): Map<number, LatticeRing[][]> {
  const { width, height, labels } = grid;
  const at = (u: number, v: number) => (u < 0 || v < 0 || u >= width || v >= height ? -1 : (labels[v * width + u] as number));

  // Directed boundary edges per label, keyed by start point; the region lies on the left.
  const edges = new Map<number, Map<number, number[]>>();
  const key = (u: number, v: number) => v * (width + 1) + u;
  const add = (label: number, u0: number, v0: number, u1: number, v1: number) => {
    let byStart = edges.get(label);
    if (!byStart) {
      byStart = new Map();
      edges.set(label, byStart);
    }
    const k = key(u0, v0);
    const list = byStart.get(k);
    if (list) list.push(key(u1, v1));
    else byStart.set(k, [key(u1, v1)]);
  };
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const label = at(u, v);
      if (label < 0) continue;
      if (at(u, v - 1) !== label) add(label, u, v, u + 1, v); // south side, eastwards
      if (at(u + 1, v) !== label) add(label, u + 1, v, u + 1, v + 1); // east side, northwards
      if (at(u, v + 1) !== label) add(label, u + 1, v + 1, u, v + 1); // north side, westwards
      if (at(u - 1, v) !== label) add(label, u, v + 1, u, v); // west side, southwards
    }
  }

  const result = new Map<number, LatticeRing[][]>();
  for (const [label, byStart] of edges) {
    const rings: LatticeRing[] = [];
    for (const startKey of [...byStart.keys()].sort((a, b) => a - b)) {
      while ((byStart.get(startKey)?.length ?? 0) > 0) {
        const ring: LatticeRing = [];
        let k = startKey;
        let previous = -1;
        do {
          ring.push([k % (width + 1), Math.floor(k / (width + 1))]);
          const outs = byStart.get(k) ?? [];
          const pick = previous < 0 ? 0 : sharpestLeft(previous, k, outs, width + 1);
          const nextKey = outs.splice(pick, 1)[0];
          if (nextKey === undefined) throw new Error(`open boundary in region ${label}`);
          previous = k;
          k = nextKey;
        } while (k !== startKey);
        ring.push([...(ring[0] as [number, number])]);
        rings.push(ring);
      }
    }
    result.set(label, assembleRings(rings));
  }
  return result;
}

/**
 * Returns the index of the outgoing edge that turns most to the left. Where a region touches
 * itself at a single point (two squares meeting corner to corner), turning left keeps each
 * square's ring separate, so rings never cross or touch themselves and stay valid.
 */
function sharpestLeft(from: number, at: number, outs: number[], stride: number): number {
  const du = (at % stride) - (from % stride);
  const dv = Math.floor(at / stride) - Math.floor(from / stride);
  let best = 0;
  let bestScore = -Infinity;
  outs.forEach((to, i) => {
    const eu = (to % stride) - (at % stride);
    const ev = Math.floor(to / stride) - Math.floor(at / stride);
    // cross > 0 is a left turn, 0 straight on, < 0 right; a U-turn never occurs on a boundary.
    const score = du * ev - dv * eu + (du * eu + dv * ev) * 0.5;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}

/** Returns twice the signed area of a ring (positive when counter-clockwise). */
export function signedArea2(ring: LatticeRing): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as [number, number];
    const b = ring[i + 1] as [number, number];
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum;
}

function pointInRing(p: [number, number], ring: LatticeRing): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i] as [number, number];
    const b = ring[j] as [number, number];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) {
      inside = !inside;
    }
  }
  return inside;
}

/** Groups rings into polygons: each clockwise ring becomes a hole of the outer ring holding it. */
function assembleRings(rings: LatticeRing[]): LatticeRing[][] {
  const outers = rings.filter((r) => signedArea2(r) > 0).map((r) => [r]);
  for (const hole of rings.filter((r) => signedArea2(r) < 0)) {
    // Test from the midpoint of the hole's first edge nudged inside the hole's left side.
    const a = hole[0] as [number, number];
    const b = hole[1] as [number, number];
    const probe: [number, number] = [(a[0] + b[0]) / 2 - (b[1] - a[1]) * 0.25, (a[1] + b[1]) / 2 + (b[0] - a[0]) * 0.25];
    const owner = outers.find((polygon) => pointInRing(probe, polygon[0] as LatticeRing));
    if (!owner) throw new Error('hole without an outer ring');
    owner.push(hole);
  }
  return outers;
}

/** A rectangle of lattice squares `[u0, u1) × [v0, v1)`. */
export interface LatticeRect {
  u0: number;
  v0: number;
  u1: number;
  v1: number;
}

/** A line along which a rectangle was split: it becomes a road. */
export interface SplitLine {
  axis: 'u' | 'v';
  /** The constant lattice coordinate of the line. */
  at: number;
  /** Range along the other axis. */
  from: number;
  to: number;
  depth: number;
}

/**
 * Splits a rectangle into `count` parts by recursive cuts across its longer side, each cut at
 * the parts' share of the area, jittered by up to `jitter` of the side and snapped to the lattice.
 * Appends every cut to `lines`.
 */
export function splitRect(
  rect: LatticeRect,
  count: number,
  jitter: number,
  random: () => number,
  lines: SplitLine[],
  depth: number,
): LatticeRect[] {
  if (count <= 1) return [rect];
  const width = rect.u1 - rect.u0;
  const height = rect.v1 - rect.v0;
  const first = Math.floor(count / 2);
  const share = first / count + (random() - 0.5) * 2 * jitter;
  const alongU = width >= height;
  const side = alongU ? width : height;
  if (side < 2) return [rect];
  const cut = Math.min(side - 1, Math.max(1, Math.round(side * share)));
  let a: LatticeRect;
  let b: LatticeRect;
  if (alongU) {
    a = { ...rect, u1: rect.u0 + cut };
    b = { ...rect, u0: rect.u0 + cut };
    lines.push({ axis: 'u', at: rect.u0 + cut, from: rect.v0, to: rect.v1, depth });
  } else {
    a = { ...rect, v1: rect.v0 + cut };
    b = { ...rect, v0: rect.v0 + cut };
    lines.push({ axis: 'v', at: rect.v0 + cut, from: rect.u0, to: rect.u1, depth });
  }
  return [...splitRect(a, first, jitter, random, lines, depth), ...splitRect(b, count - first, jitter, random, lines, depth)];
}
