import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import type { ComplaintRateRules, ComplaintRates as Rates } from '../domain/cases';
import type { PeriodPreset } from '../domain/periods';
import { useErrorText } from './error-text';
import { formatCount, formatPercent } from './format';
import { PeriodField, usePeriodQuery } from './period-query';
import { downloadTable } from './table-export';

export interface ComplaintRatesProps {
  backend: Backend;
  /** The command centre and administrators edit the rules of the score. */
  canEdit: boolean;
}

const RULE_FIELDS = ['satisfiedWeight', 'basicallySatisfiedWeight', 'responseWeight', 'resolutionWeight', 'satisfactionWeight'] as const;
type RuleField = (typeof RULE_FIELDS)[number];
const SCORE_FIELDS: readonly RuleField[] = ['responseWeight', 'resolutionWeight', 'satisfactionWeight'];

/** The rules as the form shows them: percent, to one decimal. */
const asText = (r: ComplaintRateRules) =>
  Object.fromEntries(RULE_FIELDS.map((f) => [f, String(Math.round(Number(r[f]) * 1000) / 10)])) as Record<RuleField, string>;

/**
 * The rules of the complaint score as a form in percent: what a satisfied and a basically
 * satisfied rating count, and the weights of the three rates (which must make 100 %). Saved
 * through set_complaint_rate_rules; the table is then counted again by the database.
 */
function RateRulesForm({ rules, onSave }: { rules: ComplaintRateRules; onSave(rules: ComplaintRateRules): Promise<void> }) {
  const { t } = useTranslation();
  const [values, setValues] = useState(() => asText(rules));
  const [saving, setSaving] = useState(false);
  useEffect(() => setValues(asText(rules)), [rules]);
  const numbers = RULE_FIELDS.map((f) => Number(values[f]));
  const valid = numbers.every((n, k) => values[RULE_FIELDS[k] as RuleField].trim() !== '' && n >= 0 && n <= 100);
  const sum = SCORE_FIELDS.reduce((s, f) => s + Number(values[f]), 0);
  const sums = Math.abs(sum - 100) < 1e-6;
  return (
    <form
      className="rate-rules-form"
      data-testid="rates-rules-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!valid || !sums) return;
        setSaving(true);
        const next = Object.fromEntries(RULE_FIELDS.map((f) => [f, Number(values[f]) / 100])) as unknown as ComplaintRateRules;
        void onSave(next).finally(() => setSaving(false));
      }}
    >
      <h5 className="rate-rules-title">{t('cases.rates.edit.title')}</h5>
      {RULE_FIELDS.map((f) => (
        <label key={f} className="case-field">
          {t(`cases.rates.edit.${f}`)}
          <input
            className="case-input"
            type="number"
            min={0}
            max={100}
            step={0.1}
            value={values[f]}
            onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
            data-testid={`rates-rule-${f}`}
          />
        </label>
      ))}
      <p className={sums ? 'rate-rules-sum muted' : 'rate-rules-sum error'} data-testid="rates-rule-sum">
        {t(sums ? 'cases.rates.edit.sumOk' : 'cases.rates.edit.sumWrong', { sum: Math.round(sum * 10) / 10 })}
      </p>
      <button type="submit" className="btn" disabled={saving || !valid || !sums} data-testid="rates-rule-save">
        {t('cases.rates.edit.save')}
      </button>
    </form>
  );
}

/**
 * Complaints handled at once (接诉即办): the response, resolution and satisfaction rates per
 * department or street for a period, the score and the ranking, with the rules of the score
 * (kept in the database) written out beside it; the table downloads as CSV.
 */
