import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventEra } from '../../src-shared/events';
import { isAlive, modernFixtureEntry, startTestProxy, waitFor, type TestProxy } from './helpers';
import { connectModernClient, MODERN, textOf, type ModernTestClient } from './modern-helpers';

// The shared child of a stdio server killed while it serves calls: through the proxy, each client's call in flight
// fails with an error that says the process died, and the next request is served by a new child.

let proxy: TestProxy;
let connection: ModernTestClient;

beforeAll(async () => {
  proxy = await startTestProxy([modernFixtureEntry('fragile')]);
  connection = await connectModernClient(proxy, 'fragile', { pin: MODERN });
});

afterAll(async () => {
  await connection?.close();
  await proxy?.close();
});

it('fails the calls in flight with why when the child is killed, and serves the next call from a new child', async () => {
  const { client } = connection;
  const [first] = proxy.modern.sharedChildren();
  const pid = first!.pid!;
  const calls = [1, 2, 3].map((n) => client.callTool({ name: 'slow-count', arguments: { count: 100 + n, delayMs: 100 } }).then(() => 'answered', (error: Error) => error.message));
  await waitFor(() => proxy.modern.sharedChildren()[0]?.inFlight === 3, 'the three calls to reach the child');
  process.kill(pid, 'SIGKILL');
  const outcomes = await Promise.all(calls);
  for (const outcome of outcomes) expect(outcome).toMatch(/fragile.*(killed by SIGKILL|SIGKILL)/);
  expect(proxy.modernRequests.size).toBe(0);

  expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'again' } }))).toBe('echo: again');
  const [after] = proxy.modern.sharedChildren();
  expect(after).toMatchObject({ restarts: 1, inFlight: 0, serverEra: 'modern' });
  expect(after!.pid).not.toBe(pid);
  expect(isAlive(pid)).toBe(false);
  // Each death and start is on the event stream, as the modern era's.
  const errors = proxy.events.filter((event) => event.type === 'session-error' && eventEra(event) === 'modern').map((event) => (event as { message: string }).message);
  expect(errors.some((message) => message.includes(`(pid ${pid})`) && message.includes('3 requests in flight failed'))).toBe(true);
  expect(proxy.events.filter((event) => event.type === 'child-spawned' && eventEra(event) === 'modern')).toHaveLength(2);
});
