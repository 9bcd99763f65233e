import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonRpcEnvelope } from '../../src-shared/jsonrpc';
import { connectClient, expectNothingLeft, fixtureEntry, startTestProxy, waitFor, type TestClient, type TestProxy } from './helpers';

// Property-based tests of the proxy's HTTP face: whatever method, path, headers and body a client sends, the
// answer comes within a bound, has one of the specified statuses, is never a 500, and every error is a JSON-RPC
// error body. fast-check prints the seed and the shrunk counterexample on failure; each one found becomes a
// regular test in http-errors.test.ts.
const MAX_BODY_BYTES = 64 * 1024;
const ANSWER_WITHIN_MS = 10_000;
const RUNS = Number(process.env.PATCHBAY_PROPERTY_RUNS ?? 150);
/** fast-check's seed; it prints the one it used on failure, and PATCHBAY_PROPERTY_SEED replays it. */
const SEED = process.env.PATCHBAY_PROPERTY_SEED === undefined ? undefined : Number(process.env.PATCHBAY_PROPERTY_SEED);
const SPECIFIED_STATUSES = [200, 202, 204, 400, 401, 403, 404, 405, 406, 409, 410, 413, 415];

let proxy: TestProxy;
let live: TestClient[] = [];
/** Ids of live sessions (Streamable HTTP, then SSE), so generated requests also reach real sessions. */
let liveSessionIds: string[] = [];

beforeAll(async () => {
  proxy = await startTestProxy(
    [
      fixtureEntry('fixture'),
      { ...fixtureEntry('off'), disabled: true },
      { name: 'missing', transport: 'stdio', command: 'patchbay-no-such-command', args: [], env: {} },
    ],
    { maxBodyBytes: MAX_BODY_BYTES, session: { closingGraceMs: 100 } },
  );
  live = await Promise.all([connectClient(proxy, 'fixture', 'streamable-http'), connectClient(proxy, 'fixture', 'sse')]);
  liveSessionIds = (['streamable-http', 'sse'] as const).map((kind) => proxy.sessions.list().find((session) => session.clientTransport === kind)!.id);
});

afterAll(async () => {
  await Promise.all(live.map((client) => client.close().catch(() => undefined)));
  await proxy?.close();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** An event stream was opened (and then dropped by the test): its body never ends by design. */
  stream: boolean;
}

/** Sends one raw request and reads the answer, or fails if none comes within the bound. */
function send(method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    // Not `new URL(path, base)`: a generated path such as `//x` would name another host.
    const request = httpRequest({ host: '127.0.0.1', port: proxy.port, path, method, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) }, agent: false });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no complete answer within ${ANSWER_WITHIN_MS} ms to ${method} ${path}`));
    }, ANSWER_WITHIN_MS);
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${method} ${path} failed: ${error.message}`));
    });
    request.once('response', (response) => {
      const stream = (response.headers['content-type'] ?? '').startsWith('text/event-stream');
      if (stream) {
        clearTimeout(timer);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '', stream });
        return;
      }
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text, stream });
      });
      response.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    request.end(body);
  });
}

/** What every answer must satisfy, whatever was asked. */
function expectSpecifiedAnswer(answer: Answer, method: string, asked: string): void {
  expect(SPECIFIED_STATUSES, `status ${answer.status} to ${asked}: ${answer.body.slice(0, 300)}`).toContain(answer.status);
  // An answer to HEAD has no body by definition.
  if (answer.status < 400 || method === 'HEAD') return;
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    throw new Error(`HTTP ${answer.status} to ${asked} without a JSON body: ${answer.body.slice(0, 300)}`);
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
  expect(isJsonRpcEnvelope(body) && typeof error?.code === 'number' && typeof error.message === 'string', `a JSON-RPC error body for HTTP ${answer.status} to ${asked}: ${answer.body.slice(0, 300)}`).toBe(true);
}

const printable = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength });

const serverName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('fixture', 'missing', 'off', 'not-in-catalog') },
  { weight: 1, arbitrary: printable(30).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '..', '%2F', 'a%20b', '') },
);
const sessionId = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...[0, 1].map((index) => () => liveSessionIds[index]!)).map((live) => live()),
  fc.uuid(),
  printable(60),
);
const jsonRpcIsh = fc.record(
  {
    jsonrpc: fc.constantFrom('2.0', '1.0', 2),
    id: fc.oneof(fc.integer(), printable(10), fc.constant(null), fc.object({ maxDepth: 1 })),
    method: fc.oneof(fc.constantFrom('initialize', 'tools/list', 'tools/call', 'ping', 'notifications/initialized', 'notifications/cancelled', 'resources/read'), printable(20)),
    params: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ name: fc.constantFrom('echo', 'pid', 'nope'), arguments: fc.jsonValue({ maxDepth: 1 }) })),
    result: fc.jsonValue({ maxDepth: 1 }),
    error: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 4, arbitrary: jsonRpcIsh.map((message) => JSON.stringify(message)) },
  { weight: 1, arbitrary: fc.array(jsonRpcIsh, { maxLength: 4 }).map((batch) => JSON.stringify(batch)) },
  { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_BODY_BYTES - 100, max: MAX_BODY_BYTES * 2 }).map((size) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(size) } })) },
);
const contentType = fc.option(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/vnd.api+json', 'text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/event-stream', '*/*', ';;;'),
  { nil: undefined },
);
const accept = fc.option(fc.constantFrom('application/json, text/event-stream', 'application/json', 'text/event-stream', '*/*', 'text/html', ''), { nil: undefined });
const protocolVersion = fc.option(fc.constantFrom('2025-06-18', '2025-03-26', '2024-11-05', '1999-01-01', 'garbage'), { nil: undefined });
const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constant('right') },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: printable(40) },
);

const mcpRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'),
  server: serverName,
  endpoint: fc.constantFrom('mcp', 'sse', 'messages'),
  sessionId,
  querySessionId: fc.boolean(),
  body,
  contentType,
  accept,
  protocolVersion,
  authorization,
  origin: fc.option(fc.constantFrom('http://127.0.0.1:5173', 'http://localhost', 'https://evil.example', 'null'), { nil: undefined }),
  extraHeader: fc.option(fc.tuple(fc.constantFrom('X-Patchbay-Owner', 'Last-Event-ID', 'X-Anything'), printable(30)), { nil: undefined }),
});

const apiRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'OPTIONS'),
  path: fc.oneof(
    fc.constantFrom('/api/servers', '/api/sessions', '/health', '/', '/api', '/servers', '/servers/fixture'),
    sessionId.map((id) => `/api/sessions/${encodeURIComponent(id ?? '')}/stderr`),
    printable(40).map((rest) => `/api/${encodeURIComponent(rest)}`),
    printable(40).map((rest) => `/${rest.replace(/[#?]/g, '').replace(/ /g, '%20')}`).filter((path) => !path.includes('/events')),
  ),
  body,
  contentType,
  authorization,
});

/** Requests that reach a live session: its own endpoints with its own id, and whatever headers and body. */
const liveSessionRequest = fc.record({
  transport: fc.constantFrom('streamable-http', 'sse'),
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET'),
  body,
  contentType,
  accept,
  protocolVersion,
});

/** Reconnects the live sessions a generated request ended (a DELETE, say), so later runs still reach one. */
async function ensureLiveSessions(): Promise<void> {
  const kinds = ['streamable-http', 'sse'] as const;
  for (const [index, kind] of kinds.entries()) {
    if (liveSessionIds[index] && proxy.sessions.get(liveSessionIds[index]!)?.state === 'ready') continue;
    await live[index]?.close().catch(() => undefined);
    const before = new Set(proxy.sessions.list().map((session) => session.id));
    live[index] = await connectClient(proxy, 'fixture', kind);
    liveSessionIds[index] = proxy.sessions.list().find((session) => !before.has(session.id) && session.clientTransport === kind)!.id;
  }
}

function headersFor(fields: { authorization?: string; contentType?: string; accept?: string; origin?: string }): Record<string, string> {
  const headers: Record<string, string> = {};
  if (fields.authorization !== undefined) headers.Authorization = fields.authorization === 'right' ? `Bearer ${proxy.token}` : fields.authorization;
  if (fields.contentType !== undefined) headers['Content-Type'] = fields.contentType;
  if (fields.accept !== undefined) headers.Accept = fields.accept;
  if (fields.origin !== undefined) headers.Origin = fields.origin;
  return headers;
}

describe('the HTTP face, for any request', () => {
  it('answers MCP routes within a bound with a specified status and a JSON-RPC error body, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(mcpRequest, async (asked) => {
        const headers = headersFor(asked);
        if (asked.sessionId !== undefined && !asked.querySessionId) headers['Mcp-Session-Id'] = asked.sessionId;
        if (asked.protocolVersion !== undefined) headers['Mcp-Protocol-Version'] = asked.protocolVersion;
        if (asked.extraHeader) headers[asked.extraHeader[0]] = asked.extraHeader[1];
        const query = asked.querySessionId && asked.sessionId !== undefined ? `?sessionId=${encodeURIComponent(asked.sessionId)}` : '';
        const path = `/servers/${asked.server}/${asked.endpoint}${query}`;
        const answer = await send(asked.method, path, headers, asked.body);
        expectSpecifiedAnswer(answer, asked.method, `${asked.method} ${path} ${JSON.stringify(headers)} ${asked.body?.slice(0, 200) ?? ''}`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('answers the control API and unknown paths within a bound with a specified status, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(apiRequest, async (asked) => {
        const headers = headersFor(asked);
        const answer = await send(asked.method, asked.path, headers, asked.body);
        expectSpecifiedAnswer(answer, asked.method, `${asked.method} ${asked.path} ${JSON.stringify(headers)} ${asked.body?.slice(0, 200) ?? ''}`);
      }),
      { numRuns: Math.ceil(RUNS / 2), seed: SEED, endOnFailure: true },
    );
  });

  it('answers requests to live sessions within a bound with a specified status and a JSON-RPC error body, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(liveSessionRequest, async (asked) => {
        await ensureLiveSessions();
        const headers = headersFor({ ...asked, authorization: 'right' });
        const sessionId = liveSessionIds[asked.transport === 'sse' ? 1 : 0]!;
        let path = `/servers/fixture/messages?sessionId=${sessionId}`;
        if (asked.transport === 'streamable-http') {
          path = '/servers/fixture/mcp';
          headers['Mcp-Session-Id'] = sessionId;
          if (asked.protocolVersion !== undefined) headers['Mcp-Protocol-Version'] = asked.protocolVersion;
        }
        const method = asked.transport === 'sse' ? 'POST' : asked.method;
        const answer = await send(method, path, headers, method === 'POST' ? asked.body : undefined);
        expectSpecifiedAnswer(answer, method, `${method} ${path} ${JSON.stringify(headers)} ${asked.body?.slice(0, 200) ?? ''}`);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('leaves only the sessions that were meant to live', async () => {
    await Promise.all(live.map((client) => client.close().catch(() => undefined)));
    live = [];
    await waitFor(() => proxy.sessions.size === 0, 'every session to end').catch((error: Error) => {
      throw new Error(`${error.message}; left: ${JSON.stringify(proxy.sessions.list().map((session) => session.snapshot()))}`);
    });
    await expectNothingLeft(proxy);
  });
});
