import type { MultiPolygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { moveSharedVertex, moveSharedVertices } from '../../../src/geo/move-shared-vertex';
import { validateTiling } from '../../../src/geo/validate-tiling';

const D = 0.001;
const square = (col: number, row: number): MultiPolygon => {
  const w = 112.9 + col * D;
  const s = 28.2 + row * D;
  return {
    type: 'MultiPolygon',
    coordinates: [
      [
        [
          [w, s],
          [w + D, s],
          [w + D, s + D],
          [w, s + D],
          [w, s],
        ],
      ],
    ],
  };
};
const grid = () => [0, 1].flatMap((row) => [0, 1].map((col) => ({ id: `c${row}${col}`, geometry: square(col, row) })));

describe('moveSharedVertex', () => {
  it('moves the corner four cells share in all four, keeping the tiling exact', () => {
    const cells = grid();
    const from: Position = [112.9 + D, 28.2 + D];
    const to: Position = [112.9 + 1.3 * D, 28.2 + 0.8 * D];
    const moved = moveSharedVertex(cells, from, to);
    expect(moved.map((m) => m.id)).toEqual(['c00', 'c01', 'c10', 'c11']);
    const after = cells.map((c) => moved.find((m) => m.id === c.id) ?? c);
    expect(validateTiling(after)).toEqual([]);
  });

  it('moving the vertex in one cell only would open a gap and an overlap', () => {
    const cells = grid();
    const from: Position = [112.9 + D, 28.2 + D];
    const [one] = moveSharedVertex([cells[0] as (typeof cells)[number]], from, [112.9 + 1.3 * D, 28.2 + 0.8 * D]);
    const after = cells.map((c) => (c.id === one?.id ? one : c));
    expect(
      validateTiling(after)
        .map((p) => p.type)
        .sort(),
    ).toEqual(['gap', 'overlap']);
  });

  it('adds the vertex to a neighbour whose edge runs through it (a T-junction)', () => {
    // A wide cell below two narrow ones: the narrow cells' shared corner lies on the wide cell's top edge.
    const wide: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [112.9, 28.2],
            [112.9 + 2 * D, 28.2],
            [112.9 + 2 * D, 28.2 + D],
            [112.9, 28.2 + D],
            [112.9, 28.2],
          ],
        ],
      ],
    };
    const cells = [
      { id: 'wide', geometry: wide },
      { id: 'a', geometry: square(0, 1) },
      { id: 'b', geometry: square(1, 1) },
    ];
    const moved = moveSharedVertex(cells, [112.9 + D, 28.2 + D], [112.9 + D, 28.2 + 0.7 * D]);
    expect(moved.map((m) => m.id)).toEqual(['wide', 'a', 'b']);
    expect(moved[0]?.geometry.coordinates[0]?.[0]).toHaveLength(6);
    const after = cells.map((c) => moved.find((m) => m.id === c.id) ?? c);
    expect(validateTiling(after)).toEqual([]);
  });

  it('returns nothing when no cell has the vertex', () => {
    expect(moveSharedVertex(grid(), [0, 0], [1, 1])).toEqual([]);
  });

  it('drags a shared edge as a whole: both its ends move in every cell on them, the tiling stays exact', () => {
    // A 3 × 2 grid; the edge between c00 and c01 runs from (x1, y0) to (x1, y1).
    const cells = [0, 1].flatMap((row) => [0, 1, 2].map((col) => ({ id: `c${row}${col}`, geometry: square(col, row) })));
    const x1 = 112.9 + D;
    const dx = 0.3 * D;
    const moved = moveSharedVertices(cells, [
      { from: [x1, 28.2], to: [x1 + dx, 28.2] },
      { from: [x1, 28.2 + D], to: [x1 + dx, 28.2 + D] },
    ]);
    expect(moved.map((m) => m.id)).toEqual(['c00', 'c01', 'c10', 'c11']);
    const after = cells.map((c) => moved.find((m) => m.id === c.id) ?? c);
    expect(validateTiling(after)).toEqual([]);
    const ring = moved[0]?.geometry.coordinates[0]?.[0] ?? [];
    expect(ring.filter((p) => p[0] === x1 + dx)).toHaveLength(2);
  });
});
