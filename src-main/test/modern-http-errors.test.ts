import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { MODERN_FIXTURE_SERVER, RUN_TAG, modernFixtureEntry, rawRequest, startModernRemoteFixture, startTestProxy, type TestProxy } from './helpers';
import { envelope, MODERN, modernHeaders, startPassThrough } from './modern-helpers';
import type { ModernRemoteFixture } from './processes';

// The modern route's trust boundary: every malformed modern POST is refused before anything is forwarded, with the
// HTTP status and JSON-RPC error the 2026-07-28 spec names; what is forwarded carries the right headers.

let proxy: TestProxy;
let remote: ModernRemoteFixture;
let passThrough: Awaited<ReturnType<typeof startPassThrough>>;
let socketPassThrough: Awaited<ReturnType<typeof startPassThrough>>;
let gateway: Server;
let socketFolder: string;

beforeAll(async () => {
  remote = await startModernRemoteFixture();
  passThrough = await startPassThrough(remote.url);
  socketFolder = mkdtempSync(join(tmpdir(), 'patchbay-modern-'));
  socketPassThrough = await startPassThrough(remote.url, join(socketFolder, 'mcp.sock'));
  // A gateway in front of a broken server answers with its HTML error page.
  gateway = createServer((_req, res) => res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'));
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const entries: ServerEntry[] = [
    modernFixtureEntry('stdio'),
    // The conformance surface has a tool that mirrors its region argument into Mcp-Param-Region.
    { ...modernFixtureEntry('stdio-params'), args: [MODERN_FIXTURE_SERVER, RUN_TAG, '--conformance'] } as ServerEntry,
    { name: 'http', transport: 'streamable-http', url: passThrough.url.href, headers: { 'X-Catalog-Header': 'from the catalog' } },
    { name: 'socket', transport: 'streamable-http', url: socketPassThrough.url.href, headers: {} },
    { name: 'gateway', transport: 'streamable-http', url: `http://127.0.0.1:${(gateway.address() as { port: number }).port}/mcp`, headers: {} },
  ];
  proxy = await startTestProxy(entries);
});

afterAll(async () => {
  await proxy?.close();
  await passThrough?.stop();
  await socketPassThrough?.stop();
  await new Promise((resolve) => gateway?.close(resolve));
  await remote?.stop();
  rmSync(socketFolder, { recursive: true, force: true });
});

interface Answer {
  status: number;
  contentType: string | null;
  body: { id?: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };
}

async function post(server: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  const response = await rawRequest(proxy, `/servers/${server}/mcp`, { method: 'POST', headers, body: JSON.stringify(body), token: null });
  const text = response.text;
  const json = response.headers.get('content-type')?.startsWith('text/event-stream')
    ? text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => JSON.parse(line.slice(5)) as Answer['body'])
        .at(-1)!
    : (JSON.parse(text) as Answer['body']);
  return { status: response.status, contentType: response.headers.get('content-type'), body: json };
}

const echoCall = (id: unknown = 1, meta: Record<string, unknown> = envelope()) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' }, _meta: meta } });
const without = (headers: Record<string, string>, name: string): Record<string, string> => Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));

describe('a modern request with headers that disagree with its body', () => {
  it.each([
    ['no MCP-Protocol-Version header', () => without(modernHeaders(proxy, 'tools/call', 'echo'), 'MCP-Protocol-Version'), /MCP-Protocol-Version header is missing/],
    ['another version in MCP-Protocol-Version', () => ({ ...modernHeaders(proxy, 'tools/call', 'echo'), 'MCP-Protocol-Version': '2026-09-01' }), /names 2026-09-01 but the body's _meta names 2026-07-28/],
    ['no Mcp-Method header', () => without(modernHeaders(proxy, 'tools/call', 'echo'), 'Mcp-Method'), /Mcp-Method header is missing/],
    ['another method in Mcp-Method', () => modernHeaders(proxy, 'tools/list', 'echo'), /Mcp-Method header names tools\/list but the body names tools\/call/],
    ['no Mcp-Name header', () => modernHeaders(proxy, 'tools/call'), /Mcp-Name header is missing \(params.name is "echo"\)/],
    ['another name in Mcp-Name', () => modernHeaders(proxy, 'tools/call', 'ohce'), /Mcp-Name header names "ohce" but params.name is "echo"/],
    ['an Mcp-Name that is not valid Base64', () => modernHeaders(proxy, 'tools/call', '=?base64?@@@?='), /Mcp-Name header is not valid/],
  ])('is refused with 400 and HeaderMismatch (-32020): %s', async (_what, headers, message) => {
    const answer = await post('stdio', echoCall(), headers());
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ id: 1, error: { code: -32020, message: expect.stringMatching(message) } });
  });

  it('is served when Mcp-Name carries the name Base64-encoded', async () => {
    const answer = await post('stdio', echoCall(), modernHeaders(proxy, 'tools/call', `=?base64?${Buffer.from('echo').toString('base64')}?=`));
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.result)).toContain('echo: hi');
  });
});

