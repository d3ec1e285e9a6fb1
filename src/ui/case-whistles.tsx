import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import type { CaseWhistle, Department, WhistleCall } from '../domain/cases';
import type { AppRole } from '../domain/ids';
import { useErrorText } from './error-text';
import { formatDateTime } from './format';

export interface CaseWhistlesProps {
  backend: Backend;
  caseId: string;
  role: AppRole | 'anon';
  /** Whether the case is open (a whistle summons departments to open cases only). */
  open: boolean;
  departments: Department[];
}

/**
 * The whistle (吹哨报到) of a case: the command centre summons departments at once; each
 * summoned officer acknowledges (报到) by the deadline and reports what it did; the command
 * centre rates each response. Missed acknowledgements are flagged by the database.
 */
export function CaseWhistles({ backend, caseId, role, open, departments }: CaseWhistlesProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [whistles, setWhistles] = useState<CaseWhistle[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [blowing, setBlowing] = useState(false);
  const [picked, setPicked] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [hours, setHours] = useState(2);
  const [texts, setTexts] = useState<Record<number, string>>({});
  const [ratings, setRatings] = useState<Record<number, number>>({});
  const [rateNotes, setRateNotes] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const summoner = role === 'admin' || role === 'command';

  const load = useCallback(async () => {
    try {
      setWhistles(await backend.listCaseWhistles(caseId));
    } catch (e) {
      setError(errorText(e));
    }
  }, [backend, caseId, errorText]);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      await load();
    }
  };

  const blow = () =>
    run(async () => {
      if (picked.length === 0) throw new Error(t('cases.whistle.pickDepartments'));
      if (note.trim() === '') throw new Error(t('cases.whistle.noteRequired'));
      await backend.blowWhistle(caseId, picked, note.trim(), hours);
      setBlowing(false);
      setPicked([]);
      setNote('');
    });

  const callStatus = (c: WhistleCall) =>
    c.acknowledgedAt
      ? t(c.missed ? 'cases.whistle.acknowledgedLate' : 'cases.whistle.acknowledged', {
          name: c.acknowledgedByName || '—',
          at: formatDateTime(c.acknowledgedAt, i18n.language),
        })
      : t(c.missed ? 'cases.whistle.missed' : 'cases.whistle.waiting', { at: formatDateTime(c.ackDeadline, i18n.language) });

  if (!whistles) return null;
  if (whistles.length === 0 && !(summoner && open)) return null;
  return (
    <section className="case-whistles" data-testid="case-whistles">
      <h3>{t('cases.whistle.title')}</h3>
      {error && (
        <p className="error" role="alert" data-testid="whistle-error">
          {error}
        </p>
      )}
      {whistles.map((w) => (
        <div key={w.id} className="case-whistle" data-testid="case-whistle">
          <div className="muted">
            {t('cases.whistle.blown', { name: w.blownByName || '—', at: formatDateTime(w.blownAt, i18n.language) })}
          </div>
          <div className="case-trace-note">{w.note}</div>
          <ul className="whistle-calls">
            {w.calls.map((c) => (
              <li key={c.id} data-testid="whistle-call" data-department={c.departmentId}>
                <div className="case-trace-head">
                  <strong>{c.departmentName}</strong>
                  <span className={c.missed ? 'case-overdue' : 'muted'} data-testid="whistle-status">
                    {callStatus(c)}
                  </span>
                </div>
                {c.report && (
                  <div className="case-trace-note" data-testid="whistle-report">
                    {t('cases.whistle.report')}：{c.report}
                  </div>
                )}
                {c.rating !== null && (
                  <div data-testid="whistle-rating">
                    {'★'.repeat(c.rating)}
                    {'☆'.repeat(5 - c.rating)} {c.ratingNote}
                  </div>
                )}
                {c.mine && !c.acknowledgedAt && (
                  <button
                    type="button"
                    className="btn primary"
                    disabled={busy}
                    onClick={() => void run(() => backend.acknowledgeWhistle(c.id))}
                    data-testid="whistle-acknowledge"
                  >
                    {t('cases.whistle.acknowledge')}
                  </button>
                )}
                {c.mine && c.acknowledgedAt && c.rating === null && (
                  <div className="case-form">
                    <textarea
                      className="case-input"
                      rows={2}
                      value={texts[c.id] ?? c.report ?? ''}
                      onChange={(e) => setTexts((x) => ({ ...x, [c.id]: e.target.value }))}
                      aria-label={t('cases.whistle.report')}
                      data-testid="whistle-report-text"
                    />
                    <button
                      type="button"
                      className="btn"
                      disabled={busy || (texts[c.id] ?? '').trim() === ''}
                      onClick={() => void run(() => backend.reportWhistle(c.id, (texts[c.id] ?? '').trim()))}
                      data-testid="whistle-report-submit"
                    >
                      {t('cases.whistle.sendReport')}
                    </button>
                  </div>
                )}
                {summoner && c.reportedAt && c.rating === null && (
                  <div className="case-form-row">
                    <select
                      className="case-input"
                      value={ratings[c.id] ?? 5}
                      onChange={(e) => setRatings((x) => ({ ...x, [c.id]: Number(e.target.value) }))}
                      aria-label={t('cases.whistle.rating')}
                      data-testid="whistle-rating-value"
                    >
                      {[5, 4, 3, 2, 1].map((n) => (
                        <option key={n} value={n}>
                          {'★'.repeat(n)}
                        </option>
                      ))}
                    </select>
                    <input
                      className="case-input"
                      value={rateNotes[c.id] ?? ''}
                      onChange={(e) => setRateNotes((x) => ({ ...x, [c.id]: e.target.value }))}
                      placeholder={t('cases.note')}
                      aria-label={t('cases.note')}
                    />
                    <button
                      type="button"
                      className="btn"
                      disabled={busy}
                      onClick={() => void run(() => backend.rateWhistle(c.id, ratings[c.id] ?? 5, (rateNotes[c.id] ?? '').trim()))}
                      data-testid="whistle-rate"
                    >
                      {t('cases.whistle.rate')}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
      {summoner && open && !blowing && (
        <button type="button" className="btn" onClick={() => setBlowing(true)} data-testid="whistle-open">
          {t('cases.whistle.blow')}
        </button>
      )}
      {blowing && (
        <form
          className="case-form case-step-form"
          onSubmit={(e) => {
            e.preventDefault();
            void blow();
          }}
        >
          <fieldset className="whistle-departments">
            <legend>{t('cases.whistle.departments')}</legend>
            {departments.map((d) => (
              <label key={d.id} className="case-check">
                <input
                  type="checkbox"
                  checked={picked.includes(d.id)}
                  onChange={(e) => setPicked((p) => (e.target.checked ? [...p, d.id] : p.filter((x) => x !== d.id)))}
                  data-testid={`whistle-department-${d.id}`}
                />
                {d.name}
              </label>
            ))}
          </fieldset>
          <label className="case-form-field">
            {t('cases.whistle.why')}
            <textarea className="case-input" rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="whistle-note" />
          </label>
          <label className="case-form-field">
            {t('cases.whistle.hours')}
            <input
              className="case-input"
              type="number"
              min={0.5}
              max={200}
              step={0.5}
              value={hours}
              onChange={(e) => setHours(Number(e.target.value))}
            />
          </label>
          <div className="case-form-row">
            <button type="submit" className="btn primary" disabled={busy} data-testid="whistle-submit">
              {t('cases.whistle.blow')}
            </button>
            <button type="button" className="btn" onClick={() => setBlowing(false)} disabled={busy}>
              {t('cases.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
