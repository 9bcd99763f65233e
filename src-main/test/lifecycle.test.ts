import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import type { LifecycleEvent } from '../../src-shared/events';
import {
  closedPort,
  connectClient,
  expectNothingLeft,
  firstText,
  fixtureEntry,
  initializeRequest,
  isAlive,
  readSseEvents,
  SseReader,
  startRemoteFixture,
  startTestProxy,
  streamableHeaders,
  waitFor,
  type TestProxy,
} from './helpers';

let proxy: TestProxy;
let slowRemote: Awaited<ReturnType<typeof startRemoteFixture>>;

beforeAll(async () => {
  // A remote SSE server that takes 700 ms to open its stream holds sessions in "connecting".
  slowRemote = await startRemoteFixture({ FIXTURE_SSE_DELAY_MS: '700' });
  const nobodyListens = await closedPort();
  const entries: ServerEntry[] = [
    fixtureEntry('fixture'),
    { name: 'missing-command', transport: 'stdio', command: 'patchbay-no-such-command', args: [], env: {} },
    { name: 'slow-sse', transport: 'sse', url: `http://127.0.0.1:${slowRemote.port}/sse`, headers: {} },
    { name: 'refused', transport: 'sse', url: `http://127.0.0.1:${nobodyListens}/sse`, headers: {} },
    { name: 'refused-http', transport: 'streamable-http', url: `http://127.0.0.1:${nobodyListens}/mcp`, headers: {} },
    fixtureEntry('placeholders', { FIXTURE_NAME: '${PATCHBAY_TEST_UNSET_NAME:-from-default}' }),
    fixtureEntry('needs-input', { API_KEY: '${input:api-key}', TOKEN: '${PATCHBAY_TEST_UNSET_TOKEN}' }),
  ];
  proxy = await startTestProxy(entries, { session: { closingGraceMs: 300 } });
});

afterAll(async () => {
  await proxy?.close();
  await slowRemote?.stop();
});

afterEach(async () => {
  await expectNothingLeft(proxy, [slowRemote.child.pid!]);
});

const eventsOf = (sessionId: string): LifecycleEvent[] => proxy.events.filter((event) => event.sessionId === sessionId);
const closedEvent = (sessionId: string) => eventsOf(sessionId).find((event) => event.type === 'session-closed');
const firstSpawnAfter = async (seq: number): Promise<Extract<LifecycleEvent, { type: 'child-spawned' }>> => {
  let found: LifecycleEvent | undefined;
  await waitFor(() => (found = proxy.events.find((event) => event.seq > seq && event.type === 'child-spawned')) !== undefined, 'a child to spawn');
  return found as Extract<LifecycleEvent, { type: 'child-spawned' }>;
};
const lastSeq = () => proxy.events.at(-1)?.seq ?? 0;

