import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Backend, BackendError } from '../data/backend';
import {
  CASE_SOURCES,
  CASE_STATES,
  type CaseFilter,
  type CaseList,
  type CaseReport,
  type CaseSummary,
  type Department,
  OPEN_CASE_STATES,
} from '../domain/cases';
import type { AppRole, CellCode, LngLat } from '../domain/ids';
import { categoryLabel } from '../i18n/categories';
import { CasePage } from './case-page';
import { CaseReportForm } from './case-report-form';
import { CaseSettings } from './case-settings';
import { CategorySelect } from './category-select';
import { ComplaintRates } from './complaint-rates';
import { useErrorText } from './error-text';
import { formatCount, formatDateTime } from './format';
import { Scorecards } from './scorecards';

const PAGE = 50;

/** What the panel is asked to show when opened from elsewhere: a case, or a report to start. */
export type CasesRequest = { kind: 'case'; id: string } | { kind: 'report'; draft: Partial<CaseReport>; locate?: boolean };

export interface CasesPanelProps {
  backend: Backend;
  role: AppRole | 'anon';
  /** Categories offered in the filter and the report form (the events'). */
  categories: string[];
  request: CasesRequest | null;
  /** Lets the user click a position on the map (WGS-84), or null when cancelled. */
  pickPoint(): Promise<LngLat | null>;
  /** Shows a case on the map: goes there and selects its cell. */
  onLocate(c: Pick<CaseSummary, 'lngLat' | 'cellCode'>): void;
  /** A case was reported or moved a step here. */
  onChanged(): void;
  onClose(): void;
}

type View =
  | { kind: 'list' }
  | { kind: 'case'; id: string }
  | { kind: 'report'; draft: Partial<CaseReport>; locate?: boolean }
  | { kind: 'rates'; tab: 'scorecards' | 'complaints' }
  | { kind: 'settings' };

/** The filter's state choice: every state, the open ones, or one. */
type StateChoice = 'all' | 'open' | (typeof CASE_STATES)[number];

/**
 * Cases: a list with filters (state, overdue, category, source, department, text; sorted by
 * deadline or by report time), each case's page with its trace and the steps the user may
 * take, and the report form. The database decides what is overdue and what each role may do.
 */
