import type { Feature, FeatureCollection, Point } from 'geojson';
import type { LngLat } from '../domain/ids';

/**
 * Returns the handles of a cell's rings: one on every vertex, and a smaller one in the middle
 * of each edge between consecutive vertices (rings closed), which moves both ends together.
 */
export function handleFeatures(rings: readonly (readonly LngLat[])[]): FeatureCollection<Point> {
  const features: Feature<Point>[] = [];
  for (const ring of rings) {
    ring.forEach((p, i) => {
      features.push({ type: 'Feature', properties: { kind: 'vertex' }, geometry: { type: 'Point', coordinates: [p[0], p[1]] } });
      const q = ring[(i + 1) % ring.length] as LngLat;
      features.push({
        type: 'Feature',
        properties: { kind: 'edge', a: JSON.stringify(p), b: JSON.stringify(q) },
        geometry: { type: 'Point', coordinates: [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2] },
      });
    });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * Returns the positions a press on the handle nearest `at` moves: the vertex, or both ends of
 * the edge; null when there are no handles. (The map reports rendered features with
 * tile-rounded coordinates: the exact handle is the nearest one.)
 */
export function handleAt(handles: FeatureCollection<Point>, at: LngLat): LngLat[] | null {
  let handle: Feature<Point> | null = null;
  let best = Number.POSITIVE_INFINITY;
  for (const v of handles.features) {
    const [vx, vy] = v.geometry.coordinates as LngLat;
    const d = (vx - at[0]) ** 2 + (vy - at[1]) ** 2;
    if (d < best) {
      best = d;
      handle = v;
    }
  }
  if (!handle) return null;
  return handle.properties?.kind === 'edge'
    ? [JSON.parse(handle.properties.a) as LngLat, JSON.parse(handle.properties.b) as LngLat]
    : [handle.geometry.coordinates as LngLat];
}
