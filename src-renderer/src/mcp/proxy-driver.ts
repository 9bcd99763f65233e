import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { inspectorSink } from '../inspector/inspector-sink';
import { createPatchbayClient, type ClientIdentity, type ServerMessageSink } from './client-setup';
import type { ConnectionDriver, OpenedConnection } from './connection-manager';

export type { ClientIdentity } from './client-setup';

/** Where the proxy is and who we are, from `api.hello`. */
export interface ProxyEndpoint {
  proxyUrl: string;
  token: string;
  owner: string;
}

/** An open connection through the proxy, with its SDK client for the inspector views. */
export interface ProxyConnection extends OpenedConnection {
  readonly client: Client;
  readonly server: string;
}

/**
 * The real connection driver: an SDK Client over Streamable HTTP to `{proxyUrl}/servers/{name}/mcp`, with the
 * bearer token and this window's owner id on every request (the proxy closes the owner's sessions with it).
 * The renderer never talks to an MCP server directly. What servers ask of the client (sampling, elicitation, roots)
 * and tell it (logs, updates, list changes) goes to `sink`, the inspector's store unless a test gives another.
 */
export function createProxyDriver(
  endpoint: () => ProxyEndpoint | undefined,
  identity: ClientIdentity,
  sink: ServerMessageSink = inspectorSink,
): ConnectionDriver<ProxyConnection> {
  const transportFor = (server: string, sessionId?: string): StreamableHTTPClientTransport => {
    const target = endpoint();
    if (!target) throw new Error('Patchbay is not ready yet: the proxy address is not known');
    return new StreamableHTTPClientTransport(new URL(`${serverBaseUrl(target.proxyUrl, server)}/servers/${encodeURIComponent(server)}/mcp`), {
      sessionId,
      requestInit: { headers: { Authorization: `Bearer ${target.token}`, 'X-Patchbay-Owner': target.owner } },
    });
  };

  const endSession = async (server: string, sessionId: string): Promise<void> => {
    // A fresh transport that only knows the session id: the original one may be aborted, and would not send.
    await transportFor(server, sessionId).terminateSession();
  };

  return {
    endSession,
    async open(server, signal) {
      if (signal.aborted) throw new Error('cancelled');
      const transport = transportFor(server);
      const client = createPatchbayClient(identity, server, sink);
      // Closing the transport aborts its requests in flight: that is how a connect is cancelled.
      const abort = () => void client.close().catch(() => undefined);
      signal.addEventListener('abort', abort, { once: true });
      try {
        await client.connect(transport);
      } catch (error) {
        await client.close().catch(() => undefined);
        sink.closed(server, client);
        // The proxy may have answered initialize just as we gave up: end the session it made.
        if (transport.sessionId) await endSession(server, transport.sessionId).catch(() => undefined);
        throw new Error(describeConnectError(error), { cause: error });
      } finally {
        signal.removeEventListener('abort', abort);
      }
      return {
        client,
        server,
        sessionId: transport.sessionId,
        async close() {
          try {
            await transport.terminateSession();
          } catch {
            // Already gone on the proxy (404): nothing left to end.
          }
          await client.close();
        },
        discard: () => client.close(),
      };
    },
  };
}

/**
 * The proxy's address as seen by one server's connections: the same port under a host name of its own,
 * `pb-<hash>.localhost`, which Chromium resolves to loopback by itself. Why: Chromium allows 6 HTTP/1.1
 * connections per host, and every session holds one for its standalone stream; with one host for all servers,
 * five connected servers would starve every further request, a disconnect included. Per-server hosts give each
 * server its own pool. The proxy accepts `*.localhost` as loopback.
 */
export function serverBaseUrl(proxyUrl: string, server: string): string {
  const url = new URL(proxyUrl);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') return url.origin;
  url.hostname = `pb-${fnv1a32(server).toString(16).padStart(8, '0')}.localhost`;
  return url.origin;
}

/** FNV-1a, 32 bits: a short, stable label per server name. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of new TextEncoder().encode(text)) {
    hash ^= char;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Turns what the SDK throws into a readable sentence: the proxy's own message for an HTTP error (it answers in
 * the JSON-RPC error shape) with the status, or the JSON-RPC error of a failed initialize without its code.
 */
export function describeConnectError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof (error as { code?: unknown } | null)?.code === 'number' ? (error as { code: number }).code : undefined;
  const brace = message.indexOf('{');
  if (message.startsWith('Streamable HTTP error') && brace !== -1) {
    try {
      const body = JSON.parse(message.slice(brace)) as { error?: { message?: unknown } };
      if (typeof body.error?.message === 'string') return status && status > 0 ? `${body.error.message} (HTTP ${status})` : body.error.message;
    } catch {
      // Not the proxy's JSON: fall through to the raw message.
    }
  }
  const mcp = /^MCP error -?\d+: (.*)$/s.exec(message);
  if (mcp) return mcp[1]!;
  if (/failed to fetch|fetch failed|NetworkError/i.test(message)) return `The Patchbay proxy could not be reached (${message})`;
  return message;
}
