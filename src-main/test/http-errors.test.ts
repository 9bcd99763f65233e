import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  expectNothingLeft,
  firstText,
  fixtureEntry,
  initializeRequest,
  rawRequest,
  RUN_TAG,
  SseReader,
  startTestProxy,
  streamableHeaders,
  waitFor,
  type TestProxy,
} from './helpers';
import { TOKEN_ENV } from '../services/proxy/proxy-server';

let proxy: TestProxy;
const savedTokenEnv = process.env[TOKEN_ENV];

beforeAll(async () => {
  // The token is handed in through the environment, as the app does; children must never see it.
  process.env[TOKEN_ENV] = 'secret-token-for-tests';
  // The user's environment may hold the same token under another name; placeholders must not hand it over.
  process.env.PATCHBAY_TEST_TOKEN_COPY = 'secret-token-for-tests';
  proxy = await startTestProxy([
    fixtureEntry('fixture'),
    { ...fixtureEntry('off'), disabled: true },
    fixtureEntry('with space/and slash'),
    fixtureEntry('token-by-placeholder', { FROM_PLACEHOLDER: '${env:PATCHBAY_TEST_TOKEN_COPY}' }),
    // Not an MCP server: it ignores SIGTERM, so its sessions stay in "closing" for the whole kill grace period.
    { name: 'slow-to-stop', transport: 'stdio', command: process.execPath, args: ['-e', `/* ${RUN_TAG} */ process.on('SIGTERM', () => {}); process.stderr.write('ignoring SIGTERM\\n'); setInterval(() => {}, 1000);`], env: {} },
  ], {
    token: 'secret-token-for-tests',
    maxBodyBytes: 64 * 1024,
  });
});

afterAll(async () => {
  await proxy?.close();
  delete process.env.PATCHBAY_TEST_TOKEN_COPY;
  if (savedTokenEnv === undefined) delete process.env[TOKEN_ENV];
  else process.env[TOKEN_ENV] = savedTokenEnv;
});

const postJson = (path: string, body: string, headers: Record<string, string> = {}) =>
  rawRequest(proxy, path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers } });

describe('authentication', () => {
  it('answers /health without a token and without secrets', async () => {
    const health = await rawRequest(proxy, '/health', { token: null });
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', service: 'mcp-patchbay-proxy' });
    expect(health.text).not.toContain(proxy.token!);
  });

  it.each(['/api/servers', '/api/sessions', '/api/events', '/servers/fixture/sse'])('answers 401 on %s without a token', async (path) => {
    const response = await rawRequest(proxy, path, { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect(response.json()).toMatchObject({ jsonrpc: '2.0', error: { message: 'Unauthorized: an Authorization: Bearer <token> header is required' } });
  });

  it('answers 401 to a wrong token', async () => {
    const response = await rawRequest(proxy, '/api/sessions', { token: 'not-the-token' });
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error: { message: 'Unauthorized: the bearer token is wrong' } });
  });

  it('never passes the token to a child', async () => {
    const connection = await connectClient(proxy, 'fixture', 'streamable-http');
    try {
      expect(firstText(await connection.client.callTool({ name: 'env', arguments: { name: TOKEN_ENV } }))).toBe('<unset>');
    } finally {
      await connection.close();
    }
  });

  it('never fills the token into a placeholder, even from a variable of another name', async () => {
    const failure = await connectClient(proxy, 'token-by-placeholder', 'streamable-http').then(
      async (connection) => {
        await connection.close();
        return 'connected';
      },
      (error: Error) => error.message,
    );
    expect(failure).toContain('could not connect to "token-by-placeholder"');
    expect(failure).toContain('${env:PATCHBAY_TEST_TOKEN_COPY} (the environment variable PATCHBAY_TEST_TOKEN_COPY, in env.FROM_PLACEHOLDER)');
    expect(failure).toContain("Patchbay's own access token");
    expect(failure).not.toContain('secret-token-for-tests');
  });
});

