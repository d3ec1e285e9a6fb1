import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutboxItem } from '../domain/outbox';
import { categoryLabel } from '../i18n/categories';
import { formatRelative } from './format';

export interface OutboxPanelProps {
  items: OutboxItem[];
  online: boolean;
  sending: boolean;
  onSend(): void;
  onDiscard(id: string): void;
  onClose(): void;
}

/** What an item is, in a line: "上报 · 设施损坏 · 井盖缺失" or "核查 · AJ00000012". */
function Summary({ item }: { item: OutboxItem }) {
  const { t, i18n } = useTranslation();
  if (item.kind === 'report')
    return (
      <>
        <strong>{t('outbox.kind.report')}</strong> · {categoryLabel(item.report.category, i18n.language)} · {item.report.description}
        {(item.report.photos?.length ?? 0) > 0 && ` · ${t('outbox.photos', { n: item.report.photos?.length })}`}
      </>
    );
  return (
    <>
      <strong>{t(`cases.action.${item.action}`)}</strong> · {item.caseCode}
      {item.options.note && ` · ${item.options.note}`}
      {item.options.photos.length > 0 && ` · ${t('outbox.photos', { n: item.options.photos.length })}`}
    </>
  );
}

/**
 * The outbox (待发送): what the member made without a network, oldest first, each with when it
 * was made and how often a send was tried; what the database refused says why and waits for the
 * member to discard it (it is never dropped by itself). "Send now" tries at once.
 */
export function OutboxPanel({ items, online, sending, onSend, onDiscard, onClose }: OutboxPanelProps) {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState<string | null>(null);
  const now = Date.now();
  return (
    <section className="outbox-panel" data-testid="outbox-panel" aria-label={t('outbox.title')}>
      <header className="outbox-head">
        <h2 className="outbox-title">{t('outbox.title')}</h2>
        <button type="button" className="link" onClick={onClose} aria-label={t('outbox.close')}>
          ×
        </button>
      </header>
      <p className={online ? 'muted' : 'error'} data-testid="outbox-network">
        {sending ? t('outbox.sending') : online ? t('outbox.online') : t('outbox.offline')}
      </p>
      {items.length === 0 ? (
        <p className="muted">{t('outbox.empty')}</p>
      ) : (
        <ol className="outbox-items">
          {items.map((item) => (
            <li key={item.id} className={item.state === 'refused' ? 'outbox-item refused' : 'outbox-item'} data-testid="outbox-item">
              <div>
                <Summary item={item} />
              </div>
              <div className="muted">
                {now - Date.parse(item.createdAt) < 60_000
                  ? t('outbox.madeJustNow')
                  : t('outbox.made', { when: formatRelative(Date.parse(item.createdAt), now, i18n.language) })}
                {item.state === 'waiting' && ` · ${t('outbox.tries', { count: item.attempts })}`}
              </div>
              {item.state === 'refused' && (
                <p className="error" role="alert">
                  {t('outbox.refused', { why: item.refusal ?? '' })}
                </p>
              )}
              {confirming === item.id ? (
                <div className="case-form-row">
                  <span>{t('outbox.discardConfirm')}</span>
                  <button type="button" className="btn danger" onClick={() => onDiscard(item.id)} data-testid="outbox-discard-yes">
                    {t('outbox.discard')}
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirming(null)}>
                    {t('cases.cancel')}
                  </button>
                </div>
              ) : (
                <button type="button" className="link" onClick={() => setConfirming(item.id)} data-testid="outbox-discard">
                  {t('outbox.discard')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      {items.some((i) => i.state === 'waiting') && (
        <button type="button" className="btn primary" onClick={onSend} disabled={sending} data-testid="outbox-send">
          {t('outbox.send')}
        </button>
      )}
    </section>
  );
}
