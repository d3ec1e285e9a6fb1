import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import { type CaseComplainant, COMPLAINT_RATINGS, type ComplaintRating } from '../domain/cases';
import { useErrorText } from './error-text';
import { formatDateTime } from './format';

export interface CaseComplaintProps {
  backend: Backend;
  caseId: string;
  /** The case moved (a dissatisfied rating reopened it): the page reloads. */
  onCaseChanged(): void;
}

/**
 * A complaint's citizen (接诉即办): who complained and how to reach them (masked for some roles;
 * a full view is logged), the deadline to contact them and the contact made, the callback's
 * rating at closing (a dissatisfied one may reopen the case) and every rating so far.
 */
export function CaseComplaint({ backend, caseId, onCaseChanged }: CaseComplaintProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [citizen, setCitizen] = useState<CaseComplainant | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [contactNote, setContactNote] = useState('');
  const [rating, setRating] = useState<ComplaintRating>('satisfied');
  const [solved, setSolved] = useState(true);
  const [rateNote, setRateNote] = useState('');
  const [reopen, setReopen] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setCitizen(await backend.getCaseComplainant(caseId));
    } catch (e) {
      setError(errorText(e));
      setCitizen(null);
    }
  }, [backend, caseId, errorText]);
  useEffect(() => {
    void load();
  }, [load]);

  const run = async (fn: () => Promise<unknown>, moved = false) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      if (moved) onCaseChanged();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
      await load();
    }
  };

  if (citizen === undefined) return null;
  if (citizen === null)
    return error ? (
      <p className="error" role="alert" data-testid="complaint-error">
        {error}
      </p>
    ) : null;
  const at = (iso: string | null) => (iso ? formatDateTime(iso, i18n.language) : '—');
  return (
    <section className="case-complaint" data-testid="case-complaint">
      <h3>{t('cases.complaint.title')}</h3>
      {error && (
        <p className="error" role="alert" data-testid="complaint-error">
          {error}
        </p>
      )}
      <dl className="case-facts">
        <dt>{t('cases.complaint.citizen')}</dt>
        <dd data-testid="complaint-citizen">
          {citizen.name} · {citizen.phone}
          {citizen.masked && <span className="muted"> {t('cases.complaint.masked')}</span>}
        </dd>
        <dt>{t('cases.complaint.contactBy')}</dt>
        <dd data-testid="complaint-contact" className={citizen.contactLate ? 'case-late-text' : undefined}>
          {citizen.contactDeadlineAt ? at(citizen.contactDeadlineAt) : t('cases.complaint.notDispatched')}
          {citizen.contactedAt
            ? ` · ${t(citizen.contactLate ? 'cases.complaint.contactedLate' : 'cases.complaint.contacted', {
                at: at(citizen.contactedAt),
                name: citizen.contactedByName || '—',
              })}`
            : citizen.contactLate
              ? ` · ${t('cases.complaint.notContactedLate')}`
              : ''}
        </dd>
        {citizen.contactNote && (
          <>
            <dt>{t('cases.note')}</dt>
            <dd className="case-trace-note">{citizen.contactNote}</dd>
          </>
        )}
      </dl>
      {citizen.canContact && (
        <form
          className="case-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (contactNote.trim() === '') {
              setError(t('cases.complaint.contactNoteRequired'));
              return;
            }
            void run(() => backend.recordComplaintContact(caseId, contactNote.trim()));
          }}
        >
          <label className="case-form-field">
            {t('cases.complaint.contactNote')} *
            <textarea
              className="case-input"
              rows={2}
              value={contactNote}
              onChange={(e) => setContactNote(e.target.value)}
              maxLength={4000}
              data-testid="complaint-contact-note"
            />
          </label>
          <button type="submit" className="btn primary" disabled={busy} data-testid="complaint-contact-submit">
            {t('cases.complaint.recordContact')}
          </button>
        </form>
      )}
      {citizen.canRate && (
        <form
          className="case-form case-step-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => backend.rateComplaint(caseId, { rating, solved, note: rateNote.trim(), reopen }), true);
          }}
        >
          <label className="case-form-field">
            {t('cases.complaint.rating')}
            <select
              className="case-input"
              value={rating}
              onChange={(e) => {
                const next = e.target.value as ComplaintRating;
                setRating(next);
                if (next !== 'dissatisfied') setReopen(false);
              }}
              data-testid="complaint-rating"
            >
              {COMPLAINT_RATINGS.map((r) => (
                <option key={r} value={r}>
                  {t(`cases.complaint.ratingValue.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="case-check">
            <input type="checkbox" checked={solved} onChange={(e) => setSolved(e.target.checked)} data-testid="complaint-solved" />
            {t('cases.complaint.solved')}
          </label>
          <label className="case-form-field">
            {t('cases.note')}
            <textarea
              className="case-input"
              rows={2}
              value={rateNote}
              onChange={(e) => setRateNote(e.target.value)}
              maxLength={4000}
              data-testid="complaint-rating-note"
            />
          </label>
          {rating === 'dissatisfied' && (
            <label className="case-check">
              <input type="checkbox" checked={reopen} onChange={(e) => setReopen(e.target.checked)} data-testid="complaint-reopen" />
              {t('cases.complaint.reopen')}
            </label>
          )}
          <button type="submit" className="btn primary" disabled={busy} data-testid="complaint-rate-submit">
            {t('cases.complaint.rate')}
          </button>
        </form>
      )}
      {citizen.ratings.length > 0 && (
        <ul className="whistle-calls" data-testid="complaint-ratings">
          {citizen.ratings.map((r) => (
            <li key={r.id} data-testid="complaint-rating-row" data-rating={r.rating}>
              <div className="case-trace-head">
                <strong>{t(`cases.complaint.ratingValue.${r.rating}`)}</strong>
                <span className="muted">
                  {r.solved ? t('cases.complaint.solved') : t('cases.complaint.notSolved')} · {at(r.ratedAt)} · {r.ratedByName || '—'}
                </span>
                {r.reopened && <span className="case-overdue">{t('cases.complaint.reopened')}</span>}
              </div>
              {r.note && <div className="case-trace-note">{r.note}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
