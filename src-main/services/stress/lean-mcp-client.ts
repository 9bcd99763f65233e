import { EventEmitter } from 'node:events';
import { createParser } from 'eventsource-parser';
import { Pool } from 'undici';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

/**
 * A lean MCP client over Streamable HTTP for the stress runner: JSON-RPC POSTs on an undici keep-alive pool, each
 * answer read as JSON or as an event stream, the session opened with initialize (its Mcp-Session-Id and
 * negotiated version sent on every later request) and ended with DELETE. It is the real protocol against the real
 * server, without the SDK client's per-call cost (schema validation, per-request bookkeeping), so the load
 * generator is not what is measured.
 */

export type JsonRpcAnswer =
  | { kind: 'result'; result: Record<string, unknown> }
  | { kind: 'error'; code: number; message: string }
  | { kind: 'transport'; message: string };

export interface LeanClientOptions {
  /** The proxy's base URL (`http://127.0.0.1:PORT`). */
  baseUrl: string;
  /** The path of the server's endpoint, `/servers/NAME/mcp`. */
  path: string;
  token?: string;
  /** Connections kept open to the proxy: one per call in flight, plus a few for cancels and deletes. */
  connections: number;
}

const CLIENT_INFO = { name: 'mcp-patchbay-stress', version: '1' };

/**
 * What aborts one call: undici takes an EventEmitter that emits 'abort' as its signal (documented beside AbortSignal).
 * A run makes one per call, thousands a second, and an AbortController costs some 4 µs to make and listen to where
 * this costs a tenth of that.
 */
export class CallAbort extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

/** What can stop a request: a call's own CallAbort, or a run's AbortSignal (opening the sessions). */
export type RequestSignal = AbortSignal | CallAbort;

/** The undici pool every session of a run shares. */
export class LeanConnection {
  readonly pool: Pool;
  private readonly baseHeaders: Record<string, string>;

  constructor(readonly options: LeanClientOptions) {
    this.pool = new Pool(options.baseUrl, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
    this.baseHeaders = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    };
  }

  /** POSTs one message; a request's answer is awaited, a notification's 202 only checked. */
  async post(message: object, headers: Record<string, string>, signal?: RequestSignal): Promise<{ status: number; answer?: JsonRpcAnswer; headers: Record<string, string | string[] | undefined> }> {
    const response = await this.pool.request({
      path: this.options.path,
      method: 'POST',
      headers: { ...this.baseHeaders, ...headers },
      body: JSON.stringify(message),
      signal,
    });
    const text = await response.body.text();
    const id = (message as { id?: unknown }).id;
    if (id === undefined) {
      return { status: response.statusCode, headers: response.headers, answer: response.statusCode < 300 ? undefined : { kind: 'transport', message: httpProblem(response.statusCode, text) } };
    }
    return { status: response.statusCode, headers: response.headers, answer: readAnswer(response.statusCode, String(response.headers['content-type'] ?? ''), text, id) };
  }

  async delete(headers: Record<string, string>): Promise<number> {
    const response = await this.pool.request({ path: this.options.path, method: 'DELETE', headers: { ...this.baseHeaders, ...headers } });
    await response.body.dump();
    return response.statusCode;
  }

  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}

/** One MCP session over a LeanConnection. */
export class LeanSession {
  private nextId = 1;
  private constructor(
    private readonly connection: LeanConnection,
    readonly sessionId: string,
    readonly protocolVersion: string,
    readonly serverInfo: { name: string; version: string } | undefined,
  ) {}

