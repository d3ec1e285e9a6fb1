import * as Comlink from 'comlink';
import type { FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import type { ExportRow } from '../data/backend';
import { type EventFilter, eventWeights } from '../domain/event-weights';
import type { ChinaCrs } from '../geo/crs-china';
import {
  cellsInCrs,
  cellsToCsvWkt,
  cellsToGeoJson,
  cellsToGeoPackage,
  cellsToShapefileZip,
  cellsToXlsx,
  type ExportCell,
} from '../geo/export-cells';
import {
  type ExportFormat,
  exportPointsOf,
  pointsToCsv,
  pointsToGeoJson,
  pointsToGeoPackage,
  pointsToShapefileZip,
  pointsToXlsx,
} from '../geo/export-points';
import { type FixedCell, fixTiling } from '../geo/fix-tiling';
import { giStar, hotspotClasses, type SpatialWeights, spaceTimeTrend } from '../geo/gi-star';
import { densityIsobands } from '../geo/heat-isobands';
import { countByCell, formatWeightsSpec, spatialWeights, type WeightsSpec } from '../geo/hotspots';
import type { DensityOptions, RasterFrame } from '../geo/kernel-density';
import { buildSnapTargets, type SnapTargetBuffers, snapTargetBuffers } from '../geo/snap-position';
import { type TilingCell, type TilingOptions, type TilingProblem, validateTiling } from '../geo/validate-tiling';
import { type BoundaryFile, readBoundaries } from '../import/read-boundaries';
import { colorizeHeat, HEAT_BREAKS } from '../state/palettes';
import { DensityPool, webDensityHelpers } from './density-pool';

/** Events kept in the worker between heatmaps, so that moving the time slider sends only the filter. */
export interface HeatEvents {
  lng: Float64Array;
  lat: Float64Array;
  time: Float64Array;
  severity: Uint8Array;
  category: string[];
  source?: string[];
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
  /** Threads that computed it (bands of rows in parallel). */
  threads: number;
  /** Isobands at the legend's breaks, when asked for. */
  bands: FeatureCollection<MultiPolygon> | null;
}

/** Gi* hot spots per cell for a window, and the trend against the window before it. */
export interface CellHotspots {
  codes: string[];
  hotspot: Int8Array;
  z: Float64Array;
  /** 'new' | 'intensifying' | 'persistent' | 'diminishing' | null per cell, when compared. */
  trend: (string | null)[] | null;
}

let events: HeatEvents | null = null;
/** Helpers for the heatmap's density, started with the first events. */
let pool: DensityPool | null = null;
let cells: { code: string; geometry: Polygon | MultiPolygon }[] = [];
/** The cells' Gi* neighbours, kept for the spec they were built for. */
let weights: { key: string; weights: SpatialWeights } | null = null;

function cellValues(filter: EventFilter): Float64Array {
  if (!events) throw new Error('no events loaded for hot spots');
  const w = eventWeights(events.time, events.severity, events.category, filter, events.source);
  return countByCell(cells, events.lng, events.lat, w).value;
}

/** Geometry work kept off the main thread, so that the map stays responsive. */
const api = {
  /** Reads a boundary file (GeoJSON, zipped Shapefile, KML) into WGS-84 polygons. */
  readBoundaries(fileName: string, bytes: Uint8Array, crs: ChinaCrs): Promise<BoundaryFile> {
    return readBoundaries(fileName, bytes, crs);
  },
  /** Writes exported points as a file (CSV, XLSX, GeoJSON, a zipped shapefile or a GeoPackage), positions in `crs`; the bytes are transferred. */
  async writeExport(rows: ExportRow[], format: ExportFormat, crs: ChinaCrs, baseName: string): Promise<Uint8Array> {
    const points = exportPointsOf(rows);
    const bytes =
      format === 'csv'
        ? new TextEncoder().encode(pointsToCsv(points, crs))
        : format === 'geojson'
          ? new TextEncoder().encode(pointsToGeoJson(points, crs))
          : format === 'shp'
            ? pointsToShapefileZip(points, crs, baseName)
            : format === 'gpkg'
              ? await pointsToGeoPackage(points, crs, baseName)
              : await pointsToXlsx(points, crs, baseName);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  /** Writes cells as a file (CSV with WKT, XLSX, GeoJSON, a zipped shapefile or a GeoPackage), shapes in `crs`; the bytes are transferred. */
  async writeCellsExport(cells: ExportCell[], format: ExportFormat, crs: ChinaCrs, baseName: string): Promise<Uint8Array> {
    const moved = cellsInCrs(cells, crs);
    const bytes =
      format === 'csv'
        ? new TextEncoder().encode(cellsToCsvWkt(moved))
        : format === 'geojson'
          ? new TextEncoder().encode(cellsToGeoJson(moved))
          : format === 'shp'
            ? cellsToShapefileZip(moved, baseName)
            : format === 'gpkg'
              ? await cellsToGeoPackage(moved, baseName)
              : await cellsToXlsx(moved, baseName);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
  validate(cells: TilingCell[], options: TilingOptions): TilingProblem[] {
    return validateTiling(cells, options);
  },
  fix(problems: TilingProblem[], cells: TilingCell[]): FixedCell[] {
    return fixTiling(problems, cells);
  },
  /** Builds the snap targets of cells and roads (≈ 0.5 s for 5,000 cells in a browser), as buffers. */
  snapTargets(shapes: (Polygon | MultiPolygon)[], roads: (LineString | MultiLineString)[]): SnapTargetBuffers {
    const buffers = snapTargetBuffers(buildSnapTargets(shapes, roads));
    const transfer: ArrayBuffer[] = [buffers.points.buffer as ArrayBuffer, buffers.segments.buffer as ArrayBuffer];
    if (buffers.pointIndex) transfer.push(buffers.pointIndex);
    if (buffers.segmentIndex) transfer.push(buffers.segmentIndex);
    return Comlink.transfer(buffers, transfer);
  },
  async setEvents(next: HeatEvents): Promise<void> {
    events = next;
    pool ??= new DensityPool(webDensityHelpers());
    await pool.setPoints(next.lng, next.lat);
  },
  setCells(next: { code: string; geometry: Polygon | MultiPolygon }[]): void {
    cells = next;
    weights = null;
  },
  /**
   * Gi* of the events under the filter, with neighbours by `spec` (built once per spec and set of
   * cells); with `compare`, also of the window before.
   */
  hotspots(filter: EventFilter, fdr: boolean, compare: boolean, spec: WeightsSpec = { kind: 'queen' }): CellHotspots {
    if (cells.length === 0) throw new Error('no cells loaded for hot spots');
    const key = formatWeightsSpec(spec);
    if (weights?.key !== key) weights = { key, weights: spatialWeights(cells, spec) };
    const neighbours = weights.weights;
    const now = giStar(cellValues(filter), neighbours);
    const bins = hotspotClasses(now, fdr);
    let trend: CellHotspots['trend'] = null;
    if (compare) {
      const span = filter.to - filter.from;
      const before = giStar(cellValues({ ...filter, from: filter.from - span, to: filter.from }), neighbours);
      const beforeBins = hotspotClasses(before, fdr);
      trend = cells.map((_, i) => spaceTimeTrend(beforeBins[i] as number, bins[i] as number, before.z[i] as number, now.z[i] as number));
    }
    return { codes: cells.map((c) => c.code), hotspot: bins, z: now.z, trend };
  },
  async heat(frame: RasterFrame, options: DensityOptions, filter: EventFilter, isobands = false): Promise<HeatImage> {
    if (!events || !pool) throw new Error('no events loaded for the heatmap');
    const start = performance.now();
    const weights = eventWeights(events.time, events.severity, events.category, filter, events.source);
    let counted = 0;
    for (let i = 0; i < weights.length; i++) if ((weights[i] as number) > 0) counted++;
    const { grid, threads } = await pool.density(weights, frame, options);
    const rgba = colorizeHeat(grid.values);
    const ms = performance.now() - start;
    const bands = isobands ? densityIsobands(grid, HEAT_BREAKS) : null;
    const image: HeatImage = { rgba, width: grid.width, height: grid.height, max: grid.max, counted, ms, threads, bands };
    return Comlink.transfer(image, [rgba.buffer]);
  },
};

export type GeoWorkerApi = typeof api;

Comlink.expose(api);
