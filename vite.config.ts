import type { ServerResponse } from 'node:http';
import react from '@vitejs/plugin-react';
import { type Connect, defineConfig, type Plugin } from 'vite';

/**
 * Serves `.gz` archives as the gzip files they are. Vite's static server marks them
 * `Content-Encoding: gzip`, so the browser would unpack them before PGlite does and PGlite's
 * own gunzip of the data directory and of the PostGIS bundle would fail. Production servers
 * need the same rule (see README).
 */
function gzipArchivesAsFiles(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res: ServerResponse, next) => {
    if (req.url && /\.(tar\.gz|gz)(\?|$)/.test(req.url)) {
      const setHeader = res.setHeader.bind(res);
      res.setHeader = (name, value) => {
        const header = name.toLowerCase();
        if (header === 'content-encoding') return res;
        if (header === 'content-type') return setHeader(name, 'application/gzip');
        return setHeader(name, value);
      };
    }
    next();
  };
  return {
    name: 'gridatlas-gzip-archives-as-files',
    configureServer: (server) => {
      server.middlewares.use(middleware);
    },
    configurePreviewServer: (server) => {
      server.middlewares.use(middleware);
    },
  };
}

export default defineConfig({
  plugins: [react(), gzipArchivesAsFiles()],
  // PGlite loads its .wasm, .data and extension .tar.gz by URL: keep it out of pre-bundling.
  optimizeDeps: { exclude: ['@electric-sql/pglite', '@electric-sql/pglite-postgis'] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { port: 5173 },
  preview: { port: 4173 },
});
