import * as Comlink from 'comlink';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend, EntityImport, ImportResult } from '../data/backend';
import { ENTITY_KINDS, type EntityKind, type LngLat } from '../domain/ids';
import type { ChinaCrs } from '../geo/crs-china';
import { toCsv } from '../import/csv';
import { type ColumnMapping, ENTITY_FIELDS, type EntityImportRow, type ValidatedImport } from '../import/entity-import';
import { type AddressCandidate, type ExternalGeocoderConfig, externalGeocode } from '../import/external-geocoder';
import { type Geocoder, gazetteerGeocoder, geocodeRows } from '../import/geocode-rows';
import { type RejectedRow, rejected } from '../import/read-points';
import type { Reason } from '../import/reasons';
import type { TableSummary } from '../workers/import.worker';
import { createImportWorker } from '../workers/import-client';
import { CrsSelect } from './crs-select';
import { saveFile } from './save-file';

export interface ImportDialogProps {
  backend: Backend;
  /** Online geocoder asked after the gazetteer, or null (offline). */
  geocoder: ExternalGeocoderConfig | null;
  /** Lets the user drop a pin on the map; resolves with its WGS-84 position, or null if cancelled. */
  pickPoint(): Promise<LngLat | null>;
  onImported(kind: EntityKind): void;
  onClose(): void;
}

/** Review rows shown at once; the rest wait their turn. */
const REVIEW_SHOWN = 50;

/**
 * A row whose address matched only uncertainly or not at all: the user picks a candidate, drops a
 * pin on the map, or drops the row.
 */
interface ReviewItem {
  row: EntityImportRow;
  candidates: AddressCandidate[];
  best: AddressCandidate | null;
  values: Record<string, string>;
}
const PRESET_KEY = (kind: EntityKind) => `gridatlas.importMapping.${kind}`;

type Stage =
  | { name: 'choose' }
  | { name: 'reading' }
  | { name: 'mapped'; summary: TableSummary }
  | { name: 'checking'; summary: TableSummary; done: number; total: number; geocoding: boolean }
  | {
      name: 'checked';
      summary: TableSummary;
      ready: EntityImportRow[];
      located: number;
      review: ReviewItem[];
      rejectedRows: RejectedRow[];
      /** Why the online geocoder could not answer some rows (those went to review). */
      geocoderFailures: { count: number; message: string } | null;
    }
  | { name: 'importing'; summary: TableSummary; done: number; total: number }
  | { name: 'done'; summary: TableSummary; result: ImportResult; rejectedRows: RejectedRow[] };

