import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { JSON_RPC_ERRORS, jsonRpcError } from '../../../src-shared/jsonrpc';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a host name (no port) is the loopback interface. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name) || name.endsWith('.localhost');
}

/** Host headers already judged: every request carries one, and a client sends the same few over and over. */
const hostVerdicts = new Map<string, boolean>();
const HOST_VERDICTS_KEPT = 256;

/** Whether a Host header names the loopback interface (any port). */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const known = hostVerdicts.get(host);
  if (known !== undefined) return known;
  let verdict: boolean;
  try {
    verdict = isLoopbackHostname(new URL(`http://${host}`).hostname);
  } catch {
    verdict = false;
  }
  if (hostVerdicts.size >= HOST_VERDICTS_KEPT) hostVerdicts.clear();
  hostVerdicts.set(host, verdict);
  return verdict;
}

/** Whether an Origin is a loopback http(s) origin or one of the explicitly allowed ones. */
export function isAllowedOrigin(origin: string, extraOrigins: readonly string[]): boolean {
  if (extraOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHostname(url.hostname);
  } catch {
    return false;
  }
}

/** Answers with a JSON-RPC error body, the shape every MCP client can read. */
export function sendJsonRpcError(res: Response, status: number, message: string, code: number = JSON_RPC_ERRORS.invalidRequest, id: string | number | null = null): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(status).json(jsonRpcError(id, code, message));
}

// Mcp-Method and Mcp-Name ride on every modern (2026-07-28) POST, the server/discover probe included: without them
// a browser's preflight fails and the probe never reaches the proxy.
const ALLOWED_REQUEST_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Last-Event-ID, X-Patchbay-Owner';

/**
 * The headers a preflight may be granted: the fixed list, and the `Mcp-Param-*` headers a modern tool call mirrors
 * its arguments into (SEP-2243; their names come from the tool's schema, so they cannot be listed in advance).
 */
function allowedRequestHeaders(requested: string | undefined): string {
  const params = (requested ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => /^mcp-param-[A-Za-z0-9-]+$/i.test(name));
  return params.length === 0 ? ALLOWED_REQUEST_HEADERS : `${ALLOWED_REQUEST_HEADERS}, ${params.join(', ')}`;
}
const EXPOSED_HEADERS = 'Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate';

/**
 * DNS-rebinding and CORS guard: the Host must be loopback (unless the proxy was deliberately bound to another
 * interface, where the token is then the only gate); a request with an Origin must come from a loopback page
 * or an allowed app origin, which is then echoed (never `*`). Preflights are answered here, before authentication,
 * since browsers send them without credentials.
 */
export function originGuard(extraOrigins: readonly string[], acceptAnyHost = false): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!acceptAnyHost && !isLoopbackHostHeader(req.headers.host)) {
      sendJsonRpcError(res, 403, `Forbidden: Host "${req.headers.host ?? ''}" is not a loopback address`);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!isAllowedOrigin(origin, extraOrigins)) {
        sendJsonRpcError(res, 403, `Forbidden: Origin "${origin}" is not allowed`);
        return;
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', allowedRequestHeaders(req.header('access-control-request-headers')));
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

/** Whether an Authorization header carries the token (compared in constant time); a null token lets everything by. */
export function carriesToken(header: string | undefined, expected: Buffer | null): boolean {
  if (expected === null) return true;
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  const given = match ? Buffer.from(match[1]!.trim()) : undefined;
  return given !== undefined && given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether a request without an Origin would pass `originGuard` and `bearerAuth` untouched: they would set no header
 * and answer nothing, only call next.
 */
export function passesGuardsQuietly(req: IncomingMessage, acceptAnyHost: boolean, expectedToken: Buffer | null): boolean {
  return req.headers.origin === undefined && req.method !== 'OPTIONS' && (acceptAnyHost || isLoopbackHostHeader(req.headers.host)) && carriesToken(req.headers.authorization, expectedToken);
}

/** Requires `Authorization: Bearer <token>`, compared in constant time. A null token turns the check off. */
export function bearerAuth(token: string | null): RequestHandler {
  const expected = token === null ? null : Buffer.from(token);
  return (req: Request, res: Response, next: NextFunction) => {
    if (expected === null) {
      next();
      return;
    }
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const given = match ? Buffer.from(match[1]!.trim()) : undefined;
    if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="mcp-patchbay"');
      sendJsonRpcError(res, 401, given ? 'Unauthorized: the bearer token is wrong' : 'Unauthorized: an Authorization: Bearer <token> header is required');
      return;
    }
    next();
  };
}
