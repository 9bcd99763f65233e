import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isAlive } from '../../../test/processes';
import { call, callTool, fixtureEntry, listen, observedChild, type Call } from './shared-stdio-child.testkit';

type Message = JSONRPCMessage & { id?: unknown; method?: string; params?: Record<string, unknown>; result?: { content?: Array<{ text?: string }> }; error?: { message: string } };

/** What a client does next. */
type Step =
  | { op: 'request'; client: number; kind: 'echo' | 'progress' | 'logs' | 'listen'; count: number }
  | { op: 'abort'; pick: number }
  /** The client cancels one of its requests with notifications/cancelled (as over stdio) instead of going away. */
  | { op: 'cancel'; pick: number }
  | { op: 'kill' }
  | { op: 'close' }
  | { op: 'touch' }
  | { op: 'pause'; ms: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 18, arbitrary: fc.record({ op: fc.constant('request' as const), client: fc.integer({ min: 0, max: 4 }), kind: fc.constantFrom('echo' as const, 'progress' as const, 'logs' as const, 'listen' as const), count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('abort' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('kill' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('touch' as const) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 40 }) }) },
);

interface Made {
  call: Call;
  client: number;
  kind: Extract<Step, { op: 'request' }>['kind'];
  count: number;
  token?: string;
  /** How many messages it had when its client aborted it. */
  deliveredAtAbort?: number;
}

/** The pid of the child once it runs (the request that is open starts it), or undefined if it does not come up. */
async function waitForRunning(child: { snapshot(): { pid?: number; state: string } }): Promise<number | undefined> {
  for (let tries = 0; tries < 500; tries += 1) {
    const { pid, state } = child.snapshot();
    if (pid !== undefined) return pid;
    if (state === 'idle' || state === 'closing' || state === 'closed') return undefined;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return undefined;
}

/** Waits for every request to end; one that does not within 20 s fails the run, saying which and where things stood. */
async function allEnded(made: Made[], child: { snapshot(): unknown }, steps: Step[]): Promise<void> {
  const ended = new Set<Made>();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const open = made.filter((each) => !ended.has(each)).map((each) => ({ request: each.call.request, delivered: each.call.delivered, aborted: each.deliveredAtAbort !== undefined }));
      reject(new Error(`requests still open after 20 s: ${JSON.stringify(open)}; child: ${JSON.stringify(child.snapshot())}; steps: ${JSON.stringify(steps)}`));
    }, 20_000);
  });
  try {
    await Promise.race([Promise.all(made.map((each) => each.call.done.then(() => ended.add(each)))), deadline]);
  } finally {
    clearTimeout(timer);
  }
}


const seed = process.env.PATCHBAY_PROPERTY_SEED ? Number(process.env.PATCHBAY_PROPERTY_SEED) : undefined;
const runs = process.env.PATCHBAY_PROPERTY_RUNS ? Number(process.env.PATCHBAY_PROPERTY_RUNS) : 10;

