import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PHOTOS_PER_STEP, PHOTO_MAX_EDGE, type PhotoFile } from '../domain/photos';
import { resizePhotos } from '../workers/photo-client';
import { formatBytes } from './format';

export interface PhotoPickerProps {
  photos: readonly PhotoFile[];
  onChange(photos: PhotoFile[]): void;
  disabled?: boolean;
  testId: string;
}

/** Object URLs for the photos' bytes while they are shown, revoked when they change or go. */
function usePhotoUrls(photos: readonly PhotoFile[]): string[] {
  const urls = useMemo(
    () => photos.map((p) => URL.createObjectURL(new Blob([p.bytes as Uint8Array<ArrayBuffer>], { type: p.mime }))),
    [photos],
  );
  useEffect(
    () => () => {
      for (const u of urls) URL.revokeObjectURL(u);
    },
    [urls],
  );
  return urls;
}

/**
 * Photos for a step: chosen from the device (on a phone, the camera is offered), resized in a
 * worker to JPEG at most PHOTO_MAX_EDGE pixels, shown as thumbnails that can be removed; at most
 * MAX_PHOTOS_PER_STEP. Files that are no images are named and left out.
 */
export function PhotoPicker({ photos, onChange, disabled = false, testId }: PhotoPickerProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  // A touch device has a camera to open straight away (the file chooser offers it less directly).
  const [touch] = useState(() => typeof window !== 'undefined' && window.matchMedia?.('(pointer: coarse)').matches === true);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const urls = usePhotoUrls(photos);
  const room = MAX_PHOTOS_PER_STEP - photos.length;

  const add = async (files: File[]) => {
    setProblems([]);
    const taken = files.slice(0, Math.max(0, room));
    const notes: string[] = [];
    if (files.length > taken.length)
      notes.push(t('cases.photos.tooMany', { max: MAX_PHOTOS_PER_STEP, dropped: files.length - taken.length }));
    const added: PhotoFile[] = [];
    setProgress({ done: 0, total: taken.length });
    try {
      await resizePhotos(
        taken,
        (photo) => {
          added.push(photo);
          setProgress((p) => p && { ...p, done: p.done + 1 });
        },
        (file, reason) => {
          notes.push(t(reason === 'not-an-image' ? 'cases.photos.notImage' : 'cases.photos.tooLarge', { name: file.name }));
          setProgress((p) => p && { ...p, done: p.done + 1 });
        },
      );
    } catch (error) {
      notes.push(error instanceof Error ? error.message : String(error));
    }
    setProgress(null);
    setProblems(notes);
    if (added.length > 0) onChange([...photos, ...added]);
  };

  const pick = (e: React.ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    if (files.length > 0) void add(files);
  };

  return (
    <div className="photo-picker" data-testid={testId}>
      <div className="photo-picker-head">
        <button
          type="button"
          className="btn photo-add"
          onClick={() => input.current?.click()}
          disabled={disabled || room <= 0 || progress !== null}
          data-testid={`${testId}-add`}
        >
          {t('cases.photos.add')}
        </button>
        {touch && (
          <button
            type="button"
            className="btn photo-add"
            onClick={() => camera.current?.click()}
            disabled={disabled || room <= 0 || progress !== null}
            data-testid={`${testId}-camera`}
          >
            {t('cases.photos.camera')}
          </button>
        )}
        <input
          ref={input}
          hidden
          type="file"
          accept="image/*"
          multiple
          disabled={disabled || room <= 0 || progress !== null}
          onChange={pick}
          data-testid={`${testId}-input`}
        />
        <input
          ref={camera}
          hidden
          type="file"
          accept="image/*"
          capture="environment"
          disabled={disabled || room <= 0 || progress !== null}
          onChange={pick}
          data-testid={`${testId}-camera-input`}
        />
        <span className="muted" data-testid={`${testId}-count`}>
          {t('cases.photos.count', { count: photos.length, max: MAX_PHOTOS_PER_STEP })}
        </span>
      </div>
      {progress && (
        <p className="muted" role="status">
          {t('cases.photos.working', { done: Math.min(progress.done + 1, progress.total), total: progress.total })}
        </p>
      )}
      {problems.length > 0 && (
        <div className="error" role="alert" data-testid={`${testId}-problem`}>
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      {photos.length > 0 && (
        <ul className="photo-thumbs">
          {photos.map((p, k) => (
            <li key={urls[k]} className="photo-thumb" data-width={p.width} data-height={p.height}>
              <img src={urls[k]} alt={p.name} title={`${p.name} · ${p.width} × ${p.height} · ${formatBytes(p.bytes.length)}`} />
              <button
                type="button"
                className="photo-remove"
                onClick={() => onChange(photos.filter((_, i) => i !== k))}
                disabled={disabled}
                aria-label={t('cases.photos.remove', { name: p.name })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">{t('cases.photos.help', { edge: PHOTO_MAX_EDGE })}</p>
    </div>
  );
}
