/**
 * One long-lived child process that serves the modern-era (MCP 2026-07-28) requests of every client of a stdio
 * server. Modern servers are stateless, so one process can serve all clients: their requests are multiplexed on
 * its stdin with ids (and progress tokens) of the proxy's own, and everything it writes back reaches the client
 * request it belongs to with that client's own id and token restored.
 *
 * API (what the client-facing route calls):
 *
 *   const child = new SharedStdioChild({ entry, settings, onEvent, restartPolicy });
 *
 *   child.request(message, deliver, signal, { origin }?): Promise<void>
 *     Writes `message` (a JSON-RPC request, never changed in place) to the child, starting the child first if
 *     none runs. `deliver` receives, in order, every message that belongs to it with the client's id/token:
 *     `notifications/progress` (when it carried `_meta.progressToken`), `notifications/message` (when it carried
 *     `_meta["io.modelcontextprotocol/logLevel"]`), and last its response. Resolves after the response has been
 *     delivered. Never rejects: when the child cannot start, dies, or `close()` is called, `deliver` gets a
 *     JSON-RPC error response (code -32000) whose message says why (exit code or signal, the spawn error, the last
 *     stderr lines). Aborting `signal` (the client went away) sends `notifications/cancelled` for it to the child,
 *     frees it and resolves at once without delivering anything more.
 *     A `subscriptions/listen` request stays open: `deliver` gets its acknowledgment and every notification whose
 *     `_meta["io.modelcontextprotocol/subscriptionId"]` names it (rewritten to the client's listen id), until the
 *     child ends it (a response, or `notifications/cancelled` for it, both delivered), the child dies (an error
 *     response) or the client aborts.
 *     Requests that ask for logs take turns: stdio gives a log message no link to its request, so while one such
 *     request is on the child, the next one waits (requests without a log level never wait; the server may not
 *     log for them). One that has waited `logTurnWaitMs` (2 s) is sent without its log level instead, and its
 *     client is told so first in a `notifications/message` from the logger "patchbay". When a request that had
 *     the turn is given up, the turn passes on only once the child has read the cancel (the proxy sends a
 *     `server/discover` of its own behind it and keeps the answer) and that request's logs have stopped.
 *     `origin` (optional) names the client, so that its `notifications/cancelled` can name its own request id
 *     even when another client uses the same id.
 *
 *   child.notify(message, { origin }?): void
 *     A client notification. `notifications/cancelled` is mapped to the child's id of that client's request (the
 *     request then resolves without a response, as the spec has it); an unknown id is ignored, an id that several
 *     clients use at once (without `origin`) is reported and not forwarded. Other notifications go to the child
 *     as they are, if it runs.
 *
 *   child.close(detail?): Promise<void>
 *     Answers every open request with an error ("the shared server process of "X" was closed"), ends the child's
 *     whole process tree and resolves when it is gone. Idempotent; later requests are answered with the same error.
 *
 *   child.snapshot(): SharedChildSnapshot   for the control API (pid, state, startedAt, restarts, inFlight, ...).
 *
 *   onEvent(event: SharedChildEvent)   lifecycle and diagnostics, see shared-stdio-child-events.ts: started,
 *     start-failed, exited (with reason and how many requests it failed), restarting (attempt, backoff delay),
 *     stderr (and non-JSON stdout lines, as the legacy sessions report them), protocol (a message nobody owns).
 *
 * Lifecycle: started lazily by the first request; a child that ends fails its in-flight requests and is started
 * again by the next request, after a backoff that doubles with each end in a row (bounded) and starts over after
 * a healthy period (shared-stdio-child-backoff.ts).
 */
