/**
 * The outbox: reports and case steps a member made while the network was gone, kept in the
 * browser and sent when it is back, oldest first, each exactly once (the key each carries is
 * the one the database answers a repeat with). Pure rules; the store is in data/outbox-store.ts.
 */

import type { CaseAction, CaseReport } from './cases';
import type { PhotoFile } from './photos';

/** A report waiting to be sent: the report as the form made it, with its key. */
export interface OutboxReport {
  kind: 'report';
  report: CaseReport & { key: string };
  /** The citizen of a complaint, when the report is one. */
  citizen: { name: string; phone: string } | null;
}

/** A case step waiting to be sent: an answer, a check, with its note and photos. */
export interface OutboxStep {
  kind: 'step';
  caseId: string;
  caseCode: string;
  action: CaseAction;
  options: {
    note: string;
    departmentId: string | null;
    expectedVersion: number;
    photos: readonly PhotoFile[];
    key: string;
  };
}

/** One thing in the outbox, for one member. */
export type OutboxItem = (OutboxReport | OutboxStep) & {
  /** The key it is sent with (its report's or step's): also its name in the store. */
  id: string;
  /** The member who made it; only they send it. */
  userId: string;
  createdAt: string;
  /** Sends tried and failed for want of a network. */
  attempts: number;
  /** Waiting for the network, or refused by the database (`refusal` says why; kept until discarded). */
  state: 'waiting' | 'refused';
  refusal: string | null;
};

/** What a failed send means for the item: try again later, or the database said no. */
export type SendFailure = 'retry' | 'refused';

/**
 * Returns what a send that failed with `code` (a BackendError's) means: no network (or the
 * service down) waits for another try; anything the database refused stays, marked, for the
 * member to read and discard.
 */
export function sendFailure(code: string | undefined): SendFailure {
  return code === 'unavailable' ? 'retry' : 'refused';
}

/**
 * Returns the items of `userId` to send now, oldest first: those waiting (refused ones wait for
 * the member). Another member's items, made on this browser before a switch of user, are left.
 */
export function itemsToSend(items: readonly OutboxItem[], userId: string | null): OutboxItem[] {
  return items
    .filter((i) => i.userId === userId && i.state === 'waiting')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Returns the items of `userId` as the outbox lists them: oldest first, refused ones included. */
export function outboxOf(items: readonly OutboxItem[], userId: string | null): OutboxItem[] {
  return items.filter((i) => i.userId === userId).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
