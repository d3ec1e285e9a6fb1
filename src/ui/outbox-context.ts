import { createContext, useContext } from 'react';
import type { OutboxReport, OutboxStep } from '../domain/outbox';

/** Keeps what could not be sent for want of a network, to send it when the network is back. */
export interface OutboxQueue {
  report(report: OutboxReport['report'], citizen: OutboxReport['citizen']): Promise<void>;
  step(step: Omit<OutboxStep, 'kind'>): Promise<void>;
}

/** The app's outbox; null where there is none (a report without a network then fails, and says so). */
export const OutboxContext = createContext<OutboxQueue | null>(null);

/** Returns the app's outbox, or null. */
export const useOutboxQueue = () => useContext(OutboxContext);
