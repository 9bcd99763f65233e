/**
 * The modern era (MCP 2026-07-28, the SDK's 2.x client pinned to it): latency and throughput of `echo` against the
 * dual-era fixture spoken to directly (stdio, its own Streamable HTTP endpoint) and through Patchbay's proxy (the
 * fixture as a stdio upstream, and as a remote Streamable HTTP upstream). `npm run bench` runs it after the relay
 * table; `npx tsx bench/modern.ts` runs it alone and writes bench/results/modern.json.
 *
 * Until the proxy serves the modern era at /servers/{id}/mcp, opening a modern session through it fails: the proxy
 * columns then say "modern route not available" with the proxy's answer, and the direct figures are still taken.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSession, type EchoSession, type HttpEndpoint } from './clients';
import { BENCH, REPO_ROOT } from './config';
import { startDirectModernHttpServer, type DirectModernHttpServer } from './direct-http';
import { attempt, errorText, type Outcome } from './guard';
import { relaySeries, type RelayResult } from './measurements/relay';
import { throughput, type ThroughputResult } from './measurements/throughput';
import { MODERN_REVISION, modernStdioSession, modernStreamableSession } from './modern-clients';
import { startPatchbay } from './proxy-target';
import { writeJson } from './report';
import { round } from './stats';
import type { Target } from './target';

const MODERN_RESULTS_PATH = join(REPO_ROOT, 'bench', 'results', 'modern.json');
// Backstops above each measurement's own bounded loops, with room for the modern sessions' slower connect.
const SERIES_LIMIT_MS = BENCH.modern.connectTimeoutMs + BENCH.relay.seriesTimeoutMs + 20_000;
const THROUGHPUT_LIMIT_MS = BENCH.modern.connectTimeoutMs + BENCH.throughput.durationMs + BENCH.throughput.callTimeoutMs + 30_000;

/** The four ways to the modern fixture, in the order of the section's columns. */
export const MODERN_PATHS = ['direct stdio', 'direct HTTP', 'proxy, stdio upstream', 'proxy, HTTP upstream'] as const;
export type ModernPath = (typeof MODERN_PATHS)[number];

export interface ModernPathResults {
  latency?: Outcome<RelayResult>;
  throughput?: Outcome<ThroughputResult>;
}

export interface ModernResults {
  revision: string;
  /** Whether the proxy served a modern session; when not, why (its answer to the probe). */
  route: Outcome<true>;
  paths: Record<ModernPath, ModernPathResults>;
}

/** Opens one modern session through the proxy and calls echo once: whether its modern route is there at all. */
async function probeRoute(endpoint: HttpEndpoint): Promise<Outcome<true>> {
  try {
    const session = await openSession(() => modernStreamableSession(endpoint), BENCH.modern.probeTimeoutMs);
    try {
      await session.echo('probe', BENCH.modern.probeTimeoutMs);
    } finally {
      await session.close();
    }
    return { ok: true, value: true };
  } catch (error) {
    return { ok: false, error: `modern route not available: ${errorText(error)}` };
  }
}

/**
 * Starts the modern fixture over HTTP and a proxy whose catalog holds the fixture both ways, probes the proxy's
 * modern route, then takes each measurement on every path back to back, alternating the order between rounds so
 * that drifting load skews all alike. Every process is stopped in every case.
 */
