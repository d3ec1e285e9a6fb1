import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import type { CellProperties } from '../domain/records';
import type { Selection } from '../state/ui-state';
import { errorText } from '../ui/error-text';
import type { InspectorContent } from '../ui/inspector';

/**
 * What the inspector shows for the selection: a cell at once as the map knows it (also before
 * the database is up), then its details from the database; a point's details; or why not.
 */
export function useInspector(
  selection: Selection,
  backend: Backend | null,
  cells: FeatureCollection<MultiPolygon, CellProperties> | null,
): InspectorContent | null {
  const { t } = useTranslation();
  const [inspector, setInspector] = useState<InspectorContent | null>(null);
  useEffect(() => {
    // A case is shown in the cases panel, not the inspector.
    if (!selection || selection.type === 'case') {
      setInspector(null);
      return;
    }
    const cell = selection.type === 'cell' ? cells?.features.find((f) => f.properties.code === selection.code) : undefined;
    setInspector(cell ? { type: 'cell-preview', cell: cell.properties } : { type: 'loading' });
    if (!backend) return;
    let cancelled = false;
    const request =
      selection.type === 'cell' ? backend.getCellDetail(selection.code) : backend.getPointDetail(selection.kind, selection.id);
    request
      .then((detail) => {
        if (cancelled) return;
        if (!detail) setInspector({ type: 'missing' });
        else if (selection.type === 'cell') setInspector({ type: 'cell', cell: detail as never });
        else setInspector({ type: 'point', point: detail as never });
      })
      .catch((error: unknown) => {
        if (!cancelled) setInspector({ type: 'error', message: errorText(t, error) });
      });
    return () => {
      cancelled = true;
    };
  }, [selection, backend, t, cells]);
  return inspector;
}
