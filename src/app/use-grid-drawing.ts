import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CellCode, LngLat } from '../domain/ids';
import type { CellProperties } from '../domain/records';
import type { ChinaCrs } from '../geo/crs-china';
import { toWgs84 } from '../geo/crs-china';
import { moveSharedVertices, type ShapeById } from '../geo/move-shared-vertex';
import { type SnapTargets, snapPosition, snapTargetsFromBuffers } from '../geo/snap-position';
import type { MapController } from '../map/map-controller';
import { inGeoWorker } from '../workers/geo-client';

const NO_RINGS: readonly (readonly LngLat[])[] = [];

/** Shared vertices dragged on the map (storage coordinates); a new seq is a new move. */
export type VertexMove = { moves: { from: LngLat; to: LngLat }[]; seq: number };

/**
 * Drawing on the map for grid editing, in display coordinates on the map and WGS-84 out: the
 * picked cell's vertex rings for the map's handles (dragging one previews the move in every cell sharing it;
 * releasing it gives a VertexMove for the editing panel to commit), a line to split along, and
 * a polygon whose corners snap to cells and roads.
 */
export function useGridDrawing(options: {
  controller: RefObject<MapController | null>;
  /** The cells as drawn (display coordinates). */
  displayCells: FeatureCollection<MultiPolygon, CellProperties> | null;
  displayCrs: ChinaCrs;
  editing: boolean;
  editCodes: readonly CellCode[];
}): {
  /** The rings of the cell being edited, whose vertices the map shows as handles. */
  vertexRings: readonly (readonly LngLat[])[];
  vertexMove: VertexMove | null;
  onVertexDrag(from: LngLat[], to: LngLat[], done: boolean): void;
  drawLine(): Promise<LineString | null>;
  drawPolygon(snapMeters: number): Promise<Polygon | null>;
} {
  const { controller, displayCells, displayCrs, editing, editCodes } = options;
  const [vertexMove, setVertexMove] = useState<VertexMove | null>(null);

  // The picked cell's vertices are the handles.
  const vertexRings = useMemo(() => {
    const code = editing && editCodes.length === 1 ? editCodes[0] : undefined;
    const cell = code ? displayCells?.features.find((f) => f.properties.code === code) : undefined;
    return cell ? cell.geometry.coordinates.flatMap((poly) => poly.map((ring) => ring.slice(0, -1) as LngLat[])) : NO_RINGS;
  }, [editing, editCodes, displayCells]);

  // The cells a drag moves depend only on the handle, not on where it is: found once per drag
  // among all cells, then each pointer event reshapes just those few.
  const dragCells = useRef<{ key: string; cells: ShapeById[] } | null>(null);
  const onVertexDrag = (from: LngLat[], to: LngLat[], done: boolean) => {
    if (!displayCells) return;
    if (!done) {
      const key = JSON.stringify(from);
      if (dragCells.current?.key !== key) {
        const all = displayCells.features.map((f) => ({ id: f.properties.code, geometry: f.geometry }));
        const touched = new Set(
          moveSharedVertices(
            all,
            from.map((p) => ({ from: p, to: p })),
          ).map((c) => c.id),
        );
        dragCells.current = { key, cells: all.filter((c) => touched.has(c.id)) };
      }
      const moved = moveSharedVertices(
        dragCells.current.cells,
        from.map((p, i) => ({ from: p, to: to[i] as LngLat })),
      );
      controller.current?.setDragPreview(
        moved.map((m) => m.geometry),
        to,
      );
      return;
    }
    dragCells.current = null;
    controller.current?.setDragPreview(null);
    // A click on a handle without moving it is not an edit.
    if (to.every((p, i) => p[0] === from[i]?.[0] && p[1] === from[i]?.[1])) return;
    setVertexMove((v) => ({
      moves: from.map((p, i) => ({ from: toWgs84(p, displayCrs), to: toWgs84(to[i] as LngLat, displayCrs) })),
      seq: (v?.seq ?? 0) + 1,
    }));
  };

  const drawLine = async (): Promise<LineString | null> => {
    const line = (await controller.current?.drawLine()) ?? null;
    if (!line || displayCrs === 'wgs84') return line;
    return { type: 'LineString', coordinates: line.coordinates.map((p) => toWgs84(p as LngLat, displayCrs)) };
  };

  // The snap targets are built in a worker as soon as the cells are there in edit mode (once per
  // set of cells), so the drawing tool starts at once and the map never waits for them.
  const snapTargets = useRef<{ cells: unknown; targets: Promise<SnapTargets> } | null>(null);
  const buildTargets = useCallback(() => {
    const map = controller.current;
    if (!map || !displayCells) return null;
    if (snapTargets.current?.cells !== displayCells) {
      const shapes = displayCells.features.map((f) => f.geometry);
      const targets = (async () => {
        const roads = await map.roadLines().catch(() => []);
        return snapTargetsFromBuffers(await inGeoWorker((api) => api.snapTargets(shapes, roads)));
      })();
      snapTargets.current = { cells: displayCells, targets };
    }
    return snapTargets.current.targets;
  }, [controller, displayCells]);
  useEffect(() => {
    if (editing) buildTargets()?.catch(() => undefined);
  }, [editing, buildTargets]);

  const drawPolygon = async (snapMeters: number): Promise<Polygon | null> => {
    const map = controller.current;
    const pending = buildTargets();
    if (!map || !pending) return null;
    // The map holds clicks at once; corners snap as soon as the targets are there.
    const snap = pending.then((targets) => (snapMeters > 0 ? (p: LngLat) => snapPosition(targets, p, snapMeters)?.position ?? null : null));
    const shape = await map.drawPolygon(snap);
    if (!shape || displayCrs === 'wgs84') return shape;
    return { type: 'Polygon', coordinates: shape.coordinates.map((ring) => ring.map((p) => toWgs84(p as LngLat, displayCrs))) };
  };

  return { vertexRings, vertexMove, onVertexDrag, drawLine, drawPolygon };
}
