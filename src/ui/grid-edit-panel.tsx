import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Backend, BackendError, type CellEditPreview, type CellEditPreviewRequest, type CellHistoryEntry } from '../data/backend';
import type { CellCode, CommunityCode, LngLat } from '../domain/ids';
import type {
  AdminAreaProperties,
  CellEditResult,
  CellImportRow,
  CellProperties,
  CellVersion,
  CommunityImportRow,
} from '../domain/records';
import { type DrawnCellPreview, placeDrawnCell } from '../geo/draw-cell';
import { equalAreaCuts } from '../geo/equal-area-cuts';
import type { FixedCell } from '../geo/fix-tiling';
import { moveSharedVertices } from '../geo/move-shared-vertex';
import type { SizeRule, TilingCell, TilingProblem } from '../geo/validate-tiling';
import type { EditHistory, EditHistoryAction, EditStep } from '../state/edit-history';
import { inGeoWorker } from '../workers/geo-client';
import { BoundaryImportDialog } from './boundary-import-dialog';
import { CellHistory } from './cell-history';
import { errorText } from './error-text';
import { formatCount, formatList } from './format';
import { ProblemList } from './problem-list';
import { loadSizeRule, SizeRuleFields } from './size-rule-fields';

export interface GridEditPanelProps {
  backend: Backend;
  cells: FeatureCollection<MultiPolygon, CellProperties>;
  communities: FeatureCollection<MultiPolygon, AdminAreaProperties> | null;
  /** Cells picked on the map (shift-click adds), in picking order. */
  picked: CellCode[];
  onPick(codes: CellCode[]): void;
  /** Shared vertices dragged on the map (one, or both ends of an edge; storage coordinates); a new seq is a new move. */
  vertexMove: { moves: { from: LngLat; to: LngLat }[]; seq: number } | null;
  /** How near a vertex must be to count as the dragged one (1e-9° when the map shows WGS-84). */
  vertexToleranceDegrees: number;
  /** Lets the user draw a line on the map; null when cancelled. */
  drawLine(): Promise<LineString | null>;
  /** Lets the user draw a polygon, corners snapped within `snapMeters` (0: off); null when cancelled. */
  drawPolygon(snapMeters: number): Promise<Polygon | null>;
  /** Shapes to show over the map: problems (red) or a past shape (blue). */
  onOverlay(shapes: FeatureCollection): void;
  zoomTo(lngLat: LngLat): void;
  /** The cells (and communities) changed in the database (an edit, an import, or someone else's edit found): load them again. */
  onChanged(): Promise<void>;
  /** The user's undo and redo, kept with the session (closing the panel keeps them). */
  history: EditHistory;
  onHistory(action: EditHistoryAction): void;
  onClose(): void;
}

type Busy = null | 'draw' | 'draw-cell' | 'edit' | 'validate';

/** A split, merge or transfer previewed by the database, waiting for the admin to commit it. */
interface PendingEdit {
  preview: CellEditPreview;
  commit(): Promise<CellEditResult>;
}

/** A drawn cell waiting for the admin to commit it. */
interface PendingCell {
  shape: Polygon;
  community: CommunityCode;
  preview: DrawnCellPreview;
}

