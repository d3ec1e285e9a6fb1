import type { AppConfig } from '../config';
import type { Backend } from '../data/backend';
import type { BootProgress } from '../data/embedded/boot-progress';

const attempts = new Map<number, Promise<Backend>>();

/**
 * Builds the configured Backend once per boot attempt (React may run an effect twice; two
 * workers must never open the same IndexedDB database). The embedded one boots in a Web Worker.
 */
export function loadBackend(
  config: AppConfig,
  options: { attempt: number; fresh: boolean; userId?: string; onProgress(p: BootProgress): void },
): Promise<Backend> {
  let pending = attempts.get(options.attempt);
  if (!pending) {
    pending = buildBackend(config, options);
    attempts.set(options.attempt, pending);
  }
  return pending;
}

async function buildBackend(
  config: AppConfig,
  options: { fresh: boolean; userId?: string; onProgress(p: BootProgress): void },
): Promise<Backend> {
  if (config.backend.kind === 'supabase') {
    const { createSupabaseBackend } = await import('../data/supabase/supabase-backend');
    options.onProgress({ stage: 'ready' });
    return createSupabaseBackend({ url: config.backend.url, anonKey: config.backend.anonKey });
  }
  const { createEmbeddedBackend } = await import('../data/embedded/embedded-backend');
  return createEmbeddedBackend({
    name: config.backend.databaseName,
    dataUrl: config.backend.dataUrl,
    fresh: options.fresh,
    userId: options.userId,
    onProgress: options.onProgress,
  });
}
