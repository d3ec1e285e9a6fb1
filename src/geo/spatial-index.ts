import Flatbush from 'flatbush';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';

/** Cells ready for point lookups: sorted by code, each as polygons of flat rings, in a Flatbush index. */
export interface CellIndex {
  /** Cell codes in ascending order; every other array follows this order. */
  codes: string[];
  /** Per cell, its polygons; per polygon, its rings as flat [x0, y0, …]. */
  polygons: Float64Array[][][];
  /** Flatbush over the bounding box of each polygon; `owner[k]` is the cell of polygon item k. */
  index: Flatbush;
  owner: Int32Array;
}

const flatRing = (ring: Position[]) => {
  const out = new Float64Array(ring.length * 2);
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i] as Position;
    out[2 * i] = p[0] as number;
    out[2 * i + 1] = p[1] as number;
  }
  return out;
};

/**
 * Returns a CellIndex for cell features (Polygon or MultiPolygon, property `code`), sorted by
 * code so that the lowest code wins where cells share a border, as the database trigger does.
 * Throws on a feature without a code or with another geometry type, naming it.
 * @example buildCellIndex(cells).codes[0] // the lowest cell code
 */
export function buildCellIndex(features: readonly Feature<Polygon | MultiPolygon, { code?: unknown }>[]): CellIndex {
  const sorted = features
    .map((f, i) => {
      const code = f.properties?.code;
      if (typeof code !== 'string' || code === '') throw new Error(`cell feature ${i + 1} has no "code" property`);
      // Input comes from files: check the geometry type at run time, whatever the static type says.
      const geometry = f.geometry as Polygon | MultiPolygon | { type: string } | null;
      if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') {
        throw new Error(`cell ${code} is a ${geometry?.type ?? 'missing geometry'}, not a Polygon or MultiPolygon`);
      }
      return { code, geometry: geometry as Polygon | MultiPolygon };
    })
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const polygons = sorted.map(({ geometry }) =>
    (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates).map((rings) => rings.map(flatRing)),
  );
  const items = polygons.reduce((n, p) => n + p.length, 0);
  const index = new Flatbush(Math.max(1, items));
  const owner = new Int32Array(Math.max(1, items));
  let k = 0;
  polygons.forEach((cell, c) => {
    for (const rings of cell) {
      const outer = rings[0] as Float64Array;
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (let i = 0; i < outer.length; i += 2) {
        const x = outer[i] as number;
        const y = outer[i + 1] as number;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      index.add(minX, minY, maxX, maxY);
      owner[k++] = c;
    }
  });
  if (items === 0) index.add(0, 0, 0, 0);
  index.finish();
  return { codes: sorted.map((s) => s.code), polygons, index, owner };
}
