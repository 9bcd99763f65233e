import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { ProcessesSnapshotSchema, type MonitoredChild, type ProcessesSnapshot } from '../../src-shared/processes';
import { invokeApi } from '../services/api/api-handlers';
import { startAppServices } from '../services/app-services';
import { connectClient, expectNothingLeft, firstText, fixtureEntry, FIXTURE_SERVER, isAlive, modernFixtureEntry, RUN_TAG, startTestProxy, waitFor, type TestProxy } from './helpers';
import { connectModernClient, MODERN, textOf } from './modern-helpers';

/*
 * The process monitor against the real fixture server through the proxy: its figures move the way the fixture's
 * allocate and burn tools push them (directions with wide margins, never durations), a wrapper's child shows in the
 * tree, an ended child keeps its exit and stderr tail, and a grandchild that escapes the proxy's cleanup is flagged
 * and can be ended through the control API.
 */

const WRAPPER = fileURLToPath(new URL('./fixtures/wrapper.mjs', import.meta.url));
const MB = 1024 * 1024;

/** The fixture started the way npx starts a package: a launcher process whose child is the server. */
function wrappedFixtureEntry(name: string): ServerEntry {
  return { name, transport: 'stdio', command: process.execPath, args: [WRAPPER, process.execPath, FIXTURE_SERVER, RUN_TAG], env: {} };
}

let proxy: TestProxy | undefined;
const strays: number[] = [];

