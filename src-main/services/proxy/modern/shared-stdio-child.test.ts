import { afterEach, describe, expect, it } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isAlive } from '../../../test/processes';
import type { SharedStdioChild } from './shared-stdio-child';
import { call, callTool, finalResponse, fixtureEntry, listen, observedChild, textOf, type Call, type ObservedChild } from './shared-stdio-child.testkit';

const open: ObservedChild[] = [];

afterEach(async () => {
  for (const observed of open.splice(0)) await observed.child.close();
});

function start(options: Parameters<typeof observedChild>[1] = {}, env: Record<string, string> = {}): ObservedChild {
  const observed = observedChild(fixtureEntry('modern-fixture', env), options);
  open.push(observed);
  return observed;
}

type Message = JSONRPCMessage & { id?: unknown; method?: string; params?: Record<string, unknown> };

/** The pid a running child has, once it runs. */
async function runningPid(observed: ObservedChild, notPid?: number): Promise<number> {
  const started = await observed.nextEvent('started', (event) => event.pid !== notPid);
  return started.pid;
}

describe('SharedStdioChild', () => {
  it('serves 50 clients × 10 concurrent requests on one child, every answer, progress and log reaching its own request', async () => {
    // The log requests take turns; on a loaded machine the last may wait long, and here every one must get its logs.
    const observed = start({ logTurnWaitMs: 120_000 });
    const { child } = observed;
    const calls: Array<{ client: number; call: Call; kind: 'echo' | 'progress' | 'logs'; count: number; token?: string | number }> = [];
    for (let client = 0; client < 50; client += 1) {
      for (let id = 1; id <= 10; id += 1) {
        // Every client uses the ids 1..10, so they collide on purpose; half the clients also use colliding tokens.
        const count = 1 + ((client + id) % 4);
        const token = client % 2 === 0 ? id : `c${client}-r${id}`;
        if (id % 5 === 0) {
          calls.push({ client, kind: 'logs', count, call: call(child, callTool(id, 'slow-count', { count, delayMs: 2 }, { 'io.modelcontextprotocol/logLevel': 'debug' })) });
        } else if (id % 2 === 0) {
          calls.push({ client, kind: 'progress', count, token, call: call(child, callTool(id, 'slow-count', { count, delayMs: 2 }, { progressToken: token })) });
        } else {
          calls.push({ client, kind: 'echo', count: 0, call: call(child, callTool(id, 'echo', { text: `client ${client} request ${id}` })) });
        }
      }
    }
    await Promise.all(calls.map((entry) => entry.call.done));

    for (const { client, call: made, kind, count, token } of calls) {
      const delivered = made.delivered as Message[];
      const response = finalResponse(made.delivered);
      expect(response.id).toBe(made.request.id);
      expect(response.error).toBeUndefined();
      const before = delivered.slice(0, -1);
      if (kind === 'echo') {
        expect(textOf(response)).toBe(`echo: client ${client} request ${String(made.request.id)}`);
        expect(before).toEqual([]);
      } else if (kind === 'progress') {
        expect(textOf(response)).toBe(`counted to ${count}`);
        // Exactly its own progress, in order, with its own token; no log (it asked for none).
        expect(before.map((message) => message.method)).toEqual(Array(count).fill('notifications/progress'));
        expect(before.map((message) => message.params?.progressToken)).toEqual(Array(count).fill(token));
        expect(before.map((message) => message.params?.progress)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
        expect(before.every((message) => message.params?.total === count)).toBe(true);
      } else {
        expect(textOf(response)).toBe(`counted to ${count}`);
        expect(before.map((message) => message.method)).toEqual(Array(count).fill('notifications/message'));
        expect(before.map((message) => message.params?.data)).toEqual(Array.from({ length: count }, (_, index) => `counted ${index + 1} of ${count}`));
      }
    }
    // One process served them all; nothing was left unplaced, nothing is left open.
    expect(observed.events.filter((event) => event.type === 'started')).toHaveLength(1);
    expect(observed.events.filter((event) => event.type === 'protocol')).toEqual([]);
    expect(child.snapshot()).toMatchObject({ state: 'running', inFlight: 0, waiting: 0, restarts: 0 });
    expect(child.openRequests).toBe(0);
  });

  it('fails exactly the in-flight requests of a child killed mid-call, saying how it ended, and starts a new child for the next request after a backoff', async () => {
    const observed = start({ restartPolicy: { initialDelayMs: 40, maxDelayMs: 5_000, healthyAfterMs: 60_000 } });
    const { child } = observed;
    const before = call(child, callTool(1, 'echo', { text: 'before' }));
    await before.done;
    const pid = await runningPid(observed);
    const slow = [1, 2, 3].map((id) => call(child, callTool(id, 'slow-count', { count: 1000, delayMs: 20 }, { progressToken: `p${id}` })));
    await Promise.all(slow.map((made) => made.until((message) => (message as Message).method === 'notifications/progress')));
    expect(child.snapshot()).toMatchObject({ pid, inFlight: 3 });

    process.kill(pid, 'SIGKILL');
    await Promise.all(slow.map((made) => made.done));
    for (const made of slow) {
      const response = finalResponse(made.delivered);
      expect(response.id).toBe(made.request.id);
      expect(response.error?.code).toBe(-32000);
      expect(response.error?.message).toContain(`the server process of "modern-fixture" (pid ${pid}) was killed by SIGKILL while this request was in flight`);
      expect(response.error?.message).toContain(`last stderr: patchbay-modern-fixture started (pid ${pid})`);
      expect(response.error?.data).toMatchObject({ signal: 'SIGKILL', exitCode: null });
    }
    // The request answered before the kill heard nothing more.
    expect(before.delivered).toHaveLength(1);
    const exited = await observed.nextEvent('exited');
    expect(exited).toMatchObject({ pid, signal: 'SIGKILL', expected: false, failedRequests: 3 });
    expect(child.snapshot()).toMatchObject({ state: 'idle', inFlight: 0, pid: undefined });
    expect(isAlive(pid)).toBe(false);

    const after = call(child, callTool(9, 'echo', { text: 'after' }));
    await after.done;
    expect(textOf(finalResponse(after.delivered))).toBe('echo: after');
    const secondPid = await runningPid(observed, pid);
    expect(await observed.nextEvent('restarting')).toMatchObject({ attempt: 1, delayMs: 40 });
    expect(child.snapshot()).toMatchObject({ pid: secondPid, restarts: 1, state: 'running' });

    // Dying again soon doubles the wait.
    process.kill(secondPid, 'SIGKILL');
    await observed.nextEvent('exited', (event) => event.pid === secondPid);
    const third = call(child, callTool(10, 'echo', { text: 'third' }));
    await third.done;
    expect(textOf(finalResponse(third.delivered))).toBe('echo: third');
    expect(observed.events.filter((event) => event.type === 'restarting')).toMatchObject([
      { attempt: 1, delayMs: 40 },
      { attempt: 2, delayMs: 80 },
    ]);
  });

  it('bounds the restart backoff and starts it over once a child has run for a healthy period', async () => {
    // Long enough that a child which only starts and answers one echo never counts as healthy, even on a loaded machine.
    const healthyAfterMs = 6_000;
    const observed = start({ restartPolicy: { initialDelayMs: 20, maxDelayMs: 40, healthyAfterMs } });
    const { child } = observed;
    const killAndServeAgain = async (id: number): Promise<void> => {
      const pid = child.snapshot().pid!;
      process.kill(pid, 'SIGKILL');
      await observed.nextEvent('exited', (event) => event.pid === pid);
      const made = call(child, callTool(id, 'echo', { text: `after kill ${id}` }));
      await made.done;
      expect(textOf(finalResponse(made.delivered))).toBe(`echo: after kill ${id}`);
    };
    await call(child, callTool(1, 'echo', { text: 'first' })).done;
    await killAndServeAgain(2);
    await killAndServeAgain(3);
    await killAndServeAgain(4);
    // The child now runs past the healthy period before it is killed: the doubling starts over.
    const startedAt = child.snapshot().startedAt!;
    while (Date.now() - startedAt <= healthyAfterMs) await new Promise((resolve) => setTimeout(resolve, 100));
    await killAndServeAgain(5);
    expect(observed.events.filter((event) => event.type === 'restarting').map((event) => (event as { attempt: number; delayMs: number }).delayMs)).toEqual([20, 40, 40, 20]);
    expect(observed.events.filter((event) => event.type === 'restarting').map((event) => (event as { attempt: number }).attempt)).toEqual([1, 2, 3, 1]);
    expect(child.snapshot().restarts).toBe(4);
  });

  it('sends a request that waited too long for the log turn without its log level, telling its client why, and gives it no one else\'s logs', async () => {
    const observed = start({ logTurnWaitMs: 300 });
    const { child } = observed;
    const debug = { 'io.modelcontextprotocol/logLevel': 'debug' };
    const long = call(child, callTool(1, 'slow-count', { count: 1000, delayMs: 20 }, debug));
    await long.until((message) => (message as Message).method === 'notifications/message');
    const short = call(child, callTool(1, 'slow-count', { count: 2, delayMs: 5 }, debug));
    await short.done;
    const delivered = short.delivered as Message[];
    expect(textOf(finalResponse(short.delivered))).toBe('counted to 2');
    expect(delivered).toHaveLength(2);
    expect(delivered[0]).toMatchObject({ method: 'notifications/message', params: { level: 'warning', logger: 'patchbay' } });
    expect(String(delivered[0]!.params?.data)).toContain('Patchbay sent this request without its log level: another request to "modern-fixture" that asked for log messages has been running for over 0.3 s');
    // Every log line went to the request that had the turn.
    expect((long.delivered as Message[]).every((message) => /^counted \d+ of 1000$/.test(String(message.params?.data)))).toBe(true);
    long.abort.abort();
    await long.done;
    expect(child.openRequests).toBe(0);
  });

  it('cancels an aborted request in the child and delivers nothing more for it, while a request with the same id goes on', async () => {
    const observed = start();
    const { child } = observed;
    const kept = call(child, callTool(1, 'slow-count', { count: 3, delayMs: 30 }, { progressToken: 1 }));
    const dropped = call(child, callTool(1, 'slow-count', { count: 1000, delayMs: 20 }, { progressToken: 1 }));
    await dropped.until((message) => (message as Message).method === 'notifications/progress');
    dropped.abort.abort();
    await dropped.done;
    const seenAtAbort = dropped.delivered.length;

    await observed.nextEvent('stderr', (event) => /^slow-count cancelled at \d+ of 1000$/.test(event.line));
    await kept.done;
    expect(textOf(finalResponse(kept.delivered))).toBe('counted to 3');
    expect(dropped.delivered).toHaveLength(seenAtAbort);
    expect((dropped.delivered as Message[]).every((message) => message.method === 'notifications/progress')).toBe(true);
    expect(child.openRequests).toBe(0);
    expect(child.snapshot()).toMatchObject({ inFlight: 0, waiting: 0 });
    // What the child still sent for it (progress crossing the cancel) was dropped quietly, not reported as a stray.
    expect(observed.events.filter((event) => event.type === 'protocol')).toEqual([]);
  });

  it("maps a client's notifications/cancelled to its own request even when another client uses the same id", async () => {
    const observed = start();
    const { child } = observed;
    const mine = call(child, callTool(7, 'slow-count', { count: 999, delayMs: 20 }, { progressToken: 'same' }), 'client-a');
    const theirs = call(child, callTool(7, 'slow-count', { count: 3, delayMs: 30 }, { progressToken: 'same' }), 'client-b');
    await mine.until((message) => (message as Message).method === 'notifications/progress');
    child.notify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'the user pressed Cancel' } }, { origin: 'client-a' });
    await mine.done;
    await observed.nextEvent('stderr', (event) => /^slow-count cancelled at \d+ of 999$/.test(event.line));
    await theirs.done;
    expect(textOf(finalResponse(theirs.delivered))).toBe('counted to 3');
    expect((mine.delivered as Message[]).some((message) => message.method === undefined)).toBe(false);

    // Without an origin, an id two clients use names neither: it is reported and both go on.
    const one = call(child, callTool(8, 'slow-count', { count: 2, delayMs: 30 }));
    const two = call(child, callTool(8, 'slow-count', { count: 2, delayMs: 30 }));
    child.notify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 8 } });
    await Promise.all([one.done, two.done]);
    expect([textOf(finalResponse(one.delivered)), textOf(finalResponse(two.delivered))]).toEqual(['counted to 2', 'counted to 2']);
    expect(await observed.nextEvent('protocol')).toMatchObject({ message: expect.stringContaining('request id 8, which 2 open requests use') });
  });

  it("delivers a subscription's notifications only to its own listener, with the listener's own id", async () => {
    const observed = start();
    const { child } = observed;
    // Both listeners use id 1: only the subscription id the child stamps tells them apart.
    const counterListener = call(child, listen(1, { resourceSubscriptions: ['fixture://counter'] }), 'a');
    const toolsListener = call(child, listen(1, { toolsListChanged: true }), 'b');
    const acknowledged = (message: JSONRPCMessage): boolean => (message as Message).method === 'notifications/subscriptions/acknowledged';
    await Promise.all([counterListener.until(acknowledged), toolsListener.until(acknowledged)]);
    expect(child.snapshot().subscriptions).toBe(2);

    await call(child, callTool(2, 'bump-counter', {})).done;
    await counterListener.until((message) => (message as Message).method === 'notifications/resources/updated');
    await call(child, callTool(3, 'add-tool', { name: 'added-one' })).done;
    await toolsListener.until((message) => (message as Message).method === 'notifications/tools/list_changed');

    const methods = (made: Call): unknown[] => (made.delivered as Message[]).map((message) => message.method);
    const subscriptionIds = (made: Call): unknown[] => (made.delivered as Message[]).map((message) => (message.params?._meta as Record<string, unknown>)['io.modelcontextprotocol/subscriptionId']);
    expect(methods(counterListener)).toEqual(['notifications/subscriptions/acknowledged', 'notifications/resources/updated']);
    expect(methods(toolsListener)).toEqual(['notifications/subscriptions/acknowledged', 'notifications/tools/list_changed']);
    expect([...subscriptionIds(counterListener), ...subscriptionIds(toolsListener)]).toEqual([1, 1, 1, 1]);
    expect(((counterListener.delivered[1] as Message).params as { uri?: string }).uri).toBe('fixture://counter');

    // A listener that goes away is cancelled in the child: the next update reaches nobody, and is not a stray.
    counterListener.abort.abort();
    await counterListener.done;
    expect(child.snapshot().subscriptions).toBe(1);
    await call(child, callTool(4, 'bump-counter', {})).done;
    await call(child, callTool(5, 'add-tool', { name: 'added-two' })).done;
    await toolsListener.until(() => (toolsListener.delivered as Message[]).filter((each) => each.method === 'notifications/tools/list_changed').length === 2);
    expect(counterListener.delivered).toHaveLength(2);
    expect(observed.events.filter((event) => event.type === 'protocol')).toEqual([]);

    // Closing ends the open subscription with an error that says so.
    await child.close();
    await toolsListener.done;
    expect(finalResponse(toolsListener.delivered)).toMatchObject({ id: 1, error: { message: 'the shared server process of "modern-fixture" was closed' } });
  });

  it('close() answers every open request, ends the process and leaves no pending entry; later requests hear why', async () => {
    const observed = start();
    const { child } = observed;
    const slow = [1, 2].map((id) => call(child, callTool(id, 'slow-count', { count: 1000, delayMs: 20 }, { progressToken: id })));
    const listener = call(child, listen(3, { toolsListChanged: true }));
    await Promise.all(slow.map((made) => made.until((message) => (message as Message).method === 'notifications/progress')));
    const pid = child.snapshot().pid!;
    expect(isAlive(pid)).toBe(true);

    await child.close('Patchbay is shutting down');
    for (const made of [...slow, listener]) {
      await made.done;
      expect(finalResponse(made.delivered)).toMatchObject({ id: made.request.id, error: { code: -32000, message: 'the shared server process of "modern-fixture" was closed: Patchbay is shutting down' } });
    }
    expect(isAlive(pid)).toBe(false);
    expect(child.openRequests).toBe(0);
    expect(child.snapshot()).toMatchObject({ state: 'closed', pid: undefined, inFlight: 0, waiting: 0, subscriptions: 0 });
    expect(await observed.nextEvent('exited')).toMatchObject({ pid, expected: true, failedRequests: 0 });

    const late = call(child, callTool(4, 'echo', { text: 'too late' }));
    await late.done;
    expect(finalResponse(late.delivered).error?.message).toBe('the shared server process of "modern-fixture" was closed: Patchbay is shutting down');
    expect(observed.events.filter((event) => event.type === 'started')).toHaveLength(1);
  });

  it('close() while the child is still starting answers the waiting request and ends the process it was spawning', async () => {
    const observed = start();
    const { child } = observed;
    const made = call(child, callTool(1, 'echo', { text: 'never sent' }));
    expect(child.state).toBe('starting');
    await child.close();
    await made.done;
    expect(finalResponse(made.delivered).error?.message).toBe('the shared server process of "modern-fixture" was closed');
    const exited = await observed.nextEvent('exited');
    expect(exited).toMatchObject({ expected: true, failedRequests: 0 });
    expect(isAlive(exited.pid)).toBe(false);
    expect(observed.events.filter((event) => event.type === 'started')).toEqual([]);
    expect(child.snapshot()).toMatchObject({ state: 'closed', inFlight: 0, waiting: 0 });
  });

  it('close() during the backoff before a restart starts nothing and answers the request that waited', async () => {
    const observed = start({ restartPolicy: { initialDelayMs: 150, maxDelayMs: 150, healthyAfterMs: 60_000 } });
    const { child } = observed;
    await call(child, callTool(1, 'echo', { text: 'first' })).done;
    const pid = await runningPid(observed);
    process.kill(pid, 'SIGKILL');
    await observed.nextEvent('exited');
    const waiting = call(child, callTool(2, 'echo', { text: 'waits a minute' }));
    expect(await observed.nextEvent('restarting')).toMatchObject({ attempt: 1, delayMs: 150, reason: expect.stringContaining(`the last one (pid ${pid}) was killed by SIGKILL`) });
    expect(child.snapshot()).toMatchObject({ state: 'backoff', waiting: 1 });
    await child.close();
    await waiting.done;
    expect(finalResponse(waiting.delivered).error?.message).toBe('the shared server process of "modern-fixture" was closed');
    // Well past the backoff: nothing was started by it. (A late timer on a loaded machine can only make this pass.)
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(observed.events.filter((event) => event.type === 'started')).toHaveLength(1);
    expect(child.snapshot()).toMatchObject({ state: 'closed', waiting: 0, pid: undefined });
  });

  it('answers the waiting requests with the spawn error when the server cannot start, and tries again on the next request', async () => {
    const missing = observedChild({ ...fixtureEntry(), name: 'missing', command: 'patchbay-no-such-command-for-shared-child' }, { restartPolicy: { initialDelayMs: 10 } });
    open.push(missing);
    const first = [1, 2].map((id) => call(missing.child, callTool(id, 'echo', { text: 'x' })));
    await Promise.all(first.map((made) => made.done));
    for (const made of first) {
      const message = finalResponse(made.delivered).error?.message ?? '';
      expect(message).toContain('Patchbay could not start the server process of "missing": spawn patchbay-no-such-command-for-shared-child ENOENT');
      expect(message).toContain('was not found (PATH searched:');
    }
    expect(await missing.nextEvent('start-failed')).toMatchObject({ failedRequests: 2 });
    const again = call(missing.child, callTool(3, 'echo', { text: 'x' }));
    await again.done;
    expect(finalResponse(again.delivered).error?.message).toContain('ENOENT');
    expect(await missing.nextEvent('restarting')).toMatchObject({ attempt: 1, delayMs: 10, reason: expect.stringContaining('could not be started') });
    expect(missing.child.snapshot()).toMatchObject({ state: 'idle', inFlight: 0, waiting: 0 });
  });

  it('reports stdout lines that are not JSON-RPC and messages that belong to no request, and delivers neither', async () => {
    const observed = start({}, { FIXTURE_STRAY_STDOUT: '1' });
    const { child } = observed;
    const made = call(child, callTool(1, 'echo', { text: 'first' }));
    await made.done;
    expect(made.delivered).toHaveLength(1);
    expect(textOf(finalResponse(made.delivered))).toBe('echo: first');
    expect(await observed.nextEvent('stderr', (event) => event.stream === 'stdout')).toMatchObject({ line: 'a banner that is not JSON' });
    expect(await observed.nextEvent('protocol')).toMatchObject({ message: expect.stringContaining('a response to request id 987654') });
    // The child goes on serving.
    const next = call(child, callTool(2, 'echo', { text: 'still here' }));
    await next.done;
    expect(textOf(finalResponse(next.delivered))).toBe('echo: still here');
  });
});

export type { SharedStdioChild };
