import * as Comlink from 'comlink';
import { type FixedCell, fixTiling } from '../geo/fix-tiling';
import { type TilingCell, type TilingOptions, type TilingProblem, validateTiling } from '../geo/validate-tiling';

/** Geometry work kept off the main thread, so that the map stays responsive. */
const api = {
  validate(cells: TilingCell[], options: TilingOptions): TilingProblem[] {
    return validateTiling(cells, options);
  },
  fix(problems: TilingProblem[], cells: TilingCell[]): FixedCell[] {
    return fixTiling(problems, cells);
  },
};

export type GeoWorkerApi = typeof api;

Comlink.expose(api);
