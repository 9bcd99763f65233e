import type { ClientTransportKind } from '../../../src-shared/catalog';
import { isJsonRpcEnvelope, type JsonRpcEnvelope, type JsonRpcId } from '../../../src-shared/jsonrpc';
import { ExchangeTracker, HttpExchange } from './raw-http';
import type { RequestOutcome, RequestOutcomes } from './request-outcomes';

const PROTOCOL_VERSION = '2025-06-18';

/** What every client of one soak shares. */
export interface ChaosContext {
  proxyUrl: string;
  token: string;
  exchanges: ExchangeTracker;
  outcomes: RequestOutcomes;
}

/** A request in flight: settle it once. */
interface Waiting {
  settle: (outcome: RequestOutcome, detail?: string) => void;
  /** The exchange whose stream carries the answer (Streamable HTTP). */
  carrier?: HttpExchange;
}

/**
 * A raw MCP client over Streamable HTTP or HTTP+SSE that can misbehave on purpose: abort its connect, cancel,
 * read slowly, drop its connections. Every request it sends is tracked in the soak's outcomes, and it answers the
 * server's own requests (roots, sampling, elicitation, ping) as a polite client would.
 */
export class ChaosClient {
  sessionId?: string;
  private messagesUrl?: URL;
  /** The SSE transport's event stream, or Streamable HTTP's standalone GET stream. */
  private eventStream?: HttpExchange;
  private readonly exchanges = new Set<HttpExchange>();
  private readonly waiting = new Map<JsonRpcId, Waiting>();
  private nextId = 1;
  private dropped = false;

  constructor(
    private readonly context: ChaosContext,
    readonly label: string,
    readonly server: string,
    readonly kind: ClientTransportKind,
  ) {}

  /** Requests sent and not yet ended. */
  get inFlight(): JsonRpcId[] {
    return [...this.waiting.keys()];
  }

  /**
   * Connects (initialize, then notifications/initialized). With `abortAfterMs` the client drops everything that
   * many milliseconds in, wherever the connect is by then.
   */
  async connect(options: { abortAfterMs?: number; deleteOnceNamed?: boolean } = {}): Promise<'connected' | 'aborted' | 'failed'> {
    const { abortAfterMs, deleteOnceNamed } = options;
    if (abortAfterMs !== undefined) setTimeout(() => this.drop(), abortAfterMs).unref();
    if (this.kind === 'sse') {
      const stream = this.open('GET', this.serverPath('sse'), { Accept: 'text/event-stream' });
      this.eventStream = stream;
      const endpoint = new Promise<string | undefined>((resolve) => {
        stream.onEvent((event) => {
          if (event.event === 'endpoint') resolve(event.data);
          else this.receive(event.data);
        });
        void stream.ended.then(() => {
          resolve(undefined);
          this.settleAll(this.dropped ? 'given-up' : 'stream-ended', 'the event stream ended');
        });
      });
      await stream.responded.catch(() => undefined);
      if (stream.status !== 200) {
        await this.checkRefusal(stream);
        return this.dropped ? 'aborted' : 'failed';
      }
      const path = await endpoint;
      if (path === undefined) return this.dropped ? 'aborted' : 'failed';
      this.messagesUrl = new URL(path, this.context.proxyUrl);
      this.sessionId = this.messagesUrl.searchParams.get('sessionId') ?? undefined;
    }
    const capabilities = { roots: { listChanged: true }, sampling: {}, elicitation: {} };
    const init = this.request('initialize', { protocolVersion: PROTOCOL_VERSION, capabilities, clientInfo: { name: this.label, version: '0' } });
    if (deleteOnceNamed) {
      // End the session the moment it has a name, while its initialize may still be on its way.
      const named = this.kind === 'sse' ? Promise.resolve() : waitUntilNamed(this, init.done);
      void named.then(() => this.close());
    }
    const outcome = await init.done;
    if (outcome !== 'answered') return this.dropped ? 'aborted' : 'failed';
    await this.notify('notifications/initialized');
    return this.dropped ? 'aborted' : 'connected';
  }

  /** Opens Streamable HTTP's standalone GET stream, for server messages that belong to no request. */
  async openStandaloneStream(): Promise<void> {
    if (this.kind !== 'streamable-http' || !this.sessionId || this.eventStream || this.dropped) return;
    const stream = this.open('GET', this.serverPath('mcp'), { Accept: 'text/event-stream', ...this.sessionHeaders() });
    this.eventStream = stream;
    stream.onEvent((event) => this.receive(event.data));
    await stream.responded.catch(() => undefined);
    if (stream.status !== undefined && stream.status !== 200) await this.checkRefusal(stream);
  }