afterEach(async () => {
  // A grandchild the test leaked on purpose is always ended, whatever the test got to.
  for (const pid of strays.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await proxy?.close();
  proxy = undefined;
});

async function processesOf(server: string, query = ''): Promise<ProcessesSnapshot> {
  const response = await fetch(`${proxy!.url}/api/processes?server=${encodeURIComponent(server)}${query}`, { headers: { Authorization: `Bearer ${proxy!.token}` } });
  expect(response.status).toBe(200);
  return ProcessesSnapshotSchema.parse(await response.json());
}

function only(snapshot: ProcessesSnapshot): MonitoredChild {
  expect(snapshot.children).toHaveLength(1);
  return snapshot.children[0]!;
}

/** The newest sample of the child's own process, after at least one more tick than `after`. */
async function nextRootSample(server: string, after: number) {
  let latest: { at: number; cpu: number; rssBytes: number; fds?: number } | undefined;
  await waitFor(async () => {
    const samples = only(await processesOf(server)).tree[0]!.samples;
    latest = samples[samples.length - 1];
    return latest !== undefined && latest.at > after;
  }, 'a new sample of the child', 20_000);
  return latest!;
}

describe('the process monitor', () => {
  it('sees the child RSS rise after allocate and its CPU rise while burn runs; samples only while watched', async () => {
    proxy = await startTestProxy([fixtureEntry('mon')], { processMonitor: { intervalMs: 250 } });
    const connection = await connectClient(proxy, 'mon', 'streamable-http');
    const pid = Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} })));
    // Nobody watches yet: the child is known, with nothing sampled.
    const unwatched = only(await processesOf('mon'));
    expect(unwatched).toMatchObject({ pid, server: 'mon', era: 'legacy' });
    expect(unwatched.tree[0]).toMatchObject({ pid, depth: 0, alive: true, leaked: false });
    expect(unwatched.tree[0]!.samples).toHaveLength(0);
    expect(proxy.processes.sampling).toBe(false);

    const stop = proxy.processes.watch();
    try {
      const before = await nextRootSample('mon', 0);
      expect(before.rssBytes).toBeGreaterThan(0);
      if (process.platform === 'linux') expect(before.fds).toBeGreaterThan(2);
      expect(firstText(await connection.client.callTool({ name: 'allocate', arguments: { mb: 200 } }))).toBe('holding 200 MB');
      const after = await nextRootSample('mon', Date.now());
      // 200 MB touched: well over half of it must show, whatever else the process did meanwhile.
      expect(after.rssBytes - before.rssBytes).toBeGreaterThan(100 * MB);

      const idle = await nextRootSample('mon', Date.now());
      const burning = connection.client.callTool({ name: 'burn', arguments: { ms: 4_000 } });
      // A busy loop gets a share of a core that depends on the machine's load: a rise of 10 points is asked, no more.
      let busiest = 0;
      await waitFor(async () => {
        busiest = Math.max(busiest, (await nextRootSample('mon', Date.now())).cpu);
        return busiest > idle.cpu + 10;
      }, "the child's CPU to rise while burning", 20_000);
      expect(busiest).toBeGreaterThan(idle.cpu + 10);
      expect(firstText(await burning)).toMatch(/^burnt 4000 ms/);
      // The uptime's start is the OS's, not later than the first look.
      const child = only(await processesOf('mon'));
      expect(child.tree[0]!.startedAt).toBeLessThanOrEqual(before.at);
      expect(child.totals.length).toBeGreaterThan(2);
    } finally {
      stop();
    }
    await waitFor(() => !proxy!.processes.sampling, 'the sampler to stop once nobody watches');
    await connection.close();
    await expectNothingLeft(proxy);
  });

  it("lists a wrapper's child in the tree and emits process-sample events for it", async () => {
    proxy = await startTestProxy([wrappedFixtureEntry('wrapped')], { processMonitor: { intervalMs: 250 } });
    const connection = await connectClient(proxy, 'wrapped', 'streamable-http');
    const serverPid = Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} })));
    let snapshot: ProcessesSnapshot | undefined;
    await waitFor(async () => {
      snapshot = await processesOf('wrapped', '&watch=5');
      return only(snapshot).tree.some((node) => node.pid === serverPid && node.samples.length > 0);
    }, 'the server under the wrapper to be sampled', 20_000);
    const child = only(snapshot!);
    expect(child.tree[0]!.depth).toBe(0);
    expect(child.tree[0]!.command).toContain('wrapper.mjs');
    expect(child.tree[0]!.pid).not.toBe(serverPid);
    expect(child.tree.find((node) => node.pid === serverPid)).toMatchObject({ ppid: child.pid, depth: 1, alive: true });
    // Ticks reach the bus with the whole tree's figures.
    await waitFor(
      () => proxy!.events.some((event) => event.type === 'process-sample' && event.pid === child.pid && event.processes.some((process) => process.pid === serverPid)),
      'a process-sample event naming the server under the wrapper',
    );
    await connection.close();
    await expectNothingLeft(proxy);
  });

  it('keeps an ended child with its exit code and its last stderr lines', async () => {
    proxy = await startTestProxy([fixtureEntry('crashy')]);
    const connection = await connectClient(proxy, 'crashy', 'streamable-http');
    await connection.client.callTool({ name: 'crash', arguments: { code: 7 } }).catch(() => undefined);
    let child: MonitoredChild | undefined;
    await waitFor(async () => {
      child = only(await processesOf('crashy'));
      return child.ended !== undefined;
    }, 'the child to be listed as ended');
    expect(child!.ended).toMatchObject({ exitCode: 7, signal: null });
    expect(child!.stderrTail).toContain('fixture crashing with code 7');
    expect(child!.tree[0]!.alive).toBe(false);
    await connection.close();
    await expectNothingLeft(proxy);
  });

  it('names the signal of a child that was killed', async () => {
    proxy = await startTestProxy([fixtureEntry('killed')]);
    const connection = await connectClient(proxy, 'killed', 'streamable-http');
    const pid = Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} })));
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => only(await processesOf('killed')).ended !== undefined, 'the killed child to be listed as ended');
    expect(only(await processesOf('killed')).ended).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    await connection.close().catch(() => undefined);
    await expectNothingLeft(proxy);
  });

  it('flags a grandchild that outlives its session as leaked, and End ends it (only pids it recorded)', async () => {
    proxy = await startTestProxy([fixtureEntry('leaky')], { processMonitor: { intervalMs: 250, leakCheckDelayMs: 300 } });
    const connection = await connectClient(proxy, 'leaky', 'streamable-http');
    const stop = proxy.processes.watch();
    const leaked = Number(firstText(await connection.client.callTool({ name: 'leak', arguments: { lifetimeMs: 60_000 } })));
    strays.push(leaked);
    try {
      await waitFor(async () => only(await processesOf('leaky')).tree.some((node) => node.pid === leaked && node.samples.length > 0), 'the grandchild to be recorded in the tree', 20_000);
      const headers = { Authorization: `Bearer ${proxy.token}` };
      const live = await fetch(`${proxy.url}/api/processes/${leaked}/end`, { method: 'POST', headers });
      // While its session runs, the session owns it: End is refused.
      expect(live.status).toBe(409);
      expect(((await live.json()) as { error: { message: string } }).error.message).toMatch(/still serves session .*disconnect it instead/);

      await connection.close();
      await waitFor(async () => (await processesOf('leaky')).leaks.some((leak) => leak.pid === leaked), 'the grandchild to be flagged as leaked', 20_000);
      const snapshot = await processesOf('leaky');
      expect(snapshot.leaks).toEqual([{ pid: leaked, server: 'leaky', sessionId: only(snapshot).sessionId, childPid: only(snapshot).pid }]);
      expect(only(snapshot).tree.find((node) => node.pid === leaked)).toMatchObject({ alive: true, leaked: true });
      expect(isAlive(leaked)).toBe(true);

      const stranger = await fetch(`${proxy.url}/api/processes/${process.pid}/end`, { method: 'POST', headers });
      expect(stranger.status).toBe(404);
      expect(((await stranger.json()) as { error: { message: string } }).error.message).toMatch(/recorded no server process with pid/);
      expect((await fetch(`${proxy.url}/api/processes/abc/end`, { method: 'POST', headers })).status).toBe(400);
      expect((await fetch(`${proxy.url}/api/processes`)).status).toBe(401);

      const ended = await fetch(`${proxy.url}/api/processes/${leaked}/end`, { method: 'POST', headers });
      expect(ended.status).toBe(200);
      expect(await ended.json()).toMatchObject({ pid: leaked, ended: true, message: expect.stringContaining('ignored SIGTERM; SIGKILL ended it') });
      await waitFor(() => !isAlive(leaked), 'the leaked grandchild to be gone');
      expect((await processesOf('leaky')).leaks).toEqual([]);
      const again = await fetch(`${proxy.url}/api/processes/${leaked}/end`, { method: 'POST', headers });
      expect(again.status).toBe(410);
    } finally {
      stop();
    }
    await expectNothingLeft(proxy);
  });

  it("lists a modern server's shared child under its channel, with its figures", async () => {
    proxy = await startTestProxy([modernFixtureEntry('shared')], { processMonitor: { intervalMs: 250 } });
    const connection = await connectModernClient(proxy, 'shared', { pin: MODERN });
    expect(textOf(await connection.client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toContain('hi');
    let child: MonitoredChild | undefined;
    await waitFor(async () => {
      child = only(await processesOf('shared', '&watch=5'));
      return child.tree[0]!.samples.length > 0;
    }, 'the shared child to be sampled', 20_000);
    expect(child).toMatchObject({ server: 'shared', sessionId: 'modern:shared', era: 'modern' });
    expect(child!.tree[0]!.samples.at(-1)!.rssBytes).toBeGreaterThan(0);
    await connection.close();
  });

  it('answers a bad watch query with a readable error', async () => {
    proxy = await startTestProxy([fixtureEntry('idle')]);
    const response = await fetch(`${proxy.url}/api/processes?watch=forever`, { headers: { Authorization: `Bearer ${proxy.token}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Bad Request: watch must be a number of seconds from 1 to 3600, not "forever"');
  });

  it('answers the api methods: getProcesses, watchProcesses (bounded) and endProcess (refused with a reason)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-procmon-'));
    const services = await startAppServices({ dataDir, host: 'web', port: 0 });
    try {
      await services.catalog.add(fixtureEntry('api'));
      const connection = await connectClient(services.proxy, 'api', 'streamable-http');
      const pid = Number(firstText(await connection.client.callTool({ name: 'pid', arguments: {} })));
      const watched = await invokeApi(services.handlers, 'watchProcesses', { seconds: 5 });
      expect(watched).toMatchObject({ ok: true, value: { until: expect.any(Number) } });
      expect(services.proxy.processes.sampling).toBe(true);
      expect(await invokeApi(services.handlers, 'watchProcesses', { seconds: 3600 })).toEqual({
        ok: false,
        error: { code: 'invalid-payload', message: expect.stringContaining('watch for at most 300 seconds at a time; renew it') },
      });
      const listed = await invokeApi(services.handlers, 'getProcesses', { server: 'api' });
      expect(listed.ok && ProcessesSnapshotSchema.parse(listed.value).children.map((child) => child.pid)).toEqual([pid]);
      // `samples` keeps the newest of each history only.
      await waitFor(() => (services.proxy.processes.snapshot('api').children[0]?.tree[0]?.samples.length ?? 0) >= 2, 'two samples of the child', 20_000);
      const newestBefore = services.proxy.processes.snapshot('api').children[0]!.tree[0]!.samples.at(-1)!.at;
      const recent = await invokeApi(services.handlers, 'getProcesses', { server: 'api', samples: 1 });
      const newest = ProcessesSnapshotSchema.parse(recent.ok ? recent.value : undefined).children[0]!;
      expect(newest.tree[0]!.samples).toHaveLength(1);
      expect(newest.tree[0]!.samples[0]!.at).toBeGreaterThanOrEqual(newestBefore);
      expect(await invokeApi(services.handlers, 'endProcess', { pid })).toEqual({
        ok: false,
        error: { code: 'rejected', message: expect.stringMatching(/still serves session .*disconnect it instead/) },
      });
      expect(await invokeApi(services.handlers, 'endProcess', { pid: -3 })).toMatchObject({ ok: false, error: { code: 'invalid-payload', message: expect.stringContaining('a pid must be positive') } });
      await connection.close();
    } finally {
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
