import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientTransportKind } from '../../src-shared/catalog';
import type { LifecycleEvent } from '../../src-shared/events';
import {
  connectClient,
  expectNothingLeft,
  firstText,
  fixtureEntry,
  initializeRequest,
  readSseEvents,
  SseReader,
  startRemoteFixture,
  startTestProxy,
  streamableHeaders,
  waitFor,
  type TestProxy,
} from './helpers';

// How sessions end when their client or their server stops playing along: every one ends, promptly, and says why.
const GRACE_MS = 20_000;
let proxy: TestProxy;
let legacyRemote: Awaited<ReturnType<typeof startRemoteFixture>>;
let slowLegacyRemote: Awaited<ReturnType<typeof startRemoteFixture>>;

beforeAll(async () => {
  // Servers of the older HTTP+SSE transport, refusing Streamable HTTP: one refuses slowly, one opens SSE slowly.
  [legacyRemote, slowLegacyRemote] = await Promise.all([
    startRemoteFixture({ FIXTURE_STREAMABLE_STATUS: '405', FIXTURE_STREAMABLE_DELAY_MS: '1500' }),
    startRemoteFixture({ FIXTURE_STREAMABLE_STATUS: '405', FIXTURE_SSE_DELAY_MS: '1500' }),
  ]);
  proxy = await startTestProxy(
    [
      fixtureEntry('fixture'),
      fixtureEntry('refuses-init', { FIXTURE_INITIALIZE_ERROR: 'this server needs a licence key' }),
      fixtureEntry('banner', { FIXTURE_STDOUT_BANNER: 'Banner Server v9 starting' }),
      { name: 'legacy-slow-refusal', transport: 'streamable-http', url: `http://127.0.0.1:${legacyRemote.port}/mcp`, headers: {} },
      { name: 'legacy-slow-sse', transport: 'streamable-http', url: `http://127.0.0.1:${slowLegacyRemote.port}/mcp`, headers: {} },
    ],
    // A long grace: a session that waits it out instead of ending once its client was told fails the tests below.
    { session: { closingGraceMs: GRACE_MS } },
  );
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([legacyRemote?.stop(), slowLegacyRemote?.stop()]);
});

afterEach(async () => {
  await expectNothingLeft(proxy, [legacyRemote.child.pid!, slowLegacyRemote.child.pid!]);
});

const closedEvent = (sessionId: string) =>
  proxy.events.find((event): event is Extract<LifecycleEvent, { type: 'session-closed' }> => event.type === 'session-closed' && event.sessionId === sessionId);
const sessionOf = (server: string) => proxy.sessions.list().find((session) => session.server === server);

