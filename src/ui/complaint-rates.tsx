import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import type { ComplaintRates as Rates } from '../domain/cases';
import type { PeriodPreset } from '../domain/periods';
import { useErrorText } from './error-text';
import { formatCount } from './format';
import { PeriodField, usePeriodQuery } from './period-query';
import { downloadTable } from './table-export';

export interface ComplaintRatesProps {
  backend: Backend;
}

const percent = (v: number | null, language: string) =>
  v === null ? '—' : new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(v);

/**
 * Complaints handled at once (接诉即办): the response, resolution and satisfaction rates per
 * department or street for a period, the score and the ranking, with the rules of the score
 * (kept in the database) written out beside it; the table downloads as CSV.
 */
export function ComplaintRates({ backend }: ComplaintRatesProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [group, setGroup] = useState<'department' | 'street'>('department');
  const [preset, setPreset] = useState<PeriodPreset>('quarter');
  const {
    data: rates,
    error,
    setError,
    loading,
  } = usePeriodQuery<Rates>(preset, (from, to) => backend.getComplaintRates(group, from, to), [backend, group]);

  const lang = i18n.language;
  const weight = (w: number) => percent(w, lang);
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
      {percent(rate, lang)}
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
                  <td>{percent(r.satisfactionRate, lang)}</td>
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
