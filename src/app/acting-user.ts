import { DEMO_MEMBERS } from '../data/demo-members';

/** Where the embedded app remembers whom it acts as. */
export const ACTING_AS_KEY = 'gridatlas.actingAs';

/**
 * Returns the demo member the embedded app acts as: the one remembered in `storage`, or the
 * administrator when nothing usable is there (missing, empty, not a demo member, or storage that
 * cannot be read), so that a stale value never stops the boot.
 */
export function actingUser(storage: Pick<Storage, 'getItem'> | null): string {
  const admin = DEMO_MEMBERS.find((m) => m.role === 'admin')?.userId as string;
  let saved: string | null = null;
  try {
    saved = storage?.getItem(ACTING_AS_KEY) ?? null;
  } catch {
    return admin;
  }
  return DEMO_MEMBERS.some((m) => m.userId === saved) ? (saved as string) : admin;
}
