import type { FeatureCollection, MultiPolygon } from 'geojson';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppConfig } from '../config';
import { type Backend, BackendError, type DistrictOverview, type Session, type SignInRequest } from '../data/backend';
import { type BootSnapshot, readBootSnapshot } from '../data/boot-snapshot';
import { DEMO_MEMBERS } from '../data/demo-members';
import type { BootProgress } from '../data/embedded/boot-progress';
import type { BBox } from '../domain/ids';
import type { AdminAreaProperties, CellProperties } from '../domain/records';
import { errorText } from '../ui/error-text';
import { ACTING_AS_KEY } from './acting-user';
import { loadBackend } from './load-backend';
import { loadOfflineSnapshot, saveSnapshot } from './load-snapshot';
import { hooks } from './test-hooks';
import { userArea } from './user-area';

export interface District {
  backend: Backend | null;
  progress: BootProgress | null;
  bootError: string | null;
  /** Boots again; `fresh` drops the stored database first. */
  reboot(fresh: boolean): void;
  session: Session | null;
  demoMembers: Session[];
  overview: DistrictOverview | null;
  cells: FeatureCollection<MultiPolygon, CellProperties> | null;
  communities: FeatureCollection<MultiPolygon, AdminAreaProperties> | null;
  /** Where the map should go: the user's area on the first load and on a session change. */
  fitTo: BBox | null;
  /** After a grid edit or a class change: the cells, communities and counts as they are now. */
  reloadGrid(): Promise<void>;
  /** After an import: the counts as they are now. */
  reloadOverview(): Promise<void>;
  /** Acts as another user (or signs out: null), then loads what they may see. */
  switchSession(request: SignInRequest | null): Promise<void>;
}

/**
 * The district as the acting user may see it: boots the configured backend (the map is usable
 * meanwhile, drawing the last visit's snapshot), then loads the session, overview, cells and
 * communities from the database, keeps them as the next visit's snapshot, and loads them again
 * after edits and on a session change.
 */
