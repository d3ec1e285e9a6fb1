import { isobands } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson';
import type { DensityGrid } from './kernel-density';

/**
 * Isobands of a density raster (Turf): one MultiPolygon per band between consecutive breaks (the
 * last band open above), each with `band` (its index) and `from`/`to` (density per km²). The
 * raster is sampled every `stride` cells so that at most `maxPoints` go into the contouring.
 */
export function densityIsobands(grid: DensityGrid, breaks: readonly number[], maxPoints = 60_000): FeatureCollection<MultiPolygon> {
  const stride = Math.max(1, Math.ceil(Math.sqrt((grid.width * grid.height) / maxPoints)));
  const [west, south, east, north] = grid.bbox;
  const dx = (east - west) / grid.width;
  const dy = (north - south) / grid.height;
  const points: Feature<Point, { value: number }>[] = [];
  for (let r = 0; r < grid.height; r += stride)
    for (let c = 0; c < grid.width; c += stride)
      points.push({
        type: 'Feature',
        properties: { value: grid.values[r * grid.width + c] as number },
        geometry: { type: 'Point', coordinates: [west + (c + 0.5) * dx, north - (r + 0.5) * dy] },
      });
  const edges = [...breaks, Number.MAX_VALUE];
  const bands = isobands({ type: 'FeatureCollection', features: points }, edges, {
    zProperty: 'value',
    breaksProperties: breaks.map((from, band) => ({ band, from, to: edges[band + 1] === Number.MAX_VALUE ? null : edges[band + 1] })),
  });
  return {
    type: 'FeatureCollection',
    features: bands.features
      .filter((f) => f.geometry.coordinates.length > 0)
      .map((f) => ({
        type: 'Feature',
        properties: { band: f.properties?.band, from: f.properties?.from, to: f.properties?.to },
        geometry: f.geometry,
      })),
  };
}
