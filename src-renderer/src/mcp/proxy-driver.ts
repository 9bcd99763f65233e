import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError, StreamableHTTPClientTransport, type Client } from '@modelcontextprotocol/client';
import { MODERN_PROTOCOL_VERSION, type ProtocolEra, type ProtocolEraSetting } from '../../../src-shared/protocol-era';
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
  /** The era the connection negotiated, and the protocol version in use. */
  readonly era: ProtocolEra;
  readonly protocolVersion: string | undefined;
  readonly serverInfo: { name: string; version: string } | undefined;
}

/**
 * The real connection driver: an SDK Client over Streamable HTTP to `{proxyUrl}/servers/{name}/mcp`, with the
 * bearer token and this window's owner id on every request (the proxy closes the owner's sessions with it).
 * The renderer never talks to an MCP server directly. Each connect speaks the era the server's catalog entry asks
 * for (`eraOf`, Auto when it says nothing). What servers ask of the client (sampling, elicitation, roots) and tell it
 * (logs, updates, list changes) goes to `sink`, the inspector's store unless a test gives another.
 */
export function createProxyDriver(
  endpoint: () => ProxyEndpoint | undefined,
  identity: ClientIdentity,
  eraOf: (server: string) => ProtocolEraSetting = () => 'auto',
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
      const era = eraOf(server);
      const client = createPatchbayClient(identity, server, sink, era);
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
        throw new Error(describeConnectError(error, era), { cause: error });
      } finally {
        signal.removeEventListener('abort', abort);
      }
      return {
        client,
        server,
        era: client.getProtocolEra() ?? 'legacy',
        protocolVersion: client.getNegotiatedProtocolVersion(),
        serverInfo: client.getServerVersion(),
        sessionId: transport.sessionId,
        async close() {
          // The client first: its standalone GET stream holds one of the six connections the browser allows a host,
          // and a DELETE sent before it closes can wait behind it for ever once the host's connections are all held
          // (a connect cancelled during its server/discover probe still opens that stream when it completes).
          const sessionId = transport.sessionId;
          await client.close();
          // Already gone on the proxy (404): nothing left to end.
          if (sessionId) await endSession(server, sessionId).catch(() => undefined);
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
 * the JSON-RPC error shape) with the status, the JSON-RPC error of a failed handshake, or, for a connect pinned to
 * the modern era, that the server only speaks the legacy one.
 */
export function describeConnectError(error: unknown, era: ProtocolEraSetting = 'auto'): string {
  const message = error instanceof Error ? error.message : String(error);
  if (era === 'modern' && error instanceof SdkError && error.code === SdkErrorCode.EraNegotiationFailed && /did not offer pinned protocol version/.test(message)) {
    return (
      `The server does not speak the modern protocol (${MODERN_PROTOCOL_VERSION}): it did not answer server/discover with that version, so it ` +
      'only speaks the legacy protocol (initialize). Set its protocol era to Auto or Legacy in Edit.'
    );
  }
  if (error instanceof SdkHttpError) {
    const proxyMessage = jsonRpcErrorMessage(typeof error.data.text === 'string' ? error.data.text : undefined);
    if (proxyMessage !== undefined) return `${proxyMessage} (HTTP ${error.status})`;
  }
  if (error instanceof ProtocolError) return message;
  if (/failed to fetch|fetch failed|NetworkError/i.test(message)) return `The Patchbay proxy could not be reached (${message})`;
  return message;
}

/** The message of a JSON-RPC error body, if the text is one. */
function jsonRpcErrorMessage(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof body.error?.message === 'string' ? body.error.message : undefined;
  } catch {
    return undefined;
  }
}