  /** Calls a tool; `pauseMs` makes the client stop reading the answer's stream for that long once it flows. */
  callTool(name: string, args: Record<string, unknown>, options: { pauseMs?: number; progress?: boolean } = {}): { id: JsonRpcId; done: Promise<RequestOutcome> } {
    const params: Record<string, unknown> = { name, arguments: args };
    const id = this.nextId;
    if (options.progress) params._meta = { progressToken: `${this.label}-progress-${id}` };
    return this.request('tools/call', params, options.pauseMs);
  }

  /** Sends a request; `done` settles with its outcome, whatever happens to the session. */
  request(method: string, params: Record<string, unknown>, pauseMs?: number): { id: JsonRpcId; done: Promise<RequestOutcome> } {
    const id = this.nextId++;
    const settle = this.context.outcomes.track(`${this.label}#${id}`, `${this.label} ${this.kind} → ${this.server}: ${method} ${JSON.stringify(params).slice(0, 80)}`);
    let resolveDone!: (outcome: RequestOutcome) => void;
    const done = new Promise<RequestOutcome>((resolve) => (resolveDone = resolve));
    const waiting: Waiting = {
      settle: (outcome, detail) => {
        if (!this.waiting.has(id)) return;
        this.waiting.delete(id);
        settle(outcome, detail);
        resolveDone(outcome);
      },
    };
    this.waiting.set(id, waiting);
    if (this.dropped) {
      waiting.settle('given-up');
      return { id, done };
    }
    const exchange = this.post({ jsonrpc: '2.0', id, method, params });
    if (!exchange) {
      waiting.settle('refused', 'no endpoint');
      return { id, done };
    }
    waiting.carrier = this.kind === 'streamable-http' ? exchange : undefined;
    void exchange.responded.then(
      async (response) => {
        if (pauseMs !== undefined) (this.kind === 'sse' ? this.eventStream : exchange)?.pauseFor(pauseMs);
        const status = response.statusCode ?? 0;
        if (status >= 400) {
          await this.checkRefusal(exchange);
          waiting.settle('refused', `HTTP ${status}`);
        }
      },
      () => undefined,
    );
    void exchange.ended.then(() => {
      if (this.kind === 'streamable-http' || this.dropped) waiting.settle(this.dropped ? 'given-up' : 'stream-ended', 'its stream ended without an answer');
    });
    return { id, done };
  }

