import { afterAll, beforeAll, expect, it } from 'vitest';
import { isAlive, modernFixtureEntry, startTestProxy, waitFor, type TestProxy } from './helpers';
import { envelope, modernHeaders } from './modern-helpers';

// A shared modern child that serves nothing for the idle timeout is ended, as an idle session is; one that holds an
// open subscriptions/listen stream is serving and stays.

let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy([modernFixtureEntry('idle')], { idleTimeoutMs: 1_000 });
});

afterAll(async () => {
  await proxy?.close();
});

const post = (method: string, params: Record<string, unknown>, id: number, signal?: AbortSignal) =>
  fetch(`${proxy.url}/servers/idle/mcp`, {
    method: 'POST',
    headers: modernHeaders(proxy, method, typeof params.name === 'string' ? params.name : undefined),
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: envelope() } }),
    signal,
  });

it('ends an idle shared child, keeps one with an open subscription, and starts it again for the next request', async () => {
  expect(await (await post('tools/call', { name: 'echo', arguments: { text: 'once' } }, 1)).text()).toContain('echo: once');
  const pid = proxy.modern.sharedChildren()[0]!.pid!;

  // A subscription is a request in flight: the child is serving it however long it stays open.
  const listening = new AbortController();
  const listen = await post('subscriptions/listen', { notifications: { toolsListChanged: true } }, 2, listening.signal);
  expect(listen.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = listen.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain('notifications/subscriptions/acknowledged');
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  expect(proxy.modern.sharedChildren()).toEqual([expect.objectContaining({ pid, inFlight: 1 })]);
  expect(isAlive(pid)).toBe(true);

  listening.abort();
  await waitFor(() => !isAlive(pid), `the idle shared child ${pid} to end`, 15_000);
  expect(proxy.modern.sharedChildren()).toEqual([]);
  expect(proxy.events.some((event) => event.type === 'session-error' && event.message.includes('served no request for 1 s'))).toBe(true);

  // The next request starts a new child (which idles out in its turn).
  expect(await (await post('tools/call', { name: 'echo', arguments: { text: 'again' } }, 3)).text()).toContain('echo: again');
  expect(proxy.events.filter((event) => event.type === 'child-spawned')).toHaveLength(2);
});
