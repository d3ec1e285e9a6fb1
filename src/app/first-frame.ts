/**
 * The page's first frames before the app's work: index.html paints the app's frame (the header
 * and the map's ground) and then its words while nothing else runs, and the app starts after them.
 * Started at once, the app's first tasks (the database's worker, the app's code) ran before the
 * first frame and, on two cores, held it back: 1.2 s to the first paint of a new profile, where a
 * page with no script paints at 0.4 s.
 */

/** What `afterFrames` needs of the window. */
export interface FrameSource {
  requestAnimationFrame(callback: () => void): number;
  setTimeout(callback: () => void, ms: number): unknown;
  document: { visibilityState: DocumentVisibilityState };
}

/** Why the wait ended: the frames were painted, the page is hidden, or the longest wait ran out. */
export type FramesWaited = 'frames' | 'hidden' | 'wait';

/**
 * Resolves in a task after the `frames`-th frame from now has been painted; at once for a hidden
 * page (it paints nothing, and its frames would never come); after `capMs` at the latest (a
 * browser slow to show its first frame does not hold the app back longer).
 */
export function afterFrames(view: FrameSource, frames: number, capMs: number): Promise<FramesWaited> {
  if (view.document.visibilityState === 'hidden') return Promise.resolve('hidden');
  return new Promise((resolve) => {
    view.setTimeout(() => resolve('wait'), capMs);
    const frame = (left: number) => {
      if (left === 0) view.setTimeout(() => resolve('frames'), 0);
      else view.requestAnimationFrame(() => frame(left - 1));
    };
    frame(frames);
  });
}
