import { bbox } from '@turf/turf';
import type { BootSnapshot } from '../data/boot-snapshot';
import type { BBox } from '../domain/ids';

/**
 * Returns where a user's map should start: a grid worker's own cells, everyone else's district
 * (its cells when the overview has no box); null when they see no cells.
 */
export function userArea(s: Pick<BootSnapshot, 'session' | 'overview' | 'cells'>): BBox | null {
  if (s.cells.features.length === 0) return null;
  if (s.session.role !== 'worker' && s.overview?.bbox) return s.overview.bbox;
  return bbox(s.cells) as BBox;
}
