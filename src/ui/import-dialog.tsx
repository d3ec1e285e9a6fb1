import * as Comlink from 'comlink';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend, EntityImport } from '../data/backend';
import { ENTITY_KINDS, type EntityKind, type LngLat } from '../domain/ids';
import type { CellProperties } from '../domain/records';
import type { ChinaCrs } from '../geo/crs-china';
import { toCsv } from '../import/csv';
import { TEXT_ENCODINGS, type TextEncodingName } from '../import/decode-text';
import {
  type ColumnMapping,
  ENTITY_FIELDS,
  type EntityImportRow,
  guessKind,
  guessMapping,
  keyedByIdCard,
  missingFields,
  type ValidatedImport,
} from '../import/entity-import';
import { type ExternalGeocoderConfig, externalGeocode } from '../import/external-geocoder';
import { type Geocoder, gazetteerGeocoder, geocodeRows } from '../import/geocode-rows';
import type { RejectedRow } from '../import/read-points';
import type { Reason } from '../import/reasons';
import { type ImportStage, importPlan, progressed, type ReviewItem, splitByArea } from '../state/import-check';
import type { TableSummary } from '../workers/import.worker';
import { createImportWorker } from '../workers/import-client';
import { CrsSelect } from './crs-select';
import { errorText } from './error-text';
import { formatList } from './format';
import { saveFile } from './save-file';

export interface ImportDialogProps {
  backend: Backend;
  /** Online geocoder asked after the gazetteer, or null (offline). */
  geocoder: ExternalGeocoderConfig | null;
  /** Lets the user drop a pin on the map; resolves with its WGS-84 position, or null if cancelled. */
  pickPoint(): Promise<LngLat | null>;
  /** The cells the user works in (all of them for an administrator, their own for a grid worker). */
  cells: FeatureCollection<MultiPolygon, CellProperties> | null;
  onImported(kind: EntityKind): void;
  onClose(): void;
}

/** Review rows shown at once; the rest wait their turn. */
const REVIEW_SHOWN = 50;

const PRESET_KEY = (kind: EntityKind) => `gridatlas.importMapping.${kind}`;

/** Returns the mapping for a kind: guessed from the header, then what the user chose last time for that kind. */
function mappingFor(kind: EntityKind, columns: string[]): ColumnMapping {
  const guessed = guessMapping(kind, columns);
  try {
    const saved = JSON.parse(localStorage.getItem(PRESET_KEY(kind)) ?? '{}') as ColumnMapping;
    const mapping = { ...guessed };
    for (const [field, column] of Object.entries(saved)) if (column && columns.includes(column)) mapping[field] = column;
    return mapping;
  } catch {
    return guessed;
  }
}

function toEntityImport(row: EntityImportRow): EntityImport {
  const [lon, lat] = row.lngLat ?? [Number.NaN, Number.NaN];
  return {
    external_id: row.external_id,
    name: row.name,
    category: row.category,
    risk_level: row.risk_level,
    lon,
    lat,
    attributes: row.attributes,
    personal: row.personal,
  };
}

/**
 * The import screen: kind, file and coordinate system; the column mapping (guessed from the
 * header, remembered per kind); a preview; the check (in a Web Worker) with every rejected row
 * listed and downloadable; geocoding of rows that only have an address; and the import with
 * progress and its result (new, updated, unchanged).
 */
