import { useTranslation } from 'react-i18next';
import { ATLAS_MAX_CELLS } from '../domain/reports';
import { formatCount } from './format';

export interface PickedCellsProps {
  /** The cells picked on the map (shift-click) or ticked in the comparison. */
  codes: readonly string[];
  /** Opens the comparison (its table ticks the picked cells); absent when it is open already. */
  onCompare?(): void;
  /** Prints an atlas of the picked cells; absent for who may not print one. */
  onAtlas?(): void;
  onClear(): void;
}

/**
 * The cells picked on the map, as a bar over its foot: how many, and what to do with them (compare
 * them, print their atlas, let them go). Shift-click a cell to pick it or let it go.
 */
export function PickedCells({ codes, onCompare, onAtlas, onClear }: PickedCellsProps) {
  const { t, i18n } = useTranslation();
  if (codes.length === 0) return null;
  return (
    <div className="picked-bar" role="status" data-testid="picked-cells" data-count={codes.length}>
      <span>{t('picked.count', { n: formatCount(codes.length, i18n.language) })}</span>
      {onCompare && (
        <button type="button" className="btn" onClick={onCompare} data-testid="picked-compare">
          {t('picked.compare')}
        </button>
      )}
      {onAtlas && (
        <button
          type="button"
          className="btn"
          disabled={codes.length > ATLAS_MAX_CELLS}
          title={codes.length > ATLAS_MAX_CELLS ? t('picked.tooMany', { max: ATLAS_MAX_CELLS }) : t('picked.atlasHint')}
          onClick={onAtlas}
          data-testid="picked-atlas"
        >
          {t('picked.atlas')}
        </button>
      )}
      <button type="button" className="btn" onClick={onClear} data-testid="picked-clear">
        {t('picked.clear')}
      </button>
    </div>
  );
}
