import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import { CASE_DEADLINE_STAGES, type CaseTimeLimit, type Department, type CaseSettings as Settings } from '../domain/cases';
import { categoryLabel } from '../i18n/categories';
import { CategorySelect } from './category-select';
import { useErrorText } from './error-text';

export interface CaseSettingsProps {
  backend: Backend;
  categories: string[];
  departments: Department[];
  areas: { code: string; name: string; level: 'street' | 'community' }[];
}

/**
 * The rules cases run by, as the command centre edits them (each change goes to the database at
 * once, through its function, and the page shows the stored rules again): time limits per stage by
 * category and severity, the working calendar (holidays and moved working days), the office's
 * working time, and the routing rules that propose a department.
 */
export function CaseSettings({ backend, categories, departments, areas }: CaseSettingsProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [limit, setLimit] = useState<CaseTimeLimit>({ category: '*', severity: 0, stage: 'in_progress', hours: 8 });
  const [hoursEdit, setHoursEdit] = useState<Record<string, string>>({});
  const [day, setDay] = useState({ day: '', kind: 'holiday' as 'holiday' | 'workday', name: '' });
  const [route, setRoute] = useState({ category: '*', areaCode: '', departmentId: '' });
  const [work, setWork] = useState<Settings['workingTime'] | null>(null);

  const load = useCallback(async () => {
    try {
      const s = await backend.getCaseSettings();
      setSettings(s);
      setWork(s.workingTime);
      setHoursEdit({});
    } catch (e) {
      setError(errorText(e));
    }
  }, [backend, errorText]);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (fn: () => Promise<void>, done: string) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await fn();
      setMessage(done);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      await load();
    }
  };

  const category = (c: string) => (c === '*' ? t('settings.anyCategory') : categoryLabel(c, i18n.language));
  const severity = (s: number) => (s === 0 ? t('settings.anySeverity') : t(`severity.${s}`));
  const stage = (s: string) => t(`settings.stage.${s}`);
  const areaName = (code: string) => (code === '' ? t('settings.wholeDistrict') : (areas.find((a) => a.code === code)?.name ?? code));
  const departmentName = (id: string) => departments.find((d) => d.id === id)?.name ?? id;
  const key = (l: CaseTimeLimit) => `${l.category}|${l.severity}|${l.stage}`;
  if (!settings || !work)
    return error ? (
      <p className="error" role="alert">
        {error}
      </p>
    ) : (
      <p className="muted">{t('cases.loading')}</p>
    );
  return (
    <div className="case-settings" data-testid="case-settings">
      {message && (
        <p className="form-ok" role="status" data-testid="settings-message">
          {message}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="settings-error">
          {error}
        </p>
      )}

      <details open>
        <summary className="settings-summary">{t('settings.limits')}</summary>
        <p className="muted">{t('settings.limitsHelp')}</p>
        <div className="rates-scroll">
          <table className="scorecard-sum" data-testid="settings-limits">
            <tbody>
              {settings.timeLimits.map((l) => (
                <tr key={key(l)} data-testid="settings-limit" data-key={key(l)}>
                  <td>
                    {category(l.category)} · {severity(l.severity)} · {stage(l.stage)}
                  </td>
                  <td>
                    <input
                      className="case-input settings-hours"
                      type="number"
                      min={0.5}
                      max={2000}
                      step={0.5}
                      value={hoursEdit[key(l)] ?? String(l.hours)}
                      onChange={(e) => setHoursEdit((h) => ({ ...h, [key(l)]: e.target.value }))}
                      aria-label={t('settings.hours')}
                      data-testid="settings-limit-hours"
                    />
                  </td>
                  <td>
                    {hoursEdit[key(l)] !== undefined && Number(hoursEdit[key(l)]) !== l.hours && (
                      <button
                        type="button"
                        className="btn"
                        disabled={busy}
                        onClick={() =>
                          void run(() => backend.setCaseTimeLimit({ ...l, hours: Number(hoursEdit[key(l)]) }), t('settings.saved'))
                        }
                        data-testid="settings-limit-save"
                      >
                        {t('settings.save')}
                      </button>
                    )}
                    <button
                      type="button"
                      className="btn"
                      disabled={busy}
                      onClick={() => void run(() => backend.setCaseTimeLimit({ ...l, hours: null }), t('settings.removed'))}
                      data-testid="settings-limit-remove"
                    >
                      {t('settings.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form
          className="case-filters"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => backend.setCaseTimeLimit(limit), t('settings.saved'));
          }}
        >
          <label className="case-field">
            {t('cases.category')}
            <CategorySelect
              value={limit.category}
              onChange={(c) => setLimit({ ...limit, category: c })}
              categories={categories}
              any={{ value: '*', label: t('settings.anyCategory') }}
            />
          </label>
          <label className="case-field">
            {t('cases.severity')}
            <select
              className="case-input"
              value={limit.severity}
              onChange={(e) => setLimit({ ...limit, severity: Number(e.target.value) })}
            >
              {[0, 1, 2, 3, 4].map((s) => (
                <option key={s} value={s}>
                  {severity(s)}
                </option>
              ))}
            </select>
          </label>
          <label className="case-field">
            {t('settings.stageLabel')}
            <select
              className="case-input"
              value={limit.stage}
              onChange={(e) => setLimit({ ...limit, stage: e.target.value as CaseTimeLimit['stage'] })}
              data-testid="settings-new-limit-stage"
            >
              {CASE_DEADLINE_STAGES.map((s) => (
                <option key={s} value={s}>
                  {stage(s)}
                </option>
              ))}
            </select>
          </label>
          <label className="case-field">
            {t('settings.hours')}
            <input
              className="case-input"
              type="number"
              min={0.5}
              max={2000}
              step={0.5}
              value={limit.hours}
              onChange={(e) => setLimit({ ...limit, hours: Number(e.target.value) })}
              data-testid="settings-new-limit-hours"
            />
          </label>
          <button type="submit" className="btn primary" disabled={busy} data-testid="settings-new-limit">
            {t('settings.addLimit')}
          </button>
        </form>
      </details>

      <details>
        <summary className="settings-summary">{t('settings.calendar')}</summary>
        <p className="muted">{t('settings.calendarHelp')}</p>
        <ul className="whistle-calls" data-testid="settings-calendar">
          {settings.calendar.map((d) => (
            <li key={d.day} className="settings-row settings-day" data-testid="settings-day" data-day={d.day}>
              <strong>{d.day}</strong>
              <span>{t(`settings.kind.${d.kind}`)}</span>
              <span className="muted">{d.name}</span>
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void run(() => backend.setWorkCalendarDay(d.day, null), t('settings.removed'))}
                data-testid="settings-day-remove"
              >
                {t('settings.remove')}
              </button>
            </li>
          ))}
        </ul>
        <form
          className="case-filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (!day.day) {
              setError(t('settings.dayRequired'));
              return;
            }
            void run(() => backend.setWorkCalendarDay(day.day, day.kind, day.name.trim()), t('settings.saved'));
          }}
        >
          <label className="case-field">
            {t('settings.day')}
            <input
              className="case-input"
              type="date"
              value={day.day}
              onChange={(e) => setDay({ ...day, day: e.target.value })}
              data-testid="settings-new-day"
            />
          </label>
          <label className="case-field">
            {t('settings.kindLabel')}
            <select
              className="case-input"
              value={day.kind}
              onChange={(e) => setDay({ ...day, kind: e.target.value as 'holiday' | 'workday' })}
              data-testid="settings-new-day-kind"
            >
              <option value="holiday">{t('settings.kind.holiday')}</option>
              <option value="workday">{t('settings.kind.workday')}</option>
            </select>
          </label>
          <label className="case-field case-text">
            {t('settings.dayName')}
            <input className="case-input" value={day.name} onChange={(e) => setDay({ ...day, name: e.target.value })} maxLength={40} />
          </label>
          <button type="submit" className="btn primary" disabled={busy} data-testid="settings-new-day-submit">
            {t('settings.addDay')}
          </button>
        </form>
      </details>

      <details>
        <summary className="settings-summary">{t('settings.workingTime')}</summary>
        <form
          className="case-filters"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => backend.setCaseWorkingTime(work), t('settings.saved'));
          }}
        >
          {(['amStart', 'amEnd', 'pmStart', 'pmEnd'] as const).map((f) => (
            <label key={f} className="case-field">
              {t(`settings.${f}`)}
              <input
                className="case-input"
                type="time"
                value={work[f]}
                onChange={(e) => setWork({ ...work, [f]: e.target.value })}
                data-testid={`settings-${f}`}
              />
            </label>
          ))}
          <label className="case-field case-text">
            {t('settings.timeZone')}
            <input className="case-input" value={work.timeZone} onChange={(e) => setWork({ ...work, timeZone: e.target.value })} />
          </label>
          <button type="submit" className="btn primary" disabled={busy} data-testid="settings-working-time-save">
            {t('settings.save')}
          </button>
        </form>
      </details>

      <details>
        <summary className="settings-summary">{t('settings.routes')}</summary>
        <p className="muted">{t('settings.routesHelp')}</p>
        <ul className="whistle-calls" data-testid="settings-routes">
          {settings.routes.map((r) => (
            <li key={r.id} className="settings-row" data-testid="settings-route">
              <span>
                {category(r.category)} · {areaName(r.areaCode)} → <strong>{departmentName(r.departmentId)}</strong>
              </span>
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void run(() => backend.setCaseRoute(r.category, r.areaCode, null), t('settings.removed'))}
              >
                {t('settings.remove')}
              </button>
            </li>
          ))}
        </ul>
        <form
          className="case-filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (!route.departmentId) {
              setError(t('cases.departmentRequired'));
              return;
            }
            void run(() => backend.setCaseRoute(route.category, route.areaCode, route.departmentId), t('settings.saved'));
          }}
        >
          <label className="case-field">
            {t('cases.category')}
            <CategorySelect
              value={route.category}
              onChange={(c) => setRoute({ ...route, category: c })}
              categories={categories}
              any={{ value: '*', label: t('settings.anyCategory') }}
            />
          </label>
          <label className="case-field">
            {t('cases.filter.area')}
            <select className="case-input" value={route.areaCode} onChange={(e) => setRoute({ ...route, areaCode: e.target.value })}>
              <option value="">{t('settings.wholeDistrict')}</option>
              {areas.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <label className="case-field case-text">
            {t('cases.department')}
            <select
              className="case-input"
              value={route.departmentId}
              onChange={(e) => setRoute({ ...route, departmentId: e.target.value })}
              data-testid="settings-new-route-department"
            >
              <option value="">{t('cases.chooseDepartment')}</option>
              {departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn primary" disabled={busy} data-testid="settings-new-route">
            {t('settings.addRoute')}
          </button>
        </form>
      </details>
    </div>
  );
}
