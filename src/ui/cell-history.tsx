import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend, CellHistoryEntry } from '../data/backend';
import type { CellCode } from '../domain/ids';
import { formatDateTime } from './format';

/**
 * A cell's versions, oldest first, with the edit that wrote each (operation, when, why, who);
 * a version's number shows its shape. Loaded again whenever `version` changes (after an edit).
 */
export function CellHistory(props: {
  backend: Backend;
  code: CellCode | undefined;
  /** Anything that changes when the history may have grown (the cells after an edit). */
  version: unknown;
  onShow(entry: CellHistoryEntry): void;
}) {
  const { backend, code, version } = props;
  const { t, i18n } = useTranslation();
  const [history, setHistory] = useState<{ code: CellCode; entries: CellHistoryEntry[] } | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the signal that the history grew.
  useEffect(() => {
    if (!code) {
      setHistory(null);
      return;
    }
    let cancelled = false;
    backend
      .getCellHistory(code)
      .then((entries) => {
        if (!cancelled) setHistory({ code, entries });
      })
      .catch(() => {
        if (!cancelled) setHistory(null);
      });
    return () => {
      cancelled = true;
    };
  }, [backend, code, version]);

  if (!history || history.entries.length === 0) return null;
  return (
    <section className="history" data-testid="edit-history">
      <h3>{t('edit.history', { code: history.code })}</h3>
      <ol>
        {history.entries.map((h) => (
          <li key={h.version}>
            <button type="button" className="link" onClick={() => props.onShow(h)}>
              v{h.version}
            </button>{' '}
            {h.operation ? t(`edit.operation.${h.operation}`) : t('edit.operation.original')} · {formatDateTime(h.validFrom, i18n.language)}
            {h.reason ? ` · ${h.reason}` : ''}
            {h.actorName ? ` · ${h.actorName}` : ''}
            {h.validTo === null ? ` · ${t('edit.current')}` : ''}
          </li>
        ))}
      </ol>
    </section>
  );
}