export async function measureModernEra(progress: (line: string) => void): Promise<ModernResults> {
  const paths = Object.fromEntries(MODERN_PATHS.map((path) => [path, {}])) as Record<ModernPath, ModernPathResults>;
  const results: ModernResults = { revision: MODERN_REVISION, route: { ok: false, error: 'not probed' }, paths };
  let server: DirectModernHttpServer | undefined;
  let proxy: Target | undefined;
  const failAll = (path: ModernPath, error: string) => {
    paths[path].latency = { ok: false, error };
    paths[path].throughput = { ok: false, error };
  };
  try {
    progress('modern: starting the modern fixture over HTTP and the proxy');
    try {
      server = await startDirectModernHttpServer();
    } catch (error) {
      failAll('direct HTTP', errorText(error));
      failAll('proxy, HTTP upstream', errorText(error));
    }
    try {
      proxy = await startPatchbay({ modernRemoteUrl: server?.streamable.url });
    } catch (error) {
      results.route = { ok: false, error: `the proxy did not start: ${errorText(error)}` };
    }
    const sessions: Partial<Record<ModernPath, () => EchoSession>> = { 'direct stdio': modernStdioSession };
    if (server) sessions['direct HTTP'] = () => modernStreamableSession(server!.streamable);
    if (proxy?.modern) {
      progress('modern: probing the proxy for its modern route');
      results.route = await probeRoute(proxy.modern.stdio);
      if (!results.route.ok) progress(`  ${results.route.error}`);
    }
    if (results.route.ok && proxy?.modern) {
      const { stdio, remote } = proxy.modern;
      sessions['proxy, stdio upstream'] = () => modernStreamableSession(stdio);
      if (remote) sessions['proxy, HTTP upstream'] = () => modernStreamableSession(remote);
    } else {
      for (const path of ['proxy, stdio upstream', 'proxy, HTTP upstream'] as const) if (!paths[path].latency) failAll(path, results.route.ok ? 'no proxy' : results.route.error);
    }

    const live = MODERN_PATHS.filter((path) => sessions[path]);
    for (const [round, measurement] of (['latency', 'throughput'] as const).entries()) {
      for (const path of round % 2 === 0 ? live : [...live].reverse()) {
        const make = sessions[path]!;
        const label = `modern: ${path}: ${measurement === 'latency' ? 'echo latency' : 'throughput'}`;
        progress(label);
        const outcome =
          measurement === 'latency'
            ? (paths[path].latency = await attempt(label, SERIES_LIMIT_MS, () => relaySeries(make, BENCH.modern.calls)))
            : (paths[path].throughput = await attempt(label, THROUGHPUT_LIMIT_MS, () => throughput(make, BENCH.throughput.sessions, BENCH.modern.throughputWarmupCalls)));
        if (!outcome.ok) progress(`  failed: ${outcome.error}`);
      }
    }
  } finally {
    if (proxy) await proxy.stop();
    if (server) await server.stop();
  }
  return results;
}

/** The section printed under the relay table: one row per figure, one column per path to the fixture. */
export function renderModernSection(results: ModernResults): string {
  const footnotes: string[] = [];
  const cell = <T>(outcome: Outcome<T> | undefined, pick: (value: T) => number): string => {
    if (!outcome) return '';
    if (outcome.ok) return String(round(pick(outcome.value)));
    const index = footnotes.indexOf(outcome.error);
    if (index === -1) footnotes.push(outcome.error);
    return `FAILED [${(index === -1 ? footnotes.length : index + 1)}]`;
  };
  const { paths } = results;
  const p50 = (path: ModernPath) => (paths[path].latency?.ok ? paths[path].latency.value.latency.p50 : undefined);
  const added = (path: ModernPath, baseline: ModernPath): string => {
    const ours = p50(path);
    const base = p50(baseline);
    return ours === undefined || base === undefined ? '' : `+${round(ours - base)} vs ${baseline}`;
  };
  const rows: string[][] = [
    ['', ...MODERN_PATHS],
    ['echo latency p50 (ms ↓)', ...MODERN_PATHS.map((path) => cell(paths[path].latency, (value) => value.latency.p50))],
    ['echo latency p99 (ms ↓)', ...MODERN_PATHS.map((path) => cell(paths[path].latency, (value) => value.latency.p99))],
    ['throughput, 10 sessions (calls/s ↑)', ...MODERN_PATHS.map((path) => cell(paths[path].throughput, (value) => value.callsPerSecond))],
    ['added p50 (ms)', '', '', added('proxy, stdio upstream', 'direct stdio'), added('proxy, HTTP upstream', 'direct HTTP')],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ').trimEnd());
  const title = `Modern era (MCP ${results.revision}, the SDK's 2.x client): echo to the dual-era fixture, ${BENCH.modern.calls} sequential calls; throughput ${BENCH.throughput.sessions} sessions × ${BENCH.throughput.durationMs / 1000} s`;
  const notes = [
    results.route.ok ? 'proxy: modern route served' : `proxy: ${results.route.error}`,
    ...footnotes.map((text, index) => `[${index + 1}] ${text}`),
  ];
  return [title, ...lines.map((line) => `  ${line}`), ...notes.map((line) => `  ${line}`)].join('\n');
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const results = await measureModernEra((line) => void process.stderr.write(`${line}\n`));
  const loadAfter = loadavg()[0]!;
  process.stdout.write(`${renderModernSection(results)}\n`);
  process.stdout.write(`note: load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cpus().length} CPUs\n`);
  writeJson(MODERN_RESULTS_PATH, { generatedAt: new Date().toISOString(), settings: { modern: BENCH.modern, relay: BENCH.relay, throughput: BENCH.throughput }, loadAverage: [loadBefore, loadAfter], modern: results });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`modern bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
