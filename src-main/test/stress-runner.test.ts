import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LifecycleEvent } from '../../src-shared/events';
import type { StressLoadInput, StressProgress, StressSettings, StressTarget } from '../../src-shared/stress';
import { StressLoadSchema } from '../../src-shared/stress';
import { runToCsv } from '../services/stress/stress-export';
import { startStressRun } from '../services/stress/stress-run';
import { StressStore } from '../services/stress/stress-store';
import { fixtureEntry, processesMatching, RUN_TAG, startTestProxy, type TestProxy } from './helpers';

// The stress runner against the fixture server through a real proxy: the figures are what the server did.
const proxies: TestProxy[] = [];
const folders: string[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  expect(processesMatching(RUN_TAG)).toEqual([]);
});

async function proxyWithFixture(): Promise<TestProxy> {
  const proxy = await startTestProxy([fixtureEntry('fixture')]);
  proxies.push(proxy);
  return proxy;
}

function settings(target: StressTarget, load: StressLoadInput): StressSettings {
  return { server: 'fixture', target, load: StressLoadSchema.parse(load) };
}

const mixed = (args: Record<string, unknown>): StressTarget => ({ kind: 'tool', name: 'mixed', arguments: args });
/** The reasons of the notifications/cancelled the client sent through the proxy. */
const cancelReasons = (proxy: TestProxy): unknown[] =>
  proxy.events.flatMap((event) =>
    event.type === 'message' && event.direction === 'client-to-server' && event.method === 'notifications/cancelled' ? [(event.body as { params?: { reason?: unknown } }).params?.reason] : [],
  );
