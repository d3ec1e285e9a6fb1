import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApplyClassesResult, Backend, CellClassInputs, RiskMatrixEntry, RuleSetVersion } from '../data/backend';
import { runRuleSet } from '../data/run-rule-set';
import { CLASS_INPUTS, type ClassResult, classReason, type RuleSet, ruleSetIssue, ruleSetRisk } from '../domain/classify';
import type { CellCode } from '../domain/ids';
import type { RiskOptions } from '../domain/risk-index';
import { categoryLabel } from '../i18n/categories';
import { useErrorText } from './error-text';

const DEFAULT_RULES: RuleSet = {
  name: '默认分类规则',
  weights: { events: 0.5, households: 0.2, key_persons: 0.1, hazard_sites: 0.1, risk_index: 0.1 },
  normalize: 'rank',
  method: 'quantiles',
  A: 0.15,
  B: 0.3,
  eventDays: 90,
};

export interface ClassifyPanelProps {
  backend: Backend;
  canApply: boolean;
  /** Event categories seen in the data, for the risk matrix. */
  categories: string[];
  onSelectCell(code: CellCode): void;
  /** A saved rule set to show (a cell's class names it); absent: the latest. */
  show?: { name: string; version: number } | null;
  /** After a run was applied: the cells' classes changed. */
  onApplied(): void;
  onClose(): void;
}

interface Preview {
  inputs: CellClassInputs[];
  results: ClassResult[];
  changes: { cell: CellClassInputs; result: ClassResult }[];
  manual: CellClassInputs[];
}

/**
 * A/B/C classification: a rule set (saved versions or a new one), a preview listing every cell
 * whose class would change (manual classes kept, and said so), applying the run as one
 * transaction, and the risk × responsibility matrix of event categories.
 */
