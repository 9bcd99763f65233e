import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingLeft, initializeRequest, readSseEvents, startRemoteFixture, startTestProxy, streamableHeaders, type TestProxy } from './helpers';

// Messages a client sends while its session is still connecting wait for the server, but only so many: past the
// cap (by count and by bytes) a request is answered at once with an error that says why.
let proxy: TestProxy;
let slowRemote: Awaited<ReturnType<typeof startRemoteFixture>>;

beforeAll(async () => {
  // A remote SSE server that takes 3 s to open its stream holds sessions in "connecting".
  slowRemote = await startRemoteFixture({ FIXTURE_SSE_DELAY_MS: '3000' });
  proxy = await startTestProxy([{ name: 'slow-sse', transport: 'sse', url: `http://127.0.0.1:${slowRemote.port}/sse`, headers: {} }], {
    session: { connectQueueMaxMessages: 4, connectQueueMaxBytes: 32 * 1024 },
  });
});

afterAll(async () => {
  await proxy?.close();
  await slowRemote?.stop();
});

describe('the queue of messages waiting for a connecting server', () => {
  it('is capped by count and by bytes; a request past the cap gets an error that says the server is still connecting', async () => {
    const url = `${proxy.url}/servers/slow-sse/mcp`;
    const init = await fetch(url, { method: 'POST', headers: streamableHeaders(proxy), body: JSON.stringify(initializeRequest(1)) });
    const sessionId = init.headers.get('mcp-session-id')!;
    const headers = streamableHeaders(proxy, sessionId);
    const post = (message: unknown) => fetch(url, { method: 'POST', headers, body: JSON.stringify(message) });
    try {
      expect(proxy.sessions.get(sessionId)?.state).toBe('connecting');
      expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
      const queued = await post({ jsonrpc: '2.0', id: 2, method: 'ping' });
      const tooLarge = await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x'.repeat(40 * 1024) } } });
      const last = await post({ jsonrpc: '2.0', id: 4, method: 'ping' });
      const tooMany = await post({ jsonrpc: '2.0', id: 5, method: 'ping' });
      expect(proxy.sessions.get(sessionId)?.state).toBe('connecting');

      const first = async (response: Response) => JSON.parse((await readSseEvents(response, (events) => events.length > 0, 20_000))[0]!.data) as Record<string, unknown>;
      const refusedBytes = await first(tooLarge);
      expect(refusedBytes).toMatchObject({ id: 3, error: { code: -32000 } });
      expect((refusedBytes.error as { message: string }).message).toMatch(/still connecting.*queue.*full/);
      const refusedCount = await first(tooMany);
      expect(refusedCount).toMatchObject({ id: 5, error: { code: -32000 } });
      expect((refusedCount.error as { message: string }).message).toMatch(/still connecting.*queue.*full/);

      // What fit in the queue is delivered once the server is there.
      expect(await first(init)).toMatchObject({ id: 1, result: { serverInfo: { name: 'patchbay-fixture' } } });
      expect(await first(queued)).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
      expect(await first(last)).toEqual({ jsonrpc: '2.0', id: 4, result: {} });
    } finally {
      await fetch(url, { method: 'DELETE', headers });
    }
    await expectNothingLeft(proxy, [slowRemote.child.pid!]);
  });
});