/** Opens a Streamable HTTP session by hand and returns its id once initialized. */
async function rawStreamableSession(proxy: TestProxy, server: string): Promise<string> {
  const init = await fetch(`${proxy.url}/servers/${server}/mcp`, { method: 'POST', headers: streamableHeaders(proxy), body: JSON.stringify(initializeRequest()) });
  const sessionId = init.headers.get('mcp-session-id')!;
  await readSseEvents(init, (events) => events.length > 0);
  const initialized = await fetch(`${proxy.url}/servers/${server}/mcp`, {
    method: 'POST',
    headers: streamableHeaders(proxy, sessionId),
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  expect(initialized.status).toBe(202);
  return sessionId;
}

/** Runs a test against a proxy of its own, with other settings, and checks it leaves nothing behind. */
async function withOwnProxy(options: Parameters<typeof startTestProxy>[1], test: (own: TestProxy) => Promise<void>, entries = [fixtureEntry('fixture')]): Promise<void> {
  const own = await startTestProxy(entries, options);
  try {
    await test(own);
    await expectNothingLeft(own, [legacyRemote.child.pid!, slowLegacyRemote.child.pid!]);
  } finally {
    await own.close();
  }
}

describe('a client that is gone', () => {
  it('abandons a Streamable HTTP request whose response stream it closed, cancels it upstream, and lets the session be reaped', () =>
    withOwnProxy({ idleTimeoutMs: 4_000 }, async (proxy) => {
    const closedEvent = (sessionId: string) => proxy.events.find((event) => event.type === 'session-closed' && event.sessionId === sessionId);
    const sessionId = await rawStreamableSession(proxy, 'fixture');
    const abort = new AbortController();
    const call = fetch(`${proxy.url}/servers/fixture/mcp`, {
      method: 'POST',
      headers: streamableHeaders(proxy, sessionId),
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'slow', arguments: { steps: 1000, stepMs: 100 } } }),
      signal: abort.signal,
    }).catch(() => undefined);
    // The response's headers arrive at once; its stream stays open until the client aborts below.
    await waitFor(() => proxy.sessions.get(sessionId)?.pendingRequests === 1, 'the call to be in flight');
    abort.abort();
    await (await call)?.body?.cancel().catch(() => undefined);
    await waitFor(
      () => proxy.events.some((event) => event.type === 'message' && event.sessionId === sessionId && event.method === 'notifications/cancelled'),
      'the request to be cancelled upstream',
    );
    expect(proxy.sessions.get(sessionId)?.pendingRequests).toBe(0);
    // Nothing pending but an abandoned call: the idle reaper takes it, though the call would run for 100 s.
    await waitFor(() => closedEvent(sessionId) !== undefined, 'the idle session to be reaped', 30_000);
    expect(closedEvent(sessionId)).toMatchObject({ reason: 'idle-timeout' });
  }));

  it('answers a request older than the maximum age with an error that says so, and cancels it upstream', () =>
    withOwnProxy({ session: { maxRequestAgeMs: 2_000 } }, async (proxy) => {
    const connection = await connectClient(proxy, 'fixture', 'streamable-http');
    await expect(connection.client.callTool({ name: 'slow', arguments: { steps: 100, stepMs: 100 } })).rejects.toThrow(
      /"fixture" did not answer tools\/call within 2 s, the longest Patchbay waits for a request; it was cancelled/,
    );
    // The server heard the cancellation, and the session goes on.
    const received = JSON.parse(firstText(await connection.client.callTool({ name: 'received', arguments: {} }))) as string[];
    expect(received.slice(-3)).toEqual(['tools/call slow', 'notifications/cancelled', 'tools/call received']);
    await connection.close();
  }));
});

describe('a client that never answers the server', () => {
  // Found by the chaos soak (seed 475290972): a client that took an elicitation request on its call's stream and
  // went away without answering kept its session busy for ever, so the idle reaper never took it.
  it('answers the server with an error once its request is older than the maximum age, and lets the session be reaped', () =>
    withOwnProxy({ idleTimeoutMs: 1_000, session: { maxRequestAgeMs: 2_000 } }, async (proxy) => {
      const init = await fetch(`${proxy.url}/servers/fixture/mcp`, {
        method: 'POST',
        headers: streamableHeaders(proxy),
        body: JSON.stringify({ ...initializeRequest(), params: { protocolVersion: '2025-06-18', capabilities: { elicitation: {} }, clientInfo: { name: 'raw', version: '0' } } }),
      });
      const sessionId = init.headers.get('mcp-session-id')!;
      await readSseEvents(init, (events) => events.length > 0);
      await fetch(`${proxy.url}/servers/fixture/mcp`, { method: 'POST', headers: streamableHeaders(proxy, sessionId), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
      const abort = new AbortController();
      const call = await fetch(`${proxy.url}/servers/fixture/mcp`, {
        method: 'POST',
        headers: streamableHeaders(proxy, sessionId),
        body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'elicit', arguments: {} } }),
        signal: abort.signal,
      });
      const stream = new SseReader(call);
      const [asked] = await stream.until((events) => events.length > 0);
      expect(JSON.parse(asked!.data)).toMatchObject({ method: 'elicitation/create' });
      // The client goes away without a word, and without answering.
      abort.abort();
      await stream.close();
      const closedEvent = () => proxy.events.find((event) => event.type === 'session-closed' && event.sessionId === sessionId);
      await waitFor(() => closedEvent() !== undefined, 'the session to be reaped', 30_000);
      expect(closedEvent()).toMatchObject({ reason: 'idle-timeout' });
      expect(proxy.events).toContainEqual(
        expect.objectContaining({
          type: 'session-error',
          sessionId,
          message: 'Patchbay could not deliver elicitation/create to the client: the client did not answer within 2 s; answered the server with an error',
        }),
      );
    }));
});

