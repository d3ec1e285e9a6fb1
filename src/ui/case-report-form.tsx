import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Backend, BackendError } from '../data/backend';
import { CASE_SOURCES, type CaseReport, COMPLAINT_SOURCES } from '../domain/cases';
import type { LngLat } from '../domain/ids';
import type { PhotoFile } from '../domain/photos';
import { randomKey } from '../domain/random-key';
import { CategorySelect } from './category-select';
import { useErrorText } from './error-text';
import { useOutboxQueue } from './outbox-context';
import { PhotoPicker } from './photo-picker';

export interface CaseReportFormProps {
  backend: Backend;
  categories: string[];
  /** What is known already: from an event, or a cell's position. */
  draft: Partial<CaseReport>;
  /** Takes the device's position at once (a report made on the spot). */
  locate?: boolean;
  pickPoint(): Promise<LngLat | null>;
  onReported(id: string): void;
  onCancel(): void;
}

/** Reports a case: its position (picked on the map or given), category, severity, source, description and photos. */
export function CaseReportForm({ backend, categories, draft, locate, pickPoint, onReported, onCancel }: CaseReportFormProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [lngLat, setLngLat] = useState<LngLat | null>(draft.lngLat ?? null);
  const [category, setCategory] = useState(draft.category ?? categories[0] ?? '');
  const [severity, setSeverity] = useState(draft.severity ?? 2);
  const [source, setSource] = useState<CaseReport['source']>(draft.source ?? 'grid_worker');
  const [description, setDescription] = useState(draft.description ?? '');
  const [citizenName, setCitizenName] = useState('');
  const [citizenPhone, setCitizenPhone] = useState('');
  const complaint = COMPLAINT_SOURCES.includes(source);
  const [picking, setPicking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<PhotoFile[]>([]);
  /** This report's key: pressing 上报 again after a lost answer sends the same report, not a second case. */
  const [key] = useState(randomKey);
  /** Kept in the outbox for want of a network: the form says so instead of asking again. */
  const [queued, setQueued] = useState(false);
  const outbox = useOutboxQueue();
  /** The device's position: being taken, its accuracy in metres once taken, or why it failed. */
  const [device, setDevice] = useState<
    { state: 'locating' } | { state: 'located'; meters: number } | { state: 'failed'; why: string } | null
  >(null);
  const geolocation = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;

  const locateMe = () => {
    if (!geolocation) return;
    setDevice({ state: 'locating' });
    geolocation.getCurrentPosition(
      (p) => {
        setLngLat([p.coords.longitude, p.coords.latitude]);
        setDevice({ state: 'located', meters: Math.round(p.coords.accuracy) });
        setError(null);
      },
      (e) =>
        setDevice({
          state: 'failed',
          why: t(e.code === e.PERMISSION_DENIED ? 'cases.report.locateDenied' : 'cases.report.locateFailed'),
        }),
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 },
    );
  };
  // A report made on the spot starts from where the device is.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the form opens
  useEffect(() => {
    if (locate) locateMe();
  }, []);

  const pick = async () => {
    setPicking(true);
    try {
      const p = await pickPoint();
      if (p) setLngLat(p);
    } finally {
      setPicking(false);
    }
  };

  const submit = async () => {
    if (!lngLat) {
      setError(t('cases.report.noPosition'));
      return;
    }
    if (description.trim() === '') {
      setError(t('cases.report.descriptionRequired'));
      return;
    }
    if (complaint && (citizenName.trim() === '' || citizenPhone.trim() === '')) {
      setError(t('cases.report.citizenRequired'));
      return;
    }
    setBusy(true);
    const report = { source, category, severity, description: description.trim(), lngLat, eventId: draft.eventId ?? null, photos, key };
    try {
      const reported = complaint
        ? await backend.reportComplaint(report, { name: citizenName.trim(), phone: citizenPhone.trim() })
        : await backend.reportCase(report);
      onReported(reported.id);
    } catch (e) {
      // No network: the report waits in the outbox, with its key, and goes when the network is back.
      if (e instanceof BackendError && e.code === 'unavailable' && outbox) {
        try {
          await outbox.report(report, complaint ? { name: citizenName.trim(), phone: citizenPhone.trim() } : null);
          setQueued(true);
          return;
        } catch (kept) {
          setError(errorText(kept));
          return;
        }
      }
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (queued)
    return (
      <div className="case-form outbox-queued" data-testid="case-report-queued" role="status">
        <p>
          <strong>{t('outbox.reportQueued')}</strong>
        </p>
        <p className="muted">{t('outbox.reportQueuedHint')}</p>
        <div className="case-form-row">
          <button type="button" className="btn" onClick={onCancel}>
            {t('outbox.close')}
          </button>
        </div>
      </div>
    );

  return (
    <form
      className="case-form"
      data-testid="case-report"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="case-form-field">
        <span>{t('cases.report.position')}</span>
        <span className="muted" data-testid="case-report-position">
          {picking
            ? t('cases.report.picking')
            : device?.state === 'locating'
              ? t('cases.report.locating')
              : lngLat
                ? `${lngLat[0].toFixed(6)}, ${lngLat[1].toFixed(6)}`
                : t('cases.report.noPosition')}
          {device?.state === 'located' && device.meters > 0 && ` · ${t('cases.report.accuracy', { meters: device.meters })}`}
        </span>
        {device?.state === 'failed' && (
          <span className="error" role="alert" data-testid="case-report-locate-failed">
            {device.why}
          </span>
        )}
        {geolocation && (
          <button
            type="button"
            className="btn"
            onClick={locateMe}
            disabled={picking || busy || device?.state === 'locating'}
            data-testid="case-report-locate"
          >
            {t('cases.report.locate')}
          </button>
        )}
        <button type="button" className="btn" onClick={() => void pick()} disabled={picking || busy} data-testid="case-report-pick">
          {t('cases.report.pick')}
        </button>
      </div>
      <label className="case-form-field">
        {t('cases.category')}
        <CategorySelect value={category} onChange={setCategory} categories={categories} testId="case-report-category" />
      </label>
      <label className="case-form-field">
        {t('cases.severity')}
        <select
          className="case-input"
          value={severity}
          onChange={(e) => setSeverity(Number(e.target.value))}
          data-testid="case-report-severity"
        >
          {[1, 2, 3, 4].map((s) => (
            <option key={s} value={s}>
              {t(`severity.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="case-form-field">
        {t('cases.filter.source')}
        <select
          className="case-input"
          value={source}
          onChange={(e) => setSource(e.target.value as CaseReport['source'])}
          data-testid="case-report-source"
        >
          {CASE_SOURCES.map((s) => (
            <option key={s} value={s}>
              {t(`cases.source.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {complaint && (
        <fieldset className="case-form-field" data-testid="case-report-citizen">
          <legend>{t('cases.complaint.citizen')}</legend>
          <input
            className="case-input"
            value={citizenName}
            onChange={(e) => setCitizenName(e.target.value)}
            placeholder={t('cases.report.citizenName')}
            aria-label={t('cases.report.citizenName')}
            maxLength={60}
            autoComplete="off"
            data-testid="case-report-citizen-name"
          />
          <input
            className="case-input"
            type="tel"
            value={citizenPhone}
            onChange={(e) => setCitizenPhone(e.target.value)}
            placeholder={t('cases.report.citizenPhone')}
            aria-label={t('cases.report.citizenPhone')}
            maxLength={20}
            autoComplete="off"
            data-testid="case-report-citizen-phone"
          />
        </fieldset>
      )}
      <label className="case-form-field">
        {t('cases.description')}
        <textarea
          className="case-input"
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            setError(null);
          }}
          rows={3}
          maxLength={4000}
          data-testid="case-report-description"
        />
      </label>
      <div className="case-form-field">
        {t('cases.photos.label')}
        <PhotoPicker photos={photos} onChange={setPhotos} disabled={busy} testId="case-report-photos" />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="case-form-row">
        <button type="submit" className="btn primary" disabled={busy || picking} data-testid="case-report-submit">
          {t('cases.report.submit')}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          {t('cases.cancel')}
        </button>
      </div>
    </form>
  );
}
