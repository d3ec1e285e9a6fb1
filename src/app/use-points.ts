import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Backend, Session } from '../data/backend';
import type { PointKind } from '../domain/ids';
import type { PointColumns } from '../domain/records';
import type { LayerKey } from '../state/ui-state';
import { errorText } from '../ui/error-text';

const KINDS = ['event', 'person', 'place', 'thing', 'organisation'] as const;

/**
 * The points of each kind the user may see, loaded the first time their layer is switched on
 * (events also when the heatmap is), again after an import of that kind, and anew for another
 * user (who sees other points).
 */
export function usePoints(
  backend: Backend | null,
  session: Session | null,
  layers: Record<LayerKey, boolean>,
  onError: (message: string) => void,
): {
  points: Partial<Record<PointKind, PointColumns>>;
  loading: Partial<Record<LayerKey, boolean>>;
  /** After an import: the kind's points load again. */
  reload(kind: PointKind): void;
} {
  const { t } = useTranslation();
  const [points, setPoints] = useState<Partial<Record<PointKind, PointColumns>>>({});
  const [loading, setLoading] = useState<Partial<Record<LayerKey, boolean>>>({});
  const [version, setVersion] = useState(0);
  const requested = useRef(new Set<PointKind>());

  // Another user sees other points: those loaded go. (The snapshot's user is the database's on a
  // normal boot, so nothing is dropped then.)
  const user = session ? `${session.userId}/${session.role}` : null;
  const shownFor = useRef(user);
  if (shownFor.current !== user) {
    if (shownFor.current !== null) {
      requested.current.clear();
      setPoints({});
    }
    shownFor.current = user;
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is the signal to load again.
  useEffect(() => {
    if (!backend || !session || session.role === 'anon') return;
    for (const kind of KINDS) {
      const wanted = layers[kind] || (kind === 'event' && layers.heat);
      if (!wanted || requested.current.has(kind)) continue;
      requested.current.add(kind);
      setLoading((l) => ({ ...l, [kind]: true }));
      backend
        .listPoints(kind)
        .then((columns) => setPoints((p) => ({ ...p, [kind]: columns })))
        .catch((error: unknown) => onError(errorText(t, error)))
        .finally(() => setLoading((l) => ({ ...l, [kind]: false })));
    }
  }, [backend, session, layers, t, version]);

  const reload = (kind: PointKind) => {
    requested.current.delete(kind);
    setPoints((p) => {
      const { [kind]: _dropped, ...rest } = p;
      return rest;
    });
    setVersion((v) => v + 1);
  };

  return { points, loading, reload };
}
