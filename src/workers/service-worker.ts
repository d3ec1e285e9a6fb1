/**
 * The service worker: keeps the app shell so that a grid worker's phone opens the app without a
 * network, and its outbox can hold what they report until the network is back.
 *
 * - The build's own files (index.html, scripts, styles, icons, the web app manifest: the list
 *   the build prepends as `self.__GRIDATLAS_SHELL`) are fetched into a cache named after the build
 *   when the worker installs; a new build's worker replaces the old cache when it activates.
 * - A page (navigation) comes from the network, or from the cached index.html without one.
 * - The shell's files come from the cache first (their names change with their content).
 * - Other files of the app's origin (the district's GeoJSON, the style) come from the network
 *   and are kept; without a network, the kept copy answers.
 * - Supabase's APIs (/auth, /rest, /storage, /realtime, /functions) and large binaries (the
 *   embedded database's WebAssembly and data archives) are never touched: the app sees their
 *   failures as they are, and the outbox does its work.
 */

export {};

declare const self: ServiceWorkerGlobalScope & { __GRIDATLAS_SHELL?: { version: string; files: string[] } };

const shell = self.__GRIDATLAS_SHELL ?? { version: 'dev', files: [] };
const SHELL_CACHE = `gridatlas-shell-${shell.version}`;
const RUNTIME_CACHE = 'gridatlas-runtime';
const scope = () => new URL(self.registration.scope);
const shellUrls = () => new Set(shell.files.map((f) => new URL(f, scope()).href));

/** The request is one the worker leaves to the network alone. */
function passThrough(url: URL): boolean {
  const path = url.pathname.slice(scope().pathname.length - 1);
  return (
    url.origin !== self.location.origin ||
    /^\/(auth|rest|storage|realtime|functions|graphql)\/v1\//.test(path) ||
    /\.(wasm|data|gz|tar|pbf|pmtiles)$/.test(url.pathname)
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll([...shellUrls()]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('gridatlas-shell-') && name !== SHELL_CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

/** The network's answer, kept in `cacheName` when it is a whole, good one; the kept copy without a network. */
async function networkFirst(request: Request, cacheName: string, fallback?: string): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok && response.status === 200) {
      const copy = response.clone();
      void caches.open(cacheName).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const kept = (await caches.match(request)) ?? (fallback ? await caches.match(fallback) : undefined);
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (passThrough(url)) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL_CACHE, new URL('index.html', scope()).href));
    return;
  }
  if (shellUrls().has(url.href)) {
    event.respondWith(caches.match(request).then((kept) => kept ?? fetch(request)));
    return;
  }
  event.respondWith(networkFirst(request, RUNTIME_CACHE));
});
