import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Backend, BackendError } from '../data/backend';
import {
  CASE_ACTIONS_NEEDING_NOTE,
  type CaseAction,
  type CaseDetail,
  type CaseSummary,
  COMPLAINT_SOURCES,
  type Department,
} from '../domain/cases';
import type { AppRole } from '../domain/ids';
import type { CasePhoto, PhotoFile } from '../domain/photos';
import { randomKey } from '../domain/random-key';
import { categoryLabel } from '../i18n/categories';
import { CaseComplaint } from './case-complaint';
import { PhotoStrip, PhotoViewer, useCasePhotoImages } from './case-photos';
import { CaseWhistles } from './case-whistles';
import { useErrorText } from './error-text';
import { formatDateTime } from './format';
import { useOutboxQueue } from './outbox-context';
import { PhotoPicker } from './photo-picker';

export interface CasePageProps {
  backend: Backend;
  role: AppRole | 'anon';
  id: string;
  departments: Department[];
  onBack(): void;
  onLocate(c: Pick<CaseSummary, 'lngLat' | 'cellCode'>): void;
  onChanged(): void;
}

/** Working hours as the page says them: one decimal at most. */
const hours = (h: number, language: string) => new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(Math.abs(h));

/**
 * One case: where and what it is, its department and deadline (with the working hours left, or
 * how far overdue, as the database counts them), the steps the user's role may take now, and
 * the trace of every step so far, the late ones marked.
 */
