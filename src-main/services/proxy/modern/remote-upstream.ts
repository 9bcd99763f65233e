import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { ServerEntry } from '../../../../src-shared/catalog';
import { isJsonRpcEnvelope, JSON_RPC_ERRORS, jsonRpcError, messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../../src-shared/jsonrpc';
import { parseSocketUrl } from '../../../../src-shared/socket-url';
import { closeSentence } from '../close-reasons';
import { errorMessage } from '../proxy-utils';
import { readableErrorPageFetch } from '../remote-error-pages';
import { createSocketFetch } from '../socket-fetch';
import { readCappedBody } from '../read-capped-body';
import type { RemoteAuth } from '../remote-auth';

/** Most of a failed answer's body read to say why; the rest is not read. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Request headers of MCP 2026-07-28 that travel on to the server: the version, the method, the name and tool parameters. */
const FORWARDED_HEADER = /^(mcp-protocol-version|mcp-method|mcp-name|mcp-param-.+)$/i;

/** A remote Streamable HTTP server as the modern path reaches it: its URL, its fetch (socket-aware), its headers. */
export interface RemoteTarget {
  url: URL;
  fetch: FetchLike;
  headers: Record<string, string>;
  close(): Promise<void>;
  /** Why the server needs sign-in (OAuth), asked when it refuses with 401 or 403. */
  signInDetail?: () => string | undefined;
}

/** Builds the target of an entry whose placeholders are filled: over its unix:// or pipe:// socket when it names one. */
export function remoteTarget(entry: Extract<ServerEntry, { transport: 'sse' | 'streamable-http' }>, auth?: RemoteAuth): RemoteTarget {
  const socketUrl = parseSocketUrl(entry.url);
  const socket = socketUrl.ok ? createSocketFetch(socketUrl.target) : undefined;
  return {
    url: socket?.url ?? new URL(entry.url),
    // A gateway's HTML error page becomes `HTTP 502: <title>` here, as on the legacy path; OAuth attaches the token.
    fetch: readableErrorPageFetch(socket?.fetch ?? (auth ? auth.wrapFetch(entry.name, entry, fetch) : fetch)),
    headers: entry.headers,
    close: () => socket?.close() ?? Promise.resolve(),
    signInDetail: auth && (() => auth.signInDetail(entry.name)),
  };
}

/** What became of a forwarded message. */
export type RemoteOutcome =
  /** The final response was delivered. */
  | { kind: 'answered' }
  /** A notification the server took (202). */
  | { kind: 'accepted'; status: number }
  /** The server refused it; `body` is its JSON-RPC error, or one saying what it answered. */
  | { kind: 'refused'; status: number; body: JsonRpcEnvelope }
  /** The client gave up first. */
  | { kind: 'aborted' };

/**
 * Forwards one modern message as its own POST, and relays what the server answers: a JSON response, or each
 * message of its SSE stream in order until the response. The client's request metadata headers go with it, after
 * the catalog's headers (never the client's Authorization: that is Patchbay's token). `deliver` is awaited, so a
 * slow client reads the server's stream no faster than it takes it. Never throws: a server that cannot be reached
 * or that answers nothing usable is a `refused` outcome with a sentence that says so.
 */
export async function forwardToRemote(
  server: string,
  target: RemoteTarget,
  message: JsonRpcEnvelope,
  clientHeaders: Record<string, string | string[] | undefined>,
  deliver: (message: JsonRpcEnvelope) => void | Promise<void>,
  signal: AbortSignal,
): Promise<RemoteOutcome> {
  const headers = new Headers(target.headers);
  for (const [name, value] of Object.entries(clientHeaders)) {
    if (FORWARDED_HEADER.test(name) && value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  headers.set('content-type', 'application/json');
  headers.set('accept', 'application/json, text/event-stream');
  const id = message.id ?? null;
  const refused = (status: number, text: string): RemoteOutcome => ({ kind: 'refused', status, body: jsonRpcError(id, JSON_RPC_ERRORS.upstreamError, text) });

  let response: Response;
  try {
    response = await target.fetch(target.url, { method: 'POST', headers, body: JSON.stringify(message), signal });
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    return refused(502, `Patchbay could not reach "${server}": ${errorMessage(error)}`);
  }
  try {
    if (!response.ok) return await refusal(server, response, id, target.signInDetail?.());
    if (messageKind(message) !== 'request') {
      await response.body?.cancel().catch(() => undefined);
      return { kind: 'accepted', status: response.status };
    }
    const type = response.headers.get('content-type') ?? '';
    if (/^\s*text\/event-stream/i.test(type)) return await relayStream(server, response, id as JsonRpcId, deliver, signal);
    if (/^\s*application\/([\w.+-]+\+)?json/i.test(type)) {
      const body: unknown = await response.json();
      if (isJsonRpcEnvelope(body) && messageKind(body) === 'response' && body.id === id) {
        await deliver(body);
        return { kind: 'answered' };
      }
      return refused(502, `"${server}" answered ${String(message.method)} with JSON that is not its JSON-RPC response`);
    }
    await response.body?.cancel().catch(() => undefined);
    return refused(502, `"${server}" answered ${String(message.method)} with ${type ? `Content-Type ${type}` : 'no Content-Type'}, neither JSON nor an SSE stream`);
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    return refused(502, `reading the answer of "${server}" failed: ${errorMessage(error)}`);
  }
}

/** Relays the messages of a response stream until the response to the request; the rest of the stream is let go. */
async function relayStream(
  server: string,
  response: Response,
  id: JsonRpcId,
  deliver: (message: JsonRpcEnvelope) => void | Promise<void>,
  signal: AbortSignal,
): Promise<RemoteOutcome> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  const stop = (): void => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.event !== undefined && value.event !== 'message') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(value.data);
      } catch {
        continue;
      }
      if (!isJsonRpcEnvelope(parsed)) continue;
      await deliver(parsed);
      if (messageKind(parsed) === 'response' && parsed.id === id) return { kind: 'answered' };
    }
    if (signal.aborted) return { kind: 'aborted' };
    return { kind: 'refused', status: 502, body: jsonRpcError(id, JSON_RPC_ERRORS.upstreamError, `"${server}" ended its response stream without answering the request`) };
  } finally {
    signal.removeEventListener('abort', stop);
    stop();
  }
}

