import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { eventEra, type LifecycleEvent } from '../../src-shared/events';
import { modernFixtureEntry, startModernRemoteFixture, startTestProxy, waitFor, type TestProxy } from './helpers';
import { connectModernClient, MODERN, textOf, type ModernTestClient } from './modern-helpers';
import type { ModernRemoteFixture } from './processes';

// The modern era (MCP 2026-07-28) through the proxy's /servers/{id}/mcp, with the SDK's 2.x client, to the dual-era
// fixture over stdio (one shared child) and over Streamable HTTP (each request a POST of its own).

let proxy: TestProxy;
let remote: ModernRemoteFixture;

beforeAll(async () => {
  remote = await startModernRemoteFixture();
  const entries: ServerEntry[] = [modernFixtureEntry('stdio'), { name: 'http', transport: 'streamable-http', url: remote.url.href, headers: { 'X-Fixture-Token': 'from-catalog' } }];
  proxy = await startTestProxy(entries);
});

afterAll(async () => {
  await proxy?.close();
  await remote?.stop();
});

const modernMessages = (server: string): Array<Extract<LifecycleEvent, { type: 'message' }>> =>
  proxy.events.filter((event): event is Extract<LifecycleEvent, { type: 'message' }> => event.type === 'message' && event.server === server && eventEra(event) === 'modern');

describe.each(['stdio', 'http'])('a %s upstream, modern era', (server) => {
  let connection: ModernTestClient;

  beforeAll(async () => {
    connection = await connectModernClient(proxy, server, { pin: MODERN }, { owner: 'window-1' });
  });

  afterAll(async () => {
    await connection?.close();
  });

  it('is served modern: server/discover answers with the fixture, no session is opened', async () => {
    const { client } = connection;
    expect(client.getProtocolEra()).toBe('modern');
    const discovered = await client.discover();
    expect(discovered.supportedVersions).toContain(MODERN);
    expect(discovered._meta?.['io.modelcontextprotocol/serverInfo']).toMatchObject({ name: 'patchbay-modern-fixture' });
    expect(proxy.sessions.size).toBe(0);
  });

  it('lists tools and echoes', async () => {
    const { client } = connection;
    const listed = await client.listTools(undefined, { cacheMode: 'bypass' });
    expect(listed.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'slow-count', 'ask-name']));
    expect(listed).toMatchObject({ ttlMs: expect.any(Number), cacheScope: expect.any(String) });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'through the proxy' } }))).toBe('echo: through the proxy');
  });

  it('relays progress and the log messages of the request that asked for them', async () => {
    const { client, seen } = connection;
    seen.logs.length = 0;
    const progress: number[] = [];
    const result = await client.callTool(
      { name: 'slow-count', arguments: { count: 4, delayMs: 10 }, _meta: { 'io.modelcontextprotocol/logLevel': 'warning' } },
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(textOf(result)).toBe('counted to 4');
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(seen.logs).toEqual(['warning: counted 3 of 4', 'error: counted 4 of 4']);
  });

  it('carries an input_required round: the client answers, the retry completes', async () => {
    const { client, seen } = connection;
    seen.elicitations.length = 0;
    expect(textOf(await client.callTool({ name: 'ask-name', arguments: {} }))).toBe('Hello, Ada!');
    expect(seen.elicitations).toEqual(['What is your name?']);
  });

  it('delivers a subscription notification on the subscriptions/listen stream', async () => {
    const { client, seen } = connection;
    seen.updated.length = 0;
    const subscription = await client.listen({ resourceSubscriptions: ['fixture://counter'] });
    try {
      expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: ['fixture://counter'] });
      expect(textOf(await client.callTool({ name: 'bump-counter', arguments: {} }))).toMatch(/^counter is \d+$/);
      await expect.poll(() => seen.updated, { timeout: 10_000 }).toEqual([{ uri: 'fixture://counter', subscriptionId: expect.anything() }]);
    } finally {
      await subscription.close();
    }
  });

  it('reports each request, notification and response on the event stream with era modern', async () => {
    const events = modernMessages(server);
    const echo = events.find((event) => event.direction === 'client-to-server' && event.method === 'tools/call' && JSON.stringify(event.body).includes('through the proxy'));
    expect(echo).toMatchObject({ kind: 'request', sessionId: `modern:${server}:window-1`, era: 'modern' });
    const answer = events.find((event) => event.kind === 'response' && event.id === echo!.id && event.sessionId === echo!.sessionId);
    expect(answer).toMatchObject({ direction: 'server-to-client', durationMs: expect.any(Number), isError: false });
    const progress = events.filter((event) => event.method === 'notifications/progress');
    expect(progress.length).toBeGreaterThanOrEqual(4);
    expect(progress.every((event) => event.relatedRequestId !== undefined)).toBe(true);
    // The legacy events keep their era too.
    expect(proxy.events.filter((event) => eventEra(event) === 'legacy' && event.server === server)).toEqual([]);
  });
});

describe('the control API', () => {
  it('lists the shared stdio child with its pid, state, restarts and requests in flight', async () => {
    const response = await fetch(`${proxy.url}/api/shared-children`, { headers: { Authorization: `Bearer ${proxy.token}` } });
    expect(response.status).toBe(200);
    const { children } = (await response.json()) as { children: Array<Record<string, unknown>> };
    expect(children).toEqual([expect.objectContaining({ server: 'stdio', channelId: 'modern:stdio', state: 'running', pid: expect.any(Number), restarts: 0, inFlight: 0, serverEra: 'modern' })]);
  });

  it('ends the shared child when its server is closed', async () => {
    const [child] = proxy.modern.sharedChildren();
    await proxy.modern.closeServer('stdio', 'its server was removed from the catalog');
    expect(proxy.modern.sharedChildren()).toEqual([]);
    await waitFor(() => {
      try {
        process.kill(child!.pid!, 0);
        return false;
      } catch {
        return true;
      }
    }, `the shared child ${child!.pid} to exit`);
  });
});