describe('clients that give up', () => {
  it('a Streamable HTTP client aborting its initialize leaves no child', async () => {
    const before = lastSeq();
    const abort = new AbortController();
    const pending = fetch(`${proxy.url}/servers/fixture/mcp`, {
      method: 'POST',
      headers: streamableHeaders(proxy),
      body: JSON.stringify(initializeRequest()),
      signal: abort.signal,
    }).then((response) => response.body?.cancel(), () => undefined);
    const spawned = await firstSpawnAfter(before);
    abort.abort();
    await pending;
    await waitFor(() => closedEvent(spawned.sessionId) !== undefined, 'the session to close');
    expect(closedEvent(spawned.sessionId)).toMatchObject({ reason: 'client-aborted-connect' });
    await waitFor(() => !isAlive(spawned.pid), 'the child to exit');
  });

  it('an SSE client dropping its stream while connecting leaves no child', async () => {
    const before = lastSeq();
    const abort = new AbortController();
    const response = await fetch(`${proxy.url}/servers/fixture/sse`, { headers: { Authorization: `Bearer ${proxy.token}` }, signal: abort.signal });
    const spawned = await firstSpawnAfter(before);
    abort.abort();
    await response.body?.cancel().catch(() => undefined);
    await waitFor(() => closedEvent(spawned.sessionId) !== undefined, 'the session to close');
    expect(closedEvent(spawned.sessionId)).toMatchObject({ reason: 'client-disconnected' });
    await waitFor(() => !isAlive(spawned.pid), 'the child to exit');
  });

  it('40 clients aborting at random moments of their connect leave nothing behind', async () => {
    await Promise.all(
      Array.from({ length: 40 }, async (_, index) => {
        const abort = new AbortController();
        setTimeout(() => abort.abort(), (index * 37) % 400);
        const path = index % 2 ? '/servers/fixture/sse' : '/servers/fixture/mcp';
        const init: RequestInit =
          index % 2
            ? { headers: { Authorization: `Bearer ${proxy.token}` } }
            : { method: 'POST', headers: streamableHeaders(proxy), body: JSON.stringify(initializeRequest()) };
        try {
          const response = await fetch(`${proxy.url}${path}`, { ...init, signal: abort.signal });
          await response.text();
        } catch {
          // The abort is the point.
        }
      }),
    );
  });
});

describe('servers that die', () => {
  it('a child killed mid-call gives the caller a JSON-RPC error, and the next session works', async () => {
    const connection = await connectClient(proxy, 'fixture', 'streamable-http');
    const pid = Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} })));
    const call = connection.client.callTool({ name: 'slow', arguments: { steps: 100, stepMs: 100 } }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await waitFor(() => proxy.sessions.list().some((session) => session.pendingRequests > 0), 'the call to be in flight');
    process.kill(pid, 'SIGKILL');
    expect(await call).toMatch(/MCP error -32000: the server process of "fixture" ended: killed by SIGKILL/);
    await connection.close();

    const next = await connectClient(proxy, 'fixture', 'sse');
    expect(firstText(await next.client.callTool({ name: 'echo', arguments: { text: 'still here' } }))).toBe('echo: still here');
    await next.close();
  });

  it('a server that exits mid-call reports its exit code and last stderr line', async () => {
    const connection = await connectClient(proxy, 'fixture', 'sse');
    await expect(connection.client.callTool({ name: 'crash', arguments: { code: 3 } })).rejects.toThrow(
      /exited with code 3; last stderr: .*fixture crashing with code 3/,
    );
    await connection.close();
  });

  it('a server flooding stderr while its client disconnects crashes nothing and keeps a bounded buffer', async () => {
    const connection = await connectClient(proxy, 'fixture', 'streamable-http');
    void connection.client.callTool({ name: 'stderr-flood', arguments: { lines: 200_000 } }).catch(() => undefined);
    await waitFor(() => proxy.sessions.list().some((session) => session.stderr.size > 500), 'stderr to flow');
    const session = proxy.sessions.list()[0]!;
    await connection.close();
    expect(session.stderr.size).toBeLessThanOrEqual(1000);
  });

  it('ends the grandchildren a server started', async () => {
    const connection = await connectClient(proxy, 'fixture', 'streamable-http');
    const grandchild = Number(firstText(await connection.client.callTool({ name: 'grandchild', arguments: {} })));
    expect(isAlive(grandchild)).toBe(true);
    await connection.close();
    await waitFor(() => !isAlive(grandchild), 'the grandchild to be ended');
  });
});

