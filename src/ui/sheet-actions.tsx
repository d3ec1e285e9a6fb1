import { useTranslation } from 'react-i18next';
import { useErrorText } from './error-text';

/** The print and close buttons of a sheet of A4 pages (a zone report, an atlas): printing waits for the pages. */
export function SheetActions({ canPrint, testId, onClose }: { canPrint: boolean; testId: string; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" className="btn primary" disabled={!canPrint} onClick={() => window.print()} data-testid={`${testId}-print`}>
        {t('plates.print')}
      </button>
      <button type="button" className="btn" onClick={onClose} data-testid={`${testId}-close`}>
        {t('inspector.close')}
      </button>
    </>
  );
}

/** What went wrong reading a sheet's pages (nothing when nothing did). */
export function SheetError({ error }: { error: unknown }) {
  const errorText = useErrorText();
  return error === null ? null : (
    <p className="error" role="alert">
      {errorText(error)}
    </p>
  );
}
