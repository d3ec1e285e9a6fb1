import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CellClassInputs, CellDetail, ClassChange } from '../data/backend';
import { useBackend } from '../data/backend-context';
import { CELL_CLASSES, type CellClass } from '../domain/ids';
import { type RiskIndex, riskIndex } from '../domain/risk-index';
import { categoryLabel } from '../i18n/categories';
import { useErrorText } from './error-text';
import { formatDateTime } from './format';

/** Days of events and the half-life the inspector's risk index uses. */
/** The risk index's window and half-life, as the inspector and the zone report show it. */
export const RISK_DAYS = 90;
export const RISK_HALF_LIFE_DAYS = 30;

/**
 * The class side of a cell in the inspector: its risk index with the parts that make it (per km²
 * or per 1,000 residents), the history of its class, and for administrators a manual class with
 * a reason (or handing the cell back to the rules).
 */
export function CellClassSection({ cell, canOverride, onChanged }: { cell: CellDetail; canOverride: boolean; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const describeError = useErrorText();
  const backend = useBackend();
  const [inputs, setInputs] = useState<CellClassInputs | null>(null);
  const [history, setHistory] = useState<ClassChange[]>([]);
  const [per, setPer] = useState<'area' | 'residents'>('area');
  const [overrideClass, setOverrideClass] = useState<CellClass>(cell.class);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!backend) return;
    let cancelled = false;
    Promise.all([
      backend.getCellClassInputs(new Date().toISOString(), RISK_DAYS, RISK_HALF_LIFE_DAYS, cell.code),
      backend.getCellClassHistory(cell.code),
    ])
      .then(([rows, changes]) => {
        if (cancelled) return;
        setInputs(rows[0] ?? null);
        setHistory(changes);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(describeError(e));
      });
    return () => {
      cancelled = true;
    };
  }, [backend, cell.code, describeError]);

  const risk: RiskIndex | null = inputs
    ? riskIndex(
        {
          eventsByCategory: inputs.eventsByCategory,
          hazardSites: inputs.hazardSites,
          residents: inputs.residents,
          areaKm2: inputs.areaKm2,
        },
        { per, hazardWeight: 1 },
      )
    : null;
  const top = risk?.parts[0]?.value ?? 1;

  const act = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
      setReason('');
      onChanged();
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <>
      <h3>{t('risk.title')}</h3>
      {risk && inputs ? (
        <div className="risk" data-testid="inspector-risk">
          <p>
            <strong data-testid="inspector-risk-index">{risk.index.toFixed(1)}</strong>{' '}
            <select value={per} onChange={(e) => setPer(e.target.value as 'area' | 'residents')} data-testid="inspector-risk-per">
              <option value="area">{t('risk.perArea')}</option>
              <option value="residents">{t('risk.perResidents')}</option>
            </select>
          </p>
          <p className="muted">
            {t('risk.explain', { days: RISK_DAYS, halfLife: RISK_HALF_LIFE_DAYS, events: inputs.events, hazards: inputs.hazardSites })}
          </p>
          <ul className="risk-parts">
            {risk.parts.slice(0, 6).map((p) => (
              <li key={p.label}>
                <span className="risk-label">{p.kind === 'hazards' ? t('risk.hazards') : categoryLabel(p.label, i18n.language)}</span>
                <span className="risk-bar" style={{ width: `${Math.max(2, (p.value / top) * 100)}%` }} />
                <span className="risk-value">{p.value.toFixed(1)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="muted">{error ?? t('inspector.loading')}</p>
      )}
      {canOverride && (
        <div className="override" data-testid="inspector-override">
          <h3>{t('risk.override')}</h3>
          <div className="row">
            <select
              value={overrideClass}
              onChange={(e) => setOverrideClass(e.target.value as CellClass)}
              data-testid="inspector-override-class"
            >
              {CELL_CLASSES.map((c) => (
                <option key={c} value={c}>
                  {t(`cellClass.${c}`)}
                </option>
              ))}
            </select>
            <input
              value={reason}
              placeholder={t('risk.reason')}
              onChange={(e) => setReason(e.target.value)}
              data-testid="inspector-override-reason"
            />
          </div>
          <div className="actions">
            <button
              type="button"
              disabled={reason.trim() === ''}
              onClick={() => void act(() => backend?.overrideCellClass(cell.code, overrideClass, reason.trim()) ?? Promise.resolve())}
              data-testid="inspector-override-save"
            >
              {t('risk.setManual')}
            </button>
            {cell.classSource === 'manual' && (
              <button
                type="button"
                className="secondary"
                disabled={reason.trim() === ''}
                onClick={() => void act(() => backend?.clearCellOverride(cell.code, reason.trim()) ?? Promise.resolve())}
                data-testid="inspector-override-clear"
              >
                {t('risk.clearManual')}
              </button>
            )}
          </div>
          {error && <p className="error">{error}</p>}
        </div>
      )}
      {history.length > 0 && (
        <>
          <h3>{t('risk.history')}</h3>
          <ol className="class-history" data-testid="inspector-class-history">
            {history.map((h) => (
              <li key={`${h.changedAt}-${h.source}-${h.toClass}`}>
                {formatDateTime(h.changedAt, i18n.language)} · {h.fromClass ?? '—'} → {h.toClass} · {t(`risk.source.${h.source}`)}
                {h.ruleSet ? ` ${h.ruleSet}` : ''}
                {h.source !== 'rule' && h.reason ? `：${h.reason}` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
