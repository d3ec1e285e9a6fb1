import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBackend } from '../data/backend-context';
import type { Patrol } from '../domain/live';
import { useErrorText } from './error-text';
import { formatDateTime } from './format';

export interface CellPatrolsProps {
  code: string;
  /** Anything that changes when a patrol started or ended here (the list loads again). */
  version: unknown;
  /** The grid worker may start a patrol of this cell; absent: not theirs to patrol, or one is under way. */
  onStart?(): void;
  busy?: boolean;
  /** Why the last start failed. */
  error?: unknown;
}

/** When a cell was last patrolled, by whom, how long and how far (the latest three), and the worker's start. */
export function CellPatrols({ code, version, onStart, busy, error }: CellPatrolsProps) {
  const { t, i18n } = useTranslation();
  const backend = useBackend();
  const errorText = useErrorText();
  const [patrols, setPatrols] = useState<Patrol[] | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the signal that a patrol started or ended.
  useEffect(() => {
    if (!backend) return;
    let live = true;
    setPatrols(null);
    backend
      .getCellPatrols(code, 3)
      .then((p) => live && setPatrols(p))
      .catch(() => live && setPatrols([]));
    return () => {
      live = false;
    };
  }, [backend, code, version]);
  return (
    <section className="cell-patrols" data-testid="cell-patrols">
      <h3>{t('patrol.last')}</h3>
      {patrols === null ? (
        <p className="muted">{t('inspector.loading')}</p>
      ) : patrols.length === 0 ? (
        <p className="muted" data-testid="cell-patrols-none">
          {t('patrol.never')}
        </p>
      ) : (
        <ol>
          {patrols.map((p) => (
            <li key={p.id} data-testid="cell-patrol">
              {formatDateTime(p.startedAt, i18n.language)} · {p.workerName} ·{' '}
              {p.endedAt
                ? t('patrol.done', { minutes: Math.round(p.minutes), meters: Math.round(p.lengthMeters) })
                : t('patrol.stillUnderWay', { minutes: Math.round(p.minutes) })}
              {p.note && <span className="muted"> · {p.note}</span>}
            </li>
          ))}
        </ol>
      )}
      {error !== null && error !== undefined && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      {onStart && (
        <button type="button" className="btn" disabled={busy} onClick={onStart} data-testid="patrol-start">
          {t('patrol.start')}
        </button>
      )}
    </section>
  );
}
