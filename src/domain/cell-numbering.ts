import type { LngLat } from './ids';

/**
 * Returns the indices of `centroids` in cell-numbering order: north to south in rows, west to
 * east within a row, as the Beijing unit-grid standard numbers cells inside a community.
 * A centroid joins the current row while its latitude is within `rowToleranceDegrees` of the
 * row's first (northernmost) member; ties keep input order, so the result is deterministic.
 * @example numberingOrder([[1, 0], [0, 0], [0, 1]], 0.1) // [2, 1, 0]
 */
export function numberingOrder(centroids: readonly LngLat[], rowToleranceDegrees: number): number[] {
  const byLatitude = centroids.map((c, index) => ({ index, lng: c[0], lat: c[1] })).sort((a, b) => b.lat - a.lat || a.index - b.index);
  const order: number[] = [];
  let row: typeof byLatitude = [];
  const flush = () => {
    row.sort((a, b) => a.lng - b.lng || a.index - b.index);
    for (const item of row) order.push(item.index);
    row = [];
  };
  for (const item of byLatitude) {
    const first = row[0];
    if (first && first.lat - item.lat > rowToleranceDegrees) flush();
    row.push(item);
  }
  flush();
  return order;
}