  /** Opens a session: initialize, then notifications/initialized. Throws with the reason when it cannot. */
  static async open(connection: LeanConnection, signal?: AbortSignal): Promise<LeanSession> {
    const initialize = {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO },
    };
    const { answer, headers } = await connection.post(initialize, {}, signal);
    if (!answer || answer.kind === 'transport') throw new Error(`initialize failed: ${answer?.message ?? 'no answer'}`);
    if (answer.kind === 'error') throw new Error(`initialize was refused: ${answer.message} (JSON-RPC error ${answer.code})`);
    const sessionId = headers['mcp-session-id'];
    if (typeof sessionId !== 'string' || sessionId === '') throw new Error('initialize was answered without an Mcp-Session-Id header');
    const result = answer.result as { protocolVersion?: unknown; serverInfo?: { name: string; version: string } };
    const version = typeof result.protocolVersion === 'string' ? result.protocolVersion : LATEST_PROTOCOL_VERSION;
    const session = new LeanSession(connection, sessionId, version, result.serverInfo);
    const initialized = await connection.post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session.headers(), signal);
    if (initialized.answer) {
      await session.close();
      throw new Error(`notifications/initialized failed: ${initialized.answer.kind === 'transport' ? initialized.answer.message : 'unexpected answer'}`);
    }
    return session;
  }

  /** A fresh request id of this session. */
  newId(): number {
    const id = this.nextId;
    this.nextId += 1;
    return id;
  }

  headers(): Record<string, string> {
    return { 'mcp-session-id': this.sessionId, 'mcp-protocol-version': this.protocolVersion };
  }

  /** Sends a request and reads its answer; a transport failure is an answer too (never a rejection), an abort rejects. */
  async request(id: number, method: string, params: object, signal?: RequestSignal): Promise<JsonRpcAnswer> {
    try {
      const { answer } = await this.connection.post({ jsonrpc: '2.0', id, method, params }, this.headers(), signal);
      return answer ?? { kind: 'transport', message: 'no answer' };
    } catch (error) {
      if (signal?.aborted) throw error;
      return { kind: 'transport', message: describeFailure(error) };
    }
  }

  /** Tells the server to stop working on a request (notifications/cancelled). */
  async cancel(id: number, reason: string): Promise<void> {
    await this.connection.post({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } }, this.headers()).catch(() => undefined);
  }

  /** Ends the session with DELETE; resolves with the HTTP status (or 0 when the proxy could not be reached). */
  async close(): Promise<number> {
    return this.connection.delete(this.headers()).catch(() => 0);
  }
}

/** Reads the answer with `id` from a POST's response: a JSON body (one message or a batch) or an event stream. */
export function readAnswer(status: number, contentType: string, text: string, id: unknown): JsonRpcAnswer {
  const messages: unknown[] = [];
  if (contentType.includes('text/event-stream')) {
    const parser = createParser({
      onEvent: (event) => {
        if (event.data === '') return;
        try {
          messages.push(JSON.parse(event.data));
        } catch {
          messages.push(undefined);
        }
      },
    });
    parser.feed(text);
  } else {
    try {
      const parsed: unknown = JSON.parse(text);
      messages.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    } catch {
      return { kind: 'transport', message: status >= 300 ? httpProblem(status, text) : `the answer is not JSON: ${text.slice(0, 200)}` };
    }
  }
  for (const message of messages) {
    if (!message || typeof message !== 'object') continue;
    const envelope = message as { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
    // An error for the whole request (an HTTP error with a JSON-RPC body) may carry no id.
    if (envelope.error && (envelope.id === id || envelope.id === undefined || envelope.id === null)) {
      const code = typeof envelope.error.code === 'number' ? envelope.error.code : 0;
      const text = typeof envelope.error.message === 'string' ? envelope.error.message : 'no message';
      // A refusal of the HTTP request itself is the transport's failure, whatever its body says.
      if (status >= 300) return { kind: 'transport', message: `HTTP ${status}: ${text}` };
      return { kind: 'error', code, message: text };
    }
    if (envelope.id === id && envelope.result && typeof envelope.result === 'object') return { kind: 'result', result: envelope.result as Record<string, unknown> };
  }
  if (status >= 300) return { kind: 'transport', message: httpProblem(status, text) };
  return { kind: 'transport', message: 'the response ended without an answer to the request' };
}

function httpProblem(status: number, text: string): string {
  return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

/** A connection failure as one line: undici's code and message (ECONNREFUSED, UND_ERR_SOCKET, ...). */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: unknown }).cause;
  const causeText = cause instanceof Error && cause.message !== error.message ? ` (${cause.message})` : '';
  return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}${causeText}`;
}
