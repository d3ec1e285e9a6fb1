import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, type Language } from '../i18n';

export interface HeaderProps {
  districtName: string | null;
  children?: ReactNode;
}

/** Title bar: app name, district, session controls and the language switch. */
export function Header({ districtName, children }: HeaderProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  return (
    <header className="header">
      <h1>
        {t('app.title')}
        <small>{t('app.subtitle')}</small>
      </h1>
      {districtName && (
        <span className="district" data-testid="district-name">
          {districtName}
        </span>
      )}
      <div className="spacer" />
      {children}
      <fieldset className="language">
        <legend className="visually-hidden">{t('language.label')}</legend>
        <button type="button" aria-pressed={language === 'zh-CN'} data-testid="lang-zh" onClick={() => void changeLanguage('zh-CN')}>
          {t('language.zh')}
        </button>
        <button type="button" aria-pressed={language === 'en'} data-testid="lang-en" onClick={() => void changeLanguage('en')}>
          {t('language.en')}
        </button>
      </fieldset>
    </header>
  );
}
