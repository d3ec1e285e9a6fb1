import { createContext, type ReactNode, useContext } from 'react';
import type { Backend } from './backend';

const BackendContext = createContext<Backend | null>(null);

/** Provides the Backend to the component tree (null while it boots). */
export function BackendProvider({ backend, children }: { backend: Backend | null; children: ReactNode }) {
  return <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>;
}

/** Returns the Backend, or null while the database is still booting. */
export function useBackend(): Backend | null {
  return useContext(BackendContext);
}