describe('DNS rebinding and CORS', () => {
  it('refuses a Host that is not loopback with 403', async () => {
    // fetch will not forge Host, so speak HTTP directly.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${proxy.url}/api/sessions`, { headers: { Host: 'evil.example:80', Authorization: `Bearer ${proxy.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('refuses a foreign Origin with 403 and never answers with a wildcard', async () => {
    const foreign = await rawRequest(proxy, '/api/sessions', { headers: { Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json()).toMatchObject({ error: { message: 'Forbidden: Origin "https://evil.example" is not allowed' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    const local = await rawRequest(proxy, '/api/sessions', { headers: { Origin: 'http://localhost:5173' } });
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('answers a preflight from a loopback page without a token', async () => {
    const preflight = await rawRequest(proxy, '/servers/fixture/mcp', {
      method: 'OPTIONS',
      token: null,
      headers: { Origin: 'http://127.0.0.1:3000', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Mcp-Session-Id');
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
  });

  it('lets a page send the modern era\'s Mcp-Method, Mcp-Name and Mcp-Param-* headers (the server/discover probe carries them)', async () => {
    const preflight = await rawRequest(proxy, '/servers/fixture/mcp', {
      method: 'OPTIONS',
      token: null,
      headers: {
        Origin: 'http://127.0.0.1:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type, mcp-method, mcp-name, mcp-protocol-version, mcp-param-region, x-evil header',
      },
    });
    expect(preflight.status).toBe(204);
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['mcp-method', 'mcp-name', 'mcp-protocol-version', 'mcp-param-region']));
    expect(allowed).not.toContain('x-evil header');
  });
});

describe('bad requests', () => {
  it('answers 404 for a server that is not in the catalog', async () => {
    const response = await postJson('/servers/nope/mcp', JSON.stringify(initializeRequest()));
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error: { message: 'Unknown server "nope": it is not in the catalog' } });
    expect((await rawRequest(proxy, '/servers/nope/sse')).status).toBe(404);
  });

  it('answers 409 for a disabled server', async () => {
    const response = await postJson('/servers/off/mcp', JSON.stringify(initializeRequest()));
    expect(response.status).toBe(409);
    expect(response.json()).toMatchObject({ error: { message: 'Server "off" is disabled in the catalog' } });
  });

  it('reaches a server whose name needs URL encoding', async () => {
    const connection = await connectClient(proxy, 'with space/and slash', 'sse');
    try {
      expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'encoded' } }))).toBe('echo: encoded');
    } finally {
      await connection.close();
    }
  });

  it('answers 404 with a JSON-RPC body for an unknown session, on both transports', async () => {
    const streamable = await postJson('/servers/fixture/mcp', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { 'Mcp-Session-Id': 'no-such-session' });
    expect(streamable.status).toBe(404);
    expect(streamable.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found: no-such-session' } });
    const sse = await postJson('/servers/fixture/messages?sessionId=no-such-session', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(sse.status).toBe(404);
    expect(sse.json()).toMatchObject({ error: { code: -32001 } });
  });

  it('answers 404 naming why for a session that was closed', async () => {
    const connection = await connectClient(proxy, 'fixture', 'streamable-http');
    const sessionId = (connection.transport as StreamableHTTPClientTransport).sessionId!;
    await connection.close();
    const response = await postJson('/servers/fixture/mcp', JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }), streamableHeaders(proxy, sessionId));
    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: -32001, message: `Session ${sessionId} is closed: the client ended its session with "fixture"` } });
  });

  it('answers 404 naming why, with a JSON-RPC body, to an SSE message sent after the event stream closed', async () => {
    const abort = new AbortController();
    const stream = new SseReader(await fetch(`${proxy.url}/servers/slow-to-stop/sse`, { headers: { Authorization: `Bearer ${proxy.token}` }, signal: abort.signal }));
    const [endpoint] = await stream.until((events) => events.length > 0);
    const sessionId = new URL(endpoint!.data, proxy.url).searchParams.get('sessionId')!;
    // Only once its handler is installed does the child outlast SIGTERM.
    await waitFor(() => proxy.sessions.get(sessionId)?.stderr.toArray().includes('ignoring SIGTERM') === true, 'the child to ignore SIGTERM');
    abort.abort();
    await stream.close();
    // The session is still registered while its child takes the kill grace period to end.
    await waitFor(() => proxy.sessions.get(sessionId)?.state === 'closing', 'the session to notice its client is gone');
    const response = await postJson(endpoint!.data, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(response.status).toBe(404);
    expect(response.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32001, message: `Session ${sessionId} is closed: the client disconnected from "slow-to-stop"` },
    });
    await waitFor(() => proxy.sessions.get(sessionId) === undefined, 'the session to end once its child is killed');
  });

  it.each(['/servers/fixture/sse', '/servers/fixture/mcp', '/api/events'])('answers HEAD on %s with 405 at once, starting nothing', async (path) => {
    const before = proxy.sessions.size;
    const response = await rawRequest(proxy, path, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST, DELETE');
    expect(proxy.sessions.size).toBe(before);
  });

  // Counterexamples found by http-properties.test.ts: the SDK's SSE transport answers these in plain text.
  it.each([
    ['text/plain', '{"jsonrpc":"2.0","id":1,"method":"ping"}'],
    ['application/vnd.api+json', '{"jsonrpc":"2.0","id":1,"method":"ping"}'],
  ])('answers an SSE message sent as %s with 415 and a JSON-RPC error', async (contentType, body) => {
    const connection = await connectClient(proxy, 'fixture', 'sse');
    try {
      const sessionId = proxy.sessions.list().find((session) => session.clientTransport === 'sse')!.id;
      const response = await rawRequest(proxy, `/servers/fixture/messages?sessionId=${sessionId}`, { method: 'POST', body, headers: { 'Content-Type': contentType } });
      expect(response.status).toBe(415);
      expect(response.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: `Unsupported Media Type: Content-Type must be application/json, not ${contentType}` } });
    } finally {
      await connection.close();
    }
  });

  it.each(['{"foo":1}', '[]', '{"jsonrpc":"1.0","id":1,"method":"ping"}', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]'])(
    'answers an SSE message %s that is not one JSON-RPC message with 400 and a JSON-RPC error',
    async (body) => {
      const connection = await connectClient(proxy, 'fixture', 'sse');
      try {
        const sessionId = proxy.sessions.list().find((session) => session.clientTransport === 'sse')!.id;
        const response = await postJson(`/servers/fixture/messages?sessionId=${sessionId}`, body);
        expect(response.status).toBe(400);
        expect(response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringMatching(/^Invalid Request: the body must be one JSON-RPC message/) } });
        // The session is unharmed.
        expect(proxy.sessions.get(sessionId)?.state).toBe('ready');
      } finally {
        await connection.close();
      }
    },
  );

  it('answers 400 to a request without a session that is not initialize', async () => {
    const response = await postJson('/servers/fixture/mcp', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { message: expect.stringContaining('must start with an initialize request') } });
  });

  it('answers 400 with a parse error to malformed JSON', async () => {
    const response = await postJson('/servers/fixture/mcp', '{"jsonrpc": "2.0", "id": 1,');
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: -32700, message: expect.stringContaining('Parse error: the body is not valid JSON') } });
  });

  it('answers 413 to a body over the limit', async () => {
    const huge = JSON.stringify({ ...initializeRequest(), padding: 'x'.repeat(100 * 1024) });
    const response = await postJson('/servers/fixture/mcp', huge);
    expect(response.status).toBe(413);
    expect(response.json()).toMatchObject({ error: { message: 'Payload too large: the body exceeds the 64 KiB limit' } });
  });

  it('answers 404 on unknown paths', async () => {
    const response = await rawRequest(proxy, '/nothing/here');
    expect(response.status).toBe(404);
  });
});

