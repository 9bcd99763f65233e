import type { JsonRpcEnvelope } from '../../../../src-shared/jsonrpc';

/**
 * What a shared modern stdio child reports, for the event stream and the control API. The child serves many
 * clients at once, so none of these belongs to a client session: the caller maps them onto its own events.
 */
export type SharedChildEvent =
  /** A child process was spawned and is serving. `restarts` counts the children started before it. */
  | { type: 'started'; pid: number; command: string; args: string[]; restarts: number }
  /**
   * A child could not be started (spawn error, missing command, bad working directory, placeholders that
   * cannot be filled): the requests waiting for it were answered with `message`.
   */
  | { type: 'start-failed'; message: string; failedRequests: number }
  /**
   * A child ended. `reason` says how ("was killed by SIGKILL; last stderr: ..."); `expected` is true when
   * Patchbay ended it (close()); `failedRequests` is how many in-flight requests were answered with an error.
   */
  | {
      type: 'exited';
      pid: number;
      exitCode: number | null;
      signal: string | null;
      reason: string;
      expected: boolean;
      failedRequests: number;
      uptimeMs: number;
    }
  /**
   * A child is about to be started again because a request needs it after the previous one ended or failed to
   * start; `delayMs` is the backoff waited first, `attempt` the number of ends in a row without a healthy period.
   */
  | { type: 'restarting'; attempt: number; delayMs: number; reason: string }
  /** A line the child wrote to stderr, or to stdout when it was not JSON-RPC (`stream: 'stdout'`). */
  | { type: 'stderr'; stream: 'stdout' | 'stderr'; line: string }
  /**
   * Something in the protocol that Patchbay could not place and did not deliver: a response or notification that
   * belongs to no open request, a request from the server (not allowed on modern stdio), a log message with no
   * request that asked for logs, an unreadable line. Never fatal.
   */
  | { type: 'protocol'; message: string; body?: JsonRpcEnvelope };

export type SharedChildEventListener = (event: SharedChildEvent) => void;
