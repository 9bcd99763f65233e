import { messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../src-shared/jsonrpc';

export interface PendingRequest {
  method: string;
  startedAt: number;
}

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

  forgetClientRequest(id: JsonRpcId): void {
    if (!this.clientRequests.delete(id)) return;
    for (const [token, owner] of this.progressOwners) if (owner === id) this.progressOwners.delete(token);
  }

  trackServerRequest(id: JsonRpcId, method: string, startedAt: number): void {
    this.serverRequests.set(id, { method, startedAt });
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
  }
}