describe('SharedStdioChild under random interleavings', () => {
  it('delivers every message to its own request only, ends every request exactly once and leaves nothing open, whatever the order of requests, aborts and kills', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 10, maxLength: 30, size: 'max' }), async (steps) => {
        const observed = observedChild(fixtureEntry('prop'), { restartPolicy: { initialDelayMs: 5, maxDelayMs: 40, healthyAfterMs: 60_000 }, logTurnWaitMs: 120_000 });
        const { child } = observed;
        const made: Made[] = [];
        const nextId = [1, 1, 1, 1, 1];
        const pids = new Set<number>();
        let kills = 0;
        try {
          for (const step of steps) {
            const pid = child.snapshot().pid;
            if (pid !== undefined) pids.add(pid);
            if (step.op === 'request') {
              const id = nextId[step.client]!++;
              const tag = `${step.client}/${id}`;
              const request =
                step.kind === 'echo'
                  ? callTool(id, 'echo', { text: tag })
                  : step.kind === 'progress'
                    ? callTool(id, 'slow-count', { count: step.count, delayMs: 5 }, { progressToken: tag })
                    : step.kind === 'logs'
                      ? callTool(id, 'slow-count', { count: step.count, delayMs: 5 }, { 'io.modelcontextprotocol/logLevel': 'debug' })
                      : listen(id, { toolsListChanged: true });
              made.push({ call: call(child, request, `client-${step.client}`), client: step.client, kind: step.kind, count: step.count, token: step.kind === 'progress' ? tag : undefined });
            } else if (step.op === 'abort' && made.length > 0) {
              const target = made[step.pick % made.length]!;
              if (target.deliveredAtAbort === undefined) {
                target.deliveredAtAbort = target.call.delivered.length;
                target.call.abort.abort();
              }
            } else if (step.op === 'cancel' && made.length > 0) {
              const target = made[step.pick % made.length]!;
              if (target.deliveredAtAbort === undefined) {
                target.deliveredAtAbort = target.call.delivered.length;
                child.notify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: target.call.request.id, reason: 'test' } }, { origin: `client-${target.client}` });
              }
            } else if (step.op === 'close') {
              await child.close('closed mid-run');
            } else if (step.op === 'kill') {
              // A kill lands mid-call: with requests open, it waits for the child that serves them to run.
              const running = child.openRequests > 0 ? await waitForRunning(child) : pid;
              if (running !== undefined) {
                pids.add(running);
                process.kill(running, 'SIGKILL');
                kills += 1;
              }
            } else if (step.op === 'touch') {
              const id = nextId[0]!++;
              made.push({ call: call(child, callTool(id, 'add-tool', { name: `added-${id}` }), 'client-0'), client: 0, kind: 'echo', count: -1 });
            } else if (step.op === 'pause') {
              await new Promise((resolve) => setTimeout(resolve, step.ms));
            }
          }
          // Listeners stay open until their client goes: every client goes now.
          for (const each of made) {
            if (each.kind === 'listen' && each.deliveredAtAbort === undefined) {
              await new Promise((resolve) => setTimeout(resolve, 0));
              each.deliveredAtAbort = each.call.delivered.length;
              each.call.abort.abort();
            }
          }
          await allEnded(made, child, steps);

          for (const each of made) {
            const delivered = each.call.delivered as Message[];
            const settled = each.deliveredAtAbort === undefined ? delivered : delivered.slice(0, each.deliveredAtAbort);
            // Nothing after the client went.
            expect(delivered).toHaveLength(settled.length);
            const responses = delivered.filter((message) => message.method === undefined);
            expect(responses.length).toBeLessThanOrEqual(1);
            if (each.deliveredAtAbort === undefined) expect(responses).toHaveLength(1);
            for (const response of responses) {
              expect(response.id).toBe(each.call.request.id);
              expect(delivered.at(-1)).toBe(response);
              if (response.error) {
                expect(response.error.message).toMatch(/was killed by SIGKILL while this request was in flight|was closed/);
              } else if (each.kind === 'echo' && each.count !== -1) {
                expect(response.result?.content?.[0]?.text).toBe(`echo: ${each.client}/${String(each.call.request.id)}`);
              } else if (each.kind === 'progress' || each.kind === 'logs') {
                expect(response.result?.content?.[0]?.text).toBe(`counted to ${each.count}`);
              }
            }
            const notifications = delivered.filter((message) => message.method !== undefined);
            for (const notification of notifications) {
              if (each.kind === 'progress') {
                expect(notification.method).toBe('notifications/progress');
                expect(notification.params?.progressToken).toBe(each.token);
                expect(notification.params?.total).toBe(each.count);
              } else if (each.kind === 'logs') {
                expect(notification.method).toBe('notifications/message');
                expect(String(notification.params?.data), JSON.stringify({ request: each.call.request, delivered, aborted: each.deliveredAtAbort })).toMatch(new RegExp(` of ${each.count}$`));
              } else if (each.kind === 'listen') {
                expect((notification.params?._meta as Record<string, unknown>)['io.modelcontextprotocol/subscriptionId']).toBe(each.call.request.id);
              } else {
                throw new Error(`${each.kind} request got ${notification.method}`);
              }
            }
            // Progress counts up, log lines come in order.
            if (each.kind === 'progress') expect(notifications.map((message) => message.params?.progress)).toEqual(notifications.map((_, index) => index + 1));
          }
          expect(child.openRequests).toBe(0);
          expect(child.snapshot()).toMatchObject({ inFlight: 0, waiting: 0, subscriptions: 0 });
          expect(observed.events.filter((event) => event.type === 'protocol'), JSON.stringify(steps)).toEqual([]);
        } finally {
          const pid = child.snapshot().pid;
          if (pid !== undefined) pids.add(pid);
          await child.close();
        }
        for (const pid of pids) expect(isAlive(pid)).toBe(false);
        expect(child.openRequests).toBe(0);
        if (process.env.PATCHBAY_PROPERTY_STATS) {
          const failed = made.filter((each) => (each.call.delivered.at(-1) as Message | undefined)?.error).length;
          console.log(`steps ${steps.length} requests ${made.length} kills ${kills} failed ${failed} restarts ${child.snapshot().restarts}`);
        }
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
  });
});
