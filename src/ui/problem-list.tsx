import { useTranslation } from 'react-i18next';
import type { LngLat } from '../domain/ids';
import type { TilingProblem } from '../geo/validate-tiling';
import { formatCount, formatList } from './format';

/** Tiling problems as a list: type, cells, area, the size measure it broke, and a zoom-to link. */
export function ProblemList({ problems, zoomTo }: { problems: readonly TilingProblem[]; zoomTo(lngLat: LngLat): void }) {
  const { t, i18n } = useTranslation();
  const count = (n: number) => formatCount(Math.round(n), i18n.language);
  return (
    <ul>
      {problems.map((p) => (
        <li key={`${p.type} ${p.cells.join(' ')} ${p.location.join(' ')}`}>
          <span className={`problem-type ${p.type}`}>{t(`edit.problem.${p.type}`)}</span> {formatList(p.cells, i18n.language)} ·{' '}
          {count(p.areaSquareMeters)} m²
          {p.type === 'size' && p.measure?.value !== undefined && p.measure.limit !== undefined
            ? ` · ${t(`edit.sizeBroken.${p.measure.name}`, { value: count(p.measure.value), limit: count(p.measure.limit) })}`
            : ''}
          <button type="button" className="link" onClick={() => zoomTo(p.location as LngLat)}>
            {t('edit.zoomTo')}
          </button>
        </li>
      ))}
    </ul>
  );
}
