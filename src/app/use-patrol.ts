import { useCallback, useEffect, useRef, useState } from 'react';
import type { Backend, Session } from '../data/backend';
import type { Patrol, PatrolPosition } from '../domain/live';
import { randomKey } from '../domain/random-key';

/** Positions are sent this often while a patrol is under way (and all at its end). */
const FLUSH_MS = 15_000;

export interface PatrolState {
  /** The grid worker's patrol under way, or null. */
  underWay: Patrol | null;
  /** Positions recorded and not sent yet. */
  pending: number;
  busy: boolean;
  error: unknown;
  /** Bumped when a patrol starts or ends here: the inspector's list loads again. */
  version: number;
  start(cellCode: string): Promise<void>;
  end(note: string): Promise<void>;
}

const positionOf = (p: GeolocationPosition): PatrolPosition => [p.coords.longitude, p.coords.latitude, p.timestamp];

/**
 * A grid worker's patrol (巡查): started on one of their cells, the phone's positions recorded
 * while it is under way (sent every FLUSH_MS and at the end), ended with a note. A patrol under
 * way is found again after a reload. Without a position (no GPS, permission refused) the patrol
 * still counts, with no track.
 */
export function usePatrol(backend: Backend | null, session: Session | null): PatrolState {
  const [underWay, setUnderWay] = useState<Patrol | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [pending, setPending] = useState(0);
  const buffer = useRef<PatrolPosition[]>([]);
  /** The last position recorded: the same again (a phone standing still) is not kept twice. */
  const last = useRef<PatrolPosition | null>(null);
  const worker = session?.role === 'worker' ? session.userId : null;

  useEffect(() => {
    setUnderWay(null);
    buffer.current = [];
    setPending(0);
    if (!backend || !worker) return;
    let live = true;
    backend
      .listPatrolsUnderWay()
      .then((list) => live && setUnderWay(list[0] ?? null))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [backend, worker]);

  // While under way: the phone's positions, and sending them now and then.
  const patrolId = underWay?.id ?? null;
  useEffect(() => {
    if (!backend || !patrolId) return;
    const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
    const watch = geo?.watchPosition(
      (p) => {
        const position = positionOf(p);
        if (last.current && last.current[0] === position[0] && last.current[1] === position[1]) return;
        last.current = position;
        buffer.current.push(position);
        setPending(buffer.current.length);
      },
      () => undefined,
      { enableHighAccuracy: true, maximumAge: 5_000 },
    );
    const timer = setInterval(() => {
      const batch = buffer.current.splice(0);
      setPending(0);
      if (batch.length === 0) return;
      backend.addPatrolPositions(patrolId, batch).then(setUnderWay, (e: unknown) => {
        // Kept for the next try.
        buffer.current.unshift(...batch);
        setPending(buffer.current.length);
        setError(e);
      });
    }, FLUSH_MS);
    return () => {
      if (watch !== undefined) geo?.clearWatch(watch);
      clearInterval(timer);
    };
  }, [backend, patrolId]);

  const start = useCallback(
    async (cellCode: string) => {
      if (!backend) return;
      setBusy(true);
      setError(null);
      try {
        const first = await new Promise<PatrolPosition[]>((resolve) => {
          if (!navigator.geolocation) return resolve([]);
          navigator.geolocation.getCurrentPosition(
            (p) => resolve([positionOf(p)]),
            () => resolve([]),
            { enableHighAccuracy: true, timeout: 5_000, maximumAge: 30_000 },
          );
        });
        last.current = first[0] ?? null;
        setUnderWay(await backend.startPatrol(cellCode, randomKey(), first));
        setVersion((v) => v + 1);
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
    [backend],
  );

  const end = useCallback(
    async (note: string) => {
      if (!backend || !underWay) return;
      setBusy(true);
      setError(null);
      const batch = buffer.current.splice(0);
      try {
        await backend.endPatrol(underWay.id, note, batch);
        setUnderWay(null);
        setPending(0);
        setVersion((v) => v + 1);
      } catch (e) {
        buffer.current.unshift(...batch);
        setError(e);
      } finally {
        setBusy(false);
      }
    },
    [backend, underWay],
  );

  return { underWay, pending, busy, error, version, start, end };
}
