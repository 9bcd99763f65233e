import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * How long the proxy keeps an idle kept-alive connection open, and the (shorter) time it tells clients.
 *
 * The keep-alive race: a server that closes an idle socket at the moment a client reuses it makes that request fail
 * with ECONNRESET. Under heavy load the two timers drift and it happens (a 100-connect storm at load 40 lost 2 with
 * Node's defaults: server 5 s, undici client 4 s). The cure is that the client always gives up first, by a wide
 * margin. Clients that read `Keep-Alive: timeout=N` (undici, hence Node's fetch and the SDK; Node's http.Agent)
 * stop reusing a socket a second or two before N; Chromium, which ignores the header, keeps idle sockets at most
 * 300 s. So we advertise 300 s and actually wait 330 s: every client known to us closes at least 30 s before the
 * proxy does, and 30 s absorbs any event-loop stall a loaded machine produces. Idle sockets cost next to nothing
 * on loopback, and shutdown closes them all at once.
 */
export const KEEP_ALIVE_ADVERTISED_S = 300;
export const KEEP_ALIVE_TIMEOUT_MS = 330_000;
/**
 * Node's headersTimeout also runs while a kept-alive socket waits for its next request, so it must outlast the
 * keep-alive timeout or the race returns through it.
 */
export const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 10_000;
/**
 * 0 = no limit on receiving a whole request. Bodies are capped by size instead, and long-lived requests (SSE and
 * Streamable HTTP GET streams, slow tool calls answered on a POST's stream) must never be cut by a timer.
 */
export const REQUEST_TIMEOUT_MS = 0;

/** Applies the keep-alive and request timeouts above to the proxy's HTTP server. */
export function applyKeepAlivePolicy(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
}

/** Tells clients the keep-alive time to plan with (Node would otherwise advertise the longer real one). */
export function advertiseKeepAlive(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Keep-Alive', `timeout=${KEEP_ALIVE_ADVERTISED_S}`);
  next();
}
