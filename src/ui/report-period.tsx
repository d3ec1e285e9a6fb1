import { useState } from 'react';
import { useTranslation } from 'react-i18next';

const DAY = 86_400_000;
/** The day (YYYY-MM-DD, UTC) of a time in milliseconds. */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The start of a day (YYYY-MM-DD) in the browser's time zone, as ISO. */
export const dayStart = (day: string) => new Date(`${day}T00:00:00`).toISOString();
/** Tomorrow, and `days` before it: the days of the last `days` days, today included (`to` exclusive). */
export function lastDays(days: number): { from: string; to: string } {
  const to = isoDay(Date.now() + DAY);
  return { from: isoDay(Date.parse(to) - days * DAY), to };
}

/**
 * A report's period (days, `to` exclusive; the last year unless given) and whether it is beside
 * the period before, as its toolbar edits them; `periodFrom` and `periodTo` are the ISO times,
 * null while the days do not make a period.
 */
export function useReportPeriod(period?: { from?: string; to?: string; compare?: boolean }) {
  const [to, setTo] = useState(() => period?.to ?? lastDays(365).to);
  const [from, setFrom] = useState(() => period?.from ?? isoDay(Date.parse(period?.to ?? lastDays(365).to) - 365 * DAY));
  const [compare, setCompare] = useState(period?.compare === true);
  const valid = from !== '' && to !== '' && from < to;
  return {
    from,
    to,
    compare,
    setFrom,
    setTo,
    setCompare,
    periodFrom: valid ? dayStart(from) : null,
    periodTo: valid ? dayStart(to) : null,
  };
}

/** A report toolbar's period fields: from, to (exclusive) and 与前一时段对比; test ids `${testId}-from` and so on. */
export function PeriodFields({ state, testId }: { state: ReturnType<typeof useReportPeriod>; testId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t('compare.from')}{' '}
        <input type="date" value={state.from} onChange={(e) => state.setFrom(e.target.value)} data-testid={`${testId}-from`} />
      </label>
      <label>
        {t('compare.to')} <input type="date" value={state.to} onChange={(e) => state.setTo(e.target.value)} data-testid={`${testId}-to`} />
      </label>
      <label>
        <input
          type="checkbox"
          checked={state.compare}
          onChange={(e) => state.setCompare(e.target.checked)}
          data-testid={`${testId}-compare`}
        />{' '}
        {t('compare.previous')}
      </label>
    </>
  );
}
