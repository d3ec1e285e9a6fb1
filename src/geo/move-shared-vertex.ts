import type { MultiPolygon, Position } from 'geojson';

/** A cell shape for shared-border editing. */
export interface ShapeById {
  id: string;
  geometry: MultiPolygon;
}

const near = (a: Position, b: Position, tolerance: number) =>
  Math.abs((a[0] as number) - (b[0] as number)) <= tolerance && Math.abs((a[1] as number) - (b[1] as number)) <= tolerance;

/** Returns where p lies along a–b (0..1) when it is within `tolerance` of the segment's inside, else null. */
function alongSegment(p: Position, a: Position, b: Position, tolerance: number): number | null {
  const dx = (b[0] as number) - (a[0] as number);
  const dy = (b[1] as number) - (a[1] as number);
  const length2 = dx * dx + dy * dy;
  if (length2 === 0) return null;
  const t = (((p[0] as number) - (a[0] as number)) * dx + ((p[1] as number) - (a[1] as number)) * dy) / length2;
  if (t <= 0 || t >= 1) return null;
  const ex = (a[0] as number) + t * dx - (p[0] as number);
  const ey = (a[1] as number) + t * dy - (p[1] as number);
  return ex * ex + ey * ey <= tolerance * tolerance ? t : null;
}

/**
 * Returns the new shapes of every cell that has the vertex `from`, with it moved to `to`: the
 * cells that share it change together, as QGIS's topological editing does, so no gap or overlap
 * opens. A cell whose edge passes through `from` without a vertex there gets the vertex added
 * (and moved). Cells that do not touch `from` are not returned. Degrees; tolerance in degrees.
 * @example moveSharedVertex(cells, [112.9, 28.2], [112.9001, 28.2]) // the cells around that corner
 */
export function moveSharedVertex(cells: readonly ShapeById[], from: Position, to: Position, toleranceDegrees = 1e-9): ShapeById[] {
  const moved: ShapeById[] = [];
  for (const cell of cells) {
    let touched = false;
    const coordinates = cell.geometry.coordinates.map((rings) =>
      rings.map((ring) => {
        const out: Position[] = [];
        for (let i = 0; i < ring.length; i++) {
          const p = ring[i] as Position;
          if (near(p, from, toleranceDegrees)) {
            out.push([to[0] as number, to[1] as number]);
            touched = true;
            continue;
          }
          out.push(p);
          const q = ring[i + 1];
          if (q && !near(q, from, toleranceDegrees) && alongSegment(from, p, q, toleranceDegrees) !== null) {
            out.push([to[0] as number, to[1] as number]);
            touched = true;
          }
        }
        return out;
      }),
    );
    if (touched) moved.push({ id: cell.id, geometry: { type: 'MultiPolygon', coordinates } });
  }
  return moved;
}

/**
 * Returns the new shapes of every cell touched by several vertex moves made one after the other
 * (a shared edge dragged as a whole moves both its ends), each cell once, in input order.
 * @example moveSharedVertices(cells, [{ from: a, to: a2 }, { from: b, to: b2 }]) // the cells along edge a–b
 */
export function moveSharedVertices(
  cells: readonly ShapeById[],
  moves: readonly { from: Position; to: Position }[],
  toleranceDegrees = 1e-9,
): ShapeById[] {
  const current = new Map(cells.map((c) => [c.id, c.geometry]));
  const changed = new Set<string>();
  for (const move of moves) {
    const shapes = [...current].map(([id, geometry]) => ({ id, geometry }));
    for (const m of moveSharedVertex(shapes, move.from, move.to, toleranceDegrees)) {
      current.set(m.id, m.geometry);
      changed.add(m.id);
    }
  }
  return cells.filter((c) => changed.has(c.id)).map((c) => ({ id: c.id, geometry: current.get(c.id) as MultiPolygon }));
}