export function CasePage({ backend, role, id, departments, onBack, onLocate, onChanged }: CasePageProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [detail, setDetail] = useState<CaseDetail | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [action, setAction] = useState<CaseAction | null>(null);
  const [note, setNote] = useState('');
  const [department, setDepartment] = useState('');
  const [busy, setBusy] = useState(false);
  const [stepPhotos, setStepPhotos] = useState<PhotoFile[]>([]);
  const [photos, setPhotos] = useState<CasePhoto[]>([]);
  const [viewing, setViewing] = useState<number | null>(null);
  const images = useCasePhotoImages(backend, photos);
  const outbox = useOutboxQueue();

  const load = useCallback(async () => {
    try {
      const [loaded, loadedPhotos] = await Promise.all([backend.getCase(id), backend.getCasePhotos(id)]);
      setDetail(loaded);
      // A new list only when it grew: the images already loaded stay.
      setPhotos((old) => (old.length === loadedPhotos.length && old.every((p, k) => p.id === loadedPhotos[k]?.id) ? old : loadedPhotos));
    } catch (e) {
      setError(errorText(e));
    }
  }, [backend, id, errorText]);

  useEffect(() => {
    setDetail(undefined);
    setPhotos([]);
    setViewing(null);
    setAction(null);
    setMessage(null);
    setError(null);
    void load();
  }, [load]);

  const choose = (a: CaseAction) => {
    setAction(a);
    setNote('');
    setStepPhotos([]);
    setDepartment(a === 'dispatch' ? (detail?.proposedDepartmentId ?? '') : '');
    setError(null);
    setMessage(null);
  };

  const submit = async () => {
    if (!detail || !action) return;
    const label = t(`cases.action.${action}`);
    if (CASE_ACTIONS_NEEDING_NOTE.includes(action) && note.trim() === '') {
      setError(t('cases.noteRequired', { action: label }));
      return;
    }
    if (action === 'dispatch' && department === '') {
      setError(t('cases.departmentRequired'));
      return;
    }
    setBusy(true);
    // The step's key: sent again (a lost answer, or from the outbox), it is not taken twice.
    const options = {
      note: note.trim(),
      departmentId: action === 'dispatch' ? department : null,
      expectedVersion: detail.version,
      photos: stepPhotos,
      key: randomKey(),
    };
    let offline = false;
    try {
      const next = await backend.transitionCase(detail.id, action, options);
      setStepPhotos([]);
      setMessage(t('cases.done', { action: label, code: detail.code, state: t(`cases.state.${next.state}`) }));
      setAction(null);
      setError(null);
      onChanged();
    } catch (e) {
      if (e instanceof BackendError && e.code === 'unavailable' && outbox) {
        // No network: the step waits in the outbox and goes, once, when the network is back.
        try {
          await outbox.step({ caseId: detail.id, caseCode: detail.code, action, options });
          setStepPhotos([]);
          setMessage(t('outbox.stepQueued', { action: label, code: detail.code }));
          setAction(null);
          setError(null);
        } catch (kept) {
          setError(errorText(kept));
        }
        offline = true;
      } else setError(e instanceof BackendError && e.code === 'conflict' ? t('cases.conflict') : errorText(e));
    } finally {
      setBusy(false);
      // Without a network the page keeps the case as it last read it.
      if (!offline) await load();
    }
  };

  const back = (
    <button type="button" className="link" onClick={onBack} data-testid="case-back">
      ← {t('cases.back')}
    </button>
  );
  if (detail === undefined && !error)
    return (
      <div className="case-page">
        {back}
        <p className="muted">{t('cases.loading')}</p>
      </div>
    );
  if (!detail)
    return (
      <div className="case-page">
        {back}
        {error && <p className="error">{error}</p>}
      </div>
    );
  const departmentName = (dep: string | null) => (dep ? (departments.find((d) => d.id === dep)?.name ?? dep) : '—');
  const open = detail.workingHoursLeft !== null;
  return (
    <div className="case-page" data-testid="case-page" data-state={detail.state} data-version={detail.version}>
      {back}
      <div className="case-title">
        <strong data-testid="case-code">{detail.code}</strong>
        <span className={`case-state state-${detail.state}`} data-testid="case-state">
          {t(`cases.state.${detail.state}`)}
        </span>
        {detail.overdue && <span className="case-overdue">{t('cases.overdue')}</span>}
      </div>
      <dl className="case-facts">
        <dt>{t('cases.category')}</dt>
        <dd>
          {categoryLabel(detail.category, i18n.language)} · {t(`severity.${detail.severity}`)} · {t(`cases.source.${detail.source}`)}
        </dd>
        <dt>{t('cases.description')}</dt>
        <dd className="case-description">{detail.description || '—'}</dd>
        <dt>{t('cases.cell')}</dt>
        <dd>
          <button type="button" className="link" onClick={() => onLocate(detail)} data-testid="case-locate">
            {detail.cellCode ?? t('cases.outside')}
          </button>
        </dd>
        <dt>{t('cases.department')}</dt>
        <dd data-testid="case-department">
          {detail.departmentId ? departmentName(detail.departmentId) : '—'}
          {!detail.departmentId && detail.proposedDepartmentId && (
            <span className="muted"> {t('cases.proposed', { name: departmentName(detail.proposedDepartmentId) })}</span>
          )}
        </dd>
        <dt>{t('cases.reportedAt')}</dt>
        <dd>{formatDateTime(detail.reportedAt, i18n.language)}</dd>
        <dt>{t('cases.deadline')}</dt>
        <dd data-testid="case-deadline" className={detail.overdue ? 'case-late-text' : undefined}>
          {open && detail.deadlineAt && detail.workingHoursLeft !== null
            ? `${formatDateTime(detail.deadlineAt, i18n.language)} · ${
                detail.workingHoursLeft >= 0
                  ? t('cases.hoursLeft', { hours: hours(detail.workingHoursLeft, i18n.language) })
                  : t('cases.hoursOver', { hours: hours(detail.workingHoursLeft, i18n.language) })
              }`
            : t('cases.noDeadline')}
        </dd>
      </dl>
      {message && (
        <p className="form-ok" role="status" data-testid="case-message">
          {message}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="case-error">
          {error}
        </p>
      )}
      <div className="case-actions" data-testid="case-actions">
        {detail.allowed.length === 0 && <p className="muted">{t('cases.noActions')}</p>}
        {detail.allowed.map((a) => (
          <button
            key={a}
            type="button"
            className={action === a ? 'btn active' : 'btn'}
            onClick={() => choose(a)}
            disabled={busy}
            data-testid={`case-action-${a}`}
          >
            {t(`cases.action.${a}`)}
          </button>
        ))}
      </div>
      {action && (
        <form
          className="case-form case-step-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {action === 'dispatch' && (
            <label className="case-form-field">
              {t('cases.department')}
              <select
                className="case-input"
                value={department}
                onChange={(e) => setDepartment(e.target.value)}
                data-testid="case-step-department"
              >
                <option value="">{t('cases.chooseDepartment')}</option>
                {departments.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                    {d.id === detail.proposedDepartmentId ? ` ★` : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="case-form-field">
            {t('cases.note')}
            {CASE_ACTIONS_NEEDING_NOTE.includes(action) ? ' *' : ''}
            <textarea
              className="case-input"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              rows={3}
              maxLength={4000}
              data-testid="case-step-note"
            />
          </label>
          <div className="case-form-field">
            {t('cases.photos.label')}
            <PhotoPicker photos={stepPhotos} onChange={setStepPhotos} disabled={busy} testId="case-step-photos-picker" />
          </div>
          <div className="case-form-row">
            <button type="submit" className="btn primary" disabled={busy} data-testid="case-step-submit">
              {t('cases.confirm', { action: t(`cases.action.${action}`) })}
            </button>
            <button type="button" className="btn" onClick={() => setAction(null)} disabled={busy}>
              {t('cases.cancel')}
            </button>
          </div>
        </form>
      )}
      {COMPLAINT_SOURCES.includes(detail.source) && (
        <CaseComplaint
          key={`complaint-${detail.id}-${detail.version}`}
          backend={backend}
          caseId={detail.id}
          onCaseChanged={() => {
            onChanged();
            void load();
          }}
        />
      )}
      <CaseWhistles
        key={`${detail.id}-${detail.version}`}
        backend={backend}
        caseId={detail.id}
        role={role}
        open={open}
        departments={departments}
      />
      <h3>{t('cases.trace')}</h3>
      <ol className="case-trace" data-testid="case-trace">
        {detail.trace.map((s, k) => (
          // The trace is append-only: a step's place in it is its identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
          <li key={k} className={s.late ? 'case-step late' : 'case-step'}>
            <div className="case-trace-head">
              <strong>{t(`cases.action.${s.action}`)}</strong>
              <span className="muted">{formatDateTime(s.at, i18n.language)}</span>
              {s.late && <span className="case-overdue">{t('cases.late')}</span>}
            </div>
            <div className="muted">
              {t('cases.by', { name: s.actorName || '—', role: t(`role.${s.actorRole}`) })}
              {s.action === 'dispatch' && s.departmentId ? ` → ${departmentName(s.departmentId)}` : ''}
              {' · '}
              {t(`cases.state.${s.toState}`)}
            </div>
            {s.note && s.action !== 'report' && <div className="case-trace-note">{s.note}</div>}
            <PhotoStrip photos={photos.filter((p) => p.step === k)} images={images} onOpen={(p) => setViewing(photos.indexOf(p))} />
          </li>
        ))}
      </ol>
      {viewing !== null && <PhotoViewer photos={photos} images={images} index={viewing} onIndex={setViewing} />}
    </div>
  );
}
