import type { MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { fixTiling } from '../../../src/geo/fix-tiling';
import { areaSquareMeters } from '../../../src/geo/planar';
import { type TilingCell, type TilingProblem, validateTiling } from '../../../src/geo/validate-tiling';

// A 3 × 3 grid of 0.001° squares (≈ 98 m × 111 m) near Changsha; cells share their vertices.
const X0 = 112.9;
const Y0 = 28.2;
const D = 0.001;
const square = (col: number, row: number, size = 1): Polygon => {
  const w = X0 + col * D;
  const s = Y0 + row * D;
  const e = w + size * D;
  const n = s + size * D;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
};
const grid = (): TilingCell[] => {
  const cells: TilingCell[] = [];
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) cells.push({ id: `c${row}${col}`, community: 'k', geometry: square(col, row) });
  }
  return cells;
};
const cellArea = areaSquareMeters(square(1, 1));

describe('validateTiling', () => {
  it('finds nothing wrong in a clean grid, nor in a grid whose rings repeat points', () => {
    expect(validateTiling(grid())).toEqual([]);
    const cells = grid();
    const ring = ((cells[4] as TilingCell).geometry as Polygon).coordinates[0] as Position[];
    ring.splice(1, 0, ring[1] as Position);
    expect(validateTiling(cells)).toEqual([]);
  });

  it('reports a hole among the cells as a gap with its area and the cells around it', () => {
    const cells = grid().filter((c) => c.id !== 'c11');
    const problems = validateTiling(cells);
    expect(problems).toHaveLength(1);
    const [gap] = problems;
    expect(gap?.type).toBe('gap');
    expect(gap?.areaSquareMeters).toBeCloseTo(cellArea, 3);
    expect(gap?.cells).toEqual(['c01', 'c10', 'c12', 'c21']);
    const [lng, lat] = (gap as TilingProblem).location as number[];
    expect(lng).toBeGreaterThan(X0 + D);
    expect(lng).toBeLessThan(X0 + 2 * D);
    expect(lat).toBeGreaterThan(Y0 + D);
    expect(lat).toBeLessThan(Y0 + 2 * D);
  });

  it('keeps a gap that touches the outline at one corner apart from the outline', () => {
    // Without the south-west cell of a 2 × 2 block inside a ring of cells, the hole touches nothing else.
    const cells = grid().filter((c) => c.id !== 'c00');
    expect(validateTiling(cells)).toEqual([]);
  });

  it('reports two cells that overlap, with the area they share', () => {
    const cells = grid();
    // Move the east edge of the centre cell a quarter cell into its eastern neighbour.
    const centre = cells[4] as TilingCell;
    centre.geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [X0 + D, Y0 + D],
          [X0 + 2.25 * D, Y0 + D],
          [X0 + 2.25 * D, Y0 + 2 * D],
          [X0 + D, Y0 + 2 * D],
          [X0 + D, Y0 + D],
        ],
      ],
    };
    const problems = validateTiling(cells);
    expect(problems.map((p) => p.type)).toEqual(['overlap']);
    expect(problems[0]?.cells).toEqual(['c11', 'c12']);
    expect(problems[0]?.areaSquareMeters).toBeCloseTo(cellArea / 4, 0);
  });

  it('reports identical cells as overlapping each other entirely', () => {
    const cells = [...grid(), { id: 'copy', community: 'k', geometry: square(1, 1) }];
    const problems = validateTiling(cells);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ type: 'overlap', cells: ['c11', 'copy'] });
    expect(problems[0]?.areaSquareMeters).toBeCloseTo(cellArea, 3);
  });

  it('reports a cell lying wholly inside another, though no edges cross', () => {
    const inner: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [X0 + 1.25 * D, Y0 + 1.25 * D],
          [X0 + 1.75 * D, Y0 + 1.25 * D],
          [X0 + 1.5 * D, Y0 + 1.75 * D],
          [X0 + 1.25 * D, Y0 + 1.25 * D],
        ],
      ],
    };
    const problems = validateTiling([...grid(), { id: 'inner', geometry: inner }]);
    expect(problems.map((p) => [p.type, p.cells])).toEqual([['overlap', ['c11', 'inner']]]);
  });

  it('accepts a hole in a cell that another cell fills (a park inside a residential cell)', () => {
    const cells = grid();
    const hole = [
      [X0 + 1.25 * D, Y0 + 1.25 * D],
      [X0 + 1.25 * D, Y0 + 1.75 * D],
      [X0 + 1.75 * D, Y0 + 1.75 * D],
      [X0 + 1.75 * D, Y0 + 1.25 * D],
      [X0 + 1.25 * D, Y0 + 1.25 * D],
    ];
    (cells[4] as TilingCell).geometry = { type: 'Polygon', coordinates: [...square(1, 1).coordinates, hole] };
    expect(validateTiling(cells).map((p) => p.type)).toEqual(['gap']);
    cells.push({ id: 'park', geometry: { type: 'Polygon', coordinates: [[...hole].reverse()] } });
    expect(validateTiling(cells)).toEqual([]);
  });

  it('ignores gaps and overlaps narrower than the tolerance, and reports them with a smaller one', () => {
    const cells = grid();
    // Pull the east edge of the centre cell back by ≈ 0.2 m: a thin gap.
    const e = X0 + 2 * D - 0.000002;
    (cells[4] as TilingCell).geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [X0 + D, Y0 + D],
          [e, Y0 + D],
          [e, Y0 + 2 * D],
          [X0 + D, Y0 + 2 * D],
          [X0 + D, Y0 + D],
        ],
      ],
    };
    expect(validateTiling(cells, { toleranceMeters: 0.5 })).toEqual([]);
    const strict = validateTiling(cells, { toleranceMeters: 0.05 });
    expect(strict.map((p) => p.type)).toEqual(['gap']);
  });

  it('reports invalid geometry with the reason and leaves it out of the other checks', () => {
    const bowTie: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [X0, Y0],
          [X0 + D, Y0 + D],
          [X0 + D, Y0],
          [X0, Y0 + D],
          [X0, Y0],
        ],
      ],
    };
    const unclosed: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [X0, Y0],
          [X0 + D, Y0],
          [X0 + D, Y0 + D],
        ],
      ],
    };
    const twoPoints: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [X0, Y0],
          [X0 + D, Y0],
          [X0 + D, Y0],
          [X0, Y0],
        ],
      ],
    };
    const problems = validateTiling([
      { id: 'bow', geometry: bowTie },
      { id: 'open', geometry: unclosed },
      { id: 'flat', geometry: twoPoints },
      { id: 'line', geometry: { type: 'LineString', coordinates: [] } as unknown as Polygon },
    ]);
    expect(problems.map((p) => [p.type, p.cells[0], p.measure?.name])).toEqual([
      ['invalid', 'bow', 'self-intersection'],
      ['invalid', 'open', 'unclosed'],
      ['invalid', 'flat', 'points'],
      ['invalid', 'line', 'type'],
    ]);
  });

  it('reports multi-part cells', () => {
    const cells = grid();
    (cells[0] as TilingCell).geometry = { type: 'MultiPolygon', coordinates: [square(0, 0).coordinates, square(5, 5).coordinates] };
    const problems = validateTiling(cells);
    expect(problems[0]).toMatchObject({ type: 'multipart', cells: ['c00'] });
  });

  it('reports slivers by area and by thinness', () => {
    const tiny: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [X0 + 5 * D, Y0],
          [X0 + 5.00005 * D, Y0],
          [X0 + 5.00005 * D, Y0 + 0.00005 * D],
          [X0 + 5 * D, Y0],
        ],
      ],
    };
    const thin: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [X0 + 7 * D, Y0],
          [X0 + 7.01 * D, Y0],
          [X0 + 7.01 * D, Y0 + 3 * D],
          [X0 + 7 * D, Y0 + 3 * D],
          [X0 + 7 * D, Y0],
        ],
      ],
    };
    const problems = validateTiling([
      { id: 'tiny', geometry: tiny },
      { id: 'thin', geometry: thin },
    ]);
    expect(problems.map((p) => [p.type, p.cells[0], p.measure?.name])).toEqual([
      ['sliver', 'tiny', 'area'],
      ['sliver', 'thin', 'thinness'],
    ]);
  });

  it('reports cells outside the size rule by area and by households', () => {
    const cells = grid().map((c, i) => ({ ...c, households: i * 50 }));
    const problems = validateTiling(cells, { size: { maxAreaSquareMeters: cellArea * 2, minHouseholds: 20, maxHouseholds: 350 } });
    expect(problems.map((p) => [p.type, p.cells[0], p.measure?.name])).toEqual([
      ['size', 'c00', 'households'],
      ['size', 'c22', 'households'],
    ]);
  });

  describe('with a boundary', () => {
    const boundary = { id: 'k', geometry: square(0, 0, 3) };

    it('finds nothing when the cells fill their community exactly', () => {
      expect(validateTiling(grid(), { boundaries: [boundary] })).toEqual([]);
    });

    it('reports the part of the community no cell covers as a gap', () => {
      const cells = grid().filter((c) => c.id !== 'c22');
      const problems = validateTiling(cells, { boundaries: [boundary] });
      expect(problems.map((p) => p.type)).toEqual(['gap']);
      expect(problems[0]?.areaSquareMeters).toBeCloseTo(cellArea, 0);
      expect(problems[0]?.cells).toEqual(['c12', 'c21']);
    });

    it('reports the part of a cell outside its community', () => {
      const cells = grid();
      (cells[8] as TilingCell).geometry = square(2, 2, 1.5);
      const problems = validateTiling(cells, { boundaries: [boundary] });
      expect(problems.map((p) => [p.type, p.cells])).toEqual([['outside', ['c22']]]);
      expect(problems[0]?.areaSquareMeters).toBeCloseTo(cellArea * 1.25, 0);
    });

    it('checks every cell against one boundary when the boundaries have no community ids', () => {
      const cells = grid().filter((c) => c.id !== 'c22');
      const problems = validateTiling(cells, { boundaries: [{ geometry: square(0, 0, 3) }] });
      expect(problems.map((p) => p.type)).toEqual(['gap']);
    });
  });
});

