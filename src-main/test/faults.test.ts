import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProgressNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ClientTransportKind } from '../../src-shared/catalog';
import type { LifecycleEvent } from '../../src-shared/events';
import type { FaultPlanInput } from '../../src-shared/faults';
import {
  connectClient,
  expectNothingLeft,
  firstText,
  fixtureEntry,
  initializeRequest,
  rawRequest,
  readSseEvents,
  startRemoteFixture,
  startTestProxy,
  streamableHeaders,
  waitFor,
  type TestClient,
  type TestProxy,
} from './helpers';

// Each fault, seen from a real SDK client through the proxy, does what it says and nothing else.
const CLIENTS: ClientTransportKind[] = ['streamable-http', 'sse'];

let proxy: TestProxy;
let remote: Awaited<ReturnType<typeof startRemoteFixture>>;
const open: TestClient[] = [];

beforeAll(async () => {
  remote = await startRemoteFixture();
  proxy = await startTestProxy([
    fixtureEntry('stdio'),
    fixtureEntry('plain'),
    { name: 'remote', transport: 'streamable-http', url: `http://127.0.0.1:${remote.port}/mcp`, headers: {} },
  ]);
});

afterEach(async () => {
  for (const connection of open.splice(0)) await connection.close().catch(() => undefined);
  proxy.faults.clearAll();
});

afterAll(async () => {
  await proxy?.close();
  await remote?.stop();
});

async function connect(server: string, kind: ClientTransportKind, onError?: (error: Error) => void): Promise<TestClient> {
  const connection = await connectClient(proxy, server, kind);
  if (onError) connection.client.onerror = onError;
  open.push(connection);
  return connection;
}

function setPlan(server: string, plan: FaultPlanInput): void {
  proxy.faults.set(server, plan);
}

function faultEvents(kind: string): Array<Extract<LifecycleEvent, { type: 'fault-injected' }>> {
  return proxy.events.filter((event): event is Extract<LifecycleEvent, { type: 'fault-injected' }> => event.type === 'fault-injected' && event.kind === kind);
}

function messagesOf(sessionId: string | undefined): Array<Extract<LifecycleEvent, { type: 'message' }>> {
  return proxy.events.filter((event): event is Extract<LifecycleEvent, { type: 'message' }> => event.type === 'message' && event.sessionId === sessionId);
}

function sessionIdOf(connection: TestClient): string | undefined {
  const transport = connection.transport as { sessionId?: string; _endpoint?: URL };
  return transport.sessionId ?? transport._endpoint?.searchParams.get('sessionId') ?? undefined;
}

async function received(connection: TestClient): Promise<string[]> {
  return JSON.parse(firstText(await connection.client.callTool({ name: 'received', arguments: {} }))) as string[];
}

