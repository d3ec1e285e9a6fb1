import { useTranslation } from 'react-i18next';
import { type BootProgress, bootFraction } from '../data/embedded/boot-progress';
import { formatBytes } from './format';

export interface BootStatusProps {
  progress: BootProgress | null;
  error: string | null;
  onRetry(): void;
  onReset(): void;
}

/** A small card showing real boot progress of the embedded database; the map stays usable. */
export function BootStatus({ progress, error, onRetry, onReset }: BootStatusProps) {
  const { t } = useTranslation();
  if (!error && (!progress || progress.stage === 'ready')) return null;
  let message = '';
  if (error) message = t('boot.failed', { message: error });
  else if (progress?.stage === 'download')
    message = progress.totalBytes
      ? t('boot.download', { loaded: formatBytes(progress.loadedBytes ?? 0), total: formatBytes(progress.totalBytes) })
      : t('boot.downloadUnknown', { loaded: formatBytes(progress.loadedBytes ?? 0) });
  else if (progress?.stage === 'start') message = progress.reopened ? t('boot.startReopened') : t('boot.start');
  else if (progress) message = t(`boot.${progress.stage}`);
  const fraction = progress ? bootFraction(progress) : 0;
  return (
    <div className="boot-status" role="status" aria-live="polite" data-testid="boot-status">
      <div className="boot-message">{message}</div>
      {!error && (
        <>
          <progress max={1} value={fraction} aria-label={message} />
          <div className="boot-hint">{t('boot.mapUsable')}</div>
        </>
      )}
      {error && (
        <div className="boot-actions">
          <button type="button" onClick={onRetry}>
            {t('boot.retry')}
          </button>
          <button type="button" onClick={onReset}>
            {t('boot.reset')}
          </button>
        </div>
      )}
    </div>
  );
}
