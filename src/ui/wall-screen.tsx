import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AlertsNow, feedKey, type LiveNow, type LiveStreet } from '../domain/live';
import type { AdminAreaProperties } from '../domain/records';
import { streetShape } from '../geo/street-shape';
import type { WallScene } from '../state/wall';
import { useAlertWhy } from './alerts-section';
import { useErrorText } from './error-text';
import { formatCount } from './format';
import { classChip, clock, Freshness, NowCounters, useFeedLine } from './now-counters';

export interface WallScreenProps {
  districtName: string | null;
  scenes: readonly WallScene[];
  index: number;
  paused: boolean;
  intervalSeconds: number;
  intervals: readonly number[];
  now: LiveNow | null;
  streets: readonly LiveStreet[] | null;
  alerts: AlertsNow | null;
  updatedAt: number | null;
  error: unknown;
  pushed: boolean;
  staleAfterMs: number;
  /** Feed items that just came, by feedKey. */
  fresh: ReadonlyMap<string, unknown>;
  /** Told when the layout is on the page (true) and gone (false). */
  onMounted(mounted: boolean): void;
  /** The communities (WGS-84): the street shown is outlined from them. */
  communities: FeatureCollection<MultiPolygon, AdminAreaProperties> | null;
  /** What the map should outline for the scene (the street's shape, WGS-84), or null. */
  onFocus(shape: FeatureCollection | null): void;
  onStep(by: number): void;
  onPause(paused: boolean): void;
  onInterval(seconds: number): void;
  onExit(): void;
}

/** How many alerts and feed lines a wall shows: what fits in large type. */
const WALL_LIST = 8;

/**
 * The command centre's wall screen (大屏): the map full screen under a top bar (district, scene,
 * data freshness, a clock) and a column of large figures for the scene — the district's counters,
 * cells of highest risk and latest changes; a street's figures; the open alerts — with the scene
 * dots and controls at the foot.
 */
