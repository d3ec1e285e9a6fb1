import type { FeatureCollection } from 'geojson';
import i18next from 'i18next';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppConfig } from '../config';
import type { BootSnapshot } from '../data/boot-snapshot';
import type { BBox } from '../domain/ids';
import { initI18n, initialLanguage } from '../i18n';
import { resolveBasemapStyle } from '../map/basemap-style';
import type { LabelFeature } from '../map/render-model';
import { App } from './app';
import './app.css';

async function fetchJson<T>(url: string): Promise<T | null> {
  try {
    const response = await fetch(url);
    return response.ok ? ((await response.json()) as T) : null;
  } catch {
    return null;
  }
}

/** Shows why the configuration cannot be used, in the UI's language. */
export async function showConfigError(root: HTMLElement, reason: string, storage: Storage | null): Promise<void> {
  await initI18n(initialLanguage(storage ?? undefined));
  root.textContent = i18next.t('configError', { reason });
}

/** Renders the app into `root` once its language, basemap style and the district's box are known. */
export async function startApp(
  root: HTMLElement,
  config: AppConfig,
  options: { actingAs: string; snapshot: Promise<BootSnapshot | null>; storage: Storage | null },
): Promise<void> {
  const [, style, manifest, labels] = await Promise.all([
    initI18n(initialLanguage(options.storage ?? undefined)),
    resolveBasemapStyle(config),
    fetchJson<{ bbox?: BBox }>(new URL('manifest.json', config.demoBaseUrl).href),
    config.basemap.kind === 'builtin' ? fetchJson<FeatureCollection>(new URL('labels.geojson', config.demoBaseUrl).href) : null,
  ]);
  createRoot(root).render(
    <StrictMode>
      <App
        config={config}
        style={style}
        initialBounds={manifest?.bbox ?? null}
        labels={(labels?.features ?? []) as LabelFeature[]}
        actingAs={options.actingAs}
        snapshot={options.snapshot}
      />
    </StrictMode>,
  );
}
