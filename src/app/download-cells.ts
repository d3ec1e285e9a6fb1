import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { CellProperties } from '../domain/records';
import { saveFile } from '../ui/save-file';

/** Downloads the current cells (WGS-84) as GeoJSON, a zipped shapefile or CSV with WKT. */
export async function downloadCells(cells: FeatureCollection<MultiPolygon, CellProperties>, format: 'geojson' | 'shp' | 'csv') {
  const { cellsToCsvWkt, cellsToGeoJson, cellsToShapefileZip, exportCellsOf } = await import('../geo/export-cells');
  const rows = exportCellsOf(cells.features);
  const stamp = new Date().toISOString().slice(0, 10);
  const [body, type, name] =
    format === 'geojson'
      ? [cellsToGeoJson(rows), 'application/geo+json', `cells-${stamp}.geojson`]
      : format === 'csv'
        ? [cellsToCsvWkt(rows), 'text/csv;charset=utf-8', `cells-${stamp}.csv`]
        : [cellsToShapefileZip(rows, `cells-${stamp}`), 'application/zip', `cells-${stamp}.zip`];
  saveFile([body as BlobPart], name, type);
}