describe.each(CLIENTS)('client over %s', (kind) => {
  it('drop: 100 % of tools/call responses never arrive, so the call times out; other methods still work', async () => {
    const connection = await connect('stdio', kind);
    setPlan('stdio', { faults: [{ kind: 'drop', direction: 'server-to-client', methods: ['tools/call'] }] });
    await expect(connection.client.callTool({ name: 'echo', arguments: { text: 'lost' } }, undefined, { timeout: 1_500 })).rejects.toThrow(/timed out/i);
    expect((await connection.client.listTools()).tools.some((tool) => tool.name === 'echo')).toBe(true);
    await connection.client.ping();
    const sessionId = sessionIdOf(connection);
    const dropped = messagesOf(sessionId).filter((event) => event.injected === 'drop');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toMatchObject({ direction: 'server-to-client', kind: 'response' });
    expect(faultEvents('drop').filter((event) => event.sessionId === sessionId)).toHaveLength(1);
    // Nothing but the one response was touched.
    expect(messagesOf(sessionId).filter((event) => event.injected !== undefined)).toHaveLength(1);
  });

  it('drop client to server: the server never receives the request', async () => {
    const connection = await connect('stdio', kind);
    setPlan('stdio', { faults: [{ kind: 'drop', direction: 'client-to-server', methods: ['resources/list'] }] });
    await expect(connection.client.listResources(undefined, { timeout: 1_000 })).rejects.toThrow(/timed out/i);
    proxy.faults.clear('stdio');
    expect(await received(connection)).not.toContain('resources/list');
  });

  it('duplicate: the client gets the response twice, the SDK ignores the copy, and the timeline shows it', async () => {
    const errors: Error[] = [];
    const connection = await connect('stdio', kind, (error) => errors.push(error));
    setPlan('stdio', { faults: [{ kind: 'duplicate', methods: ['tools/call'] }] });
    const result = await connection.client.callTool({ name: 'echo', arguments: { text: 'twice' } });
    expect(firstText(result)).toBe('echo: twice');
    await waitFor(() => errors.some((error) => /unknown message ID/i.test(error.message)), 'the SDK to report the second copy');
    proxy.faults.clear('stdio');
    expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'once' } }))).toBe('echo: once');
    const responses = messagesOf(sessionIdOf(connection)).filter((event) => event.kind === 'response' && event.direction === 'server-to-client' && (event.body as { result?: unknown })?.result !== undefined);
    const copies = responses.filter((event) => event.injected === 'duplicate');
    expect(copies).toHaveLength(1);
    expect(responses.filter((event) => event.id === copies[0]!.id)).toHaveLength(2);
  });

  it('corrupt: the client is sent invalid JSON in place of the response, and its call gets no answer', async () => {
    const errors: Error[] = [];
    const connection = await connect('stdio', kind, (error) => errors.push(error));
    setPlan('stdio', { faults: [{ kind: 'corrupt', methods: ['tools/call'] }] });
    await expect(connection.client.callTool({ name: 'echo', arguments: { text: 'garbled' } }, undefined, { timeout: 1_500 })).rejects.toThrow(/timed out/i);
    expect(errors.some((error) => /JSON/i.test(error.message))).toBe(true);
    proxy.faults.clear('stdio');
    expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'clean' } }))).toBe('echo: clean');
    expect(faultEvents('corrupt').filter((event) => event.sessionId === sessionIdOf(connection))).toHaveLength(1);
  });

  it('error: a matching request is answered with the chosen error and never reaches the server', async () => {
    const connection = await connect('stdio', kind);
    setPlan('stdio', { faults: [{ kind: 'error', methods: ['prompts/list'], code: -32050, message: 'prompts are down', data: { why: 'test' } }] });
    await expect(connection.client.listPrompts()).rejects.toThrow(/prompts are down/);
    const tools = await connection.client.listTools();
    expect(tools.tools.length).toBeGreaterThan(0);
    proxy.faults.clear('stdio');
    const seen = await received(connection);
    expect(seen).toContain('tools/list');
    expect(seen).not.toContain('prompts/list');
    const marked = messagesOf(sessionIdOf(connection)).filter((event) => event.injected === 'error');
    // The request is marked as never sent on; the answer as the proxy's own.
    expect(marked.map((event) => event.direction)).toEqual(['client-to-server', 'server-to-client']);
    const answer = marked[1];
    expect(answer).toMatchObject({ direction: 'server-to-client', kind: 'response', isError: true, body: { error: { code: -32050, message: 'prompts are down', data: { why: 'test' } } } });
  });

  it('kill on the 2nd call: the first is answered, the second fails with the child\'s exit and the session closes saying why', async () => {
    const connection = await connect('stdio', kind);
    setPlan('stdio', { faults: [{ kind: 'kill', methods: ['tools/call'], onCall: 2, afterMs: 50 }] });
    expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'first' } }))).toBe('echo: first');
    const second = connection.client.callTool({ name: 'slow', arguments: { steps: 50, stepMs: 100 } }, undefined, { timeout: 20_000 });
    await expect(second).rejects.toThrow(/SIGKILL/);
    const sessionId = sessionIdOf(connection);
    await waitFor(() => proxy.events.some((event) => event.type === 'session-closed' && event.sessionId === sessionId), 'the session to close');
    const closed = proxy.events.find((event) => event.type === 'session-closed' && event.sessionId === sessionId) as Extract<LifecycleEvent, { type: 'session-closed' }>;
    expect(closed).toMatchObject({ reason: 'child-exited', signal: 'SIGKILL' });
    expect(closed.detail).toMatch(/injected: kill/);
    expect(faultEvents('kill').filter((event) => event.sessionId === sessionId)).toHaveLength(1);
    open.splice(open.indexOf(connection), 1);
    await connection.client.close();
  });

  it('delay client to server: the request waits, later messages keep their order behind it', async () => {
    const connection = await connect('stdio', kind);
    setPlan('stdio', { faults: [{ kind: 'delay', direction: 'client-to-server', ms: 400, methods: ['tools/call'] }] });
    const sessionId = sessionIdOf(connection);
    const call = connection.client.callTool({ name: 'echo', arguments: { text: 'late' } });
    const list = connection.client.listPrompts();
    expect(firstText(await call)).toBe('echo: late');
    await list;
    const held = faultEvents('delay').filter((event) => event.sessionId === sessionId);
    expect(held).toHaveLength(1);
    expect(held[0]!.detail).toMatch(/400 ms/);
    proxy.faults.clear('stdio');
    const seen = await received(connection);
    // The un-delayed prompts/list did not overtake the held call.
    expect(seen.indexOf('tools/call echo late')).toBeLessThan(seen.indexOf('prompts/list'));
    const sent = messagesOf(sessionId).find((event) => event.direction === 'client-to-server' && event.method === 'tools/call');
    const answered = messagesOf(sessionId).find((event) => event.direction === 'server-to-client' && event.id === sent?.id);
    // Lower bound only: the answer cannot come before the hold ends.
    expect(answered!.at - sent!.at).toBeGreaterThanOrEqual(390);
  });

  it('stall: the server\'s output is not read for the stall, then arrives whole and in order', async () => {
    const connection = await connect('stdio', kind);
    const sessionId = sessionIdOf(connection);
    const progress: number[] = [];
    connection.client.setNotificationHandler(ProgressNotificationSchema, (notification) => void progress.push(notification.params.progress));
    setPlan('stdio', { faults: [{ kind: 'stall', ms: 600, methods: ['tools/call'] }] });
    const result = await connection.client.callTool({ name: 'slow', arguments: { steps: 5, stepMs: 10 } }, undefined, { onprogress: () => undefined, timeout: 20_000 });
    expect(firstText(result)).toBe('done after 5 steps');
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    const stall = faultEvents('stall').find((event) => event.sessionId === sessionId)!;
    expect(stall.detail).toMatch(/600 ms/);
    const fromServer = messagesOf(sessionId).filter((event) => event.direction === 'server-to-client' && event.seq > stall.seq);
    expect(fromServer.length).toBeGreaterThanOrEqual(6);
    // Lower bound only: nothing was read from the server before the stall ended.
    expect(fromServer[0]!.at - stall.at).toBeGreaterThanOrEqual(590);
  });
});

