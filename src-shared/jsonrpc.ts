/**
 * Minimal JSON-RPC 2.0 shapes the proxy needs to route messages without re-validating their payloads:
 * the relay passes messages verbatim, so only the envelope is inspected.
 */
export type JsonRpcId = string | number;

export interface JsonRpcEnvelope {
  jsonrpc: '2.0';
  id?: JsonRpcId | null;
  method?: string;
  params?: { _meta?: { progressToken?: JsonRpcId }; [key: string]: unknown };
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export type MessageKind = 'request' | 'response' | 'notification';

/** Classifies a JSON-RPC message by its envelope. */
export function messageKind(message: JsonRpcEnvelope): MessageKind {
  if (typeof message.method === 'string') return message.id === undefined || message.id === null ? 'notification' : 'request';
  return 'response';
}

/** Whether a value has the envelope of a JSON-RPC 2.0 message (request, notification or response). */
export function isJsonRpcEnvelope(value: unknown): value is JsonRpcEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  if (candidate.jsonrpc !== '2.0') return false;
  if (typeof candidate.method === 'string') return true;
  return 'id' in candidate && ('result' in candidate || 'error' in candidate);
}

/** Standard and MCP-specific JSON-RPC error codes used by the proxy. */
export const JSON_RPC_ERRORS = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Implementation-defined server error: the upstream failed or the session is closing. */
  upstreamError: -32000,
  /** The session is unknown or closed. */
  sessionNotFound: -32001,
  /** MCP 2026-07-28: the HTTP headers disagree with the body, or a required one is missing or malformed. */
  headerMismatch: -32020,
  /** MCP 2026-07-28: the request needs a client capability it did not declare. */
  missingRequiredClientCapability: -32021,
  /** MCP 2026-07-28: the server does not speak the protocol version the request names. */
  unsupportedProtocolVersion: -32022,
} as const;

/** Builds a JSON-RPC error response. */
export function jsonRpcError(id: JsonRpcId | null, code: number, message: string, data?: unknown): JsonRpcEnvelope {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}
