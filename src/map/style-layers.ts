import type { FeatureCollection } from 'geojson';
import type maplibregl from 'maplibre-gl';
import type { GeoJSONSource } from 'maplibre-gl';
import { CELL_CLASS_COLORS, FOCUS_COLOR, HEAT_COLORS, PROBLEM_COLOR, SELECTED_CELL_COLOR } from '../state/palettes';
import { CELL_FILL_OPACITY_STOPS, hatchImage, MUTED_CELL_FILL_OPACITY } from './cell-style';
import type { MapShapes, RenderModel } from './render-model';

// The map's own (MapLibre) layers of app data: cells, communities, hot spots, isobands, the
// editing overlay and vertex handles, with their sources. Points, labels and the heat raster are
// deck.gl's (deck-overlay.ts).

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The GeoJSON source of each shape of the render model. */
export const SHAPE_SOURCES: Record<keyof MapShapes, string> = {
  cells: 'app-cells',
  communities: 'app-communities',
  hotspots: 'app-hotspots',
  isobands: 'app-isobands',
  overlay: 'app-overlay',
};

/** The source of the vertex handles. */
export const HANDLES_SOURCE = 'app-vertices';
/** The layer a click on a cell is asked of, and the one of the handles. */
export const CELLS_FILL_LAYER = 'cells-fill';
export const HANDLES_LAYER = 'edit-vertices';

