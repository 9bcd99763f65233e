import type { CloseReason } from './events';

const CLOSE_SENTENCES: Record<CloseReason, string> = {
  'client-disconnected': 'the client disconnected from "%s"',
  'client-deleted': 'the client ended its session with "%s"',
  'client-aborted-connect': 'the client gave up while connecting to "%s"',
  'upstream-failed': 'could not connect to "%s"',
  'upstream-closed': 'the connection to "%s" closed',
  'child-exited': 'the server process of "%s" ended',
  'idle-timeout': 'the session with "%s" was idle too long',
  shutdown: 'Patchbay is shutting down; the session with "%s" was closed',
  'server-removed': '"%s" was removed from the catalog; its session was closed',
  'server-changed': 'the catalog entry of "%s" changed; its session was closed',
  'needs-sign-in': '"%s" needs sign-in (OAuth): sign in to it, then connect again',
};

/**
 * Why a session with `server` ended, as one sentence: the proxy answers pending requests with it, and the timeline
 * marks the requests a session took with it. Without a reason the session is still closing.
 */
export function closeSentence(server: string, info?: { reason: CloseReason; detail?: string }): string {
  if (!info) return `the session with "${server}" is closing`;
  const what = CLOSE_SENTENCES[info.reason];
  return `${what.replace('%s', server)}${info.detail ? `: ${info.detail}` : ''}`;
}