function loadPreset(kind: EntityKind, columns: string[], guessed: ColumnMapping): ColumnMapping {
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
export function ImportDialog({ backend, geocoder, pickPoint, onImported, onClose }: ImportDialogProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<EntityKind>('place');
  const [crs, setCrs] = useState<ChinaCrs>('wgs84');
  const [stage, setStage] = useState<Stage>({ name: 'choose' });
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [error, setError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [pinning, setPinning] = useState<ReviewItem | null>(null);
  const worker = useRef<ReturnType<typeof createImportWorker> | null>(null);

  useEffect(() => {
    worker.current = createImportWorker();
    return () => worker.current?.terminate();
  }, []);

  const reasonLabel = (why: Reason) => {
    const params = 'params' in why ? { ...why.params } : {};
    if ('axis' in params) (params as Record<string, unknown>).axis = t(`reject.axis.${params.axis}`);
    return t(`reject.${why.code}`, params);
  };

  const readFile = async (file: File) => {
    setError(null);
    setStage({ name: 'reading' });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const summary = await worker.current?.api.read(bytes, file.name, kind);
      if (!summary) return;
      setMapping(loadPreset(kind, summary.columns, summary.guessed));
      setStage({ name: 'mapped', summary });
    } catch (err) {
      setError(t('import.error', { message: err instanceof Error ? err.message : String(err) }));
      setStage({ name: 'choose' });
    }
  };

  const check = async (summary: TableSummary) => {
    setError(null);
    localStorage.setItem(PRESET_KEY(kind), JSON.stringify(mapping));
    try {
      const api = worker.current?.api;
      if (!api) return;
      setStage({ name: 'checking', summary, done: 0, total: summary.rowCount, geocoding: false });
      const result: ValidatedImport = await api.validate(
        kind,
        mapping,
        crs,
        Comlink.proxy((done: number, total: number) => setStage({ name: 'checking', summary, done, total, geocoding: false })),
      );
      const ready = [...result.ready];
      const rejectedRows = [...result.rejected];
      const geocoders: Geocoder[] = [gazetteerGeocoder((q, limit) => backend.geocodeAddress(q, limit))];
      if (geocoder) geocoders.push((address, limit) => externalGeocode(geocoder, address, limit));
      const geocoded = await geocodeRows(result.needsGeocoding as EntityImportRow[], geocoders, (done, total) =>
        setStage({ name: 'checking', summary, done, total, geocoding: true }),
      );
      for (const { row, lngLat } of geocoded.located) ready.push({ ...row, lngLat });
      const review: ReviewItem[] = geocoded.review.map(({ row, candidates, best }) => {
        const values = Object.fromEntries(summary.columns.map((c) => [c, ''])) as Record<string, string>;
        values[mapping.external_id ?? 'external_id'] = row.external_id;
        values[mapping.name ?? 'name'] = row.name;
        values[mapping.address ?? 'address'] = row.address;
        return { row, candidates, best, values };
      });
      const located = geocoded.located.length;
      const failure = geocoded.failures[0];
      const geocoderFailures = failure ? { count: geocoded.failures.length, message: failure.message } : null;
      rejectedRows.sort((a, b) => a.row - b.row);
      setStage({ name: 'checked', summary, ready, located, review, rejectedRows, geocoderFailures });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
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
      setError(err instanceof Error ? err.message : String(err));
      setStage({ name: 'checked', summary, ready, located: 0, review: [], rejectedRows, geocoderFailures: null });
    }
  };

  const unmatched = (item: ReviewItem) =>
    rejected(
      item.row.row,
      mapping.address ?? 'address',
      { code: 'address_unmatched', params: { address: item.row.address, best: item.best?.label ?? '', score: item.best?.score ?? 0 } },
      item.values,
    );

  /** Settles one review item: take a position (a candidate's or a dropped pin's), or (null) drop the row as unmatched. */
  const settle = (item: ReviewItem, lngLat: LngLat | null) => {
    setStage((stage) => {
      if (stage.name !== 'checked' || !stage.review.includes(item)) return stage;
      const review = stage.review.filter((r) => r !== item);
      if (lngLat) return { ...stage, review, ready: [...stage.ready, { ...item.row, lngLat }], located: stage.located + 1 };
      return { ...stage, review, rejectedRows: [...stage.rejectedRows, unmatched(item)].sort((a, b) => a.row - b.row) };
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
    const csv = toCsv(
      rows.map((r) => ({ ...r.values, row: r.row, field: r.field, reason: reasonLabel(r.why) })),
      columns,
    );
    // A byte-order mark so that Excel opens the UTF-8 file with its Chinese text intact.
    saveFile([`\uFEFF${csv}`], `rejected-${kind}.csv`, 'text/csv;charset=utf-8');
  };

  const summary = 'summary' in stage ? stage.summary : null;
  const busy = stage.name === 'reading' || stage.name === 'checking' || stage.name === 'importing';
  const fields = ENTITY_FIELDS[kind];
  const rejectedRows = stage.name === 'checked' || stage.name === 'done' ? stage.rejectedRows : [];

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
              disabled={busy || stage.name !== 'choose'}
              onChange={(e) => setKind(e.target.value as EntityKind)}
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
                  const file = e.target.files?.[0];
                  if (file) {
                    setFileName(file.name);
                    void readFile(file);
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
        {summary && (
          <p className="muted" data-testid="import-file-info">
            {t('import.fileInfo', { format: summary.format.toUpperCase(), rows: summary.rowCount, columns: summary.columns.length })}
            {summary.encoding ? ` · ${t('import.encoding', { encoding: summary.encoding.toUpperCase() })}` : ''}
          </p>
        )}
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
                  <tr key={f.field}>
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
              {t('import.summary', { ready: stage.ready.length, located: stage.located, rejected: stage.rejectedRows.length })}
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
            <div className="actions">
              <button
                type="button"
                disabled={stage.ready.length === 0}
                // Rows still waiting for review are not imported: they go with the rejected rows.
                onClick={() =>
                  void runImport(
                    summary,
                    stage.ready,
                    [...stage.rejectedRows, ...stage.review.map(unmatched)].sort((a, b) => a.row - b.row),
                  )
                }
                data-testid="import-submit"
              >
                {t('import.import', { count: stage.ready.length })}
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
                  {rejectedRows.slice(0, 50).map((r) => (
                    <tr key={`${r.row}-${r.field}`}>
                      <td>{r.row}</td>
                      <td>{r.field}</td>
                      <td>{reasonLabel(r.why)}</td>
                    </tr>
                  ))}
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
