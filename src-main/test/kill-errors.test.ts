import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src-shared/events';
import type { SignalProcess } from '../services/proxy/kill-process-tree';
import { connectClient, expectNothingLeft, firstText, fixtureEntry, startTestProxy, waitFor, type TestProxy } from './helpers';

// A process tree the proxy may not signal, as one owned by another user: every kill fails with EPERM.
const signalled: Array<{ pid: number; signal: NodeJS.Signals }> = [];
const refuseEveryKill: SignalProcess = (pid, signal) => {
  signalled.push({ pid, signal });
  throw Object.assign(new Error('kill EPERM'), { code: 'EPERM', errno: -1, syscall: 'kill' });
};

let proxy: TestProxy;

beforeAll(async () => {
  proxy = await startTestProxy([fixtureEntry('fixture')], { session: { closingGraceMs: 300, killGraceMs: 300, signalProcess: refuseEveryKill } });
});

afterAll(async () => {
  await proxy?.close();
});

afterEach(async () => {
  // The proxy could not end these children, so the test does.
  for (const { pid } of signalled.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await expectNothingLeft(proxy);
});

const errorsOf = (sessionId: string): string[] =>
  proxy.events.flatMap((event) => (event.sessionId === sessionId && event.type === 'session-error' ? [event.message] : []));
const closedEvent = (sessionId: string): LifecycleEvent | undefined =>
  proxy.events.find((event) => event.sessionId === sessionId && event.type === 'session-closed');

describe('a process tree that cannot be signalled (EPERM)', () => {
  it('when the child exits on its own, the failed clean-up kill is reported as a session event, not thrown', async () => {
    const connection = await connectClient(proxy, 'fixture', 'streamable-http');
    const sessionId = (connection.transport as StreamableHTTPClientTransport).sessionId!;
    const pid = Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} })));
    await expect(connection.client.callTool({ name: 'crash', arguments: { code: 3 } })).rejects.toThrow(/exited with code 3/);
    await waitFor(() => closedEvent(sessionId) !== undefined, 'the session to close');
    await waitFor(() => errorsOf(sessionId).length > 0, 'the failed kill to be reported');
    expect(errorsOf(sessionId)).toContain(`could not send SIGKILL to the server's process tree (pid ${pid}): kill EPERM`);
    expect(closedEvent(sessionId)).toMatchObject({ reason: 'child-exited', exitCode: 3 });
    await connection.client.close();
  });

  it('when the session ends, SIGTERM and SIGKILL failures are reported and the session still closes', async () => {
    const connection = await connectClient(proxy, 'fixture', 'sse');
    const pid = Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} })));
    const session = proxy.sessions.list()[0]!;
    await session.close('client-deleted');
    expect(closedEvent(session.id)).toMatchObject({ reason: 'client-deleted' });
    expect(errorsOf(session.id)).toEqual([
      `could not send SIGTERM to the server's process tree (pid ${pid}): kill EPERM`,
      `could not send SIGKILL to the server's process tree (pid ${pid}): kill EPERM`,
    ]);
    expect(signalled.map((call) => call.signal)).toContain('SIGTERM');
    await connection.client.close();
  });
});
