import { create } from 'zustand';
import type { ServerAuthState } from '../../../src-shared/oauth';
import { justSignedIn } from './auth-model';
import { followSignInWindow } from './sign-in-window';

/** Each remote server's auth state as main last reported it (the `auth-state` events and getAuthState answers). */
export const useAuthStore = create<{ states: Readonly<Record<string, ServerAuthState>> }>()(() => ({ states: {} }));

let signedInListener: ((server: string) => void) | undefined;

/** Told when a server has just become signed in (the runtime connects it). */
export function onSignedIn(listener: (server: string) => void): void {
  signedInListener = listener;
}

/** Whether each held state came from an api answer (read after the call settled) rather than an event. */
const fromAnswer = new Map<string, boolean>();

/**
 * Takes a reported state unless a newer one is already held: an api answer and the events of the same change arrive
 * in either order. With the same `updatedAt`, an answer wins over an event, since it was read last: an event sent
 * while a step ran can trail the answer read after it ended. Says whether it was taken and what was held before.
 */
export function applyAuthState(state: ServerAuthState, source: 'event' | 'answer'): { applied: boolean; before?: ServerAuthState } {
  const before = useAuthStore.getState().states[state.serverId];
  if (before && (before.updatedAt > state.updatedAt || (before.updatedAt === state.updatedAt && source === 'event' && fromAnswer.get(state.serverId)))) {
    return { applied: false, before };
  }
  fromAnswer.set(state.serverId, source === 'answer');
  useAuthStore.setState((current) => ({ states: { ...current.states, [state.serverId]: state } }));
  followSignInWindow(state);
  if (justSignedIn(before, state)) signedInListener?.(state.serverId);
  return { applied: true, before };
}

/** Forgets the states of servers no longer in the catalog. */
export function keepAuthStates(names: ReadonlySet<string>): void {
  const { states } = useAuthStore.getState();
  if (Object.keys(states).every((name) => names.has(name))) return;
  for (const name of fromAnswer.keys()) if (!names.has(name)) fromAnswer.delete(name);
  useAuthStore.setState({ states: Object.fromEntries(Object.entries(states).filter(([name]) => names.has(name))) });
}
