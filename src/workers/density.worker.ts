import * as Comlink from 'comlink';
import { type DensityOptions, kernelDensityRows, type RasterFrame } from '../geo/kernel-density';

/** A helper of the geometry worker: holds the points and computes bands of rows of a density. */
let points: { lng: Float64Array; lat: Float64Array } | null = null;

const api = {
  setPoints(lng: Float64Array, lat: Float64Array): void {
    points = { lng, lat };
  },
  rows(weights: Float64Array | null, frame: RasterFrame, options: DensityOptions, rows: [number, number]): Float64Array {
    if (!points) throw new Error('no points loaded for the density');
    const values = kernelDensityRows(points.lng, points.lat, weights, frame, options, rows);
    return Comlink.transfer(values, [values.buffer]);
  },
};

export type DensityWorkerApi = typeof api;

Comlink.expose(api);
