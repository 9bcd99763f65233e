import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_SSE_KEEP_ALIVE_MS } from '@modelcontextprotocol/sdk/server/sseKeepAlive.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import { JSONRPCMessageSchema, SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcEnvelope, JsonRpcId } from '../../../src-shared/jsonrpc';

/**
 * The hot path of Streamable HTTP: a POST of one JSON-RPC message to a ready session, answered by the proxy on the
 * Node response itself instead of through the SDK's StreamableHTTPServerTransport. That transport turns every POST
 * into a web-standard Request and its answer back from a web-standard Response and stream (through
 * @hono/node-server), parses each message with zod several times over and writes the answer in three writes; under
 * load that was most of the proxy's CPU per call.
 *
 * Only a POST the SDK would take as it is comes here, and it is handled as the SDK handles it: the same checks
 * (Accept, Content-Type, Mcp-Protocol-Version, the SDK's own JSON-RPC schema, whose parsed message is the one
 * relayed), the same status, headers and SSE framing. Anything else (a batch, an initialize, a header the SDK would
 * refuse or that comes twice, a session not ready) returns undefined and goes to the SDK, which keeps its answers.
 */
export function directPostMessage(req: IncomingMessage, body: unknown): JSONRPCMessage | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  if (repeatsCheckedHeader(req.rawHeaders)) return undefined;
  const accept = req.headers.accept;
  if (accept === undefined || !accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (!isJsonContentType(req.headers['content-type'] ?? null)) return undefined;
  const version = req.headers['mcp-protocol-version'];
  if (version !== undefined && (typeof version !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return undefined;
  if ((body as { method?: unknown }).method === 'initialize') return undefined;
  const parsed = JSONRPCMessageSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

/** Headers the checks above read: sent twice, the SDK (which joins them) is the one to judge them. */
const CHECKED_HEADERS = new Set(['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id']);

function repeatsCheckedHeader(rawHeaders: string[]): boolean {
  let seen = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!.toLowerCase();
    if (!CHECKED_HEADERS.has(name)) continue;
    const bit = name === 'accept' ? 1 : name === 'content-type' ? 2 : name === 'mcp-protocol-version' ? 4 : 8;
    if (seen & bit) return true;
    seen |= bit;
  }
  return false;
}

/**
 * How long the headers of a direct stream wait for its first message. The SDK flushes them at once, which costs a
 * write of its own per call; an answer within this time goes out with them in one write, and a slower request
 * still gets its headers (what a client's fetch resolves on) this soon.
 */
export const HEADERS_WAIT_MS = 100;

/**
 * The SSE response of one direct POST that carries a request: the SDK's headers (with the first message, or after
 * `HEADERS_WAIT_MS`), then each message for the request as an SSE event, a keep-alive comment every 15 s once the
 * headers are out (the SDK's default interval), and the end once the request is answered.
 */
export class DirectRequestStream {
  private readonly unanswered: Set<JsonRpcId>;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly res: ServerResponse,
    sessionId: string,
    requestIds: JsonRpcId[],
  ) {
    this.unanswered = new Set(requestIds);
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'mcp-session-id': sessionId,
    });
    this.timer = setTimeout(() => {
      if (!this.open) return;
      res.flushHeaders();
      this.timer = setInterval(() => {
        if (this.open) res.write(': keepalive\n\n');
      }, DEFAULT_SSE_KEEP_ALIVE_MS);
      this.timer.unref();
    }, HEADERS_WAIT_MS);
    this.timer.unref();
    res.once('close', () => clearTimeout(this.timer));
  }

  /** Whether the response can still be written to. */
  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /**
   * Writes one message (already serialized as `json`); after the answer to the last request it carries, ends the
   * response in the same write. Throws, as the SDK's send does, when the response is gone.
   */
  write(message: JsonRpcEnvelope, json: string): void {
    if (!this.open) throw new Error(`No connection established for request ID: ${String(message.id)}`);
    const event = `event: message\ndata: ${json}\n\n`;
    if (message.method === undefined && message.id !== undefined && message.id !== null) this.unanswered.delete(message.id);
    if (this.unanswered.size > 0) {
      this.res.write(event);
      return;
    }
    clearTimeout(this.timer);
    this.res.end(event);
  }

  /** Ends the response (the session is closing), as the SDK's close ends its streams. */
  end(): void {
    clearTimeout(this.timer);
    if (this.open) this.res.end();
  }
}
