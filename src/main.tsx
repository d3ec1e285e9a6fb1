/**
 * The first script the page runs, kept small: once index.html's frame and words are on the screen,
 * it reads the configuration, starts the database and the last visit's snapshot at once, and loads
 * the app meanwhile. Everything else comes with src/app/start-app.tsx.
 */
import { actingUser } from './app/acting-user';
import { afterFrames } from './app/first-frame';
import { holdBoot, loadBackend, releaseBoot } from './app/load-backend';
import { loadSnapshot } from './app/load-snapshot';
import { registerServiceWorker } from './app/register-service-worker';
import { readConfig } from './config';
import { storedDatabaseExists } from './data/embedded/stored-database';

/** Returns the page's localStorage, or null where the browser refuses it (a page must boot regardless). */
function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The frames index.html paints before the app starts: its frame, then its words. */
const SPLASH_FRAMES = 2;
/** The longest the app waits for them (a browser still starting may take a second to paint). */
const SPLASH_WAIT_MS = 500;

async function start(): Promise<void> {
  // Marked for the browser's performance panel and the boot test: when the app began, and why then.
  performance.mark('gridatlas:start', { detail: await afterFrames(window, SPLASH_FRAMES, SPLASH_WAIT_MS) });
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  const result = readConfig(import.meta.env, window.location.href);
  if (!result.valid) {
    const { showConfigError } = await import('./app/start-app');
    await showConfigError(root, result.reason, storage());
    return;
  }
  const { config } = result;
  // The app's code (most of the download and compile) is fetched from the start, beside the
  // database check below rather than after it.
  const app = import('./app/start-app');
  const actingAs = actingUser(storage());
  // Whether this browser holds the database already decides which snapshot may stand in for it:
  // asked before the database's boot creates it.
  const hadDatabase = config.backend.kind === 'embedded' ? await storedDatabaseExists(config.backend.databaseName).catch(() => true) : true;
  // The database boots in its worker while the app loads and paints.
  // With a snapshot to show, the map's first cells come before the database's boot (they would
  // share the cores); without one, the cells wait for the database, which starts at once.
  holdBoot();
  const snapshot = loadSnapshot(config, actingAs, hadDatabase);
  void snapshot.then((s) => s === null && releaseBoot());
  loadBackend(config, { attempt: 0, fresh: false, userId: actingAs }, () => undefined).unsubscribe();
  const { startApp } = await app;
  await startApp(root, config, { actingAs, snapshot, storage: storage() });
  registerServiceWorker(config);
}

void start();
