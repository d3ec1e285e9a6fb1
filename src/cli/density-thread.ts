import { parentPort } from 'node:worker_threads';
import { type DensityOptions, kernelDensityRows, type RasterFrame } from '../geo/kernel-density';

/** A Node thread that holds the points and computes bands of rows of their density (see density-threads). */
export type DensityThreadAsk =
  | { type: 'points'; lng: Float64Array; lat: Float64Array }
  | { type: 'rows'; weights: Float64Array | null; frame: RasterFrame; options: DensityOptions; rows: [number, number] };
export type DensityThreadRequest = DensityThreadAsk & { id: number };

export type DensityThreadReply = { id: number; values?: Float64Array; error?: string };

let points: { lng: Float64Array; lat: Float64Array } | null = null;
const port = parentPort;
port?.on('message', (m: DensityThreadRequest) => {
  try {
    if (m.type === 'points') {
      points = { lng: m.lng, lat: m.lat };
      port.postMessage({ id: m.id } satisfies DensityThreadReply);
      return;
    }
    if (!points) throw new Error('no points loaded for the density');
    const values = kernelDensityRows(points.lng, points.lat, m.weights, m.frame, m.options, m.rows);
    port.postMessage({ id: m.id, values } satisfies DensityThreadReply, [values.buffer as ArrayBuffer]);
  } catch (error) {
    port.postMessage({ id: m.id, error: error instanceof Error ? error.message : String(error) } satisfies DensityThreadReply);
  }
});
