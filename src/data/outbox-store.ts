import { createStore, del, entries, set, type UseStore } from 'idb-keyval';
import { itemsToSend, type OutboxItem, sendFailure } from '../domain/outbox';
import type { Backend } from './backend';

/** Where the outbox keeps its items: the browser's IndexedDB, or memory where there is none. */
export interface OutboxStore {
  list(): Promise<OutboxItem[]>;
  put(item: OutboxItem): Promise<void>;
  remove(id: string): Promise<void>;
}

/** Returns the outbox kept in IndexedDB (a database of its own): it outlives a reload and a closed tab. */
export function idbOutboxStore(): OutboxStore {
  let store: UseStore | null = null;
  const items = () => {
    store ??= createStore('gridatlas-outbox', 'items');
    return store;
  };
  return {
    list: async () => (await entries<string, OutboxItem>(items())).map(([, item]) => item),
    put: (item) => set(item.id, item, items()),
    remove: (id) => del(id, items()),
  };
}

/** Returns an outbox kept in memory only (where IndexedDB is refused, e.g. some private windows; and in Node). */
export function memoryOutboxStore(): OutboxStore {
  const kept = new Map<string, OutboxItem>();
  return {
    list: async () => [...kept.values()].map((i) => structuredClone(i)),
    put: async (item) => {
      kept.set(item.id, structuredClone(item));
    },
    remove: async (id) => {
      kept.delete(id);
    },
  };
}

/** What one pass of sending did. */
export interface OutboxSendResult {
  /** The items sent (the database took them, or had them already), in the order sent. */
  sent: { item: OutboxItem; caseId: string; repeated: boolean }[];
  /** Items the database refused this pass (kept, marked, for the member). */
  refused: OutboxItem[];
  /** True when a send failed for want of a network: the rest wait for the next pass. */
  stopped: boolean;
}

/**
 * Sends the waiting items of `userId`, oldest first, one at a time: a sent item leaves the store;
 * one the database refuses is kept, marked with the reason, and the next is sent; a send that
 * fails for want of a network stops the pass, the item and the rest kept as they were (their
 * keys make the next pass's sends of anything that did arrive harmless).
 */
export async function sendOutbox(backend: Backend, store: OutboxStore, userId: string | null): Promise<OutboxSendResult> {
  const result: OutboxSendResult = { sent: [], refused: [], stopped: false };
  for (const item of itemsToSend(await store.list(), userId)) {
    try {
      const answer =
        item.kind === 'report'
          ? item.citizen
            ? await backend.reportComplaint(item.report, item.citizen)
            : await backend.reportCase(item.report)
          : await backend.transitionCase(item.caseId, item.action, item.options);
      await store.remove(item.id);
      const repeated = (answer as { repeated?: boolean }).repeated === true;
      result.sent.push({ item, caseId: item.kind === 'report' ? (answer as { id: string }).id : item.caseId, repeated });
    } catch (error) {
      const e = error as { code?: string; message?: string };
      if (sendFailure(e.code) === 'retry') {
        await store.put({ ...item, attempts: item.attempts + 1 });
        result.stopped = true;
        break;
      }
      const refused: OutboxItem = { ...item, state: 'refused', refusal: e.message ?? String(error) };
      await store.put(refused);
      result.refused.push(refused);
    }
  }
  return result;
}
