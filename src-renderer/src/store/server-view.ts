import type { ServerEntry } from '../../../src-shared/catalog';
import type { ServerConnection } from '../mcp/connection-manager';
import { deriveServerStatus, type StatusInfo } from './server-status';
import { newestOwnedSession, type SessionsState, type SessionView } from './session-events';

/** Everything a row or the detail pane shows about one server. */
export interface ServerView extends StatusInfo {
  entry: ServerEntry;
  /** The newest session this window opened for the server, live or ended. */
  session?: SessionView;
  connection?: ServerConnection;
  /** Whether the toggle button disconnects (the server is wanted, or still has a live session). */
  connectedOrWanted: boolean;
}

/** Combines a catalog entry with its newest owned session and its connection state. */
export function describeServer(entry: ServerEntry, sessions: SessionsState, owner: string, connection: ServerConnection | undefined): ServerView {
  const session = newestOwnedSession(sessions, entry.name, owner);
  const status = deriveServerStatus(
    session,
    connection && { connecting: connection.phase === 'connecting', error: connection.error, attemptStartedAt: connection.attemptStartedAt },
  );
  const wanted = connection?.desired === 'connected';
  const idle = !connection || connection.phase === 'idle';
  return {
    ...status,
    entry,
    session,
    connection,
    connectedOrWanted: wanted || (idle && (status.status === 'ready' || status.status === 'connecting')),
  };
}
