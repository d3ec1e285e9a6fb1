import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatWeightsSpec, parseWeightsSpec } from '../geo/hotspots';
import { KERNELS } from '../geo/kernel-density';
import { categoryLabel } from '../i18n/categories';
import { type HeatChart, type HeatStatus, type HotspotView, snapToStep } from '../state/heat';
import { HEAT_BREAKS, HEAT_COLORS, HOTSPOT_COLORS, TREND_COLORS } from '../state/palettes';
import type { HeatSettings } from '../state/ui-state';
import { formatCount, formatTime } from './format';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOWS_HOURS = [6, 24, 7 * 24, 30 * 24, 90 * 24, 180 * 24];
const BANDWIDTHS = [100, 200, 300, 500, 800];
const CELL_SIZES = [10, 25, 50];
const HALF_LIVES = [null, 7, 30];
/** Sources of events, as the database allows them. */
const EVENT_SOURCES = ['grid_worker', 'camera', 'citizen', 'hotline', 'sensor', 'department'] as const;

/** Distance bands offered for Gi* neighbours, in metres (cells are a few hundred metres across). */
const DISTANCE_BANDS = [300, 500, 1000, 2000] as const;

export interface HeatPanelProps {
  settings: HeatSettings;
  /** First and last event time (epoch ms). */
  range: { min: number; max: number } | null;
  categories: string[];
  status: HeatStatus | null;
  hotspots: HotspotView | null;
  chart: HeatChart | null;
  chartScopes: HeatChart['scope'][];
  playing: boolean;
  recording: boolean;
  onChange(settings: Partial<HeatSettings>): void;
  onChartScope(scope: HeatChart['scope']): void;
  onPlay(playing: boolean): void;
  onRecord(): void;
  onClose(): void;
}

/**
 * The risk heatmap's controls: the time window with its slider, playback and export; the kernel,
 * bandwidth, raster cell, weights, decay and filters; the legend in density units; and a chart of
 * events per day for the district, the selected cell or its community.
 */
