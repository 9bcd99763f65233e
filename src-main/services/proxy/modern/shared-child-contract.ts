import type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { StdioServerEntry } from '../../../../src-shared/catalog';
import type { JsonRpcEnvelope } from '../../../../src-shared/jsonrpc';

/**
 * What the modern route needs of a shared STDIO child (shared-stdio-child.ts): one long-lived process per server
 * that serves every client's modern requests, ids multiplexed. Kept as an interface so the route and the registry
 * depend on the calls they make, not on how the child does them.
 */
export interface SharedChild {
  /**
   * Sends a request; `deliver` gets, in order and with the client's own id, every message that belongs to it and
   * last its response (an error response when the child cannot serve it). Resolves once the response was delivered,
   * or at once when `signal` aborts (the child is told to cancel it). Never rejects.
   */
  request(message: JSONRPCRequest, deliver: (message: JSONRPCMessage) => void, signal: AbortSignal, options?: { origin?: string }): Promise<void>;
  notify(message: JSONRPCNotification, options?: { origin?: string }): void;
  /** Answers every open request with an error, ends the process tree. Idempotent. */
  close(detail?: string): Promise<void>;
  snapshot(): SharedChildState;
}

export interface SharedChildState {
  server: string;
  state: string;
  pid?: number;
  startedAt?: number;
  restarts: number;
  inFlight: number;
  waiting: number;
  subscriptions: number;
  lastExit?: { reason: string };
}

/** What a shared child reports (see shared-stdio-child-events.ts). */
export type SharedChildReport =
  | { type: 'started'; pid: number; command: string; args: string[]; restarts: number }
  | { type: 'start-failed'; message: string; failedRequests: number }
  | { type: 'exited'; pid: number; reason: string; expected: boolean; failedRequests: number }
  | { type: 'restarting'; attempt: number; delayMs: number; reason: string }
  | { type: 'stderr'; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'protocol'; message: string; body?: JsonRpcEnvelope };

/** Makes the shared child of an entry (placeholders already filled); it starts its process on its first request. */
export type SharedChildFactory = (entry: StdioServerEntry, onReport: (report: SharedChildReport) => void) => SharedChild;