export function CasesPanel(props: CasesPanelProps) {
  const { backend, role, categories, request, onClose } = props;
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [view, setView] = useState<View>({ kind: 'list' });
  const [stateChoice, setStateChoice] = useState<StateChoice>('open');
  const [filter, setFilter] = useState<CaseFilter>({ sort: 'deadline' });
  const [text, setText] = useState('');
  const [list, setList] = useState<CaseList | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [areas, setAreas] = useState<{ code: string; name: string; level: 'street' | 'community' }[]>([]);
  const [cell, setCell] = useState('');
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [moreFilters, setMoreFilters] = useState(false);
  const [reload, setReload] = useState(0);
  const [assignees, setAssignees] = useState<{ userId: string; name: string }[]>([]);
  // Dispatching from the list: the registered cases ticked, and where they go ('' = each to its proposed department).
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [dispatchTo, setDispatchTo] = useState('');
  const [dispatching, setDispatching] = useState(false);
  const [dispatchResult, setDispatchResult] = useState<string | null>(null);

  useEffect(() => {
    if (request)
      setView(
        request.kind === 'case' ? { kind: 'case', id: request.id } : { kind: 'report', draft: request.draft, locate: request.locate },
      );
  }, [request]);

  useEffect(() => {
    let live = true;
    backend.listDepartments().then(
      (d) => live && setDepartments(d),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, errorText]);

  // Streets and communities for the area filter (names from the database, in code order).
  useEffect(() => {
    let live = true;
    Promise.all([backend.listAdminAreas('street'), backend.listAdminAreas('community')]).then(
      ([streets, communities]) =>
        live &&
        setAreas(
          [...streets.features, ...communities.features]
            .map((f) => ({ code: f.properties.code, name: f.properties.name, level: f.properties.level as 'street' | 'community' }))
            .sort((a, b) => a.code.localeCompare(b.code)),
        ),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, errorText]);

  // Who signed for cases, for the assignee filter (once the extra filters are opened).
  useEffect(() => {
    if (!moreFilters || role === 'anon') return;
    let live = true;
    backend.listCaseAssignees().then(
      (a) => live && setAssignees(a),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, errorText, moreFilters, role]);

  const extraFilters = [filter.areaCode, cell.trim(), fromDay, toDay, filter.assignee, filter.mine].filter(Boolean).length;
  const cellCode = /^\d{15}$/.test(cell.trim()) ? (cell.trim() as CellCode) : undefined;
  const effectiveFilter = useCallback((): CaseFilter => {
    const states = stateChoice === 'all' ? undefined : stateChoice === 'open' ? [...OPEN_CASE_STATES] : [stateChoice];
    // Days are the user's (local midnight); the last day is included.
    const dayAfter = (day: string) => {
      const d = new Date(`${day}T00:00`);
      d.setDate(d.getDate() + 1);
      return d.toISOString();
    };
    return {
      ...filter,
      states,
      cellCode,
      from: fromDay ? new Date(`${fromDay}T00:00`).toISOString() : undefined,
      to: toDay ? dayAfter(toDay) : undefined,
      text: text.trim() === '' ? undefined : text.trim(),
    };
  }, [filter, stateChoice, text, cellCode, fromDay, toDay]);

  // The first page again whenever the filter changes (the text after a pause in typing), or on `reload`.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload is a request to read the list again
  useEffect(() => {
    if (view.kind !== 'list') return;
    let live = true;
    setLoading(true);
    const timer = window.setTimeout(() => {
      backend
        .listCases(effectiveFilter(), PAGE, 0)
        .then(
          (l) => {
            if (!live) return;
            setList(l);
            setError(null);
            setTicked(new Set());
          },
          (e: unknown) => live && setError(errorText(e)),
        )
        .finally(() => live && setLoading(false));
    }, 250);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [backend, effectiveFilter, errorText, view.kind, reload]);

  const more = async () => {
    if (!list) return;
    setLoading(true);
    try {
      const next = await backend.listCases(effectiveFilter(), PAGE, list.rows.length);
      setList({ ...next, rows: [...list.rows, ...next.rows] });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  };

  const set = (patch: Partial<CaseFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const departmentName = (id: string | null) => departments.find((d) => d.id === id)?.name ?? id ?? '';
  const canReport = role === 'admin' || role === 'command' || role === 'worker';
  const canDispatch = role === 'admin' || role === 'command';
  const dispatchable = (c: CaseSummary) => canDispatch && c.state === 'registered';

  /**
   * Dispatches the ticked cases, each in its own step against the version the list showed, to the
   * chosen department or each to the one the routing rules propose; says what went and what not.
   */
  const dispatchTicked = async () => {
    const chosen = list?.rows.filter((c) => ticked.has(c.id)) ?? [];
    setDispatching(true);
    setDispatchResult(null);
    const failed: string[] = [];
    let sent = 0;
    for (const c of chosen) {
      const to = dispatchTo || c.proposedDepartmentId;
      if (!to) {
        failed.push(t('cases.dispatch.noProposal', { code: c.code }));
        continue;
      }
      try {
        await backend.transitionCase(c.id, 'dispatch', { departmentId: to, expectedVersion: c.version });
        sent++;
      } catch (e) {
        failed.push(`${c.code}: ${e instanceof BackendError && e.code === 'conflict' ? t('cases.conflict') : errorText(e)}`);
      }
    }
    setDispatching(false);
    setDispatchResult([t('cases.dispatch.done', { n: sent }), ...failed].join('\n'));
    if (sent > 0) props.onChanged();
    setReload((n) => n + 1);
  };

  return (
    <section className="panel cases-panel" aria-label={t('cases.title')} data-testid="cases-panel">
      <header className="cases-head">
        <h2>
          {view.kind === 'report'
            ? t('cases.report.title')
            : view.kind === 'rates'
              ? t('cases.evaluation.title')
              : view.kind === 'settings'
                ? t('settings.title')
                : t('cases.title')}
        </h2>
        <button type="button" className="cases-close" onClick={onClose} aria-label={t('inspector.close')}>
          ×
        </button>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {view.kind === 'case' && (
        <CasePage
          backend={backend}
          role={role}
          id={view.id}
          departments={departments}
          onBack={() => {
            setView({ kind: 'list' });
            setReload((n) => n + 1);
          }}
          onLocate={props.onLocate}
          onChanged={props.onChanged}
        />
      )}
      {view.kind === 'rates' && (
        <div className="evaluation">
          <button type="button" className="link" onClick={() => setView({ kind: 'list' })} data-testid="rates-back">
            ← {t('cases.back')}
          </button>
          <div className="evaluation-tabs" role="tablist">
            {(['scorecards', 'complaints'] as const).map((tab) => (
              <button
                key={tab}
                type="button"
                role="tab"
                aria-selected={view.tab === tab}
                className={view.tab === tab ? 'btn active' : 'btn'}
                onClick={() => setView({ kind: 'rates', tab })}
                data-testid={`evaluation-tab-${tab}`}
              >
                {t(`cases.evaluation.${tab}`)}
              </button>
            ))}
          </div>
          {view.tab === 'scorecards' ? (
            <Scorecards backend={backend} canEdit={role === 'admin' || role === 'command'} />
          ) : (
            <ComplaintRates backend={backend} canEdit={role === 'admin' || role === 'command'} />
          )}
        </div>
      )}
      {view.kind === 'settings' && (
        <div className="evaluation">
          <button type="button" className="link" onClick={() => setView({ kind: 'list' })} data-testid="settings-back">
            ← {t('cases.back')}
          </button>
          <CaseSettings backend={backend} categories={categories} departments={departments} areas={areas} />
        </div>
      )}
      {view.kind === 'report' && (
        <CaseReportForm
          backend={backend}
          categories={categories}
          draft={view.draft}
          locate={view.locate}
          pickPoint={props.pickPoint}
          onReported={(id) => {
            props.onChanged();
            setView({ kind: 'case', id });
          }}
          onCancel={() => setView({ kind: 'list' })}
        />
      )}
      {view.kind === 'list' && (
        <>
          <div className="case-filters">
            <label className="case-field">
              {t('cases.filter.state')}
              <select
                className="case-input"
                value={stateChoice}
                onChange={(e) => setStateChoice(e.target.value as StateChoice)}
                data-testid="cases-state"
              >
                <option value="open">{t('cases.filter.openStates')}</option>
                <option value="all">{t('cases.filter.allStates')}</option>
                {CASE_STATES.map((s) => (
                  <option key={s} value={s}>
                    {t(`cases.state.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="case-field">
              {t('cases.filter.category')}
              <CategorySelect
                value={filter.category ?? ''}
                onChange={(c) => set({ category: c || undefined })}
                categories={categories}
                any={{ value: '', label: t('cases.filter.allCategories') }}
                testId="cases-category"
              />
            </label>
            <label className="case-field">
              {t('cases.filter.department')}
              <select
                className="case-input"
                value={filter.departmentId ?? ''}
                onChange={(e) => set({ departmentId: e.target.value || undefined })}
                data-testid="cases-department"
              >
                <option value="">{t('cases.filter.allDepartments')}</option>
                {departments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="case-field">
              {t('cases.filter.source')}
              <select
                className="case-input"
                value={filter.source ?? ''}
                onChange={(e) => set({ source: (e.target.value || undefined) as CaseFilter['source'] })}
                data-testid="cases-source"
              >
                <option value="">{t('cases.filter.allSources')}</option>
                {CASE_SOURCES.map((s) => (
                  <option key={s} value={s}>
                    {t(`cases.source.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="link case-more-filters"
              aria-expanded={moreFilters}
              onClick={() => setMoreFilters((m) => !m)}
              data-testid="cases-more-filters"
            >
              {t(moreFilters ? 'cases.filter.fewer' : extraFilters > 0 ? 'cases.filter.moreSet' : 'cases.filter.more', { n: extraFilters })}
            </button>
            {moreFilters && (
              <>
                <label className="case-field">
                  {t('cases.filter.area')}
                  <select
                    className="case-input"
                    value={filter.areaCode ?? ''}
                    onChange={(e) => set({ areaCode: e.target.value || undefined })}
                    data-testid="cases-area"
                  >
                    <option value="">{t('cases.filter.allAreas')}</option>
                    {(['street', 'community'] as const).map((level) => (
                      <optgroup key={level} label={t(`cases.filter.${level}`)}>
                        {areas
                          .filter((a) => a.level === level)
                          .map((a) => (
                            <option key={a.code} value={a.code}>
                              {a.name}
                            </option>
                          ))}
                      </optgroup>
                    ))}
                  </select>
                </label>
                <label className="case-field">
                  {t('cases.filter.cell')}
                  <input
                    className="case-input"
                    inputMode="numeric"
                    value={cell}
                    onChange={(e) => setCell(e.target.value)}
                    placeholder={t('cases.filter.cellHint')}
                    aria-invalid={cell.trim() !== '' && !cellCode}
                    data-testid="cases-cell"
                  />
                </label>
                <label className="case-field">
                  {t('cases.filter.from')}
                  <input
                    className="case-input"
                    type="date"
                    value={fromDay}
                    max={toDay || undefined}
                    onChange={(e) => setFromDay(e.target.value)}
                    data-testid="cases-from"
                  />
                </label>
                <label className="case-field">
                  {t('cases.filter.assignee')}
                  <select
                    className="case-input"
                    value={filter.assignee ?? ''}
                    onChange={(e) => set({ assignee: e.target.value || undefined })}
                    data-testid="cases-assignee"
                  >
                    <option value="">{t('cases.filter.anyAssignee')}</option>
                    {assignees.map((a) => (
                      <option key={a.userId} value={a.userId}>
                        {a.name || a.userId}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="case-field case-check">
                  <input
                    type="checkbox"
                    checked={filter.mine ?? false}
                    onChange={(e) => set({ mine: e.target.checked || undefined })}
                    data-testid="cases-mine"
                  />
                  {t('cases.filter.mine')}
                </label>
                <label className="case-field">
                  {t('cases.filter.to')}
                  <input
                    className="case-input"
                    type="date"
                    value={toDay}
                    min={fromDay || undefined}
                    onChange={(e) => setToDay(e.target.value)}
                    data-testid="cases-to"
                  />
                </label>
              </>
            )}
            <label className="case-field">
              {t('cases.filter.sort')}
              <select
                className="case-input"
                value={filter.sort ?? 'deadline'}
                onChange={(e) => set({ sort: e.target.value as CaseFilter['sort'] })}
              >
                <option value="deadline">{t('cases.filter.sortDeadline')}</option>
                <option value="reported">{t('cases.filter.sortReported')}</option>
              </select>
            </label>
            <label className="case-field case-check">
              <input
                type="checkbox"
                checked={filter.overdue ?? false}
                onChange={(e) => set({ overdue: e.target.checked || undefined })}
                data-testid="cases-overdue"
              />
              {t('cases.filter.overdue')}
            </label>
            <input
              type="search"
              className="case-input case-text"
              placeholder={t('cases.filter.text')}
              aria-label={t('cases.filter.text')}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="cases-text"
            />
          </div>
          <div className="case-list-bar">
            <span className="muted" data-testid="cases-summary" aria-live="polite">
              {loading && !list
                ? t('cases.loading')
                : list
                  ? t('cases.summary', { total: formatCount(list.total, i18n.language), overdue: formatCount(list.overdue, i18n.language) })
                  : ''}
            </span>
            {(role === 'admin' || role === 'command') && (
              <button type="button" className="btn" onClick={() => setView({ kind: 'settings' })} data-testid="cases-settings-open">
                {t('settings.open')}
              </button>
            )}
            {role !== 'anon' && (
              <button
                type="button"
                className="btn"
                onClick={() => setView({ kind: 'rates', tab: 'scorecards' })}
                data-testid="cases-rates-open"
              >
                {t('cases.rates.open')}
              </button>
            )}
            {canReport && (
              <button
                type="button"
                className="btn primary"
                onClick={() => setView({ kind: 'report', draft: {} })}
                data-testid="case-report-open"
              >
                {t('cases.report.open')}
              </button>
            )}
          </div>
          {list && list.rows.length === 0 && <p className="muted">{t('cases.empty')}</p>}
          {canDispatch && list?.rows.some(dispatchable) && (
            <div className="case-dispatch-bar" data-testid="cases-dispatch">
              <label className="case-check">
                <input
                  type="checkbox"
                  checked={list.rows.filter(dispatchable).every((c) => ticked.has(c.id))}
                  onChange={(e) => setTicked(new Set(e.target.checked ? list.rows.filter(dispatchable).map((c) => c.id) : []))}
                  data-testid="cases-tick-all"
                />
                {t('cases.dispatch.tickAll', { n: list.rows.filter(dispatchable).length })}
              </label>
              <select
                className="case-input"
                value={dispatchTo}
                onChange={(e) => setDispatchTo(e.target.value)}
                aria-label={t('cases.department')}
                data-testid="cases-dispatch-to"
              >
                <option value="">{t('cases.dispatch.proposed')}</option>
                {departments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="btn primary"
                disabled={ticked.size === 0 || dispatching}
                onClick={() => void dispatchTicked()}
                data-testid="cases-dispatch-submit"
              >
                {t('cases.dispatch.submit', { n: ticked.size })}
              </button>
            </div>
          )}
          {dispatchResult && (
            <p className="form-ok case-dispatch-result" role="status" data-testid="cases-dispatch-result">
              {dispatchResult}
            </p>
          )}
          <ul className="case-list" data-testid="case-list">
            {list?.rows.map((c) => (
              <li key={c.id} className={dispatchable(c) ? 'case-item tickable' : 'case-item'}>
                {dispatchable(c) && (
                  <input
                    type="checkbox"
                    className="case-tick"
                    checked={ticked.has(c.id)}
                    onChange={(e) =>
                      setTicked((s) => {
                        const next = new Set(s);
                        if (e.target.checked) next.add(c.id);
                        else next.delete(c.id);
                        return next;
                      })
                    }
                    aria-label={t('cases.dispatch.tick', { code: c.code })}
                    data-testid="case-tick"
                  />
                )}
                <button
                  type="button"
                  onClick={() => {
                    setView({ kind: 'case', id: c.id });
                    props.onLocate(c);
                  }}
                  className="case-row"
                  data-testid="case-row"
                  data-code={c.code}
                  data-state={c.state}
                >
                  <span className="case-row-top">
                    <strong>{c.code}</strong>
                    <span className={`case-state state-${c.state}`}>{t(`cases.state.${c.state}`)}</span>
                    {c.overdue && <span className="case-overdue">{t('cases.overdue')}</span>}
                  </span>
                  <span className="case-row-mid">
                    {categoryLabel(c.category, i18n.language)} · {t(`cases.source.${c.source}`)}
                    {c.departmentId && ` · ${c.departmentName ?? departmentName(c.departmentId)}`}
                    {c.assigneeName && ` · ${t('cases.assignee', { name: c.assigneeName })}`}
                    {dispatchable(c) && c.proposedDepartmentId && (
                      <span className="muted"> · {t('cases.proposed', { name: departmentName(c.proposedDepartmentId) })}</span>
                    )}
                  </span>
                  <span className="case-row-bottom muted">
                    {c.deadlineAt && OPEN_CASE_STATES.includes(c.state)
                      ? `${t('cases.deadline')} ${formatDateTime(c.deadlineAt, i18n.language)}`
                      : `${t('cases.reportedAt')} ${formatDateTime(c.reportedAt, i18n.language)}`}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {list && list.rows.length < list.total && (
            <button type="button" className="btn case-more" onClick={() => void more()} disabled={loading} data-testid="cases-more">
              {t('cases.more', { n: Math.min(PAGE, list.total - list.rows.length) })}
            </button>
          )}
        </>
      )}
    </section>
  );
}
