import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend, ExportFilter, ExportKind, ExportRow } from '../data/backend';
import type { AppRole } from '../domain/ids';
import type { CellProperties } from '../domain/records';
import type { ChinaCrs } from '../geo/crs-china';
import { exportCellsOf } from '../geo/export-cells';
import { EXPORT_FORMATS, type ExportFormat } from '../geo/export-points';
import { inGeoWorker } from '../workers/geo-client';
import { CrsSelect } from './crs-select';
import { useErrorText } from './error-text';
import { formatCount } from './format';
import { saveFile } from './save-file';

/** Rows read per call: pages by id, so a million rows stream in a hundred calls. */
const PAGE_ROWS = 10_000;

const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json',
  shp: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
};
const EXTENSION: Record<ExportFormat, string> = { csv: 'csv', xlsx: 'xlsx', geojson: 'geojson', shp: 'zip', gpkg: 'gpkg' };

export interface ExportDialogProps {
  backend: Backend;
  role: AppRole | 'anon';
  /** The cells the user sees (their own for a grid worker), WGS-84. */
  cells: FeatureCollection<MultiPolygon, CellProperties> | null;
  /** The cell selected on the map (offered as the scope, with its community). */
  cell: { code: string; name: string; communityCode: string; communityName: string | null } | null;
  onClose(): void;
}

/** What a layer of the export is: the cells, or a point layer. */
type Layer = 'cell' | ExportKind;

/** The layers a role may export (planners and departments: people only as counts, in the cells' export). */
export function exportKinds(role: AppRole | 'anon'): Layer[] {
  const all: Layer[] = ['cell', 'event', 'case', 'place', 'thing', 'organisation', 'person'];
  return role === 'planner' || role === 'department' ? all.filter((k) => k !== 'person') : all;
}

/**
 * Exports the cells (with their shapes) or a point layer (events, cases, places, things,
 * organisations, people) as CSV, XLSX,
 * GeoJSON, a zipped shapefile or a GeoPackage, in WGS-84, GCJ-02 or BD-09, for the district, the selected
 * cell or its community, one category and a period. The database decides what the user may take
 * (their cells, masked names, never personal fields); rows are read page by page with progress,
 * and the file is written in a Web Worker.
 */
