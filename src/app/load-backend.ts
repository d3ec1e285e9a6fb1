import type { AppConfig } from '../config';
import type { Backend } from '../data/backend';
import type { BootProgress } from '../data/embedded/boot-progress';
import { dropSnapshots } from '../data/embedded/snapshot-store';

interface Attempt {
  backend: Promise<Backend>;
  listeners: Set<(p: BootProgress) => void>;
  last: BootProgress;
}

const attempts = new Map<number, Attempt>();

/** The embedded database's boot, held until the map shows its cells (or for at most this long). */
export const BOOT_HOLD_MS = 4000;
let hold: { until: Promise<void>; release(): void } | null = null;

/**
 * Holds the embedded database's boot until `releaseBoot` (the map shows its cells) or `maxMs`:
 * the boot (compiling PostGIS, unpacking the data directory) and the first frames compete for
 * the same cores, and a user can inspect cells from the snapshot before the database is needed.
 */
export function holdBoot(maxMs = BOOT_HOLD_MS): void {
  let release: () => void = () => undefined;
  const until = new Promise<void>((resolve) => {
    release = resolve;
    setTimeout(resolve, maxMs);
  });
  hold = { until, release };
}

/** Lets a held boot go (the cells are on the map). */
export function releaseBoot(): void {
  hold?.release();
}

/** Resolves when the embedded database may boot (at once when nothing holds it). */
export function bootReleased(): Promise<void> {
  return hold?.until ?? Promise.resolve();
}

export interface LoadOptions {
  /** Boot attempt number: a new number boots again (retry, reset), the same number shares one boot. */
  attempt: number;
  fresh: boolean;
  userId?: string;
}

/**
 * Builds the configured Backend once per boot attempt: React may run an effect twice, and two
 * workers must never open the same IndexedDB database. Every caller gets the shared Backend and
 * its progress (the latest at once, then each change) until it unsubscribes.
 */
export function loadBackend(
  config: AppConfig,
  options: LoadOptions,
  onProgress: (p: BootProgress) => void,
): { backend: Promise<Backend>; unsubscribe(): void } {
  let attempt = attempts.get(options.attempt);
  if (!attempt) {
    const created: Attempt = { backend: Promise.resolve(null as never), listeners: new Set(), last: { stage: 'check' } };
    created.backend = buildBackend(config, options, (p) => {
      created.last = p;
      for (const listener of created.listeners) listener(p);
    });
    attempts.set(options.attempt, created);
    attempt = created;
  }
  const current = attempt;
  current.listeners.add(onProgress);
  onProgress(current.last);
  return { backend: current.backend, unsubscribe: () => current.listeners.delete(onProgress) };
}

async function buildBackend(config: AppConfig, options: LoadOptions, onProgress: (p: BootProgress) => void): Promise<Backend> {
  if (config.backend.kind === 'supabase') {
    const { createSupabaseBackend } = await import('../data/supabase/supabase-backend');
    onProgress({ stage: 'ready' });
    return createSupabaseBackend({ url: config.backend.url, anonKey: config.backend.anonKey });
  }
  await bootReleased();
  const { createEmbeddedBackend } = await import('../data/embedded/embedded-backend');
  // A database started again from the demo makes the snapshots of the old one wrong.
  if (options.fresh) await dropSnapshots(config.backend.databaseName).catch(() => undefined);
  return createEmbeddedBackend({
    name: config.backend.databaseName,
    dataUrl: config.backend.dataUrl,
    postgisUrl: config.backend.postgisUrl,
    fresh: options.fresh,
    userId: options.userId,
    onProgress,
  });
}
