import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import { ALERT_KINDS, type Alert, type AlertKind, type AlertsNow, HOTSPOT_ALERT_KINDS } from '../domain/live';
import { categoryLabel } from '../i18n/categories';
import { useErrorText } from './error-text';
import { formatCount } from './format';

export interface AlertsSectionProps {
  alerts: AlertsNow | null;
  error: unknown;
  categories: readonly string[];
  soundOn: boolean;
  onSound(on: boolean): void;
  onAcknowledge(id: number): Promise<void>;
  onSaveRule(rule: Parameters<Backend['saveAlertRule']>[0]): Promise<void>;
  onLocate(alert: Alert): void;
}

const time = (iso: string, language: string) =>
  new Intl.DateTimeFormat(language, {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  }).format(new Date(iso));

/** Returns a function saying why an alert was raised: the rule and the figures that crossed it. */
export function useAlertWhy(): (alert: Alert) => string {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (a: Alert) => {
    const f = a.figures;
    const n = (v: number | undefined) => formatCount(v ?? 0, lang);
    const cat = f.category ? categoryLabel(f.category, lang) : '';
    switch (a.kind) {
      case 'cell_events':
        return t(cat ? 'alerts.why.cellEventsOf' : 'alerts.why.cellEvents', {
          cell: f.cellName ?? a.subject,
          hours: f.windowHours,
          events: n(f.events),
          threshold: n(f.threshold),
          category: cat,
        });
      case 'category_events':
        return t('alerts.why.categoryEvents', { category: cat, hours: f.windowHours, events: n(f.events), threshold: n(f.threshold) });
      case 'cell_risk':
        return t('alerts.why.cellRisk', { cell: f.cellName ?? a.subject, index: f.riskIndex, threshold: f.threshold });
      case 'hotspot_new':
      case 'hotspot_intensifying':
        return t(a.kind === 'hotspot_new' ? 'alerts.why.hotspotNew' : 'alerts.why.hotspotIntensifying', {
          cell: f.cellName ?? a.subject,
          hours: f.windowHours,
          of: cat ? t('alerts.why.ofCategory', { category: cat }) : '',
          before: t(`alerts.class.${f.classBefore ?? 0}`),
          after: t(`alerts.class.${f.classAfter ?? 0}`),
          zBefore: f.zBefore,
          zAfter: f.zAfter,
          eventsBefore: n(f.eventsBefore),
          events: n(f.events),
        });
      default:
        return t('alerts.why.caseOverdue', {
          code: f.caseCode,
          state: t(`cases.state.${f.state}`, { defaultValue: f.state ?? '' }),
          hours: f.hoursOverdue,
          threshold: f.threshold,
        });
    }
  };
}

/**
 * The command centre's alerts: the open ones, each saying why (the rule and the figures that
 * crossed it) with its acknowledgement, and the rules (switch on or off, add one).
 */
