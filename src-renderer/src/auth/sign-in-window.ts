import type { ServerAuthState } from '../../../src-shared/oauth';

/*
 * Web mode opens the authorization page from the page itself (the desktop app's main process opens the system
 * browser instead). A popup blocker lets a window through only inside the click that asked for it, while the URL is
 * known only once main has answered: so the click opens an empty window at once, and it is sent to the URL when the
 * state names one (or closed if the flow ends without one). Where the browser refused the window, the tab's
 * "Open the sign-in page" link is the way.
 */

interface Waiting {
  window: Window;
  sent: boolean;
  /** When the click opened it: only a state reported since can end it. */
  openedAt: number;
}

const windows = new Map<string, Waiting>();

/** In the click handler (web mode): a window for the sign-in page, or straight to the page when the URL is known. */
export function openSignInWindow(server: string, url?: string): void {
  const existing = windows.get(server);
  if (existing && !existing.window.closed) {
    if (url) send(server, existing, url);
    existing.window.focus();
    return;
  }
  const opened = window.open(url ?? '', `patchbay-sign-in-${server}`);
  if (!opened) return;
  const waiting: Waiting = { window: opened, sent: url !== undefined, openedAt: Date.now() };
  windows.set(server, waiting);
  if (!url) {
    try {
      opened.document.title = 'Signing in…';
      opened.document.body.textContent = `Preparing the sign-in page for ${server}…`;
    } catch {
      // Not our document after all: nothing to write in it.
    }
  }
}

/** Follows a server's auth state: sends its waiting window to the authorization URL, or closes a window left empty. */
export function followSignInWindow(state: ServerAuthState): void {
  const waiting = windows.get(state.serverId);
  if (!waiting) return;
  if (waiting.window.closed) {
    windows.delete(state.serverId);
    return;
  }
  if (state.status === 'waiting-for-browser' && state.authorizationUrl) {
    send(state.serverId, waiting, state.authorizationUrl);
    return;
  }
  // The flow ended before a URL (a failed discovery): the empty window goes. Only a state reported since the click
  // counts, and only an end: a flow starting can report needs-sign-in for a moment, and a cancel closes it itself.
  if (!waiting.sent && ENDED.has(state.status) && state.updatedAt >= waiting.openedAt) closeSignInWindow(state.serverId);
  // A window that reached the page stays: it shows the loopback receiver's "signed in" answer until the person closes it.
  if (waiting.sent && state.status !== 'waiting-for-browser') windows.delete(state.serverId);
}

/** Closes a server's sign-in window that never reached the page (Cancel pressed). */
export function closeSignInWindow(server: string): void {
  const waiting = windows.get(server);
  if (waiting && !waiting.sent) waiting.window.close();
  windows.delete(server);
}

const ENDED: ReadonlySet<ServerAuthState['status']> = new Set(['failed', 'signed-in', 'not-required']);

function send(server: string, waiting: Waiting, url: string): void {
  if (waiting.sent) return;
  waiting.sent = true;
  // The sign-in page gets no handle on this window.
  waiting.window.opener = null;
  waiting.window.location.href = url;
  windows.set(server, waiting);
}
