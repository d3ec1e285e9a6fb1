import { type DependencyList, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PERIOD_PRESETS, type PeriodPreset, periodOf } from '../domain/periods';
import { useErrorText } from './error-text';

/**
 * Reads `load(from, to)` for the period of `preset` (around now), again whenever it or `deps`
 * change; a read that comes back after a newer one was asked for is dropped.
 */
export function usePeriodQuery<T>(preset: PeriodPreset, load: (from: string, to: string) => Promise<T>, deps: DependencyList) {
  const errorText = useErrorText();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what `load` depends on.
  useEffect(() => {
    let live = true;
    const { from, to } = periodOf(preset, new Date());
    setLoading(true);
    load(from.toISOString(), to.toISOString())
      .then(
        (d) => {
          if (!live) return;
          setData(d);
          setError(null);
        },
        (e: unknown) => live && setError(errorText(e)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [preset, errorText, ...deps]);
  return { data, error, setError, loading };
}

/** The period field of a ranking: this month, last month, the last three months, this year. */
export function PeriodField({ value, onChange, testId }: { value: PeriodPreset; onChange(p: PeriodPreset): void; testId: string }) {
  const { t } = useTranslation();
  return (
    <label className="case-field">
      {t('cases.rates.period')}
      <select className="case-input" value={value} onChange={(e) => onChange(e.target.value as PeriodPreset)} data-testid={testId}>
        {PERIOD_PRESETS.map((p) => (
          <option key={p} value={p}>
            {t(`cases.rates.preset.${p}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