describe('a modern request whose body is malformed', () => {
  it('is refused with 400 and Invalid params (-32602) when _meta lacks the client capabilities', async () => {
    const meta = envelope();
    delete meta['io.modelcontextprotocol/clientCapabilities'];
    const answer = await post('stdio', echoCall(3, meta), modernHeaders(proxy, 'tools/call', 'echo'));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ id: 3, error: { code: -32602, message: expect.stringContaining('"io.modelcontextprotocol/clientCapabilities"') } });
  });

  it('is refused with 400 and Invalid params when the version header names 2026-07-28 but there is no envelope', async () => {
    const answer = await post('stdio', { jsonrpc: '2.0', id: 4, method: 'tools/list' }, modernHeaders(proxy, 'tools/list'));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ id: 4, error: { code: -32602, message: expect.stringContaining(`the MCP-Protocol-Version header names ${MODERN}`) } });
  });

  it('is refused with 400 and Invalid params when its log level is not one', async () => {
    const answer = await post('stdio', echoCall(5, envelope({ 'io.modelcontextprotocol/logLevel': 'loud' })), modernHeaders(proxy, 'tools/call', 'echo'));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: -32602, message: expect.stringContaining('io.modelcontextprotocol/logLevel') });
  });

  it.each([
    ['a batch holding a modern request', () => [echoCall()], /batch may not hold MCP 2026-07-28 requests/],
    ['a posted response', () => ({ jsonrpc: '2.0', id: 1, result: {}, params: { _meta: envelope() } }), /may not post a JSON-RPC response/],
    ['a null id', () => echoCall(null), /id must be a string or an integer/],
  ])('is refused with 400 and Invalid Request (-32600): %s', async (_what, body, message) => {
    const answer = await post('stdio', body(), modernHeaders(proxy, 'tools/call', 'echo'));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: -32600, message: expect.stringMatching(message) });
  });

  it('is refused with 406 when the client accepts neither JSON nor an event stream', async () => {
    const answer = await post('stdio', echoCall(), { ...modernHeaders(proxy, 'tools/call', 'echo'), Accept: 'text/plain' });
    expect(answer.status).toBe(406);
    expect(answer.body.error?.message).toMatch(/Accept header must list application\/json and text\/event-stream/);
  });
});

describe('answers', () => {
  it('come as one JSON object when nothing precedes the response, as SSE when the client reads only SSE', async () => {
    const json = await post('stdio', echoCall(), modernHeaders(proxy, 'tools/call', 'echo'));
    expect(json.contentType).toMatch(/^application\/json/);
    const sse = await post('stdio', echoCall(), { ...modernHeaders(proxy, 'tools/call', 'echo'), Accept: 'text/event-stream' });
    expect(sse.contentType).toMatch(/^text\/event-stream/);
    expect(JSON.stringify(sse.body.result)).toContain('echo: hi');
  });

  it.each(['2099-01-01', 'v999.0.0'])(
    'carry "unsupported protocol version" %s for a stdio server with status 400, also after its shared child served others',
    async (version) => {
      // The SDK's stdio server checks the version only until it has served a request; one child serves every client.
      expect((await post('stdio', echoCall(5), modernHeaders(proxy, 'tools/call', 'echo'))).status).toBe(200);
      const meta = envelope({ 'io.modelcontextprotocol/protocolVersion': version });
      const answer = await post('stdio', echoCall(6, meta), { ...modernHeaders(proxy, 'tools/call', 'echo'), 'MCP-Protocol-Version': version });
      expect(answer.body).toMatchObject({ id: 6, error: { code: -32022, data: { supported: [MODERN], requested: version } } });
      expect(answer.status).toBe(400);
    },
  );

  // A version the proxy does not know is still a modern claim: the server answers it, not the legacy path.
  it.each(['2099-01-01', 'v999.0.0'])("relay a remote server's refusal of version %s with its status and body", async (version) => {
    const meta = envelope({ 'io.modelcontextprotocol/protocolVersion': version });
    const answer = await post('http', echoCall(7, meta), { ...modernHeaders(proxy, 'tools/call', 'echo'), 'MCP-Protocol-Version': version });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ id: 7, error: { code: -32022, data: { supported: expect.arrayContaining([MODERN]) } } });
  });

  it("say what a gateway's HTML error page says", async () => {
    const answer = await post('gateway', echoCall(8), modernHeaders(proxy, 'tools/call', 'echo'));
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ id: 8, error: { code: -32000, message: '"gateway" answered HTTP 502: 502 Bad Gateway' } });
  });
});

