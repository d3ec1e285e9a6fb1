import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, type Language } from '../i18n';

export interface HeaderProps {
  districtName: string | null;
  /** The search box: always in view, also on a phone. */
  search?: ReactNode;
  /** Status the user must see at once (the outbox): in the bar also on a phone. */
  status?: ReactNode;
  /** Actions and the session switch: in the bar on a desktop, behind the menu button on a phone. */
  children?: ReactNode;
}

/**
 * Title bar: app name, district, search, then the actions, session controls and the language
 * switch. At phone width it keeps to one line: the actions fold into a menu.
 */
export function Header({ districtName, search, status, children }: HeaderProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const [menuOpen, setMenuOpen] = useState(false);
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
      {search}
      {status}
      <button
        type="button"
        className="menu-toggle"
        aria-expanded={menuOpen}
        aria-controls="header-menu"
        aria-label={t('header.menu')}
        onClick={() => setMenuOpen((o) => !o)}
        data-testid="menu-toggle"
      >
        {menuOpen ? '×' : '☰'}
      </button>
      {/* A choice made in the folded menu closes it. */}
      <div
        id="header-menu"
        className={menuOpen ? 'header-menu open' : 'header-menu'}
        onClickCapture={(e) => {
          if ((e.target as HTMLElement).closest('button')) setMenuOpen(false);
        }}
        onChangeCapture={(e) => {
          // A choice (the member to act as) closes it; typing in the sign-in form does not.
          if ((e.target as HTMLElement).tagName === 'SELECT') setMenuOpen(false);
        }}
      >
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
      </div>
    </header>
  );
}