export function AlertsSection({ alerts, error, categories, soundOn, onSound, onAcknowledge, onSaveRule, onLocate }: AlertsSectionProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const lang = i18n.language;
  const [rulesOpen, setRulesOpen] = useState(false);
  const [kind, setKind] = useState<AlertKind>('cell_events');
  const [threshold, setThreshold] = useState('');
  const [windowHours, setWindowHours] = useState('24');
  const [category, setCategory] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const why = useAlertWhy();

  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await fn();
    } catch (e) {
      setProblem(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const addRule = () => {
    const value = Number(threshold);
    const hours = Number(windowHours);
    const hotspot = HOTSPOT_ALERT_KINDS.includes(kind);
    if (hotspot ? ![1, 2, 3].includes(value) : !(value > 0))
      return setProblem(t(hotspot ? 'alerts.rules.badClass' : 'alerts.rules.badThreshold'));
    if (!Number.isInteger(hours) || hours < 1 || hours > 8760) return setProblem(t('alerts.rules.badWindow'));
    if (kind === 'category_events' && !category) return setProblem(t('alerts.rules.needCategory'));
    void act(async () => {
      await onSaveRule({
        kind,
        threshold: value,
        windowHours: hours,
        category: kind === 'cell_events' || kind === 'category_events' || hotspot ? category || null : null,
      });
      setThreshold('');
    });
  };

  const open = alerts?.alerts ?? [];
  return (
    <section className="alerts" data-testid="alerts">
      <div className="alerts-head">
        <h3>{t('alerts.title', { n: formatCount(alerts?.open ?? 0, lang) })}</h3>
        <label className="alerts-sound">
          <input type="checkbox" checked={soundOn} onChange={(e) => onSound(e.target.checked)} data-testid="alerts-sound" />
          {t('alerts.sound')}
        </label>
        <button
          type="button"
          className="link"
          onClick={() => setRulesOpen((o) => !o)}
          aria-expanded={rulesOpen}
          data-testid="alert-rules-open"
        >
          {t('alerts.rules.title')}
        </button>
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      {problem && (
        <p className="error" role="alert" data-testid="alerts-problem">
          {problem}
        </p>
      )}
      {open.length === 0 ? (
        <p className="muted">{alerts ? t('alerts.none') : t('now.loading')}</p>
      ) : (
        <ul className="alert-list" data-testid="alert-list">
          {open.map((a) => (
            <li key={a.id} data-testid="alert" data-kind={a.kind}>
              <button type="button" className="link" onClick={() => onLocate(a)}>
                <time dateTime={a.raisedAt}>{time(a.raisedAt, lang)}</time> {why(a)}
              </button>
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void act(() => onAcknowledge(a.id))}
                data-testid="alert-ack"
              >
                {t('alerts.acknowledge')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {rulesOpen && alerts && (
        <div className="alert-rules" data-testid="alert-rules">
          <ul>
            {alerts.rules.map((r) => (
              <li key={r.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={r.active}
                    disabled={busy}
                    onChange={(e) => void act(() => onSaveRule({ id: r.id, active: e.target.checked }))}
                    data-testid={`alert-rule-${r.id}`}
                  />
                  {t(`alerts.rules.describe.${r.kind}`, {
                    threshold: formatCount(r.threshold, lang),
                    klass: t(`alerts.class.${r.threshold}`, { defaultValue: String(r.threshold) }),
                    hours: r.windowHours,
                    category: r.category ? categoryLabel(r.category, lang) : t('alerts.rules.anyCategory'),
                  })}
                </label>
              </li>
            ))}
          </ul>
          <div className="alert-rule-form">
            <select
              value={kind}
              onChange={(e) => setKind(e.target.value as AlertKind)}
              aria-label={t('alerts.rules.kind')}
              data-testid="alert-rule-kind"
            >
              {ALERT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`alerts.rules.kinds.${k}`)}
                </option>
              ))}
            </select>
            {HOTSPOT_ALERT_KINDS.includes(kind) ? (
              <label>
                {t(`alerts.rules.threshold.${kind}`)}
                <select value={threshold} onChange={(e) => setThreshold(e.target.value)} data-testid="alert-rule-threshold">
                  <option value="">{t('alerts.rules.chooseClass')}</option>
                  {[1, 2, 3].map((c) => (
                    <option key={c} value={c}>
                      {t(`alerts.class.${c}`)}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <label>
                {t(`alerts.rules.threshold.${kind}`)}
                <input
                  type="number"
                  min="0"
                  step="any"
                  value={threshold}
                  onChange={(e) => setThreshold(e.target.value)}
                  data-testid="alert-rule-threshold"
                />
              </label>
            )}
            {kind !== 'case_overdue' && kind !== 'cell_risk' && (
              <>
                <label>
                  {t('alerts.rules.window')}
                  <input
                    type="number"
                    min="1"
                    max="8760"
                    step="1"
                    value={windowHours}
                    onChange={(e) => setWindowHours(e.target.value)}
                    data-testid="alert-rule-window"
                  />
                </label>
                <select
                  value={category}
                  onChange={(e) => setCategory(e.target.value)}
                  aria-label={t('alerts.rules.category')}
                  data-testid="alert-rule-category"
                >
                  <option value="">{kind === 'category_events' ? t('alerts.rules.chooseCategory') : t('alerts.rules.anyCategory')}</option>
                  {categories.map((c) => (
                    <option key={c} value={c}>
                      {categoryLabel(c, lang)}
                    </option>
                  ))}
                </select>
              </>
            )}
            <button type="button" className="btn" disabled={busy} onClick={addRule} data-testid="alert-rule-add">
              {t('alerts.rules.add')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
