import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import { GOVERNANCE_STAGES, type GovernanceStage, type RiskGovernance, stageProgress } from '../domain/governance';
import { categoryLabel } from '../i18n/categories';
import { CategorySelect } from './category-select';
import { useErrorText } from './error-text';
import { formatCount, formatDateTime } from './format';
import { ClassReason } from './inspector';
import { classChip } from './now-counters';

/** The periods offered, in days. */
export const GOVERNANCE_PERIODS = [30, 90, 365] as const;

export interface GovernancePanelProps {
  backend: Backend;
  /** The cell the panel opened on (null: the district). */
  cell: { code: string; name: string } | null;
  categories: readonly string[];
  /**
   * The hot-spot analysis as the heatmap last computed it (in the browser): each significant
   * cell's class (−3..3) and trend; null when it is not on.
   */
  hotspots: ReadonlyMap<string, { bin: number; trend: string | null }> | null;
  /** The user reads their own cells only (a grid worker): the wider scope is theirs, not the district. */
  ownCellsOnly?: boolean;
  onClose(): void;
}

/**
 * The five stages of whole-process risk governance (风险识别 → 风险评估 → 风险分类 → 风险控制决策 →
 * 风险控制措施实施) for a cell or the district, for one category or all, over a period: what was
 * identified, how it was assessed and classified, what control was decided and carried out, each
 * stage marked done, under way or empty. Figures come from the database (risk_governance), of
 * what the user may read.
 */