export function ImportDialog({ backend, geocoder, pickPoint, cells, onImported, onClose }: ImportDialogProps) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<EntityKind>('place');
  /** The kind the file's header pointed to (shown so that the user sees why the kind changed). */
  const [guessedKind, setGuessedKind] = useState<EntityKind | null>(null);
  const [crs, setCrs] = useState<ChinaCrs>('wgs84');
  const [stage, setStage] = useState<ImportStage>({ name: 'choose' });
  const [keepOutside, setKeepOutside] = useState(false);
  const [triedCheck, setTriedCheck] = useState(false);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [error, setError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [pinning, setPinning] = useState<ReviewItem | null>(null);
  const worker = useRef<ReturnType<typeof createImportWorker> | null>(null);
  /** The file read last, to read again in another encoding. */
  const file = useRef<File | null>(null);
  /** The text encoding the user chose for the file, or 'auto' (judged from its bytes). */
  const [encoding, setEncoding] = useState<TextEncodingName | 'auto'>('auto');

  useEffect(() => {
    worker.current = createImportWorker();
    return () => worker.current?.terminate();
  }, []);
  // Rows are checked against the cells the user works in.
  useEffect(() => {
    void worker.current?.api.setCells(cells?.features ?? []);
  }, [cells]);

  const reasonLabel = (why: Reason) => {
    const params = 'params' in why ? { ...why.params } : {};
    if ('axis' in params) (params as Record<string, unknown>).axis = t(`reject.axis.${params.axis}`);
    return t(`reject.${why.code}`, params);
  };

  /** Reads a file (in `encoding` when the user chose one, else as its bytes suggest) and guesses its fields. */
  const readFile = async (chosen: File, encoding?: TextEncodingName) => {
    file.current = chosen;
    setError(null);
    setTriedCheck(false);
    setStage({ name: 'reading' });
    try {
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      const summary = await worker.current?.api.read(bytes, chosen.name, encoding);
      if (!summary) return;
      // The header says what the file lists (身份证号: people, 统一社会信用代码: organisations …).
      const guessed = guessKind(summary.columns);
      const fileKind = guessed ?? kind;
      setGuessedKind(guessed);
      setKind(fileKind);
      setMapping(mappingFor(fileKind, summary.columns));
      setStage({ name: 'mapped', summary });
    } catch (err) {
      setError(t('import.error', { message: errorText(t, err) }));
      setStage({ name: 'choose' });
    }
  };

  /** Another kind for the file read: its fields, guessed again from the header; checked again. */
  const changeKind = (next: EntityKind) => {
    setKind(next);
    setTriedCheck(false);
    if ('summary' in stage && stage.name !== 'done') {
      setMapping(mappingFor(next, stage.summary.columns));
      setStage({ name: 'mapped', summary: stage.summary });
    }
  };

  const check = async (summary: TableSummary) => {
    setError(null);
    setTriedCheck(true);
    if (missingFields(kind, mapping).length > 0) return;
    try {
      localStorage.setItem(PRESET_KEY(kind), JSON.stringify(mapping));
    } catch {
      // Storage may be refused: the mapping is then not remembered.
    }
    try {
      const api = worker.current?.api;
      if (!api) return;
      setStage({ name: 'checking', summary, done: 0, total: summary.rowCount, geocoding: false });
      const result: ValidatedImport = await api.validate(
        kind,
        mapping,
        crs,
        Comlink.proxy((done: number, total: number) => setStage((s) => progressed(s, done, total, false))),
      );
      const located = [...result.ready];
      const rejectedRows = [...result.rejected];
      const geocoders: Geocoder[] = [gazetteerGeocoder((q, limit) => backend.geocodeAddress(q, limit))];
      if (geocoder) geocoders.push((address, limit) => externalGeocode(geocoder, address, limit));
      const geocoded = await geocodeRows(result.needsGeocoding as EntityImportRow[], geocoders, (done, total) =>
        setStage((s) => progressed(s, done, total, true)),
      );
      for (const { row, lngLat } of geocoded.located) located.push({ ...row, lngLat });
      // Rows placed in none of the user's cells wait for the user's word.
      const inside = await api.inCells(
        Float64Array.from(located, (r) => r.lngLat?.[0] ?? Number.NaN),
        Float64Array.from(located, (r) => r.lngLat?.[1] ?? Number.NaN),
      );
      const { ready, outside } = splitByArea(located, inside);
      const [outsideValues, reviewValues] = await Promise.all([
        api.valuesOf(outside.map((r) => r.row)),
        api.valuesOf(geocoded.review.map((r) => r.row.row)),
      ]);
      const review: ReviewItem[] = geocoded.review.map(({ row, candidates, best }, k) => ({
        row,
        candidates,
        best,
        values: reviewValues[k] ?? {},
      }));
      const failure = geocoded.failures[0];
      const geocoderFailures = failure ? { count: geocoded.failures.length, message: failure.message } : null;
      rejectedRows.sort((a, b) => a.row - b.row);
      setKeepOutside(false);
      setStage({
        name: 'checked',
        summary,
        ready,
        outside: outside.map((row, k) => ({ row, values: outsideValues[k] ?? {} })),
        located: geocoded.located.length,
        review,
        rejectedRows,
        geocoderFailures,
      });
    } catch (err) {
      setError(errorText(t, err));
      setStage({ name: 'mapped', summary });
    }
  };

  const runImport = async (summary: TableSummary, ready: EntityImportRow[], rejectedRows: RejectedRow[]) => {
    setError(null);
    setStage({ name: 'importing', summary, done: 0, total: ready.length });
    try {
      const result = await backend.importEntities(kind, ready.map(toEntityImport), (done, total) =>
        setStage({ name: 'importing', summary, done, total }),
      );
      setStage({ name: 'done', summary, result, rejectedRows });
      onImported(kind);
    } catch (err) {
      setError(errorText(t, err));
      setStage({ name: 'checked', summary, ready, outside: [], located: 0, review: [], rejectedRows, geocoderFailures: null });
    }
  };

  /** Settles one review item: take a position (a candidate's or a dropped pin's), or (null) drop the row as unmatched. */
  const settle = (item: ReviewItem, lngLat: LngLat | null) => {
    setStage((stage) => {
      if (stage.name !== 'checked' || !stage.review.includes(item)) return stage;
      const review = stage.review.filter((r) => r !== item);
      if (lngLat) return { ...stage, review, ready: [...stage.ready, { ...item.row, lngLat }], located: stage.located + 1 };
      const dropped = importPlan({ ...stage, review: [item], outside: [], rejectedRows: [] }, false, addressColumn, positionColumn);
      return { ...stage, review, rejectedRows: [...stage.rejectedRows, ...dropped.rejectedRows].sort((a, b) => a.row - b.row) };
    });
  };

  /** Hides the dialog while the user drops a pin on the map for a review row. */
  const dropPin = async (item: ReviewItem) => {
    setPinning(item);
    const lngLat = await pickPoint();
    setPinning(null);
    if (lngLat) settle(item, lngLat);
  };

  const download = (summary: TableSummary, rows: RejectedRow[]) => {
    const columns = ['row', 'field', 'reason', ...summary.columns.filter((c) => !['row', 'field', 'reason'].includes(c))];
    // A row with several problems names them all, in the order of its columns' checks.
    const csv = toCsv(
      rows.map((r) => ({
        ...r.values,
        row: r.row,
        field: r.problems.map((p) => p.field).join('; '),
        reason: r.problems.map((p) => reasonLabel(p.why)).join('; '),
      })),
      columns,
    );
    // A byte-order mark so that Excel opens the UTF-8 file with its Chinese text intact.
    saveFile([`\uFEFF${csv}`], `rejected-${kind}.csv`, 'text/csv;charset=utf-8');
  };

  const summary = 'summary' in stage ? stage.summary : null;
  const busy = stage.name === 'reading' || stage.name === 'checking' || stage.name === 'importing';
  const fields = ENTITY_FIELDS[kind];
  const missing = missingFields(kind, mapping);
  const byIdCard = keyedByIdCard(kind, mapping);
  const addressColumn = mapping.address ?? 'address';
  const positionColumn = mapping.lon && mapping.lat ? `${mapping.lon},${mapping.lat}` : addressColumn;
  const plan = stage.name === 'checked' ? importPlan(stage, keepOutside, addressColumn, positionColumn) : null;
  const rejectedRows = plan ? plan.listed : stage.name === 'done' ? stage.rejectedRows : [];

  return (
    <div className={pinning ? 'dialog-backdrop pinning' : 'dialog-backdrop'}>
      {pinning && (
        <div className="pin-banner" role="status" data-testid="import-pin-banner">
          {t('import.pinPrompt', { row: pinning.row.row, address: pinning.row.address })}
        </div>
      )}
      <section className="dialog import-dialog" role="dialog" aria-modal="true" aria-label={t('import.title')} data-testid="import-dialog">
        <header>
          <h2>{t('import.title')}</h2>
          <button type="button" className="close" onClick={onClose} aria-label={t('import.close')} disabled={stage.name === 'importing'}>
            ×
          </button>
        </header>
        <div className="import-choose">
          <label>
            {t('import.kind')}
            <select
              value={kind}
              disabled={busy || stage.name === 'done'}
              onChange={(e) => changeKind(e.target.value as EntityKind)}
              data-testid="import-kind"
            >
              {ENTITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <CrsSelect value={crs} disabled={busy} onChange={setCrs} testId="import-crs" />
          <label>
            {t('import.file')}
            {/* The native file button is labelled in the browser's language: show ours instead. */}
            <span className="file-picker">
              <span className="file-button">{t('import.chooseFile')}</span>
              <span className="file-name">{fileName ?? t('import.noFile')}</span>
              <input
                type="file"
                className="visually-hidden"
                accept=".csv,.xlsx,.geojson,.json"
                disabled={busy}
                data-testid="import-file"
                onChange={(e) => {
                  const chosen = e.target.files?.[0];
                  if (chosen) {
                    setFileName(chosen.name);
                    setEncoding('auto');
                    void readFile(chosen);
                  }
                }}
              />
            </span>
          </label>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {stage.name === 'reading' && <p>{t('import.reading')}</p>}
        {summary && guessedKind && (
          <p className="muted" data-testid="import-kind-guessed">
            {t('import.kindGuessed', { kind: t(`kind.${guessedKind}`) })}
          </p>
        )}
        {summary && (
          <p className="muted" data-testid="import-file-info">
            {t('import.fileInfo', { format: summary.format.toUpperCase(), rows: summary.rowCount, columns: summary.columns.length })}
          </p>
        )}
        {fileName && !fileName.toLowerCase().endsWith('.xlsx') ? (
          <label className="import-encoding" data-testid="import-encoding-field">
            {t('import.encodingLabel')}
            <select
              value={encoding}
              disabled={busy || stage.name === 'done'}
              data-testid="import-encoding"
              onChange={(e) => {
                const value = e.target.value as TextEncodingName | 'auto';
                setEncoding(value);
                if (file.current) void readFile(file.current, value === 'auto' ? undefined : value);
              }}
            >
              <option value="auto">
                {summary?.encoding && !summary.encodingChosen
                  ? t('import.encodingAuto', { encoding: summary.encoding.toUpperCase() })
                  : t('import.encodingAutoAgain')}
              </option>
              {TEXT_ENCODINGS.map((e) => (
                <option key={e} value={e}>
                  {e.toUpperCase()}
                </option>
              ))}
            </select>
            <span className="muted">{t('import.encodingHint')}</span>
          </label>
        ) : null}
        {summary && (stage.name === 'mapped' || stage.name === 'checking') && (
          <>
            <h3>{t('import.mapping')}</h3>
            <table className="mapping">
              <thead>
                <tr>
                  <th>{t('import.field')}</th>
                  <th>{t('import.column')}</th>
                </tr>
              </thead>
              <tbody>
                {fields.map((f) => (
                  <tr key={f.field} className={missing.includes(f.field) ? 'missing' : undefined}>
                    <th scope="row">
                      {t(`import.fields.${f.field}`)}
                      {f.required && <span className="muted"> · {t('import.required')}</span>}
                    </th>
                    <td>
                      <select
                        value={mapping[f.field] ?? ''}
                        disabled={busy}
                        data-testid={`import-map-${f.field}`}
                        onChange={(e) => setMapping((m) => ({ ...m, [f.field]: e.target.value || undefined }))}
                      >
                        <option value="">{t('import.none')}</option>
                        {summary.columns.map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{t('import.preview')}</h3>
            <div className="table-scroll">
              <table className="preview" data-testid="import-preview">
                <thead>
                  <tr>
                    {summary.columns.map((c) => (
                      <th key={c}>{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {summary.preview.map((row, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: preview rows have no identity of their own.
                    <tr key={i}>
                      {row.map((v, k) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional.
                        <td key={k}>{v}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {byIdCard && (
              <p className="muted" data-testid="import-by-id-card">
                {t('import.byIdCard')}
              </p>
            )}
            {missing.length > 0 && (triedCheck || stage.name === 'mapped') && (
              <p className={triedCheck ? 'error' : 'muted'} role={triedCheck ? 'alert' : undefined} data-testid="import-missing">
                {t(kind === 'person' && missing.includes('external_id') ? 'import.missingPerson' : 'import.missing', {
                  fields: formatList(
                    missing.map((f) => t(`import.fields.${f}`)),
                    i18n.language,
                  ),
                })}
              </p>
            )}
            <div className="actions">
              <button type="button" disabled={busy} onClick={() => void check(summary)} data-testid="import-validate">
                {t('import.validate')}
              </button>
            </div>
          </>
        )}
        {(stage.name === 'checking' || stage.name === 'importing') && (
          <div className="progress" data-testid="import-progress">
            <progress max={Math.max(1, stage.total)} value={stage.done} />
            <span>
              {stage.name === 'importing'
                ? t('import.importing', { done: stage.done, total: stage.total })
                : stage.geocoding
                  ? t('import.geocoding', { done: stage.done, total: stage.total })
                  : t('import.validating', { done: stage.done, total: stage.total })}
            </span>
          </div>
        )}
        {summary && stage.name === 'checked' && (
          <>
            <p data-testid="import-summary">
              {t('import.summary', { ready: plan?.rows.length ?? 0, located: stage.located, rejected: rejectedRows.length })}
            </p>
            {stage.geocoderFailures && (
              <p className="error" role="alert" data-testid="import-geocoder-failed">
                {t('import.geocoderFailed', { count: stage.geocoderFailures.count, message: stage.geocoderFailures.message })}
              </p>
            )}
            {stage.review.length > 0 && (
              <>
                <h3>{t('import.reviewTitle', { count: stage.review.length })}</h3>
                <table className="review" data-testid="import-review">
                  <thead>
                    <tr>
                      <th>{t('import.row')}</th>
                      <th>{t('import.fields.address')}</th>
                      <th>{t('import.candidates')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stage.review.slice(0, REVIEW_SHOWN).map((item) => (
                      <tr key={item.row.row} data-testid="import-review-row">
                        <td>{item.row.row}</td>
                        <td>{item.row.address}</td>
                        <td className="candidates">
                          {item.candidates.map((c) => (
                            <button type="button" key={c.id} onClick={() => settle(item, c.lngLat)} data-testid="import-candidate">
                              {c.label}{' '}
                              <span className="muted">
                                {c.score === null ? '—' : c.score.toFixed(2)}
                                {c.source === 'external' ? ` · ${t('import.online')}` : ''}
                              </span>
                            </button>
                          ))}
                          {item.candidates.length === 0 && <span className="muted">{t('import.noCandidate')}</span>}
                          <button type="button" className="secondary" onClick={() => void dropPin(item)} data-testid="import-pin">
                            {t('import.dropPin')}
                          </button>
                          <button type="button" className="secondary" onClick={() => settle(item, null)} data-testid="import-drop-row">
                            {t('import.dropRow')}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {stage.review.length > REVIEW_SHOWN && (
                  <p className="muted">{t('import.reviewMore', { count: stage.review.length - REVIEW_SHOWN })}</p>
                )}
              </>
            )}
            {stage.outside.length > 0 && (
              <div className="outside" data-testid="import-outside">
                <h3>{t('import.outsideTitle', { count: stage.outside.length })}</h3>
                <p className="muted">{t('import.outsideHint')}</p>
                <ul className="outside-rows">
                  {stage.outside.slice(0, 5).map(({ row }) => (
                    <li key={row.row}>
                      {t('import.outsideRow', {
                        row: row.row,
                        name: row.name,
                        lon: row.lngLat?.[0].toFixed(6),
                        lat: row.lngLat?.[1].toFixed(6),
                      })}
                    </li>
                  ))}
                  {stage.outside.length > 5 && <li className="muted">{t('import.outsideMore', { count: stage.outside.length - 5 })}</li>}
                </ul>
                <fieldset className="choice">
                  <legend className="visually-hidden">{t('import.outsideTitle', { count: stage.outside.length })}</legend>
                  <label>
                    <input
                      type="radio"
                      name="outside"
                      checked={!keepOutside}
                      onChange={() => setKeepOutside(false)}
                      data-testid="import-outside-drop"
                    />
                    {t('import.outsideDrop')}
                  </label>
                  <label>
                    <input
                      type="radio"
                      name="outside"
                      checked={keepOutside}
                      onChange={() => setKeepOutside(true)}
                      data-testid="import-outside-keep"
                    />
                    {t('import.outsideKeep')}
                  </label>
                </fieldset>
              </div>
            )}
            <div className="actions">
              {/* Rows still waiting for review are not imported: they go with the rejected rows. */}
              <button
                type="button"
                disabled={!plan || plan.rows.length === 0}
                onClick={() => plan && void runImport(summary, plan.rows, plan.rejectedRows)}
                data-testid="import-submit"
              >
                {t('import.import', { count: plan?.rows.length ?? 0 })}
              </button>
            </div>
          </>
        )}
        {stage.name === 'done' && (
          <p className="result" data-testid="import-result">
            {t('import.result', { ...stage.result })}
          </p>
        )}
        {summary && rejectedRows.length > 0 && (
          <>
            <h3>{t('import.rejectedTitle', { shown: Math.min(50, rejectedRows.length), total: rejectedRows.length })}</h3>
            <div className="table-scroll">
              <table className="rejected" data-testid="import-rejected">
                <thead>
                  <tr>
                    <th>{t('import.row')}</th>
                    <th>{t('import.column')}</th>
                    <th>{t('import.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rejectedRows.slice(0, 50).flatMap((r) =>
                    r.problems.map((p, k) => (
                      <tr key={`${r.row}-${p.field}-${p.why.code}`} className={k > 0 ? 'same-row' : undefined}>
                        <td>{k === 0 ? r.row : ''}</td>
                        <td>{p.field}</td>
                        <td>{reasonLabel(p.why)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
            <div className="actions">
              <button type="button" onClick={() => download(summary, rejectedRows)} data-testid="import-download">
                {t('import.download')}
              </button>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
