import { describe, expect, it } from 'vitest';
import { numberingOrder } from '../../../src/domain/cell-numbering';

describe('numberingOrder', () => {
  it('numbers north to south, then west to east within a row', () => {
    // Two rows of two: NW, NE, SW, SE given in a scrambled order.
    const centroids: Array<[number, number]> = [
      [1, 0], // SE
      [0, 1], // NW
      [0, 0], // SW
      [1, 1.02], // NE, slightly north of NW but in the same row
    ];
    expect(numberingOrder(centroids, 0.1)).toEqual([1, 3, 2, 0]);
  });

  it('starts a new row when a centroid is further south than the tolerance', () => {
    expect(
      numberingOrder(
        [
          [5, 0],
          [0, -1],
        ],
        0.5,
      ),
    ).toEqual([0, 1]);
  });

  it('keeps input order for identical centroids', () => {
    expect(
      numberingOrder(
        [
          [0, 0],
          [0, 0],
        ],
        0.1,
      ),
    ).toEqual([0, 1]);
  });

  it('returns nothing for no cells', () => {
    expect(numberingOrder([], 0.1)).toEqual([]);
  });
});
