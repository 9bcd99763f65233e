import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingLeft, fixtureEntry, initializeRequest, startTestProxy, streamableHeaders, type TestProxy } from './helpers';

// The Streamable HTTP hot path (services/proxy/direct-post.ts) answers a POST of one message to a ready session
// itself; these pin that its answers are the SDK transport's, and that what it does not take still reaches the SDK.
let proxy: TestProxy;
let sessionId: string;
const url = () => `${proxy.url}/servers/fixture/mcp`;

const post = (body: unknown, headers: Record<string, string> = streamableHeaders(proxy, sessionId)) =>
  fetch(url(), { method: 'POST', headers, body: JSON.stringify(body) });

beforeAll(async () => {
  proxy = await startTestProxy([fixtureEntry('fixture')]);
  const opened = await post(initializeRequest(1), streamableHeaders(proxy));
  expect(opened.status).toBe(200);
  sessionId = opened.headers.get('mcp-session-id')!;
  await opened.text();
  const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  expect(initialized.status).toBe(202);
});

afterAll(async () => {
  if (proxy && sessionId) await fetch(url(), { method: 'DELETE', headers: streamableHeaders(proxy, sessionId) });
  if (proxy) await expectNothingLeft(proxy);
  await proxy?.close();
});

describe('a POST of one message to a ready session', () => {
  it('gets its answer as the SDK sends it: 200, an event stream with the session id, one message event, then the end', async () => {
    const response = await post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hot path' } } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('mcp-session-id')).toBe(sessionId);
    const text = await response.text();
    expect(text.startsWith('event: message\ndata: ')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(true);
    expect(JSON.parse(text.slice('event: message\ndata: '.length))).toEqual({ jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'echo: hot path' }] } });
  });

  it('answers a notification with 202 and no body', async () => {
    const response = await post({ jsonrpc: '2.0', method: 'notifications/roots/list_changed' });
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });

  it('keeps many answers apart when many calls are in flight on one session', async () => {
    const texts = Array.from({ length: 40 }, (_, index) => `call ${index}`);
    const answers = await Promise.all(
      texts.map(async (text, index) => {
        const response = await post({ jsonrpc: '2.0', id: `c${index}`, method: 'tools/call', params: { name: 'echo', arguments: { text } } });
        const body = await response.text();
        return JSON.parse(body.slice(body.indexOf('data: ') + 6)) as { id: string; result: { content: Array<{ text: string }> } };
      }),
    );
    expect(answers.map((answer) => [answer.id, answer.result.content[0]!.text])).toEqual(texts.map((text, index) => [`c${index}`, `echo: ${text}`]));
  });
});

describe('what the hot path leaves to the SDK', () => {
  it('an unsupported Mcp-Protocol-Version gets the SDK transport\'s 400', async () => {
    const response = await post({ jsonrpc: '2.0', id: 8, method: 'ping' }, { ...streamableHeaders(proxy, sessionId), 'Mcp-Protocol-Version': '1999-01-01' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Unsupported protocol version: 1999-01-01');
  });

  it('an Accept without text/event-stream gets the SDK transport\'s 406', async () => {
    const response = await post({ jsonrpc: '2.0', id: 9, method: 'ping' }, { ...streamableHeaders(proxy, sessionId), Accept: 'application/json' });
    expect(response.status).toBe(406);
    await response.text();
  });

  it('a batch is answered whole on one stream', async () => {
    const response = await post([
      { jsonrpc: '2.0', id: 10, method: 'ping' },
      { jsonrpc: '2.0', id: 11, method: 'tools/call', params: { name: 'echo', arguments: { text: 'batched' } } },
    ]);
    expect(response.status).toBe(200);
    const text = await response.text();
    const ids = [...text.matchAll(/^data: (.*)$/gm)].map((match) => (JSON.parse(match[1]!) as { id: number }).id).sort();
    expect(ids).toEqual([10, 11]);
  });

  it('a message the SDK\'s schema refuses gets its 400', async () => {
    const response = await post({ jsonrpc: '2.0', id: 12, method: 'ping', extra: true });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Invalid JSON-RPC message');
  });
});

// The hot path reads a ready session's POST body itself (services/proxy/hot-post.ts); a body it cannot take as plain
// JSON gets what body-parser answers, word for word.
describe('a ready session\'s POST body the hot path does not parse itself', () => {
  const raw = (body: string, headers: Record<string, string> = streamableHeaders(proxy, sessionId)) => fetch(url(), { method: 'POST', headers, body });

  it('invalid JSON gets body-parser\'s parse error', async () => {
    const response = await raw('{"jsonrpc": "2.0", "id": 13,');
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { error: { code: number; message: string } };
    expect(answer.error.code).toBe(-32700);
    expect(answer.error.message).toMatch(/^Parse error: the body is not valid JSON \(.*JSON.*\)$/);
  });

  it('JSON that is not an object or array gets body-parser\'s strict refusal', async () => {
    const response = await raw('"ping"');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/^Parse error: the body is not valid JSON \(Unexpected token/);
  });

  it('a body that starts with a byte order mark is read as body-parser reads it, and answered', async () => {
    const response = await raw(`\uFEFF${JSON.stringify({ jsonrpc: '2.0', id: 14, method: 'tools/call', params: { name: 'echo', arguments: { text: 'bom' } } })}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('echo: bom');
  });

  it('a body sent in chunks, without a length, is answered', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 15, method: 'tools/call', params: { name: 'echo', arguments: { text: 'chunked' } } });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body.slice(0, 10)));
        controller.enqueue(new TextEncoder().encode(body.slice(10)));
        controller.close();
      },
    });
    const response = await fetch(url(), { method: 'POST', headers: streamableHeaders(proxy, sessionId), body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('echo: chunked');
  });
});

describe('the hot path behind public routes (web mode mounts the renderer before the token check)', () => {
  it('still carries the headers those routes set, and answers', async () => {
    const web = await startTestProxy([fixtureEntry('fixture')], {
      publicRoutes: (app) =>
        app.use((_req, res, next) => {
          res.setHeader('X-Content-Type-Options', 'nosniff');
          next();
        }),
    });
    const webUrl = `${web.url}/servers/fixture/mcp`;
    try {
      const opened = await fetch(webUrl, { method: 'POST', headers: streamableHeaders(web), body: JSON.stringify(initializeRequest(1)) });
      const id = opened.headers.get('mcp-session-id')!;
      await opened.text();
      await (await fetch(webUrl, { method: 'POST', headers: streamableHeaders(web, id), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();
      const response = await fetch(webUrl, { method: 'POST', headers: streamableHeaders(web, id), body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'web' } } }) });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('keep-alive')).toBe('timeout=300');
      expect(await response.text()).toContain('echo: web');
      await (await fetch(webUrl, { method: 'DELETE', headers: streamableHeaders(web, id) })).text();
      expect(web.sessions.size).toBe(0);
    } finally {
      await web.close();
    }
  });
});
