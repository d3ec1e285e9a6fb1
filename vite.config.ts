import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
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

/** Files of the build the service worker keeps as the app shell: pages, scripts, styles, icons, the manifest. */
export const isShellFile = (fileName: string) =>
  /\.(html|js|css|svg|png|webmanifest|woff2?)$/.test(fileName) && fileName !== 'sw.js' && !/^(demo|pglite)(-[a-z0-9]+)*\//.test(fileName);

/**
 * Builds the service worker (src/workers/service-worker.ts) as `sw.js` at the root of the
 * build, and prepends the list of the shell's files and a version named after them, so that
 * a new build's worker fetches the new shell and drops the old one.
 */
function serviceWorker(): Plugin {
  let publicFiles: string[] = [];
  return {
    name: 'gridatlas-service-worker',
    apply: 'build',
    configResolved(config) {
      const root = config.publicDir;
      const walk = (dir: string, prefix: string): string[] =>
        readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
          d.isDirectory() ? walk(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
        );
      publicFiles = root ? walk('', '') : [];
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: 'src/workers/service-worker.ts', fileName: 'sw.js' });
    },
    generateBundle(_options, bundle) {
      const files = [...new Set([...Object.keys(bundle), ...publicFiles])].filter(isShellFile).sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const sw = bundle['sw.js'];
      if (sw?.type !== 'chunk') throw new Error('the service worker was not built');
      sw.code = `self.__GRIDATLAS_SHELL=${JSON.stringify({ version, files: ['./', ...files.filter((f) => f !== 'index.html'), 'index.html'] })};\n${sw.code}`;
    },
  };
}

/** The packages (and entry points) the browser code imports, pre-bundled by the dev server. */
export const OPTIMIZED_DEPENDENCIES = [
  '@deck.gl/layers',
  '@deck.gl/mapbox',
  '@supabase/supabase-js',
  '@tmcw/togeojson',
  '@turf/turf',
  '@xmldom/xmldom',
  'comlink',
  'exceljs',
  'fflate',
  'flatbush',
  'i18next',
  'idb-keyval',
  'maplibre-gl',
  'papaparse',
  'pmtiles',
  'polyclip-ts',
  'qrcode',
  'react',
  'react-dom',
  'react-dom/client',
  'react-i18next',
  'read-excel-file/universal',
  'shapefile',
  'sql.js/dist/sql-wasm-inline.js',
  'terra-draw',
  'terra-draw-maplibre-gl-adapter',
];

export default defineConfig({
  plugins: [react(), gzipArchivesAsFiles(), serviceWorker()],
  optimizeDeps: {
    // PGlite loads its .wasm, .data and extension .tar.gz by URL: keep it out of pre-bundling.
    exclude: ['@electric-sql/pglite', '@electric-sql/pglite-postgis'],
    // Everything else the app imports, pre-bundled when the dev server starts: the dependency
    // scan does not follow Web Workers (import, geometry, density) nor every lazily loaded panel,
    // and a dependency found later makes the dev server reload the page (losing the open panel,
    // the chosen file and the booted database). tests/unit/app/dev-dependencies.test.ts keeps
    // this list complete.
    include: OPTIMIZED_DEPENDENCIES,
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { port: 5173 },
  preview: { port: 4173 },
});