const stderrLines = (proxy: TestProxy, text: string): string[] =>
  proxy.events.flatMap((event: LifecycleEvent) => (event.type === 'stderr' && event.line.includes(text) ? [event.line] : []));

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the stress runner through the proxy', () => {
  it('counts every outcome by kind: JSON-RPC errors by code, isError results and successes', async () => {
    const proxy = await proxyWithFixture();
    // One call at a time, so the fixture's call N is the run's call N: of 30, every 5th is a JSON-RPC error -32050
    // (6), every 3rd of the others an isError result (8: 3,6,9,12,18,21,24,27), the 16 left succeed.
    const run = startStressRun({
      settings: settings(mixed({ errorEvery: 5, errorCode: -32050, toolErrorEvery: 3 }), { concurrency: 1, calls: 30 }),
      baseUrl: proxy.url,
      token: proxy.token ?? undefined,
    });
    const result = await run.done;
    expect(result.failure).toBeUndefined();
    expect(result.outcome).toBe('completed');
    expect(result.figures).toMatchObject({ started: 30, ok: 16, cancelled: 0, inFlight: 0, errors: { 'jsonrpc -32050': 6, isError: 8 }, progress: 1 });
    expect(result.figures.errorSamples['jsonrpc -32050']).toBe('mixed: call 5 fails with -32050');
    expect(result.figures.errorSamples.isError).toBe('mixed: call 3 is a tool error');
    expect(result.figures.latency.count).toBe(30);
    expect(result.histogram.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(30);
    expect(result.serverInfo).toMatchObject({ name: 'patchbay-fixture', version: '1.2.3' });
    expect(result.series.reduce((sum, point) => sum + point.calls, 0)).toBe(30);
  });

  it('measures latency the server causes: a 100 ms tool has its percentiles at 100 ms and more', async () => {
    const proxy = await proxyWithFixture();
    const result = await startStressRun({ settings: settings(mixed({ delayMs: 100 }), { concurrency: 10, calls: 40 }), baseUrl: proxy.url, token: proxy.token ?? undefined }).done;
    expect(result.figures.ok).toBe(40);
    expect(result.figures.latency.min).toBeGreaterThanOrEqual(99);
    expect(result.figures.latency.p50).toBeGreaterThanOrEqual(result.figures.latency.min);
    expect(result.figures.latency.p99).toBeGreaterThanOrEqual(result.figures.latency.p50);
    expect(result.figures.latency.max).toBeGreaterThanOrEqual(result.figures.latency.p99);
  });

  it('cancels the chosen share with notifications/cancelled, which reaches the server', async () => {
    const proxy = await proxyWithFixture();
    // Calls that would take 3 s, half of them cancelled after 300 ms (long after their request reached the server,
    // even on a loaded machine): those end then, the others answer.
    const result = await startStressRun({
      settings: settings(mixed({ delayMs: 3000 }), { concurrency: 10, calls: 10, cancelShare: 0.5, cancelAfterMs: 300 }),
      baseUrl: proxy.url,
      token: proxy.token ?? undefined,
    }).done;
    expect(result.figures).toMatchObject({ started: 10, cancelled: 5, ok: 5, errors: {} });
    expect(result.figures.latency.count).toBe(5);
    await until(() => stderrLines(proxy, 'mixed cancelled call').length === 5, 'the server to report 5 cancels');
    const cancels = proxy.events.filter((event) => event.type === 'message' && event.direction === 'client-to-server' && event.method === 'notifications/cancelled');
    // Sent by the runner (the proxy, should it see a request stream dropped, sends one of its own with another reason).
    expect(cancels.map((event) => event.type === 'message' && (event.body as { params?: { reason?: string } }).params?.reason)).toEqual(Array(5).fill('cancelled by the stress run'));
  });

  it('counts a call past the call timeout as a timeout, and cancels it at the server', async () => {
    const proxy = await proxyWithFixture();
    const result = await startStressRun({
      settings: settings(mixed({ delayMs: 5000 }), { concurrency: 3, calls: 3, callTimeoutMs: 200 }),
      baseUrl: proxy.url,
      token: proxy.token ?? undefined,
    }).done;
    expect(result.figures).toMatchObject({ ok: 0, cancelled: 0, errors: { timeout: 3 } });
    expect(result.figures.errorSamples.timeout).toBe('no answer within 200 ms');
    await until(() => stderrLines(proxy, 'mixed cancelled call').length === 3, 'the server to report 3 cancels');
    expect(cancelReasons(proxy)).toEqual(Array(3).fill('no answer within 200 ms'));
  });

  it('on Stop cancels every call in flight and leaves no session behind, over several sessions', async () => {
    const proxy = await proxyWithFixture();
    const progress: StressProgress[] = [];
    const run = startStressRun({
      settings: settings(mixed({ delayMs: 10_000 }), { concurrency: 12, sessions: 3, durationMs: 60_000 }),
      baseUrl: proxy.url,
      token: proxy.token ?? undefined,
      onProgress: (update) => progress.push(update),
    });
    await until(() => run.latest().figures.inFlight === 12, '12 calls in flight');
    const live = await (await fetch(`${proxy.url}/api/sessions`, { headers: { authorization: `Bearer ${proxy.token}` } })).json();
    expect(live.sessions).toHaveLength(3);
    run.stop();
    const result = await run.done;
    expect(result.outcome).toBe('stopped');
    expect(result.figures).toMatchObject({ started: 12, cancelled: 12, inFlight: 0, ok: 0 });
    const after = await (await fetch(`${proxy.url}/api/sessions`, { headers: { authorization: `Bearer ${proxy.token}` } })).json();
    expect(after.sessions).toEqual([]);
    expect(proxy.events.filter((event) => event.type === 'session-closed').map((event) => event.type === 'session-closed' && event.reason)).toEqual(['client-deleted', 'client-deleted', 'client-deleted']);
    // Every one of them was cancelled by name before its session closed (closing would also end the calls).
    expect(cancelReasons(proxy)).toEqual(Array(12).fill('the stress run was stopped'));
    const firstClose = proxy.events.findIndex((event) => event.type === 'session-closing');
    const lastCancel = proxy.events.findLastIndex((event) => event.type === 'message' && event.method === 'notifications/cancelled');
    expect(lastCancel).toBeLessThan(firstClose);
    // The child's stderr lines arrive on their own time, maybe after the run has ended.
    await until(() => stderrLines(proxy, 'mixed cancelled call').length === 12, 'the server to report 12 cancels');
    expect(progress.some((update) => update.state === 'running')).toBe(true);
  });

  it('paces calls at the target rate', async () => {
    const proxy = await proxyWithFixture();
    const result = await startStressRun({ settings: settings({ kind: 'tool', name: 'echo', arguments: { text: 'hi' } }, { concurrency: 5, calls: 10, rate: 20 }), baseUrl: proxy.url, token: proxy.token ?? undefined }).done;
    expect(result.figures.ok).toBe(10);
    // Ten calls at 20/s: the last starts 450 ms after the first (a lower bound; a loaded machine only adds).
    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(440);
  });

  it('reads resources and gets prompts', async () => {
    const proxy = await proxyWithFixture();
    const read = await startStressRun({ settings: settings({ kind: 'resource', uri: 'fixture://hello' }, { concurrency: 2, calls: 6 }), baseUrl: proxy.url, token: proxy.token ?? undefined }).done;
    expect(read.figures).toMatchObject({ ok: 6, errors: {} });
    const prompt = await startStressRun({ settings: settings({ kind: 'prompt', name: 'greet', arguments: { name: 'Ada' } }, { concurrency: 2, calls: 6 }), baseUrl: proxy.url, token: proxy.token ?? undefined }).done;
    expect(prompt.figures).toMatchObject({ ok: 6, errors: {} });
    const missing = await startStressRun({ settings: settings({ kind: 'resource', uri: 'fixture://nothing' }, { concurrency: 1, calls: 2 }), baseUrl: proxy.url, token: proxy.token ?? undefined }).done;
    expect(Object.keys(missing.figures.errors)).toEqual([expect.stringMatching(/^jsonrpc -32/)]);
  });

  it('fails with the reason when no session can be opened', async () => {
    const proxy = await proxyWithFixture();
    const result = await startStressRun({ settings: { ...settings({ kind: 'tool', name: 'echo', arguments: {} }, { concurrency: 1, calls: 1 }), server: 'absent' }, baseUrl: proxy.url, token: proxy.token ?? undefined }).done;
    expect(result.outcome).toBe('failed');
    expect(result.failure).toMatch(/could not open a session to "absent": initialize failed: HTTP 404/);
    const wrongToken = await startStressRun({ settings: settings({ kind: 'tool', name: 'echo', arguments: {} }, { concurrency: 1, calls: 1 }), baseUrl: proxy.url, token: 'not-the-token' }).done;
    expect(wrongToken.failure).toMatch(/HTTP 401/);
  });
});

