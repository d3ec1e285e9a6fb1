import { useTranslation } from 'react-i18next';
import type { SizeRule } from '../geo/validate-tiling';

const SIZE_RULE_KEY = 'gridatlas.sizeRule';
const SIZE_FIELDS = ['minAreaSquareMeters', 'maxAreaSquareMeters', 'minHouseholds', 'maxHouseholds'] as const;

/** The "moderate size" rule last used on this device (empty: no rule). */
export function loadSizeRule(): SizeRule {
  try {
    const saved = JSON.parse(localStorage.getItem(SIZE_RULE_KEY) ?? '{}') as Record<string, unknown>;
    const rule: SizeRule = {};
    for (const key of SIZE_FIELDS) {
      const v = saved[key];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) rule[key] = v;
    }
    return rule;
  } catch {
    return {};
  }
}

/** The "moderate size" rule's bounds (area, households), kept on this device for the next check. */
export function SizeRuleFields({ rule, onChange }: { rule: SizeRule; onChange(rule: SizeRule): void }) {
  const { t } = useTranslation();
  return (
    <details className="size-rule" data-testid="edit-size-rule">
      <summary>{t('edit.sizeRule')}</summary>
      <div className="size-fields">
        {SIZE_FIELDS.map((key) => (
          <label key={key} className="inline-field">
            {t(`edit.size.${key}`)}
            <input
              type="number"
              min={0}
              value={rule[key] ?? ''}
              placeholder={t('edit.size.none')}
              onChange={(e) => {
                const next: SizeRule = { ...rule };
                const v = e.target.value === '' ? undefined : Number(e.target.value);
                if (v === undefined || !Number.isFinite(v) || v < 0) delete next[key];
                else next[key] = v;
                onChange(next);
                try {
                  localStorage.setItem(SIZE_RULE_KEY, JSON.stringify(next));
                } catch {
                  // Storage may be refused (private mode): the rule still holds for this page.
                }
              }}
              data-testid={`edit-size-${key}`}
            />
          </label>
        ))}
      </div>
    </details>
  );
}
