import { useEffect, useMemo, useState } from 'react';
import type { LiveStreet } from '../domain/live';
import { stepScene, WALL_INTERVALS_SECONDS, type WallScene, wallScenes } from '../state/wall';
import { hooks } from './test-hooks';

/** Where the wall screen's interval is kept between visits. */
const WALL_INTERVAL_KEY = 'gridatlas.wallSeconds';

export interface WallState {
  on: boolean;
  scenes: WallScene[];
  index: number;
  scene: WallScene;
  paused: boolean;
  intervalSeconds: number;
  /** Enters the wall screen (full screen where the browser allows; call from a click). */
  enter(): void;
  exit(): void;
  step(by: number): void;
  setPaused(paused: boolean): void;
  setIntervalSeconds(seconds: number): void;
}

const savedInterval = (): number => {
  const saved = Number(window.localStorage.getItem(WALL_INTERVAL_KEY));
  return (WALL_INTERVALS_SECONDS as readonly number[]).includes(saved) ? saved : WALL_INTERVALS_SECONDS[0];
};

const leaveFullscreen = () => {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
};

/**
 * The wall screen (大屏): cycles the district, its streets and the open alerts every
 * `intervalSeconds` while not paused. Keys: → and ← step, space pauses, Esc leaves. It asks the
 * browser for full screen on entering and leaves it on exit. `on` is the caller's state (the live
 * data it loads depends on it).
 */
export function useWall(on: boolean, setOn: (on: boolean) => void, streets: readonly LiveStreet[] | null): WallState {
  const [index, setIndex] = useState(0);
  const [paused, setPaused] = useState(false);
  const [intervalSeconds, setIntervalState] = useState(savedInterval);
  const scenes = useMemo(() => wallScenes(streets ?? []), [streets]);
  const at = Math.min(index, scenes.length - 1);
  const scene = scenes[at] as WallScene;

  useEffect(() => {
    if (!on || paused) return;
    const timer = setInterval(() => setIndex((i) => stepScene(i, scenes.length, 1)), intervalSeconds * 1000);
    return () => clearInterval(timer);
  }, [on, paused, intervalSeconds, scenes.length]);

  const exit = () => {
    setOn(false);
    leaveFullscreen();
  };

  useEffect(() => {
    if (!on) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLSelectElement || e.target instanceof HTMLInputElement) return;
      if (e.key === 'Escape') {
        setOn(false);
        leaveFullscreen();
      } else if (e.key === 'ArrowRight') setIndex((i) => stepScene(i, scenes.length, 1));
      else if (e.key === 'ArrowLeft') setIndex((i) => stepScene(i, scenes.length, -1));
      else if (e.key === ' ') {
        e.preventDefault();
        setPaused((p) => !p);
      } else return;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [on, setOn, scenes.length]);

  useEffect(() => {
    hooks().wall = on ? { index: at, kind: scene.kind, code: scene.kind === 'street' ? scene.code : null, scenes: scenes.length } : null;
  }, [on, at, scene, scenes.length]);

  return {
    on,
    scenes,
    index: at,
    scene,
    paused,
    intervalSeconds,
    enter: () => {
      setIndex(0);
      setPaused(false);
      setOn(true);
      // Full screen needs the user's gesture and may be refused (a kiosk is full screen already).
      document.documentElement.requestFullscreen?.().catch(() => undefined);
    },
    exit,
    step: (by) => setIndex((i) => stepScene(i, scenes.length, by)),
    setPaused,
    setIntervalSeconds: (seconds) => {
      setIntervalState(seconds);
      window.localStorage.setItem(WALL_INTERVAL_KEY, String(seconds));
    },
  };
}
