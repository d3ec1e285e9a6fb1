import type { MultiPolygon, Polygon } from 'geojson';
import type { LngLat } from '../domain/ids';
import { assignPoints } from './assign-points';
import {
  distanceBandWeights,
  giStar,
  hotspotClasses,
  queenWeights,
  type SpaceTimeTrend,
  type SpatialWeights,
  spaceTimeTrend,
} from './gi-star';
import { interiorPoint } from './interior-point';
import { areaSquareMeters, polygonsOf } from './planar';
import { buildCellIndex } from './spatial-index';

/** How cells count as neighbours for Gi*: touching (queen), or within a distance of each other. */
export type WeightsSpec = { kind: 'queen' } | { kind: 'distance'; meters: number };

/** Parses "queen" or "distance:METRES"; throws naming what is wrong. */
export function parseWeightsSpec(text: string): WeightsSpec {
  if (text === 'queen') return { kind: 'queen' };
  const m = /^distance:([0-9]+(\.[0-9]+)?)$/.exec(text);
  if (m && Number(m[1]) > 0) return { kind: 'distance', meters: Number(m[1]) };
  throw new Error(`weights must be "queen" or "distance:METRES" (e.g. distance:500), got "${text}"`);
}

/** The cells' neighbours by the spec: queen contiguity, or a distance band between their inner points. */
export function spatialWeights(cells: readonly { geometry: Polygon | MultiPolygon }[], spec: WeightsSpec): SpatialWeights {
  return spec.kind === 'queen'
    ? queenWeights(cells.map((c) => c.geometry))
    : distanceBandWeights(
        cells.map((c) => cellPoint(c.geometry)),
        spec.meters,
      );
}

/** Writes a spec as parseWeightsSpec reads it: "queen" or "distance:METRES". */
export function formatWeightsSpec(spec: WeightsSpec): string {
  return spec.kind === 'queen' ? 'queen' : `distance:${spec.meters}`;
}

export interface HotspotCell {
  code: string;
  /** Events in the cell. */
  count: number;
  /** Their summed weight (the count when unweighted): what Gi* runs on. */
  value: number;
  z: number;
  p: number;
  /** −3..3 like ArcGIS's Gi_Bin. */
  hotspot: number;
}

/** A cell's representative point for distance weights: inside its largest part. */
export function cellPoint(geometry: Polygon | MultiPolygon): LngLat {
  const parts = polygonsOf(geometry);
  let best = parts[0];
  let bestArea = -1;
  for (const rings of parts) {
    const a = areaSquareMeters({ type: 'Polygon', coordinates: rings });
    if (a > bestArea) {
      bestArea = a;
      best = rings;
    }
  }
  const p = interiorPoint({ type: 'Polygon', coordinates: best ?? [] });
  return [p[0] as number, p[1] as number];
}

/**
 * Counts events per cell (lowest code on a shared border, as the database does): `count` events,
 * `value` their summed weight (the count when unweighted), in the order the cells are given.
 */
export function countByCell(
  cells: readonly { code: string; geometry: Polygon | MultiPolygon }[],
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weight: ArrayLike<number> | null,
): { count: Float64Array; value: Float64Array; outside: number } {
  const index = buildCellIndex(cells.map((c) => ({ type: 'Feature', properties: { code: c.code }, geometry: c.geometry })));
  const position = new Map(cells.map((c, i) => [c.code, i]));
  const byIndex = Int32Array.from(index.codes, (code) => position.get(code) as number);
  const hits = assignPoints(index, lng, lat);
  const count = new Float64Array(cells.length);
  const value = new Float64Array(cells.length);
  let outside = 0;
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i] as number;
    if (hit < 0) {
      outside++;
      continue;
    }
    const c = byIndex[hit] as number;
    count[c] = (count[c] as number) + 1;
    value[c] = (value[c] as number) + (weight ? (weight[i] as number) : 1);
  }
  return { count, value, outside };
}

/**
 * Gi* hot spots of events over cells: each event goes to its cell (lowest code on a shared
 * border, as the database does), each cell's value is its events' summed weight, and Gi* runs on
 * those values with the chosen neighbours. Returns the cells in the order given, and the number
 * of events outside every cell.
 */
export function cellHotspots(
  cells: readonly { code: string; geometry: Polygon | MultiPolygon }[],
  lng: ArrayLike<number>,
  lat: ArrayLike<number>,
  weight: ArrayLike<number> | null,
  options: { weights: WeightsSpec; fdr: boolean },
): { cells: HotspotCell[]; outside: number } {
  const { count, value, outside } = countByCell(cells, lng, lat, weight);
  const gi = giStar(value, spatialWeights(cells, options.weights));
  const bins = hotspotClasses(gi, options.fdr);
  return {
    cells: cells.map((c, i) => ({
      code: c.code,
      count: count[i] as number,
      value: value[i] as number,
      z: gi.z[i] as number,
      p: gi.p[i] as number,
      hotspot: bins[i] as number,
    })),
    outside,
  };
}

/** Gi* says little about fewer events than this (ArcGIS asks for at least 30 features with values). */
export const MIN_HOTSPOT_EVENTS = 30;

/**
 * Returns why events are too thin for hot spots (one event once made 8 cells "99 % hot"), or
 * null: at least MIN_HOTSPOT_EVENTS events, in at least 3 different cells.
 */
export function hotspotDataProblem(counts: readonly number[]): string | null {
  const events = counts.reduce((n, c) => n + c, 0);
  const cellsWithEvents = counts.filter((c) => c > 0).length;
  if (events >= MIN_HOTSPOT_EVENTS && cellsWithEvents >= 3) return null;
  return `too few events to find hot spots: ${events} in ${cellsWithEvents} of ${counts.length} cells (Gi* needs at least ${MIN_HOTSPOT_EVENTS} events in at least 3 cells)`;
}

/** A cell's hot-spot class (−3..3) in a period and its trend against the period before. */
export interface PeriodHotspot {
  hotspot: number;
  z: number;
  trend: SpaceTimeTrend;
}

/**
 * Gi* hot spots of a period from each cell's event count (`now`, in the cells' order), with queen
 * neighbours and the FDR correction, and each cell's trend against the period before (`before`).
 * Returns why the events are too thin instead (hotspotDataProblem), as a report must not call one
 * event a hot spot.
 */
export function periodHotspots(
  cells: readonly { code: string; geometry: Polygon | MultiPolygon }[],
  now: readonly number[],
  before: readonly number[],
): { cells: Map<string, PeriodHotspot>; problem: null } | { cells: null; problem: string } {
  const problem = hotspotDataProblem(now);
  if (problem) return { cells: null, problem };
  const weights = spatialWeights(cells, { kind: 'queen' });
  const gi = giStar(now, weights);
  const bins = hotspotClasses(gi, true);
  const was = giStar(before, weights);
  const wasBins = hotspotClasses(was, true);
  return {
    cells: new Map(
      cells.map((c, i) => [
        c.code,
        {
          hotspot: bins[i] as number,
          z: gi.z[i] as number,
          trend: spaceTimeTrend(wasBins[i] as number, bins[i] as number, was.z[i] as number, gi.z[i] as number),
        },
      ]),
    ),
    problem: null,
  };
}
