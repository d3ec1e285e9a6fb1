import { describe, expect, it } from 'vitest';
import { afterFrames, type FrameSource } from '../../../src/app/first-frame';

/** A window whose frames come when the test says so (timers are the real ones). */
function frameSource(visibilityState: DocumentVisibilityState = 'visible') {
  let callbacks: (() => void)[] = [];
  const view: FrameSource = {
    requestAnimationFrame: (callback) => callbacks.push(callback),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    document: { visibilityState },
  };
  const paint = () => {
    const now = callbacks;
    callbacks = [];
    for (const callback of now) callback();
  };
  return { view, paint };
}

/** What a promise has settled with once the tasks queued so far have run (undefined: not yet). */
async function settled<T>(p: Promise<T>): Promise<T | undefined> {
  let value: T | undefined;
  void p.then((v) => {
    value = v;
  });
  await new Promise((r) => setTimeout(r, 0));
  return value;
}

describe('the app waits for the splash frames', () => {
  it('goes on in a task after the second frame, not before', async () => {
    const { view, paint } = frameSource();
    const ready = afterFrames(view, 2, 60_000);
    expect(await settled(ready)).toBeUndefined();
    paint();
    expect(await settled(ready)).toBeUndefined();
    paint();
    expect(await settled(ready)).toBe('frames');
  });

  it('does not wait in a hidden page, which paints no frame', async () => {
    const { view } = frameSource('hidden');
    expect(await settled(afterFrames(view, 2, 60_000))).toBe('hidden');
  });

  it('goes on after the longest wait when no frame comes', async () => {
    const { view } = frameSource();
    const ready = afterFrames(view, 2, 30);
    expect(await settled(ready)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 60));
    expect(await settled(ready)).toBe('wait');
  });
});
