import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Patrol } from '../domain/live';
import { useErrorText } from './error-text';

export interface PatrolBannerProps {
  patrol: Patrol;
  /** Positions recorded and not sent yet. */
  pending: number;
  busy: boolean;
  error: unknown;
  cellName: string | null;
  onEnd(note: string): void;
}

/** The grid worker's patrol under way: which cell, for how long, how many positions; ended with a note. */
export function PatrolBanner({ patrol, pending, busy, error, cellName, onEnd }: PatrolBannerProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [ending, setEnding] = useState(false);
  const [note, setNote] = useState('');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);
  const minutes = Math.max(0, Math.floor((now - Date.parse(patrol.startedAt)) / 60_000));
  return (
    <div className="patrol-banner" role="status" data-testid="patrol-banner">
      <span className="dot" aria-hidden="true" />
      <span className="what">
        {t('patrol.underWay', { cell: cellName ?? patrol.cellCode, minutes, positions: patrol.positions + pending })}
      </span>
      {ending ? (
        <>
          <input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('patrol.notePlaceholder')}
            aria-label={t('patrol.note')}
            maxLength={2000}
            data-testid="patrol-note"
          />
          <button type="button" className="btn primary" disabled={busy} onClick={() => onEnd(note.trim())} data-testid="patrol-end-confirm">
            {t('patrol.endConfirm')}
          </button>
        </>
      ) : (
        <button type="button" className="btn" onClick={() => setEnding(true)} data-testid="patrol-end">
          {t('patrol.end')}
        </button>
      )}
      {error !== null && (
        <span className="error" role="alert">
          {errorText(error)}
        </span>
      )}
    </div>
  );
}
