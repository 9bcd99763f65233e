/**
 * `npm run bench`: measures Patchbay's proxy against direct connections to the fixture (over stdio, and over
 * Streamable HTTP and HTTP+SSE to the fixture's own HTTP server) and against the supergateway peer, prints one table and writes the same figures to bench/results/latest.json. Not part of the tests.
 * Then the modern era (bench/modern.ts: echo to the dual-era fixture, direct and through the proxy), the throughput
 * ceiling (bench/ceiling.ts: many echo calls in flight from a load process of its own, direct stdio and through the
 * proxy), the stress runner's ceiling (bench/stress-runner.ts: the runner against a null responder, direct stdio, the
 * runner through the proxy) and the renderer's timeline (bench/timeline.ts, which builds the renderer first when it is missing or stale).
 * See bench/README.md for what each figure means and how to add one.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sseSession, stdioSession, streamableSession, type HttpEndpoint } from './clients';
import { startDirectHttpServer, type DirectHttpServer } from './direct-http';
import { BENCH, FIXTURE_PATH, MODERN_FIXTURE_PATH, PEER_LOG_LEVEL, REPO_ROOT, RESULTS_PATH } from './config';
import { attempt, errorText, waitFor, type Outcome } from './guard';
import { largeResult } from './measurements/large-result';
import { connectStormUnderLoad } from './measurements/loaded-storm';
import { LOADED_STORM_LIMIT_MS } from './loaded-storm';
import { memoryPerSession } from './measurements/memory';
import { relaySeries } from './measurements/relay';
import { slowReader } from './measurements/slow-reader';
import { connectStorm } from './measurements/storm';
import { throughput } from './measurements/throughput';
import { measureCeiling, renderCeilingSection } from './ceiling';
import { measureModernEra, renderModernSection } from './modern';
import { measureStressRunner, renderStressRunnerSection, type StressRunnerRow } from './stress-runner';
import { startSupergateway } from './peer-target';
import { descendants, descendantsRunning, installInterruptHandlers, killAll } from './processes';
import { startPatchbay } from './proxy-target';
import { renderTable, toJsonRows, writeJson } from './report';
import { emptyDirectHttpResults, emptyTargetResults, type BenchResults, type DirectHttpResults, type TargetResults } from './results';
import { buildRows } from './rows';
import type { Target } from './target';
import { measureTimeline, renderTimelineSection } from './timeline';

const runStarted = performance.now();

/** Progress goes to stderr so that stdout carries only the table. */
function progress(message: string): void {
  process.stderr.write(`[${((performance.now() - runStarted) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

/** Runs one measurement under its time limit, logging it and its failure, if any. */
async function measure<T>(label: string, timeoutMs: number, run: () => Promise<T>): Promise<Outcome<T>> {
  progress(label);
  const outcome = await attempt(label, timeoutMs, run);
  if (!outcome.ok) progress(`  failed: ${outcome.error}`);
  return outcome;
}

// Generous backstops above each measurement's own bounded loops.
const RELAY_LIMIT_MS = BENCH.relay.seriesTimeoutMs + 20_000;
const STORM_LIMIT_MS = BENCH.storm.connectTimeoutMs + BENCH.storm.closeTimeoutMs + 20_000;
const THROUGHPUT_LIMIT_MS = BENCH.throughput.durationMs + BENCH.throughput.callTimeoutMs + 30_000;
const LARGE_LIMIT_MS = BENCH.largeResult.seriesTimeoutMs + 20_000;
const SLOW_READER_LIMIT_MS = BENCH.slowReader.timeoutMs;
// Three runs of the stress runner's duration, with room for the processes to start and the sessions to close.
const STRESS_RUNNER_LIMIT_MS = 120_000;

/** Waits (bounded) until the target has no children left, so one measurement's cleanup does not load the next. */
async function quiesce(target: Target): Promise<void> {
  await waitFor(() => target.children().length === 0, 10_000, 100);
}

/** A relay under test, with the results gathered for it so far. */
interface Contender {
  name: string;
  start: () => Promise<Target>;
  stormSizes: readonly number[];
  results: TargetResults;
  target?: Target;
}

/** The fixture's own HTTP server (no relay), with the baseline figures gathered from it so far. */
interface Baseline {
  name: string;
  start: () => Promise<DirectHttpServer>;
  results: DirectHttpResults;
  server?: DirectHttpServer;
}

/**
 * Starts every relay and the direct HTTP baseline server, then runs each measurement against each relay back to
 * back, alternating which goes first, so that load from elsewhere on the machine drifting over the run skews both
 * alike. The relay-overhead and large-result measurements are also taken on the baseline server, between the two
 * relays, so that drift skews the baseline as much as the average of the two. Memory goes first, on fresh
 * processes. A failed measurement is recorded and the next one still runs; every process is stopped in every case.
 */
async function measureRelays(contenders: Contender[], baseline: Baseline): Promise<void> {
  try {
    progress(`${baseline.name}: starting`);
    try {
      baseline.server = await baseline.start();
      baseline.results.start = { ok: true, value: { pid: baseline.server.pid, port: baseline.server.port } };
    } catch (error) {
      baseline.results.start = { ok: false, error: errorText(error) };
      progress(`  failed: ${baseline.results.start.error}`);
    }
    for (const contender of contenders) {
      progress(`${contender.name}: starting`);
      try {
        contender.target = await contender.start();
        contender.results.start = { ok: true, value: { pid: contender.target.pid } };
      } catch (error) {
        contender.results.start = { ok: false, error: errorText(error) };
        progress(`  failed: ${contender.results.start.error}`);
      }
    }
    let round = 0;
    /**
     * Runs one measurement on every live relay; `run` returns false to skip a relay that lacks the feature. With
     * `direct`, the same measurement runs on the baseline server too, after the first relay in this round's order.
     */
    const each = async (
      run: (contender: Contender, target: Target) => Promise<boolean | void>,
      direct?: (server: DirectHttpServer) => Promise<void>,
    ): Promise<void> => {
      const order = round++ % 2 === 0 ? contenders : [...contenders].reverse();
      const steps = order.map((contender) => async () => {
        if (!contender.target) return;
        if ((await run(contender, contender.target)) !== false) await quiesce(contender.target);
      });
      const server = baseline.server;
      if (direct && server) steps.splice(1, 0, () => direct(server));
      for (const step of steps) await step();
    };
    const streamable = (target: { streamable: HttpEndpoint }) => () => streamableSession(target.streamable);

    await each(async ({ name, results }, target) => {
      results.memory = await measure(`${name}: memory per idle session`, BENCH.memory.timeoutMs, () => memoryPerSession(target));
    });
    for (const size of new Set(contenders.flatMap((contender) => contender.stormSizes))) {
      await each(async ({ name, results, stormSizes }, target) => {
        if (!stormSizes.includes(size)) return false;
        results.storms[size] = await measure(`${name}: connect storm N=${size}`, STORM_LIMIT_MS, () => connectStorm(target, size));
      });
    }
    // Only Patchbay: the keep-alive race is a property of the proxy's HTTP server, measured to be 0 lost connects.
    await each(async ({ name, results }, target) => {
      if (name !== 'Patchbay') return false;
      results.loadedStorm = await measure(`${name}: connect storm under CPU load`, LOADED_STORM_LIMIT_MS, () => connectStormUnderLoad(target));
    });
    const direct = baseline.results;
    await each(
      async ({ name, results }, target) => {
        results.relayStreamable = await measure(`${name}: relay overhead, Streamable HTTP`, RELAY_LIMIT_MS, () => relaySeries(streamable(target)));
      },
      async (server) => {
        direct.relayStreamable = await measure(`${baseline.name}: relay baseline, Streamable HTTP`, RELAY_LIMIT_MS, () => relaySeries(streamable(server)));
      },
    );
    await each(
      async ({ name, results }, { sse }) => {
        if (!sse) return false;
        results.relaySse = await measure(`${name}: relay overhead, HTTP+SSE`, RELAY_LIMIT_MS, () => relaySeries(() => sseSession(sse)));
      },
      async ({ sse }) => {
        direct.relaySse = await measure(`${baseline.name}: relay baseline, HTTP+SSE`, RELAY_LIMIT_MS, () => relaySeries(() => sseSession(sse)));
      },
    );
    await each(async ({ name, results }, target) => {
      results.throughput = await measure(`${name}: throughput`, THROUGHPUT_LIMIT_MS, () => throughput(streamable(target)));
    });
    await each(
      async ({ name, results }, target) => {
        results.largeStreamable = await measure(`${name}: large result, Streamable HTTP`, LARGE_LIMIT_MS, () => largeResult(streamable(target)));
      },
      async (server) => {
        direct.largeStreamable = await measure(`${baseline.name}: large result baseline, Streamable HTTP`, LARGE_LIMIT_MS, () => largeResult(streamable(server)));
      },
    );
    await each(
      async ({ name, results }, { sse }) => {
        if (!sse) return false;
        results.largeSse = await measure(`${name}: large result, HTTP+SSE`, LARGE_LIMIT_MS, () => largeResult(() => sseSession(sse)));
      },
      async ({ sse }) => {
        direct.largeSse = await measure(`${baseline.name}: large result baseline, HTTP+SSE`, LARGE_LIMIT_MS, () => largeResult(() => sseSession(sse)));
      },
    );
    await each(async ({ name, results }, target) => {
      // Only a relay that can sample its own peak memory (Patchbay's host) takes part.
      if (!target.memoryPeak) return false;
      results.slowReader = await measure(`${name}: slow reader`, SLOW_READER_LIMIT_MS, () => slowReader(target));
    });
  } finally {
    for (const contender of contenders) {
      if (!contender.target) continue;
      progress(`${contender.name}: stopping`);
      await contender.target.stop();
    }
    if (baseline.server) {
      progress(`${baseline.name}: stopping`);
      await baseline.server.stop();
    }
  }
}

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  installInterruptHandlers();
  const unhandledRejections: string[] = [];
  // Recorded and reported rather than crashing the run: the table should show it, with the rest of the figures.
  process.on('unhandledRejection', (reason) => {
    unhandledRejections.push(errorText(reason));
    progress(`unhandled rejection: ${errorText(reason)}`);
  });
  // undici adds one abort listener per fetch to the SDK transport's long-lived AbortSignal and drops it only at GC,
  // so a long series on one session trips MaxListenersExceededWarning now and then. It is the client's, harmless
  // here, and would bury the progress lines: count it instead of printing it. Every other warning prints as usual.
  let abortListenerWarnings = 0;
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'MaxListenersExceededWarning' && warning.message.includes('AbortSignal')) abortListenerWarnings += 1;
    else process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });

  const loadBefore = loadavg();
  const direct = {
    relay: await measure('direct stdio: relay baseline', RELAY_LIMIT_MS, () => relaySeries(stdioSession)),
    large: await measure('direct stdio: large result baseline', LARGE_LIMIT_MS, () => largeResult(stdioSession)),
  };
  const patchbay: Contender = { name: 'Patchbay', start: startPatchbay, stormSizes: BENCH.storm.sizes, results: emptyTargetResults() };
  const peer: Contender = { name: 'supergateway', start: startSupergateway, stormSizes: BENCH.storm.peerSizes, results: emptyTargetResults() };
  const directHttp: Baseline = { name: 'direct HTTP server', start: startDirectHttpServer, results: emptyDirectHttpResults() };
  await measureRelays([patchbay, peer], directHttp);
  const modern = await measureModernEra(progress);
  const ceiling = await measureCeiling(progress);
  const stressRunner = await measure<StressRunnerRow[]>('stress runner', STRESS_RUNNER_LIMIT_MS, () => measureStressRunner(progress));
  progress('renderer: timeline with 100,000 messages (web mode, Chromium)');
  const timeline = await measureTimeline((line) => progress(`renderer: ${line}`));

  // Every target is stopped: a fixture (stdio or the direct HTTP server), proxy host or gateway still running under the bench is a leak; count it,
  // then end it (tsx's esbuild service is ours to keep and is not counted).
  const leftovers = descendantsRunning(process.pid, [FIXTURE_PATH, MODERN_FIXTURE_PATH, 'proxy-host', 'ceiling-load', 'supergateway']);
  killAll(leftovers);
  const loadAfter = loadavg();

  const results: BenchResults = {
    direct,
    directHttp: directHttp.results,
    patchbay: patchbay.results,
    peer: peer.results,
    leftoverProcesses: leftovers.length,
    unhandledRejections,
    abortListenerWarnings,
  };
  const notes: string[] = [];
  // Other work on this machine skews every figure; the load average makes that visible.
  notes.push(`load average (1 min) ${loadBefore[0]!.toFixed(2)} before the run, ${loadAfter[0]!.toFixed(2)} after, on ${cpus().length} CPUs`);
  const rows = buildRows(results, notes);
  const durationMs = performance.now() - runStarted;
  process.stdout.write(`\n${renderTable(rows, notes)}\n\n${renderModernSection(modern)}\n\n${renderCeilingSection(ceiling)}\n\n${stressRunner.ok ? renderStressRunnerSection(stressRunner.value) : `Stress runner: FAILED: ${stressRunner.error}`}\n\n${renderTimelineSection(timeline)}\n`);
  writeJson(RESULTS_PATH, {
    generatedAt: new Date().toISOString(),
    durationMs: Math.round(durationMs),
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      sdk: packageVersion('@modelcontextprotocol/sdk'),
      supergateway: packageVersion('supergateway'),
      supergatewayLogLevel: PEER_LOG_LEVEL,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadAfter,
    },
    settings: BENCH,
    table: toJsonRows(rows),
    notes,
    raw: results,
    modern,
    ceiling,
    stressRunner,
    timeline,
  });
  progress(`done in ${(durationMs / 1000).toFixed(0)} s; figures written to ${RESULTS_PATH}`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    killAll(descendants(process.pid));
    process.exitCode = 1;
  })
  .finally(() => {
    // Keep-alive sockets of fetch may hold the loop open for a while; nothing is left to wait for.
    setTimeout(() => process.exit(), 1_000).unref();
  });
