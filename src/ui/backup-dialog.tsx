import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatabaseFile } from '../data/backend';
import type { BackupSummary } from '../data/embedded/backup';
import { errorText } from './error-text';
import { formatCount } from './format';
import { saveFile } from './save-file';

export interface BackupDialogProps {
  databaseFile: DatabaseFile;
  /** Called once a backup replaced the database: the page starts again on it. */
  onRestored(summary: BackupSummary): void;
  onClose(): void;
}

type Step = { name: 'idle' } | { name: 'saving' } | { name: 'saved'; bytes: number } | { name: 'restoring'; step: 'check' | 'write' };

/** Returns the file name of a backup made now: gridatlas-backup-20261202-0915.tar.gz. */
export function backupFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `gridatlas-backup-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.tar.gz`;
}

/**
 * The embedded database as a file: download it whole (everything this browser holds: cells,
 * their history, entities with personal fields, events), or replace it with a backup, in this
 * browser or another one. A file that is no backup, or a backup of a newer version, is refused
 * before anything changes.
 */
export function BackupDialog({ databaseFile, onRestored, onClose }: BackupDialogProps) {
  const { t, i18n } = useTranslation();
  const [step, setStep] = useState<Step>({ name: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const busy = step.name === 'saving' || step.name === 'restoring';

  const backup = async () => {
    setError(null);
    setStep({ name: 'saving' });
    try {
      const file = await databaseFile.backup();
      saveFile([file], backupFileName(new Date()), 'application/gzip');
      setStep({ name: 'saved', bytes: file.size });
    } catch (err) {
      setError(errorText(t, err));
      setStep({ name: 'idle' });
    }
  };

  const restore = async (file: File) => {
    setError(null);
    setStep({ name: 'restoring', step: 'check' });
    try {
      const summary = await databaseFile.restore(file, (s) => setStep({ name: 'restoring', step: s }));
      onRestored(summary);
    } catch (err) {
      const refusal = err as { code?: string; problem?: string; detail?: string };
      setError(
        refusal?.code === 'backup' && refusal.problem
          ? t(`backup.problem.${refusal.problem}`, { detail: refusal.detail ?? '' })
          : t('backup.failed', { message: errorText(t, err) }),
      );
      setStep({ name: 'idle' });
    }
  };

  return (
    <div className="dialog-backdrop">
      <section className="dialog backup-dialog" role="dialog" aria-modal="true" aria-label={t('backup.title')} data-testid="backup-dialog">
        <header>
          <h2>{t('backup.title')}</h2>
          <button type="button" className="close" onClick={onClose} aria-label={t('backup.close')} disabled={busy}>
            ×
          </button>
        </header>
        <p className="muted">{t('backup.about')}</p>
        <h3>{t('backup.download')}</h3>
        <p>
          <button type="button" onClick={() => void backup()} disabled={busy} data-testid="backup-download">
            {step.name === 'saving' ? t('backup.saving') : t('backup.downloadButton')}
          </button>
        </p>
        {step.name === 'saved' && (
          <p role="status" data-testid="backup-saved">
            {t('backup.saved', { size: formatCount(Math.round(step.bytes / 1e5) / 10, i18n.language) })}
          </p>
        )}
        <h3>{t('backup.restore')}</h3>
        <p className="warning">{t('backup.restoreWarning')}</p>
        <label className="file-picker">
          <span className="file-button">{t('backup.chooseFile')}</span>
          <input
            type="file"
            className="visually-hidden"
            accept=".tar.gz,.tgz,application/gzip"
            disabled={busy}
            data-testid="backup-restore-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void restore(file);
            }}
          />
        </label>
        {step.name === 'restoring' && (
          <p role="status" data-testid="backup-restoring">
            {t(`backup.step.${step.step}`)}
          </p>
        )}
        {error && (
          <p className="error" role="alert" data-testid="backup-error">
            {error}
          </p>
        )}
      </section>
    </div>
  );
}
