import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CaseList, type CaseSummary, OPEN_CASE_STATES } from '../domain/cases';
import type { MyCell, Patrol } from '../domain/live';
import { categoryLabel } from '../i18n/categories';
import { cellsByUrgency, patrolDue } from '../state/worker-home';
import { useErrorText } from './error-text';
import { formatCount, formatDateTime, formatRelative } from './format';
import { classChip } from './now-counters';

export interface WorkerHomeProps {
  cells: MyCell[] | null;
  cases: CaseList | null;
  error: unknown;
  /** The worker's patrol under way (no other may start), or null. */
  patrol: Patrol | null;
  patrolBusy: boolean;
  /** Starts a report at the device's position. */
  onReport(): void;
  /** Opens the whole case list. */
  onAllCases(): void;
  onCase(c: CaseSummary): void;
  onCell(cell: MyCell): void;
  onPatrol(cell: MyCell): void;
  onClose(): void;
}

/**
 * The grid worker's home screen (工作台): report at once, their open cases nearest deadline
 * first (overdue in red, the time left), and their own cells by urgency with what is open in each,
 * the week's events and the last patrol (a cell due a patrol says so), each a tap from the map or
 * a patrol.
 */
export function WorkerHome({
  cells,
  cases,
  error,
  patrol,
  patrolBusy,
  onReport,
  onAllCases,
  onCase,
  onCell,
  onPatrol,
  onClose,
}: WorkerHomeProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const lang = i18n.language;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const ordered = cells ? cellsByUrgency(cells) : null;
  const open = cases?.rows.filter((c) => OPEN_CASE_STATES.includes(c.state)) ?? null;

  return (
    <section className="panel worker-home" aria-label={t('home.title')} data-testid="worker-home">
      <header className="cases-head">
        <h2>{t('home.title')}</h2>
        <button type="button" className="cases-close" onClick={onClose} aria-label={t('inspector.close')}>
          ×
        </button>
      </header>
      <div className="home-actions">
        <button type="button" className="btn primary home-report" onClick={onReport} data-testid="home-report">
          {t('home.report')}
        </button>
        <button type="button" className="btn" onClick={onAllCases} data-testid="home-all-cases">
          {t('home.allCases')}
        </button>
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      <h3 className="home-head">
        {t('home.cases')}
        {cases && (
          <span className="muted" data-testid="home-cases-count">
            {' '}
            {t('home.casesCount', { n: formatCount(cases.total, lang), overdue: formatCount(cases.overdue, lang) })}
          </span>
        )}
      </h3>
      {open === null ? (
        <p className="muted">{t('inspector.loading')}</p>
      ) : open.length === 0 ? (
        <p className="muted" data-testid="home-cases-none">
          {t('home.noCases')}
        </p>
      ) : (
        <ul className="home-list" data-testid="home-cases">
          {open.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className={`home-case${c.overdue ? ' overdue' : ''}`}
                onClick={() => onCase(c)}
                data-testid="home-case"
                data-code={c.code}
              >
                <span className="home-case-top">
                  <strong>{categoryLabel(c.category, lang)}</strong>
                  <span className={`case-state state-${c.state}`}>{t(`cases.state.${c.state}`)}</span>
                </span>
                <span className="home-case-due" data-testid="home-case-due">
                  {c.deadlineAt
                    ? t(c.overdue ? 'home.overdueSince' : 'home.dueIn', { when: formatRelative(Date.parse(c.deadlineAt), now, lang) })
                    : t('home.noDeadline')}
                </span>
                <span className="muted home-case-line">
                  {c.code} · {c.description}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3 className="home-head">
        {t('home.cells')}
        {cells && <span className="muted"> {t('home.cellsCount', { n: formatCount(cells.length, lang) })}</span>}
      </h3>
      {ordered === null ? (
        <p className="muted">{t('inspector.loading')}</p>
      ) : ordered.length === 0 ? (
        <p className="muted" data-testid="home-cells-none">
          {t('home.noCells')}
        </p>
      ) : (
        <ul className="home-list" data-testid="home-cells">
          {ordered.map((c) => {
            const due = patrolDue(c, now);
            const last = c.lastPatrol;
            return (
              <li key={c.code} className="home-cell" data-testid="home-cell" data-code={c.code}>
                <button type="button" className="home-cell-main" onClick={() => onCell(c)} data-testid="home-cell-open">
                  <span className="home-case-top">
                    {c.class && (
                      <span className="class-chip" style={classChip(c.class)}>
                        {t('home.class', { cls: c.class })}
                      </span>
                    )}
                    <strong>{c.name}</strong>
                    <span className="muted">{c.code.slice(-3)}</span>
                  </span>
                  <span className="home-cell-figures">
                    <span className={c.overdue > 0 ? 'alarm' : undefined}>
                      {t('home.cellCases', { n: formatCount(c.openCases, lang), overdue: formatCount(c.overdue, lang) })}
                    </span>
                    <span>{t('home.cellEvents', { n: formatCount(c.eventsWeek, lang) })}</span>
                  </span>
                  <span className={`home-cell-patrol${due ? ' due' : ''}`} data-testid="home-cell-patrol">
                    {last
                      ? last.endedAt === null
                        ? t('home.patrolUnderWay')
                        : t('home.patrolLast', {
                            when: formatRelative(Date.parse(last.endedAt), now, lang),
                            at: formatDateTime(last.endedAt, lang),
                          })
                      : t('home.patrolNever')}
                    {due && last && ` · ${t('home.patrolDue')}`}
                  </span>
                </button>
                <button
                  type="button"
                  className="btn home-patrol"
                  onClick={() => onPatrol(c)}
                  disabled={patrol !== null || patrolBusy}
                  title={patrol ? t('home.patrolOne') : undefined}
                  data-testid="home-patrol"
                >
                  {t('patrol.start')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