/** Adds the app's sources and layers to a loaded style, filled with `shapes` and the handles. */
export function addAppLayers(map: maplibregl.Map, shapes: MapShapes, handles: FeatureCollection): void {
  map.addSource('app-cells', { type: 'geojson', data: shapes.cells ?? EMPTY });
  map.addSource('app-communities', { type: 'geojson', data: shapes.communities ?? EMPTY });
  const before = map.getLayer('district-line') ? 'district-line' : undefined;
  // Cells are bounded by streets: their fill goes under the roads so the street network stays
  // readable; their outlines go above.
  const beforeRoads = map.getLayer('roads-casing') ? 'roads-casing' : before;
  map.addLayer(
    {
      id: 'cells-fill',
      type: 'fill',
      source: 'app-cells',
      paint: {
        'fill-color': ['match', ['get', 'class'], 'A', CELL_CLASS_COLORS.A, 'B', CELL_CLASS_COLORS.B, CELL_CLASS_COLORS.C],
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], ...CELL_FILL_OPACITY_STOPS],
      },
    },
    beforeRoads,
  );
  map.addLayer(
    {
      id: 'cells-line',
      type: 'line',
      source: 'app-cells',
      paint: { 'line-color': '#4a4a4a', 'line-opacity': 0.55, 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.4, 16, 1.4] },
    },
    before,
  );
  map.addLayer(
    {
      id: 'communities-line',
      type: 'line',
      source: 'app-communities',
      paint: { 'line-color': '#3b2f63', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.2, 16, 2.6] },
    },
    before,
  );
  map.addSource('app-hotspots', { type: 'geojson', data: shapes.hotspots ?? EMPTY });
  map.addLayer({
    id: 'hotspots-fill',
    type: 'fill',
    source: 'app-hotspots',
    paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.72 },
  });
  map.addSource('app-isobands', { type: 'geojson', data: shapes.isobands ?? EMPTY });
  map.addLayer({
    id: 'isobands-line',
    type: 'line',
    source: 'app-isobands',
    paint: {
      'line-color': [
        'match',
        ['get', 'band'],
        ...HEAT_COLORS.flatMap((c, k) => [k, `rgb(${c[0]}, ${c[1]}, ${c[2]})`]),
        '#888',
      ] as unknown as maplibregl.ExpressionSpecification,
      'line-width': 1.6,
    },
  });
  map.addSource('app-overlay', { type: 'geojson', data: shapes.overlay ?? EMPTY });
  map.addLayer({
    id: 'overlay-fill',
    type: 'fill',
    source: 'app-overlay',
    filter: ['!=', ['get', 'kind'], 'problem'],
    paint: {
      'fill-color': ['match', ['get', 'kind'], 'history', '#2f6fde', 'preview', '#2e7d32', 'cut', '#f2a900', 'focus', FOCUS_COLOR, '#888'],
      'fill-opacity': ['match', ['get', 'kind'], 'history', 0.18, 'preview', 0.35, 'cut', 0.25, 'focus', 0.08, 0.4],
    },
  });
  // Topology problems in a colour no class uses, hatched, so that they read over any fill.
  if (!map.hasImage('problem-hatch')) map.addImage('problem-hatch', hatchImage(12, [123, 47, 191]));
  map.addLayer({
    id: 'overlay-problem-fill',
    type: 'fill',
    source: 'app-overlay',
    filter: ['==', ['get', 'kind'], 'problem'],
    paint: { 'fill-pattern': 'problem-hatch' },
  });
  map.addLayer({
    id: 'overlay-line',
    type: 'line',
    source: 'app-overlay',
    paint: {
      'line-color': [
        'match',
        ['get', 'kind'],
        'history',
        '#2f6fde',
        'preview',
        '#2e7d32',
        'cut',
        '#b07a00',
        'focus',
        FOCUS_COLOR,
        PROBLEM_COLOR,
      ],
      'line-width': ['match', ['get', 'kind'], 'problem', 3, 'focus', 5, 2.5],
      'line-dasharray': ['match', ['get', 'kind'], 'history', ['literal', [2, 1]], 'problem', ['literal', [3, 1.5]], ['literal', [1, 0]]],
    },
  });
  map.addSource('app-vertices', { type: 'geojson', data: handles });
  map.addLayer({
    id: 'cells-selected',
    type: 'line',
    source: 'app-cells',
    filter: ['==', ['get', 'code'], ''],
    paint: { 'line-color': SELECTED_CELL_COLOR, 'line-width': 3.5 },
  });
  map.addLayer({
    id: 'edit-vertices',
    type: 'circle',
    source: 'app-vertices',
    paint: {
      'circle-radius': ['match', ['get', 'kind'], 'edge', 3.5, 5],
      'circle-color': ['match', ['get', 'kind'], 'edge', '#1d3f8f', '#ffffff'],
      'circle-stroke-color': ['match', ['get', 'kind'], 'edge', '#ffffff', '#1d3f8f'],
      'circle-stroke-width': ['match', ['get', 'kind'], 'edge', 1.5, 2],
    },
  });
}

/** Replaces the data of a source (when the style has it). */
export function setSourceData(map: maplibregl.Map, source: string, data: FeatureCollection | null): void {
  (map.getSource(source) as GeoJSONSource | undefined)?.setData(data ?? EMPTY);
}

/** Shows the layers as the model says: which are visible, the selected cells, muted cells. */
export function applyLayerState(map: maplibregl.Map, model: RenderModel, previous: RenderModel | null): void {
  const visibility = (on: boolean) => (on ? 'visible' : 'none');
  map.setLayoutProperty('cells-fill', 'visibility', visibility(model.cells.visible));
  map.setLayoutProperty('cells-line', 'visibility', visibility(model.cells.visible));
  map.setLayoutProperty('communities-line', 'visibility', visibility(model.communities.visible));
  map.setFilter('cells-selected', ['in', ['get', 'code'], ['literal', model.cells.selectedCodes]]);
  // Under a risk layer the cells step back to their outlines and a trace of their class.
  if (model.cells.muted !== (previous?.cells.muted ?? false)) {
    map.setPaintProperty(
      'cells-fill',
      'fill-opacity',
      model.cells.muted ? MUTED_CELL_FILL_OPACITY : ['interpolate', ['linear'], ['zoom'], ...CELL_FILL_OPACITY_STOPS],
    );
  }
}