export function useDistrict(
  config: AppConfig,
  actingAs: string,
  snapshot: Promise<BootSnapshot | null>,
  initialBounds: BBox | null,
): District {
  const { t } = useTranslation();
  const [backend, setBackend] = useState<Backend | null>(null);
  const [progress, setProgress] = useState<BootProgress | null>({ stage: 'check' });
  const [bootError, setBootError] = useState<string | null>(null);
  const [bootAttempt, setBootAttempt] = useState({ n: 0, fresh: false });
  const [session, setSession] = useState<Session | null>(null);
  // The embedded database's demo members are known before it boots.
  const [demoMembers, setDemoMembers] = useState<Session[]>(() => (config.backend.kind === 'embedded' ? [...DEMO_MEMBERS] : []));
  const [overview, setOverview] = useState<DistrictOverview | null>(null);
  const [cells, setCells] = useState<FeatureCollection<MultiPolygon, CellProperties> | null>(null);
  const [communities, setCommunities] = useState<FeatureCollection<MultiPolygon, AdminAreaProperties> | null>(null);
  const [fitTo, setFitTo] = useState<BBox | null>(null);
  const actingRef = useRef(actingAs);

  // Boot the backend; the map is already usable meanwhile.
  useEffect(() => {
    let cancelled = false;
    setBootError(null);
    const boot = loadBackend(config, { attempt: bootAttempt.n, fresh: bootAttempt.fresh, userId: actingRef.current }, (p) => {
      if (cancelled) return;
      setProgress(p);
      hooks().bootStage = p.stage;
      hooks().reopened = p.reopened ?? false;
      hooks().persisted = p.persisted ?? false;
    });
    boot.backend
      .then((b) => {
        if (!cancelled) setBackend(b);
      })
      .catch((error: unknown) => {
        if (!cancelled) setBootError(errorText(t, error));
      });
    return () => {
      cancelled = true;
      boot.unsubscribe();
    };
  }, [config, bootAttempt, t]);

  // Shows what a user may see (from the database, or the last visit's snapshot while it boots).
  // Cells and communities equal to those on the map keep their objects: the map does not redraw.
  const shown = useRef<{ cells: string; communities: string }>({ cells: '', communities: '' });
  const fromDatabase = useRef(false);
  const showSnapshot = useCallback((s: BootSnapshot, from: 'snapshot' | 'database', fit: boolean) => {
    setSession(s.session);
    setOverview(s.overview);
    const cellsText = JSON.stringify(s.cells);
    if (cellsText !== shown.current.cells) setCells(s.cells);
    const communitiesText = JSON.stringify(s.communities);
    if (communitiesText !== shown.current.communities) setCommunities(s.communities);
    shown.current = { cells: cellsText, communities: communitiesText };
    hooks().cellsLoaded = s.cells.features.length;
    hooks().cellsFrom = from;
    // Each user starts where their work is: a grid worker at their own cells, others at the district.
    const area = userArea(s);
    if (fit && area) setFitTo(area);
  }, []);

  const keepSnapshot = useCallback(
    (s: BootSnapshot) => {
      void saveSnapshot(config, s).then(() => {
        hooks().snapshotsSaved += 1;
      });
    },
    [config],
  );

  // While the database boots, the map draws and inspects the cells of the last visit.
  useEffect(() => {
    let cancelled = false;
    snapshot.then((s) => {
      if (s && !cancelled && !fromDatabase.current) showSnapshot(s, 'snapshot', s.session.role === 'worker' || !initialBounds);
    });
    return () => {
      cancelled = true;
    };
  }, [snapshot, showSnapshot, initialBounds]);

  // On boot and on every session change: who we are, then everything visible to us.
  const loadAll = useCallback(
    async (b: Backend, reason: 'boot' | 'session') => {
      const s = await readBootSnapshot(b);
      const first = !fromDatabase.current;
      fromDatabase.current = true;
      setDemoMembers(await b.listDemoMembers());
      showSnapshot(
        s,
        'database',
        reason === 'session' || (first && hooks().cellsFrom !== 'snapshot' && (s.session.role === 'worker' || !initialBounds)),
      );
      keepSnapshot(s);
    },
    [initialBounds, showSnapshot, keepSnapshot],
  );

  useEffect(() => {
    if (!backend) return;
    let offline = false;
    const load = () =>
      loadAll(backend, 'boot').then(
        () => {
          offline = false;
          hooks().offlineSnapshot = false;
        },
        async (error: unknown) => {
          // On Supabase without a network: what this member last read, kept on the device, until the network is back.
          const kept =
            error instanceof BackendError && error.code === 'unavailable'
              ? await loadOfflineSnapshot(config, (await backend.getSession().catch(() => null))?.userId ?? null)
              : null;
          if (!kept) {
            setBootError(errorText(t, error));
            return;
          }
          offline = true;
          hooks().offlineSnapshot = true;
          if (!fromDatabase.current) showSnapshot(kept, 'snapshot', true);
        },
      );
    void load();
    const online = () => {
      if (offline) void load();
    };
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [backend, loadAll, t, config, showSnapshot]);

  const reloadGrid = async () => {
    if (!backend) return;
    const s = await readBootSnapshot(backend);
    showSnapshot(s, 'database', false);
    keepSnapshot(s);
  };

  const reloadOverview = async () => {
    if (backend) setOverview(await backend.getDistrictOverview());
  };

  const switchSession = async (request: SignInRequest | null) => {
    if (!backend) return;
    if (!request) await backend.signOut();
    else {
      await backend.signIn(request);
      if (request.kind === 'demo') {
        actingRef.current = request.userId;
        try {
          localStorage.setItem(ACTING_AS_KEY, request.userId);
        } catch {
          // Storage may be refused (private mode): the switch still holds for this page.
        }
      }
    }
    await loadAll(backend, 'session');
  };

  return {
    backend,
    progress,
    bootError,
    reboot: (fresh) => setBootAttempt((a) => ({ n: a.n + 1, fresh })),
    session,
    demoMembers,
    overview,
    cells,
    communities,
    fitTo,
    reloadGrid,
    reloadOverview,
    switchSession,
  };
}
