import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventEra } from '../../src-shared/events';
import { isAlive, modernFixtureEntry, startTestProxy, waitFor, type TestProxy } from './helpers';
import { connectModernClient, MODERN, textOf, type ModernTestClient } from './modern-helpers';

// 50 modern clients, 10 requests each at once, over HTTP to one stdio server: one child serves them all, and no
// answer, progress notification or log message reaches a client it does not belong to.

const CLIENTS = 50;
const REQUESTS_PER_CLIENT = 10;

let proxy: TestProxy;
const clients: ModernTestClient[] = [];

beforeAll(async () => {
  proxy = await startTestProxy([modernFixtureEntry('shared')]);
});

afterAll(async () => {
  await Promise.all(clients.map((connection) => connection.close()));
  await proxy?.close();
});

it('serves 50 clients × 10 concurrent requests from one shared child with nothing crossed', async () => {
  for (let index = 0; index < CLIENTS; index += 1) clients.push(await connectModernClient(proxy, 'shared', { pin: MODERN }, { name: `client-${index}` }));

  await Promise.all(
    clients.map(async ({ client, seen }, clientIndex) => {
      const calls = Array.from({ length: REQUESTS_PER_CLIENT }, async (_, request) => {
        const kind = request % 5;
        if (kind === 0 || kind === 1 || kind === 2) {
          const text = `client ${clientIndex} request ${request}`;
          expect(textOf(await client.callTool({ name: 'echo', arguments: { text } }))).toBe(`echo: ${text}`);
        } else if (kind === 3) {
          // A count of its own per client, so progress that strayed would show in the wrong numbers.
          const count = 1 + ((clientIndex + request) % 6);
          const progress: Array<[number, number | undefined]> = [];
          const result = await client.callTool({ name: 'slow-count', arguments: { count, delayMs: 5 } }, { onprogress: (update) => progress.push([update.progress, update.total]) });
          expect(textOf(result)).toBe(`counted to ${count}`);
          expect(progress).toEqual(Array.from({ length: count }, (_, step) => [step + 1, count]));
        } else {
          const result = await client.callTool({ name: 'slow-count', arguments: { count: 3, delayMs: 0 }, _meta: { 'io.modelcontextprotocol/logLevel': 'debug' } });
          expect(textOf(result)).toBe('counted to 3');
        }
      });
      await Promise.all(calls);
      // Two logging calls of three steps each: exactly six log messages, every one its own.
      expect(seen.logs.filter((line) => / of 3$/.test(line))).toHaveLength(6);
      expect(seen.logs).toHaveLength(6);
    }),
  );

  const spawned = proxy.events.filter((event) => event.type === 'child-spawned' && eventEra(event) === 'modern');
  expect(spawned).toHaveLength(1);
  expect(proxy.sessions.size).toBe(0);
  expect(proxy.modernRequests.size).toBe(0);
  expect(proxy.modern.sharedChildren()).toEqual([expect.objectContaining({ server: 'shared', inFlight: 0, restarts: 0 })]);

  const pid = (spawned[0] as { pid: number }).pid;
  await proxy.close();
  await waitFor(() => !isAlive(pid), `the shared child ${pid} to end with the proxy`);
  expect(proxy.modern.liveChildren).toBe(0);
});
