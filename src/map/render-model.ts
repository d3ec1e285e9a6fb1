import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import type { CasePoints } from '../domain/cases';
import { type LngLat, POINT_KINDS, type PointKind } from '../domain/ids';
import type { AdminAreaProperties, CellProperties, PointColumns } from '../domain/records';
import type { UiState } from '../state/ui-state';
import { KIND_RADIUS_PIXELS } from './layers/point-style';

/** A label of the built-in style: street, community or point of interest. */
export type LabelFeature = Feature<Point, { name: string; rank: 'district' | 'street' | 'community' | 'poi' }>;

/** A heatmap image on its raster's bounds ([west, south, east, north], display coordinates). */
export interface HeatLayerModel {
  image: ImageData;
  bounds: [number, number, number, number];
  opacity?: number;
}

/**
 * Shapes the map's own layers draw (display coordinates). The map sends a shape to its source
 * only when it is another object than last time, so callers keep an unchanged shape's object.
 */
export interface MapShapes {
  cells: FeatureCollection<MultiPolygon, CellProperties> | null;
  communities: FeatureCollection<MultiPolygon, AdminAreaProperties> | null;
  /** Cells coloured by hot spot class or trend (a `color` property). */
  hotspots: FeatureCollection | null;
  /** Outlines of the density's isobands (a `band` property). */
  isobands: FeatureCollection | null;
  /**
   * What grid editing draws over the cells: validation problems (kind 'problem', purple and
   * hatched), a cell's past shape ('history', blue dashes), an edit's preview ('preview', green;
   * 'cut': what neighbours keep, amber).
   */
  overlay: FeatureCollection | null;
}

/** Data the map draws besides what its style holds. */
export interface MapData {
  points: Partial<Record<PointKind, PointColumns>>;
  /** The cases the user may read; null when not loaded. */
  cases?: CasePoints | null;
  labels: LabelFeature[];
  heat?: HeatLayerModel | null;
  shapes: MapShapes;
  /** The rings of the cell being edited: their vertices (and edge middles) become draggable handles. */
  vertexRings: readonly (readonly LngLat[])[];
  /** What just happened (the live view's new events and cases), ringed for a moment (display coordinates). */
  highlights?: readonly LiveHighlight[];
}

/** A place the live view rings for a moment: a new event, a case's step, a whistle. */
export interface LiveHighlight {
  key: string;
  kind: 'event' | 'case' | 'whistle' | 'plate';
  lngLat: LngLat;
}

export interface PointLayerModel {
  kind: PointKind;
  points: PointColumns;
  radiusPixels: number;
}

export interface LabelModel {
  text: string;
  position: LngLat;
  sizePixels: number;
  rank: LabelFeature['properties']['rank'];
}

/** Everything the map controller needs to draw one frame of app state (plain data): the one channel to the map. */
export interface RenderModel {
  shapes: MapShapes;
  vertexRings: readonly (readonly LngLat[])[];
  /** Cells are being picked for editing: points do not take clicks, shift-click adds a cell. */
  picking: boolean;
  /** `muted`: a risk layer is on, the cells step back (outlines, a trace of their class). */
  cells: { visible: boolean; selectedCodes: string[]; muted: boolean };
  communities: { visible: boolean };
  points: PointLayerModel[];
  labels: LabelModel[];
  /** The event heatmap, under the points; null when off or not computed yet. */
  heat: HeatLayerModel | null;
  selectedPoint: { kind: PointKind; id: string } | null;
  /** Cases over the points, coloured by state, overdue ringed; null when off. */
  cases: { points: CasePoints; radiusPixels: number; selectedId: string | null } | null;
  /** Rings over what just happened, whatever layers are on. */
  highlights: readonly LiveHighlight[];
}

const NO_RINGS: readonly (readonly LngLat[])[] = [];
const NO_HIGHLIGHTS: readonly LiveHighlight[] = [];

const LABEL_ZOOMS: Record<LabelModel['rank'], [number, number, number]> = {
  // [min zoom, max zoom, size in pixels]
  district: [0, 11, 18],
  street: [10.5, 13.5, 16],
  community: [12.8, 24, 13],
  poi: [13.5, 24, 12],
};

/**
 * Returns the render model for the UI state, loaded data and the map's zoom (pure). Points are
 * drawn in a fixed order, people at the bottom and events on top.
 */
export function renderModel(state: UiState, data: MapData, zoom: number): RenderModel {
  const order: PointKind[] = ['person', 'organisation', 'place', 'thing', 'event'];
  const points: PointLayerModel[] = [];
  for (const kind of order) {
    const columns = data.points[kind];
    if (!state.layers[kind] || !columns) continue;
    points.push({ kind, points: columns, radiusPixels: KIND_RADIUS_PIXELS[kind] * (zoom >= 15 ? 1.6 : zoom < 13 ? 0.7 : 1) });
  }
  const labels: LabelModel[] = state.layers.labels
    ? data.labels
        .filter((f) => {
          const [min, max] = LABEL_ZOOMS[f.properties.rank];
          return zoom >= min && zoom < max;
        })
        .map((f) => ({
          text: f.properties.name,
          position: f.geometry.coordinates as LngLat,
          sizePixels: LABEL_ZOOMS[f.properties.rank][2],
          rank: f.properties.rank,
        }))
    : [];
  const selection = state.selection;
  return {
    shapes: data.shapes,
    vertexRings: state.editing ? data.vertexRings : NO_RINGS,
    picking: state.editing,
    cells: {
      visible: state.layers.cells,
      selectedCodes: state.editing
        ? state.editCodes
        : selection?.type === 'cell' && !state.picked.includes(selection.code)
          ? [...state.picked, selection.code]
          : state.picked,
      muted: state.layers.heat,
    },
    communities: { visible: state.layers.communities },
    points,
    labels,
    // Under the hot spot cells the density steps back, so that both can be read.
    heat: state.layers.heat && data.heat ? { ...data.heat, opacity: state.heat.hotspots ? 0.4 : 0.85 } : null,
    selectedPoint: selection?.type === 'point' && POINT_KINDS.includes(selection.kind) ? { kind: selection.kind, id: selection.id } : null,
    cases:
      state.layers.cases && data.cases
        ? {
            points: data.cases,
            radiusPixels: zoom >= 15 ? 8 : zoom < 13 ? 4 : 6,
            selectedId: selection?.type === 'case' ? selection.id : null,
          }
        : null,
    highlights: data.highlights ?? NO_HIGHLIGHTS,
  };
}
