import * as Comlink from 'comlink';
import { type EventFilter, eventWeights } from '../domain/event-weights';
import { type FixedCell, fixTiling } from '../geo/fix-tiling';
import { type DensityOptions, kernelDensity, type RasterFrame } from '../geo/kernel-density';
import { type TilingCell, type TilingOptions, type TilingProblem, validateTiling } from '../geo/validate-tiling';
import { colorizeHeat } from '../map/heat-scale';

/** Events kept in the worker between heatmaps, so that moving the time slider sends only the filter. */
export interface HeatEvents {
  lng: Float64Array;
  lat: Float64Array;
  time: Float64Array;
  severity: Uint8Array;
  category: string[];
}

/** A heatmap ready to draw: RGBA pixels on the raster frame, its peak, and what went into it. */
export interface HeatImage {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
  max: number;
  /** Events with a weight above 0 (inside the window and filters). */
  counted: number;
  /** Time the density took, in ms. */
  ms: number;
}

let events: HeatEvents | null = null;

/** Geometry work kept off the main thread, so that the map stays responsive. */
const api = {
  validate(cells: TilingCell[], options: TilingOptions): TilingProblem[] {
    return validateTiling(cells, options);
  },
  fix(problems: TilingProblem[], cells: TilingCell[]): FixedCell[] {
    return fixTiling(problems, cells);
  },
  setEvents(next: HeatEvents): void {
    events = next;
  },
  heat(frame: RasterFrame, options: DensityOptions, filter: EventFilter): HeatImage {
    if (!events) throw new Error('no events loaded for the heatmap');
    const start = performance.now();
    const weights = eventWeights(events.time, events.severity, events.category, filter);
    let counted = 0;
    for (let i = 0; i < weights.length; i++) if ((weights[i] as number) > 0) counted++;
    const grid = kernelDensity(events.lng, events.lat, weights, frame, options);
    const rgba = colorizeHeat(grid.values);
    const image: HeatImage = { rgba, width: grid.width, height: grid.height, max: grid.max, counted, ms: performance.now() - start };
    return Comlink.transfer(image, [rgba.buffer]);
  },
};

export type GeoWorkerApi = typeof api;

Comlink.expose(api);