describe('close-stream', () => {
  it('Streamable HTTP: the request stream is cut mid-response; the call gets no answer, the session goes on', async () => {
    const errors: Error[] = [];
    const connection = await connect('stdio', 'streamable-http', (error) => errors.push(error));
    setPlan('stdio', { faults: [{ kind: 'close-stream', methods: ['tools/call'] }] });
    await expect(connection.client.callTool({ name: 'echo', arguments: { text: 'cut' } }, undefined, { timeout: 2_000 })).rejects.toThrow();
    proxy.faults.clear('stdio');
    expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'whole' } }))).toBe('echo: whole');
    const sessionId = sessionIdOf(connection);
    expect(faultEvents('close-stream').filter((event) => event.sessionId === sessionId)).toHaveLength(1);
    expect(messagesOf(sessionId).filter((event) => event.injected === 'close-stream')).toHaveLength(1);
  });

  it('HTTP+SSE: the one event stream is cut, which ends the session', async () => {
    const connection = await connect('stdio', 'sse', () => undefined);
    const sessionId = sessionIdOf(connection);
    setPlan('stdio', { faults: [{ kind: 'close-stream', methods: ['tools/call'] }] });
    await expect(connection.client.callTool({ name: 'echo', arguments: { text: 'cut' } }, undefined, { timeout: 2_000 })).rejects.toThrow();
    await waitFor(() => proxy.events.some((event) => event.type === 'session-closed' && event.sessionId === sessionId), 'the session to close');
    expect(proxy.events.find((event) => event.type === 'session-closed' && event.sessionId === sessionId)).toMatchObject({ reason: 'client-disconnected' });
  });
});