export function HeatPanel(props: HeatPanelProps) {
  const { settings, range, status, chart, playing, recording, onChange } = props;
  const { t, i18n } = useTranslation();
  const stepMs = settings.step === 'hour' ? HOUR : DAY;
  const last = range ? snapToStep(range.max + 1, settings.step) : 0;
  const end = settings.end ?? last;
  const from = end - settings.windowHours * HOUR;
  const units = settings.weightBy === 'severity' ? t('heat.unitsWeighted') : t('heat.units');
  const peak = useMemo(() => Math.max(1, ...(chart?.counts ?? [0])), [chart]);

  return (
    <section className="panel heat-panel" aria-label={t('heat.title')} data-testid="heat-panel">
      <header>
        <h2>{t('heat.title')}</h2>
        <span className="muted" data-testid="heat-status">
          {status === null
            ? t('heat.waiting')
            : status.computing
              ? t('heat.computing')
              : t('heat.status', {
                  events: formatCount(status.counted, i18n.language),
                  peak: formatCount(Math.round(status.max), i18n.language),
                  units,
                  ms: Math.round(status.ms),
                  threads: status.threads,
                })}
        </span>
        <button type="button" className="close" onClick={props.onClose} aria-label={t('inspector.close')}>
          ×
        </button>
      </header>
      {range && (
        <div className="heat-time">
          <button
            type="button"
            className="play"
            onClick={() => props.onPlay(!playing)}
            disabled={recording}
            aria-pressed={playing}
            data-testid="heat-play"
          >
            {playing ? t('heat.pause') : t('heat.play')}
          </button>
          <input
            type="range"
            // The first full window at the left end.
            min={Math.min(last, snapToStep(range.min, settings.step) + Math.max(stepMs, settings.windowHours * HOUR))}
            max={last}
            step={stepMs}
            value={end}
            onChange={(e) => onChange({ end: Number(e.target.value) })}
            aria-label={t('heat.window')}
            data-testid="heat-slider"
          />
          <span className="heat-window" data-testid="heat-window">
            {formatTime(from, i18n.language, settings.step === 'hour')} – {formatTime(end, i18n.language, settings.step === 'hour')}
          </span>
        </div>
      )}
      {chart && range && (
        <div className="heat-chart">
          <svg
            viewBox={`0 0 ${chart.counts.length} 40`}
            preserveAspectRatio="none"
            role="img"
            aria-label={t('heat.chart')}
            data-testid="heat-chart"
          >
            {chart.counts.map((n, i) => {
              const day = chart.from + i * DAY;
              const inside = day + DAY > from && day < end;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: one bar per day, by position.
                <rect key={i} x={i} width={0.9} y={40 - (n / peak) * 40} height={(n / peak) * 40} className={inside ? 'in' : 'out'} />
              );
            })}
          </svg>
          <div className="heat-chart-caption">
            <select
              value={chart.scope}
              onChange={(e) => props.onChartScope(e.target.value as HeatChart['scope'])}
              data-testid="heat-chart-scope"
            >
              {props.chartScopes.map((s) => (
                <option key={s} value={s}>
                  {t(`heat.scope.${s}`)}
                </option>
              ))}
            </select>
            <span className="muted">{t('heat.chartCaption', { name: chart.name ?? '', max: peak })}</span>
          </div>
        </div>
      )}
      <div className="heat-settings">
        <label>
          {t('heat.windowLength')}
          <select
            value={settings.windowHours}
            onChange={(e) => onChange({ windowHours: Number(e.target.value) })}
            data-testid="heat-window-length"
          >
            {WINDOWS_HOURS.map((h) => (
              <option key={h} value={h}>
                {h < 24 ? t('heat.hours', { n: h }) : t('heat.days', { n: h / 24 })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('heat.step')}
          <select
            value={settings.step}
            onChange={(e) => onChange({ step: e.target.value as HeatSettings['step'], end: null })}
            data-testid="heat-step"
          >
            <option value="day">{t('heat.byDay')}</option>
            <option value="hour">{t('heat.byHour')}</option>
          </select>
        </label>
        <label>
          {t('heat.kernel')}
          <select
            value={settings.kernel}
            onChange={(e) => onChange({ kernel: e.target.value as HeatSettings['kernel'] })}
            data-testid="heat-kernel"
          >
            {KERNELS.map((k) => (
              <option key={k} value={k}>
                {t(`heat.kernels.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {settings.kernel === 'quartic' ? t('heat.radius') : t('heat.sigma')}
          <select
            value={settings.bandwidthMeters}
            onChange={(e) => onChange({ bandwidthMeters: Number(e.target.value) })}
            data-testid="heat-bandwidth"
          >
            {BANDWIDTHS.map((b) => (
              <option key={b} value={b}>
                {t('heat.meters', { n: b })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('heat.cell')}
          <select value={settings.cellMeters} onChange={(e) => onChange({ cellMeters: Number(e.target.value) })} data-testid="heat-cell">
            {CELL_SIZES.map((c) => (
              <option key={c} value={c}>
                {t('heat.meters', { n: c })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('heat.weight')}
          <select
            value={settings.weightBy}
            onChange={(e) => onChange({ weightBy: e.target.value as HeatSettings['weightBy'] })}
            data-testid="heat-weight"
          >
            <option value="count">{t('heat.weightCount')}</option>
            <option value="severity">{t('heat.weightSeverity')}</option>
          </select>
        </label>
        <label>
          {t('heat.decay')}
          <select
            value={settings.halfLifeDays ?? ''}
            onChange={(e) => onChange({ halfLifeDays: e.target.value === '' ? null : Number(e.target.value) })}
            data-testid="heat-decay"
          >
            {HALF_LIVES.map((h) => (
              <option key={h ?? 'none'} value={h ?? ''}>
                {h === null ? t('heat.noDecay') : t('heat.halfLife', { n: h })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('heat.severity')}
          <select
            value={settings.minSeverity}
            onChange={(e) => onChange({ minSeverity: Number(e.target.value) })}
            data-testid="heat-severity"
          >
            {[1, 2, 3, 4].map((s) => (
              <option key={s} value={s}>
                {t('heat.atLeast', { level: t(`severity.${s}`) })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('heat.source')}
          <select
            value={settings.sources?.[0] ?? ''}
            onChange={(e) => onChange({ sources: e.target.value === '' ? null : [e.target.value] })}
            data-testid="heat-source"
          >
            <option value="">{t('heat.allSources')}</option>
            {EVENT_SOURCES.map((s) => (
              <option key={s} value={s}>
                {t(`source.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('heat.category')}
          <select
            value={settings.categories?.[0] ?? ''}
            onChange={(e) => onChange({ categories: e.target.value === '' ? null : [e.target.value] })}
            data-testid="heat-category"
          >
            <option value="">{t('heat.allCategories')}</option>
            {props.categories.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c, i18n.language)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="heat-legend" data-testid="heat-legend">
        {HEAT_BREAKS.map((b, i) => {
          const c = HEAT_COLORS[i] as readonly number[];
          return (
            <span key={b} className="heat-class">
              <span className="swatch" style={{ background: `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${(c[3] as number) / 255})` }} />
              {b >= 1000 ? `${b / 1000}k` : b}
            </span>
          );
        })}
        <span className="muted">{units}</span>
      </div>
      <div className="heat-hotspots">
        <label>
          <input
            type="checkbox"
            checked={settings.isobands}
            onChange={(e) => onChange({ isobands: e.target.checked })}
            data-testid="heat-isobands"
          />
          {t('heat.isobands')}
        </label>
        {(['hotspots', 'fdr', 'compare'] as const).map((key) => (
          <label key={key}>
            <input
              type="checkbox"
              checked={settings[key]}
              disabled={key !== 'hotspots' && !settings.hotspots}
              onChange={(e) => onChange({ [key]: e.target.checked })}
              data-testid={`heat-${key}`}
            />
            {t(`heat.${key}`)}
          </label>
        ))}
        <label className="heat-neighbours">
          {t('heat.neighbours')}
          <select
            value={formatWeightsSpec(settings.hotspotWeights)}
            disabled={!settings.hotspots}
            onChange={(e) => onChange({ hotspotWeights: parseWeightsSpec(e.target.value) })}
            data-testid="heat-neighbours"
          >
            <option value="queen">{t('heat.queen')}</option>
            {DISTANCE_BANDS.map((m) => (
              <option key={m} value={`distance:${m}`}>
                {t('heat.distanceBand', { meters: formatCount(m, i18n.language) })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {props.hotspots && (
        <div className="heat-legend" data-testid="heat-hotspot-legend">
          {props.hotspots.trends
            ? Object.entries(TREND_COLORS).map(([trend, color]) => (
                <span key={trend} className="heat-class" data-testid={`heat-trend-${trend}`}>
                  <span className="swatch" style={{ background: color }} />
                  {t(`heat.trend.${trend}`)} {props.hotspots?.trends?.[trend] ?? 0}
                </span>
              ))
            : [3, 2, 1, -1, -2, -3].map((bin) => (
                <span key={bin} className="heat-class" data-testid={`heat-bin-${bin}`}>
                  <span className="swatch" style={{ background: HOTSPOT_COLORS[bin] }} />
                  {t(`heat.bin.${bin}`)} {props.hotspots?.classes[bin] ?? 0}
                </span>
              ))}
        </div>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={props.onRecord} disabled={recording || !range} data-testid="heat-record">
          {recording ? t('heat.recording') : t('heat.record')}
        </button>
      </div>
    </section>
  );
}
