import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import { checkIdCard, idCardFacts } from '../domain/id-card';
import type { CellClass, LngLat } from '../domain/ids';
import { householdsOf, type PlatePage as PlatePageData, type PlateResident } from '../domain/plates';
import { categoryLabel } from '../i18n/categories';
import { useErrorText } from './error-text';
import { formatCount, formatDateTime } from './format';
import { classChip } from './now-counters';

export interface PlatePageProps {
  backend: Backend;
  /** The plate's opaque code (what its QR holds). */
  code: string;
  /** Shows the door on the map. */
  onLocate(at: LngLat, cellCode: string | null): void;
  /** Starts a report at the door; absent for those who do not report (planners). */
  onReport?(draft: { lngLat: LngLat; description: string }): void;
  /** Opens a case's page. */
  onCase(id: string): void;
  /** Someone moved in or out: the people on the map and the counts change. */
  onPeopleChanged(): void;
  onClose(): void;
}

/** Today in the browser's time zone, YYYY-MM-DD (what a date input takes). */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A house plate's page (门牌页), what scanning its QR opens: the address, its cell and grid
 * workers, households and residents as the user may see them, the places and organisations
 * there, open cases at the door and the tenancy register; the cell's grid worker records a
 * tenant moving in or a resident moving out, and anyone who reports starts a report at the door.
 */