export function GovernancePanel({ backend, cell, categories, hotspots, ownCellsOnly = false, onClose }: GovernancePanelProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const lang = i18n.language;
  const [whole, setWhole] = useState(cell === null);
  const [category, setCategory] = useState('');
  const [days, setDays] = useState<number>(90);
  const [data, setData] = useState<RiskGovernance | null>(null);
  const [error, setError] = useState<unknown>(null);
  const code = whole ? null : (cell?.code ?? null);

  useEffect(() => {
    let live = true;
    setData(null);
    backend.getRiskGovernance(code, category === '' ? null : category, days).then(
      (g) => {
        if (!live) return;
        setData(g);
        setError(null);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [backend, code, category, days]);

  const n = (v: number) => formatCount(v, lang);
  const progress = data ? stageProgress(data) : null;

  const body: Record<GovernanceStage, (g: RiskGovernance) => React.ReactNode> = {
    identify: (g) => (
      <>
        <p>
          {t('governance.identify.events', { n: n(g.identify.events) })}
          {g.identify.lastAt && (
            <span className="muted"> · {t('governance.identify.last', { at: formatDateTime(g.identify.lastAt, lang) })}</span>
          )}
        </p>
        {Object.keys(g.identify.bySource).length > 0 && (
          <p className="gov-parts">
            {Object.entries(g.identify.bySource)
              .sort((a, b) => b[1] - a[1])
              .map(([source, count]) => (
                <span key={source}>
                  {t(`source.${source}`, { defaultValue: source })} {n(count)}
                </span>
              ))}
          </p>
        )}
        {g.scope.category === null && g.identify.byCategory.length > 0 && (
          <p className="gov-parts">
            {g.identify.byCategory.map((c) => (
              <span key={c.category}>
                {categoryLabel(c.category, lang)} {n(c.events)}
              </span>
            ))}
          </p>
        )}
        {g.scope.cellCode && (
          <p data-testid="governance-hotspot">
            {hotspots === null
              ? t('governance.identify.hotspotOff')
              : (() => {
                  const h = hotspots.get(g.scope.cellCode);
                  if (!h) return t('governance.identify.hotspotNone');
                  return t('governance.identify.hotspot', {
                    bin: t(`heat.bin.${h.bin}`),
                    trend: h.trend ? ` · ${t(`heat.trend.${h.trend}`)}` : '',
                  });
                })()}
          </p>
        )}
        {/* Hazard sites have no category: they count toward every one, so they show for all categories only. */}
        {g.scope.category === null && <p>{t('governance.identify.hazards', { n: n(g.identify.hazardSites) })}</p>}
      </>
    ),
    assess: (g) => (
      <>
        {g.assess.riskIndex !== null ? (
          <p data-testid="governance-risk">
            {t(ownCellsOnly ? 'governance.assess.cellMine' : 'governance.assess.cell', {
              index: g.assess.riskIndex,
              median: g.assess.districtMedian ?? '—',
              rank: n(g.assess.rank ?? 0),
              cells: n(g.assess.cells),
            })}
          </p>
        ) : (
          <p>
            {t(ownCellsOnly ? 'governance.assess.districtMine' : 'governance.assess.district', {
              median: g.assess.districtMedian ?? '—',
              cells: n(g.assess.cells),
            })}
          </p>
        )}
        <p className="gov-parts">
          {(['1', '2', '3', '4'] as const).map((s) => (
            <span key={s}>
              {t(`severity.${s}`)} {n(g.assess.bySeverity[s])}
            </span>
          ))}
        </p>
      </>
    ),
    classify: (g) => (
      <>
        {g.classify.class && (
          <p>
            <span className="class-chip" style={classChip(g.classify.class)}>
              {t('home.class', { cls: g.classify.class })}
            </span>{' '}
            {t(`risk.source.${g.classify.classSource ?? 'rule'}`)}
            {g.classify.classReason && (
              <span className="muted">
                {' · '}
                <ClassReason cell={{ classSource: g.classify.classSource ?? 'rule', classReason: g.classify.classReason }} />
              </span>
            )}
          </p>
        )}
        {g.classify.byClass && (
          <p className="gov-parts">
            {(['A', 'B', 'C'] as const).map((c) => (
              <span key={c} className="class-chip" style={classChip(c)}>
                {t('home.class', { cls: c })} {n(g.classify.byClass?.[c] ?? 0)}
              </span>
            ))}
          </p>
        )}
        {g.scope.category !== null &&
          (g.classify.quadrant ? (
            <p data-testid="governance-quadrant">
              <strong>{t(`classify.quadrants.${g.classify.quadrant.risk}-${g.classify.quadrant.responsibility}`)}</strong>
              {' · '}
              {t(`governance.quadrant.${g.classify.quadrant.risk}-${g.classify.quadrant.responsibility}`)}
              {g.classify.quadrant.note && <span className="muted"> · {g.classify.quadrant.note}</span>}
            </p>
          ) : (
            <p className="muted" data-testid="governance-quadrant">
              {t('governance.classify.unplaced')}
            </p>
          ))}
      </>
    ),
    decide: (g) => (
      <>
        <p data-testid="governance-decide">
          {t('governance.decide.cases', {
            n: n(g.decide.cases),
            registered: n(g.decide.registered),
            rejected: n(g.decide.rejected),
            dispatched: n(g.decide.dispatched),
          })}
          {g.decide.escalated > 0 && ` · ${t('governance.decide.escalated', { n: n(g.decide.escalated) })}`}
          {g.decide.whistles > 0 && ` · ${t('governance.decide.whistles', { n: n(g.decide.whistles) })}`}
        </p>
        {g.decide.byDepartment.length > 0 && (
          <p className="gov-parts">
            {g.decide.byDepartment.map((d) => (
              <span key={d.departmentId}>
                {d.name} {n(d.cases)}
              </span>
            ))}
          </p>
        )}
      </>
    ),
    carryOut: (g) => (
      <>
        <p data-testid="governance-carry-out">
          {t('governance.carryOut.cases', {
            open: n(g.carryOut.open),
            inProgress: n(g.carryOut.inProgress),
            answered: n(g.carryOut.answered),
            closed: n(g.carryOut.closed),
          })}
          {g.carryOut.overdue > 0 && <span className="alarm"> · {t('governance.carryOut.overdue', { n: n(g.carryOut.overdue) })}</span>}
        </p>
        {g.carryOut.medianHoursToClose !== null && <p>{t('governance.carryOut.median', { hours: g.carryOut.medianHoursToClose })}</p>}
        <p>
          {t('governance.carryOut.patrols', { n: n(g.carryOut.patrols) })}
          {g.carryOut.lastPatrolAt && (
            <span className="muted"> · {t('governance.carryOut.lastPatrol', { at: formatDateTime(g.carryOut.lastPatrolAt, lang) })}</span>
          )}
        </p>
      </>
    ),
  };

  return (
    <section className="panel governance-panel" aria-label={t('governance.title')} data-testid="governance-panel">
      <header className="cases-head">
        <h2>{t('governance.title')}</h2>
        <button type="button" className="cases-close" onClick={onClose} aria-label={t('inspector.close')}>
          ×
        </button>
      </header>
      <div className="gov-controls">
        {cell && (
          <fieldset className="gov-scope" aria-label={t('governance.scope')}>
            <button
              type="button"
              className={`btn gov-scope-choice${whole ? '' : ' active'}`}
              aria-pressed={!whole}
              onClick={() => setWhole(false)}
              data-testid="governance-cell"
            >
              {cell.name}
            </button>
            <button
              type="button"
              className={`btn gov-scope-choice${whole ? ' active' : ''}`}
              aria-pressed={whole}
              onClick={() => setWhole(true)}
              data-testid="governance-district"
            >
              {t(ownCellsOnly ? 'governance.mine' : 'governance.district')}
            </button>
          </fieldset>
        )}
        <label className="case-field">
          {t('governance.category')}
          <CategorySelect
            value={category}
            onChange={setCategory}
            categories={categories}
            any={{ value: '', label: t('governance.allCategories') }}
            testId="governance-category"
          />
        </label>
        <label className="case-field">
          {t('governance.period')}
          <select className="case-input" value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="governance-days">
            {GOVERNANCE_PERIODS.map((d) => (
              <option key={d} value={d}>
                {t('governance.days', { n: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      {data === null && error === null && <p className="muted">{t('inspector.loading')}</p>}
      {data && progress && (
        <ol className="gov-stages" data-testid="governance-stages">
          {GOVERNANCE_STAGES.map((stage, i) => (
            <li
              key={stage}
              className={`gov-stage ${progress[stage]}`}
              data-testid={`governance-stage-${stage}`}
              data-progress={progress[stage]}
            >
              <div className="gov-stage-head">
                <span className="gov-step" aria-hidden="true">
                  {i + 1}
                </span>
                <strong>{t(`governance.stage.${stage}`)}</strong>
                <span className="gov-progress">{t(`governance.progress.${progress[stage]}`)}</span>
              </div>
              <div className="gov-stage-body">{body[stage](data)}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