describe("a stdio server's tool parameters mirrored into headers", () => {
  const call = (id: number, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'test_custom_headers', arguments: args, _meta: envelope() } });
  const headers = (extra: Record<string, string> = {}) => ({ ...modernHeaders(proxy, 'tools/call', 'test_custom_headers'), ...extra });

  beforeAll(async () => {
    // The proxy learns what each tool mirrors from the tools/list answers it relays.
    const listed = await post('stdio-params', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: envelope() } }, modernHeaders(proxy, 'tools/list'));
    expect(JSON.stringify(listed.body)).toContain('x-mcp-header');
  });

  it.each([
    ['plain', 'us-west1'],
    ['Base64-encoded', `=?base64?${Buffer.from('us-west1').toString('base64')}?=`],
  ])('are served when the %s header matches the argument', async (_how, value) => {
    const answer = await post('stdio-params', call(2, { region: 'us-west1', query: 'q' }), headers({ 'Mcp-Param-Region': value }));
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.result)).toContain('ran q in us-west1');
  });

  it('take a value that only starts like the Base64 form as it is', async () => {
    const answer = await post('stdio-params', call(4, { region: '=?base64?SGVsbG8=', query: 'q' }), headers({ 'Mcp-Param-Region': '=?base64?SGVsbG8=' }));
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.result)).toContain('ran q in =?base64?SGVsbG8=');
  });

  it.each([
    ['missing', {}, /Mcp-Param-Region header is missing/],
    ['another value', { 'Mcp-Param-Region': 'eu-north1' }, /Mcp-Param-Region header says "eu-north1" but arguments.region is "us-west1"/],
    ['not valid Base64', { 'Mcp-Param-Region': '=?base64?dXMtd2VzdDE?=' }, /Mcp-Param-Region header is not valid/],
  ])('are refused with 400 and HeaderMismatch when the header is %s', async (_how, extra, message) => {
    const answer = await post('stdio-params', call(3, { region: 'us-west1' }), headers(extra as Record<string, string>));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ id: 3, error: { code: -32020, message: expect.stringMatching(message) } });
  });
});

describe('a remote upstream', () => {
  it("gets the request's MCP headers, its Mcp-Param-* headers and the catalog's headers, never Patchbay's token", async () => {
    const headers = { ...modernHeaders(proxy, 'tools/call', 'echo'), 'Mcp-Param-Region': 'us-west1' };
    const answer = await post('http', { ...echoCall('forwarded'), params: { ...echoCall().params, arguments: { text: 'headers' } } }, headers);
    expect(JSON.stringify(answer.body.result)).toContain('echo: headers');
    const seen = passThrough.seen.find((request) => (request.body as { id?: unknown }).id === 'forwarded')!;
    expect(seen.headers).toMatchObject({
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': 'echo',
      'mcp-param-region': 'us-west1',
      'x-catalog-header': 'from the catalog',
    });
    expect(seen.headers.authorization).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(proxy.token!);
  });

  it('is reached over its unix:// socket', async () => {
    const answer = await post('socket', echoCall(9), modernHeaders(proxy, 'tools/call', 'echo'));
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.result)).toContain('echo: hi');
    expect(socketPassThrough.seen.some((request) => (request.body as { id?: unknown }).id === 9)).toBe(true);
  });
});

describe('legacy traffic', () => {
  it('is answered as before: a POST without a session or a modern claim must start with initialize', async () => {
    const answer = await post('stdio', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, without(modernHeaders(proxy, 'tools/list'), 'MCP-Protocol-Version'));
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toBe('Bad Request: no Mcp-Session-Id header; a new session must start with an initialize request');
  });

  it('names an unknown server whatever the era', async () => {
    const answer = await post('nowhere', echoCall(), modernHeaders(proxy, 'tools/call', 'echo'));
    expect(answer.status).toBe(404);
    expect(answer.body.error?.message).toBe('Unknown server "nowhere": it is not in the catalog');
  });
});
