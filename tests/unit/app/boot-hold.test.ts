import { describe, expect, it } from 'vitest';
import { bootReleased, holdBoot, releaseBoot } from '../../../src/app/load-backend';

/** Whether a promise has settled by the next turn of the event loop. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setTimeout(r, 0));
  return done;
}

describe('the database boot held for the first cells', () => {
  it('waits for the release (the cells on the map), and no longer', async () => {
    holdBoot(60_000);
    const released = bootReleased();
    expect(await settled(released)).toBe(false);
    releaseBoot();
    expect(await settled(released)).toBe(true);
  });

  it('goes on its own after the longest hold (a map that never shows cells does not keep the database)', async () => {
    holdBoot(30);
    const released = bootReleased();
    expect(await settled(released)).toBe(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(await settled(released)).toBe(true);
  });
});
