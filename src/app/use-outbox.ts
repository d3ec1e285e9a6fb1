import { useCallback, useEffect, useRef, useState } from 'react';
import type { Backend } from '../data/backend';
import { idbOutboxStore, memoryOutboxStore, type OutboxSendResult, type OutboxStore, sendOutbox } from '../data/outbox-store';
import { type OutboxItem, type OutboxReport, type OutboxStep, outboxOf } from '../domain/outbox';
import type { OutboxQueue } from '../ui/outbox-context';

/** While something waits, a send is tried this often (and at once when the browser says it is online). */
const RETRY_MS = 20_000;

/** The outbox as the app shows it and fills it. */
export interface Outbox extends OutboxQueue {
  /** The signed-in member's items, oldest first. */
  items: OutboxItem[];
  sending: boolean;
  /** What the browser says of its network. */
  online: boolean;
  /** The last pass's sends, for a notice ("2 sent"). */
  lastSent: OutboxSendResult['sent'];
  sendNow(): Promise<void>;
  discard(id: string): Promise<void>;
}

const channelName = 'gridatlas-outbox';

function openStore(): OutboxStore {
  return typeof indexedDB === 'undefined' ? memoryOutboxStore() : idbOutboxStore();
}

/**
 * Returns the outbox of the signed-in member: reports and steps made without a network, kept in
 * IndexedDB and sent in order when the network is back (on the browser's "online", every 20 s
 * while anything waits, and when asked). One tab sends at a time (a Web Lock); the others hear
 * of every change on a BroadcastChannel. `onSent` is told of every pass that sent something.
 */
export function useOutbox(backend: Backend | null, userId: string | null, onSent: (result: OutboxSendResult) => void): Outbox {
  const store = useRef<OutboxStore>(openStore());
  const [all, setAll] = useState<OutboxItem[]>([]);
  const [sending, setSending] = useState(false);
  const [online, setOnline] = useState(() => typeof navigator === 'undefined' || navigator.onLine);
  const [lastSent, setLastSent] = useState<OutboxSendResult['sent']>([]);
  const channel = useRef<BroadcastChannel | null>(null);
  const onSentRef = useRef(onSent);
  onSentRef.current = onSent;

  const refresh = useCallback(async () => {
    try {
      setAll(await store.current.list());
    } catch {
      // IndexedDB refused (a private window): keep what is in memory from now on.
      store.current = memoryOutboxStore();
      setAll([]);
    }
  }, []);
  const changed = useCallback(async () => {
    await refresh();
    channel.current?.postMessage('changed');
  }, [refresh]);

  const sendNow = useCallback(async () => {
    if (!backend || !userId) return;
    const pass = async () => {
      setSending(true);
      try {
        const result = await sendOutbox(backend, store.current, userId);
        if (result.sent.length > 0 || result.refused.length > 0) {
          setLastSent(result.sent);
          onSentRef.current(result);
        }
      } finally {
        setSending(false);
        await changed();
      }
    };
    // One tab at a time: another tab's pass ends before this one reads the store.
    if (typeof navigator !== 'undefined' && navigator.locks) await navigator.locks.request(channelName, pass);
    else await pass();
  }, [backend, userId, changed]);

  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const c = new BroadcastChannel(channelName);
    c.onmessage = () => void refresh();
    channel.current = c;
    return () => {
      c.close();
      channel.current = null;
    };
  }, [refresh]);

  // At start, and for each member signed in: what they left waiting goes now.
  useEffect(() => {
    void refresh().then(() => sendNow());
  }, [refresh, sendNow]);

  useEffect(() => {
    const up = () => {
      setOnline(true);
      void sendNow();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [sendNow]);

  const items = outboxOf(all, userId);
  const waiting = items.some((i) => i.state === 'waiting');
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => {
      if (navigator.onLine) void sendNow();
    }, RETRY_MS);
    return () => window.clearInterval(timer);
  }, [waiting, sendNow]);

  const queue = useCallback(
    async (entry: OutboxReport | OutboxStep, id: string) => {
      if (!userId) throw new Error('sign in to keep a report for later');
      await store.current.put({
        ...entry,
        id,
        userId,
        createdAt: new Date().toISOString(),
        attempts: 1,
        state: 'waiting',
        refusal: null,
      });
      await changed();
    },
    [userId, changed],
  );

  return {
    items,
    sending,
    online,
    lastSent,
    sendNow,
    discard: async (id) => {
      await store.current.remove(id);
      await changed();
    },
    report: (report, citizen) => queue({ kind: 'report', report, citizen }, report.key),
    step: (step) => queue({ kind: 'step', ...step }, step.options.key),
  };
}
