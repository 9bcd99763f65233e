import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { connectClient, expectNothingLeft, startTestProxy, waitFor, type TestProxy } from './helpers';

// What nginx answers when the MCP server behind it is down.
const errorPage = (status: string): string =>
  `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

let gateway: Server;
let proxy: TestProxy;

beforeAll(async () => {
  // A plain HTTP server standing in for a reverse proxy in front of a broken remote MCP server.
  gateway = createServer((req, res) => {
    const page = (status: number, title: string) => {
      res.writeHead(status, { 'Content-Type': 'text/html' });
      res.end(errorPage(title));
    };
    req.resume();
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/bad-gateway/')) return page(502, '502 Bad Gateway');
    if (path.startsWith('/not-found/')) return page(404, '404 Not Found');
    // An SSE server whose stream opens but whose message endpoint is behind a failing gateway.
    if (path === '/stream-ok/sse' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      res.write('event: endpoint\ndata: /stream-ok/messages\n\n');
      return;
    }
    if (path === '/stream-ok/messages') return page(503, '503 Service Temporarily Unavailable');
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  const entries: ServerEntry[] = [
    { name: 'gateway-http', transport: 'streamable-http', url: `${base}/bad-gateway/mcp`, headers: {} },
    { name: 'gateway-sse', transport: 'sse', url: `${base}/bad-gateway/sse`, headers: {} },
    { name: 'post-fails-sse', transport: 'sse', url: `${base}/stream-ok/sse`, headers: {} },
    { name: 'missing-http', transport: 'streamable-http', url: `${base}/not-found/mcp`, headers: {} },
  ];
  proxy = await startTestProxy(entries, { session: { closingGraceMs: 300 } });
});

afterAll(async () => {
  await proxy?.close();
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
});

afterEach(async () => {
  await expectNothingLeft(proxy);
});

async function connectFailure(server: string, kind: 'streamable-http' | 'sse'): Promise<{ message: string; detail: string | undefined }> {
  const before = proxy.events.at(-1)?.seq ?? 0;
  const message = await connectClient(proxy, server, kind).then(
    () => 'connected',
    (error: Error) => error.message,
  );
  const closed = () => proxy.events.find((event) => event.seq > before && event.type === 'session-closed');
  await waitFor(() => closed() !== undefined, 'the session to close');
  const event = closed();
  return { message, detail: event?.type === 'session-closed' ? event.detail : undefined };
}

describe('a remote server behind a gateway that answers with an HTML error page', () => {
  it.each([
    ['gateway-http', 'HTTP 502: 502 Bad Gateway'],
    ['gateway-sse', 'HTTP 502: 502 Bad Gateway'],
    ['post-fails-sse', 'HTTP 503: 503 Service Temporarily Unavailable'],
    ['missing-http', 'HTTP 404: 404 Not Found; over SSE too: HTTP 404: 404 Not Found'],
  ])('%s is reported by status and page title', async (server, expected) => {
    for (const kind of ['streamable-http', 'sse'] as const) {
      const { message, detail } = await connectFailure(server, kind);
      expect(message).toBe(`MCP error -32000: could not connect to "${server}": ${expected}`);
      expect(detail).toBe(expected);
    }
  });
});
