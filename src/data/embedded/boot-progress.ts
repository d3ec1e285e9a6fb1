/** Stages of booting the embedded database, in order. */
export const BOOT_STAGES = ['check', 'download', 'start', 'migrate', 'ready'] as const;
export type BootStage = (typeof BOOT_STAGES)[number];

/** Progress of the embedded database's boot, reported from its worker. */
export interface BootProgress {
  stage: BootStage;
  /** Bytes received so far and in all (download stage). */
  loadedBytes?: number;
  totalBytes?: number;
  /** True when the database was reopened from IndexedDB rather than loaded from the demo. */
  reopened?: boolean;
  /** Ready stage: whether this browser's stored copy is whole (a reload then reopens it). */
  persisted?: boolean;
}

/** Returns overall boot progress in [0, 1] for a progress bar. */
export function bootFraction(p: BootProgress): number {
  const index = BOOT_STAGES.indexOf(p.stage);
  const stageWeights = [0.02, 0.4, 0.5, 0.08, 0];
  let done = 0;
  for (let i = 0; i < index; i++) done += stageWeights[i] as number;
  if (p.stage === 'download' && p.totalBytes) done += (stageWeights[1] as number) * Math.min(1, (p.loadedBytes ?? 0) / p.totalBytes);
  return p.stage === 'ready' ? 1 : done;
}
