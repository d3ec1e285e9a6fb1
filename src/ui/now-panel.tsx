import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { feedKey, type LiveFeedItem, type LiveNow, type LiveTopCell, type Patrol } from '../domain/live';
import { AlertsSection, type AlertsSectionProps } from './alerts-section';
import { useErrorText } from './error-text';
import { formatCount } from './format';
import { classChip, clock, Freshness, NowCounters, useFeedLine } from './now-counters';

export interface NowPanelProps {
  now: LiveNow | null;
  updatedAt: number | null;
  error: unknown;
  /** Feed items that just came, by feedKey. */
  fresh: ReadonlyMap<string, unknown>;
  /** Whether changes are heard as committed (else the view polls). */
  pushed: boolean;
  /** After this long without a load the data counts as stale (red). */
  staleAfterMs: number;
  /** The alerts, above the counters (the command centre's and administrators'). */
  alerts?: AlertsSectionProps;
  /** The grid workers' patrols under way. */
  patrols: readonly Patrol[];
  /** Where a cell is named by its code only (a patrol's): its name. */
  cellName(code: string): string | null;
  onPatrol(patrol: Patrol): void;
  onCell(cell: LiveTopCell): void;
  onItem(item: LiveFeedItem): void;
  /** Enters the wall screen. */
  onWall(): void;
  onClose(): void;
}

/**
 * The command centre's "now": today's events and cases, the open cases by their cell's class,
 * the overdue ones by stage, the whistle calls awaiting acknowledgement, this month's complaint
 * rates, the cells of highest risk and the latest changes (what just came highlighted), with how
 * fresh it is (red when the data has stopped coming).
 */
export function NowPanel({
  now,
  updatedAt,
  error,
  fresh,
  pushed,
  staleAfterMs,
  alerts,
  patrols,
  cellName,
  onPatrol,
  onCell,
  onItem,
  onWall,
  onClose,
}: NowPanelProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const lang = i18n.language;
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const n = (v: number) => formatCount(v, lang);

  const feedLine = useFeedLine();

  return (
    <section className="panel now-panel" aria-label={t('now.title')} data-testid="now-panel">
      <header className="cases-head">
        <h2>{t('now.title')}</h2>
        <Freshness updatedAt={updatedAt} error={error} pushed={pushed} staleAfterMs={staleAfterMs} now={tick} />
        <button type="button" className="now-wall" onClick={onWall} title={t('wall.openHint')} data-testid="wall-open">
          {t('wall.open')}
        </button>
        <button type="button" className="cases-close" onClick={onClose} aria-label={t('inspector.close')}>
          ×
        </button>
      </header>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      {alerts && <AlertsSection {...alerts} />}
      {now && (
        <>
          <NowCounters now={now} />
          <h3>{t('patrol.nowTitle', { n: patrols.length })}</h3>
          {patrols.length === 0 ? (
            <p className="muted">{t('patrol.nowNone')}</p>
          ) : (
            <ul className="now-patrols" data-testid="now-patrols">
              {patrols.map((p) => (
                <li key={p.id}>
                  <button type="button" className="link" onClick={() => onPatrol(p)}>
                    {t('patrol.nowItem', {
                      worker: p.workerName,
                      cell: cellName(p.cellCode) ?? p.cellCode,
                      minutes: Math.round((tick - Date.parse(p.startedAt)) / 60_000),
                    })}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <h3>{t('now.topCells')}</h3>
          <ol className="now-top" data-testid="now-top">
            {now.topCells.map((c) => (
              <li key={c.code}>
                <button type="button" className="link" onClick={() => onCell(c)}>
                  <span className="class-chip" style={classChip(c.class)}>
                    {c.class}
                  </span>{' '}
                  {c.name}
                  <span className="muted"> {c.communityName}</span>
                </button>
                <span className="figure" title={t('now.riskHint')}>
                  {t('now.risk', { index: c.riskIndex.toFixed(1), events: n(c.events) })}
                </span>
              </li>
            ))}
          </ol>
          <h3>{t('now.feedTitle')}</h3>
          <ul className="now-feed" data-testid="now-feed">
            {now.feed.map((item) => (
              <li key={feedKey(item)} className={`${item.kind}${fresh.has(feedKey(item)) ? ' fresh' : ''}`}>
                <button type="button" className="link" onClick={() => onItem(item)}>
                  <time dateTime={item.at}>{clock(item.at, lang)}</time>
                  <span className={`kind ${item.kind}`}>{t(`now.kind.${item.kind}`)}</span>
                  <span className="what">{feedLine(item)}</span>
                </button>
              </li>
            ))}
            {now.feed.length === 0 && <li className="muted">{t('now.feedEmpty')}</li>}
          </ul>
        </>
      )}
    </section>
  );
}