export function WallScreen({
  districtName,
  scenes,
  index,
  paused,
  intervalSeconds,
  intervals,
  now,
  streets,
  alerts,
  updatedAt,
  error,
  pushed,
  staleAfterMs,
  fresh,
  onMounted,
  communities,
  onFocus,
  onStep,
  onPause,
  onInterval,
  onExit,
}: WallScreenProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const errorText = useErrorText();
  const why = useAlertWhy();
  const feedLine = useFeedLine();
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    onMounted(true);
    return () => onMounted(false);
  }, [onMounted]);
  const scene = scenes[index] as WallScene;
  // The street shown, outlined on the map (its communities merged); nothing for the other scenes.
  const streetCode = scene?.kind === 'street' ? scene.code : null;
  const shape = useMemo(() => (streetCode && communities ? streetShape(communities, streetCode) : null), [streetCode, communities]);
  useEffect(() => {
    onFocus(shape);
  }, [shape, onFocus]);
  useEffect(() => () => onFocus(null), [onFocus]);
  const n = (v: number) => formatCount(v, lang);
  const sceneTitle = (s: WallScene) =>
    s.kind === 'street' ? s.name : s.kind === 'alerts' ? t('wall.alerts', { n: alerts?.open ?? 0 }) : t('wall.district');
  const street = scene.kind === 'street' ? streets?.find((s) => s.code === scene.code) : undefined;
  const date = new Intl.DateTimeFormat(lang, { month: 'long', day: 'numeric', weekday: 'short', timeZone: 'Asia/Shanghai' }).format(tick);

  return (
    <div className="wall" data-testid="wall">
      <header className="wall-top">
        <div className="wall-title">
          <h1>{districtName ?? t('app.title')}</h1>
          <span className="wall-scene" data-testid="wall-scene">
            {sceneTitle(scene)}
          </span>
        </div>
        <Freshness updatedAt={updatedAt} error={error} pushed={pushed} staleAfterMs={staleAfterMs} now={tick} />
        <time className="wall-clock" dateTime={new Date(tick).toISOString()} data-testid="wall-clock">
          {clock(new Date(tick).toISOString(), lang)}
          <small>{date}</small>
        </time>
      </header>
      <div className="wall-view" data-testid="wall-view" aria-hidden="true" />
      <aside className="wall-side" data-testid="wall-side" aria-live="polite">
        {error !== null && (
          <p className="error" role="alert">
            {errorText(error)}
          </p>
        )}
        {scene.kind === 'district' && now && (
          <>
            <NowCounters now={now} />
            <h2>{t('now.topCells')}</h2>
            <ol className="wall-top-cells">
              {now.topCells.map((c) => (
                <li key={c.code}>
                  <span className="class-chip" style={classChip(c.class)}>
                    {c.class}
                  </span>
                  <span className="what">
                    {c.name}
                    <span className="muted"> {c.communityName}</span>
                  </span>
                  <span className="figure">{c.riskIndex.toFixed(1)}</span>
                </li>
              ))}
            </ol>
            <h2>{t('now.feedTitle')}</h2>
            <ul className="wall-feed">
              {now.feed.slice(0, WALL_LIST).map((item) => (
                <li key={feedKey(item)} className={fresh.has(feedKey(item)) ? 'fresh' : undefined}>
                  <time dateTime={item.at}>{clock(item.at, lang)}</time>
                  <span className="what">{feedLine(item)}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        {scene.kind === 'street' && (
          <div className="wall-street" data-testid="wall-street">
            {street ? (
              <>
                <div className="now-counters">
                  <div className="now-counter">
                    <span className="label">{t('wall.cells')}</span>
                    <strong>{n(street.cells)}</strong>
                    <span className="parts">
                      <span className="class-chip" style={classChip('A')}>
                        {t('now.byClass', { cls: 'A', n: n(street.cellsA) })}
                      </span>
                    </span>
                  </div>
                  <div className="now-counter" data-testid="wall-street-open">
                    <span className="label">{t('now.openCases')}</span>
                    <strong>{n(street.openCases)}</strong>
                  </div>
                  <div className={`now-counter${street.overdue > 0 ? ' alarm' : ''}`}>
                    <span className="label">{t('now.overdue')}</span>
                    <strong>{n(street.overdue)}</strong>
                  </div>
                  <div className="now-counter">
                    <span className="label">{t('now.eventsToday')}</span>
                    <strong>{n(street.eventsToday)}</strong>
                  </div>
                  <div className="now-counter wide">
                    <span className="label">{t('wall.eventsWeek')}</span>
                    <strong>{n(street.eventsWeek)}</strong>
                  </div>
                </div>
                <h2>{t('wall.topCell')}</h2>
                {street.topCell ? (
                  <p className="wall-top-cell">
                    <span className="class-chip" style={classChip(street.topCell.class)}>
                      {street.topCell.class}
                    </span>{' '}
                    {street.topCell.name} <span className="figure">{street.topCell.riskIndex.toFixed(1)}</span>
                  </p>
                ) : (
                  <p className="muted">{t('wall.noRisk')}</p>
                )}
              </>
            ) : (
              <p className="muted">{t('now.loading')}</p>
            )}
          </div>
        )}
        {scene.kind === 'alerts' && (
          <div data-testid="wall-alerts">
            {alerts && alerts.alerts.length === 0 && <p className="wall-calm">{t('wall.noAlerts')}</p>}
            <ul className="wall-alert-list">
              {alerts?.alerts.slice(0, WALL_LIST).map((a) => (
                <li key={a.id}>
                  <time dateTime={a.raisedAt}>{clock(a.raisedAt, lang)}</time>
                  <span className="what">{why(a)}</span>
                </li>
              ))}
            </ul>
            {alerts && alerts.alerts.length > WALL_LIST && (
              <p className="muted">{t('wall.moreAlerts', { n: n(alerts.alerts.length - WALL_LIST) })}</p>
            )}
          </div>
        )}
      </aside>
      <footer className="wall-controls">
        <ol className="wall-dots" aria-label={t('wall.scenes')}>
          {scenes.map((s, i) => (
            <li key={s.kind === 'street' ? s.code : s.kind} className={i === index ? 'on' : undefined} title={sceneTitle(s)}>
              <span className="sr-only">{sceneTitle(s)}</span>
            </li>
          ))}
        </ol>
        <button type="button" onClick={() => onStep(-1)} aria-label={t('wall.previous')} data-testid="wall-previous">
          ‹
        </button>
        <button type="button" onClick={() => onPause(!paused)} aria-pressed={paused} data-testid="wall-pause">
          {paused ? t('wall.play') : t('wall.pause')}
        </button>
        <button type="button" onClick={() => onStep(1)} aria-label={t('wall.next')} data-testid="wall-next">
          ›
        </button>
        <label>
          {t('wall.interval')}
          <select value={intervalSeconds} onChange={(e) => onInterval(Number(e.target.value))} data-testid="wall-interval">
            {intervals.map((s) => (
              <option key={s} value={s}>
                {t('wall.seconds', { n: s })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="wall-exit" onClick={onExit} data-testid="wall-exit">
          {t('wall.exit')}
        </button>
      </footer>
    </div>
  );
}