export function ExportDialog({ backend, role, cells, cell, onClose }: ExportDialogProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const kinds = exportKinds(role);
  const [kind, setKind] = useState<Layer>(kinds[0] ?? 'event');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [crs, setCrs] = useState<ChinaCrs>('wgs84');
  const [scope, setScope] = useState<'district' | 'cell' | 'community'>('district');
  const [category, setCategory] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [progress, setProgress] = useState<{ rows: number; writing: boolean } | null>(null);
  const [done, setDone] = useState<{ rows: number; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const stop = useRef<AbortController | null>(null);
  const busy = progress !== null;
  const dated = kind === 'event' || kind === 'case' || kind === 'cell';

  const run = async () => {
    const controller = new AbortController();
    stop.current = controller;
    setError(null);
    setDone(null);
    setProgress({ rows: 0, writing: false });
    const filter: ExportFilter = {
      ...(scope === 'cell' && cell ? { cellCode: cell.code } : {}),
      ...(scope === 'community' && cell ? { communityCode: cell.communityCode } : {}),
      ...(category.trim() ? { category: category.trim() } : {}),
      ...(dated && from ? { from: new Date(`${from}T00:00:00`).toISOString() } : {}),
      ...(dated && to ? { to: new Date(`${to}T00:00:00`).toISOString() } : {}),
    };
    try {
      const stamp = new Date().toISOString().slice(0, 10);
      const base = `${kind}-${scope === 'cell' && cell ? cell.code : scope === 'community' && cell ? cell.communityCode : 'district'}-${crs}-${stamp}`;
      if (kind === 'cell') {
        // The cells the map has (what the role may read), in the chosen area.
        const inArea = (cells?.features ?? []).filter((f) =>
          scope === 'cell'
            ? f.properties.code === cell?.code
            : scope === 'community'
              ? f.properties.communityCode === cell?.communityCode
              : true,
        );
        setProgress({ rows: 0, writing: false });
        // The figures of the period (all time when no dates are chosen), the database's as the role allows.
        const figures = await backend.getCellFigures(
          filter.from ?? new Date(0).toISOString(),
          filter.to ?? new Date(Date.now() + 86_400_000).toISOString(),
        );
        if (controller.signal.aborted) return;
        const chosen = exportCellsOf(inArea, figures);
        setProgress({ rows: chosen.length, writing: true });
        const bytes = await inGeoWorker((api) => api.writeCellsExport(chosen, format, crs, base), controller.signal);
        if (controller.signal.aborted) return;
        const name = `${base}.${EXTENSION[format]}`;
        saveFile([bytes as Uint8Array<ArrayBuffer>], name, MIME[format]);
        setDone({ rows: chosen.length, name });
        return;
      }
      const rows: ExportRow[] = [];
      for (let after: string | null = null; ; ) {
        const page: ExportRow[] = await backend.exportPoints(kind, filter, after, PAGE_ROWS);
        if (controller.signal.aborted) return;
        rows.push(...page);
        setProgress({ rows: rows.length, writing: false });
        if (page.length < PAGE_ROWS) break;
        after = page[page.length - 1]?.id ?? null;
      }
      setProgress({ rows: rows.length, writing: true });
      const bytes = await inGeoWorker((api) => api.writeExport(rows, format, crs, base), controller.signal);
      if (controller.signal.aborted) return;
      const name = `${base}.${EXTENSION[format]}`;
      saveFile([bytes as Uint8Array<ArrayBuffer>], name, MIME[format]);
      setDone({ rows: rows.length, name });
    } catch (e) {
      if (!controller.signal.aborted) setError(e);
    } finally {
      if (stop.current === controller) stop.current = null;
      setProgress(null);
    }
  };

  return (
    <div className="dialog-backdrop">
      <section className="dialog export-dialog" role="dialog" aria-modal="true" aria-label={t('exports.title')} data-testid="export-dialog">
        <header>
          <h2>{t('exports.title')}</h2>
          <button type="button" className="close" onClick={onClose} aria-label={t('inspector.close')}>
            ×
          </button>
        </header>
        <p className="muted">
          {t(role === 'command' ? 'exports.aboutCommand' : role === 'planner' ? 'exports.aboutPlanner' : 'exports.about')}
        </p>
        <div className="export-fields">
          <label className="export-field">
            {t('exports.layer')}
            <select value={kind} disabled={busy} onChange={(e) => setKind(e.target.value as Layer)} data-testid="export-kind">
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(k === 'case' ? 'layers.cases' : k === 'cell' ? 'layers.cells' : `kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="export-field">
            {t('exports.format')}
            <select value={format} disabled={busy} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
              {EXPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`exports.formats.${f}`)}
                </option>
              ))}
            </select>
          </label>
          <CrsSelect value={crs} disabled={busy} onChange={setCrs} testId="export-crs" className="export-field" />
          <label className="export-field">
            {t('exports.scope')}
            <select value={scope} disabled={busy} onChange={(e) => setScope(e.target.value as typeof scope)} data-testid="export-scope">
              <option value="district">{t('exports.scopeDistrict')}</option>
              {cell && <option value="cell">{t('exports.scopeCell', { name: cell.name })}</option>}
              {cell?.communityName && <option value="community">{t('exports.scopeCommunity', { name: cell.communityName })}</option>}
            </select>
          </label>
          {kind !== 'cell' && (
            <label className="export-field">
              {t('exports.category')}
              <input
                value={category}
                disabled={busy}
                onChange={(e) => setCategory(e.target.value)}
                placeholder={t('exports.anyCategory')}
                data-testid="export-category"
              />
            </label>
          )}
          {dated && (
            <>
              <label className="export-field">
                {t(kind === 'event' ? 'exports.fromEvent' : kind === 'case' ? 'exports.fromCase' : 'exports.fromFigures')}
                <input type="date" value={from} disabled={busy} onChange={(e) => setFrom(e.target.value)} data-testid="export-from" />
              </label>
              <label className="export-field">
                {t('exports.to')}
                <input type="date" value={to} disabled={busy} onChange={(e) => setTo(e.target.value)} data-testid="export-to" />
              </label>
            </>
          )}
        </div>
        {kind === 'cell' && (
          <p className="export-note" data-testid="export-figures-note">
            {t('exports.figuresNote')}
          </p>
        )}
        <p className="export-actions">
          <button type="button" className="btn primary" disabled={busy} onClick={() => void run()} data-testid="export-run">
            {t('exports.run')}
          </button>
          {busy && (
            <button type="button" className="btn" onClick={() => stop.current?.abort()} data-testid="export-stop">
              {t('exports.stop')}
            </button>
          )}
        </p>
        {progress && (
          <p role="status" data-testid="export-progress">
            {progress.writing
              ? t('exports.writing', { n: formatCount(progress.rows, i18n.language) })
              : t('exports.reading', { n: formatCount(progress.rows, i18n.language) })}
          </p>
        )}
        {done && (
          <p role="status" data-testid="export-done">
            {t('exports.done', { n: formatCount(done.rows, i18n.language), name: done.name })}
          </p>
        )}
        {error !== null && (
          <p className="error" role="alert" data-testid="export-error">
            {errorText(error)}
          </p>
        )}
      </section>
    </div>
  );
}
