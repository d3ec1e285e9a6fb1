import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CommunityCode, LngLat } from '../domain/ids';
import type { AdminAreaProperties, CellImportRow, CellProperties, CommunityImportRow } from '../domain/records';
import type { ChinaCrs } from '../geo/crs-china';
import type { TilingProblem } from '../geo/validate-tiling';
import {
  type BoundaryFieldMap,
  type CommunityBoundary,
  guessBoundaryFields,
  rejectedBoundariesGeoJson,
  toCellImports,
  toCommunityImports,
} from '../import/boundary-rows';
import type { BoundaryFile } from '../import/read-boundaries';
import { inGeoWorker } from '../workers/geo-client';
import { CrsSelect } from './crs-select';
import { useErrorText } from './error-text';
import { ProblemList } from './problem-list';
import { saveFile } from './save-file';

export type BoundaryKind = 'cells' | 'communities';

export interface BoundaryImportDialogProps {
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  communities: FeatureCollection<MultiPolygon, AdminAreaProperties> | null;
  /** Writes the cells (one undoable edit); resolves true when they were written. */
  onImportCells(rows: CellImportRow[], allowMultipart: boolean): Promise<boolean>;
  /** Writes the communities; resolves true when they were written. */
  onImportCommunities(rows: CommunityImportRow[]): Promise<boolean>;
  zoomTo(lngLat: LngLat): void;
  onClose(): void;
}

// Problems the database refuses outright; the others are shown and may be fixed after the import.
const BLOCKING = new Set(['overlap', 'invalid']);
const FIELDS: Record<BoundaryKind, (keyof BoundaryFieldMap)[]> = {
  cells: ['code', 'name', 'community', 'households'],
  communities: ['code', 'name'],
};

/** How a row is named in the validation report: its code, or its row number. */
const label = (row: CellImportRow | CommunityImportRow) => ('communityCode' in row ? (row.code ?? `#${row.row}`) : row.code);

/**
 * The boundary import: a GeoJSON, zipped Shapefile or KML file of cells or communities, read in
 * the chosen coordinate system, its fields mapped, rejected rows downloadable, and the validation
 * report shown before anything is written.
 */
