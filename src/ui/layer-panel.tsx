import { useTranslation } from 'react-i18next';
import type { DistrictOverview } from '../data/backend';
import { CELL_CLASSES, type PointKind } from '../domain/ids';
import { CELL_CLASS_COLORS } from '../map/cell-style';
import { KIND_COLORS, SEVERITY_COLORS } from '../map/layers/point-style';
import { LAYER_KEYS, type LayerKey } from '../state/ui-state';
import { formatCount } from './format';

export interface LayerPanelProps {
  layers: Record<LayerKey, boolean>;
  counts: DistrictOverview['counts'] | null;
  loading: Partial<Record<LayerKey, boolean>>;
  onToggle(layer: LayerKey): void;
  /** Downloads the cells in a format; absent when there are no cells to export. */
  onExport?(format: 'geojson' | 'shp' | 'csv'): void;
}

const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

function swatch(layer: LayerKey): string | undefined {
  if (layer === 'event') return rgb(SEVERITY_COLORS[3]);
  if (layer === 'person' || layer === 'place' || layer === 'thing' || layer === 'organisation') return rgb(KIND_COLORS[layer]);
  return undefined;
}

/** Layer switches with counts, and the legend of cell classes and event severity. */
export function LayerPanel({ layers, counts, loading, onToggle, onExport }: LayerPanelProps) {
  const { t, i18n } = useTranslation();
  const countOf = (layer: LayerKey) => {
    if (!counts) return null;
    if (layer === 'cells') return counts.cells;
    if (layer === 'communities' || layer === 'labels' || layer === 'heat') return null;
    return counts[layer as PointKind];
  };
  return (
    <aside className="panel layer-panel" aria-label={t('layers.title')}>
      <h2>{t('layers.title')}</h2>
      <ul className="layer-list">
        {LAYER_KEYS.map((layer) => {
          const n = countOf(layer);
          const color = swatch(layer);
          return (
            <li key={layer}>
              <label>
                <input type="checkbox" checked={layers[layer]} onChange={() => onToggle(layer)} data-testid={`layer-${layer}`} />
                {color && <span className="dot" style={{ background: color }} />}
                <span className="layer-name">{t(`layers.${layer}`)}</span>
                <span className="layer-count">
                  {loading[layer] ? t('layers.loading') : n !== null ? t('layers.count', { n: formatCount(n, i18n.language) }) : ''}
                </span>
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
      <h2>{t('legend.title')}</h2>
      <ul className="legend" data-testid="legend">
        {CELL_CLASSES.map((c) => (
          <li key={c}>
            <span className="swatch" style={{ background: CELL_CLASS_COLORS[c] }} />
            {t(`legend.${c}`)}
          </li>
        ))}
      </ul>
      <h3>{t('legend.severity')}</h3>
      <ul className="legend legend-row">
        {([1, 2, 3, 4] as const).map((s) => (
          <li key={s}>
            <span className="dot" style={{ background: rgb(SEVERITY_COLORS[s]) }} />
            {t(`severity.${s}`)}
          </li>
        ))}
      </ul>
    </aside>
  );
}
