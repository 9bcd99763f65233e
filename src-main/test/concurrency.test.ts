import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientTransportKind } from '../../src-shared/catalog';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { connectClient, expectNothingLeft, firstText, fixtureEntry, startTestProxy, type TestClient, type TestProxy } from './helpers';

// The failure this project exists to fix: many STDIO sessions arriving at the same instant.
let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy([fixtureEntry('fixture')]);
});

afterAll(async () => {
  await proxy?.close();
});

/** The proxy session a connected client talks to. */
function sessionIdOf(connection: TestClient): string | undefined {
  if (connection.transport instanceof SSEClientTransport) {
    // The SSE transport knows its session only through the endpoint it was given.
    return (connection.transport as unknown as { _endpoint?: URL })._endpoint?.searchParams.get('sessionId') ?? undefined;
  }
  return connection.transport.sessionId;
}

describe('a connect storm', () => {
  it('opens 50 Streamable HTTP and 50 SSE sessions at the same instant; each gets its own answer', async () => {
    const kinds: ClientTransportKind[] = [...Array<ClientTransportKind>(50).fill('streamable-http'), ...Array<ClientTransportKind>(50).fill('sse')];
    const outcomes = await Promise.allSettled(
      kinds.map(async (kind, index) => {
        const connection = await connectClient(proxy, 'fixture', kind);
        try {
          const echoed = firstText(await connection.client.callTool({ name: 'echo', arguments: { text: `session ${index}` } }));
          const pid = Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} })));
          return { echoed, pid, connection };
        } catch (error) {
          await connection.close();
          throw error;
        }
      }),
    );
    const failures = outcomes.flatMap((outcome, index) => (outcome.status === 'rejected' ? [`${index}: ${String(outcome.reason)}`] : []));
    expect(failures).toEqual([]);

    const results = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<{ echoed: string; pid: number; connection: TestClient }>).value);
    results.forEach((result, index) => expect(result.echoed).toBe(`echo: session ${index}`));
    // One child per session: 100 distinct server processes answered.
    expect(new Set(results.map((result) => result.pid)).size).toBe(100);
    expect(proxy.sessions.size).toBe(100);
    expect(proxy.sessions.list().every((session) => session.state === 'ready')).toBe(true);

    await Promise.all(results.map((result) => result.connection.close()));
    await expectNothingLeft(proxy);
  });

  it('keeps interleaved calls of concurrent sessions apart and in order', async () => {
    const connections = await Promise.all(Array.from({ length: 10 }, (_, index) => connectClient(proxy, 'fixture', index % 2 ? 'sse' : 'streamable-http')));
    try {
      const answers = await Promise.all(
        connections.map((connection, session) =>
          Promise.all(Array.from({ length: 20 }, (_, call) => connection.client.callTool({ name: 'echo', arguments: { text: `${session}:${call}` } }))),
        ),
      );
      answers.forEach((calls, session) => calls.forEach((answer, call) => expect(firstText(answer)).toBe(`echo: ${session}:${call}`)));
      // Per session, the server received every call, in the order the proxy took them from the client. (Concurrent
      // calls are concurrent HTTP requests, so the order they reach the proxy in is the network's, not the client's.)
      for (const [index, connection] of connections.entries()) {
        const received = JSON.parse(firstText(await connection.client.callTool({ name: 'received', arguments: {} }))) as string[];
        const echoes = received.filter((call) => call.startsWith('tools/call echo ')).map((call) => call.slice('tools/call echo '.length));
        const session = proxy.sessions.list().find((candidate) => candidate.id === sessionIdOf(connection))!;
        const tookFromClient = proxy.events.flatMap((event) =>
          event.type === 'message' && event.sessionId === session.id && event.direction === 'client-to-server' && event.method === 'tools/call'
            ? [(event.body as { params: { arguments: { text?: string } } }).params.arguments.text]
            : [],
        );
        expect(echoes).toHaveLength(20);
        expect(new Set(echoes)).toEqual(new Set(Array.from({ length: 20 }, (_, call) => `${index}:${call}`)));
        expect(echoes).toEqual(tookFromClient.filter((text) => text !== undefined));
      }
    } finally {
      await Promise.all(connections.map((connection) => connection.close()));
    }
    await expectNothingLeft(proxy);
  });
});
