import type { ServerEntry } from '../../../src-shared/catalog';
import type { ServerConnection } from '../mcp/connection-manager';
import { deriveServerStatus, type StatusInfo } from './server-status';
import { newestOwnedSession, newestSessionElsewhere, type SessionsState, type SessionView } from './session-events';

/** Everything a row or the detail pane shows about one server. */
export interface ServerView extends StatusInfo {
  entry: ServerEntry;
  /** The newest session this window opened for the server, live or ended. */
  session?: SessionView;
  connection?: ServerConnection;
  /**
   * A live session of this server that another window (or client) holds, while this window has none: shown as
   * "connected in another window", with "Open here" to open this window's own session to it.
   */
  elsewhere?: SessionView;
  /** Whether the toggle button disconnects (the server is wanted, or still has a live session). */
  connectedOrWanted: boolean;
}

/** Combines a catalog entry with its newest owned session and its connection state. */
export function describeServer(entry: ServerEntry, sessions: SessionsState, owner: string, connection: ServerConnection | undefined): ServerView {
  const sessionless = connection?.phase === 'connected' && connection.sessionId === undefined;
  // A sessionless (modern-era) connection is not the newest owned session, which belongs to an earlier connection.
  const session = sessionless ? undefined : newestOwnedSession(sessions, entry.name, owner);
  const status = deriveServerStatus(
    session,
    connection && { connecting: connection.phase === 'connecting', error: connection.error, attemptStartedAt: connection.attemptStartedAt, sessionless },
  );
  const wanted = connection?.desired === 'connected';
  const idle = !connection || connection.phase === 'idle';
  const connectedOrWanted = wanted || (idle && (status.status === 'ready' || status.status === 'connecting'));
  const elsewhere = connectedOrWanted ? undefined : newestSessionElsewhere(sessions, entry.name, owner);
  return { ...status, entry, session, connection, connectedOrWanted, ...(elsewhere ? { elsewhere } : {}) };
}

/** "connected in another window" (or "connecting …", or "… by another client" for a session no window opened). */
export function elsewhereLabel(session: SessionView): string {
  const where = session.owner === undefined ? 'by another client' : 'in another window';
  return `${session.state === 'ready' && session.initialized ? 'connected' : 'connecting'} ${where}`;
}