import type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ServerEntry, StdioServerEntry } from '../../../../src-shared/catalog';
import { isStdoutLine, markStdoutLine } from '../../../../src-shared/console-lines';
import { JSON_RPC_ERRORS, jsonRpcError, messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../../src-shared/jsonrpc';
import { describeChildExit } from '../child-process-transport';
import { errorMessage, formatSeconds, withTimeout } from '../proxy-utils';
import { RingBuffer } from '../ring-buffer';
import type { SessionSettings } from '../session-settings';
import { createUpstream, type Upstream } from '../upstream';
import { DEFAULT_RESTART_POLICY, RestartBackoff, type RestartPolicy } from './shared-stdio-child-backoff';
import type { SharedChildEvent, SharedChildEventListener } from './shared-stdio-child-events';
import { asksForLogs, cancelForChild, CLIENT_CAPABILITIES_META, progressTokenOf, PROTOCOL_VERSION_META, requestForChild, withoutLogLevel } from './shared-stdio-child-rewrite';
import { RouteTable, type Route } from './shared-stdio-child-routes';
import { modernChannelId } from './modern-events';

export type { SharedChildEvent, SharedChildEventListener } from './shared-stdio-child-events';
export type { RestartPolicy } from './shared-stdio-child-backoff';

/** The session tunables a shared child uses; the proxy can pass its `SessionSettings` as they are. */
export type SharedChildSettings = Pick<
  SessionSettings,
  'maxMessageBytes' | 'killGraceMs' | 'childTracker' | 'processWatch' | 'signalProcess' | 'isPrivateEnv' | 'resolveEntry' | 'connectTimeoutMs' | 'stderrLines'
> &
  Partial<Pick<SessionSettings, 'connectQueueMaxMessages'>>;

export interface SharedStdioChildOptions {
  entry: StdioServerEntry;
  settings: SharedChildSettings;
  restartPolicy?: Partial<RestartPolicy>;
  onEvent?: SharedChildEventListener;
  /** How long a request that asks for logs waits for its turn before it is sent without its log level. */
  logTurnWaitMs?: number;
}

/** How long a request that asks for logs waits for the log turn, unless the options say. */
export const DEFAULT_LOG_TURN_WAIT_MS = 2_000;

export interface SharedRequestOptions {
  /** Who sent the request (a client's identity, as far as the caller knows it). */
  origin?: string;
}

/**
 * `idle`: no child (none yet, or the last one ended and nobody needs one); `backoff`: waiting before a restart;
 * `starting`: spawning; `running`; `closing`/`closed`: after `close()`.
 */
export type SharedChildState = 'idle' | 'backoff' | 'starting' | 'running' | 'closing' | 'closed';

export interface SharedChildSnapshot {
  server: string;
  state: SharedChildState;
  /** The running child's pid. */
  pid?: number;
  /** When the running child was started (ms since the epoch). */
  startedAt?: number;
  /** Children started after the first one. */
  restarts: number;
  /** Requests written to the child and not answered yet (open subscriptions included). */
  inFlight: number;
  /** Requests waiting: for the child to start, or for their turn to get logs. */
  waiting: number;
  /** Open `subscriptions/listen` requests. */
  subscriptions: number;
  /** How the last child ended, if one did. */
  lastExit?: { pid: number; exitCode: number | null; signal: string | null; reason: string; at: number };
}

/** A request with its client: what to call with its messages, and how to end it. */
interface Pending {
  readonly route: Route;
  /** The client's request (without its log level, once it gave up waiting for the log turn). */
  message: JSONRPCRequest;
  /** When it started waiting, for the log turn's limit. */
  readonly queuedAt: number;
  readonly deliver: (message: JSONRPCMessage) => void;
  readonly resolve: () => void;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
  written: boolean;
}

/** Requests that may wait for a child to start, when the settings do not say. */
const DEFAULT_MAX_WAITING = 10_000;

export class SharedStdioChild {
  private currentState: SharedChildState = 'idle';
  private readonly pending = new Map<number, Pending>();
  /** Requests not written yet, oldest first. */
  private readonly waiting: Pending[] = [];
  private readonly routes = new RouteTable(() => {
    if (this.currentState === 'running') this.pump();
  });
  private readonly backoff: RestartBackoff;
  private readonly stderr: RingBuffer<string>;
  private nextChildId = 1;
  /** Ids of the proxy's own `server/discover` requests not answered yet (see sendBarrier). */
  private readonly barriers = new Set<number>();
  /** Writes to the child, one after the other. */
  private writes: Promise<void> = Promise.resolve();
  private upstream?: Upstream;
  private childStartedAt?: number;
  private starts = 0;
  private everTried = false;
  private lastEndReason?: string;
  private lastExit?: SharedChildSnapshot['lastExit'];
  private backoffTimer?: NodeJS.Timeout;
  /** Wakes the pump when a request waiting for the log turn reaches its limit. */
  private logTurnWaitTimer?: NodeJS.Timeout;
  private starting?: Promise<void>;
  private closing?: Promise<void>;
  private closedMessage?: string;

  constructor(private readonly options: SharedStdioChildOptions) {
    this.backoff = new RestartBackoff({ ...DEFAULT_RESTART_POLICY, ...options.restartPolicy });
    this.stderr = new RingBuffer(options.settings.stderrLines);
  }

  get server(): string {
    return this.options.entry.name;
  }

  get state(): SharedChildState {
    return this.currentState;
  }

  /** The running child's pid. */
  get pid(): number | undefined {
    return this.currentState === 'running' ? this.upstream?.pid : undefined;
  }

  /** Requests open in any way (waiting or on the child); 0 once everything has been answered or given up. */
  get openRequests(): number {
    return this.pending.size;
  }

  snapshot(): SharedChildSnapshot {
    return {
      server: this.server,
      state: this.currentState,
      pid: this.pid,
      startedAt: this.currentState === 'running' ? this.childStartedAt : undefined,
      restarts: Math.max(0, this.starts - 1),
      inFlight: this.routes.size,
      waiting: this.waiting.length,
      subscriptions: this.routes.subscriptions,
      lastExit: this.lastExit,
    };
  }

  request(message: JSONRPCRequest, deliver: (message: JSONRPCMessage) => void, signal: AbortSignal, options: SharedRequestOptions = {}): Promise<void> {
    if (this.closedMessage !== undefined) {
      this.safeDeliver(deliver, jsonRpcError(message.id, JSON_RPC_ERRORS.upstreamError, this.closedMessage) as JSONRPCMessage);
      return Promise.resolve();
    }
    if (signal.aborted) return Promise.resolve();
    const maxWaiting = this.options.settings.connectQueueMaxMessages ?? DEFAULT_MAX_WAITING;
    if (this.waiting.length >= maxWaiting) {
      const why = `Patchbay could not send ${message.method} to "${this.server}": ${this.waiting.length} requests already wait for its server process (at most ${maxWaiting})`;
      this.safeDeliver(deliver, jsonRpcError(message.id, JSON_RPC_ERRORS.upstreamError, why) as JSONRPCMessage);
      return Promise.resolve();
    }
    const isListen = message.method === 'subscriptions/listen';
    const route: Route = {
      childId: this.nextChildId++,
      clientId: message.id,
      clientProgressToken: progressTokenOf(message),
      method: message.method,
      isListen,
      wantsLogs: !isListen && asksForLogs(message),
      origin: options.origin,
    };
    return new Promise<void>((resolve) => {
      const entry: Pending = {
        route,
        message,
        deliver,
        resolve,
        signal,
        queuedAt: Date.now(),
        onAbort: () => this.giveUp(entry, 'the client went away'),
        written: false,
      };
      signal.addEventListener('abort', entry.onAbort, { once: true });
      this.pending.set(route.childId, entry);
      this.waiting.push(entry);
      this.pump();
    });
  }

  notify(message: JSONRPCNotification, options: SharedRequestOptions = {}): void {
    if (message.method === 'notifications/cancelled') {
      const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
      if (typeof requestId !== 'string' && typeof requestId !== 'number') return;
      const matches = [...this.pending.values()].filter(
        (entry) => entry.route.clientId === requestId && (options.origin === undefined || entry.route.origin === options.origin),
      );
      if (matches.length === 1) {
        const reason = (message.params as { reason?: unknown }).reason;
        this.giveUp(matches[0]!, typeof reason === 'string' ? reason : 'cancelled by the client');
      } else if (matches.length > 1) {
        this.report(`a client cancelled request id ${JSON.stringify(requestId)}, which ${matches.length} open requests use; not forwarded (say which client sent it)`, message as JsonRpcEnvelope);
      }
      // Unknown ids are ignored, as the spec asks: the request may just have been answered.
      return;
    }
    if (this.currentState !== 'running') return;
    this.send(message);
  }

  close(detail?: string): Promise<void> {
    if (this.closing) return this.closing;
    this.currentState = 'closing';
    this.closedMessage = `the shared server process of "${this.server}" was closed${detail ? `: ${detail}` : ''}`;
    clearTimeout(this.backoffTimer);
    clearTimeout(this.logTurnWaitTimer);
    for (const entry of [...this.pending.values()]) {
      // What the ending child still writes for these (a listen's closing answer) is dropped quietly.
      this.routes.abandon(entry.route);
      this.finish(entry, this.errorFor(entry, this.closedMessage));
    }
    this.closing = (async () => {
      await this.starting;
      try {
        await this.upstream?.transport.close();
      } catch (error) {
        this.report(`ending the shared server process: ${errorMessage(error)}`);
      }
      this.currentState = 'closed';
    })();
    return this.closing;
  }

  /** Writes what can be written, or gets a child started for it. */
  private pump(): void {
    if (this.waiting.length === 0) return;
    if (this.currentState === 'idle') {
      this.scheduleStart();
      return;
    }
    // Only to a child that runs: while an ended child's requests are failed, nothing may be written.
    if (this.currentState !== 'running' || !this.upstream) return;
    const waitLimit = this.options.logTurnWaitMs ?? DEFAULT_LOG_TURN_WAIT_MS;
    let nextLimit: number | undefined;
    for (let index = 0; index < this.waiting.length; ) {
      const entry = this.waiting[index]!;
      if (this.routes.mustWait(entry.route)) {
        const limit = entry.queuedAt + waitLimit;
        if (Date.now() < limit) {
          nextLimit = Math.min(nextLimit ?? limit, limit);
          index += 1;
          continue;
        }
        this.sendWithoutLogs(entry, waitLimit);
      }
      this.waiting.splice(index, 1);
      this.write(entry);
    }
    clearTimeout(this.logTurnWaitTimer);
    if (nextLimit !== undefined) {
      this.logTurnWaitTimer = setTimeout(() => this.pump(), Math.max(0, nextLimit - Date.now()));
      this.logTurnWaitTimer.unref();
    }
  }

  /** A request that waited too long for the log turn goes without its log level; its client hears why first. */
  private sendWithoutLogs(entry: Pending, waitedMs: number): void {
    entry.route.wantsLogs = false;
    entry.message = withoutLogLevel(entry.message);
    const why =
      `Patchbay sent this request without its log level: another request to "${this.server}" that asked for log messages ` +
      `has been running for over ${formatSeconds(waitedMs)}, and over stdio a log message does not say which request it belongs to`;
    this.safeDeliver(entry.deliver, { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'warning', logger: 'patchbay', data: why } } as JSONRPCMessage);
  }

  private write(entry: Pending): void {
    entry.written = true;
    this.routes.add(entry.route);
    this.send(requestForChild(entry.message, entry.route.childId) as JSONRPCMessage, (error) => {
      // A child that died fails this request with the reason of its exit; any other failed write fails it here.
      if (this.pending.has(entry.route.childId)) this.finish(entry, this.errorFor(entry, `Patchbay could not deliver the request to "${this.server}": ${errorMessage(error)}`));
    });
  }

  /**
   * Writes to the running child in order, one write at a time: a burst of requests waits here rather than in the
   * pipe (where every waiting write would hold a 'drain' listener of its own).
   */
  private send(message: JSONRPCMessage, onFailure?: (error: unknown) => void): void {
    const upstream = this.upstream;
    if (!upstream) return;
    this.writes = this.writes
      .then(() => {
        if (this.upstream !== upstream) throw new Error('the server process ended before the message was written');
        return upstream.transport.send(message);
      })
      .catch((error: unknown) => {
        // A child that ended (or is being ended) reports its end, and fails the requests it had, with the reason.
        if (this.upstream !== upstream || upstream.exit !== undefined || this.currentState === 'closing' || this.currentState === 'closed') return;
        if (onFailure) onFailure(error);
        else this.report(`could not send ${(message as JsonRpcEnvelope).method ?? 'a message'} to the server process: ${errorMessage(error)}`);
      })
      .catch((error: unknown) => this.report(`handling a failed write: ${errorMessage(error)}`));
  }

  private scheduleStart(): void {
    const delayMs = this.backoff.nextDelayMs();
    if (this.everTried) {
      this.emit({ type: 'restarting', attempt: this.backoff.attempt, delayMs, reason: this.lastEndReason ?? 'the server process ended' });
    }
    this.everTried = true;
    if (delayMs > 0) {
      this.currentState = 'backoff';
      this.backoffTimer = setTimeout(() => this.startNow(), delayMs);
    } else {
      this.startNow();
    }
  }

  private startNow(): void {
    if (this.currentState === 'closing' || this.currentState === 'closed') return;
    this.currentState = 'starting';
    this.starting = this.start()
      .catch((error: unknown) => this.report(`starting the shared server process: ${errorMessage(error)}`))
      .finally(() => (this.starting = undefined));
  }

  private async start(): Promise<void> {
    const { settings } = this.options;
    const resolved = settings.resolveEntry ? settings.resolveEntry(this.options.entry) : { ok: true as const, entry: this.options.entry as ServerEntry };
    if (!resolved.ok) {
      this.startFailed(resolved.message);
      return;
    }
    if (resolved.entry.transport !== 'stdio') {
      this.startFailed(`"${this.server}" is not a stdio server`);
      return;
    }
    const upstream = createUpstream(
      resolved.entry,
      {
        onSpawn: (pid, command, args) => {
          this.starts += 1;
          this.childStartedAt = Date.now();
          this.pendingStartEvent = { type: 'started', pid, command, args, restarts: this.starts - 1 };
        },
        onStderrLine: (line) => {
          this.stderr.push(line);
          this.emit({ type: 'stderr', stream: 'stderr', line });
        },
        onStdoutLine: (line) => {
          this.stderr.push(markStdoutLine(line));
          this.emit({ type: 'stderr', stream: 'stdout', line });
        },
        onTreeSignalError: (message) => this.report(message),
        processOwner: { sessionId: modernChannelId(this.options.entry.name), era: 'modern' },
      },
      settings,
    );
    this.upstream = upstream;
    const transport = upstream.transport;
    transport.onmessage = (message) => this.fromChild(message, upstream);
    transport.onerror = (error) => this.report(`the server process: ${error.message}`);
    transport.onclose = () => this.childEnded(upstream);
    try {
      await withTimeout(transport.start(), settings.connectTimeoutMs, `the server process did not start within ${formatSeconds(settings.connectTimeoutMs)}`);
    } catch (error) {
      transport.onclose = undefined;
      transport.onmessage = undefined;
      await transport.close().catch(() => undefined);
      if (this.upstream === upstream) this.upstream = undefined;
      if (this.currentState === 'starting') this.startFailed(errorMessage(error));
      return;
    }
    if (this.currentState !== 'starting') return; // closed meanwhile: close() ends it
    this.currentState = 'running';
    const started = this.pendingStartEvent;
    this.pendingStartEvent = undefined;
    if (started) this.emit(started);
    this.pump();
  }

  private pendingStartEvent?: SharedChildEvent;

  private startFailed(why: string): void {
    this.backoff.recordEnd(0);
    this.lastEndReason = `it could not be started: ${why}`;
    this.currentState = 'idle';
    const waiting = this.waiting.splice(0);
    this.emit({ type: 'start-failed', message: why, failedRequests: waiting.length });
    for (const entry of waiting) this.finish(entry, this.errorFor(entry, `Patchbay could not start the server process of "${this.server}": ${why}`));
  }

  private childEnded(upstream: Upstream): void {
    if (this.upstream !== upstream) return;
    this.upstream = undefined;
    const expected = this.currentState === 'closing' || this.currentState === 'closed';
    // Leave 'running' before anything is failed: a failed request frees its turn, and nothing may be written now.
    if (!expected) this.currentState = 'idle';
    const exit = upstream.exit ?? { code: null, signal: null };
    const pid = upstream.pid ?? -1;
    const uptimeMs = Date.now() - (this.childStartedAt ?? Date.now());
    const lastLines = this.lastStderrLines();
    const reason = `${expected ? 'it was closed' : `it ${describeChildExit(exit)}`}${lastLines ? `; last stderr: ${lastLines}` : ''}`;
    this.lastExit = { pid, exitCode: exit.code, signal: exit.signal, reason, at: Date.now() };
    if (!expected) {
      this.backoff.recordEnd(uptimeMs);
      this.lastEndReason = `the last one (pid ${pid}) ${describeChildExit(exit)}`;
    }
    const failed = this.routes.takeAll();
    this.barriers.clear();
    const sentence = `the server process of "${this.server}" (pid ${pid}) ${describeChildExit(exit)} while this request was in flight${lastLines ? `; last stderr: ${lastLines}` : ''}; it is started again on the next request`;
    for (const route of failed) {
      const entry = this.pending.get(route.childId);
      if (entry) this.finish(entry, this.errorFor(entry, sentence, { exitCode: exit.code, signal: exit.signal, lastStderr: lastLines || undefined }));
    }
    this.emit({ type: 'exited', pid, exitCode: exit.code, signal: exit.signal, reason, expected, failedRequests: failed.length, uptimeMs });
    // Requests that were still waiting never reached the dead child: the next one serves them.
    if (!expected) this.pump();
  }

  private fromChild(message: JSONRPCMessage, upstream: Upstream): void {
    if (this.upstream !== upstream) return;
    const envelope = message as JsonRpcEnvelope;
    if (messageKind(envelope) === 'response' && typeof envelope.id === 'number' && this.barriers.delete(envelope.id)) {
      this.routes.barrierPassed();
      return;
    }
    const placement = this.routes.place(envelope);
    if (placement.kind === 'late') return;
    if (placement.kind === 'unplaced') {
      this.report(placement.why, envelope);
      return;
    }
    const entry = this.pending.get(placement.route.childId);
    if (!entry) return;
    if (placement.final) this.finish(entry, placement.message);
    else this.safeDeliver(entry.deliver, placement.message);
  }

  /** The client gave the request up: the child is told (if it has it), and nothing more reaches the client. */
  private giveUp(entry: Pending, reason: string): void {
    if (!this.pending.has(entry.route.childId)) return;
    if (entry.written && this.routes.has(entry.route)) {
      const heldLogTurn = this.routes.abandon(entry.route);
      if (this.currentState === 'running') {
        this.send(cancelForChild(entry.route.childId, reason) as JSONRPCMessage);
        if (heldLogTurn) this.sendBarrier(entry.message);
      }
    }
    this.finish(entry);
  }

  /**
   * A `server/discover` of the proxy's own after a cancel: its answer shows the child has read the cancel, so the
   * log turn a given-up request held can pass on once its logs stop. The answer itself goes nowhere.
   */
  private sendBarrier(cancelled: JSONRPCRequest): void {
    const id = this.nextChildId++;
    const meta = ((cancelled.params as { _meta?: Record<string, unknown> } | undefined)?._meta ?? {}) as Record<string, unknown>;
    this.barriers.add(id);
    this.send({
      jsonrpc: '2.0',
      id,
      method: 'server/discover',
      params: { _meta: { [PROTOCOL_VERSION_META]: meta[PROTOCOL_VERSION_META], [CLIENT_CAPABILITIES_META]: {} } },
    } as JSONRPCMessage);
  }

  /** Ends a request: delivers its last message (if any), forgets it everywhere and lets the next ones go. */
  private finish(entry: Pending, last?: JSONRPCMessage): void {
    if (this.pending.get(entry.route.childId) !== entry) return;
    this.pending.delete(entry.route.childId);
    const queued = this.waiting.indexOf(entry);
    if (queued !== -1) this.waiting.splice(queued, 1);
    this.routes.settle(entry.route);
    entry.signal.removeEventListener('abort', entry.onAbort);
    if (last) this.safeDeliver(entry.deliver, last);
    entry.resolve();
    // A request that had the log turn may have freed it for one that waits.
    if (this.currentState === 'running') this.pump();
  }

  private errorFor(entry: Pending, message: string, data?: Record<string, unknown>): JSONRPCMessage {
    const defined = data ? Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined)) : undefined;
    return jsonRpcError(entry.route.clientId, JSON_RPC_ERRORS.upstreamError, message, defined) as JSONRPCMessage;
  }

  private safeDeliver(deliver: (message: JSONRPCMessage) => void, message: JSONRPCMessage): void {
    try {
      deliver(message);
    } catch (error) {
      this.report(`delivering ${describeKind(message as JsonRpcEnvelope)} to its client failed: ${errorMessage(error)}`);
    }
  }

  private lastStderrLines(): string {
    return this.stderr
      .toArray()
      .filter((line) => !isStdoutLine(line))
      .slice(-3)
      .join(' | ');
  }

  private report(message: string, body?: JsonRpcEnvelope): void {
    this.emit({ type: 'protocol', message, body });
  }

  private emit(event: SharedChildEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch (error) {
      // A listener's bug must not reach the relay.
      console.error('[patchbay] shared child event listener threw:', error);
    }
  }
}

function describeKind(envelope: JsonRpcEnvelope): string {
  const kind = messageKind(envelope);
  return kind === 'response' ? `the response to ${String(envelope.id as JsonRpcId)}` : (envelope.method ?? kind);
}
