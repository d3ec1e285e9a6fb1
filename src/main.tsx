import type { FeatureCollection } from 'geojson';
import i18next from 'i18next';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import './app/app.css';
import { readConfig } from './config';
import type { BBox } from './domain/ids';
import { initI18n, initialLanguage } from './i18n';
import { resolveBasemapStyle } from './map/basemap-style';
import type { LabelFeature } from './map/render-model';

async function fetchJson<T>(url: string): Promise<T | null> {
  try {
    const response = await fetch(url);
    return response.ok ? ((await response.json()) as T) : null;
  } catch {
    return null;
  }
}

async function start(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  await initI18n(initialLanguage(localStorage));
  const result = readConfig(import.meta.env, window.location.href);
  if (!result.valid) {
    root.textContent = i18next.t('configError', { reason: result.reason });
    return;
  }
  const { config } = result;
  const [style, manifest, labels] = await Promise.all([
    resolveBasemapStyle(config),
    fetchJson<{ bbox?: BBox }>(new URL('manifest.json', config.demoBaseUrl).href),
    config.basemap.kind === 'builtin' ? fetchJson<FeatureCollection>(new URL('labels.geojson', config.demoBaseUrl).href) : null,
  ]);
  createRoot(root).render(
    <StrictMode>
      <App config={config} style={style} initialBounds={manifest?.bbox ?? null} labels={(labels?.features ?? []) as LabelFeature[]} />
    </StrictMode>,
  );
}

void start();
