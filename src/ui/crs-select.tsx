import { useTranslation } from 'react-i18next';
import { CHINA_CRS, type ChinaCrs } from '../geo/crs-china';

/** The labelled choice of a file's coordinate system (WGS-84/CGCS2000, GCJ-02, BD-09). */
export function CrsSelect(props: {
  value: ChinaCrs;
  disabled: boolean;
  onChange(crs: ChinaCrs): void;
  testId: string;
  className?: string;
}) {
  const { t } = useTranslation();
  return (
    <label className={props.className}>
      {t('import.crs')}
      <select
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value as ChinaCrs)}
        data-testid={props.testId}
      >
        {CHINA_CRS.map((c) => (
          <option key={c} value={c}>
            {t(`import.crs${c[0]?.toUpperCase()}${c.slice(1)}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
