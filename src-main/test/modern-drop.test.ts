import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { eventEra } from '../../src-shared/events';
import { modernFixtureEntry, startModernRemoteFixture, startTestProxy, waitFor, type TestProxy } from './helpers';
import { envelope, modernHeaders, startPassThrough, type PassedRequest } from './modern-helpers';
import type { ModernRemoteFixture } from './processes';

// A modern client that closes its request's stream mid-way has cancelled it (the Streamable HTTP binding): the
// proxy cancels it upstream and keeps nothing of it.

let proxy: TestProxy;
let remote: ModernRemoteFixture;
let passThrough: Awaited<ReturnType<typeof startPassThrough>>;

beforeAll(async () => {
  remote = await startModernRemoteFixture();
  passThrough = await startPassThrough(remote.url);
  const entries: ServerEntry[] = [modernFixtureEntry('stdio'), { name: 'http', transport: 'streamable-http', url: passThrough.url.href, headers: {} }];
  proxy = await startTestProxy(entries);
});

afterAll(async () => {
  await proxy?.close();
  await passThrough?.stop();
  await remote?.stop();
});

/** Starts a long slow-count, reads its stream until the first progress notification, then drops the connection. */
async function dropMidStream(server: string, id: string): Promise<void> {
  const abort = new AbortController();
  const response = await fetch(`${proxy.url}/servers/${server}/mcp`, {
    method: 'POST',
    headers: modernHeaders(proxy, 'tools/call', 'slow-count'),
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow-count', arguments: { count: 200, delayMs: 50 }, _meta: envelope({ progressToken: `${id}-progress` }) } }),
    signal: abort.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('notifications/progress')) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended before any progress');
    text += new TextDecoder().decode(value);
  }
  abort.abort();
  await reader.cancel().catch(() => undefined);
}

describe.each(['stdio', 'http'])('a %s upstream', (server) => {
  it('cancels a request whose client dropped mid-stream, and leaves nothing behind', async () => {
    await dropMidStream(server, `dropped-${server}`);
    await waitFor(() => proxy.modernRequests.size === 0, `the modern request ledger to empty (still ${proxy.modernRequests.size})`);
    const cancelled = proxy.events.find(
      (event) => event.type === 'message' && eventEra(event) === 'modern' && event.method === 'notifications/cancelled' && JSON.stringify(event.body).includes(`dropped-${server}`),
    );
    expect(cancelled).toMatchObject({ direction: 'client-to-server', server });
    if (server === 'stdio') {
      await waitFor(() => proxy.modern.sharedChildren()[0]?.inFlight === 0, 'the shared child to hold no request');
    } else {
      const forwarded = (): PassedRequest | undefined => passThrough.seen.find((request) => JSON.stringify(request.body).includes(`dropped-${server}`));
      await waitFor(() => forwarded()?.closedEarly === true, 'the proxy to close its request to the remote server');
    }
    // The upstream still serves the next request.
    const after = await fetch(`${proxy.url}/servers/${server}/mcp`, {
      method: 'POST',
      headers: modernHeaders(proxy, 'tools/call', 'echo'),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'still here' }, _meta: envelope() } }),
    });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('echo: still here');
    expect(proxy.sessions.size).toBe(0);
    expect(proxy.modernRequests.size).toBe(0);
  });
});

describe('a request the server does not answer in time', () => {
  it('is answered with an error saying so and cancelled upstream, leaving nothing behind', async () => {
    const patient = await startTestProxy([modernFixtureEntry('slow')], { session: { maxRequestAgeMs: 1_000 } });
    try {
      const response = await fetch(`${patient.url}/servers/slow/mcp`, {
        method: 'POST',
        headers: { ...modernHeaders(patient, 'tools/call', 'slow-count'), Accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 'hung', method: 'tools/call', params: { name: 'slow-count', arguments: { count: 100, delayMs: 100 }, _meta: envelope() } }),
      });
      expect(response.status).toBe(504);
      expect(await response.json()).toMatchObject({
        id: 'hung',
        error: { code: -32000, message: '"slow" did not answer tools/call within 1 s, the longest Patchbay waits for a request; it was cancelled' },
      });
      await waitFor(() => patient.modernRequests.size === 0 && patient.modern.sharedChildren()[0]?.inFlight === 0, 'the request to leave the ledger and the child');
    } finally {
      await patient.close();
    }
  });
});