describe('connecting', () => {
  it('holds Streamable HTTP messages that arrive while connecting and delivers them in order', async () => {
    const init = await fetch(`${proxy.url}/servers/slow-sse/mcp`, { method: 'POST', headers: streamableHeaders(proxy), body: JSON.stringify(initializeRequest(1)) });
    const sessionId = init.headers.get('mcp-session-id')!;
    expect(proxy.sessions.get(sessionId)?.state).toBe('connecting');
    const headers = streamableHeaders(proxy, sessionId);
    const initialized = await fetch(`${proxy.url}/servers/slow-sse/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    expect(initialized.status).toBe(202);
    const list = await fetch(`${proxy.url}/servers/slow-sse/mcp`, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(proxy.sessions.get(sessionId)?.state).toBe('connecting');

    const initEvents = await readSseEvents(init, (events) => events.length > 0);
    const listEvents = await readSseEvents(list, (events) => events.length > 0);
    expect(JSON.parse(initEvents[0]!.data)).toMatchObject({ id: 1, result: { serverInfo: { name: 'patchbay-fixture' } } });
    expect(JSON.parse(listEvents[0]!.data).result.tools.map((tool: { name: string }) => tool.name)).toContain('echo');
    // The server received them in the order they were sent (each was sent once the previous one was accepted).
    const received = await fetch(`${proxy.url}/servers/slow-sse/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'received', arguments: {} } }),
    });
    const [answer] = await readSseEvents(received, (events) => events.length > 0);
    expect(JSON.parse(firstText(JSON.parse(answer!.data).result))).toEqual(['initialize', 'notifications/initialized', 'tools/list', 'tools/call received']);
    await fetch(`${proxy.url}/servers/slow-sse/mcp`, { method: 'DELETE', headers });
  });

  it('holds SSE messages that arrive while connecting and delivers them in order', async () => {
    const stream = new SseReader(await fetch(`${proxy.url}/servers/slow-sse/sse`, { headers: { Authorization: `Bearer ${proxy.token}` } }));
    try {
      const [endpoint] = await stream.until((events) => events.length > 0);
      expect(endpoint!.event).toBe('endpoint');
      const post = (message: unknown) =>
        fetch(`${proxy.url}${endpoint!.data}`, { method: 'POST', headers: { Authorization: `Bearer ${proxy.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(message) });
      expect((await post(initializeRequest(1))).status).toBe(202);
      expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
      expect((await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).status).toBe(202);
      expect(proxy.sessions.list()[0]?.state).toBe('connecting');
      const events = await stream.until((received) => received.filter((event) => event.event === 'message').length >= 2);
      const answers = events.filter((event) => event.event === 'message').map((event) => JSON.parse(event.data));
      expect(answers.map((answer) => answer.id)).toEqual([1, 2]);
    } finally {
      await stream.close();
    }
  });

  it.each(['streamable-http', 'sse'] as const)('a command that does not exist fails the connect over %s with the reason', async (kind) => {
    await expect(connectClient(proxy, 'missing-command', kind)).rejects.toThrow(/spawn patchbay-no-such-command ENOENT: command "patchbay-no-such-command" was not found/);
  });

  it.each(['refused', 'refused-http'])('a remote server that refuses (%s) fails the connect with the reason', async (server) => {
    await expect(connectClient(proxy, server, 'streamable-http')).rejects.toThrow(/could not connect to "refused(-http)?".*ECONNREFUSED/);
  });
});

describe('placeholders', () => {
  it('are filled at connect time, defaults included', async () => {
    const connection = await connectClient(proxy, 'placeholders', 'streamable-http');
    expect(connection.client.getServerVersion()?.name).toBe('from-default');
    await connection.close();
  });

  it('that have no value fail the connect, naming each', async () => {
    const failure = await connectClient(proxy, 'needs-input', 'sse').then(
      () => 'connected',
      (error: Error) => error.message,
    );
    expect(failure).toContain('could not connect to "needs-input"');
    expect(failure).toContain('api-key');
    expect(failure).toContain('PATCHBAY_TEST_UNSET_TOKEN');
  });
});

describe('owners', () => {
  it('closing an owner (an app window) closes its sessions, spares the others, and refuses its late connects', async () => {
    const owned = (owner: string) => ({ Authorization: `Bearer ${proxy.token}`, 'X-Patchbay-Owner': owner });
    const mine = await Promise.all(
      ['streamable-http', 'sse'].map(async (kind) => {
        const transport =
          kind === 'sse'
            ? new SSEClientTransport(new URL(`${proxy.url}/servers/fixture/sse`), { requestInit: { headers: owned('window-one') } })
            : new StreamableHTTPClientTransport(new URL(`${proxy.url}/servers/fixture/mcp`), { requestInit: { headers: owned('window-one') } });
        const client = new Client({ name: 'owned', version: '0' });
        await client.connect(transport);
        return client;
      }),
    );
    const other = await connectClient(proxy, 'fixture', 'streamable-http');
    expect(proxy.sessions.list().filter((session) => session.owner === 'window-one')).toHaveLength(2);

    await proxy.sessions.closeOwnedBy('window-one', 'client-disconnected');
    expect(proxy.sessions.list().map((session) => session.owner)).toEqual([undefined]);
    expect(firstText(await other.client.callTool({ name: 'echo', arguments: { text: 'unaffected' } }))).toBe('echo: unaffected');

    const late = await fetch(`${proxy.url}/servers/fixture/mcp`, {
      method: 'POST',
      headers: { ...streamableHeaders(proxy), 'X-Patchbay-Owner': 'window-one' },
      body: JSON.stringify(initializeRequest()),
    });
    expect(late.status).toBe(409);
    await Promise.all(mine.map((client) => client.close()));
    await other.close();
  });
});

describe('churn', () => {
  it('200 connect/disconnect cycles leave no child and empty maps', async () => {
    for (let round = 0; round < 20; round += 1) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, index) => {
          const connection = await connectClient(proxy, 'fixture', (round + index) % 2 ? 'sse' : 'streamable-http');
          if (index % 3 === 0) await connection.client.callTool({ name: 'echo', arguments: { text: 'x' } });
          await connection.close();
        }),
      );
    }
    expect(proxy.events.filter((event) => event.type === 'session-closed').length).toBeGreaterThanOrEqual(200);
    // A behaviour test, not a timed one: on a loaded 2-core machine 200 cycles take a minute or more.
  }, 240_000);
});

describe('idle sessions and shutdown', () => {
  it('reaps an idle session after the configured time', async () => {
    // Long enough that a loaded machine still finishes the handshake first (the reaper counts from the last message).
    const idleProxy = await startTestProxy([fixtureEntry('fixture')], { idleTimeoutMs: 2_000 });
    try {
      const connection = await connectClient(idleProxy, 'fixture', 'streamable-http');
      await waitFor(() => idleProxy.events.some((event) => event.type === 'session-closed'), 'the idle session to be reaped');
      expect(idleProxy.events.find((event) => event.type === 'session-closed')).toMatchObject({ reason: 'idle-timeout' });
      await connection.client.close();
      await expectNothingLeft(idleProxy, [slowRemote.child.pid!]);
    } finally {
      await idleProxy.close();
    }
  });

  it('shutting down answers pending calls, closes every session and ends every child', async () => {
    const ownProxy = await startTestProxy([fixtureEntry('fixture')]);
    const connections = await Promise.all([connectClient(ownProxy, 'fixture', 'streamable-http'), connectClient(ownProxy, 'fixture', 'sse')]);
    const call = connections[0]!.client.callTool({ name: 'slow', arguments: { steps: 100, stepMs: 100 } }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await waitFor(() => ownProxy.sessions.list().some((session) => session.pendingRequests > 0), 'the call to be in flight');
    await ownProxy.close();
    expect(await call).toMatch(/Patchbay is shutting down/);
    expect(ownProxy.events.filter((event) => event.type === 'session-closed').every((event) => event.type === 'session-closed' && event.reason === 'shutdown')).toBe(true);
    await expectNothingLeft(ownProxy, [slowRemote.child.pid!]);
    await Promise.all(connections.map((connection) => connection.client.close()));
    await expect(fetch(`${ownProxy.url}/health`)).rejects.toThrow();
  });
});