describe('fixTiling', () => {
  it('gives a gap to the neighbour sharing its longest border and cuts an overlap from the others', () => {
    const cells = grid();
    // Centre cell pulled back a quarter cell on its east side (a gap beside c12), and c00 pushed
    // a quarter cell north into c10 (an overlap).
    (cells[4] as TilingCell).geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [X0 + D, Y0 + D],
          [X0 + 1.75 * D, Y0 + D],
          [X0 + 1.75 * D, Y0 + 2 * D],
          [X0 + D, Y0 + 2 * D],
          [X0 + D, Y0 + D],
        ],
      ],
    };
    (cells[0] as TilingCell).geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [X0, Y0],
          [X0 + D, Y0],
          [X0 + D, Y0 + 1.25 * D],
          [X0, Y0 + 1.25 * D],
          [X0, Y0],
        ],
      ],
    };
    const problems = validateTiling(cells);
    expect(problems.map((p) => p.type).sort()).toEqual(['gap', 'overlap']);
    const fixed = fixTiling(problems, cells);
    const after = cells.map((c) => ({ ...c, geometry: fixed.find((f) => f.id === c.id)?.geometry ?? c.geometry }));
    expect(validateTiling(after)).toEqual([]);
    // The gap's long sides border c11 and c12 (its short ones c01 and c21): one of those two takes it.
    const taker = fixed.find((f) => f.id === 'c11' || f.id === 'c12') as { geometry: MultiPolygon };
    expect(areaSquareMeters(taker.geometry)).toBeGreaterThan(cellArea);
    // c00 loses what it took from c10 and is a plain square again.
    expect(areaSquareMeters(fixed.find((f) => f.id === 'c00')?.geometry as MultiPolygon)).toBeCloseTo(cellArea, 0);
  });
});

