import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend } from '../data/backend';
import type { CasePhoto } from '../domain/photos';
import { useErrorText } from './error-text';
import { formatBytes } from './format';

/** A photo's image as the page shows it: an object URL once loaded, or why it could not be. */
type Loaded = { url: string } | { error: string };

/**
 * Loads the images of a case's photos (a few at a time) into object URLs, kept while the page
 * shows the case and revoked when it goes.
 */
export function useCasePhotoImages(backend: Backend, photos: readonly CasePhoto[]): Map<string, Loaded> {
  const errorText = useErrorText();
  const [images, setImages] = useState<Map<string, Loaded>>(new Map());
  const urls = useRef<string[]>([]);
  const requested = useRef(new Set<string>());
  useEffect(() => {
    const queue = photos.filter((p) => !requested.current.has(p.id));
    const worker = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        const photo = p;
        requested.current.add(photo.id);
        let loaded: Loaded;
        try {
          const url = URL.createObjectURL(await backend.getCasePhotoImage(photo));
          urls.current.push(url);
          loaded = { url };
        } catch (e) {
          loaded = { error: errorText(e) };
        }
        // Kept even when the list changed meanwhile: the image is the photo's all the same.
        setImages((m) => new Map(m).set(photo.id, loaded));
      }
    };
    void Promise.all([worker(), worker(), worker()]);
    return () => {
      // The next run takes what this one did not start.
      queue.length = 0;
    };
  }, [backend, photos, errorText]);
  useEffect(
    () => () => {
      for (const url of urls.current) URL.revokeObjectURL(url);
    },
    [],
  );
  return images;
}

export interface PhotoStripProps {
  photos: readonly CasePhoto[];
  images: Map<string, Loaded>;
  onOpen(photo: CasePhoto): void;
}

/** The thumbnails of one step's photos; each opens the viewer. */
export function PhotoStrip({ photos, images, onOpen }: PhotoStripProps) {
  const { t } = useTranslation();
  if (photos.length === 0) return null;
  return (
    <ul className="photo-thumbs" aria-label={t('cases.photos.ofStep', { count: photos.length })} data-testid="case-step-photos">
      {photos.map((p) => {
        const image = images.get(p.id);
        return (
          <li key={p.id} className="photo-thumb">
            <button type="button" className="photo-open" onClick={() => onOpen(p)} aria-label={t('cases.photos.open', { name: p.name })}>
              {image && 'url' in image ? (
                <img src={image.url} alt={p.name} data-testid="case-photo" data-width={p.width} data-height={p.height} />
              ) : (
                <span
                  className={image ? 'photo-missing error' : 'photo-missing muted'}
                  title={image && 'error' in image ? image.error : undefined}
                >
                  {image ? '!' : '…'}
                </span>
              )}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export interface PhotoViewerProps {
  photos: readonly CasePhoto[];
  images: Map<string, Loaded>;
  index: number;
  onIndex(index: number | null): void;
}

/** A case's photos one at a time, full size: previous and next (arrow keys too), closed with Esc. */
export function PhotoViewer({ photos, images, index, onIndex }: PhotoViewerProps) {
  const { t } = useTranslation();
  const photo = photos[index];
  const close = useRef<HTMLButtonElement>(null);
  const step = useCallback((by: number) => onIndex((index + by + photos.length) % photos.length), [index, photos.length, onIndex]);
  useEffect(() => {
    close.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onIndex(null);
      else if (e.key === 'ArrowLeft') step(-1);
      else if (e.key === 'ArrowRight') step(1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onIndex, step]);
  if (!photo) return null;
  const image = images.get(photo.id);
  return (
    <div className="photo-viewer" role="dialog" aria-modal="true" aria-label={t('cases.photos.viewer')} data-testid="photo-viewer">
      <div className="photo-viewer-bar">
        <span data-testid="photo-viewer-caption">
          {t('cases.photos.position', {
            index: index + 1,
            total: photos.length,
            name: photo.name,
            width: photo.width,
            height: photo.height,
            size: formatBytes(photo.size),
          })}
        </span>
        <span className="photo-viewer-buttons">
          {photos.length > 1 && (
            <>
              <button type="button" className="btn" onClick={() => step(-1)}>
                {t('cases.photos.previous')}
              </button>
              <button type="button" className="btn" onClick={() => step(1)}>
                {t('cases.photos.next')}
              </button>
            </>
          )}
          <button ref={close} type="button" className="btn" onClick={() => onIndex(null)} data-testid="photo-viewer-close">
            {t('cases.photos.close')}
          </button>
        </span>
      </div>
      <div className="photo-viewer-image">
        {image && 'url' in image ? (
          <img src={image.url} alt={photo.name} />
        ) : (
          <p className={image ? 'error' : 'muted'}>
            {image && 'error' in image ? t('cases.photos.failed', { error: image.error }) : t('cases.photos.loading')}
          </p>
        )}
      </div>
    </div>
  );
}
