import type { MultiPolygon, Polygon, Position } from 'geojson';
import * as clip from 'polyclip-ts';
import { areaSquareMeters, polygonsOf } from './planar';

/** A cell the drawn shape lies on: what it keeps (null when it is covered whole). */
export interface DrawnCellDonor {
  id: string;
  rest: MultiPolygon | null;
  /** Square metres it gives to the new cell. */
  givenSquareMeters: number;
  /** Separate pieces it keeps (more than 1 needs the admin's confirmation). */
  parts: number;
}

/** The preview of drawing a new cell: its shape and what happens to the cells under it. */
export interface DrawnCellPreview {
  cell: MultiPolygon;
  areaSquareMeters: number;
  donors: DrawnCellDonor[];
}

const multi = (rings: Position[][][]): MultiPolygon => ({ type: 'MultiPolygon', coordinates: rings });

/**
 * Returns what drawing `shape` as a new cell does, as the database's draw_cell will: the new
 * cell is the shape over the community's cells (so it stays inside the community); each cell it
 * lies on keeps its difference with the shape, or is covered whole; pieces under 0.01 m² are
 * ignored. Null when the shape covers less than 1 m² of the cells. Degrees (WGS-84 or the
 * display CRS: the preview only has to look right).
 * @example previewDrawnCell(square, communityCells)?.donors.map((d) => d.id)
 */
export function previewDrawnCell(
  shape: Polygon,
  cells: readonly { id: string; geometry: Polygon | MultiPolygon }[],
): DrawnCellPreview | null {
  const donors: DrawnCellDonor[] = [];
  const pieces: Position[][][][] = [];
  for (const c of cells) {
    const rings = polygonsOf(c.geometry);
    const piece = clip.intersection(rings as clip.Geom, shape.coordinates as clip.Geom) as Position[][][];
    const given = areaSquareMeters(multi(piece));
    if (given < 0.01) continue;
    pieces.push(piece);
    const kept = (clip.difference(rings as clip.Geom, shape.coordinates as clip.Geom) as Position[][][]).filter(
      (p) => areaSquareMeters(multi([p])) >= 0.01,
    );
    donors.push({ id: c.id, rest: kept.length > 0 ? multi(kept) : null, givenSquareMeters: given, parts: kept.length });
  }
  const fresh = pieces.length === 0 ? [] : (clip.union(...(pieces as [clip.Geom, ...clip.Geom[]])) as Position[][][]);
  const area = areaSquareMeters(multi(fresh));
  if (area < 1) return null;
  return { cell: multi(fresh), areaSquareMeters: area, donors };
}

const bboxOf = (geometry: Polygon | MultiPolygon): [number, number, number, number] => {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygonsOf(geometry)) {
    for (const p of poly[0] ?? []) {
      w = Math.min(w, p[0] as number);
      e = Math.max(e, p[0] as number);
      s = Math.min(s, p[1] as number);
      n = Math.max(n, p[1] as number);
    }
  }
  return [w, s, e, n];
};

/**
 * Returns the community whose cells a drawn shape covers most, with the preview of drawing it
 * there (previewDrawnCell over that community's cells), or null when it covers no cell. Only
 * cells whose box meets the shape's are clipped, so that it stays fast with thousands of cells.
 * @example placeDrawnCell(square, cells)?.community
 */
export function placeDrawnCell(
  shape: Polygon,
  cells: readonly { id: string; community: string; geometry: Polygon | MultiPolygon }[],
): { community: string; preview: DrawnCellPreview } | null {
  const [w, s, e, n] = bboxOf(shape);
  const near = cells.filter((c) => {
    const [cw, cs, ce, cn] = bboxOf(c.geometry);
    return cw <= e && ce >= w && cs <= n && cn >= s;
  });
  const all = previewDrawnCell(shape, near);
  if (!all) return null;
  const communityOf = new Map(near.map((c) => [c.id, c.community]));
  const given = new Map<string, number>();
  for (const d of all.donors) {
    const c = communityOf.get(d.id) as string;
    given.set(c, (given.get(c) ?? 0) + d.givenSquareMeters);
  }
  const community = [...given].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
  const preview = previewDrawnCell(
    shape,
    near.filter((c) => c.community === community),
  );
  return preview ? { community, preview } : null;
}