/**
 * A failed answer, relayed so the client can act on it: a JSON-RPC error body goes on with the server's status (a
 * modern server's 400 -32022 must reach the client to renegotiate; a legacy server's 4xx lets it fall back to
 * initialize). Authentication failures are the server's refusal of Patchbay, not of the client: they become 502.
 */
async function refusal(server: string, response: Response, id: JsonRpcId | null, signInDetail?: string): Promise<RemoteOutcome> {
  const text = await readCappedBody(response, MAX_ERROR_BODY_BYTES);
  const status = response.status === 401 || response.status === 403 || response.status >= 500 ? 502 : response.status;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 401 && response.status !== 403 && isJsonRpcEnvelope(body) && body.error !== undefined) {
    return { kind: 'refused', status, body: { ...body, id: body.id ?? id } };
  }
  // An HTML page was already summed up as `HTTP <status>: <title>` (remote-error-pages.ts).
  const said = text.trim().replace(/\s+/g, ' ').slice(0, 300).replace(new RegExp(`^HTTP ${response.status}: `), '');
  const authRefused = response.status === 401 || response.status === 403;
  if (authRefused && signInDetail !== undefined) {
    // The engine knows more than the status: the server needs sign-in (OAuth), and why.
    return { kind: 'refused', status, body: jsonRpcError(id, JSON_RPC_ERRORS.upstreamError, closeSentence(server, { reason: 'needs-sign-in', detail: signInDetail })) };
  }
  const auth = authRefused ? ' (check the headers of this server in the catalog, or sign in to it)' : '';
  return {
    kind: 'refused',
    status,
    body: jsonRpcError(id, JSON_RPC_ERRORS.upstreamError, `"${server}" answered HTTP ${response.status}${said ? `: ${said}` : ''}${auth}`),
  };
}
