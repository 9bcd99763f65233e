import type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcEnvelope, JsonRpcId } from '../../../../src-shared/jsonrpc';

/**
 * The id and token rewriting of a shared child. Many clients talk to one child, and each picks its own JSON-RPC
 * ids and progress tokens, so two clients' `id: 1` would collide on the child's one stdin. Every request is
 * given an id of the proxy's own (a number never reused for the child's lifetime), and its progress token, when
 * it asked for progress, becomes that same number; everything the child sends back is turned into what the
 * client sent before it is delivered. Messages are copied, never changed in place: the caller keeps its own.
 */

/** `_meta` key that ties a notification (and a listen's closing response) to its `subscriptions/listen`. */
export const SUBSCRIPTION_ID_META = 'io.modelcontextprotocol/subscriptionId';
/** `_meta` keys every modern request carries. */
export const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
export const CLIENT_CAPABILITIES_META = 'io.modelcontextprotocol/clientCapabilities';
/** `_meta` key by which a request asks for log messages; without it the server must not log for it. */
export const LOG_LEVEL_META = 'io.modelcontextprotocol/logLevel';

type Params = Record<string, unknown> & { _meta?: Record<string, unknown> };

function paramsOf(message: { params?: unknown }): Params | undefined {
  const params = message.params;
  return typeof params === 'object' && params !== null && !Array.isArray(params) ? (params as Params) : undefined;
}

function metaOf(holder: { _meta?: unknown } | undefined): Record<string, unknown> | undefined {
  const meta = holder?._meta;
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : undefined;
}

/** The progress token a request carries, if it asked for progress. */
export function progressTokenOf(request: JSONRPCRequest): JsonRpcId | undefined {
  const token = metaOf(paramsOf(request))?.progressToken;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}

/** Whether a request asked for log messages (`io.modelcontextprotocol/logLevel` in its `_meta`). */
export function asksForLogs(request: JSONRPCRequest): boolean {
  return metaOf(paramsOf(request))?.[LOG_LEVEL_META] !== undefined;
}

/** The request without `io.modelcontextprotocol/logLevel`: the server then sends no log messages for it. */
export function withoutLogLevel(request: JSONRPCRequest): JSONRPCRequest {
  const params = paramsOf(request);
  const meta = metaOf(params);
  if (!params || !meta || meta[LOG_LEVEL_META] === undefined) return request;
  const { [LOG_LEVEL_META]: _dropped, ...rest } = meta;
  return { ...request, params: { ...params, _meta: rest } } as JSONRPCRequest;
}

/** The request as the child gets it: the proxy's id in place of the client's, and its progress token likewise. */
export function requestForChild(request: JSONRPCRequest, childId: number): JSONRPCRequest {
  const params = paramsOf(request);
  const meta = metaOf(params);
  if (!params || !meta || meta.progressToken === undefined) return { ...request, id: childId };
  return { ...request, id: childId, params: { ...params, _meta: { ...meta, progressToken: childId } } } as JSONRPCRequest;
}

/** The cancellation the child gets for a request a client gave up (stdio has no stream to close). */
export function cancelForChild(childId: number, reason: string): JSONRPCNotification {
  return { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: childId, reason } };
}

/** A response of the child as its client must see it: the client's id, and a listen's subscription id too. */
export function responseForClient(response: JsonRpcEnvelope, clientId: JsonRpcId): JSONRPCMessage {
  const result = response.result;
  const resultMeta = typeof result === 'object' && result !== null ? metaOf(result as { _meta?: unknown }) : undefined;
  if (!resultMeta || resultMeta[SUBSCRIPTION_ID_META] === undefined) return { ...response, id: clientId } as JSONRPCMessage;
  return {
    ...response,
    id: clientId,
    result: { ...(result as Record<string, unknown>), _meta: { ...resultMeta, [SUBSCRIPTION_ID_META]: clientId } },
  } as JSONRPCMessage;
}

/** A progress notification with the client's own token back in place. */
export function progressForClient(notification: JsonRpcEnvelope, clientToken: JsonRpcId): JSONRPCMessage {
  return { ...notification, params: { ...paramsOf(notification), progressToken: clientToken } } as JSONRPCMessage;
}

/**
 * A notification of a subscription with the client's listen id back in place: in `_meta`, and in `requestId`
 * when the child ends the subscription with `notifications/cancelled`.
 */
export function subscriptionNotificationForClient(notification: JsonRpcEnvelope, clientListenId: JsonRpcId): JSONRPCMessage {
  const params = paramsOf(notification) ?? {};
  const meta = metaOf(params);
  const rewritten: Params = { ...params, _meta: { ...meta, [SUBSCRIPTION_ID_META]: clientListenId } };
  if (!meta || meta[SUBSCRIPTION_ID_META] === undefined) delete rewritten._meta;
  if (notification.method === 'notifications/cancelled' && params.requestId !== undefined) rewritten.requestId = clientListenId;
  return { ...notification, params: rewritten } as JSONRPCMessage;
}

/** The subscription a child's notification names in its `_meta`, if any. */
export function subscriptionIdOf(notification: JsonRpcEnvelope): unknown {
  return metaOf(paramsOf(notification))?.[SUBSCRIPTION_ID_META];
}

/** The request a `notifications/cancelled` names. */
export function cancelledRequestIdOf(notification: JsonRpcEnvelope): unknown {
  return paramsOf(notification)?.requestId;
}

/** The progress token a `notifications/progress` names. */
export function progressTokenOfNotification(notification: JsonRpcEnvelope): unknown {
  return paramsOf(notification)?.progressToken;
}
