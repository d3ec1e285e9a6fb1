import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import * as clip from 'polyclip-ts';

/**
 * Returns the outline of a street for the wall screen to draw: its communities (those whose
 * parent is the street, or whose 12-digit code begins with its 9) merged into one shape, with
 * kind 'focus'; an empty collection when none is loaded.
 */
export function streetShape(
  communities: FeatureCollection<MultiPolygon, { code: string; parentCode?: string | null }>,
  streetCode: string,
): FeatureCollection<MultiPolygon, { kind: 'focus'; code: string }> {
  const parts = communities.features
    .filter((f) => f.properties.parentCode === streetCode || f.properties.code.startsWith(streetCode))
    .map((f) => f.geometry.coordinates as clip.Geom);
  if (parts.length === 0) return { type: 'FeatureCollection', features: [] };
  const merged = parts.length === 1 ? (parts[0] as clip.Geom) : clip.union(parts[0] as clip.Geom, ...parts.slice(1));
  const feature: Feature<MultiPolygon, { kind: 'focus'; code: string }> = {
    type: 'Feature',
    properties: { kind: 'focus', code: streetCode },
    geometry: { type: 'MultiPolygon', coordinates: merged as MultiPolygon['coordinates'] },
  };
  return { type: 'FeatureCollection', features: [feature] };
}
