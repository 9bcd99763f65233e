import { messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../src-shared/jsonrpc';

export interface PendingRequest {
  method: string;
  startedAt: number;
}

/** Abandoned request ids remembered so their late answers are dropped; older ones are forgotten. */
const REMEMBERED_ABANDONED = 1000;

/** Server-to-client messages that belong to the client request being served, rather than to the session. */
const REQUEST_SCOPED_SERVER_METHODS = new Set(['notifications/message', 'sampling/createMessage', 'elicitation/create', 'roots/list']);

/**
 * The requests of one session that wait for an answer, in both directions, and which client request each progress
 * token belongs to, so that server messages can be routed to the request they serve.
 */
export class RequestLedger {
  /** Client requests the server has not answered yet, by id, oldest first. */
  private readonly clientRequests = new Map<JsonRpcId, PendingRequest>();
  /** Server requests the client has not answered yet. */
  private readonly serverRequests = new Map<JsonRpcId, PendingRequest>();
  /** Which client request a progress token belongs to. */
  private readonly progressOwners = new Map<JsonRpcId, JsonRpcId>();
  /** Client requests nobody waits for any more (their client went away, or they grew too old), with their tokens. */
  private readonly abandoned = new Map<JsonRpcId, JsonRpcId[]>();

  /** Requests either side still waits on. */
  get size(): number {
    return this.clientRequests.size + this.serverRequests.size;
  }

  trackClientRequest(id: JsonRpcId, method: string, startedAt: number, progressToken?: JsonRpcId): void {
    this.clientRequests.set(id, { method, startedAt });
    if (progressToken !== undefined) this.progressOwners.set(progressToken, id);
  }

  clientRequest(id: JsonRpcId): PendingRequest | undefined {
    return this.clientRequests.get(id);
  }

  hasClientRequest(id: JsonRpcId): boolean {
    return this.clientRequests.has(id);
  }

  /** Ids of the client requests still open, oldest first. */
  clientRequestIds(): JsonRpcId[] {
    return [...this.clientRequests.keys()];
  }

  /** Client requests that started before `startedBefore`, oldest first. */
  clientRequestsStartedBefore(startedBefore: number): Array<[JsonRpcId, PendingRequest]> {
    const old: Array<[JsonRpcId, PendingRequest]> = [];
    for (const entry of this.clientRequests) {
      if (entry[1].startedAt >= startedBefore) break;
      old.push(entry);
    }
    return old;
  }

  /**
   * Stops waiting for a client request: it no longer counts as pending, and its late answer and progress are
   * recognised (`isAbandoned`) so they can be dropped. Returns the request, or undefined if it was not open.
   */
  abandonClientRequest(id: JsonRpcId): PendingRequest | undefined {
    const pending = this.clientRequests.get(id);
    if (!pending) return undefined;
    const tokens = [...this.progressOwners].filter(([, owner]) => owner === id).map(([token]) => token);
    this.forgetClientRequest(id);
    this.abandoned.set(id, tokens);
    if (this.abandoned.size > REMEMBERED_ABANDONED) this.abandoned.delete(this.abandoned.keys().next().value as JsonRpcId);
    return pending;
  }

  /** Whether a server message answers, or reports the progress of, an abandoned client request. */
  isAbandoned(envelope: JsonRpcEnvelope): boolean {
    if (messageKind(envelope) === 'response') return this.abandoned.has(envelope.id as JsonRpcId);
    if (envelope.method !== 'notifications/progress' || this.abandoned.size === 0) return false;
    const token = envelope.params?.progressToken as JsonRpcId | undefined;
    for (const tokens of this.abandoned.values()) if (token !== undefined && tokens.includes(token)) return true;
    return false;
  }

  /** Forgets an abandoned request once its late answer arrived. */
  settleAbandoned(id: JsonRpcId): void {
    this.abandoned.delete(id);
  }

  forgetClientRequest(id: JsonRpcId): void {
    if (!this.clientRequests.delete(id)) return;
    for (const [token, owner] of this.progressOwners) if (owner === id) this.progressOwners.delete(token);
  }

  trackServerRequest(id: JsonRpcId, method: string, startedAt: number): void {
    this.serverRequests.set(id, { method, startedAt });
  }

  /** Server requests the client has not answered that started before the given time, oldest first. */
  serverRequestsStartedBefore(startedBefore: number): Array<[JsonRpcId, PendingRequest]> {
    return [...this.serverRequests].filter(([, pending]) => pending.startedAt < startedBefore);
  }

  /** Removes and returns the server request a client response answers, if it is still open. */
  takeServerRequest(id: JsonRpcId): PendingRequest | undefined {
    const pending = this.serverRequests.get(id);
    if (pending) this.serverRequests.delete(id);
    return pending;
  }

  /**
   * Finds the client request a server notification or request belongs to. Progress names its request through its
   * token. For log messages and server requests made while serving a request the wire carries no link over stdio,
   * so they go with the newest request still open (exact whenever one request is in flight).
   */
  relatedClientRequest(envelope: JsonRpcEnvelope): JsonRpcId | undefined {
    if (envelope.method === 'notifications/progress') {
      const token = envelope.params?.progressToken as JsonRpcId | undefined;
      return token === undefined ? undefined : this.progressOwners.get(token);
    }
    if (envelope.method === undefined || (messageKind(envelope) === 'notification' && !REQUEST_SCOPED_SERVER_METHODS.has(envelope.method))) {
      return undefined;
    }
    let newest: JsonRpcId | undefined;
    for (const id of this.clientRequests.keys()) newest = id;
    return newest;
  }

  clear(): void {
    this.clientRequests.clear();
    this.serverRequests.clear();
    this.progressOwners.clear();
    this.abandoned.clear();
  }
}
