import { polygonIntersectsPoint } from './point-in-polygon';
import type { CellIndex } from './spatial-index';

/**
 * Returns, for each point, the position in `cells.codes` of the cell it lies in (inside or on
 * the boundary, lowest code first on shared borders, like ST_Intersects in the database
 * trigger), or -1 when it lies in no cell. Positions are [lng, lat] in EPSG:4326, given as
 * parallel arrays.
 * @example assignPoints(buildCellIndex(cells), Float64Array.of(112.9), Float64Array.of(28.2)) // Int32Array [k]
 */
export function assignPoints(cells: CellIndex, lng: ArrayLike<number>, lat: ArrayLike<number>): Int32Array {
  const out = new Int32Array(lng.length).fill(-1);
  const candidates: number[] = [];
  for (let i = 0; i < lng.length; i++) {
    const x = lng[i] as number;
    const y = lat[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    candidates.length = 0;
    for (const item of cells.index.search(x, y, x, y)) candidates.push(cells.owner[item] as number);
    // Lowest code first: stop at the first cell that takes the point.
    candidates.sort((a, b) => a - b);
    for (const c of candidates) {
      const polygons = cells.polygons[c] as Float64Array[][];
      if (polygons.some((rings) => polygonIntersectsPoint(rings, x, y))) {
        out[i] = c;
        break;
      }
    }
  }
  return out;
}
