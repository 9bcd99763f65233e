import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNothingLeft, fixtureEntry, initializeRequest, startRemoteFixture, startTestProxy, streamableHeaders, waitFor, type TestProxy } from './helpers';

// A chatty server and a client that reads slowly: what the proxy holds for the client is capped, and past the cap
// the child's stdout is no longer read, so the child itself waits, until the client catches up.
const BACKLOG_CAP = 256 * 1024;
const MESSAGES = 300;
const MESSAGE_BYTES = 32 * 1024;

let proxy: TestProxy;
let remote: Awaited<ReturnType<typeof startRemoteFixture>>;

beforeAll(async () => {
  remote = await startRemoteFixture();
  proxy = await startTestProxy(
    [
      fixtureEntry('chatty'),
      { name: 'chatty-streamable', transport: 'streamable-http', url: `http://127.0.0.1:${remote.port}/mcp`, headers: {} },
      { name: 'chatty-sse', transport: 'sse', url: `http://127.0.0.1:${remote.port}/sse`, headers: {} },
    ],
    { session: { clientBacklogMaxBytes: BACKLOG_CAP } },
  );
});

afterAll(async () => {
  await proxy?.close();
  await remote?.stop();
});

/** Reads the slow client's stream to the end, checking every message arrived in order, then the result. */
async function expectEverythingInOrder(response: IncomingMessage): Promise<void> {
  const events = await readAll(response, (message) => message.id === 2);
  const indexes = events.filter((message) => message.method === 'notifications/message').map((message) => (message.params as { data: { index: number } }).data.index);
  expect(indexes).toEqual(Array.from({ length: MESSAGES }, (_, index) => index + 1));
  const result = events.find((message) => message.id === 2)!.result as { content: Array<{ text: string }> };
  expect(result.content[0]!.text).toMatch(/^flooded 300; writes waited \d+ ms$/);
}

const floodCall = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'flood', arguments: { count: MESSAGES, bytes: MESSAGE_BYTES } } };

describe('a client that reads slowly', () => {
  it('holds the bytes queued for it under the cap by pausing the child, then gets every message in order', async () => {
    const session = await openRawSession(proxy, 'chatty');
    try {
      const response = await session.post(floodCall);
      // The client stops reading: its socket fills, then the proxy's writes wait.
      response.pause();
      const live = proxy.sessions.get(session.id)!;
      const floodSent = () => Math.max(0, ...live.stderr.toArray().map((line) => Number(/^flood sent (\d+)/.exec(line)?.[1] ?? 0)));

      await waitFor(() => live.snapshot().upstreamPaused === true || floodSent() === MESSAGES, 'the child to be paused or to finish', 30_000);
      expect(floodSent(), 'the child wrote every message although the client read none').toBeLessThan(MESSAGES);
      const paused = live.snapshot();
      expect(paused.upstreamPaused).toBe(true);
      expect(paused.clientBacklogBytes).toBeLessThan(2 * BACKLOG_CAP);
      // The child felt it: it is stuck mid-flood, waiting for its stdout to drain.
      const stalledAt = floodSent();

      // The client catches up and reads everything: every message arrives, in order, none lost.
      await expectEverythingInOrder(response);
      expect(stalledAt).toBeLessThan(MESSAGES);

      const after = live.snapshot();
      expect(after.upstreamPaused).toBe(false);
      expect(after.clientBacklogPeakBytes).toBeLessThan(2 * BACKLOG_CAP);
    } finally {
      await session.close();
    }
    await expectNothingLeft(proxy, [remote.child.pid!]);
  });

  for (const server of ['chatty-streamable', 'chatty-sse']) {
    it(`from a remote server (${server}): stops reading the server's stream past the cap, then gets every message in order`, async () => {
      const session = await openRawSession(proxy, server);
      try {
        const response = await session.post(floodCall);
        response.pause();
        const live = proxy.sessions.get(session.id)!;
        await waitFor(() => live.snapshot().upstreamPaused === true, 'reading the remote server to pause', 30_000);
        // Paused, the proxy reads no more of the server's stream, though the server has far more to send: watched
        // for a while, the messages taken from the server and the bytes held for the client stay near the cap.
        let taken = 0;
        let held = 0;
        for (let look = 0; look < 20; look += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          taken = Math.max(taken, live.snapshot().serverToClient);
          held = Math.max(held, live.snapshot().clientBacklogBytes ?? Number.POSITIVE_INFINITY);
        }
        expect(taken, 'messages the proxy took from the server while the client read nothing').toBeLessThan(MESSAGES / 2);
        expect(held).toBeLessThan(2 * BACKLOG_CAP);
        await expectEverythingInOrder(response);
        expect(live.snapshot().upstreamPaused).toBe(false);
        expect(live.snapshot().clientBacklogPeakBytes).toBeLessThan(2 * BACKLOG_CAP);
      } finally {
        await session.close();
      }
      await expectNothingLeft(proxy, [remote.child.pid!]);
    });
  }
});

interface RawMessage {
  id?: unknown;
  method?: string;
  params?: unknown;
  result?: unknown;
}

/** A Streamable HTTP session over node:http, whose response sockets the test can pause. */
async function openRawSession(target: TestProxy, server: string) {
  const url = new URL(`${target.url}/servers/${server}/mcp`);
  const session: { id?: string } = {};
  const post = (body: unknown): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const outgoing = request(url, { method: 'POST', headers: streamableHeaders(target, session.id), agent: false }, resolve);
      outgoing.on('error', reject);
      outgoing.end(JSON.stringify(body));
    });
  const initialize = await post(initializeRequest(1));
  const id = String(initialize.headers['mcp-session-id']);
  session.id = id;
  await readAll(initialize, (message) => message.id === 1);
  const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  initialized.resume();
  expect(initialized.statusCode).toBe(202);
  return {
    id,
    post,
    close: () =>
      new Promise<void>((resolve) => {
        const outgoing = request(url, { method: 'DELETE', headers: streamableHeaders(target, id), agent: false }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        outgoing.on('error', () => resolve());
        outgoing.end();
      }),
  };
}

/** Reads an SSE response until a message satisfies `last`, returning every message read. */
function readAll(response: IncomingMessage, last: (message: RawMessage) => boolean): Promise<RawMessage[]> {
  return new Promise((resolve, reject) => {
    const messages: RawMessage[] = [];
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) {
          const message = JSON.parse(data) as RawMessage;
          messages.push(message);
          if (last(message)) {
            response.destroy();
            resolve(messages);
            return;
          }
        }
        boundary = buffer.indexOf('\n\n');
      }
    });
    response.on('error', reject);
    response.on('end', () => reject(new Error(`the stream ended after ${messages.length} messages without the last one`)));
    response.resume();
  });
}
