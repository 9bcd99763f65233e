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
import type { FaultKind } from '../../../src-shared/faults';
import { NO_FAULTS, type FaultSlot } from './faults/fault-plans';
import { SessionFaults, type ClientFaultOutcome, type ServerFaultOutcome } from './faults/session-faults';
import { definedOnly, describeMessage, errorMessage, formatSeconds, withTimeout } from './proxy-utils';
import { RequestLedger } from './request-ledger';
import { RingBuffer } from './ring-buffer';
import type { SessionSettings } from './session-settings';
import { isAuthRefusal } from './remote-auth';
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
  /** Its server's fault plan; `plan` is undefined (the one check per message) unless faults are on. */
  private readonly faultSlot: Readonly<FaultSlot>;
  private sessionFaults?: SessionFaults;
  /** Server messages held by a delay fault, or queued behind one to keep their order. */
  private serverDelays = 0;
  private serverChain: Promise<void> = Promise.resolve();
  /** A stall fault stopped reading the server; a client catching up must not resume it early. */
  private stalled = false;
  private killedByFault = false;

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
    this.faultSlot = settings.faultSlot?.(entry.name) ?? NO_FAULTS;
    this.delivery = new ClientDelivery(transport, clientTransport, settings, {
      refuseServerRequest: (id, method, why) => this.refuseServerRequest(id, method, why),
      report: (message) => this.reportError(message),
      // A client that reads slowly slows the server down instead of growing the proxy's memory.
      onCongestion: (congested) => (congested ? this.upstream?.pauseReading() : this.stalled ? undefined : this.upstream?.resumeReading()),
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
      const signIn = this.signInNeeded(error);
      await (signIn !== undefined ? this.close('needs-sign-in', signIn) : this.close('upstream-failed', errorMessage(error)));
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
    // A server that wants a token is not an older HTTP+SSE one.
    if (this.signInNeeded(error) !== undefined) return false;
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
    let method = envelope.method;

    if (kind === 'request') {
      const id = envelope.id as JsonRpcId;
      this.requests.trackClientRequest(id, envelope.method!, now, envelope.params?._meta?.progressToken);
      this.startAgeSweep();
    } else if (kind === 'response') {
      const pending = this.requests.takeServerRequest(envelope.id as JsonRpcId);
      if (pending) durationMs = now - pending.startedAt;
      method = pending?.method;
    } else if (envelope.method === 'notifications/cancelled') {
      const cancelled = envelope.params?.requestId as JsonRpcId | undefined;
      if (cancelled !== undefined) this.requests.forgetClientRequest(cancelled);
    }
    const fault = this.faultSlot.plan === undefined || this.currentState === 'closing' || this.currentState === 'closed' ? undefined : this.faults().fromClient(kind, method);
    this.emitMessage('client-to-server', envelope, kind, { durationMs, injected: fault?.injected });
    if (fault !== undefined && this.injectFromClient(envelope, kind, method, fault)) return;

    switch (this.currentState) {
      case 'connecting':
        this.waitForUpstream(message, envelope, kind);
        return;
      case 'ready':
        this.forwardToUpstream(message, fault);
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
    if (this.faultSlot.plan !== undefined || this.serverDelays > 0) return this.fromUpstreamWithFaults(message);
    this.relayFromUpstream(message);
  }

  private relayFromUpstream(message: JSONRPCMessage, fault?: ServerFaultOutcome): void {
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
        // A duplicate's original goes through as it came; the copy is the event marked injected.
        injected: fault?.injected === 'duplicate' ? undefined : fault?.injected,
      });
      if (fault === undefined) this.sendToClient(envelope);
      else this.sendToClientWithFault(envelope, kind, pending?.method, undefined, fault);
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
    this.emitMessage('server-to-client', envelope, kind, { relatedRequestId: related, injected: fault?.injected === 'duplicate' ? undefined : fault?.injected });
    if (fault === undefined) this.sendToClient(envelope, related);
    else this.sendToClientWithFault(envelope, kind, envelope.method, related, fault);
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
  private forwardToUpstream(message: JSONRPCMessage, fault?: ClientFaultOutcome): void {
    if ((message as JsonRpcEnvelope).method === 'initialize' && this.entry.transport === 'stdio') this.startInitializeTimer();
    this.upstreamSends = this.upstreamSends
      // The upstream is read at send time: an SSE fallback may have replaced it meanwhile.
      .then(() => (fault === undefined ? this.upstream!.transport.send(message) : this.sendWithFault(message, fault)))
      .catch(async (error: unknown) => {
        const envelope = message as JsonRpcEnvelope;
        if (envelope.method === 'initialize' && (await this.fallBackToSse(message, error))) return;
        this.reportError(`could not send ${envelope.method ?? 'a response'} to the server: ${errorMessage(error)}`);
        const signIn = this.signInNeeded(error);
        if (envelope.method === 'initialize') {
          // A remote server that cannot take the first request is a failed connection, not a failed call.
          void (signIn !== undefined ? this.close('needs-sign-in', signIn) : this.close('upstream-failed', errorMessage(error)));
          return;
        }
        if (messageKind(envelope) === 'request' && this.requests.hasClientRequest(envelope.id as JsonRpcId)) {
          this.requests.forgetClientRequest(envelope.id as JsonRpcId);
          // A later 401 (a token refused, no refresh) leaves the session open: signing in makes the next call work.
          const why = signIn !== undefined ? closeSentence(this.server, { reason: 'needs-sign-in', detail: signIn }) : errorMessage(error);
          this.sendToClient(jsonRpcError(envelope.id as JsonRpcId, JSON_RPC_ERRORS.upstreamError, `Patchbay could not deliver the request to "${this.server}": ${why}`));
        }
      })
      .catch((error: unknown) => this.reportError(`handling a failed send: ${errorMessage(error)}`));
  }

  /** For a remote server's 401 or 403 that the OAuth engine could not answer: why it needs sign-in. */
  private signInNeeded(error: unknown): string | undefined {
    if (this.entry.transport === 'stdio' || !isAuthRefusal(error)) return undefined;
    return this.settings.remoteAuth?.signInDetail(this.server);
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
    this.sessionFaults?.cancel();
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
    const how = `${exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`}${this.killedByFault ? " (injected: kill, by the server's fault plan)" : ''}`;
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
    extra: { durationMs?: number; isError?: boolean; relatedRequestId?: JsonRpcId; injected?: FaultKind },
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

  private faults(): SessionFaults {
    return (this.sessionFaults ??= new SessionFaults(this.faultSlot as FaultSlot));
  }

  /** Carries out a drop or an error fault on a client message; true when the message goes no further. */
  private injectFromClient(envelope: JsonRpcEnvelope, kind: 'request' | 'response' | 'notification', method: string | undefined, fault: ClientFaultOutcome): boolean {
    const id = envelope.id ?? undefined;
    const what = describeForFault(kind, method, id);
    if (fault.injected === 'drop') {
      this.emitFault('drop', 'client-to-server', method, id, `did not send ${what} to the server`);
      return true;
    }
    if (fault.injected === 'error' && fault.error) {
      const { code, message, data } = fault.error;
      this.requests.forgetClientRequest(id as JsonRpcId);
      const answer = jsonRpcError(id as JsonRpcId, code, message, data);
      this.emitFault('error', 'server-to-client', method, id, `answered ${what} with error ${code} instead of sending it to the server`);
      this.emitMessage('server-to-client', answer, 'response', { durationMs: 0, isError: true, injected: 'error' });
      this.sendToClient(answer);
      return true;
    }
    if (fault.delayMs > 0) this.emitFault('delay', 'client-to-server', method, id, `held ${what} for ${fault.delayMs} ms`);
    return false;
  }

  /** Sends a client message a fault plan touches: after its delay; then a kill or a stall it starts. */
  private async sendWithFault(message: JSONRPCMessage, fault: ClientFaultOutcome): Promise<void> {
    if (fault.delayMs > 0) await this.faults().sleep(fault.delayMs);
    if (this.currentState !== 'ready') return;
    await this.upstream!.transport.send(message);
    const envelope = message as JsonRpcEnvelope;
    const what = describeForFault('request', envelope.method, envelope.id ?? undefined);
    if (fault.killAfterMs !== undefined) {
      const afterMs = fault.killAfterMs;
      this.faults().after(afterMs, () => this.killForFault(envelope, `${afterMs} ms after ${what} was sent to it`));
    }
    if (fault.stallMs !== undefined) this.stallForFault(envelope, fault.stallMs, what);
  }

  private killForFault(envelope: JsonRpcEnvelope, when: string): void {
    const pid = this.upstream?.pid;
    if (this.currentState !== 'ready') return;
    if (pid === undefined || this.upstream?.exit) {
      this.reportError(`the kill fault found no running server process to kill (${when})`);
      return;
    }
    this.killedByFault = true;
    this.emitFault('kill', 'client-to-server', envelope.method, envelope.id ?? undefined, `killed the server's process (pid ${pid}, SIGKILL) ${when}`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      this.reportError(`the kill fault could not kill pid ${pid}: ${errorMessage(error)}`);
    }
  }

  private stallForFault(envelope: JsonRpcEnvelope, ms: number, what: string): void {
    if (this.stalled || !this.upstream) return;
    this.stalled = true;
    this.upstream.pauseReading();
    this.emitFault('stall', 'server-to-client', envelope.method, envelope.id ?? undefined, `stopped reading the server's output for ${ms} ms after ${what} was sent`);
    this.faults().after(ms, () => {
      this.stalled = false;
      if (!this.delivery.isCongested) this.upstream?.resumeReading();
    });
  }

  /** A server message while faults are on: a delay holds it (and what follows it, in order) before it is relayed. */
  private fromUpstreamWithFaults(message: JSONRPCMessage): void {
    const envelope = message as JsonRpcEnvelope;
    const kind = messageKind(envelope);
    const method = kind === 'response' ? this.requests.clientRequest(envelope.id as JsonRpcId)?.method : envelope.method;
    const fault = this.faultSlot.plan === undefined || this.currentState !== 'ready' ? undefined : this.faults().fromServer(kind, method);
    const delayMs = fault?.delayMs ?? 0;
    if (delayMs === 0 && this.serverDelays === 0) return this.relayFromUpstream(message, fault);
    if (delayMs > 0) this.emitFault('delay', 'server-to-client', method, envelope.id ?? undefined, `held ${describeForFault(kind, method, envelope.id ?? undefined)} for ${delayMs} ms`);
    this.serverDelays += 1;
    this.serverChain = this.serverChain
      .then(async () => {
        if (delayMs > 0) await this.faults().sleep(delayMs);
        this.serverDelays -= 1;
        this.relayFromUpstream(message, fault);
      })
      .catch((error: unknown) => this.reportError(`relaying a delayed message: ${errorMessage(error)}`));
  }

  /** Sends a server message to the client the way its fault says: not at all, twice, corrupt, or cut off. */
  private sendToClientWithFault(
    envelope: JsonRpcEnvelope,
    kind: 'request' | 'response' | 'notification',
    method: string | undefined,
    related: JsonRpcId | undefined,
    fault: ServerFaultOutcome,
  ): void {
    const injected = fault.injected;
    if (injected === undefined || injected === 'delay') return this.sendToClient(envelope, related);
    const id = envelope.id ?? undefined;
    const what = describeForFault(kind, method, id);
    const detail = {
      drop: `did not send ${what} to the client`,
      duplicate: `sent ${what} to the client twice`,
      corrupt: `sent ${what} to the client as invalid JSON`,
      'close-stream': `closed the client's stream in the middle of ${what}`,
    }[injected];
    this.emitFault(injected, 'server-to-client', method, id, detail);
    if (injected === 'drop' || !this.clientOpen) return;
    this.delivery.send(envelope, related, injected);
    if (injected === 'duplicate') this.emitMessage('server-to-client', envelope, kind, { relatedRequestId: related, isError: envelope.error !== undefined, injected });
  }

  private emitFault(kind: FaultKind, direction: 'client-to-server' | 'server-to-client', method: string | undefined, id: JsonRpcId | undefined, detail: string): void {
    this.emit({ type: 'fault-injected', kind, direction, method, id, detail: `injected ${kind}: ${detail}`, seed: this.faults().seed });
  }

  /** Ends the session if it has been quiet for longer than `idleMs` with nothing pending. */
  reapIfIdle(now: number, idleMs: number): void {
    if (this.currentState === 'ready' && this.pendingRequests === 0 && now - this.lastActivityAt > idleMs) {
      void this.close('idle-timeout', `no message for ${formatSeconds(idleMs)}`);
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A message named for a fault's sentence: `the tools/call request 3`, `the response to tools/call 3`. */
function describeForFault(kind: 'request' | 'response' | 'notification', method: string | undefined, id: JsonRpcId | undefined): string {
  if (kind === 'response') return `the response to ${method ?? 'request'}${id === undefined ? '' : ` ${String(id)}`}`;
  if (kind === 'notification') return `the ${method ?? ''} notification`;
  return `the ${method ?? ''} request${id === undefined ? '' : ` ${String(id)}`}`;
}
