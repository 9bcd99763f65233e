import { createContext, useContext } from 'react';
import type { AppRuntime } from './app-runtime';

/** Gives components the runtime's actions without importing a global. */
export const RuntimeContext = createContext<AppRuntime | undefined>(undefined);

/** The app runtime; components call its actions (connect, addServer, …). */
export function useRuntime(): AppRuntime {
  const runtime = useContext(RuntimeContext);
  if (!runtime) throw new Error('useRuntime() needs a RuntimeContext provider');
  return runtime;
}
