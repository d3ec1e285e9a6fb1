import { useTranslation } from 'react-i18next';
import { CASE_STATES } from '../domain/cases';
import type { LiveFeedItem, LiveNow } from '../domain/live';
import { categoryLabel } from '../i18n/categories';
import { CELL_CLASS_COLORS } from '../state/palettes';
import { formatCount, formatPercent } from './format';

/** Returns a time as 14:05:09 where the cases are worked (Asia/Shanghai). */
export const clock = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));

/** The class's colour, as the map fills it, beside a chip. */
export const classChip = (cls: keyof typeof CELL_CLASS_COLORS) => ({ '--chip': CELL_CLASS_COLORS[cls] }) as React.CSSProperties;

/** Returns the time since `ms` as "12 秒前" / "12 seconds ago" in the UI's language. */
export function ago(ms: number, now: number, language: string): string {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'always' });
  return seconds < 90 ? format.format(-seconds, 'second') : format.format(-Math.round(seconds / 60), 'minute');
}

export interface FreshnessProps {
  /** When the data was last loaded (ms since the epoch), or null. */
  updatedAt: number | null;
  error: unknown;
  /** Whether changes are heard as committed (else the view polls). */
  pushed: boolean;
  /** After this long without a load the data counts as stale (red). */
  staleAfterMs: number;
  /** The time now (ms), ticking. */
  now: number;
}

/** How fresh the live data is: "实时 · 更新于 12 秒前", red when it has stopped coming. */
export function Freshness({ updatedAt, error, pushed, staleAfterMs, now }: FreshnessProps) {
  const { t, i18n } = useTranslation();
  const stale = error !== null || updatedAt === null || now - updatedAt > staleAfterMs;
  return (
    <span className={`now-freshness${stale ? ' stale' : ''}`} data-testid="now-freshness" role="status">
      <span className="dot" aria-hidden="true" />
      {updatedAt === null
        ? t('now.loading')
        : t(pushed ? 'now.updatedLive' : 'now.updatedPolled', { ago: ago(updatedAt, now, i18n.language) })}
    </span>
  );
}

/**
 * The live view's counters: today's events and cases, the open cases by their cell's class, the
 * overdue ones by stage, the whistle calls awaiting, this month's complaint rates.
 */
export function NowCounters({ now }: { now: LiveNow }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (v: number) => formatCount(v, lang);
  const overdue = Object.values(now.overdueByStage).reduce<number>((s, k) => s + (k ?? 0), 0);
  const chip = classChip;
  return (
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
            {t('now.response')} {formatPercent(now.complaintRates.responseRate, lang)}
          </span>
          <span>
            {t('now.resolution')} {formatPercent(now.complaintRates.resolutionRate, lang)}
          </span>
          <span>
            {t('now.satisfaction')} {formatPercent(now.complaintRates.satisfactionRate, lang)}
          </span>
        </span>
      </div>
    </div>
  );
}

/** Returns a function saying what a feed item is: "治安 · 已处置", "C2026… 占道经营 · 立案". */
export function useFeedLine(): (item: LiveFeedItem) => string {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (item) => {
    const category = categoryLabel(item.category, lang);
    if (item.kind === 'event') return t('now.feed.event', { category, status: t(`status.${item.state}`, { defaultValue: item.state }) });
    if (item.kind === 'whistle') return t('now.feed.whistle', { code: item.caseCode, category });
    return t('now.feed.case', {
      code: item.caseCode,
      category,
      action: t(`cases.action.${item.action}`, { defaultValue: item.action ?? '' }),
    });
  };
}
