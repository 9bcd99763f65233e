import type { ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ClientTransportKind } from '../../../src-shared/catalog';
import { messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../src-shared/jsonrpc';
import type { DirectRequestStream } from './direct-post';
import { deliverWithFault } from './faults/delivery-faults';
import type { DeliveryFault } from './faults/session-faults';

/** Bounds of what the proxy holds for one client. */
export interface ClientDeliveryLimits {
  /**
   * Bytes queued for the client (waiting here, or handed to its HTTP responses and not yet taken by the socket)
   * past which the upstream is no longer read, until the backlog falls to half of it.
   */
  clientBacklogMaxBytes: number;
  /**
   * How long messages for a Streamable HTTP session's standalone stream are held while the client has none open
   * (a server speaking first, the instant it is initialized); after that, server requests with nowhere to go are
   * answered to the server with an error, and notifications are dropped and reported.
   */
  standaloneStreamWaitMs: number;
  /** Messages held for the standalone stream, by count and by bytes. */
  standaloneHoldMaxMessages: number;
  standaloneHoldMaxBytes: number;
}

export interface ClientDeliveryHooks {
  /** A server request cannot reach the client: answer it to the server with an error saying why. */
  refuseServerRequest(id: JsonRpcId, method: string, why: string): void;
  /** Something else could not be delivered; a sentence for the events. */
  report(message: string): void;
  /** The backlog went over the cap (true: stop reading the upstream) or back under half of it (false). */
  onCongestion(congested: boolean): void;
}

interface Outgoing {
  message: JsonRpcEnvelope;
  relatedRequestId?: JsonRpcId;
  /** The message serialized once: its size is counted from it, and a direct stream writes it as it is. */
  json: string;
  bytes: number;
  /** Written the wrong way on purpose (a fault plan's duplicate, corrupt or close-stream). */
  fault?: DeliveryFault;
}

/** The standalone stream of a Streamable HTTP session as the SDK keeps it (see `sdkHasStandaloneStream`). */
const SDK_STANDALONE_STREAM = '_GET_stream';

/**
 * Delivers server messages to one client, in order, with bounded memory.
 *
 * - Each message goes to the HTTP response it belongs to: a client request's own stream, else the session's
 *   standalone stream (Streamable HTTP), or the one event stream (HTTP+SSE). A request stream that is gone falls
 *   back to the standalone stream.
 * - Backpressure: a message is handed to the SDK transport only while the response it goes to is not congested
 *   (`writableNeedDrain`), so bytes queue here, where they are counted, not inside the SDK. Past
 *   `clientBacklogMaxBytes` the upstream is paused until the client catches up.
 * - Nothing is lost to timing: a message for a standalone stream the client has not opened yet is held, bounded
 *   by count, bytes and time, and delivered once it opens; what can never be delivered is answered (server
 *   requests get a JSON-RPC error) or reported, never dropped silently.
 */
export class ClientDelivery {
  private readonly outbox: Outgoing[] = [];
  private outboxBytes = 0;
  private readonly held: Outgoing[] = [];
  private heldBytes = 0;
  /** The response that carries each open client request's answer (Streamable HTTP). */
  private readonly requestStreams = new Map<JsonRpcId, ServerResponse>();
  /** The responses in `requestStreams`, each once: the backlog is summed over them on every message. */
  private readonly openRequestResponses = new Set<ServerResponse>();
  /** Request streams the proxy writes itself (see direct-post.ts) rather than through the SDK's transport. */
  private readonly directStreams = new Map<ServerResponse, DirectRequestStream>();
  /** The standalone GET stream (Streamable HTTP), or the one event stream (HTTP+SSE). */
  private standalone?: ServerResponse;
  /**
   * Since when the client could have opened a standalone stream and has none; holding stops
   * `standaloneStreamWaitMs` later. Unset until its initialize is answered: before that it cannot open one.
   */
  private noStreamSince?: number;
  private holdTimer?: NodeJS.Timeout;
  private pumping = false;
  private idleWaiters: Array<() => void> = [];
  private congested = false;
  private peakBacklog = 0;
  private closed = false;

  constructor(
    private readonly transport: Transport,
    private readonly kind: ClientTransportKind,
    private readonly limits: ClientDeliveryLimits,
    private readonly hooks: ClientDeliveryHooks,
  ) {}

  /** Bytes queued for the client: waiting here, plus what its open responses have not flushed to the socket. */
  get backlogBytes(): number {
    let bytes = this.outboxBytes;
    for (const res of this.openRequestResponses) bytes += res.writableLength;
    if (this.standalone && !this.openRequestResponses.has(this.standalone)) bytes += this.standalone.writableLength;
    return bytes;
  }

  get backlogPeakBytes(): number {
    return this.peakBacklog;
  }

  /** Whether the upstream is paused because the client reads too slowly. */
  get isCongested(): boolean {
    return this.congested;
  }

  /** Queues a message for the client; it goes out in order. */
  send(message: JsonRpcEnvelope, relatedRequestId?: JsonRpcId, fault?: DeliveryFault): void {
    if (this.closed) return;
    const json = JSON.stringify(message);
    const bytes = Buffer.byteLength(json);
    this.outbox.push(fault === undefined ? { message, relatedRequestId, json, bytes } : { message, relatedRequestId, json, bytes, fault });
    this.outboxBytes += bytes;
    this.checkCongestion();
    void this.pump();
  }

  /** A Streamable HTTP POST carrying these client requests: their answers and related messages go there. */
  requestStreamOpened(ids: JsonRpcId[], res: ServerResponse): void {
    if (ids.length === 0) return;
    for (const id of ids) this.requestStreams.set(id, res);
    this.openRequestResponses.add(res);
    this.watch(res);
    res.once('close', () => {
      for (const id of ids) if (this.requestStreams.get(id) === res) this.requestStreams.delete(id);
      this.openRequestResponses.delete(res);
      this.checkCongestion();
      void this.pump();
    });
  }

  /** A direct POST's stream (direct-post.ts) carrying these client requests: the proxy writes their answers to it. */
  directRequestStreamOpened(ids: JsonRpcId[], stream: DirectRequestStream): void {
    if (this.closed) {
      stream.end();
      return;
    }
    this.directStreams.set(stream.res, stream);
    stream.res.once('close', () => this.directStreams.delete(stream.res));
    this.requestStreamOpened(ids, stream.res);
  }

  /**
   * The client asked for its standalone stream (Streamable HTTP GET, after the SDK took the request) or opened its
   * event stream (HTTP+SSE). Held messages go out now, in order.
   */
  standaloneStreamOpened(res: ServerResponse, retry = true): void {
    // The SDK refuses a second standalone stream while one is open.
    if (this.closed || res.destroyed || (this.standalone && !this.standalone.destroyed)) return;
    if (this.kind === 'streamable-http' && !sdkHasStandaloneStream(this.transport)) {
      // The SDK takes the stream within handleRequest's first synchronous run today; look once more a turn later in
      // case that changes. A refused GET (a second stream, a bad header) opens nothing.
      if (retry) setImmediate(() => this.standaloneStreamOpened(res, false));
      return;
    }
    this.standalone = res;
    this.watch(res);
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    res.once('close', () => {
      if (this.standalone !== res) return;
      this.standalone = undefined;
      this.noStreamSince = Date.now();
      this.checkCongestion();
      void this.pump();
    });
    this.releaseHeld();
  }

  /** The client has its initialize answer: from now on it can open its standalone stream, so the wait starts. */
  initializeAnswered(): void {
    if (this.standalone) return;
    this.noStreamSince = Date.now();
    if (this.held.length > 0) this.armHoldTimer(this.limits.standaloneStreamWaitMs);
  }

  /** Resolves once everything queued has been handed to the client transport, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (!this.pumping && this.outbox.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Stops delivering: the session is closing. Held and queued messages are let go. */
  close(): void {
    this.closed = true;
    clearTimeout(this.holdTimer);
    this.outbox.length = 0;
    this.outboxBytes = 0;
    this.held.length = 0;
    this.heldBytes = 0;
    this.requestStreams.clear();
    this.openRequestResponses.clear();
    // Streams the SDK's transport holds are ended by its close; the direct ones are ended here, as it would.
    for (const stream of this.directStreams.values()) stream.end();
    this.directStreams.clear();
    this.standalone = undefined;
    if (this.congested) {
      this.congested = false;
      this.hooks.onCongestion(false);
    }
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** What a response flushes lowers the backlog even when nothing is queued here. */
  private watch(res: ServerResponse): void {
    res.on('drain', () => this.checkCongestion());
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.closed && this.outbox.length > 0) {
        const next = this.outbox[0]!;
        const route = this.route(next);
        if (route.kind === 'stream' && route.res.writableNeedDrain) {
          await drained(route.res);
          continue;
        }
        this.outbox.shift();
        this.outboxBytes -= next.bytes;
        if (route.kind === 'hold') this.hold(next);
        else if (next.fault !== undefined) await this.deliverFaulted(next, route);
        else await this.deliver(next, route.kind === 'stream' ? route : undefined);
        this.checkCongestion();
      }
    } finally {
      this.pumping = false;
      if (this.outbox.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Where a message goes now: a stream (with the request it is tied to, if that stream is open), or held. */
  private route(outgoing: Outgoing): { kind: 'stream'; res: ServerResponse; related?: JsonRpcId } | { kind: 'hold' } | { kind: 'as-is' } {
    const { message, relatedRequestId } = outgoing;
    if (this.kind === 'sse') return this.standalone ? { kind: 'stream', res: this.standalone } : { kind: 'as-is' };
    if (messageKind(message) === 'response') {
      // The SDK routes a response by its id; only its own stream can carry it.
      const res = this.requestStreams.get(message.id as JsonRpcId);
      return res && !res.destroyed ? { kind: 'stream', res } : { kind: 'as-is' };
    }
    if (relatedRequestId !== undefined) {
      const res = this.requestStreams.get(relatedRequestId);
      if (res && !res.destroyed) return { kind: 'stream', res, related: relatedRequestId };
    }
    if (this.standalone && !this.standalone.destroyed && sdkHasStandaloneStream(this.transport)) return { kind: 'stream', res: this.standalone };
    return { kind: 'hold' };
  }

  private async deliver(outgoing: Outgoing, stream: { res: ServerResponse; related?: JsonRpcId } | undefined): Promise<void> {
    const { message } = outgoing;
    const direct = stream && this.directStreams.get(stream.res);
    if (direct) {
      try {
        direct.write(message, outgoing.json);
      } catch (error) {
        this.undeliverable(message, errorText(error));
      }
      return;
    }
    const relatedRequestId = stream?.related;
    try {
      await this.transport.send(message as JSONRPCMessage, relatedRequestId === undefined ? undefined : { relatedRequestId });
    } catch (error) {
      this.undeliverable(message, errorText(error));
    }
  }

  private async deliverFaulted(outgoing: Outgoing, route: ReturnType<ClientDelivery['route']>): Promise<void> {
    const stream = route.kind === 'stream' ? route : undefined;
    const target = { transport: this.transport, kind: this.kind, res: stream?.res, direct: stream && this.directStreams.get(stream.res) };
    try {
      await deliverWithFault(target, outgoing.message, outgoing.json, stream ? stream.related : outgoing.relatedRequestId, outgoing.fault!);
    } catch (error) {
      this.hooks.report(`could not inject ${outgoing.fault} into ${outgoing.message.method ?? `the response to request ${String(outgoing.message.id)}`}: ${errorText(error)}`);
    }
  }

  /** Holds a message for the standalone stream while the client may still open it; otherwise it cannot go. */
  private hold(outgoing: Outgoing): void {
    const waitedMs = this.noStreamSince === undefined ? 0 : Date.now() - this.noStreamSince;
    if (waitedMs >= this.limits.standaloneStreamWaitMs) {
      this.undeliverable(outgoing.message, `the client has no stream for server requests (it opened no standalone GET stream within ${seconds(this.limits.standaloneStreamWaitMs)})`);
      return;
    }
    if (this.held.length >= this.limits.standaloneHoldMaxMessages || this.heldBytes + outgoing.bytes > this.limits.standaloneHoldMaxBytes) {
      this.undeliverable(
        outgoing.message,
        `the client has no stream for server requests yet, and ${this.held.length} ${this.held.length === 1 ? 'message' : 'messages'} (${this.heldBytes} bytes) already wait for one`,
      );
      return;
    }
    this.held.push(outgoing);
    this.heldBytes += outgoing.bytes;
    if (this.noStreamSince !== undefined) this.armHoldTimer(this.limits.standaloneStreamWaitMs - waitedMs);
  }

  private armHoldTimer(ms: number): void {
    if (this.holdTimer) return;
    this.holdTimer = setTimeout(() => this.expireHeld(), ms);
    this.holdTimer.unref();
  }

  private expireHeld(): void {
    this.holdTimer = undefined;
    const expired = this.held.splice(0);
    this.heldBytes = 0;
    const why = `the client has no stream for server requests (it opened no standalone GET stream within ${seconds(this.limits.standaloneStreamWaitMs)})`;
    for (const outgoing of expired) this.undeliverable(outgoing.message, why);
  }

  private releaseHeld(): void {
    if (this.held.length === 0) return;
    // Older than anything still queued for the standalone stream: they go first.
    this.outbox.unshift(...this.held.splice(0));
    this.outboxBytes += this.heldBytes;
    this.heldBytes = 0;
    this.checkCongestion();
    void this.pump();
  }

  private undeliverable(message: JsonRpcEnvelope, why: string): void {
    const kind = messageKind(message);
    if (kind === 'request') this.hooks.refuseServerRequest(message.id as JsonRpcId, message.method!, why);
    else this.hooks.report(`could not deliver ${message.method ?? `the response to request ${String(message.id)}`} to the client: ${why}`);
  }

  private checkCongestion(): void {
    const backlog = this.backlogBytes;
    if (backlog > this.peakBacklog) this.peakBacklog = backlog;
    if (!this.congested && backlog > this.limits.clientBacklogMaxBytes) {
      this.congested = true;
      this.hooks.onCongestion(true);
    } else if (this.congested && backlog <= this.limits.clientBacklogMaxBytes / 2) {
      this.congested = false;
      this.hooks.onCongestion(false);
    }
  }
}

/**
 * Whether the SDK's Streamable HTTP transport has a standalone stream open. Its `send()` silently drops a
 * message for the standalone stream when there is none, so the proxy asks first. The SDK keeps this in a private
 * map; the server-initiated tests pin the behaviour, so an SDK that changes it fails them.
 */
export function sdkHasStandaloneStream(transport: Transport): boolean {
  const inner = (transport as unknown as { _webStandardTransport?: { _streamMapping?: Map<string, unknown> } })._webStandardTransport;
  return inner?._streamMapping?.has(SDK_STANDALONE_STREAM) ?? false;
}

/** Resolves once a congested response drains or goes away. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
