import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientTransportKind, ServerEntry } from '../../src-shared/catalog';
import { startProxy, type RunningProxy } from '../services/proxy/proxy-server';
import type { ProxySession } from '../services/proxy/proxy-session';
import { ChaosClient, type ChaosContext } from './chaos/chaos-client';
import { ExchangeTracker } from './chaos/raw-http';
import { RequestOutcomes, type RequestOutcome } from './chaos/request-outcomes';
import { SeededRandom } from './chaos/seeded-random';
import { connectClient, firstText, fixtureEntry, fixtureProcesses, isAlive, startRemoteFixture, waitFor } from './helpers';
import type { RemoteFixture } from './processes';

// The chaos soak: many clients at once connect, abort mid-connect, call, cancel, read slowly, DELETE, drop their
// connections, while children are SIGKILLed and servers leave the catalog and come back, over both client
// transports and stdio and remote upstreams. At the end nothing may be left: no session, no child, no request
// without an outcome, no HTTP exchange still open, a bounded heap. The schedule of actions comes from one seed,
// printed on failure: PATCHBAY_SOAK_SEED=<seed> replays it (timing still varies). PATCHBAY_SOAK_CYCLES=1000 runs
// the long soak; the default stays near a minute on two loaded cores.
const CYCLES = Number(process.env.PATCHBAY_SOAK_CYCLES ?? 240);
const SEED = Number(process.env.PATCHBAY_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 32));
const CONCURRENCY = Number(process.env.PATCHBAY_SOAK_CONCURRENCY ?? 8);
/** Short, so that sessions of clients that vanished without a word are reaped within the run. */
const IDLE_TIMEOUT_MS = 1_500;
/** How long the proxy gets after the last cycle to end everything (generous: the machine is shared). */
const SETTLE_MS = 45_000;
/** A generous bound on heap growth over the run: a leak of sessions or buffers shows up far above it. */
const HEAP_GROWTH_BOUND = 384 * 1024 * 1024;

const SERVERS = ['stdio', 'remote-http', 'remote-sse'] as const;
const TRANSPORTS: readonly ClientTransportKind[] = ['streamable-http', 'sse'];

let remote: RemoteFixture;
let proxy: RunningProxy;
/** The catalog the proxy reads; servers leave it and come back during the run. */
let catalog: ServerEntry[] = [];
let allEntries: ServerEntry[] = [];
const spawnedPids = new Set<number>();
const eventCounts = new Map<string, number>();
/** Session errors and close reasons, by kind, for the report. */
const sessionNotes = new Map<string, number>();

beforeAll(async () => {
  remote = await startRemoteFixture();
  allEntries = [
    fixtureEntry('stdio'),
    { name: 'remote-http', transport: 'streamable-http', url: `http://127.0.0.1:${remote.port}/mcp`, headers: {} },
    { name: 'remote-sse', transport: 'sse', url: `http://127.0.0.1:${remote.port}/sse`, headers: {} },
  ];
  catalog = [...allEntries];
  proxy = await startProxy({
    catalog: { list: () => catalog, get: (name) => catalog.find((entry) => entry.name === name) },
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    // Requests nobody answers (a client gone in the middle of an elicitation) are given up after this long.
    session: { closingGraceMs: 300, killGraceMs: 1_000, maxRequestAgeMs: 10_000 },
  });
  // A subscriber, as the app always has one: message events are only built when someone listens.
  proxy.bus.subscribe((event) => {
    eventCounts.set(event.type, (eventCounts.get(event.type) ?? 0) + 1);
    if (event.type === 'child-spawned') spawnedPids.add(event.pid);
    if (event.type === 'session-error' || event.type === 'session-closed') {
      const text = event.type === 'session-error' ? event.message : `closed: ${event.reason}${event.detail ? `: ${event.detail}` : ''}`;
      const kind = text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>').replace(/\d+/g, 'N').slice(0, 160);
      sessionNotes.set(kind, (sessionNotes.get(kind) ?? 0) + 1);
    }
  });
});