describe('control endpoints', () => {
  it('lists the catalog without env values', async () => {
    const response = await rawRequest(proxy, '/api/servers');
    const { servers } = response.json() as { servers: Array<Record<string, unknown>> };
    expect(servers.map((server) => server.name)).toEqual(['fixture', 'off', 'with space/and slash', 'token-by-placeholder', 'slow-to-stop']);
    expect(servers[1]).toMatchObject({ disabled: true, transport: 'stdio' });
  });

  it('lists live sessions with their state, pid, counts and server info', async () => {
    const connection = await connectClient(proxy, 'fixture', 'sse');
    try {
      await connection.client.callTool({ name: 'echo', arguments: { text: 'count me' } });
      const { sessions } = (await rawRequest(proxy, '/api/sessions')).json() as { sessions: Array<Record<string, unknown>> };
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({
        server: 'fixture',
        clientTransport: 'sse',
        upstreamTransport: 'stdio',
        state: 'ready',
        pid: expect.any(Number),
        serverInfo: { name: 'patchbay-fixture', version: '1.2.3' },
        pendingRequests: 0,
      });
      expect(sessions[0]!.clientToServer).toBeGreaterThanOrEqual(3);
      expect(sessions[0]!.serverToClient).toBeGreaterThanOrEqual(2);
      const stderr = (await rawRequest(proxy, `/api/sessions/${String(sessions[0]!.id)}/stderr`)).json() as { lines: string[] };
      expect(stderr.lines[0]).toMatch(/patchbay-fixture started/);
    } finally {
      await connection.close();
    }
  });

  it('streams lifecycle events: a snapshot first, then the whole life of a session', async () => {
    // An SSE client's close reaches the proxy a moment later; start from a quiet proxy.
    await waitFor(() => proxy.sessions.size === 0, 'earlier sessions to end');
    const abort = new AbortController();
    const response = await fetch(`${proxy.url}/api/events`, { headers: { Authorization: `Bearer ${proxy.token}` }, signal: abort.signal });
    const reader = new SseReader(response);
    try {
      const [snapshot] = await reader.until((events) => events.length > 0);
      expect(snapshot).toMatchObject({ event: 'snapshot' });
      expect(JSON.parse(snapshot!.data)).toMatchObject({ sessions: [] });
      const connection = await connectClient(proxy, 'fixture', 'streamable-http');
      await connection.client.callTool({ name: 'echo', arguments: { text: 'watched' } });
      await connection.close();
      const events = await reader.until((received) => received.some((event) => event.data.includes('"session-closed"')));
      const types = events.slice(1).map((event) => JSON.parse(event.data).type as string);
      const lifecycle = types.filter((type) => type !== 'message' && type !== 'stderr' && type !== 'session-error');
      expect(lifecycle).toEqual(['session-connecting', 'child-spawned', 'upstream-ready', 'session-initialized', 'session-closing', 'session-closed']);
      expect(types).toContain('stderr');
      expect(types.filter((type) => type === 'message').length).toBeGreaterThanOrEqual(4);
      const call = events.map((event) => JSON.parse(event.data)).find((event) => event.type === 'message' && event.direction === 'server-to-client' && event.body?.result?.content?.[0]?.text === 'echo: watched');
      expect(call).toMatchObject({ kind: 'response', durationMs: expect.any(Number), size: expect.any(Number), isError: false });
    } finally {
      await reader.close();
      abort.abort();
    }
  });
});

describe('after the HTTP tests', () => {
  it('left no session and no child behind', async () => {
    await expectNothingLeft(proxy);
  });
});
