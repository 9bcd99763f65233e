import type { ServerResponse } from 'node:http';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ClientTransportKind, ServerEntry, UpstreamTransportKind } from '../../../src-shared/catalog';
import type { CloseReason, SessionSnapshot, SessionState } from '../../../src-shared/events';
import { JSON_RPC_ERRORS, jsonRpcError, messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../src-shared/jsonrpc';
import { ClientDelivery } from './client-delivery';
import { DirectRequestStream } from './direct-post';
import { isStdoutLine, markStdoutLine } from '../../../src-shared/console-lines';
import { ClientStreams } from './client-streams';
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
  private readonly clientStreams = new ClientStreams();
  /** Answers client requests that grew older than `maxRequestAgeMs`; runs while any could. */
  private ageSweep?: NodeJS.Timeout;
  /** Ends a stdio session whose server does not answer `initialize` in time. */
  private initializeTimer?: NodeJS.Timeout;
  /** The first line the child wrote to stdout that was not JSON-RPC: the likeliest reason it never answers. */
  private firstStrayStdoutLine?: string;
  /** Whether the client already heard why the session ends (a refused initialize, a request answered while closing). */
  private clientHeardWhy = false;
  /** During the close grace: a client request was just answered with the reason, so the client has heard it. */
  private heardWhyDuringGrace?: () => void;

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

  /**
   * Watches a Streamable HTTP POST response that carries client requests: if the client closes it before the
   * requests are answered, nobody waits for them any more and they are abandoned.
   */
  watchRequestStream(res: ServerResponse, requestIds: JsonRpcId[]): void {
    this.clientStreams.watchRequestStream(res, requestIds, (ids) => {
      for (const id of ids) this.abandonRequest(id, 'the client closed the request');
    });
  }

  /** Whether a POST of one message may be answered by the proxy itself (direct-post.ts) rather than by the SDK. */
  get acceptsDirectPost(): boolean {
    return this.currentState === 'ready' && this.initializeAnswered && this.clientOpen && this.clientTransport === 'streamable-http';
  }

  /**
   * A POST of one message the proxy answers itself (direct-post.ts): a request gets its own SSE stream, anything
   * else the 202 the SDK would send; then the message goes the way every client message goes.
   */
  receiveDirectPost(message: JSONRPCMessage, res: ServerResponse): void {
    const envelope = message as JsonRpcEnvelope;
    if (messageKind(envelope) === 'request') {
      const ids = [envelope.id as JsonRpcId];
      this.delivery.directRequestStreamOpened(ids, new DirectRequestStream(res, this.id, ids));
      this.watchRequestStream(res, ids);
    } else {
      res.writeHead(202).end();
    }
    this.fromClient(message);
  }

  /** Watches an event stream the client reads (the HTTP+SSE stream, or the Streamable HTTP standalone GET). */
  watchEventStream(res: ServerResponse): void {
    this.clientStreams.watchEventStream(res);
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
          this.emit({ type: 'stderr', stream: 'stderr', line });
        },
        onStdoutLine: (line) => {
          this.firstStrayStdoutLine ??= line;
          this.stderr.push(markStdoutLine(line));
          this.emit({ type: 'stderr', stream: 'stdout', line });
        },
        onTreeSignalError: (message) => this.reportError(message),
        processOwner: { sessionId: this.id, era: 'legacy' },
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
    // The session may close at any await below (the client deletes it, aborts, or Patchbay quits); its close has
    // then ended whichever upstream it knew, so one started here must be ended here.
    if (this.currentState !== 'ready') return true;
    const old = this.upstream;
    if (old) {
      old.transport.onclose = undefined;
      await old.transport.close().catch(() => undefined);
    }
    if (this.currentState !== 'ready') return true;
    const upstream = this.attachUpstream({ ...entry, transport: 'sse' });
    const closedMeanwhile = async (): Promise<boolean> => {
      if (this.currentState === 'ready') return false;
      upstream.transport.onclose = undefined;
      await upstream.transport.close().catch(() => undefined);
      return true;
    };
    try {
      await withTimeout(upstream.transport.start(), this.settings.connectTimeoutMs, `the server did not start within ${formatSeconds(this.settings.connectTimeoutMs)}`);
      if (await closedMeanwhile()) return true;
      await upstream.transport.send(initialize);
      if (await closedMeanwhile()) return true;
    } catch (sseError) {
      if (await closedMeanwhile()) return true;
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
      this.startAgeSweep();
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
          this.clientHeardWhy = true;
          this.heardWhyDuringGrace?.();
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
    // Nobody waits for an abandoned request: its late answer and progress go nowhere.
    if (this.requests.isAbandoned(envelope)) {
      if (kind === 'response') this.requests.settleAbandoned(envelope.id as JsonRpcId);
      return;
    }
    // Once closing, every client request has been answered with the reason; a late answer would be a second one.
    if (kind === 'response' && this.currentState === 'closing') return;
    const now = Date.now();
    this.lastActivityAt = now;
    this.serverToClient += 1;

    if (kind === 'response') {
      const id = envelope.id as JsonRpcId;
      const pending = this.requests.clientRequest(id);
      this.requests.forgetClientRequest(id);
      const isInitialize = pending?.method === 'initialize';
      if (isInitialize) {
        clearTimeout(this.initializeTimer);
        this.noteInitializeResult(envelope);
      }
      this.emitMessage('server-to-client', envelope, kind, {
        durationMs: pending ? now - pending.startedAt : undefined,
        isError: envelope.error !== undefined,
      });
      this.sendToClient(envelope);
      if (isInitialize && envelope.result !== undefined) {
        this.emit({ type: 'session-initialized', serverInfo: this.serverInfo, protocolVersion: this.protocolVersion });
      }
      if (isInitialize && envelope.error !== undefined) {
        // A server that refuses to initialize is a failed connection; its error is the reason.
        const { code, message: text } = envelope.error as { code?: unknown; message?: unknown };
        this.clientHeardWhy = true;
        const says = String(text);
        const withCode = typeof code === 'number' && !says.includes(String(code)) ? ` (JSON-RPC error ${code})` : '';
        void this.close('upstream-failed', `the server refused initialize: ${says}${withCode}`);
      }
      return;
    }

    const related = this.requests.relatedClientRequest(envelope);
    if (kind === 'request') {
      this.requests.trackServerRequest(envelope.id as JsonRpcId, envelope.method!, now);
      this.startAgeSweep();
    }
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
    if ((message as JsonRpcEnvelope).method === 'initialize' && this.entry.transport === 'stdio') this.startInitializeTimer();
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

  private startInitializeTimer(): void {
    clearTimeout(this.initializeTimer);
    const limit = this.settings.initializeTimeoutMs;
    this.initializeTimer = setTimeout(() => {
      const parts = [`the server did not answer initialize within ${formatSeconds(limit)}`];
      if (this.firstStrayStdoutLine !== undefined) parts.push(`the server wrote non-JSON to stdout: ${this.firstStrayStdoutLine}`);
      const lastLines = this.lastStderrLines();
      if (lastLines) parts.push(`last stderr: ${lastLines}`);
      void this.close('upstream-failed', parts.join('; '));
    }, limit);
    this.initializeTimer.unref();
  }

  private startAgeSweep(): void {
    const maxAge = this.settings.maxRequestAgeMs;
    if (this.ageSweep || maxAge <= 0 || this.currentState === 'closing' || this.currentState === 'closed') return;
    this.ageSweep = setInterval(() => this.expireOldRequests(), Math.max(50, Math.min(30_000, Math.floor(maxAge / 4))));
    this.ageSweep.unref();
  }

  /**
   * Answers, and cancels upstream, every client request older than the maximum age; answers the server with an
   * error for every request of its the client left unanswered as long (a client gone without a word would
   * otherwise keep the session busy, and the server waiting, for ever).
   */
  private expireOldRequests(): void {
    const maxAge = this.settings.maxRequestAgeMs;
    for (const [id, pending] of this.requests.serverRequestsStartedBefore(Date.now() - maxAge)) {
      this.refuseServerRequest(id, pending.method, `the client did not answer within ${formatSeconds(maxAge)}`);
    }
    for (const [id, pending] of this.requests.clientRequestsStartedBefore(Date.now() - maxAge)) {
      // initialize must not be cancelled; a server that never answers it is the initialize timeout's business.
      if (pending.method === 'initialize') continue;
      this.abandonRequest(
        id,
        `no answer within ${formatSeconds(maxAge)}`,
        `"${this.server}" did not answer ${pending.method} within ${formatSeconds(maxAge)}, the longest Patchbay waits for a request; it was cancelled`,
      );
    }
  }

  /**
   * Stops waiting for a client request: it no longer keeps the session busy, the server is told to cancel it,
   * and its late answer is dropped. With `answer`, the client gets that error in its place.
   */
  private abandonRequest(id: JsonRpcId, reason: string, answer?: string): void {
    // initialize is never cancelled (the spec forbids it); a client that gives it up ends the session instead.
    if (this.requests.clientRequest(id)?.method === 'initialize') return;
    const pending = this.requests.abandonClientRequest(id);
    if (!pending) return;
    if (answer !== undefined) this.sendToClient(jsonRpcError(id, JSON_RPC_ERRORS.upstreamError, answer));
    if (this.currentState === 'connecting') {
      // Not sent yet: it need not be sent at all.
      const queued = this.waitingForUpstream.findIndex((message) => (message as JsonRpcEnvelope).id === id && messageKind(message as JsonRpcEnvelope) === 'request');
      if (queued !== -1) this.waitingForUpstream.splice(queued, 1);
      return;
    }
    if (this.currentState !== 'ready') return;
    const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } } as JsonRpcEnvelope;
    this.emitMessage('client-to-server', cancel, 'notification', {});
    this.forwardToUpstream(cancel as JSONRPCMessage);
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
    clearInterval(this.ageSweep);
    clearTimeout(this.initializeTimer);
    const message = this.closedMessage();
    const answered = this.requests.clientRequestIds();
    for (const id of answered) {
      this.sendToClient(jsonRpcError(id, JSON_RPC_ERRORS.upstreamError, message));
    }
    this.requests.clear();
    const tellClient = this.clientOpen && UPSTREAM_CAUSED.has(reason) && this.settings.closingGraceMs > 0;
    // With no request to answer, the client hears why on its event stream (if it has one open).
    const needsNotice = answered.length === 0 && !this.clientHeardWhy;
    if (tellClient && needsNotice) {
      this.sendToClient({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'error', logger: 'patchbay', data: message } });
    }

    try {
      await this.upstream?.transport.close();
    } catch (error) {
      this.reportError(`closing the upstream: ${errorMessage(error)}`);
    }
    // A client that does not read is not waited for beyond the grace.
    await this.delivery.idle(this.settings.closingGraceMs);
    if (tellClient && this.clientOpen) {
      // The grace lasts until the client has been told: its answers (or the notice) have left for it.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.closingGraceMs);
        this.wakeFromGrace = () => {
          clearTimeout(timer);
          resolve();
        };
        const wake = this.wakeFromGrace;
        this.heardWhyDuringGrace = () =>
          void this.delivery
            .idle(this.settings.closingGraceMs)
            .then(() => this.clientStreams.whenFlushed(false))
            .then(wake);
        // A client that has not initialized yet ignores a notice: it waits for the answer to its initialize.
        if (this.clientHeardWhy) this.heardWhyDuringGrace();
        else if (!needsNotice || this.initializeAnswered) void this.clientStreams.whenFlushed(needsNotice).then(wake);
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
    const lastLines = this.lastStderrLines();
    return ['child-exited', lastLines ? `${how}; last stderr: ${lastLines}` : how];
  }

  /** The last few lines the child wrote to stderr, for a close reason. */
  private lastStderrLines(): string {
    return this.stderr
      .toArray()
      .filter((line) => !isStdoutLine(line))
      .slice(-3)
      .join(' | ');
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