export function BoundaryImportDialog(props: BoundaryImportDialogProps) {
  const { t } = useTranslation();
  const describeError = useErrorText();
  const [kind, setKind] = useState<BoundaryKind>('cells');
  const [crs, setCrs] = useState<ChinaCrs>('wgs84');
  const [fileName, setFileName] = useState<string | null>(null);
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [file, setFile] = useState<BoundaryFile | null>(null);
  const [fields, setFields] = useState<BoundaryFieldMap>({});
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<TilingProblem[] | null>(null);
  const [allowMultipart, setAllowMultipart] = useState(false);
  const [busy, setBusy] = useState<null | 'reading' | 'checking' | 'writing'>(null);

  // Read (again) when the file or the coordinate system changes, in a worker.
  useEffect(() => {
    if (!bytes || !fileName) return;
    const abort = new AbortController();
    setBusy('reading');
    setError(null);
    setFile(null);
    inGeoWorker((api) => api.readBoundaries(fileName, bytes, crs), abort.signal)
      .then((read) => {
        if (abort.signal.aborted) return;
        setFile(read);
        setFields((current) => (Object.keys(current).length > 0 ? current : guessBoundaryFields(read.fields, kind)));
      })
      .catch((e: unknown) => !abort.signal.aborted && setError(describeError(e)))
      .finally(() => !abort.signal.aborted && setBusy(null));
    return () => abort.abort();
  }, [bytes, fileName, crs, kind, describeError]);

  const boundaries = useMemo<CommunityBoundary[]>(
    () =>
      (props.communities?.features ?? []).map((f) => ({
        code: f.properties.code as CommunityCode,
        name: f.properties.name,
        geometry: f.geometry,
      })),
    [props.communities],
  );
  const mapped = useMemo(() => {
    if (!file) return null;
    return kind === 'cells' ? toCellImports(file.features, fields, boundaries) : toCommunityImports(file.features, fields);
  }, [file, fields, kind, boundaries]);
  const rejected = useMemo(() => [...(file?.rejected ?? []), ...(mapped?.rejected ?? [])], [file, mapped]);

  // The validation report of what would be written, in a worker.
  useEffect(() => {
    if (!mapped || mapped.rows.length === 0) {
      setProblems(null);
      return;
    }
    const abort = new AbortController();
    setBusy('checking');
    const rows = mapped.rows as (CellImportRow | CommunityImportRow)[];
    const touched = new Set(rows.map((r) => ('communityCode' in r ? r.communityCode : r.code)));
    inGeoWorker(
      (api) =>
        api.validate(
          rows.map((r) => ({
            id: label(r),
            ...('communityCode' in r ? { community: r.communityCode, households: r.households ?? undefined } : {}),
            geometry: r.geometry,
          })),
          kind === 'cells'
            ? { boundaries: boundaries.filter((b) => touched.has(b.code)).map((b) => ({ id: b.code, geometry: b.geometry })) }
            : {},
        ),
      abort.signal,
    )
      .then((found) => !abort.signal.aborted && setProblems(found))
      .catch((e: unknown) => !abort.signal.aborted && setError(describeError(e)))
      .finally(() => !abort.signal.aborted && setBusy(null));
    return () => abort.abort();
  }, [mapped, kind, boundaries, describeError]);

  const blocking = (problems ?? []).filter((p) => BLOCKING.has(p.type));
  const multipart = (problems ?? []).some((p) => p.type === 'multipart');
  const rows = mapped?.rows ?? [];
  const communitiesTouched = new Set(rows.map((r) => ('communityCode' in r ? r.communityCode : r.code)));
  const replaced = props.cells.features.filter((f) => communitiesTouched.has(f.properties.communityCode)).length;
  const canWrite =
    busy === null &&
    problems !== null &&
    rows.length > 0 &&
    blocking.length === 0 &&
    (kind === 'communities' || !multipart || allowMultipart);

  const write = async () => {
    setBusy('writing');
    try {
      const done =
        kind === 'cells'
          ? await props.onImportCells(rows as CellImportRow[], allowMultipart)
          : await props.onImportCommunities(rows as CommunityImportRow[]);
      if (done) props.onClose();
    } finally {
      setBusy(null);
    }
  };

  // Rendered over the whole app, not inside the editing panel it is opened from.
  return createPortal(
    <div className="dialog-backdrop">
      <section
        className="dialog boundary-import"
        role="dialog"
        aria-modal="true"
        aria-label={t('boundary.title')}
        data-testid="boundary-import"
      >
        <header>
          <h2>{t('boundary.title')}</h2>
          <button type="button" className="close" onClick={props.onClose} aria-label={t('import.close')} disabled={busy === 'writing'}>
            ×
          </button>
        </header>
        <div className="import-choose">
          <label>
            {t('boundary.kind')}
            <select
              value={kind}
              disabled={busy !== null}
              onChange={(e) => {
                setKind(e.target.value as BoundaryKind);
                setFields({});
              }}
              data-testid="boundary-kind"
            >
              <option value="cells">{t('boundary.cells')}</option>
              <option value="communities">{t('boundary.communities')}</option>
            </select>
          </label>
          <CrsSelect value={crs} disabled={busy !== null} onChange={setCrs} testId="boundary-crs" />
          <label>
            {t('boundary.file')}
            <span className="file-picker">
              <span className="file-button">{t('import.chooseFile')}</span>
              <span className="file-name">{fileName ?? t('import.noFile')}</span>
              <input
                type="file"
                className="visually-hidden"
                accept=".geojson,.json,.zip,.kml"
                disabled={busy !== null}
                data-testid="boundary-file"
                onChange={async (e) => {
                  const chosen = e.target.files?.[0];
                  if (!chosen) return;
                  setFields({});
                  setFileName(chosen.name);
                  setBytes(new Uint8Array(await chosen.arrayBuffer()));
                }}
              />
            </span>
          </label>
        </div>
        <p className="muted">{t('boundary.formats')}</p>
        {error && (
          <p className="error" role="alert" data-testid="boundary-error">
            {error}
          </p>
        )}
        {busy === 'reading' && <p>{t('import.reading')}</p>}
        {file && (
          <>
            <p className="muted" data-testid="boundary-info">
              {t('boundary.info', { format: t(`boundary.format.${file.format}`), features: file.features.length + file.rejected.length })}
              {file.encoding ? ` · ${t('import.encoding', { encoding: file.encoding.toUpperCase() })}` : ''}
            </p>
            <div className="import-choose">
              {FIELDS[kind].map((key) => (
                <label key={key}>
                  {t(`boundary.field.${key}`)}
                  <select
                    value={fields[key] ?? ''}
                    onChange={(e) => setFields({ ...fields, [key]: e.target.value || undefined })}
                    data-testid={`boundary-field-${key}`}
                  >
                    <option value="">{key === 'community' ? t('boundary.byLocation') : t('boundary.none')}</option>
                    {file.fields.map((f) => (
                      <option key={f} value={f}>
                        {f}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          </>
        )}
        {mapped && (
          <section className="boundary-report" data-testid="boundary-report">
            <p>
              {kind === 'cells'
                ? t('boundary.readyCells', { rows: rows.length, communities: communitiesTouched.size, replaced })
                : t('boundary.readyCommunities', { rows: rows.length })}
            </p>
            {rejected.length > 0 && (
              <div className="error" data-testid="boundary-rejected">
                {t('boundary.rejected', { count: rejected.length })}{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => saveFile([rejectedBoundariesGeoJson(rejected)], `rejected-${kind}.geojson`, 'application/geo+json')}
                  data-testid="boundary-download"
                >
                  {t('boundary.download')}
                </button>
                <ul>
                  {rejected.slice(0, 20).map((r) => (
                    <li key={`${r.row} ${r.field}`}>{t(`boundary.why.${r.why.code}`, { row: r.row, ...r.why })}</li>
                  ))}
                </ul>
              </div>
            )}
            {busy === 'checking' && <p>{t('edit.validating')}</p>}
            {problems && (
              <>
                <h3 data-testid="boundary-problems">
                  {problems.length === 0 ? t('boundary.noProblems') : t('edit.problems', { count: problems.length })}
                </h3>
                <ProblemList problems={problems} zoomTo={props.zoomTo} />
                {blocking.length > 0 && <p className="error">{t('boundary.blocking')}</p>}
              </>
            )}
            {kind === 'cells' && multipart && (
              <label className="check">
                <input
                  type="checkbox"
                  checked={allowMultipart}
                  onChange={(e) => setAllowMultipart(e.target.checked)}
                  data-testid="boundary-allow-multipart"
                />
                {t('edit.allowMultipart')}
              </label>
            )}
            <div className="actions">
              <button type="button" disabled={!canWrite} onClick={write} data-testid="boundary-write">
                {busy === 'writing' ? t('boundary.writing') : t(kind === 'cells' ? 'boundary.writeCells' : 'boundary.writeCommunities')}
              </button>
            </div>
          </section>
        )}
      </section>
    </div>,
    document.querySelector('.workspace') ?? document.body,
  );
}
