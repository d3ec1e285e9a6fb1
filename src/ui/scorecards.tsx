import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import {
  type Scorecards as Cards,
  SCORECARD_GROUPS,
  SCORECARD_METRICS,
  SCORECARD_STAGES,
  type Scorecard,
  type ScorecardGroup,
  type ScorecardMetric,
} from '../domain/cases';
import type { PeriodPreset } from '../domain/periods';
import { useErrorText } from './error-text';
import { formatCount, formatPercent } from './format';
import { PeriodField, usePeriodQuery } from './period-query';
import { downloadTable } from './table-export';

export interface ScorecardsProps {
  backend: Backend;
  /** The command centre and administrators change the weights of the score. */
  canEdit: boolean;
}

const number = (v: number | null | undefined, language: string) =>
  v === null || v === undefined ? '—' : new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(v);

/**
 * Scorecards (评价考核) of a period per department, street or grid worker: the ranking by score,
 * and for a chosen row every figure behind it (steps on time and late, returns, overdue now,
 * median working hours per stage, whistle calls, complaint rates) with the score's sum written
 * out rate by rate from the rules in the database. Downloads as CSV or XLSX.
 */
export function Scorecards({ backend, canEdit }: ScorecardsProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [group, setGroup] = useState<ScorecardGroup>('department');
  const [preset, setPreset] = useState<PeriodPreset>('quarter');
  const [open, setOpen] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [ruleMetric, setRuleMetric] = useState<ScorecardMetric>('on_time_rate');
  const [ruleWeight, setRuleWeight] = useState('');
  const lang = i18n.language;

  const {
    data: cards,
    error,
    setError,
    loading,
  } = usePeriodQuery<Cards>(preset, (from, to) => backend.getScorecards(group, from, to), [backend, group, reload]);

  const saveRule = async () => {
    const weight = ruleWeight.trim() === '' ? null : Number(ruleWeight);
    try {
      await backend.setScorecardRule(group, ruleMetric, weight);
      setRuleWeight('');
      setReload((n) => n + 1);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const weightSum = cards?.rules.reduce((s, r) => s + Number(r.weight), 0) ?? 0;
  const onTimeOf = (c: Scorecard) => c.rates.on_time_rate ?? null;

  const download = (format: 'csv' | 'xlsx') => {
    if (!cards) return;
    const metric = (m: string) => t(`cases.scorecards.metric.${m}`);
    const columns = [
      t('cases.rates.rank'),
      t(`cases.scorecards.group.${cards.group}`),
      t('cases.scorecards.score'),
      t('cases.scorecards.received'),
      t('cases.scorecards.reported'),
      t('cases.scorecards.answered'),
      t('cases.scorecards.verified'),
      t('cases.scorecards.reopened'),
      t('cases.scorecards.returned'),
      t('cases.scorecards.steps'),
      t('cases.scorecards.onTime'),
      t('cases.scorecards.late'),
      t('cases.scorecards.overdueNow'),
      ...SCORECARD_STAGES.map((s) => t('cases.scorecards.medianOf', { stage: t(`cases.state.${s}`) })),
      t('cases.scorecards.whistleCalls'),
      t('cases.scorecards.whistleInTime'),
      t('cases.scorecards.whistleMissed'),
      t('cases.scorecards.whistleRating'),
      t('cases.rates.complaints'),
      ...cards.rules.map((r) => `${metric(r.metric)} (${r.weight})`),
    ];
    const rows = cards.rows.map((c) => [
      c.rank,
      c.name,
      c.score,
      c.received,
      c.reported,
      c.answered,
      c.verified,
      c.reopened,
      c.returned,
      c.steps,
      c.onTime,
      c.late,
      c.overdueNow,
      ...SCORECARD_STAGES.map((s) => c.medianHours[s] ?? null),
      c.whistleCalls,
      c.whistleAcknowledgedInTime,
      c.whistleMissed,
      c.whistleMeanRating,
      c.complaints,
      ...cards.rules.map((r) => c.rates[r.metric] ?? null),
    ]);
    const day = (iso: string) => iso.slice(0, 10);
    downloadTable(
      { columns, rows },
      `scorecards-${cards.group}-${day(cards.from)}-${day(cards.to)}`,
      format,
      t('cases.scorecards.title'),
    ).catch((e: unknown) => setError(errorText(e)));
  };

  const details = (c: Scorecard) => {
    const counted = cards?.rules.filter((r) => c.rates[r.metric] !== undefined) ?? [];
    type Line = [string, number | string];
    const when = (ok: boolean, ...lines: Line[]): Line[] => (ok ? lines : []);
    const counts: Line[] = [
      ...when(cards?.group === 'department', ['received', c.received]),
      ...when(cards?.group !== 'department', ['reported', c.reported]),
      ...when(cards?.group !== 'worker', ['answered', c.answered]),
      ...when(cards?.group !== 'department', ['verified', c.verified]),
      ['reopened', c.reopened],
      ['returned', c.returned],
      ['steps', `${formatCount(c.onTime, lang)} / ${formatCount(c.late, lang)}`],
      ['overdueNow', c.overdueNow],
      ...when(
        cards?.group !== 'worker',
        [
          'whistleCalls',
          `${formatCount(c.whistleCalls, lang)} · ${formatCount(c.whistleAcknowledgedInTime, lang)} · ${formatCount(c.whistleMissed, lang)}`,
        ],
        ['whistleRating', number(c.whistleMeanRating, lang)],
        ['complaints', c.complaints],
      ),
    ];
    return (
      <div className="scorecard-details" data-testid="scorecard-details">
        <dl className="case-facts">
          {counts.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{t(`cases.scorecards.detail.${k}`)}</dt>
              <dd>{typeof v === 'number' ? formatCount(v, lang) : v}</dd>
            </Fragment>
          ))}
          <dt>{t('cases.scorecards.medianHours')}</dt>
          <dd>
            {SCORECARD_STAGES.filter((s) => c.medianHours[s] !== undefined)
              .map((s) => `${t(`cases.state.${s}`)} ${number(c.medianHours[s], lang)}`)
              .join(' · ') || '—'}
          </dd>
        </dl>
        <table className="scorecard-sum" data-testid="scorecard-sum">
          <tbody>
            {counted.map((r) => (
              <tr key={r.metric}>
                <td>{t(`cases.scorecards.metric.${r.metric}`)}</td>
                <td>{formatPercent(c.rates[r.metric], lang)}</td>
                <td>× {number(Number(r.weight), lang)}</td>
              </tr>
            ))}
            <tr>
              <td>
                {t('cases.scorecards.scoreSum', {
                  weights: number(
                    counted.reduce((s, r) => s + Number(r.weight), 0),
                    lang,
                  ),
                })}
              </td>
              <td colSpan={2}>
                <strong>{number(c.score, lang)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    );
  };

  return (
    <div className="scorecards" data-testid="scorecards">
      <div className="case-filters">
        <label className="case-field">
          {t('cases.rates.groupBy')}
          <select
            className="case-input"
            value={group}
            onChange={(e) => setGroup(e.target.value as ScorecardGroup)}
            data-testid="scorecards-group"
          >
            {SCORECARD_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`cases.scorecards.group.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <PeriodField value={preset} onChange={setPreset} testId="scorecards-period" />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {loading && !cards && <p className="muted">{t('cases.loading')}</p>}
      {cards && cards.rows.length === 0 && <p className="muted">{t('cases.scorecards.none')}</p>}
      {cards && cards.rows.length > 0 && (
        <div className="rates-scroll">
          <table className="rates-table" data-testid="scorecards-table" aria-busy={loading}>
            <thead>
              <tr>
                <th>{t('cases.rates.rank')}</th>
                <th>{t(`cases.scorecards.group.${cards.group}`)}</th>
                <th>{t('cases.scorecards.score')}</th>
                <th>{t('cases.scorecards.onTimeRate')}</th>
                <th>{t('cases.scorecards.overdueNow')}</th>
              </tr>
            </thead>
            <tbody>
              {cards.rows.map((c) => (
                <Fragment key={c.key}>
                  <tr className={open === c.key ? 'scorecard-row open' : 'scorecard-row'} data-testid="scorecard-row" data-key={c.key}>
                    <td>{c.rank ?? '—'}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        aria-expanded={open === c.key}
                        onClick={() => setOpen(open === c.key ? null : c.key)}
                        data-testid="scorecard-open"
                      >
                        {c.name}
                      </button>
                    </td>
                    <td>
                      <strong>{number(c.score, lang)}</strong>
                    </td>
                    <td>
                      {formatPercent(onTimeOf(c), lang)}
                      <span className="muted rate-count">
                        {formatCount(c.onTime, lang)}/{formatCount(c.onTime + c.late, lang)}
                      </span>
                    </td>
                    <td>{formatCount(c.overdueNow, lang)}</td>
                  </tr>
                  {open === c.key && (
                    <tr>
                      <td colSpan={5}>{details(c)}</td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cards && (
        <div className="rates-rules" data-testid="scorecards-rules">
          <h4>{t('cases.rates.rulesTitle')}</h4>
          <p>{t('cases.scorecards.rule', { weights: number(weightSum, lang) })}</p>
          <ul>
            {cards.rules.map((r) => (
              <li key={r.metric}>
                {t(`cases.scorecards.metric.${r.metric}`)} × {number(Number(r.weight), lang)} — {t(`cases.scorecards.explain.${r.metric}`)}
              </li>
            ))}
          </ul>
          {canEdit && (
            <form
              className="case-form-row"
              onSubmit={(e) => {
                e.preventDefault();
                void saveRule();
              }}
            >
              <select
                className="case-input"
                value={ruleMetric}
                onChange={(e) => setRuleMetric(e.target.value as ScorecardMetric)}
                aria-label={t('cases.scorecards.ruleMetric')}
                data-testid="scorecards-rule-metric"
              >
                {SCORECARD_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {t(`cases.scorecards.metric.${m}`)}
                  </option>
                ))}
              </select>
              <input
                className="case-input"
                type="number"
                min={0.1}
                max={100}
                step={0.1}
                value={ruleWeight}
                onChange={(e) => setRuleWeight(e.target.value)}
                placeholder={t('cases.scorecards.ruleWeight')}
                aria-label={t('cases.scorecards.ruleWeight')}
                data-testid="scorecards-rule-weight"
              />
              <button type="submit" className="btn" data-testid="scorecards-rule-save">
                {t('cases.scorecards.ruleSave')}
              </button>
            </form>
          )}
          <div className="case-form-row">
            <button
              type="button"
              className="btn"
              onClick={() => download('csv')}
              disabled={cards.rows.length === 0}
              data-testid="scorecards-csv"
            >
              {t('cases.rates.download')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => download('xlsx')}
              disabled={cards.rows.length === 0}
              data-testid="scorecards-xlsx"
            >
              {t('cases.rates.downloadXlsx')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