describe('saved stress runs', () => {
  it('are written, listed, read back through the schema and exported; a broken file is named, not fatal', async () => {
    const proxy = await proxyWithFixture();
    const folder = await mkdtemp(join(tmpdir(), 'patchbay-stress-'));
    folders.push(folder);
    const store = await StressStore.openIn(folder);
    const run = await startStressRun({ settings: settings(mixed({ toolErrorEvery: 2 }), { concurrency: 2, calls: 8 }), baseUrl: proxy.url, token: proxy.token ?? undefined }).done;
    await store.save(run);
    await writeFile(join(store.folder, 'broken.json'), '{"version":1}');
    const listed = await store.list('fixture');
    expect(listed.runs).toEqual([expect.objectContaining({ id: run.id, server: 'fixture', calls: 8, errors: 4, serverInfo: expect.objectContaining({ version: '1.2.3' }) })]);
    expect(listed.problems).toEqual([expect.stringMatching(/broken\.json is not a stress run: id: /)]);
    expect(await store.get(run.id)).toEqual(run);
    await expect(store.get('../catalog')).rejects.toThrow('"../catalog" is not a stress run id');
    const csv = runToCsv(run);
    expect(csv).toContain('server version,1.2.3\r\n');
    expect(csv).toContain('errors: tool error (isError),4\r\n');
    expect(csv).toContain('arguments,"{""toolErrorEvery"":2}"\r\n');
    expect(csv).toContain('second ends at ms,calls,errors,cancelled,p50 ms,p99 ms,max ms,in flight\r\n');
    await store.remove(run.id);
    expect((await store.list()).runs).toEqual([]);
  });
});
