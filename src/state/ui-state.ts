import type { CellCode, PointKind } from '../domain/ids';
import type { WeightsSpec } from '../geo/hotspots';
import type { Kernel } from '../geo/kernel-density';

/** Layers the user can switch on and off. */
export const LAYER_KEYS = ['cells', 'communities', 'labels', 'heat', 'event', 'person', 'place', 'thing', 'organisation', 'cases'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

/** What is selected on the map: a cell, a point, or nothing. */
export type Selection =
  | null
  | { type: 'cell'; code: CellCode }
  | { type: 'point'; kind: PointKind; id: string }
  | { type: 'case'; id: string };

/** How the event heatmap is computed and which time window it shows. */
export interface HeatSettings {
  kernel: Kernel;
  /** Quartic: search radius; Gaussian: standard deviation. Metres. */
  bandwidthMeters: number;
  cellMeters: number;
  weightBy: 'count' | 'severity';
  halfLifeDays: number | null;
  /** Length of the time window, in hours. */
  windowHours: number;
  /** The slider's step and playback's: a day or an hour. */
  step: 'day' | 'hour';
  /** End of the window (epoch ms); null follows the latest event. */
  end: number | null;
  /** Categories counted; null for all. */
  categories: string[] | null;
  /** Sources counted; null for all. */
  sources: string[] | null;
  minSeverity: number;
  /** Gi* hot spots of the window's events on the cells, with the FDR correction, against the window before. */
  hotspots: boolean;
  fdr: boolean;
  compare: boolean;
  /** Gi* neighbours: cells that touch (queen), or cells within a distance band of each other. */
  hotspotWeights: WeightsSpec;
  /** Isobands (Turf) of the density at the legend's breaks, drawn as outlines. */
  isobands: boolean;
}

export const DEFAULT_HEAT: HeatSettings = {
  kernel: 'quartic',
  bandwidthMeters: 300,
  cellMeters: 25,
  weightBy: 'count',
  halfLifeDays: null,
  windowHours: 30 * 24,
  step: 'day',
  end: null,
  categories: null,
  sources: null,
  minSeverity: 1,
  hotspots: false,
  fdr: false,
  compare: false,
  hotspotWeights: { kind: 'queen' },
  isobands: false,
};

/** UI state: plain data, changed only through `uiReducer`. */
export interface UiState {
  layers: Record<LayerKey, boolean>;
  heat: HeatSettings;
  selection: Selection;
  /** Grid editing (admins): on or off, and the cells picked for the next edit, in picking order. */
  editing: boolean;
  editCodes: CellCode[];
  /** Cells picked on the map (shift-click) or ticked in the comparison, in picking order: a set to compare or print as an atlas. */
  picked: CellCode[];
}

export type UiAction =
  | { type: 'toggle-layer'; layer: LayerKey }
  | { type: 'set-layer'; layer: LayerKey; visible: boolean }
  | { type: 'select'; selection: Selection }
  | { type: 'toggle-editing' }
  /** Picks a cell for editing; `additive` (shift-click) adds it, or removes it when already picked. */
  | { type: 'edit-pick'; code: CellCode | null; additive: boolean }
  | { type: 'edit-set'; codes: CellCode[] }
  /** Adds a cell to the picked set, or removes it when already picked. */
  | { type: 'pick-toggle'; code: CellCode }
  | { type: 'pick-set'; codes: CellCode[] }
  | { type: 'heat-set'; settings: Partial<HeatSettings> };

export const initialUiState: UiState = {
  layers: {
    cells: true,
    communities: true,
    labels: true,
    heat: false,
    event: true,
    person: false,
    place: false,
    thing: false,
    organisation: false,
    cases: false,
  },
  heat: DEFAULT_HEAT,
  selection: null,
  editing: false,
  editCodes: [],
  picked: [],
};

/** Returns the next UI state for an action (pure). */
export function uiReducer(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'toggle-layer':
      return { ...state, layers: { ...state.layers, [action.layer]: !state.layers[action.layer] } };
    case 'set-layer':
      if (state.layers[action.layer] === action.visible) return state;
      return { ...state, layers: { ...state.layers, [action.layer]: action.visible } };
    case 'select':
      return { ...state, selection: action.selection };
    case 'toggle-editing':
      return { ...state, editing: !state.editing, editCodes: [], selection: null };
    case 'edit-pick': {
      if (action.code === null) return action.additive ? state : { ...state, editCodes: [] };
      if (!action.additive) return { ...state, editCodes: [action.code] };
      const picked = state.editCodes.includes(action.code);
      return { ...state, editCodes: picked ? state.editCodes.filter((c) => c !== action.code) : [...state.editCodes, action.code] };
    }
    case 'edit-set':
      return { ...state, editCodes: action.codes };
    case 'pick-toggle':
      return {
        ...state,
        picked: state.picked.includes(action.code) ? state.picked.filter((c) => c !== action.code) : [...state.picked, action.code],
      };
    case 'pick-set':
      return { ...state, picked: [...new Set(action.codes)] };
    case 'heat-set':
      return { ...state, heat: { ...state.heat, ...action.settings } };
  }
}
