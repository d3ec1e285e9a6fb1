import { useEffect, useState } from 'react';
import type { Backend, Session } from '../data/backend';
import type { CasePoints } from '../domain/cases';
import { useErrorText } from '../ui/error-text';

/**
 * The cases the user may read, for the map's case layer: loaded while the layer is on, again
 * when `version` changes (a case was reported or moved a step) and for another user.
 */
export function useCasePoints(
  backend: Backend | null,
  session: Session | null,
  on: boolean,
  version: number,
  onError: (message: string) => void,
): { cases: CasePoints | null; loading: boolean } {
  const errorText = useErrorText();
  const [cases, setCases] = useState<CasePoints | null>(null);
  const [loading, setLoading] = useState(false);
  const user = session ? `${session.userId}/${session.role}` : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and user are the signals to load again.
  useEffect(() => {
    setCases(null);
    if (!backend || !on || !session || session.role === 'anon') return;
    let live = true;
    setLoading(true);
    backend
      .listCasePoints()
      .then((c) => live && setCases(c))
      .catch((error: unknown) => live && onError(errorText(error)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [backend, on, version, user]);
  return { cases, loading };
}