export function ClassifyPanel({ backend, canApply, categories, onSelectCell, show, onApplied, onClose }: ClassifyPanelProps) {
  const { t, i18n } = useTranslation();
  const describeError = useErrorText();
  const [tab, setTab] = useState<'rules' | 'matrix'>('rules');
  const [versions, setVersions] = useState<RuleSetVersion[]>([]);
  const [rules, setRules] = useState<RuleSet>(DEFAULT_RULES);
  const [savedId, setSavedId] = useState<number | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [matrix, setMatrix] = useState<RiskMatrixEntry[]>([]);

  useEffect(() => {
    backend
      .listRuleSets()
      .then((v) => {
        setVersions(v);
        const shown = (show && v.find((x) => x.name === show.name && x.version === show.version)) || v[0];
        if (shown) {
          setTab('rules');
          setRules(shown.rules);
          setSavedId(shown.id);
          setPreview(null);
        }
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, [backend, show, describeError]);
  useEffect(() => {
    backend
      .listRiskMatrix()
      .then(setMatrix)
      .catch((e: unknown) => setError(describeError(e)));
  }, [backend, describeError]);

  const issue = ruleSetIssue(rules);
  // A weight's problem names the input as the table does (事件量), not by its key (events).
  const problem = issue
    ? t(`classify.problem.${issue.code}`, issue.code === 'weight' ? { ...issue, input: t(`classify.inputs.${issue.input}`) } : issue)
    : null;
  const riskOptions = ruleSetRisk(rules);
  const edit = (next: Partial<RuleSet>) => {
    setRules((r) => ({ ...r, ...next }));
    setSavedId(null);
    setPreview(null);
    setMessage(null);
  };

  const runPreview = async () => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const { inputs, results } = await runRuleSet(backend, rules);
      const changes = results
        .map((result, i) => ({ cell: inputs[i] as CellClassInputs, result }))
        .filter(({ cell, result }) => cell.classSource === 'rule' && cell.class !== result.class);
      setPreview({ inputs, results, changes, manual: inputs.filter((c) => c.classSource === 'manual') });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const saved = savedId !== null ? (versions.find((v) => v.id === savedId) ?? null) : null;
      const target = saved ?? (await backend.saveRuleSet(rules));
      const result: ApplyClassesResult = await backend.applyCellClasses(
        target.id,
        preview.results.map((r) => ({ code: r.code as CellCode, class: r.class, reason: classReason(r, rules, target.version) })),
      );
      setMessage(t('classify.applied', { ...result, name: target.name, version: target.version }));
      setVersions(await backend.listRuleSets());
      setSavedId(target.id);
      setPreview(null);
      onApplied();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const tally = useMemo(() => {
    if (!preview) return null;
    const manual = new Set<string>(preview.manual.map((c) => c.code));
    const out = { A: 0, B: 0, C: 0 };
    preview.results.forEach((r, i) => {
      const cell = preview.inputs[i] as CellClassInputs;
      out[manual.has(r.code) ? cell.class : r.class]++;
    });
    return out;
  }, [preview]);

  const setQuadrant = async (category: string, risk: 'high' | 'low', responsibility: 'high' | 'low') => {
    try {
      await backend.setRiskMatrixEntry({ category, risk, responsibility, note: matrix.find((m) => m.category === category)?.note ?? '' });
      setMatrix(await backend.listRiskMatrix());
    } catch (e) {
      setError(describeError(e));
    }
  };
  const allCategories = [...new Set([...categories, ...matrix.map((m) => m.category)])].sort();

  return (
    <section className="panel classify-panel" aria-label={t('classify.title')} data-testid="classify-panel">
      <header className="panel-header">
        <h2>{t('classify.title')}</h2>
        <button type="button" className="close" onClick={onClose} aria-label={t('inspector.close')}>
          ×
        </button>
      </header>
      <div className="tabs">
        <button type="button" className={tab === 'rules' ? 'active' : ''} onClick={() => setTab('rules')} data-testid="classify-tab-rules">
          {t('classify.rules')}
        </button>
        <button
          type="button"
          className={tab === 'matrix' ? 'active' : ''}
          onClick={() => setTab('matrix')}
          data-testid="classify-tab-matrix"
        >
          {t('classify.matrix')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {tab === 'rules' && (
        <>
          <label className="field">
            {t('classify.saved')}
            <select
              value={savedId ?? ''}
              onChange={(e) => {
                const v = versions.find((x) => x.id === Number(e.target.value));
                if (v) {
                  setRules(v.rules);
                  setSavedId(v.id);
                  setPreview(null);
                }
              }}
              data-testid="classify-version"
            >
              <option value="">{t('classify.unsaved')}</option>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name} v{v.version}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setRules(DEFAULT_RULES);
              setSavedId(null);
              setPreview(null);
              setMessage(null);
            }}
            data-testid="classify-new"
          >
            {t('classify.new')}
          </button>
          <label className="field">
            {t('classify.name')}
            <input value={rules.name} onChange={(e) => edit({ name: e.target.value })} data-testid="classify-name" />
          </label>
          <table className="weights">
            <tbody>
              {CLASS_INPUTS.map((k) => (
                <tr key={k}>
                  <th scope="row">{t(`classify.inputs.${k}`)}</th>
                  <td>
                    <input
                      type="number"
                      min={0}
                      step={0.05}
                      value={rules.weights[k] ?? 0}
                      onChange={(e) => edit({ weights: { ...rules.weights, [k]: Number(e.target.value) } })}
                      data-testid={`classify-weight-${k}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <label className="field">
              {t('classify.normalize')}
              <select value={rules.normalize} onChange={(e) => edit({ normalize: e.target.value as RuleSet['normalize'] })}>
                {(['rank', 'max', 'none'] as const).map((n) => (
                  <option key={n} value={n}>
                    {t(`classify.normalizeBy.${n}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              {t('classify.method')}
              <select
                value={rules.method}
                onChange={(e) => edit({ method: e.target.value as RuleSet['method'] })}
                data-testid="classify-method"
              >
                <option value="quantiles">{t('classify.quantiles')}</option>
                <option value="thresholds">{t('classify.thresholds')}</option>
              </select>
            </label>
          </div>
          <div className="row">
            <label className="field">
              {rules.method === 'quantiles' ? t('classify.shareA') : t('classify.thresholdA')}
              <input
                type="number"
                step={0.01}
                value={rules.A}
                onChange={(e) => edit({ A: Number(e.target.value) })}
                data-testid="classify-a"
              />
            </label>
            <label className="field">
              {rules.method === 'quantiles' ? t('classify.shareB') : t('classify.thresholdB')}
              <input
                type="number"
                step={0.01}
                value={rules.B}
                onChange={(e) => edit({ B: Number(e.target.value) })}
                data-testid="classify-b"
              />
            </label>
            <label className="field">
              {t('classify.eventDays')}
              <input
                type="number"
                min={1}
                step={1}
                value={rules.eventDays ?? 90}
                onChange={(e) => edit({ eventDays: Number(e.target.value) })}
              />
            </label>
          </div>
          <div className="row">
            <label className="field">
              {t('classify.riskPer')}
              <select
                value={riskOptions.per}
                onChange={(e) => edit({ risk: { ...riskOptions, per: e.target.value as RiskOptions['per'] } })}
                data-testid="classify-risk-per"
              >
                <option value="area">{t('risk.perArea')}</option>
                <option value="residents">{t('risk.perResidents')}</option>
              </select>
            </label>
            <label className="field">
              {t('classify.hazardWeight')}
              <input
                type="number"
                min={0}
                step={0.5}
                value={riskOptions.hazardWeight}
                onChange={(e) => edit({ risk: { ...riskOptions, hazardWeight: Number(e.target.value) } })}
                data-testid="classify-hazard-weight"
              />
            </label>
            <label className="field">
              {t('classify.halfLifeDays')}
              <input
                type="number"
                min={0}
                step={1}
                placeholder={t('classify.noDecay')}
                value={rules.halfLifeDays ?? ''}
                onChange={(e) => edit({ halfLifeDays: e.target.value === '' ? null : Number(e.target.value) })}
                data-testid="classify-half-life"
              />
            </label>
          </div>
          {problem && <p className="error">{problem}</p>}
          <div className="actions">
            <button type="button" disabled={busy || problem !== null} onClick={() => void runPreview()} data-testid="classify-preview">
              {t('classify.preview')}
            </button>
            {canApply && (
              <button type="button" disabled={busy || !preview} onClick={() => void apply()} data-testid="classify-apply">
                {savedId === null ? t('classify.saveAndApply') : t('classify.apply')}
              </button>
            )}
          </div>
          {message && (
            <p className="result" data-testid="classify-result">
              {message}
            </p>
          )}
          {preview && tally && (
            <>
              <p data-testid="classify-summary">
                {t('classify.summary', { ...tally, changed: preview.changes.length, manual: preview.manual.length })}
              </p>
              <div className="table-scroll">
                <table className="changes" data-testid="classify-changes">
                  <thead>
                    <tr>
                      <th>{t('inspector.cell')}</th>
                      <th>{t('classify.change')}</th>
                      <th>{t('classify.score')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.changes.map(({ cell, result }) => (
                      <tr key={cell.code} onClick={() => onSelectCell(cell.code)} className="clickable">
                        <td>{cell.name}</td>
                        <td>
                          {cell.class} → <strong>{result.class}</strong>
                        </td>
                        <td>{result.score.toFixed(3)}</td>
                      </tr>
                    ))}
                    {preview.manual.map((cell) => (
                      <tr key={cell.code} onClick={() => onSelectCell(cell.code)} className="clickable muted">
                        <td>{cell.name}</td>
                        <td>{t('classify.keptManual', { class: cell.class })}</td>
                        <td />
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      )}
      {tab === 'matrix' && (
        <>
          <p className="muted">{t('classify.matrixHelp')}</p>
          <table className="matrix" data-testid="risk-matrix">
            <thead>
              <tr>
                <th>{t('classify.category')}</th>
                <th>{t('classify.quadrant')}</th>
              </tr>
            </thead>
            <tbody>
              {allCategories.map((category) => {
                const entry = matrix.find((m) => m.category === category);
                const value = entry ? `${entry.risk}-${entry.responsibility}` : '';
                return (
                  <tr key={category}>
                    <td>{categoryLabel(category, i18n.language)}</td>
                    <td>
                      <select
                        value={value}
                        disabled={!canApply}
                        onChange={(e) => {
                          const [risk, responsibility] = e.target.value.split('-') as ['high' | 'low', 'high' | 'low'];
                          void setQuadrant(category, risk, responsibility);
                        }}
                        data-testid={`risk-matrix-${category}`}
                      >
                        <option value="" disabled>
                          {t('classify.unplaced')}
                        </option>
                        {(['high-high', 'high-low', 'low-high', 'low-low'] as const).map((q) => (
                          <option key={q} value={q}>
                            {t(`classify.quadrants.${q}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
