import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DistrictOverview } from '../data/backend';
import { CELL_CLASSES, type PointKind } from '../domain/ids';
import {
  CASE_GROUP_COLORS,
  CASE_OVERDUE_COLOR,
  CASE_STATE_GROUPS,
  CELL_CLASS_COLORS,
  KIND_COLORS,
  SEVERITY_COLORS,
} from '../state/palettes';
import { LAYER_KEYS, type LayerKey } from '../state/ui-state';
import { formatCount } from './format';

export interface LayerPanelProps {
  layers: Record<LayerKey, boolean>;
  counts: DistrictOverview['counts'] | null;
  loading: Partial<Record<LayerKey, boolean>>;
  onToggle(layer: LayerKey): void;
  /** Downloads the cells in a format; absent when there are no cells to export. */
  onExport?(format: 'geojson' | 'shp' | 'csv'): void;
  /** Opens the export of point layers; absent for those who may not export. */
  onExportData?(): void;
  /** Topology problems are drawn on the map (a check found some). */
  problemsShown?: boolean;
  /** Layers the user's role sees as counts only, never as points (planners: people). */
  countsOnly?: readonly LayerKey[];
  /** Counts of layers the district overview does not count (cases, once loaded). */
  extraCounts?: Partial<Record<LayerKey, number>>;
}

const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

function swatch(layer: LayerKey): string | undefined {
  if (layer === 'event') return rgb(SEVERITY_COLORS[3]);
  if (layer === 'cases') return rgb(CASE_GROUP_COLORS.handling);
  if (layer === 'person' || layer === 'place' || layer === 'thing' || layer === 'organisation') return rgb(KIND_COLORS[layer]);
  return undefined;
}

/** Layer switches with counts, and the legend of cell classes and event severity. */
export function LayerPanel({
  layers,
  counts,
  loading,
  onToggle,
  onExport,
  onExportData,
  problemsShown = false,
  countsOnly = [],
  extraCounts,
}: LayerPanelProps) {
  const { t, i18n } = useTranslation();
  const countOf = (layer: LayerKey) => {
    if (extraCounts?.[layer] !== undefined) return extraCounts[layer] as number;
    if (!counts || layer === 'cases') return null;
    if (layer === 'cells') return counts.cells;
    if (layer === 'communities' || layer === 'labels' || layer === 'heat') return null;
    return counts[layer as PointKind];
  };
  // On a phone the panel is a sheet at the bottom that starts folded (the map first).
  const [open, setOpen] = useState(() => !window.matchMedia?.('(max-width: 640px)').matches);
  return (
    <aside className={open ? 'panel layer-panel' : 'panel layer-panel folded'} aria-label={t('layers.title')} data-testid="layer-panel">
      <button type="button" className="sheet-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)} data-testid="layers-toggle">
        {t('layers.title')} · {t('legend.short')}
        <span aria-hidden="true">{open ? '▾' : '▴'}</span>
      </button>
      <h2>{t('layers.title')}</h2>
      <ul className="layer-list">
        {LAYER_KEYS.map((layer) => {
          const n = countOf(layer);
          const color = swatch(layer);
          const onlyCounted = countsOnly.includes(layer);
          return (
            <li key={layer} title={onlyCounted ? t('layers.countsOnly') : undefined}>
              <label>
                <input
                  type="checkbox"
                  checked={layers[layer] && !onlyCounted}
                  disabled={onlyCounted}
                  onChange={() => onToggle(layer)}
                  data-testid={`layer-${layer}`}
                />
                {color && <span className="dot" style={{ background: color }} />}
                <span className="layer-name">{t(`layers.${layer}`)}</span>
                <span className="layer-count">
                  {loading[layer] ? t('layers.loading') : n !== null ? t('layers.count', { n: formatCount(n, i18n.language) }) : ''}
                </span>
                {onlyCounted && (
                  <span className="muted layer-note" data-testid={`layer-${layer}-counts-only`}>
                    {t('layers.countsOnlyShort')}
                  </span>
                )}
              </label>
            </li>
          );
        })}
      </ul>
      {onExport && (
        <div className="export-cells">
          <span className="muted">{t('layers.export')}</span>
          {(['geojson', 'shp', 'csv'] as const).map((f) => (
            <button type="button" className="secondary" key={f} onClick={() => onExport(f)} data-testid={`export-${f}`}>
              {t(`layers.exportAs.${f}`)}
            </button>
          ))}
        </div>
      )}
      {onExportData && (
        <div className="export-cells">
          <button type="button" className="secondary" onClick={onExportData} data-testid="export-data-open">
            {t('exports.open')}
          </button>
        </div>
      )}
      {/* The legend says what is on the map now. */}
      <div data-testid="legend">
        {layers.cells && (
          <>
            <h2>{t('legend.title')}</h2>
            <ul className={layers.heat ? 'legend muted' : 'legend'} data-testid="legend-classes">
              {CELL_CLASSES.map((c) => (
                <li key={c}>
                  <span className="swatch" style={{ background: CELL_CLASS_COLORS[c] }} />
                  {t(`legend.${c}`)}
                </li>
              ))}
            </ul>
            {layers.heat && (
              <p className="muted legend-note" data-testid="legend-muted">
                {t('legend.mutedByRisk')}
              </p>
            )}
          </>
        )}
        {problemsShown && (
          <ul className="legend" data-testid="legend-problems">
            <li>
              <span className="swatch problem" />
              {t('legend.problems')}
            </li>
          </ul>
        )}
        {layers.cases && (
          <>
            <h3>{t('legend.cases')}</h3>
            <ul className="legend legend-row" data-testid="legend-cases">
              {CASE_STATE_GROUPS.map((g) => (
                <li key={g}>
                  <span className="dot" style={{ background: rgb(CASE_GROUP_COLORS[g]) }} />
                  {t(`legend.caseGroup.${g}`)}
                </li>
              ))}
              <li>
                <span className="dot ring" style={{ borderColor: rgb(CASE_OVERDUE_COLOR) }} />
                {t('legend.caseOverdue')}
              </li>
            </ul>
          </>
        )}
        {layers.event && (
          <>
            <h3>{t('legend.severity')}</h3>
            <ul className="legend legend-row">
              {([1, 2, 3, 4] as const).map((s) => (
                <li key={s}>
                  <span className="dot" style={{ background: rgb(SEVERITY_COLORS[s]) }} />
                  {t(`severity.${s}`)}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </aside>
  );
}
