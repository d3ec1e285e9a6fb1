import { useTranslation } from 'react-i18next';
import { type PrintFrame, scaleBar } from '../map/report-map';

/** A printed map's north arrow (top right) and scale bar (bottom left), in the frame's units (mm). */
export function MapFurniture({ frame }: { frame: PrintFrame }) {
  const { t } = useTranslation();
  const bar = scaleBar(frame);
  return (
    <>
      <g transform={`translate(${frame.width - 10} 4)`} aria-label={t('report.north')}>
        <path d="M4 0 L7.5 9 L4 7 L0.5 9 Z" fill="#222" />
        <text x={4} y={13.5} textAnchor="middle" fontSize={4} fontWeight="bold">
          N
        </text>
      </g>
      <g transform={`translate(4 ${frame.height - 6})`}>
        <rect width={bar.length} height={1.6} fill="#222" />
        <rect width={bar.length / 2} height={1.6} fill="#fff" stroke="#222" strokeWidth={0.2} />
        <text y={-1.2} fontSize={3}>
          {bar.metres >= 1000 ? `${bar.metres / 1000} km` : `${bar.metres} m`}
        </text>
      </g>
    </>
  );
}
