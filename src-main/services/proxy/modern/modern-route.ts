import type { Request, Response } from 'express';
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ServerEntry } from '../../../../src-shared/catalog';
import { JSON_RPC_ERRORS, jsonRpcError, messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../../src-shared/jsonrpc';
import { formatSeconds } from '../proxy-utils';
import { ModernClientResponse } from './client-response';
import { modernChannelId, type ModernEvents } from './modern-events';
import { META_KEYS, type ClassifiedPost, type ModernNotification, type ModernRequest, type ModernRejection } from './modern-request';
import type { ModernLedger } from './modern-ledger';
import type { ModernUpstreams } from './modern-upstreams';
import { forwardToRemote } from './remote-upstream';

export interface ModernRouteOptions {
  upstreams: ModernUpstreams;
  events: ModernEvents;
  ledger: ModernLedger;
  /** Bytes that may wait for one slow reader before its request is given up. */
  maxBacklogBytes: number;
  /** The header a client names its window with (X-Patchbay-Owner). */
  ownerHeader: string;
  /**
   * A request the server has not answered after this long is answered with an error and cancelled upstream (0: never);
   * a `subscriptions/listen` stream is meant to stay open and is exempt.
   */
  maxRequestAgeMs: number;
}

type ModernPost = Exclude<ClassifiedPost, { era: 'legacy' }>;

/**
 * Serves one modern (MCP 2026-07-28) POST at `/servers/{id}/mcp`: a request is sent to the server's upstream (its
 * shared stdio child, or the remote server as a POST of its own) and everything that belongs to it is relayed on
 * this response, JSON or SSE; a client that closes the response cancels the request upstream. Never throws.
 */
export async function serveModernPost(req: Request, res: Response, entry: ServerEntry, post: ModernPost, options: ModernRouteOptions): Promise<void> {
  if (post.kind === 'rejected') return refuse(res, post.rejection);
  const channel = modernChannelId(entry.name, req.header(options.ownerHeader) || undefined);
  if (post.kind === 'notification') return relayNotification(req, res, entry, post.message, channel, options);
  await relayRequest(req, res, entry, post.message, post.accepts, channel, options);
}

async function relayRequest(
  req: Request,
  res: Response,
  entry: ServerEntry,
  request: ModernRequest,
  accepts: { json: boolean; eventStream: boolean },
  channel: string,
  options: ModernRouteOptions,
): Promise<void> {
  const forget = options.ledger.add({ server: entry.name, channelId: channel, method: request.method, id: request.id as JsonRpcId, startedAt: Date.now() });
  try {
    await relayRequestTracked(req, res, entry, request, accepts, channel, options);
  } finally {
    forget();
  }
}

async function relayRequestTracked(
  req: Request,
  res: Response,
  entry: ServerEntry,
  request: ModernRequest,
  accepts: { json: boolean; eventStream: boolean },
  channel: string,
  { upstreams, events, maxBacklogBytes, maxRequestAgeMs }: ModernRouteOptions,
): Promise<void> {
  const server = entry.name;
  const startedAt = Date.now();
  const out = new ModernClientResponse(res, accepts, maxBacklogBytes);
  // The upstream stops when the client goes, or when it reads too slowly to keep up.
  const upstreamAbort = new AbortController();
  out.signal.addEventListener('abort', () => upstreamAbort.abort(out.signal.reason), { once: true });
  const clientId = request.id as JsonRpcId;
  events.message(server, channel, 'client-to-server', request as JsonRpcEnvelope);

  const answer = (message: JsonRpcEnvelope, status = 200): void => {
    if (out.finished) return;
    events.message(server, channel, 'server-to-client', message, { durationMs: Date.now() - startedAt });
    out.finish(message, status);
  };
  const deliver = (message: JsonRpcEnvelope): void => {
    if (out.finished) return;
    if (messageKind(message) === 'response') return answer(message);
    events.message(server, channel, 'server-to-client', message, { relatedRequestId: clientId });
    out.notify(message);
    if (out.overBacklog) {
      upstreamAbort.abort(new Error('the client reads too slowly'));
      const why = `the client read too slowly: more than ${maxBacklogBytes} bytes of "${server}"'s answer waited for it, so Patchbay gave the request up`;
      events.error(server, channel, why);
      answer(jsonRpcError(clientId, JSON_RPC_ERRORS.upstreamError, why));
    }
  };

  // A stdio server's errors have no HTTP status; the ones the Streamable HTTP binding gives one get it here.
  const deliverFromChild = (message: JsonRpcEnvelope): void => {
    const isResponse = messageKind(message) === 'response';
    if (isResponse && request.method === 'tools/list' && message.result !== undefined) upstreams.toolHeaders.learn(server, message.result);
    const status = isResponse ? statusForError(message.error?.code) : 200;
    if (status !== 200 && !out.isStream) answer(message, status);
    else deliver(message);
  };

  // A hung call must not hold a shared child's slot (or a remote connection) for ever.
  const ageLimit =
    maxRequestAgeMs > 0 && request.method !== 'subscriptions/listen'
      ? setTimeout(() => {
          const why = `"${server}" did not answer ${request.method} within ${formatSeconds(maxRequestAgeMs)}, the longest Patchbay waits for a request; it was cancelled`;
          upstreamAbort.abort(new Error(why));
          events.message(server, channel, 'client-to-server', { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: clientId, reason: why } });
          answer(jsonRpcError(clientId, JSON_RPC_ERRORS.upstreamError, why), 504);
        }, maxRequestAgeMs)
      : undefined;
  ageLimit?.unref();
  try {
    await relayToUpstream();
  } finally {
    clearTimeout(ageLimit);
  }
  if (out.signal.aborted) {
    // Closing the response is the modern era's cancellation; the timeline shows it like a legacy cancel.
    events.message(server, channel, 'client-to-server', {
      jsonrpc: '2.0',
      method: 'notifications/cancelled',
      params: { requestId: clientId, reason: 'the client closed the request' },
    });
  } else if (!out.finished) {
    answer(jsonRpcError(clientId, JSON_RPC_ERRORS.upstreamError, `"${server}" ended the request without answering it`), 502);
  }

  async function relayToUpstream(): Promise<void> {
    if (entry.transport === 'sse') {
      answer(jsonRpcError(clientId, JSON_RPC_ERRORS.invalidRequest, sseOnly(server)), 400);
    } else if (entry.transport === 'stdio') {
      // The stdio server never sees the request's headers: the proxy checks the tool parameters they mirror.
      const headers = request.method === 'tools/call' ? upstreams.toolHeaders.check(server, request.params, (name) => req.header(name), clientId) : undefined;
      if (headers) return answer(jsonRpcError(clientId, headers.code, headers.message), headers.status);
      const child = await upstreams.stdioChild(entry);
      const unsupported = child.ok ? upstreams.unsupportedVersion(server, request.params?._meta?.[META_KEYS.protocolVersion]) : undefined;
      if (!child.ok) answer(jsonRpcError(clientId, child.code, child.message), child.status);
      else if (unsupported) answer(jsonRpcError(clientId, unsupported.code, unsupported.message, unsupported.data), unsupported.status);
      else if (!out.finished) await child.value.request(request as JSONRPCRequest, (message: JSONRPCMessage) => deliverFromChild(message as JsonRpcEnvelope), upstreamAbort.signal, { origin: channel });
    } else {
      const target = upstreams.remoteTarget(entry);
      if (!target.ok) {
        answer(jsonRpcError(clientId, target.code, target.message), target.status);
      } else {
        const outcome = await forwardToRemote(
          server,
          target.value,
          request as JsonRpcEnvelope,
          req.headers,
          async (message) => {
            deliver(message);
            await out.whenDrained();
          },
          upstreamAbort.signal,
        );
        if (outcome.kind === 'refused') answer(outcome.body, outcome.status);
      }
    }
  }
}

