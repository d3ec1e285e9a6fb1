import type { AppConfig } from '../config';

/**
 * Registers the service worker that keeps the app shell (src/workers/service-worker.ts), in a
 * production build on Supabase: there the app must open without a network for the outbox to
 * keep what a grid worker reports. Registered once the page has loaded and the browser is idle,
 * so that fetching the shell never competes with the first paint. The embedded database keeps
 * itself in the browser already; its app is not registered.
 */
export function registerServiceWorker(config: AppConfig): void {
  if (!import.meta.env.PROD || config.backend.kind !== 'supabase' || !('serviceWorker' in navigator)) return;
  const register = () => {
    const url = new URL(`${import.meta.env.BASE_URL}sw.js`, window.location.href);
    navigator.serviceWorker.register(url, { scope: new URL(import.meta.env.BASE_URL, window.location.href).pathname }).catch(() => {
      // No service worker (a private window, plain http off localhost): the app works online as before.
    });
  };
  const idle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(register, { timeout: 10_000 }) : register());
  if (document.readyState === 'complete') idle();
  else window.addEventListener('load', idle, { once: true });
}
