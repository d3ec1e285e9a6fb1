import { useTranslation } from 'react-i18next';
import { categoryLabel } from '../i18n/categories';

export interface CategorySelectProps {
  value: string;
  onChange(category: string): void;
  categories: readonly string[];
  /** A first choice standing for every category, with its value ('' in filters, '*' in rules). */
  any?: { value: string; label: string };
  testId?: string;
}

/** A select of event and case categories, named in the user's language; the current value is always offered. */
export function CategorySelect({ value, onChange, categories, any, testId }: CategorySelectProps) {
  const { i18n } = useTranslation();
  const choices = [...new Set([value, ...categories])].filter((c) => c !== '' && c !== any?.value);
  return (
    <select className="case-input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {any && <option value={any.value}>{any.label}</option>}
      {choices.map((c) => (
        <option key={c} value={c}>
          {categoryLabel(c, i18n.language)}
        </option>
      ))}
    </select>
  );
}
