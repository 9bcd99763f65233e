import type { ServerAuthState } from '../../../src-shared/oauth';
import { getBridge } from '../api/get-api';
import { nextStepOf } from './auth-model';
import { applyAuthState, useAuthStore } from './auth-store';
import { closeSignInWindow, openSignInWindow } from './sign-in-window';

/*
 * What the Auth tab's buttons do. Each answer of main is taken into the store (the `auth-state` events say the
 * same, in whichever order they come). In web mode a click that will reach the browser step opens the sign-in
 * window right in the click (see sign-in-window.ts); the desktop app's main process opens the system browser.
 */

function take(state: ServerAuthState): ServerAuthState {
  applyAuthState(state, 'answer');
  return state;
}

function inWebMode(): boolean {
  return getBridge().mode === 'web';
}

/** The state main holds now (the tab asks when it is first shown). */
export async function loadAuthState(server: string): Promise<ServerAuthState> {
  return take(await getBridge().api.getAuthState({ serverId: server }));
}

/** Sign in, all at once: every step up to the browser, and on once it answers. */
export async function signIn(server: string): Promise<ServerAuthState> {
  if (inWebMode()) openSignInWindow(server);
  return take(await getBridge().api.startAuthFlow({ serverId: server, mode: 'all' }));
}

/** One step: starts a step-by-step flow and runs its first step, or runs the next step of the one under way. */
export async function step(server: string): Promise<ServerAuthState> {
  const { api } = getBridge();
  let state = useAuthStore.getState().states[server];
  const stepping = state?.mode === 'step' && (state.status === 'in-progress' || state.status === 'waiting-for-browser');
  if (!stepping) state = take(await api.startAuthFlow({ serverId: server, mode: 'step' }));
  // Only the browser step needs a window; it is opened in the click so that no popup blocker stops it.
  if (inWebMode() && nextStepOf(state) === 'authorization') openSignInWindow(server);
  return take(await api.runNextAuthStep({ serverId: server }));
}

export async function cancelSignIn(server: string): Promise<ServerAuthState> {
  closeSignInWindow(server);
  return take(await getBridge().api.cancelAuthFlow({ serverId: server }));
}

export async function signOut(server: string): Promise<ServerAuthState> {
  return take(await getBridge().api.signOut({ serverId: server }));
}

/** The fallback link's click (web mode): the waiting window, if any, goes to the page instead of a second one. */
export function openSignInPage(server: string, url: string): void {
  openSignInWindow(server, url);
}
