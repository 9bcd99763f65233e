import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Request } from 'express';

/** Why an HTTP+SSE message POST cannot be handed to the SDK's transport, as status and sentence. */
export interface SseMessageProblem {
  status: 400 | 415;
  message: string;
}

/**
 * The SDK's SSE transport answers a POST it cannot take (another content type, a body that is not one JSON-RPC
 * message) in plain text; the proxy checks first so that every client is told in a JSON-RPC error it can read.
 */
export function checkSseMessagePost(req: Request): SseMessageProblem | undefined {
  const contentType = req.headers['content-type'];
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    return { status: 415, message: `Unsupported Media Type: Content-Type must be application/json, not ${contentType ?? '(none)'}` };
  }
  // The same schema the SDK applies, so what passes here is taken there; the sentence comes from describeBody.
  if (!JSONRPCMessageSchema.safeParse(req.body).success) {
    return { status: 400, message: `Invalid Request: the body must be one JSON-RPC message; ${describeBody(req.body)}` };
  }
  return undefined;
}

/** Says, readably, what is wrong with a body that is not one JSON-RPC message. */
function describeBody(body: unknown): string {
  if (Array.isArray(body)) return 'got an array (this transport takes one message per POST)';
  if (typeof body !== 'object' || body === null) return `got ${body === null ? 'null' : `a ${typeof body}`}`;
  const message = body as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return `"jsonrpc" must be "2.0", not ${JSON.stringify(message.jsonrpc) ?? 'missing'}`;
  if ('id' in message && typeof message.id !== 'string' && typeof message.id !== 'number') return '"id" must be a string or a number';
  if ('method' in message && typeof message.method !== 'string') return '"method" must be a string';
  if (!('method' in message) && !('result' in message) && !('error' in message)) return 'it has neither a "method" nor a "result" or "error"';
  return 'its fields match no request, notification or response';
}