/** A client notification: on to a remote server (its answer relayed); a stdio server has none to take over HTTP. */
async function relayNotification(
  req: Request,
  res: Response,
  entry: ServerEntry,
  notification: ModernNotification,
  channel: string,
  { upstreams, events }: ModernRouteOptions,
): Promise<void> {
  events.message(entry.name, channel, 'client-to-server', notification as JsonRpcEnvelope);
  if (entry.transport === 'sse') return refuse(res, { status: 400, code: JSON_RPC_ERRORS.invalidRequest, message: sseOnly(entry.name), id: null });
  if (entry.transport === 'stdio') {
    // On Streamable HTTP a client cancels by closing its request's stream; nothing else is defined for stdio to take.
    res.status(202).end();
    return;
  }
  const target = upstreams.remoteTarget(entry);
  if (!target.ok) return refuse(res, { ...target, id: null });
  const abort = new AbortController();
  res.once('close', () => abort.abort());
  const outcome = await forwardToRemote(entry.name, target.value, notification as JsonRpcEnvelope, req.headers, () => undefined, abort.signal);
  if (outcome.kind === 'accepted') res.status(outcome.status).end();
  else if (outcome.kind === 'refused') res.status(outcome.status).json(outcome.body);
}

/** The HTTP status the Streamable HTTP binding names for an error a server answers before serving the request. */
function statusForError(code: number | undefined): number {
  if (code === JSON_RPC_ERRORS.methodNotFound) return 404;
  if (code === JSON_RPC_ERRORS.unsupportedProtocolVersion || code === JSON_RPC_ERRORS.missingRequiredClientCapability || code === JSON_RPC_ERRORS.headerMismatch) return 400;
  return 200;
}

function refuse(res: Response, rejection: ModernRejection): void {
  if (res.headersSent) return void res.end();
  res.status(rejection.status).json(jsonRpcError(rejection.id, rejection.code, rejection.message, rejection.data));
}

function sseOnly(server: string): string {
  return `"${server}" is an HTTP+SSE server (the deprecated transport of 2024-11-05), which speaks only the legacy era of MCP; connect to it with initialize`;
}
