import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_STATES } from '../domain/cases';
import { feedKey, type LiveFeedItem, type LiveNow, type LiveTopCell, type Patrol } from '../domain/live';
import { categoryLabel } from '../i18n/categories';
import { CELL_CLASS_COLORS } from '../state/palettes';
import { AlertsSection, type AlertsSectionProps } from './alerts-section';
import { useErrorText } from './error-text';
import { formatCount } from './format';

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
  onClose(): void;
}

const percent = (v: number | null, language: string) =>
  v === null ? '—' : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(v);

const clock = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));

/** The class's colour, as the map fills it, beside a chip. */
const chip = (cls: keyof typeof CELL_CLASS_COLORS) => ({ '--chip': CELL_CLASS_COLORS[cls] }) as React.CSSProperties;

/** Returns the time since `ms` as "12 秒前" / "12 seconds ago" in the UI's language. */
function ago(ms: number, now: number, language: string): string {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'always' });
  return seconds < 90 ? format.format(-seconds, 'second') : format.format(-Math.round(seconds / 60), 'minute');
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
  const stale = error !== null || updatedAt === null || tick - updatedAt > staleAfterMs;
  const overdue = now ? Object.values(now.overdueByStage).reduce<number>((s, n) => s + (n ?? 0), 0) : 0;
  const n = (v: number) => formatCount(v, lang);

  const feedLine = (item: LiveFeedItem) => {
    const category = categoryLabel(item.category, lang);
    if (item.kind === 'event') return t('now.feed.event', { category, status: t(`status.${item.state}`, { defaultValue: item.state }) });
    if (item.kind === 'whistle') return t('now.feed.whistle', { code: item.caseCode, category });
    return t('now.feed.case', {
      code: item.caseCode,
      category,
      action: t(`cases.action.${item.action}`, { defaultValue: item.action ?? '' }),
    });
  };

  return (
    <section className="panel now-panel" aria-label={t('now.title')} data-testid="now-panel">
      <header className="cases-head">
        <h2>{t('now.title')}</h2>
        <span className={`now-freshness${stale ? ' stale' : ''}`} data-testid="now-freshness" role="status">
          <span className="dot" aria-hidden="true" />
          {updatedAt === null ? t('now.loading') : t(pushed ? 'now.updatedLive' : 'now.updatedPolled', { ago: ago(updatedAt, tick, lang) })}
        </span>
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
          <div className="now-counters">
            <div className="now-counter" data-testid="now-events-today">
              <span className="label">{t('now.eventsToday')}</span>
              <strong>{n(now.eventsToday)}</strong>
            </div>
            <div className="now-counter" data-testid="now-cases-today">
              <span className="label">{t('now.casesToday')}</span>
              <strong>{n(now.casesToday)}</strong>
            </div>
            <div className="now-counter wide" data-testid="now-open">
              <span className="label">{t('now.openCases')}</span>
              <strong>{n(now.openCases)}</strong>
              <span className="parts">
                {(['A', 'B', 'C'] as const).map((c) => (
                  <span key={c} className="class-chip" style={chip(c)} data-testid={`now-open-${c}`}>
                    {t('now.byClass', { cls: c, n: n(now.openByClass[c]) })}
                  </span>
                ))}
                {now.openByClass.none > 0 && <span className="class-chip">{t('now.outside', { n: n(now.openByClass.none) })}</span>}
              </span>
            </div>
            <div className={`now-counter wide${overdue > 0 ? ' alarm' : ''}`} data-testid="now-overdue">
              <span className="label">{t('now.overdue')}</span>
              <strong>{n(overdue)}</strong>
              <span className="parts">
                {CASE_STATES.filter((s) => (now.overdueByStage[s] ?? 0) > 0).map((s) => (
                  <span key={s} data-testid={`now-overdue-${s}`}>
                    {t(`cases.state.${s}`)} {n(now.overdueByStage[s] ?? 0)}
                  </span>
                ))}
              </span>
            </div>
            <div className={`now-counter${now.whistlesMissed > 0 ? ' alarm' : ''}`} data-testid="now-whistles">
              <span className="label">{t('now.whistles')}</span>
              <strong>{n(now.whistlesAwaiting)}</strong>
              {now.whistlesMissed > 0 && <span className="parts">{t('now.whistlesMissed', { n: n(now.whistlesMissed) })}</span>}
            </div>
            <div className="now-counter" data-testid="now-rates">
              <span className="label">{t('now.rates', { n: n(now.complaintRates.complaints) })}</span>
              <span className="rates">
                <span>
                  {t('now.response')} {percent(now.complaintRates.responseRate, lang)}
                </span>
                <span>
                  {t('now.resolution')} {percent(now.complaintRates.resolutionRate, lang)}
                </span>
                <span>
                  {t('now.satisfaction')} {percent(now.complaintRates.satisfactionRate, lang)}
                </span>
              </span>
            </div>
          </div>
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
                  <span className="class-chip" style={chip(c.class)}>
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