describe('validateTiling with enclaves and districts in several parts', () => {
  // A 5 × 5 district with two enclaves of another district (holes at (1,1) and (3,3)) and a second
  // part two cells to the east; its cells fill it all but the holes.
  const ring = (p: Polygon) => p.coordinates[0] as Position[];
  const hole = (col: number, row: number) => [...ring(square(col, row))].reverse();
  const district: MultiPolygon = {
    type: 'MultiPolygon',
    coordinates: [[ring(square(0, 0, 5)), hole(1, 1), hole(3, 3)], [ring(square(7, 0, 2))]],
  };
  const isHole = (col: number, row: number) => (col === 1 && row === 1) || (col === 3 && row === 3);
  const cells = (community = 'k'): TilingCell[] => {
    const out: TilingCell[] = [];
    for (let row = 0; row < 5; row++)
      for (let col = 0; col < 5; col++) if (!isHole(col, row)) out.push({ id: `c${row}${col}`, community, geometry: square(col, row) });
    out.push({ id: 'east', community, geometry: square(7, 0, 2) });
    return out;
  };

  it('sees no gap over an enclave nor between the parts of the district', () => {
    expect(validateTiling(cells(), { boundaries: [{ geometry: district }] })).toEqual([]);
    // The same as a community with holes (checked against its own boundary).
    expect(validateTiling(cells(), { boundaries: [{ id: 'k', geometry: district }] })).toEqual([]);
  });

  it('still finds a real gap beside an enclave, and a cell reaching into one', () => {
    const missing = cells().filter((c) => c.id !== 'c12');
    const gaps = validateTiling(missing, { boundaries: [{ geometry: district }] });
    expect(gaps.map((p) => p.type)).toEqual(['gap']);
    expect(gaps[0]?.areaSquareMeters).toBeCloseTo(cellArea, -1);
    const intruder: TilingCell = { id: 'c11', community: 'k', geometry: square(1, 1) };
    const outside = validateTiling([...cells(), intruder], { boundaries: [{ geometry: district }] });
    expect(outside.map((p) => [p.type, p.cells])).toEqual([['outside', ['c11']]]);
  });

  it('fixes a real gap beside an enclave without filling the enclave', () => {
    const missing = cells().filter((c) => c.id !== 'c12');
    const problems = validateTiling(missing, { boundaries: [{ geometry: district }] });
    const fixed = fixTiling(problems, missing);
    const after = missing.map((c) => ({ ...c, geometry: fixed.find((f) => f.id === c.id)?.geometry ?? c.geometry }));
    expect(validateTiling(after as TilingCell[], { boundaries: [{ geometry: district }] })).toEqual([]);
  });
});