  /** Cancels a request in flight, as the SDK does: the client stops waiting for it. */
  cancel(id: JsonRpcId): void {
    const waiting = this.waiting.get(id);
    if (!waiting) return;
    void this.notify('notifications/cancelled', { requestId: id, reason: 'the soak cancelled it' });
    waiting.settle('given-up', 'cancelled');
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    const exchange = this.post({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
    if (!exchange) return;
    await exchange.responded.catch(() => undefined);
    if ((exchange.status ?? 0) >= 400) await this.checkRefusal(exchange);
  }

  /**
   * Ends the session politely: DELETE over Streamable HTTP, closing the event stream over SSE. What is still in
   * flight is left to the proxy to end (the soak then checks that it did).
   */
  async close(): Promise<void> {
    if (this.dropped) return;
    if (this.kind === 'sse') {
      this.eventStream?.destroy();
      return;
    }
    if (!this.sessionId) return;
    const exchange = this.open('DELETE', this.serverPath('mcp'), this.sessionHeaders());
    await exchange.responded.catch(() => undefined);
    if ((exchange.status ?? 0) >= 400) await this.checkRefusal(exchange);
    await exchange.ended;
  }

  /** Drops every connection at once, as a crashed client would. */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    for (const exchange of this.exchanges) exchange.destroy();
    this.settleAll('given-up', 'the client dropped');
  }

  private settleAll(outcome: RequestOutcome, detail: string): void {
    for (const waiting of [...this.waiting.values()]) waiting.settle(outcome, detail);
  }

  private serverPath(endpoint: 'mcp' | 'sse'): string {
    return `/servers/${encodeURIComponent(this.server)}/${endpoint}`;
  }

  private sessionHeaders(): Record<string, string> {
    return this.sessionId ? { 'Mcp-Session-Id': this.sessionId, 'Mcp-Protocol-Version': PROTOCOL_VERSION } : {};
  }

  private open(method: string, path: string | URL, headers: Record<string, string>, body?: string): HttpExchange {
    const url = typeof path === 'string' ? new URL(path, this.context.proxyUrl) : path;
    const exchange = new HttpExchange(url, { method, headers: { Authorization: `Bearer ${this.context.token}`, ...headers }, body }, this.context.exchanges);
    this.exchanges.add(exchange);
    void exchange.ended.then(() => this.exchanges.delete(exchange));
    if (this.dropped) exchange.destroy();
    return exchange;
  }

  /** Posts one message on the transport's message path; answers flow back to `receive`. */
  private post(message: JsonRpcEnvelope): HttpExchange | undefined {
    const body = JSON.stringify(message);
    const json = { 'Content-Type': 'application/json' };
    if (this.kind === 'sse') {
      if (!this.messagesUrl) return undefined;
      return this.open('POST', this.messagesUrl, json, body);
    }
    const exchange = this.open('POST', this.serverPath('mcp'), { ...json, Accept: 'application/json, text/event-stream', ...this.sessionHeaders() }, body);
    exchange.onEvent((event) => this.receive(event.data));
    if (message.method === 'initialize') {
      void exchange.responded.then((response) => {
        const id = response.headers['mcp-session-id'];
        if (typeof id === 'string') this.sessionId = id;
      }, () => undefined);
    }
    // A JSON (not event-stream) answer with status 200 carries the messages in its body.
    void exchange.ended.then(() => {
      if (exchange.status === 200 && exchange.body) this.receive(exchange.body);
    });
    return exchange;
  }

  /** Handles what the server sent: answers to our requests, and the server's own requests. */
  private receive(data: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.context.outcomes.violations.push(`${this.label}: a message that is not JSON: ${data.slice(0, 200)}`);
      return;
    }
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      if (!isJsonRpcEnvelope(message)) {
        this.context.outcomes.violations.push(`${this.label}: a message that is not JSON-RPC: ${JSON.stringify(message).slice(0, 200)}`);
        continue;
      }
      if (message.method === undefined && message.id !== undefined && message.id !== null) {
        const waiting = this.waiting.get(message.id);
        waiting?.settle(message.error ? 'error-response' : 'answered', message.error?.message);
      } else if (message.method !== undefined && message.id !== undefined && message.id !== null) {
        this.answerServerRequest(message.id, message.method);
      }
    }
  }

  private answerServerRequest(id: JsonRpcId, method: string): void {
    const results: Record<string, unknown> = {
      'roots/list': { roots: [{ uri: 'file:///tmp/soak', name: 'soak' }] },
      'sampling/createMessage': { role: 'assistant', content: { type: 'text', text: 'sampled by the soak' }, model: 'soak' },
      'elicitation/create': { action: 'decline' },
      ping: {},
    };
    const result = results[method];
    const answer = result === undefined ? { jsonrpc: '2.0' as const, id, error: { code: -32601, message: `the soak does not handle ${method}` } } : { jsonrpc: '2.0' as const, id, result };
    const exchange = this.post(answer);
    void exchange?.responded.then(async () => {
      if ((exchange.status ?? 0) >= 400) await this.checkRefusal(exchange);
    }, () => undefined);
  }

  /** A refusal must be a specified status with a JSON-RPC error body; a 500 is a bug whatever the interleaving. */
  private async checkRefusal(exchange: HttpExchange): Promise<void> {
    const end = await exchange.ended;
    const status = exchange.status ?? 0;
    if (status >= 500 && status !== 503) this.context.outcomes.violations.push(`${this.label}: HTTP ${status} for ${exchange.description}: ${exchange.body.slice(0, 300)}`);
    if (end !== 'ended') return;
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      body = undefined;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (!isJsonRpcEnvelope(body) || typeof error?.message !== 'string' || typeof error.code !== 'number') {
      this.context.outcomes.violations.push(`${this.label}: HTTP ${status} without a JSON-RPC error body for ${exchange.description}: ${exchange.body.slice(0, 300)}`);
    }
  }
}

/** Resolves once a Streamable HTTP client knows its session id (or its initialize ended without one). */
async function waitUntilNamed(client: ChaosClient, initialized: Promise<unknown>): Promise<void> {
  let ended = false;
  void initialized.then(() => (ended = true));
  while (!client.sessionId && !ended) await new Promise((resolve) => setTimeout(resolve, 1));
}