describe('a server that does not initialize', () => {
  it('ends the session with the error a server answered initialize with', async () => {
    await expect(connectClient(proxy, 'refuses-init', 'streamable-http')).rejects.toThrow(/this server needs a licence key/);
    const sessionId = proxy.events.find((event) => event.type === 'session-connecting' && event.server === 'refuses-init')!.sessionId;
    await waitFor(() => closedEvent(sessionId) !== undefined, 'the session to close', GRACE_MS / 2);
    expect(closedEvent(sessionId)).toMatchObject({
      reason: 'upstream-failed',
      detail: expect.stringMatching(/^the server refused initialize: .*this server needs a licence key/),
    });
  });

  const silentServers = [
    fixtureEntry('silent', { FIXTURE_NEVER_INITIALIZE: '1' }),
    fixtureEntry('banner-silent', { FIXTURE_NEVER_INITIALIZE: '1', FIXTURE_STDOUT_BANNER: 'Banner Server v9 starting' }),
  ];

  it('ends a stdio session whose server does not answer initialize in time, with its last stderr lines', () =>
    withOwnProxy(
      { session: { initializeTimeoutMs: 5_000 } },
      async (own) => {
        await expect(connectClient(own, 'silent', 'streamable-http')).rejects.toThrow(
          /could not connect to "silent": the server did not answer initialize within 5 s; last stderr: .*fixture is not going to answer/,
        );
      },
      silentServers,
    ));

  it('says what a server that answers nothing wrote to stdout instead', () =>
    withOwnProxy(
      { session: { initializeTimeoutMs: 5_000 } },
      async (own) => {
        await expect(connectClient(own, 'banner-silent', 'sse')).rejects.toThrow(
          /the server did not answer initialize within 5 s; the server wrote non-JSON to stdout: Banner Server v9 starting; last stderr: /,
        );
      },
      silentServers,
    ));
});

describe('stdout that is not JSON-RPC', () => {
  it('is shown at once, marked as stdout, in the events and the console', async () => {
    const connection = await connectClient(proxy, 'banner', 'streamable-http');
    const session = sessionOf('banner')!;
    expect(proxy.events).toContainEqual(expect.objectContaining({ type: 'stderr', sessionId: session.id, stream: 'stdout', line: 'Banner Server v9 starting' }));
    expect(session.stderr.toArray()).toContain('[stdout] Banner Server v9 starting');
    const console = (await (await fetch(`${proxy.url}/api/sessions/${session.id}/stderr`, { headers: { Authorization: `Bearer ${proxy.token}` } })).json()) as { lines: string[] };
    expect(console.lines).toContain('[stdout] Banner Server v9 starting');
    expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'fine' } }))).toBe('echo: fine');
    await connection.close();
  });
});

describe('the close grace', () => {
  it.each(['streamable-http', 'sse'] as const)('ends as soon as the caller of a call cut short by a dying child was told why (%s)', async (kind: ClientTransportKind) => {
    const connection = await connectClient(proxy, 'fixture', kind);
    const sessionId = sessionOf('fixture')!.id;
    await expect(connection.client.callTool({ name: 'crash', arguments: { code: 3 } })).rejects.toThrow(/exited with code 3/);
    await waitFor(() => closedEvent(sessionId) !== undefined, 'the session to close before its grace ends', GRACE_MS / 2);
    await connection.close();
  });

  it.each(['streamable-http', 'sse'] as const)('ends as soon as an idle client heard on its event stream that its child died (%s)', async (kind: ClientTransportKind) => {
    const notices: string[] = [];
    const connection = await connectClient(proxy, 'fixture', kind, {
      prepare: (client) => (client.fallbackNotificationHandler = async (notification) => void notices.push(JSON.stringify(notification.params))),
    });
    const session = sessionOf('fixture')!;
    // The Streamable HTTP client opens its standalone stream on its own once initialized.
    await waitFor(() => kind === 'sse' || (session as unknown as { clientStreams: { hasEventStream: boolean } }).clientStreams.hasEventStream, 'the standalone stream to open');
    process.kill(Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} }))), 'SIGKILL');
    await waitFor(() => closedEvent(session.id) !== undefined, 'the session to close before its grace ends', GRACE_MS / 2);
    expect(notices.join()).toMatch(/the server process of \\"fixture\\" ended: killed by SIGKILL/);
    await connection.close();
  });
});

