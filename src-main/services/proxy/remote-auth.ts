import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RemoteServerEntry } from '../../../src-shared/catalog';

/**
 * OAuth for remote upstreams, as the proxy sees it (services/oauth gives it): a fetch that attaches the server's
 * token (refreshing, signing in or stepping up as the host's policy says), and why a server needs sign-in.
 */
export interface RemoteAuth {
  wrapFetch(server: string, entry: RemoteServerEntry, fetch: FetchLike): FetchLike;
  /** Why the server cannot be used until someone signs in, when that is its state; undefined otherwise. */
  signInDetail(server: string): string | undefined;
}

/** Whether an SDK transport error stands for an HTTP 401 or 403 from the server. */
export function isAuthRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 401 || code === 403) return true;
  return error instanceof Error && /\b(HTTP 40[13]|\(40[13]\)|Non-200 status code \(40[13]\))/.test(error.message);
}