/** The admin's grid editing panel: split, merge, give away, move, undo/redo, validate and fix, history. */
export function GridEditPanel(props: GridEditPanelProps) {
  const { backend, cells, picked } = props;
  const { t, i18n } = useTranslation();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [problems, setProblems] = useState<TilingProblem[] | null>(null);
  const [target, setTarget] = useState<CommunityCode | ''>('');
  const [parts, setParts] = useState(2);
  const [snapMeters, setSnapMeters] = useState(5);
  const [pending, setPending] = useState<PendingCell | null>(null);
  const [allowMultipart, setAllowMultipart] = useState(false);
  const [importing, setImporting] = useState(false);
  const [pendingEdit, setPendingEdit] = useState<PendingEdit | null>(null);
  const [fixConfirm, setFixConfirm] = useState<{ fixed: FixedCell[]; pieces: string[] } | null>(null);
  const [sizeRule, setSizeRule] = useState<SizeRule>(loadSizeRule);

  const byCode = useMemo(() => new Map(cells.features.map((f) => [f.properties.code, f])), [cells]);
  const versionOf = (code: CellCode): CellVersion => ({ code, version: byCode.get(code)?.properties.version ?? 0 });
  const undoStep = props.history.undo.at(-1);
  const redoStep = props.history.redo.at(-1);
  /** What a step reverts, as the user knows it: "#12 拆分 (430199001001005, …)". */
  const stepText = (key: 'edit.undoWhat' | 'edit.redoWhat', step: EditStep) =>
    t(key, {
      edit: step.editId,
      operation: t(`edit.operation.${step.operation}`),
      codes: formatList(step.codes.length > 3 ? [...step.codes.slice(0, 3), '…'] : step.codes, i18n.language),
      count: step.codes.length,
    });
  const first = picked[0];
  const firstCell = first ? byCode.get(first) : undefined;

  const why = () => reason.trim() || t('edit.defaultReason');

  // A previewed edit belongs to the cells it was previewed for: picking others drops it.
  const previewFor = useRef<readonly CellCode[] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new pick drops the preview.
  useEffect(() => {
    if (previewFor.current && previewFor.current.join() !== picked.join()) {
      previewFor.current = null;
      setPendingEdit(null);
      props.onOverlay({ type: 'FeatureCollection', features: [] });
    }
  }, [picked]);

  // A vertex dropped on the map: every cell that shares it changes together.
  // biome-ignore lint/correctness/useExhaustiveDependencies: seq alone says a new move arrived.
  useEffect(() => {
    const move = props.vertexMove;
    if (!move) return;
    const moved = moveSharedVertices(
      cells.features.map((f) => ({ id: f.properties.code, geometry: f.geometry })),
      move.moves,
      props.vertexToleranceDegrees,
    );
    if (moved.length === 0) return;
    void run(() =>
      backend.reshapeCells(
        moved.map((m) => ({ ...versionOf(m.id as CellCode), geometry: m.geometry })),
        why(),
      ),
    );
  }, [props.vertexMove?.seq]);

  /** Runs an edit; on success records it for undo, on a conflict reloads and says so. */
  const run = async (edit: () => Promise<CellEditResult | null>, kind: 'do' | 'undo' | 'redo' = 'do'): Promise<boolean> => {
    setBusy('edit');
    setMessage(null);
    try {
      const result = await edit();
      if (!result) return false;
      props.onHistory({ type: kind === 'do' ? 'done' : kind === 'undo' ? 'undone' : 'redone', result });
      // The database classed the written cells by the latest rule set in the same transaction.
      const run = result.reclassified;
      const reclassified = run
        ? t('edit.reclassified', { name: run.ruleSet.name, version: run.ruleSet.version, changed: run.changed })
        : '';
      await props.onChanged();
      props.onPick(result.cells.map((c) => c.code));
      setProblems(null);
      props.onOverlay({ type: 'FeatureCollection', features: [] });
      setMessage({
        tone: 'ok',
        text:
          t(`edit.done.${result.operation}`, {
            codes: formatList(
              result.cells.map((c) => c.code),
              i18n.language,
            ),
            edit: result.editId,
          }) + reclassified,
      });
      return true;
    } catch (error) {
      const conflict = error instanceof BackendError && error.code === 'conflict';
      if (error instanceof BackendError && error.code === 'confirm') {
        // The database found a cell that would be left in pieces: ask, then the admin may commit again.
        setAllowMultipart(false);
        setMessage({ tone: 'error', text: t('edit.confirmMultipart', { message: error.message }) });
        return false;
      }
      setMessage({ tone: 'error', text: conflict ? t('edit.conflict', { message: error.message }) : errorText(t, error) });
      // A step the database will not revert (its cells changed since, or it is gone) leaves the stack.
      if (kind !== 'do' && error instanceof BackendError && ['conflict', 'not_found', 'invalid'].includes(error.code))
        props.onHistory({ type: 'dropped', stack: kind });
      if (conflict) await props.onChanged();
      return false;
    } finally {
      setBusy(null);
    }
  };

  /** Asks the database what the edit would write, shows it, and waits for the admin to commit. */
  const previewThen = async (request: CellEditPreviewRequest, commit: () => Promise<CellEditResult>) => {
    setBusy('edit');
    setMessage(null);
    setPendingEdit(null);
    try {
      const preview = await backend.previewCellEdit(request);
      previewFor.current = picked;
      setPendingEdit({ preview, commit });
      props.onOverlay({
        type: 'FeatureCollection',
        features: preview.cells.map(
          (c): Feature => ({ type: 'Feature', properties: { kind: c.isNew ? 'preview' : 'cut', code: c.code }, geometry: c.geometry }),
        ),
      });
    } catch (error) {
      const conflict = error instanceof BackendError && error.code === 'conflict';
      setMessage({
        tone: 'error',
        text: conflict ? t('edit.conflict', { message: error.message }) : errorText(t, error),
      });
      if (conflict) await props.onChanged();
    } finally {
      setBusy(null);
    }
  };

  const commitEdit = async () => {
    if (!pendingEdit) return;
    const { commit } = pendingEdit;
    setPendingEdit(null);
    await run(commit);
  };

  const cancelEdit = () => {
    setPendingEdit(null);
    props.onOverlay({ type: 'FeatureCollection', features: [] });
  };

  const split = async () => {
    if (!first) return;
    setBusy('draw');
    setMessage({ tone: 'ok', text: t('edit.drawHint') });
    const line = await props.drawLine();
    setBusy(null);
    if (!line) {
      setMessage(null);
      return;
    }
    await previewThen({ operation: 'split', cell: versionOf(first), line }, () => backend.splitCell(versionOf(first), line, why()));
  };

  const splitEqually = async () => {
    if (!first || !firstCell) return;
    let cuts: MultiLineString;
    try {
      cuts = equalAreaCuts(firstCell.geometry, parts);
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(t, error) });
      return;
    }
    await previewThen({ operation: 'split', cell: versionOf(first), line: cuts }, () => backend.splitCell(versionOf(first), cuts, why()));
  };

  /** Draws a new cell, then shows what it takes from whom before anything is written. */
  const drawCell = async () => {
    setPending(null);
    setBusy('draw-cell');
    setMessage({ tone: 'ok', text: t('edit.drawCellHint') });
    const shape = await props.drawPolygon(snapMeters);
    setBusy(null);
    if (!shape) {
      setMessage(null);
      return;
    }
    const placed = placeDrawnCell(
      shape,
      cells.features.map((f) => ({ id: f.properties.code, community: f.properties.communityCode, geometry: f.geometry })),
    );
    const next: PendingCell | null = placed ? { shape, community: placed.community as CommunityCode, preview: placed.preview } : null;
    if (!next) {
      setMessage({ tone: 'error', text: t('edit.drawnOutside') });
      return;
    }
    setPending(next);
    setAllowMultipart(false);
    setMessage(null);
    props.onOverlay({
      type: 'FeatureCollection',
      features: [
        ...next.preview.donors
          .filter((d) => d.rest)
          .map((d): Feature => ({ type: 'Feature', properties: { kind: 'cut', code: d.id }, geometry: d.rest as MultiPolygon })),
        { type: 'Feature', properties: { kind: 'preview' }, geometry: next.preview.cell },
      ],
    });
  };

  const commitCell = async () => {
    if (!pending) return;
    const named = cells.features.filter((f) => f.properties.communityCode === pending.community).map((f) => versionOf(f.properties.code));
    await run(async () => {
      const result = await backend.drawCell(pending.community, pending.shape, named, why(), { allowMultipart });
      setPending(null);
      return result;
    });
  };

  const importCells = (rows: CellImportRow[], multipart: boolean) => {
    const touched = new Set(rows.map((r) => r.communityCode));
    const expected = cells.features.filter((f) => touched.has(f.properties.communityCode)).map((f) => versionOf(f.properties.code));
    return run(() => backend.importCells(rows, expected, why(), { allowMultipart: multipart }));
  };

  const importCommunities = async (rows: CommunityImportRow[]) => {
    setMessage(null);
    try {
      const result = await backend.importCommunities(rows);
      await props.onChanged();
      setMessage({ tone: 'ok', text: t('boundary.communitiesDone', result) });
      return true;
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(t, error) });
      return false;
    }
  };

  const cancelCell = () => {
    setPending(null);
    setMessage(null);
    props.onOverlay({ type: 'FeatureCollection', features: [] });
  };

  const validate = async () => {
    setBusy('validate');
    setMessage(null);
    try {
      const tiling: TilingCell[] = cells.features.map((f) => ({
        id: f.properties.code,
        community: f.properties.communityCode,
        households: f.properties.households,
        geometry: f.geometry,
      }));
      const boundaries = (props.communities?.features ?? []).map((f) => ({ id: f.properties.code, geometry: f.geometry }));
      const found = await inGeoWorker((api) => api.validate(tiling, { boundaries, size: sizeRule }));
      setProblems(found);
      props.onOverlay({
        type: 'FeatureCollection',
        features: found
          .filter((p) => p.geometry)
          .map(
            (p): Feature<Polygon> => ({ type: 'Feature', properties: { kind: 'problem', type: p.type }, geometry: p.geometry as Polygon }),
          ),
      });
    } catch (error) {
      setMessage({ tone: 'error', text: errorText(t, error) });
    } finally {
      setBusy(null);
    }
  };

  const commitFix = (fixed: FixedCell[], allowMultipart: boolean) =>
    run(() =>
      backend.reshapeCells(
        fixed.map((f) => ({ ...versionOf(f.id as CellCode), geometry: f.geometry })),
        why(),
        { mode: 'fix', allowMultipart },
      ),
    );

  const fix = async () => {
    const fixable = (problems ?? []).filter((p) => p.type === 'gap' || p.type === 'overlap');
    if (fixable.length === 0) return;
    const tiling: TilingCell[] = cells.features.map((f) => ({ id: f.properties.code, geometry: f.geometry }));
    const fixed = await inGeoWorker((api) => api.fix(fixable, tiling));
    // A piece given to a neighbour it touches only at a corner makes that cell multi-part: ask.
    const pieces = fixed.filter((f) => f.geometry.coordinates.length > 1).map((f) => f.id);
    if (pieces.length > 0) {
      setFixConfirm({ fixed, pieces });
      return;
    }
    await commitFix(fixed, false);
  };

  const showVersion = (entry: CellHistoryEntry) =>
    props.onOverlay({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { kind: 'history' }, geometry: entry.geometry }],
    });

  const neighbours = (props.communities?.features ?? []).filter(
    (c) =>
      firstCell &&
      c.properties.code !== firstCell.properties.communityCode &&
      c.properties.code.slice(0, 9) === firstCell.properties.communityCode.slice(0, 9),
  );
  const idle = busy === null;
  const communityName = (code: CommunityCode) =>
    props.communities?.features.find((c) => c.properties.code === code)?.properties.name ?? code;
  const fixableCount = (problems ?? []).filter((p) => p.type === 'gap' || p.type === 'overlap').length;

  return (
    <aside className="panel grid-edit" aria-label={t('edit.title')} data-testid="grid-edit">
      <header className="panel-header">
        <h2>{t('edit.title')}</h2>
        <button type="button" className="close" onClick={props.onClose} aria-label={t('inspector.close')} data-testid="edit-close">
          ×
        </button>
      </header>
      <p className="hint">{t('edit.pickHint')}</p>
      <div className="picked" data-testid="edit-picked">
        {picked.length === 0 ? t('edit.nonePicked') : t('edit.picked', { codes: formatList(picked, i18n.language) })}
      </div>
      <label className="field">
        {t('edit.reason')}
        <input value={reason} placeholder={t('edit.defaultReason')} onChange={(e) => setReason(e.target.value)} data-testid="edit-reason" />
      </label>
      <div className="actions">
        <button type="button" disabled={!idle || picked.length !== 1} onClick={split} data-testid="edit-split">
          {busy === 'draw' ? t('edit.drawing') : t('edit.split')}
        </button>
        <button
          type="button"
          disabled={!idle || picked.length < 2}
          onClick={() =>
            previewThen({ operation: 'merge', cells: picked.map(versionOf) }, () => backend.mergeCells(picked.map(versionOf), why()))
          }
          data-testid="edit-merge"
        >
          {t('edit.merge')}
        </button>
        <button
          type="button"
          disabled={!idle || picked.length !== 2}
          onClick={() => {
            const [from, to] = [versionOf(picked[0] as CellCode), versionOf(picked[1] as CellCode)];
            return previewThen({ operation: 'transfer', cell: from, to }, () => backend.transferCell(from, to, why()));
          }}
          data-testid="edit-transfer"
          title={t('edit.transferHint')}
        >
          {t('edit.transfer')}
        </button>
      </div>
      <div className="actions">
        <label className="inline-field">
          {t('edit.parts')}
          <input type="number" min={2} max={50} value={parts} onChange={(e) => setParts(Number(e.target.value))} data-testid="edit-parts" />
        </label>
        <button type="button" disabled={!idle || picked.length !== 1} onClick={splitEqually} data-testid="edit-split-equal">
          {t('edit.splitEqual')}
        </button>
      </div>
      <div className="actions">
        <button type="button" disabled={!idle || pending !== null} onClick={drawCell} data-testid="edit-draw-cell">
          {busy === 'draw-cell' ? t('edit.drawingCell') : t('edit.drawCell')}
        </button>
        <label className="inline-field">
          {t('edit.snap')}
          <input
            type="number"
            min={0}
            max={100}
            value={snapMeters}
            onChange={(e) => setSnapMeters(Math.max(0, Number(e.target.value)))}
            data-testid="edit-snap"
          />
        </label>
      </div>
      {pending && (
        <section className="pending-cell" data-testid="edit-pending">
          <p>
            {t('edit.pendingCell', {
              area: formatCount(Math.round(pending.preview.areaSquareMeters), i18n.language),
              community: communityName(pending.community),
            })}
          </p>
          <ul>
            {pending.preview.donors.map((d) => (
              <li key={d.id}>
                {d.rest === null
                  ? t('edit.donorWhole', { code: d.id })
                  : t(d.parts > 1 ? 'edit.donorPieces' : 'edit.donor', {
                      code: d.id,
                      area: formatCount(Math.round(d.givenSquareMeters), i18n.language),
                      parts: d.parts,
                    })}
              </li>
            ))}
          </ul>
          {pending.preview.donors.some((d) => d.parts > 1) && (
            <label className="check">
              <input
                type="checkbox"
                checked={allowMultipart}
                onChange={(e) => setAllowMultipart(e.target.checked)}
                data-testid="edit-allow-multipart"
              />
              {t('edit.allowMultipart')}
            </label>
          )}
          <div className="actions">
            <button
              type="button"
              disabled={!idle || (pending.preview.donors.some((d) => d.parts > 1) && !allowMultipart)}
              onClick={commitCell}
              data-testid="edit-commit-cell"
            >
              {t('edit.commitCell')}
            </button>
            <button type="button" className="secondary" onClick={cancelCell}>
              {t('edit.cancel')}
            </button>
          </div>
        </section>
      )}
      {pendingEdit && (
        <section className="pending-cell" data-testid="edit-pending-edit">
          <p>{t(`edit.previewOf.${pendingEdit.preview.operation}`)}</p>
          <ul>
            {pendingEdit.preview.cells.map((c) => (
              <li key={c.code}>
                {t(c.isNew ? 'edit.previewNew' : 'edit.previewKept', {
                  code: c.code,
                  area: formatCount(Math.round(c.areaSquareMeters), i18n.language),
                  households: formatCount(c.households, i18n.language),
                })}
              </li>
            ))}
            {pendingEdit.preview.retiredCodes.map((code) => (
              <li key={`retired ${code}`}>{t('edit.previewRetired', { code })}</li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" disabled={!idle} onClick={commitEdit} data-testid="edit-commit">
              {t('edit.commit')}
            </button>
            <button type="button" className="secondary" onClick={cancelEdit}>
              {t('edit.cancel')}
            </button>
          </div>
        </section>
      )}
      <div className="actions">
        <select
          value={target}
          onChange={(e) => setTarget(e.target.value as CommunityCode)}
          disabled={!firstCell}
          aria-label={t('edit.moveTo')}
        >
          <option value="">{t('edit.moveTo')}</option>
          {neighbours.map((c) => (
            <option key={c.properties.code} value={c.properties.code}>
              {c.properties.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!idle || picked.length !== 1 || target === ''}
          onClick={() => run(() => backend.moveCell(versionOf(first as CellCode), target as CommunityCode, why()))}
        >
          {t('edit.move')}
        </button>
      </div>
      <div className="actions">
        <button
          type="button"
          disabled={!idle || !undoStep}
          title={undoStep ? stepText('edit.undoWhat', undoStep) : undefined}
          onClick={() => {
            const step = undoStep as EditStep;
            return run(() => backend.revertCellEdit(step.revertId, t('edit.undoReason', { edit: step.editId })), 'undo');
          }}
          data-testid="edit-undo"
        >
          {t('edit.undo')}
        </button>
        <button
          type="button"
          disabled={!idle || !redoStep}
          title={redoStep ? stepText('edit.redoWhat', redoStep) : undefined}
          onClick={() => {
            const step = redoStep as EditStep;
            return run(() => backend.revertCellEdit(step.revertId, t('edit.redoReason', { edit: step.editId })), 'redo');
          }}
          data-testid="edit-redo"
        >
          {t('edit.redo')}
        </button>
        <button type="button" disabled={!idle} onClick={validate} data-testid="edit-validate">
          {busy === 'validate' ? t('edit.validating') : t('edit.validate')}
        </button>
        <button type="button" disabled={!idle} onClick={() => setImporting(true)} data-testid="edit-import">
          {t('boundary.open')}
        </button>
      </div>
      {(undoStep || redoStep) && (
        <p className="hint undo-what" data-testid="edit-undo-what">
          {[undoStep && stepText('edit.undoWhat', undoStep), redoStep && stepText('edit.redoWhat', redoStep)].filter(Boolean).join('；')}
        </p>
      )}
      <SizeRuleFields rule={sizeRule} onChange={setSizeRule} />
      {importing && (
        <BoundaryImportDialog
          cells={cells}
          communities={props.communities}
          onImportCells={importCells}
          onImportCommunities={importCommunities}
          zoomTo={props.zoomTo}
          onClose={() => setImporting(false)}
        />
      )}
      {message && (
        <p className={`edit-message ${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'} data-testid="edit-message">
          {message.text}
        </p>
      )}
      {problems && (
        <section className="problems" data-testid="edit-problems">
          <h3>
            {problems.length === 0
              ? t('edit.noProblems', { cells: cells.features.length })
              : t('edit.problems', { count: problems.length })}
          </h3>
          <ProblemList problems={problems} zoomTo={props.zoomTo} />
          {fixableCount > 0 && !fixConfirm && (
            <button type="button" disabled={!idle} onClick={fix} data-testid="edit-fix">
              {t('edit.fix', { count: fixableCount })}
            </button>
          )}
          {fixConfirm && (
            <div className="fix-confirm" data-testid="edit-fix-confirm">
              <p>{t('edit.fixMultipart', { codes: formatList(fixConfirm.pieces, i18n.language) })}</p>
              <button
                type="button"
                disabled={!idle}
                onClick={async () => {
                  const { fixed } = fixConfirm;
                  setFixConfirm(null);
                  await commitFix(fixed, true);
                }}
              >
                {t('edit.allowMultipart')}
              </button>{' '}
              <button type="button" onClick={() => setFixConfirm(null)}>
                {t('edit.cancel')}
              </button>
            </div>
          )}
        </section>
      )}
      <CellHistory backend={backend} code={first} version={cells} onShow={showVersion} />
    </aside>
  );
}
