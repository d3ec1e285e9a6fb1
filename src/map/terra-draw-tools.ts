import type maplibregl from 'maplibre-gl';
import { TerraDraw, TerraDrawLineStringMode, TerraDrawPolygonMode } from 'terra-draw';
import type { LngLat } from '../domain/ids';
import { CanvasDrawAdapter } from './canvas-draw-adapter';
import type { SketchCanvas } from './sketch-canvas';

/**
 * Returns terra-draw on the map, not started, with the line tool (splitting) and the polygon tool
 * (drawing a cell, corners through `snap`: display coordinates in, a snapped position or null
 * out), sketching on `sketch`. A module of its own: terra-draw loads the first time a shape is drawn.
 */
export function createTerraDraw(map: maplibregl.Map, sketch: SketchCanvas, snap: (lngLat: LngLat) => LngLat | null): TerraDraw {
  return new TerraDraw({
    adapter: new CanvasDrawAdapter(map, sketch),
    modes: [
      new TerraDrawLineStringMode({ styles: { lineStringColor: '#d7263d', lineStringWidth: 3 } }),
      new TerraDrawPolygonMode({
        styles: { fillColor: '#2e7d32', fillOpacity: 0.25, outlineColor: '#2e7d32', outlineWidth: 3, snappingPointColor: '#d7263d' },
        snapping: { toCustom: (event) => snap([event.lng, event.lat]) ?? undefined },
      }),
    ],
  });
}
