import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type DensityHelper, DensityPool, HelperStopped, helperCount } from '../workers/density-pool';
import type { DensityThreadAsk, DensityThreadReply, DensityThreadRequest } from './density-thread';

/**
 * Starts a Node thread running density-thread.ts. The CLI runs under tsx, whose loader threads do
 * not inherit: the thread registers it before importing the TypeScript module.
 */
function startThread(): Worker {
  const file = new URL('./density-thread.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(file)}, ${JSON.stringify(file)}))`, {
    eval: true,
  });
}

/** A helper on a Node thread: requests and replies matched by id. */
export function threadHelper(): DensityHelper {
  const worker = startThread();
  worker.unref();
  let next = 0;
  const waiting = new Map<number, { resolve(values: Float64Array | undefined): void; reject(error: Error): void }>();
  worker.on('message', (reply: DensityThreadReply) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.error) w?.reject(new Error(reply.error));
    else w?.resolve(reply.values);
  });
  // A thread that fails or ends answers nothing more: what waits, and what comes, is refused.
  let stopped: HelperStopped | null = null;
  const stop = (why: string) => {
    stopped ??= new HelperStopped(why);
    for (const w of waiting.values()) w.reject(stopped);
    waiting.clear();
  };
  worker.on('error', (error) => stop(error.message));
  worker.on('exit', (code) => stop(`the thread ended (exit code ${code})`));
  const ask = (request: DensityThreadAsk) =>
    new Promise<Float64Array | undefined>((resolve, reject) => {
      if (stopped) {
        reject(stopped);
        return;
      }
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } satisfies DensityThreadRequest);
    });
  return {
    setPoints: async (lng, lat) => {
      await ask({ type: 'points', lng, lat });
    },
    rows: async (weights, frame, options, rows) => {
      const values = await ask({ type: 'rows', weights, frame, options, rows });
      if (!values) throw new Error('a density thread answered without values');
      return values;
    },
    terminate: () => {
      stop('terminated');
      void worker.terminate();
    },
  };
}

/** A density pool on Node threads (one per core beyond the first, at most three, unless told). */
export function densityThreads(helpers = helperCount(availableParallelism())): DensityPool {
  return new DensityPool(Array.from({ length: helpers }, threadHelper));
}