export function ComplaintRates({ backend, canEdit }: ComplaintRatesProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [group, setGroup] = useState<'department' | 'street'>('department');
  const [preset, setPreset] = useState<PeriodPreset>('quarter');
  const [reload, setReload] = useState(0);
  const {
    data: rates,
    error,
    setError,
    loading,
  } = usePeriodQuery<Rates>(preset, (from, to) => backend.getComplaintRates(group, from, to), [backend, group, reload]);

  const lang = i18n.language;
  const weight = (w: number) => formatPercent(w, lang);
  const download = (format: 'csv' | 'xlsx') => {
    if (!rates) return;
    const columns = [
      t('cases.rates.rank'),
      t(`cases.rates.group.${rates.group}`),
      t('cases.rates.complaints'),
      t('cases.rates.due'),
      t('cases.rates.responded'),
      t('cases.rates.rated'),
      t('cases.rates.solved'),
      t('cases.complaint.ratingValue.satisfied'),
      t('cases.complaint.ratingValue.basically_satisfied'),
      t('cases.complaint.ratingValue.dissatisfied'),
      t('cases.rates.response'),
      t('cases.rates.resolution'),
      t('cases.rates.satisfaction'),
      t('cases.rates.score'),
    ];
    const rows = rates.rows.map((r) => [
      r.rank,
      r.name,
      r.complaints,
      r.due,
      r.responded,
      r.rated,
      r.solved,
      r.satisfied,
      r.basicallySatisfied,
      r.dissatisfied,
      r.responseRate,
      r.resolutionRate,
      r.satisfactionRate,
      r.score,
    ]);
    const day = (iso: string) => iso.slice(0, 10);
    downloadTable(
      { columns, rows },
      `complaint-rates-${rates.group}-${day(rates.from)}-${day(rates.to)}`,
      format,
      t('cases.rates.title'),
    ).catch((e: unknown) => setError(errorText(e)));
  };
  const cell = (rate: number | null, n: number, of: number) => (
    <td>
      {formatPercent(rate, lang)}
      <span className="muted rate-count">
        {formatCount(n, lang)}/{formatCount(of, lang)}
      </span>
    </td>
  );

  return (
    <div className="complaint-rates" data-testid="complaint-rates">
      <div className="case-filters">
        <label className="case-field">
          {t('cases.rates.groupBy')}
          <select
            className="case-input"
            value={group}
            onChange={(e) => setGroup(e.target.value as 'department' | 'street')}
            data-testid="rates-group"
          >
            <option value="department">{t('cases.rates.group.department')}</option>
            <option value="street">{t('cases.rates.group.street')}</option>
          </select>
        </label>
        <PeriodField value={preset} onChange={setPreset} testId="rates-period" />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {loading && !rates && <p className="muted">{t('cases.loading')}</p>}
      {rates && rates.rows.length === 0 && <p className="muted">{t('cases.rates.none')}</p>}
      {rates && rates.rows.length > 0 && (
        <div className="rates-scroll">
          <table className="rates-table" data-testid="rates-table" aria-busy={loading}>
            <thead>
              <tr>
                <th>{t('cases.rates.rank')}</th>
                <th>{t(`cases.rates.group.${rates.group}`)}</th>
                <th>{t('cases.rates.score')}</th>
                <th>{t('cases.rates.response')}</th>
                <th>{t('cases.rates.resolution')}</th>
                <th>{t('cases.rates.satisfaction')}</th>
                <th>{t('cases.rates.complaints')}</th>
              </tr>
            </thead>
            <tbody>
              {rates.rows.map((r) => (
                <tr key={r.key} data-testid="rates-row" data-key={r.key}>
                  <td>{r.rank ?? '—'}</td>
                  <td>{r.name}</td>
                  <td>
                    <strong>
                      {r.score === null ? '—' : new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(r.score * 100)}
                    </strong>
                  </td>
                  {cell(r.responseRate, r.responded, r.due)}
                  {cell(r.resolutionRate, r.solved, r.rated)}
                  <td>{formatPercent(r.satisfactionRate, lang)}</td>
                  <td>{formatCount(r.complaints, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rates && (
        <div className="rates-rules" data-testid="rates-rules">
          <h4>{t('cases.rates.rulesTitle')}</h4>
          <ul>
            <li>{t('cases.rates.rule.response')}</li>
            <li>{t('cases.rates.rule.resolution')}</li>
            <li>
              {t('cases.rates.rule.satisfaction', {
                satisfied: weight(rates.rules.satisfiedWeight),
                basically: weight(rates.rules.basicallySatisfiedWeight),
              })}
            </li>
            <li>
              {t('cases.rates.rule.score', {
                response: weight(rates.rules.responseWeight),
                resolution: weight(rates.rules.resolutionWeight),
                satisfaction: weight(rates.rules.satisfactionWeight),
              })}
            </li>
          </ul>
          {canEdit && (
            <RateRulesForm
              rules={rates.rules}
              onSave={async (rules) => {
                try {
                  await backend.setComplaintRateRules(rules);
                  setReload((n) => n + 1);
                } catch (e) {
                  setError(errorText(e));
                }
              }}
            />
          )}
          <div className="case-form-row">
            <button
              type="button"
              className="btn"
              onClick={() => download('csv')}
              disabled={rates.rows.length === 0}
              data-testid="rates-download"
            >
              {t('cases.rates.download')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => download('xlsx')}
              disabled={rates.rows.length === 0}
              data-testid="rates-download-xlsx"
            >
              {t('cases.rates.downloadXlsx')}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
