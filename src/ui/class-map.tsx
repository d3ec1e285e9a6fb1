import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CellProperties } from '../domain/records';
import { framePath, printFrame } from '../map/report-map';
import { CELL_CLASS_COLORS } from '../state/palettes';
import { formatCount } from './format';
import { MapFurniture } from './map-furniture';

/** A class map's legend items: each class's swatch (as the map fills it) and how many of the chosen cells are of it. */
export function ClassSwatches({ chosen }: { chosen: readonly { properties: Pick<CellProperties, 'class'> }[] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      {(['A', 'B', 'C'] as const).map((c) => (
        <span key={c} data-class={c}>
          <i className="report-swatch" style={{ background: CELL_CLASS_COLORS[c], opacity: 0.6 }} /> {t('home.class', { cls: c })}{' '}
          {formatCount(chosen.filter((f) => f.properties.class === c).length, i18n.language)}
        </span>
      ))}
    </>
  );
}

/**
 * A printed map of cells by class: the chosen ones filled by class among the rest (faint), framed
 * to the chosen ones, hot spots (when given) outlined in red, with a north arrow and a scale bar.
 */
export function ClassMap({
  chosen,
  cells,
  height,
  label,
  testId,
  hot,
}: {
  chosen: FeatureCollection<MultiPolygon, CellProperties>['features'];
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  /** The map's height in millimetres (it is 186 mm wide). */
  height: number;
  label: string;
  testId: string;
  /** The codes of the hot spots to outline. */
  hot?: ReadonlySet<string>;
}) {
  const width = 186;
  const frame = useMemo(() => {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of chosen)
      for (const polygon of f.geometry.coordinates)
        for (const [x, y] of polygon[0] ?? []) {
          w = Math.min(w, x as number);
          s = Math.min(s, y as number);
          e = Math.max(e, x as number);
          n = Math.max(n, y as number);
        }
    return printFrame([w, s, e, n], width, height, 0.05);
  }, [chosen, height]);
  const set = new Set(chosen.map((f) => f.properties.code));
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width={`${width}mm`}
      height={`${height}mm`}
      className="report-svg"
      role="img"
      aria-label={label}
      data-testid={testId}
    >
      <rect width={width} height={height} fill="#efece6" />
      {cells.features.map((f) => (
        <path
          key={f.properties.code}
          d={framePath(frame, f.geometry)}
          fill={set.has(f.properties.code) ? CELL_CLASS_COLORS[f.properties.class] : '#ffffff'}
          fillOpacity={set.has(f.properties.code) ? 0.55 : 0.5}
          fillRule="evenodd"
          stroke={set.has(f.properties.code) ? '#3b2f63' : '#b9b4c0'}
          strokeWidth={set.has(f.properties.code) ? 0.3 : 0.15}
        />
      ))}
      {hot &&
        chosen
          .filter((f) => hot.has(f.properties.code))
          .map((f) => (
            <path
              key={`hot-${f.properties.code}`}
              d={framePath(frame, f.geometry)}
              fill="none"
              stroke="#c0161b"
              strokeWidth={0.7}
              fillRule="evenodd"
              data-hot={f.properties.code}
            />
          ))}
      <MapFurniture frame={frame} />
    </svg>
  );
}