afterAll(async () => {
  await proxy?.close();
  await remote?.stop();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for the promises, but no longer than `ms`: a request that hangs must not hang the worker too. */
async function settledWithin(promises: Array<Promise<unknown>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

interface Tally {
  connects: Map<string, number>;
  endings: Map<string, number>;
  kills: number;
  removals: number;
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function killChildOf(client: ChaosClient, tally: Tally): void {
  const pid = client.sessionId ? proxy.sessions.get(client.sessionId)?.snapshot().pid : undefined;
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
    tally.kills += 1;
  } catch {
    // Already gone.
  }
}

/** A session still registered after the run, with what it still waits on (read from its ledger, for the report). */
function describeLeftSession(session: ProxySession): string {
  const ledger = (session as unknown as { requests?: { clientRequests?: Map<unknown, unknown>; serverRequests?: Map<unknown, unknown> } }).requests;
  const waiting = { client: [...(ledger?.clientRequests ?? new Map())], server: [...(ledger?.serverRequests ?? new Map())] };
  return `${JSON.stringify(session.snapshot())} waiting on ${JSON.stringify(waiting)}`;
}

/** One client's life: connect (or give up on it), a few random operations, then one way of ending. */
async function runCycle(random: SeededRandom, cycle: number, context: ChaosContext, tally: Tally): Promise<void> {
  const server = random.pick(SERVERS);
  const kind = random.pick(TRANSPORTS);
  const client = new ChaosClient(context, `c${cycle}`, server, kind);
  const abortAfterMs = random.chance(0.15) ? random.int(0, 400) : undefined;
  const deleteOnceNamed = abortAfterMs === undefined && random.chance(0.05);
  const connected = await client.connect({ abortAfterMs, deleteOnceNamed });
  count(tally.connects, deleteOnceNamed ? `${connected} (deleted while connecting)` : connected);
  if (connected !== 'connected' || deleteOnceNamed) {
    client.drop();
    return;
  }
  if (kind === 'streamable-http' && random.chance(0.5)) await client.openStandaloneStream();

  const pending: Array<Promise<RequestOutcome>> = [];
  const operations = random.int(1, 8);
  for (let step = 0; step < operations; step += 1) {
    const operation = random.weighted([
      [5, 'echo'],
      [3, 'slow'],
      [2, 'cancel'],
      [2, 'slow-read'],
      [1, 'log'],
      [1, 'roots'],
      [1, 'sample'],
      [1, 'elicit'],
      [1, 'list'],
      [1, 'kill'],
    ] as const);
    switch (operation) {
      case 'echo':
        pending.push(client.callTool('echo', { text: `cycle ${cycle} step ${step}` }).done);
        break;
      case 'slow':
        pending.push(client.callTool('slow', { steps: random.int(1, 8), stepMs: random.int(10, 150) }, { progress: true }).done);
        break;
      case 'cancel': {
        const call = client.callTool('slow', { steps: random.int(3, 10), stepMs: random.int(50, 200) }, { progress: random.chance(0.5) });
        pending.push(call.done);
        await sleep(random.int(0, 300));
        client.cancel(call.id);
        break;
      }
      case 'slow-read':
        pending.push(client.callTool('blob', { bytes: random.int(64 * 1024, 3 * 1024 * 1024) }, { pauseMs: random.int(100, 1_500) }).done);
        break;
      case 'log':
        pending.push(client.callTool('log', { count: random.int(1, 50) }).done);
        break;
      case 'roots':
      case 'sample':
      case 'elicit':
        pending.push(client.callTool(operation, operation === 'sample' ? { prompt: 'soak' } : {}).done);
        break;
      case 'list':
        pending.push(client.request(random.pick(['tools/list', 'resources/list', 'prompts/list', 'ping']), {}).done);
        break;
      case 'kill':
        if (server === 'stdio') killChildOf(client, tally);
        break;
    }
    if (random.chance(0.5)) await sleep(random.int(0, 150));
    if (random.chance(0.3)) await settledWithin(pending.slice(-1), 5_000);
  }

  const ending = random.weighted([
    [5, 'close'],
    [2, 'close-now'],
    [2, 'drop'],
    [1, 'walk-away'],
  ] as const);
  count(tally.endings, ending);
  if (ending === 'close' || ending === 'drop' || ending === 'walk-away') await settledWithin(pending, 5_000);
  if (ending === 'close' || ending === 'close-now') await client.close();
  else if (ending === 'drop') client.drop();
  // 'walk-away': the client just stops; its session must be reaped as idle (its streams stay open on our side
  // until the proxy ends them).
}

/** Meanwhile: servers leave the catalog and come back, and children are killed from outside. */
async function runMonkey(random: SeededRandom, done: () => boolean, tally: Tally): Promise<void> {
  while (!done()) {
    await sleep(random.int(200, 1_200));
    if (random.chance(0.25)) {
      const removed = random.pick(allEntries);
      catalog = catalog.filter((entry) => entry !== removed);
      tally.removals += 1;
      await sleep(random.int(100, 800));
      if (!catalog.includes(removed)) catalog = [...catalog, removed];
    }
    if (random.chance(0.3)) {
      const victims = proxy.sessions.list().flatMap((session) => {
        const pid = session.snapshot().pid;
        return pid === undefined ? [] : [pid];
      });
      if (victims.length > 0) {
        try {
          process.kill(random.pick(victims), 'SIGKILL');
          tally.kills += 1;
        } catch {
          // Already gone.
        }
      }
    }
  }
  catalog = [...allEntries];
}

describe('chaos soak', () => {
  it(
    `${CYCLES} cycles of random connects, aborts, calls, cancels, slow reads, DELETEs, drops, kills and removals leave nothing behind`,
    async () => {
      const started = Date.now();
      const random = new SeededRandom(SEED);
      const outcomes = new RequestOutcomes();
      const exchanges = new ExchangeTracker();
      const context: ChaosContext = { proxyUrl: proxy.url, token: proxy.token!, exchanges, outcomes };
      const tally: Tally = { connects: new Map(), endings: new Map(), kills: 0, removals: 0 };
      const rejections: string[] = [];
      const onRejection = (reason: unknown) => rejections.push(String(reason instanceof Error ? reason.stack : reason));
      process.on('unhandledRejection', onRejection);
      const baselineHeap = process.memoryUsage().heapUsed;
      let peakHeap = baselineHeap;
      let peakSessions = 0;
      const sampler = setInterval(() => {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        peakSessions = Math.max(peakSessions, proxy.sessions.size);
      }, 100);

      const report = () =>
        [
          `seed ${SEED} (replay: PATCHBAY_SOAK_SEED=${SEED} PATCHBAY_SOAK_CYCLES=${CYCLES})`,
          `cycles ${CYCLES} with ${CONCURRENCY} at once in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          `connects ${JSON.stringify(Object.fromEntries(tally.connects))}, endings ${JSON.stringify(Object.fromEntries(tally.endings))}`,
          `kills ${tally.kills}, catalog removals ${tally.removals}, children spawned ${spawnedPids.size}, peak sessions ${peakSessions}`,
          `requests ${outcomes.total}: ${JSON.stringify(outcomes.summary())}`,
          `HTTP exchanges ${exchanges.started}, statuses ${JSON.stringify(Object.fromEntries(exchanges.statuses))}`,
          `heap baseline ${(baselineHeap / 2 ** 20).toFixed(0)} MiB, peak ${(peakHeap / 2 ** 20).toFixed(0)} MiB`,
          `left: sessions ${proxy.sessions.size}, children ${fixtureProcesses().filter((pid) => pid !== remote.child.pid).length}`,
          `events ${JSON.stringify(Object.fromEntries(eventCounts))}`,
          `session errors and closes by kind:\n    ${[...sessionNotes].sort((a, b) => b[1] - a[1]).map(([kind, times]) => `${times}× ${kind}`).join('\n    ')}`,
        ].join('\n  ');

      try {
        let nextCycle = 0;
        const workers = Array.from({ length: CONCURRENCY }, async () => {
          const workerRandom = random.fork();
          while (nextCycle < CYCLES) {
            const cycle = nextCycle++;
            await runCycle(workerRandom.fork(), cycle, context, tally);
          }
        });
        const monkey = runMonkey(random.fork(), () => nextCycle >= CYCLES, tally);
        await Promise.all([...workers, monkey]);

        // Everything the clients left behind must end by itself.
        await waitFor(() => outcomes.unsettled().length === 0, `every request to end; still open:\n    ${outcomes.unsettled().slice(0, 20).join('\n    ')}`, SETTLE_MS);
        await waitFor(() => proxy.sessions.size === 0, 'the registry to empty', SETTLE_MS).catch((error: Error) => {
          throw new Error(`${error.message}; left:\n    ${proxy.sessions.list().map(describeLeftSession).join('\n    ')}`);
        });
        await waitFor(() => exchanges.stillOpen().length === 0, `every HTTP exchange to end; still open:\n    ${exchanges.stillOpen().slice(0, 20).join('\n    ')}`, SETTLE_MS);
        const childrenLeft = () => fixtureProcesses().filter((pid) => pid !== remote.child.pid);
        await waitFor(() => childrenLeft().length === 0, `no child in the process list; left: ${childrenLeft().join(', ')}`, SETTLE_MS);
        expect([...spawnedPids].filter((pid) => isAlive(pid))).toEqual([]);
        expect(outcomes.violations).toEqual([]);
        expect(rejections).toEqual([]);
        expect(peakHeap - baselineHeap).toBeLessThan(HEAP_GROWTH_BOUND);
        expect(isAlive(remote.child.pid!)).toBe(true);

        // And the proxy still works for everyone.
        for (const server of SERVERS) {
          for (const kind of TRANSPORTS) {
            const connection = await connectClient(proxy, server, kind);
            expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'after the storm' } }))).toBe('echo: after the storm');
            await connection.close();
          }
        }
        await waitFor(() => proxy.sessions.size === 0, 'the check sessions to close', SETTLE_MS);
        process.stdout.write(`chaos soak passed:\n  ${report()}\n`);
      } catch (error) {
        throw new Error(`chaos soak failed: ${(error as Error).message}\n  ${report()}`, { cause: error });
      } finally {
        clearInterval(sampler);
        process.off('unhandledRejection', onRejection);
      }
    },
    CYCLES * 4_000 + 4 * SETTLE_MS,
  );
});