export function PlatePage({ backend, code, onLocate, onReport, onCase, onPeopleChanged, onClose }: PlatePageProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const errorText = useErrorText();
  const [page, setPage] = useState<PlatePageData | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [moveInOpen, setMoveInOpen] = useState(false);
  const [leaving, setLeaving] = useState<PlateResident | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version asks for the page again after a change
  useEffect(() => {
    let live = true;
    backend.getPlatePage(code).then(
      (p) => {
        if (!live) return;
        setPage(p);
        setError(null);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [backend, code, version]);

  // The door is shown on the map when the page first opens (a scanned plate: where am I).
  const located = useRef(false);
  useEffect(() => {
    if (!page || located.current) return;
    located.current = true;
    onLocate(page.lngLat, page.cellCode);
  }, [page, onLocate]);

  const reload = useCallback(
    (message: string) => {
      setNotice(message);
      setVersion((v) => v + 1);
      onPeopleChanged();
    },
    [onPeopleChanged],
  );

  const n = (v: number) => formatCount(v, lang);
  const header = (
    <header className="cases-head">
      <h2>
        {t('plates.page')} <span className="plate-code">{code}</span>
      </h2>
      <button type="button" className="cases-close" onClick={onClose} aria-label={t('inspector.close')}>
        ×
      </button>
    </header>
  );

  if (page === undefined || page === null) {
    return (
      <section className="panel plate-page" aria-label={t('plates.page')} data-testid="plate-page">
        {header}
        {error ? (
          <p className="error" role="alert">
            {errorText(error)}
          </p>
        ) : page === null ? (
          <p className="error" role="alert" data-testid="plate-missing">
            {t('plates.missing', { code })}
          </p>
        ) : (
          <p className="muted">{t('inspector.loading')}</p>
        )}
      </section>
    );
  }

  const households = page.people ? householdsOf(page.people) : [];
  return (
    <section className="panel plate-page" aria-label={t('plates.page')} data-testid="plate-page">
      {header}
      <p className="plate-address" data-testid="plate-address">
        {page.address}
      </p>
      <dl className="plate-facts">
        <dt>{t('plates.cell')}</dt>
        <dd data-testid="plate-cell">
          {page.cellClass && (
            <span className="class-chip" style={classChip(page.cellClass as CellClass)}>
              {page.cellClass}
            </span>
          )}{' '}
          {page.cellName ?? t('plates.noCell')} {page.cellCode && <span className="muted">{page.cellCode}</span>}
        </dd>
        <dt>{t('plates.area')}</dt>
        <dd>{[page.streetName, page.communityName].filter(Boolean).join(' · ') || '—'}</dd>
        <dt>{t('plates.workers')}</dt>
        <dd data-testid="plate-workers">{page.workers.length > 0 ? page.workers.join('、') : t('plates.noWorker')}</dd>
      </dl>
      <div className="plate-actions">
        <button type="button" className="btn" onClick={() => onLocate(page.lngLat, page.cellCode)} data-testid="plate-locate">
          {t('plates.locate')}
        </button>
        {onReport && (
          <button
            type="button"
            className="btn primary"
            onClick={() => onReport({ lngLat: page.lngLat, description: t('plates.reportDescription', { address: page.address }) })}
            data-testid="plate-report"
          >
            {t('plates.report')}
          </button>
        )}
      </div>
      {notice && (
        <p className="plate-notice" role="status" data-testid="plate-notice">
          {notice}
        </p>
      )}

      <h3 className="plate-heading">{t('plates.residents')}</h3>
      {page.residents ? (
        <p data-testid="plate-counts">
          {t('plates.counts', {
            households: n(page.residents.households),
            residents: n(page.residents.total),
            floating: n(page.residents.floating),
            keyPersons: n(page.residents.keyPersons),
          })}
        </p>
      ) : (
        <p className="muted" data-testid="plate-not-yours">
          {t('plates.notYours')}
        </p>
      )}
      {page.residents && !page.people && <p className="muted">{t('plates.countsOnly')}</p>}
      {page.namesMasked && <p className="muted">{t('plates.masked')}</p>}
      {page.canRecord && !moveInOpen && (
        <button type="button" className="btn" onClick={() => setMoveInOpen(true)} data-testid="plate-move-in-open">
          {t('plates.moveIn')}
        </button>
      )}
      {page.canRecord && moveInOpen && (
        <MoveInForm
          backend={backend}
          code={code}
          rooms={households.map((h) => h.room).filter((r): r is string => !!r)}
          onDone={(name, room, moved) => {
            setMoveInOpen(false);
            reload(t(moved ? 'plates.movedHere' : 'plates.movedIn', { name, room: room || '—' }));
          }}
          onCancel={() => setMoveInOpen(false)}
        />
      )}
      {households.length > 0 && (
        <ul className="plate-households" data-testid="plate-households">
          {households.map((h) => (
            <li key={h.key} className="plate-household">
              {h.room !== null && <div className="plate-room">{h.room || t('plates.noRoom')}</div>}
              <ul className="plate-people">
                {h.people.map((p) => (
                  <li key={p.id} className="plate-person" data-testid="plate-person">
                    <span className="plate-person-name">{p.name}</span>
                    <span className="muted">
                      {[p.gender, p.birthYear && t('plates.born', { year: p.birthYear }), categoryLabel(p.category, lang)]
                        .filter(Boolean)
                        .join(' · ')}
                      {p.movedInOn && ` · ${t('plates.since', { date: p.movedInOn })}`}
                    </span>
                    {p.keyPerson && <span className="plate-key">{t('plates.keyPerson')}</span>}
                    {page.canRecord && (
                      <button
                        type="button"
                        className="btn plate-move-out"
                        onClick={() => setLeaving(p)}
                        data-testid="plate-move-out"
                        aria-label={t('plates.moveOutOf', { name: p.name })}
                      >
                        {t('plates.moveOut')}
                      </button>
                    )}
                    {leaving?.id === p.id && (
                      <MoveOutForm
                        backend={backend}
                        code={code}
                        person={p}
                        onDone={(on) => {
                          setLeaving(null);
                          reload(t('plates.movedOut', { name: p.name, date: on }));
                        }}
                        onCancel={() => setLeaving(null)}
                      />
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}

      {page.entities.length > 0 && (
        <>
          <h3 className="plate-heading">{t('plates.entities')}</h3>
          <ul className="plate-list" data-testid="plate-entities">
            {page.entities.map((e) => (
              <li key={e.id}>
                {e.name}{' '}
                <span className="muted">
                  {t(`kind.${e.kind}`)} · {categoryLabel(e.category, lang)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}

      <h3 className="plate-heading">{t('plates.openCases')}</h3>
      {page.openCases.length === 0 ? (
        <p className="muted" data-testid="plate-no-cases">
          {t('plates.noCases')}
        </p>
      ) : (
        <ul className="plate-list" data-testid="plate-cases">
          {page.openCases.map((c) => (
            <li key={c.id}>
              <button type="button" className="link" onClick={() => onCase(c.id)}>
                {c.code}
              </button>{' '}
              {categoryLabel(c.category, lang)} · {t(`cases.state.${c.state}`)}
              {c.deadlineAt && <span className="muted"> · {t('plates.deadline', { at: formatDateTime(c.deadlineAt, lang) })}</span>}
            </li>
          ))}
        </ul>
      )}

      {page.tenancies && (
        <>
          <h3 className="plate-heading">{t('plates.register')}</h3>
          {page.tenancies.length === 0 ? (
            <p className="muted">{t('plates.registerEmpty')}</p>
          ) : (
            <table className="plate-register" data-testid="plate-register">
              <thead>
                <tr>
                  <th className="plate-register-cell">{t('plates.name')}</th>
                  <th className="plate-register-cell">{t('plates.room')}</th>
                  <th className="plate-register-cell">{t('plates.in')}</th>
                  <th className="plate-register-cell">{t('plates.out')}</th>
                </tr>
              </thead>
              <tbody>
                {page.tenancies.map((r) => (
                  <tr key={r.id}>
                    <td className="plate-register-cell">{r.name}</td>
                    <td className="plate-register-cell">{r.room || '—'}</td>
                    <td className="plate-register-cell">{r.movedInOn ?? t('plates.before')}</td>
                    <td className="plate-register-cell">{r.movedOutOn ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

interface MoveInFormProps {
  backend: Backend;
  code: string;
  /** Rooms of the address already lived in (offered as the room). */
  rooms: string[];
  onDone(name: string, room: string, moved: boolean): void;
  onCancel(): void;
}

/** The grid worker's form for a tenant moving in: name, ID card (checked as typed), phone, room, date. */
function MoveInForm({ backend, code, rooms, onDone, onCancel }: MoveInFormProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [idCard, setIdCard] = useState('');
  const [phone, setPhone] = useState('');
  const [room, setRoom] = useState('');
  const [on, setOn] = useState(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problem = idCard.trim() === '' ? null : checkIdCard(idCard);
  const facts = problem ? null : idCardFacts(idCard);
  const ready = name.trim() !== '' && idCard.trim() !== '' && !problem && facts !== null && !busy;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    backend
      .recordMoveIn(code, {
        name: name.trim(),
        idCardNumber: idCard.trim().toUpperCase(),
        phone: phone.trim(),
        room: room.trim(),
        movedInOn: on,
      })
      .then(
        (r) => onDone(name.trim(), room.trim(), r.moved),
        (e: unknown) => setError(e),
      )
      .finally(() => setBusy(false));
  };

  return (
    <form className="plate-form" onSubmit={submit} data-testid="plate-move-in">
      <label className="case-field">
        {t('plates.name')}
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={50}
          required
          autoComplete="off"
          data-testid="move-in-name"
        />
      </label>
      <label className="case-field">
        {t('plates.idCard')}
        <input
          value={idCard}
          onChange={(e) => setIdCard(e.target.value)}
          maxLength={18}
          inputMode="text"
          autoComplete="off"
          aria-invalid={problem !== null}
          data-testid="move-in-id-card"
        />
      </label>
      {problem && (
        <p className="error" data-testid="move-in-id-card-problem">
          {t(`reject.${problem.code}`, problem.params)}
        </p>
      )}
      {facts && <p className="muted">{t('plates.idCardFacts', { gender: facts.gender, date: facts.birthDate })}</p>}
      <label className="case-field">
        {t('plates.phone')}
        <input value={phone} onChange={(e) => setPhone(e.target.value)} maxLength={30} inputMode="tel" autoComplete="off" />
      </label>
      <label className="case-field">
        {t('plates.room')}
        <input
          value={room}
          onChange={(e) => setRoom(e.target.value)}
          maxLength={30}
          list={`plate-rooms-${code}`}
          placeholder={t('plates.roomExample')}
          data-testid="move-in-room"
        />
        <datalist id={`plate-rooms-${code}`}>
          {rooms.map((r) => (
            <option key={r} value={r} />
          ))}
        </datalist>
      </label>
      <label className="case-field">
        {t('plates.movedInOn')}
        <input type="date" value={on} max={today()} onChange={(e) => setOn(e.target.value)} required />
      </label>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      <div className="plate-actions">
        <button type="submit" className="btn primary" disabled={!ready} data-testid="move-in-submit">
          {busy ? t('plates.saving') : t('plates.moveInSubmit')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('plates.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Asks the day a resident moved out (today by default) and records it. */
function MoveOutForm({
  backend,
  code,
  person,
  onDone,
  onCancel,
}: {
  backend: Backend;
  code: string;
  person: PlateResident;
  onDone(on: string): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [on, setOn] = useState(today);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <form
      className="plate-form plate-move-out-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        backend
          .recordMoveOut(code, person.id, on)
          .then(
            () => onDone(on),
            (e: unknown) => setError(e),
          )
          .finally(() => setBusy(false));
      }}
      data-testid="plate-move-out-form"
    >
      <p>{t('plates.moveOutAsk', { name: person.name })}</p>
      <label className="case-field">
        {t('plates.movedOutOn')}
        <input type="date" value={on} max={today()} min={person.movedInOn} onChange={(e) => setOn(e.target.value)} required />
      </label>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      <div className="plate-actions">
        <button type="submit" className="btn primary" disabled={busy} data-testid="move-out-submit">
          {t('plates.moveOutSubmit')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('plates.cancel')}
        </button>
      </div>
    </form>
  );
}
