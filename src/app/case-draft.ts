import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { EventDetail } from '../data/backend';
import { type CaseReport, caseSourceOfEvent } from '../domain/cases';
import type { LngLat } from '../domain/ids';
import type { CellProperties } from '../domain/records';
import { interiorPoint } from '../geo/interior-point';

/**
 * What the report form starts from: an event gives its position, category, severity, source and
 * description (and stays linked to the case); a cell gives a position inside it (its largest part).
 */
export function caseDraft(
  from: { cellCode: string } | { event: EventDetail },
  cells: FeatureCollection<MultiPolygon, CellProperties> | null,
): Partial<CaseReport> {
  if ('event' in from) {
    const e = from.event;
    return {
      lngLat: e.lngLat,
      category: e.category,
      severity: e.severity,
      source: caseSourceOfEvent(e.source),
      description: e.description,
      eventId: e.id,
    };
  }
  const cell = cells?.features.find((f) => f.properties.code === from.cellCode);
  if (!cell) return {};
  const parts = cell.geometry.coordinates;
  const largest = parts.reduce((a, b) => ((b[0]?.length ?? 0) > (a[0]?.length ?? 0) ? b : a), parts[0] ?? []);
  return { lngLat: interiorPoint({ type: 'Polygon', coordinates: largest }) as LngLat };
}
