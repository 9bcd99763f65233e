import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { RunningProxy } from '../services/proxy/proxy-server';

/** The modern revision the tests speak. */
export const MODERN = '2026-07-28';

/** What a modern test client saw arrive besides its answers. */
export interface ModernSeen {
  elicitations: string[];
  logs: string[];
  updated: Array<{ uri: unknown; subscriptionId: unknown }>;
}

/** A 2.x SDK client connected to a server through the proxy, in the era its negotiation chose. */
export interface ModernTestClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  seen: ModernSeen;
  close(): Promise<void>;
}

/**
 * Connects the SDK's 2.x client to `/servers/{server}/mcp` with the proxy's token: `auto` probes with
 * server/discover and falls back to initialize; a pinned version must be served modern.
 */
export async function connectModernClient(
  proxy: RunningProxy,
  server: string,
  mode: 'auto' | { pin: string } = 'auto',
  options: { owner?: string; name?: string } = {},
): Promise<ModernTestClient> {
  const seen: ModernSeen = { elicitations: [], logs: [], updated: [] };
  const client = new Client({ name: options.name ?? 'patchbay-modern-test', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode } });
  client.setRequestHandler('elicitation/create', async (request) => {
    seen.elicitations.push(request.params.message);
    return { action: 'accept', content: { name: 'Ada', answer: `answer ${seen.elicitations.length}` } };
  });
  client.setNotificationHandler('notifications/message', (notification) => {
    seen.logs.push(`${notification.params.level}: ${String(notification.params.data)}`);
  });
  client.setNotificationHandler('notifications/resources/updated', (notification) => {
    seen.updated.push({ uri: notification.params.uri, subscriptionId: notification.params._meta?.['io.modelcontextprotocol/subscriptionId'] });
  });
  const headers: Record<string, string> = { Authorization: `Bearer ${proxy.token}` };
  if (options.owner) headers['X-Patchbay-Owner'] = options.owner;
  const transport = new StreamableHTTPClientTransport(new URL(`${proxy.url}/servers/${encodeURIComponent(server)}/mcp`), { requestInit: { headers } });
  await client.connect(transport);
  return {
    client,
    transport,
    seen,
    async close() {
      // A legacy fallback holds a session, which a polite client ends.
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

/** The text of a tool result's content blocks. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((block) => block.text ?? `[${block.type}]`).join('\n');
}

/** The per-request envelope of a raw modern request. */
export function envelope(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'raw-modern-test', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
    ...extra,
  };
}

/** The headers a raw modern POST carries: the token, Accept, the version, the method and (when given) the name. */
export function modernHeaders(proxy: RunningProxy, method: string, name?: string): Record<string, string> {
  return {
    Authorization: `Bearer ${proxy.token}`,
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    'MCP-Protocol-Version': MODERN,
    'Mcp-Method': method,
    ...(name === undefined ? {} : { 'Mcp-Name': name }),
  };
}

/** One request a pass-through server saw: its headers, and whether its client (the proxy) left before the answer ended. */
export interface PassedRequest {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  closedEarly: boolean;
}

/**
 * A loopback HTTP server in front of a real MCP server that forwards every request to it unchanged and records
 * what it saw, so a test can check what the proxy sent (headers, cancellation) to a remote upstream.
 */
export async function startPassThrough(target: URL, socketPath?: string): Promise<{ url: URL; seen: PassedRequest[]; stop(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const seen: PassedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      const record: PassedRequest = { headers: { ...req.headers }, body: text ? JSON.parse(text) : undefined, closedEarly: false };
      seen.push(record);
      const abort = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) {
          record.closedEarly = true;
          abort.abort();
        }
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers.set(name, value);
      void (async () => {
        try {
          const upstream = await fetch(target, { method: req.method, headers, body: req.method === 'POST' ? text : undefined, signal: abort.signal });
          res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
          if (upstream.body) for await (const chunk of upstream.body) res.write(chunk);
          res.end();
        } catch {
          res.destroy();
        }
      })();
    });
  });
  await new Promise<void>((resolve) => (socketPath ? server.listen(socketPath, resolve) : server.listen(0, '127.0.0.1', resolve)));
  return {
    url: socketPath ? new URL(`unix://${socketPath}#/mcp`) : new URL(`http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`),
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