describe('after close began', () => {
  it('a late answer to a request already answered with the reason is not sent again', async () => {
    const stream = new SseReader(await fetch(`${proxy.url}/servers/fixture/sse`, { headers: { Authorization: `Bearer ${proxy.token}` } }));
    try {
      const [endpoint] = await stream.until((events) => events.length > 0);
      const post = (message: unknown) =>
        fetch(`${proxy.url}${endpoint!.data}`, { method: 'POST', headers: { Authorization: `Bearer ${proxy.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(message) });
      await post(initializeRequest(1));
      await stream.until((events) => events.some((event) => event.event === 'message'));
      await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
      // The server answers this call only when it is told to end, which is what closing the session does.
      await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'answer-on-term', arguments: {} } });
      const session = sessionOf('fixture')!;
      await stream.until((events) => events.some((event) => event.data.includes('waiting for SIGTERM')));
      await session.close('client-deleted');
      const events = await stream.until(() => false, 5_000).catch(() => stream.events);
      const answers = events.filter((event) => event.event === 'message').map((event) => JSON.parse(event.data) as { id?: unknown; error?: { message: string }; result?: unknown });
      const toTheCall = answers.filter((answer) => answer.id === 2);
      expect(toTheCall).toHaveLength(1);
      expect(toTheCall[0]!.error?.message).toMatch(/the client ended its session with "fixture"/);
    } finally {
      await stream.close();
    }
  });
});

describe('the HTTP+SSE fallback', () => {
  const remoteCounts = async (port: number) =>
    (await (await fetch(`http://127.0.0.1:${port}/counts`)).json()) as { sseOpen: number; sseTotal: number; refusing: number; refused: number };

  it('leaves no upstream behind when the session is deleted while Streamable HTTP is being refused (its status read, its body not yet)', async () => {
    const init = await fetch(`${proxy.url}/servers/legacy-slow-refusal/mcp`, { method: 'POST', headers: streamableHeaders(proxy), body: JSON.stringify(initializeRequest()) });
    const sessionId = init.headers.get('mcp-session-id')!;
    await waitFor(async () => (await remoteCounts(legacyRemote.port)).refusing === 1, 'the remote to have sent the status of its refusal');
    const deleted = await fetch(`${proxy.url}/servers/legacy-slow-refusal/mcp`, { method: 'DELETE', headers: streamableHeaders(proxy, sessionId) });
    expect(deleted.status).toBe(200);
    await init.body?.cancel();
    await waitFor(async () => (await remoteCounts(legacyRemote.port)).refused === 1, 'the remote to have refused');
    // Were the fallback to go on regardless, it would open its SSE stream at once.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await remoteCounts(legacyRemote.port)).toMatchObject({ sseOpen: 0, sseTotal: 0 });
  });

  it('leaves no upstream behind when the session is deleted while the SSE stream is opening', async () => {
    const init = await fetch(`${proxy.url}/servers/legacy-slow-sse/mcp`, { method: 'POST', headers: streamableHeaders(proxy), body: JSON.stringify(initializeRequest()) });
    const sessionId = init.headers.get('mcp-session-id')!;
    await waitFor(async () => (await remoteCounts(slowLegacyRemote.port)).sseOpen === 1, 'the fallback to be opening its SSE stream');
    const deleted = await fetch(`${proxy.url}/servers/legacy-slow-sse/mcp`, { method: 'DELETE', headers: streamableHeaders(proxy, sessionId) });
    expect(deleted.status).toBe(200);
    await init.body?.cancel();
    await waitFor(async () => (await remoteCounts(slowLegacyRemote.port)).sseOpen === 0, 'the SSE stream to be closed');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await remoteCounts(slowLegacyRemote.port)).toMatchObject({ sseOpen: 0 });
  });
});
