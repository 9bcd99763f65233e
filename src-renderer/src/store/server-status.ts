import type { CloseReason } from '../../../src-shared/events';
import type { SessionView } from './session-events';

/** What a server row shows. */
export type ServerStatus = 'disconnected' | 'connecting' | 'ready' | 'error';

/** A server's status and, for an error, the text that explains it. */
export interface StatusInfo {
  status: ServerStatus;
  /** For `error`: what went wrong, as the proxy or the client said it. */
  message?: string;
}

/** Close reasons that mean the server failed, not that someone chose to end the session. */
const FAILURE_REASONS: ReadonlySet<CloseReason> = new Set(['upstream-failed', 'child-exited', 'upstream-closed', 'idle-timeout', 'needs-sign-in']);

const FAILURE_SENTENCES: Partial<Record<CloseReason, string>> = {
  'upstream-failed': 'Could not connect to the server',
  'child-exited': 'The server process ended',
  'upstream-closed': 'The server closed the connection',
  'idle-timeout': 'The session was closed after being idle too long',
  'needs-sign-in': 'The server needs sign-in (OAuth)',
};

/** The status one session stands for: the lifecycle events are the one source of truth about sessions. */
export function sessionStatus(session: SessionView | undefined): StatusInfo {
  if (!session) return { status: 'disconnected' };
  switch (session.state) {
    case 'connecting':
      return { status: 'connecting' };
    case 'ready':
      // The upstream is up but the client's initialize is not answered yet.
      return { status: session.initialized ? 'ready' : 'connecting' };
    case 'closing':
    case 'closed': {
      const reason = session.closeReason;
      if (reason && FAILURE_REASONS.has(reason)) {
        return { status: 'error', message: session.closeDetail ?? FAILURE_SENTENCES[reason] };
      }
      return { status: 'disconnected' };
    }
  }
}

/** What the connection manager knows that the proxy may never have seen. */
export interface ClientSide {
  /** An attempt to connect is under way. */
  connecting: boolean;
  /** Why the last attempt failed on the client side (HTTP 404/409/401 from the proxy, timeout, …). */
  error?: string;
  /** When that attempt started (ms since the epoch). */
  attemptStartedAt?: number;
  /**
   * The client holds an open connection that has no proxy session: a modern-era one (that era is stateless), which
   * no lifecycle event describes, so its being open is what makes the server ready.
   */
  sessionless?: boolean;
}

/**
 * A server's status for the list: the status of its newest session opened by this window, combined with what
 * happened on the client side. An attempt under way shows as connecting at once (its first event may still be
 * on its way). A client-side failure shows as an error unless the attempt's own session failed on the proxy,
 * whose detail (`spawn foo ENOENT: …`) says more than the client's echo of it.
 */
export function deriveServerStatus(session: SessionView | undefined, client: ClientSide | undefined): StatusInfo {
  if (client?.connecting) return { status: 'connecting' };
  if (client?.sessionless) return { status: 'ready' };
  const fromEvents = sessionStatus(session);
  if (client?.error === undefined) return fromEvents;
  const sessionOfThisAttempt = session !== undefined && client.attemptStartedAt !== undefined && session.startedAt >= client.attemptStartedAt - 250;
  if (sessionOfThisAttempt && fromEvents.status === 'error') return fromEvents;
  return { status: 'error', message: client.error };
}

/** Closes caused by a change to the server's catalog entry: the list says so while they close and after. */
const CATALOG_CLOSE_SENTENCES: Partial<Record<CloseReason, string>> = {
  'server-removed': 'Its catalog entry was removed',
  'server-changed': 'Its catalog entry changed',
};

/** For a session closing or closed because its catalog entry changed: what the row says, else undefined. */
export function catalogCloseNote(session: SessionView | undefined): string | undefined {
  if (!session || (session.state !== 'closing' && session.state !== 'closed') || !session.closeReason) return undefined;
  const sentence = CATALOG_CLOSE_SENTENCES[session.closeReason];
  if (!sentence) return undefined;
  return `${session.state === 'closing' ? 'Closing' : 'Closed'}: ${sentence}${session.closeDetail ? ` (${session.closeDetail})` : ''}`;
}

/** Labels of the statuses, as the badge shows them. */
export const STATUS_LABELS: Record<ServerStatus, string> = {
  disconnected: 'Disconnected',
  connecting: 'Connecting…',
  ready: 'Ready',
  error: 'Error',
};

/** A short suggestion of what to do about an error, where the message makes it clear; undefined otherwise. */
export function errorHint(message: string): string | undefined {
  const rules: Array<[RegExp, string]> = [
    [/ENOENT.*was not found/i, 'Check the Command in Edit: install the program, or give its full path (the PATH searched is listed above).'],
    [/working directory (does not exist|is not a directory)/i, 'Fix the Working directory in Edit.'],
    [/EACCES|is not executable/i, 'Make the command executable, or run it through its interpreter (for example node or python).'],
    [/timed out|did not start within/i, 'The server did not answer in time. Its stderr below may say why; then connect again.'],
    [/ECONNREFUSED|fetch failed|ENOTFOUND|EAI_AGAIN/i, 'Nothing answered at that address. Check the URL in Edit and that the server is running.'],
    [/is disabled in the catalog/i, 'Enable the server in Edit (uncheck Disabled), then connect.'],
    [/not in the catalog|Unknown server/i, 'The server is no longer in the catalog; add it again.'],
    [/window that asked for this session has closed/i, 'This window lost its link to Patchbay. Reload the page.'],
    // The remote server's own 401 (OAuth), not Patchbay's token: its sign-in is offered beside the message.
    [/needs sign-in/i, 'The server asks for OAuth sign-in: press Sign in (the steps show below); Patchbay connects once you are signed in.'],
    [/Unauthorized|bearer token|\b401\b/i, 'The access token was refused. Open the URL that npm run web printed again.'],
    [/exited with code|killed by|process ended/i, 'The server process ended. Its stderr below usually says why; fix it and connect again.'],
    [/idle/i, 'Connect again when you need it.'],
  ];
  return rules.find(([pattern]) => pattern.test(message))?.[1];
}
