import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ClientTransportKind, ServerEntry, UpstreamTransportKind } from '../../../src-shared/catalog';
import type { CloseReason, SessionSnapshot, SessionState } from '../../../src-shared/events';
import { JSON_RPC_ERRORS, jsonRpcError, messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../src-shared/jsonrpc';
import { ClientDelivery } from './client-delivery';
import { UPSTREAM_CAUSED, closeSentence } from './close-reasons';
import type { EventBus } from './event-bus';
import { definedOnly, describeMessage, errorMessage, formatSeconds, withTimeout } from './proxy-utils';
import { RequestLedger } from './request-ledger';
import { RingBuffer } from './ring-buffer';
import type { SessionSettings } from './session-settings';
import { createUpstream, type Upstream } from './upstream';

/**
 * One client session bridged to its own upstream. The session exists in an explicit state before anything can
 * address it; messages from the client that arrive while it is connecting wait in order and are delivered once
 * the upstream has started, or answered with an error if it fails. Every send is caught and contained to the
 * session, and every way of ending runs the same idempotent `close()`.
 */
export class ProxySession {
  readonly startedAt = Date.now();
  lastActivityAt = this.startedAt;
  clientToServer = 0;
  serverToClient = 0;
  readonly stderr: RingBuffer<string>;
  serverInfo?: { name: string; version: string };
  protocolVersion?: string;

  private currentState: SessionState = 'connecting';
  private upstream?: Upstream;
  private readonly waitingForUpstream: JSONRPCMessage[] = [];
  private waitingBytes = 0;
  private readonly requests = new RequestLedger();
  private upstreamSends: Promise<void> = Promise.resolve();
  /** Server-to-client messages: routed to their streams, held for a stream not yet open, with backpressure. */
  readonly delivery: ClientDelivery;
  private closing?: Promise<void>;
  private closeReason?: { reason: CloseReason; detail?: string };
  private clientOpen = true;
  private wakeFromGrace?: () => void;
  private initializeAnswered = false;
  /** The entry with its placeholders filled, once the session started connecting. */
  private resolvedEntry?: ServerEntry;
  private triedSseFallback = false;

  constructor(
    readonly id: string,
    private readonly entry: ServerEntry,
    readonly transport: Transport,
    readonly clientTransport: ClientTransportKind,
    private readonly bus: EventBus,
    private readonly settings: SessionSettings,
    private readonly onClosed: (session: ProxySession) => void,
    /** Who opened the session (an app window), so it can be closed with its owner. */
    readonly owner?: string,
  ) {
    this.stderr = new RingBuffer(settings.stderrLines);
    this.delivery = new ClientDelivery(transport, clientTransport, settings, {
      refuseServerRequest: (id, method, why) => this.refuseServerRequest(id, method, why),
      report: (message) => this.reportError(message),
      // A client that reads slowly slows the server down instead of growing the proxy's memory.
      onCongestion: (congested) => (congested ? this.upstream?.pauseReading() : this.upstream?.resumeReading()),
    });
    transport.onmessage = (message) => this.fromClient(message);
    transport.onerror = (error) => this.reportError(`client transport: ${error.message}`);
    transport.onclose = () => {
      this.clientOpen = false;
      this.delivery.close();
      this.wakeFromGrace?.();
      void this.close('client-disconnected');
    };
  }

  get server(): string {
    return this.entry.name;
  }

  get upstreamTransport(): UpstreamTransportKind {
    return this.entry.transport;
  }

  get state(): SessionState {
    return this.currentState;
  }

  /** Whether the client has received the answer to its initialize request. */
  get initialized(): boolean {
    return this.initializeAnswered;
  }

  /** Whether the client's transport is still open (for an SSE client, its event stream). */
  get clientConnected(): boolean {
    return this.clientOpen;
  }

  /** Requests either side still waits on; a session with any is never idle. */
  get pendingRequests(): number {
    return this.requests.size;
  }

  /** The session as the control API reports it. */
  snapshot(): SessionSnapshot {
    return {
      id: this.id,
      server: this.server,
      clientTransport: this.clientTransport,
      upstreamTransport: this.upstreamTransport,
      state: this.currentState,
      owner: this.owner,
      pid: this.upstream?.pid,
      startedAt: this.startedAt,
      lastActivityAt: this.lastActivityAt,
      clientToServer: this.clientToServer,
      serverToClient: this.serverToClient,
      pendingRequests: this.pendingRequests,
      initialized: this.initializeAnswered,
      serverInfo: this.serverInfo,
      protocolVersion: this.protocolVersion,
      clientBacklogBytes: this.delivery.backlogBytes,
      clientBacklogPeakBytes: this.delivery.backlogPeakBytes,
      upstreamPaused: this.upstream?.readingPaused ?? false,
    };
  }

  /**
   * Starts the client transport, then the upstream. Never rejects: a failure ends the session with a reason.
   * Call it after the session is registered, so that anything addressing it finds it in `connecting`.
   */
  async open(): Promise<void> {
    this.emit({ type: 'session-connecting', clientTransport: this.clientTransport, upstreamTransport: this.upstreamTransport, owner: this.owner });
    try {
      await this.transport.start();
    } catch (error) {
      await this.close('client-disconnected', errorMessage(error));
      return;
    }
    if (this.currentState !== 'connecting') return;

    const resolved = this.settings.resolveEntry ? this.settings.resolveEntry(this.entry) : { ok: true as const, entry: this.entry };
    if (!resolved.ok) {
      await this.close('upstream-failed', resolved.message);
      return;
    }
    this.resolvedEntry = resolved.entry;
    const upstream = this.attachUpstream(resolved.entry);

    try {
      await withTimeout(
        upstream.transport.start(),
        this.settings.connectTimeoutMs,
        `the server did not start within ${formatSeconds(this.settings.connectTimeoutMs)}`,
      );
    } catch (error) {
      await this.close('upstream-failed', errorMessage(error));
      return;
    }
    if (this.currentState !== 'connecting') return;
    this.currentState = 'ready';
    this.emit({ type: 'upstream-ready', connectMs: Date.now() - this.startedAt });
    this.waitingBytes = 0;
    for (const message of this.waitingForUpstream.splice(0)) this.forwardToUpstream(message);
  }

  /** Creates the upstream for an entry and wires it to this session (not yet started). */
  private attachUpstream(entry: ServerEntry): Upstream {
    const upstream = createUpstream(
      entry,
      {
        onSpawn: (pid, command, args) => this.emit({ type: 'child-spawned', pid, command, args }),
        onStderrLine: (line) => {
          this.stderr.push(line);
          this.emit({ type: 'stderr', line });
        },
        onTreeSignalError: (message) => this.reportError(message),
      },
      this.settings,
    );
    this.upstream = upstream;
    if (this.delivery.isCongested) upstream.pauseReading();
    upstream.transport.onmessage = (message) => this.fromUpstream(message);
    upstream.transport.onerror = (error) => this.reportError(`upstream: ${error.message}`);
    upstream.transport.onclose = () => void this.close(...this.describeUpstreamEnd());
    return upstream;
  }

  /**
   * A remote server given as Streamable HTTP that refuses the initialize POST the way a server of the older
   * HTTP+SSE transport does (4xx) is tried once more over SSE at the same URL, as the spec's backwards
   * compatibility advises; the initialize is then sent there. Runs inside the send queue, so later messages wait.
   */
  private async fallBackToSse(initialize: JSONRPCMessage, error: unknown): Promise<boolean> {
    const status = (error as { code?: unknown }).code;
    const entry = this.resolvedEntry;
    if (this.triedSseFallback || entry?.transport !== 'streamable-http' || typeof status !== 'number' || status < 400 || status >= 500) return false;
    this.triedSseFallback = true;
    const old = this.upstream;
    if (old) {
      old.transport.onclose = undefined;
      await old.transport.close().catch(() => undefined);
    }
    const upstream = this.attachUpstream({ ...entry, transport: 'sse' });
    try {
      await withTimeout(upstream.transport.start(), this.settings.connectTimeoutMs, `the server did not start within ${formatSeconds(this.settings.connectTimeoutMs)}`);
      await upstream.transport.send(initialize);
    } catch (sseError) {
      await this.close('upstream-failed', `${errorMessage(error)}; over SSE too: ${errorMessage(sseError)}`);
      return true;
    }
    this.reportError(`"${this.server}" answered Streamable HTTP with HTTP ${status}; connected over the older HTTP+SSE transport instead`);
    return true;
  }

  private fromClient(message: JSONRPCMessage): void {
    const envelope = message as JsonRpcEnvelope;
    const kind = messageKind(envelope);
    const now = Date.now();
    this.lastActivityAt = now;
    this.clientToServer += 1;
    let durationMs: number | undefined;

    if (kind === 'request') {
      const id = envelope.id as JsonRpcId;
      this.requests.trackClientRequest(id, envelope.method!, now, envelope.params?._meta?.progressToken);
    } else if (kind === 'response') {
      const pending = this.requests.takeServerRequest(envelope.id as JsonRpcId);
      if (pending) durationMs = now - pending.startedAt;
    } else if (envelope.method === 'notifications/cancelled') {
      const cancelled = envelope.params?.requestId as JsonRpcId | undefined;
      if (cancelled !== undefined) this.requests.forgetClientRequest(cancelled);
    }
    this.emitMessage('client-to-server', envelope, kind, { durationMs });

    switch (this.currentState) {
      case 'connecting':
        this.waitForUpstream(message, envelope, kind);
        return;
      case 'ready':
        this.forwardToUpstream(message);
        return;
      default:
        if (kind === 'request') {
          this.requests.forgetClientRequest(envelope.id as JsonRpcId);
          this.sendToClient(jsonRpcError(envelope.id as JsonRpcId, JSON_RPC_ERRORS.upstreamError, this.closedMessage()));
        }
    }
  }

  /** Holds a client message until the upstream has started, within the queue's bounds. */
  private waitForUpstream(message: JSONRPCMessage, envelope: JsonRpcEnvelope, kind: 'request' | 'response' | 'notification'): void {
    const bytes = Buffer.byteLength(JSON.stringify(message));
    const { connectQueueMaxMessages: maxMessages, connectQueueMaxBytes: maxBytes } = this.settings;
    if (this.waitingForUpstream.length < maxMessages && this.waitingBytes + bytes <= maxBytes) {
      this.waitingForUpstream.push(message);
      this.waitingBytes += bytes;
      return;
    }
    const why =
      `"${this.server}" is still connecting and the queue of messages waiting for it is full ` +
      `(${this.waitingForUpstream.length} messages, ${this.waitingBytes} bytes; at most ${maxMessages} messages and ${maxBytes} bytes)`;
    if (kind === 'request') {
      this.requests.forgetClientRequest(envelope.id as JsonRpcId);
      this.sendToClient(jsonRpcError(envelope.id as JsonRpcId, JSON_RPC_ERRORS.upstreamError, why));
    }
    this.reportError(`dropped ${describeMessage(envelope)} from the client: ${why}`);
  }

  /** A server request that cannot reach the client is answered to the server, so it never waits forever. */
  private refuseServerRequest(id: JsonRpcId, method: string, why: string): void {
    this.requests.takeServerRequest(id);
    const message = `Patchbay could not deliver ${method} to the client: ${why}`;
    this.reportError(`${message}; answered the server with an error`);
    if (this.currentState === 'ready') this.forwardToUpstream(jsonRpcError(id, JSON_RPC_ERRORS.upstreamError, message) as JSONRPCMessage);
  }

  private fromUpstream(message: JSONRPCMessage): void {
    if (this.currentState === 'closed') return;
    const envelope = message as JsonRpcEnvelope;
    const kind = messageKind(envelope);
    const now = Date.now();
    this.lastActivityAt = now;
    this.serverToClient += 1;

    if (kind === 'response') {
      const id = envelope.id as JsonRpcId;
      const pending = this.requests.clientRequest(id);
      this.requests.forgetClientRequest(id);
      const isInitialize = pending?.method === 'initialize';
      if (isInitialize) this.noteInitializeResult(envelope);
      this.emitMessage('server-to-client', envelope, kind, {
        durationMs: pending ? now - pending.startedAt : undefined,
        isError: envelope.error !== undefined,
      });
      this.sendToClient(envelope);
      if (isInitialize && envelope.result !== undefined) {
        this.emit({ type: 'session-initialized', serverInfo: this.serverInfo, protocolVersion: this.protocolVersion });
      }
      return;
    }

    const related = this.requests.relatedClientRequest(envelope);
    if (kind === 'request') this.requests.trackServerRequest(envelope.id as JsonRpcId, envelope.method!, now);
    this.emitMessage('server-to-client', envelope, kind, { relatedRequestId: related });
    this.sendToClient(envelope, related);
  }

  private noteInitializeResult(envelope: JsonRpcEnvelope): void {
    this.initializeAnswered = true;
    this.delivery.initializeAnswered();
    const result = envelope.result as { serverInfo?: { name?: unknown; version?: unknown }; protocolVersion?: unknown } | undefined;
    const info = result?.serverInfo;
    if (info && typeof info.name === 'string') {
      this.serverInfo = { name: info.name, version: typeof info.version === 'string' ? info.version : '' };
    }
    // Remote Streamable HTTP upstreams need the negotiated version on every later request.
    if (typeof result?.protocolVersion === 'string') {
      this.protocolVersion = result.protocolVersion;
      this.upstream?.transport.setProtocolVersion?.(result.protocolVersion);
    }
  }

  /** Sends to the upstream in arrival order; a failed send answers its request with an error instead of throwing. */
  private forwardToUpstream(message: JSONRPCMessage): void {
    this.upstreamSends = this.upstreamSends
      // The upstream is read at send time: an SSE fallback may have replaced it meanwhile.
      .then(() => this.upstream!.transport.send(message))
      .catch(async (error: unknown) => {
        const envelope = message as JsonRpcEnvelope;
        if (envelope.method === 'initialize' && (await this.fallBackToSse(message, error))) return;
        this.reportError(`could not send ${envelope.method ?? 'a response'} to the server: ${errorMessage(error)}`);
        if (envelope.method === 'initialize') {
          // A remote server that cannot take the first request is a failed connection, not a failed call.
          void this.close('upstream-failed', errorMessage(error));
          return;
        }
        if (messageKind(envelope) === 'request' && this.requests.hasClientRequest(envelope.id as JsonRpcId)) {
          this.requests.forgetClientRequest(envelope.id as JsonRpcId);
          this.sendToClient(
            jsonRpcError(envelope.id as JsonRpcId, JSON_RPC_ERRORS.upstreamError, `Patchbay could not deliver the request to "${this.server}": ${errorMessage(error)}`),
          );
        }
      })
      .catch((error: unknown) => this.reportError(`handling a failed send: ${errorMessage(error)}`));
  }

  /** Sends to the client in order; see ClientDelivery for where each message goes and what is done when it cannot. */
  private sendToClient(message: JsonRpcEnvelope, relatedRequestId?: JsonRpcId): void {
    if (this.clientOpen) this.delivery.send(message, relatedRequestId);
  }

  /**
   * Ends the session. Every close path comes here; the first caller's reason wins and later calls get the same
   * promise. Pending client requests are answered with an error, the upstream (and a child's whole process tree)
   * is ended, the client's transport is closed and the session leaves the registry.
   */
  close(reason: CloseReason, detail?: string): Promise<void> {
    if (this.closing) return this.closing;
    // Decide synchronously: closing the upstream below re-enters close() (its onclose fires) before any await.
    this.currentState = 'closing';
    this.closeReason = { reason, detail };
    let finished!: () => void;
    this.closing = new Promise<void>((resolve) => (finished = resolve));
    this.emit({ type: 'session-closing', reason, detail });
    void this.runClose(reason, detail)
      .catch((error: unknown) => this.reportError(`closing: ${errorMessage(error)}`))
      .finally(finished);
    return this.closing;
  }

  private async runClose(reason: CloseReason, detail?: string): Promise<void> {

    this.waitingForUpstream.length = 0;
    this.waitingBytes = 0;
    const message = this.closedMessage();
    for (const id of this.requests.clientRequestIds()) {
      this.sendToClient(jsonRpcError(id, JSON_RPC_ERRORS.upstreamError, message));
    }
    this.requests.clear();

    try {
      await this.upstream?.transport.close();
    } catch (error) {
      this.reportError(`closing the upstream: ${errorMessage(error)}`);
    }
    // A client that does not read is not waited for beyond the grace.
    await this.delivery.idle(this.settings.closingGraceMs);
    if (this.clientOpen && UPSTREAM_CAUSED.has(reason) && this.settings.closingGraceMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.closingGraceMs);
        this.wakeFromGrace = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      await this.delivery.idle(this.settings.closingGraceMs);
    }
    this.clientOpen = false;
    this.delivery.close();
    try {
      await this.transport.close();
    } catch (error) {
      this.reportError(`closing the client transport: ${errorMessage(error)}`);
    }

    this.currentState = 'closed';
    const exit = this.upstream?.exit;
    this.emit({ type: 'session-closed', reason, detail, exitCode: exit?.code, signal: exit?.signal });
    this.onClosed(this);
  }

  /** Why the session ended, as a sentence for JSON-RPC errors. */
  closedMessage(): string {
    return closeSentence(this.server, this.closeReason);
  }

  private describeUpstreamEnd(): [CloseReason, string | undefined] {
    const exit = this.upstream?.exit;
    if (this.entry.transport !== 'stdio' || !exit) return ['upstream-closed', undefined];
    const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const lastLines = this.stderr.toArray().slice(-3).join(' | ');
    return ['child-exited', lastLines ? `${how}; last stderr: ${lastLines}` : how];
  }

  private emitMessage(
    direction: 'client-to-server' | 'server-to-client',
    envelope: JsonRpcEnvelope,
    kind: 'request' | 'response' | 'notification',
    extra: { durationMs?: number; isError?: boolean; relatedRequestId?: JsonRpcId },
  ): void {
    if (!this.bus.hasSubscribers) return;
    const size = Buffer.byteLength(JSON.stringify(envelope));
    const withinCap = size <= this.settings.eventBodyMaxBytes;
    this.emit({
      type: 'message',
      direction,
      kind,
      method: envelope.method,
      id: envelope.id ?? undefined,
      size,
      ...definedOnly(extra),
      body: withinCap ? envelope : undefined,
      ...(withinCap ? {} : { truncated: true }),
    });
  }

  private reportError(message: string): void {
    this.emit({ type: 'session-error', message });
  }

  private emit(event: DistributiveOmit<Parameters<EventBus['emit']>[0], 'sessionId' | 'server'>): void {
    this.bus.emit({ ...event, sessionId: this.id, server: this.server } as Parameters<EventBus['emit']>[0]);
  }

  /** Ends the session if it has been quiet for longer than `idleMs` with nothing pending. */
  reapIfIdle(now: number, idleMs: number): void {
    if (this.currentState === 'ready' && this.pendingRequests === 0 && now - this.lastActivityAt > idleMs) {
      void this.close('idle-timeout', `no message for ${formatSeconds(idleMs)}`);
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
