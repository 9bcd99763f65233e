import type { JsonRpcId } from '../../../../src-shared/jsonrpc';

/** A modern request the proxy is serving now. */
export interface OpenModernRequest {
  server: string;
  channelId: string;
  method: string;
  /** The client's own JSON-RPC id. */
  id: JsonRpcId;
  startedAt: number;
}

/**
 * The modern requests in flight, from the moment one is accepted until its answer is written or its client is
 * gone: what the control API lists, and what must be empty once every client went away.
 */
export class ModernLedger {
  private nextKey = 1;
  private readonly open = new Map<number, OpenModernRequest>();

  /** Records a request; the returned function forgets it (idempotent). */
  add(request: OpenModernRequest): () => void {
    const key = this.nextKey++;
    this.open.set(key, request);
    return () => this.open.delete(key);
  }

  get size(): number {
    return this.open.size;
  }

  list(): OpenModernRequest[] {
    return [...this.open.values()];
  }
}
