import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import { type PlateSheetEntry, plateUrl } from '../domain/plates';
import { useErrorText } from './error-text';
import { formatCount } from './format';
import { QrCode } from './qr-code';

/** Plates on one A4 page: two across, four down (about 92 × 64 mm each). */
export const PLATES_PER_PAGE = 8;

export interface PlateSheetProps {
  backend: Backend;
  /** What the sheet may print: the cell, and its community when known. */
  cell: { code: string; name: string };
  community: { code: string; name: string } | null;
  /** The app's address, which each QR carries with the plate's code. */
  appUrl: string;
  /** Opens a plate's page (a plate clicked on the screen). */
  onOpen(code: string): void;
  onClose(): void;
}

/**
 * A sheet of house plates (门牌) for a cell or its community, as A4 pages: each plate with the
 * address, its code, the cell and its grid worker, and a QR holding only the app's address and
 * the code. 打印 prints it (or saves it as PDF) through the browser's print dialog; only the
 * pages print.
 */
export function PlateSheet({ backend, cell, community, appUrl, onOpen, onClose }: PlateSheetProps) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [scope, setScope] = useState<'cell' | 'community'>('cell');
  const [plates, setPlates] = useState<PlateSheetEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    setPlates(null);
    setError(null);
    const request = scope === 'cell' || !community ? { cellCode: cell.code } : { communityCode: community.code };
    backend.getPlatesSheet(request).then(
      (p) => live && setPlates(p),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [backend, cell.code, community, scope]);

  const pages: PlateSheetEntry[][] = [];
  for (let i = 0; plates && i < plates.length; i += PLATES_PER_PAGE) pages.push(plates.slice(i, i + PLATES_PER_PAGE));
  const title = scope === 'cell' || !community ? cell.name : community.name;

  return createPortal(
    <div className="plate-sheet" role="dialog" aria-label={t('plates.sheet')} data-testid="plate-sheet">
      <div className="plate-sheet-toolbar">
        <h2 className="plate-sheet-title">{t('plates.sheetOf', { name: title })}</h2>
        {community && (
          <select
            value={scope}
            onChange={(e) => setScope(e.target.value as 'cell' | 'community')}
            aria-label={t('plates.scope')}
            data-testid="plate-scope"
          >
            <option value="cell">{t('plates.scopeCell', { name: cell.name })}</option>
            <option value="community">{t('plates.scopeCommunity', { name: community.name })}</option>
          </select>
        )}
        <span className="muted" data-testid="plate-sheet-count">
          {plates
            ? t('plates.sheetCount', {
                count: plates.length,
                n: formatCount(plates.length, i18n.language),
                pages: formatCount(pages.length, i18n.language),
              })
            : t('inspector.loading')}
        </span>
        <button
          type="button"
          className="btn primary"
          disabled={!plates || plates.length === 0}
          onClick={() => window.print()}
          data-testid="plate-print"
        >
          {t('plates.print')}
        </button>
        <button type="button" className="btn" onClick={onClose} data-testid="plate-sheet-close">
          {t('inspector.close')}
        </button>
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      {plates && plates.length === 0 && <p className="plate-sheet-empty">{t('plates.none')}</p>}
      {pages.map((page, p) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: pages are positions, not items
        <section key={p} className="plate-page-a4" aria-label={t('plates.pageOf', { n: p + 1, of: pages.length })}>
          {page.map((plate) => (
            <article key={plate.code} className="house-plate" data-testid="house-plate">
              <button
                type="button"
                className="house-plate-open"
                onClick={() => onOpen(plate.code)}
                aria-label={t('plates.open', { address: plate.address })}
              >
                <div className="house-plate-head">{t('plates.title')}</div>
                <div className="house-plate-body">
                  <div className="house-plate-text">
                    {plate.door && <div className="house-plate-door">{plate.door}</div>}
                    <div className={plate.door ? 'house-plate-full' : 'house-plate-address'}>{plate.address}</div>
                    <div>
                      {t('plates.code')} <b className="plate-code">{plate.code}</b>
                    </div>
                    <div>
                      {t('plates.cell')} {plate.cellName ?? '—'}
                    </div>
                    <div className="muted">{plate.cellCode}</div>
                    <div>
                      {t('plates.workers')} {plate.workers.length > 0 ? plate.workers.join('、') : '—'}
                    </div>
                  </div>
                  <QrCode text={plateUrl(appUrl, plate.code)} className="house-plate-qr" label={t('plates.qr', { code: plate.code })} />
                </div>
                <div className="house-plate-foot">{t('plates.scan')}</div>
              </button>
            </article>
          ))}
        </section>
      ))}
    </div>,
    document.body,
  );
}
