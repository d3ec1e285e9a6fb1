import { useEffect, useRef, useState } from 'react';
import type { Backend, Session } from '../data/backend';
import type { ChangeTopic, DataChange } from '../data/live-changes';
import {
  type Alert,
  type AlertsNow,
  feedKey,
  type LiveFeedItem,
  type LiveNow,
  type LiveStreet,
  newFeedItems,
  type Patrol,
} from '../domain/live';

/** How often the view loads again with nothing heard (deadlines pass, and a missed change is caught). */
export const LIVE_POLL_MS = 30_000;
/** How long what just happened stays highlighted in the feed and ringed on the map. */
export const LIVE_HIGHLIGHT_MS = 10_000;
/** Changes heard within this time are loaded together. */
const CHANGE_SETTLE_MS = 250;

/**
 * Calls `onChange` with the topics of changes committed by others (other tabs, other users),
 * gathered over a moment; `onAny` hears every change, this page's included. Nothing where the
 * backend does not tell.
 */
export function useDataChanges(
  backend: Backend | null,
  onChange: (topics: ReadonlySet<ChangeTopic>) => void,
  onAny: (change: DataChange) => void,
): void {
  const handlers = useRef({ onChange, onAny });
  handlers.current = { onChange, onAny };
  useEffect(() => {
    if (!backend?.subscribeChanges) return;
    let pending = new Set<ChangeTopic>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = backend.subscribeChanges((change) => {
      handlers.current.onAny(change);
      if (change.own) return;
      for (const topic of change.topics) pending.add(topic);
      timer ??= setTimeout(() => {
        const topics = pending;
        pending = new Set();
        timer = null;
        handlers.current.onChange(topics);
      }, CHANGE_SETTLE_MS);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [backend]);
}

export interface LiveNowState {
  now: LiveNow | null;
  /** When the view was last loaded (ms since the epoch), or null. */
  updatedAt: number | null;
  /** The last load's failure, until one succeeds. */
  error: unknown;
  /** Feed items that came since the view opened, highlighted until they expire (by feedKey). */
  fresh: ReadonlyMap<string, LiveFeedItem>;
  /** Whether changes are heard as they are committed (else the view polls only). */
  pushed: boolean;
  /** The grid workers' patrols under way. */
  patrols: Patrol[];
  /** Each street's figures (the wall screen's), when asked for. */
  streets: LiveStreet[] | null;
}

/**
 * The command centre's "now" while `open`: loaded at once, again `CHANGE_SETTLE_MS` after each
 * committed change (`changeSeq` counts them) and every LIVE_POLL_MS. Items new to the feed stay
 * in `fresh` for LIVE_HIGHLIGHT_MS. With `withStreets`, each street's figures load with it.
 */
export function useLiveNow(
  backend: Backend | null,
  session: Session | null,
  open: boolean,
  changeSeq: number,
  withStreets = false,
): LiveNowState {
  const [state, setState] = useState<LiveNowState>({
    now: null,
    updatedAt: null,
    error: null,
    fresh: new Map(),
    pushed: false,
    patrols: [],
    streets: null,
  });
  const previous = useRef<LiveFeedItem[] | null>(null);
  const [pollSeq, setPollSeq] = useState(0);
  const user = session ? `${session.userId}/${session.role}` : null;

  // A new user or a closed view starts over: nothing is new on the first load.
  // biome-ignore lint/correctness/useExhaustiveDependencies: user is the signal to start over.
  useEffect(() => {
    previous.current = null;
    setState({
      now: null,
      updatedAt: null,
      error: null,
      fresh: new Map(),
      pushed: Boolean(backend?.subscribeChanges),
      patrols: [],
      streets: null,
    });
  }, [backend, user, open]);

  useEffect(() => {
    if (!open) return;
    const timer = setInterval(() => setPollSeq((n) => n + 1), LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [open]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: changeSeq, pollSeq, user and withStreets are the signals to load again.
  useEffect(() => {
    if (!open || !backend || !session || session.role === 'anon') return;
    let live = true;
    const timer = setTimeout(
      () => {
        Promise.all([backend.getLiveNow(), backend.listPatrolsUnderWay(), withStreets ? backend.getLiveStreets() : null])
          .then(([now, patrols, streets]) => {
            if (!live) return;
            const added = newFeedItems(previous.current, now.feed);
            previous.current = now.feed;
            setState((s) => {
              const fresh = new Map(s.fresh);
              for (const item of added) fresh.set(feedKey(item), item);
              return { ...s, now, patrols, streets, updatedAt: Date.now(), error: null, fresh };
            });
            if (added.length > 0)
              setTimeout(() => {
                setState((s) => {
                  const fresh = new Map(s.fresh);
                  for (const item of added) fresh.delete(feedKey(item));
                  return { ...s, fresh };
                });
              }, LIVE_HIGHLIGHT_MS);
          })
          .catch((error: unknown) => live && setState((s) => ({ ...s, error })));
        // The first load at once; after a change, once the changes heard together are in.
      },
      previous.current ? CHANGE_SETTLE_MS : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [backend, open, changeSeq, pollSeq, user, withStreets]);

  return state;
}

export interface AlertsState {
  alerts: AlertsNow | null;
  error: unknown;
  /** Acknowledges an alert; the list loads again. */
  acknowledge(id: number): Promise<void>;
  /** Adds or switches a rule; the list loads again. */
  saveRule(rule: Parameters<Backend['saveAlertRule']>[0]): Promise<void>;
}

/**
 * The open alerts while `on` (the command centre): the database raises what its rules say now
 * at each load, at once, after each committed change and every LIVE_POLL_MS. `onNew` hears of
 * alerts that were not open at the last load (not on the first).
 */
export function useAlerts(
  backend: Backend | null,
  session: Session | null,
  on: boolean,
  changeSeq: number,
  onNew: (alerts: Alert[]) => void,
): AlertsState {
  const [alerts, setAlerts] = useState<AlertsNow | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [seq, setSeq] = useState(0);
  const known = useRef<Set<number> | null>(null);
  const onNewRef = useRef(onNew);
  onNewRef.current = onNew;
  const user = session ? `${session.userId}/${session.role}` : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: user is the signal to start over.
  useEffect(() => {
    known.current = null;
    setAlerts(null);
    setError(null);
  }, [backend, user, on]);

  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setSeq((n) => n + 1), LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [on]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: changeSeq, seq and user are the signals to load again.
  useEffect(() => {
    if (!on || !backend) return;
    let live = true;
    const timer = setTimeout(
      () => {
        backend
          .getAlerts()
          .then((next) => {
            if (!live) return;
            const ids = new Set(next.alerts.map((a) => a.id));
            const added = known.current ? next.alerts.filter((a) => !known.current?.has(a.id)) : [];
            known.current = ids;
            setAlerts(next);
            setError(null);
            if (added.length > 0) onNewRef.current(added);
          })
          .catch((e: unknown) => live && setError(e));
      },
      known.current ? CHANGE_SETTLE_MS : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [backend, on, changeSeq, seq, user]);

  return {
    alerts,
    error,
    acknowledge: async (id) => {
      if (!backend) return;
      try {
        await backend.acknowledgeAlert(id);
      } finally {
        setSeq((n) => n + 1);
      }
    },
    saveRule: async (rule) => {
      if (!backend) return;
      await backend.saveAlertRule(rule);
      setSeq((n) => n + 1);
    },
  };
}