describe('plans', () => {
  it('replays: the same seed makes the same choices, session after session', async () => {
    const pattern = async (): Promise<string> => {
      const connection = await connect('stdio', 'streamable-http');
      setPlan('stdio', { seed: 1234, faults: [{ kind: 'error', methods: ['tools/call'], probability: 0.5, message: 'coin says no' }] });
      let marks = '';
      for (let index = 0; index < 16; index += 1) {
        marks += await connection.client.callTool({ name: 'echo', arguments: { text: 'x' } }).then(
          () => 'o',
          () => 'x',
        );
      }
      await connection.close();
      open.splice(open.indexOf(connection), 1);
      return marks;
    };
    const first = await pattern();
    expect(first).toMatch(/o/);
    expect(first).toMatch(/x/);
    expect(await pattern()).toBe(first);
  });

  it('a plan whose faults are all off injects nothing; the relay sends the same bytes as with no plan', async () => {
    const answerBytes = async (server: string): Promise<string[]> => {
      const init = await fetch(`${proxy.url}/servers/${server}/mcp`, { method: 'POST', headers: streamableHeaders(proxy), body: JSON.stringify(initializeRequest()) });
      const sessionId = init.headers.get('mcp-session-id')!;
      await readSseEvents(init, (events) => events.length >= 1);
      const post = (body: unknown): Promise<Response> => fetch(`${proxy.url}/servers/${server}/mcp`, { method: 'POST', headers: streamableHeaders(proxy, sessionId), body: JSON.stringify(body) });
      await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).text();
      const datas: string[] = [];
      for (const [id, body] of [
        [2, { name: 'echo', arguments: { text: 'same bytes ✓' } }],
        [3, { name: 'slow', arguments: { steps: 3, stepMs: 1 }, _meta: { progressToken: 7 } }],
      ] as const) {
        const events = await readSseEvents(await post({ jsonrpc: '2.0', id, method: 'tools/call', params: body }), (list) => list.some((event) => event.data.includes(`"id":${id}`)));
        datas.push(...events.map((event) => event.data));
      }
      await fetch(`${proxy.url}/servers/${server}/mcp`, { method: 'DELETE', headers: streamableHeaders(proxy, sessionId) });
      return datas;
    };
    const before = proxy.events.length;
    const transparent = await answerBytes('plain');
    setPlan('stdio', { faults: [{ kind: 'drop', enabled: false }, { kind: 'corrupt', enabled: false }, { kind: 'delay', ms: 500, enabled: false }] });
    expect(await answerBytes('stdio')).toEqual(transparent);
    setPlan('stdio', { faults: [{ kind: 'drop' }] });
    proxy.faults.clear('stdio');
    expect(await answerBytes('stdio')).toEqual(transparent);
    expect(proxy.events.slice(before).some((event) => event.type === 'fault-injected' || (event.type === 'message' && event.injected !== undefined))).toBe(false);
  });

  it('the control API reads, sets and clears a plan behind the token, and says what is wrong with a bad one', async () => {
    const put = (server: string, body: string) => rawRequest(proxy, `/api/servers/${server}/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body });
    expect((await rawRequest(proxy, '/api/servers/stdio/faults')).json()).toEqual({ server: 'stdio', plan: null });
    const set = await put('stdio', JSON.stringify({ faults: [{ kind: 'delay', ms: 20 }] }));
    expect(set.status).toBe(200);
    const plan = (set.json() as { plan: { seed: number; faults: unknown[] } }).plan;
    expect(plan.seed).toEqual(expect.any(Number));
    expect(plan.faults).toEqual([{ kind: 'delay', enabled: true, direction: 'both', ms: 20, jitterMs: 0 }]);
    expect((await rawRequest(proxy, '/api/faults')).json()).toEqual({ plans: { stdio: plan } });
    expect(proxy.events.some((event) => event.type === 'faults-changed' && event.server === 'stdio' && event.plan?.seed === plan.seed)).toBe(true);

    const bad = await put('stdio', JSON.stringify({ faults: [{ kind: 'drop', probability: 1.5 }] }));
    expect(bad.status).toBe(400);
    expect((bad.json() as { error: { message: string } }).error.message).toBe('Bad Request: invalid fault plan: faults[0].probability: must be a share from 0 to 1 (0.25 is 25 %)');
    const unknownKind = await put('stdio', JSON.stringify({ faults: [{ kind: 'explode' }] }));
    expect((unknownKind.json() as { error: { message: string } }).error.message).toMatch(/faults\[0\]\.kind: kind must be one of delay, drop/);
    const typo = await put('stdio', JSON.stringify({ faults: [{ kind: 'delay', ms: 5, jiter: 3 }] }));
    expect((typo.json() as { error: { message: string } }).error.message).toMatch(/jiter/);
    const killRemote = await put('remote', JSON.stringify({ faults: [{ kind: 'kill' }] }));
    expect(killRemote.status).toBe(400);
    expect((killRemote.json() as { error: { message: string } }).error.message).toMatch(/remote server/);
    expect((await put('nope', '{"faults":[]}')).status).toBe(404);
    expect((await rawRequest(proxy, '/api/servers/stdio/faults', { method: 'PUT', body: 'not json', headers: { 'Content-Type': 'text/plain' } })).status).toBe(400);
    expect((await rawRequest(proxy, '/api/servers/stdio/faults', { token: null })).status).toBe(401);
    // The plan set before the bad ones still holds.
    expect((await rawRequest(proxy, '/api/servers/stdio/faults')).json()).toEqual({ server: 'stdio', plan });

    expect((await rawRequest(proxy, '/api/servers/stdio/faults', { method: 'DELETE' })).json()).toEqual({ server: 'stdio', cleared: true });
    expect((await rawRequest(proxy, '/api/servers/stdio/faults')).json()).toEqual({ server: 'stdio', plan: null });
  });

  it('faults on a remote upstream: a drop and an error apply there too', async () => {
    const connection = await connect('remote', 'streamable-http');
    setPlan('remote', { faults: [{ kind: 'drop', methods: ['tools/call'] }, { kind: 'error', methods: ['prompts/list'], message: 'no prompts today' }] });
    await expect(connection.client.callTool({ name: 'echo', arguments: { text: 'x' } }, undefined, { timeout: 1_500 })).rejects.toThrow(/timed out/i);
    await expect(connection.client.listPrompts()).rejects.toThrow(/no prompts today/);
    expect((await connection.client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('leaves nothing behind', async () => {
    for (const connection of open.splice(0)) await connection.close();
    await expectNothingLeft(proxy, [remote.child.pid!]);
  });
});
