/**
 * The throughput ceiling: how many `echo` calls per second reach the fixture directly over stdio (the SDK's client
 * straight to a child) and through Patchbay's proxy over Streamable HTTP (one session, N sessions) and HTTP+SSE,
 * with many calls in flight, from a load process of its own (bench/ceiling-load.ts) that is cheap enough not to be
 * the limit. `npm run bench` prints it after the modern era; `npx tsx bench/ceiling.ts` runs it alone (about half a
 * minute) and writes bench/results/ceiling.json.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH, REPO_ROOT } from './config';
import { attempt, errorText, type Outcome } from './guard';
import { ceiling, ceilingCases, type CeilingCase, type CeilingResult } from './measurements/ceiling';
import { startPatchbay } from './proxy-target';
import { writeJson } from './report';
import { round } from './stats';
import type { Target } from './target';

const CEILING_RESULTS_PATH = join(REPO_ROOT, 'bench', 'results', 'ceiling.json');
const CASE_LIMIT_MS = BENCH.processStartTimeoutMs * 2 + BENCH.ceiling.warmupMs + BENCH.ceiling.durationMs + BENCH.ceiling.callTimeoutMs * 3;

export interface CeilingRow {
  case: CeilingCase;
  outcome: Outcome<CeilingResult>;
}

/** Starts a proxy host, measures every case one after the other, stops it in every case. */
export async function measureCeiling(progress: (line: string) => void): Promise<CeilingRow[]> {
  const rows: CeilingRow[] = [];
  let proxy: Target | undefined;
  let proxyProblem: string | undefined;
  try {
    try {
      proxy = await startPatchbay();
    } catch (error) {
      proxyProblem = `the proxy did not start: ${errorText(error)}`;
    }
    for (const testCase of ceilingCases()) {
      progress(`ceiling: ${testCase.label}, ${testCase.inFlight} in flight per session`);
      const outcome: Outcome<CeilingResult> =
        testCase.mode !== 'direct-stdio' && !proxy ? { ok: false, error: proxyProblem ?? 'no proxy' } : await attempt(`ceiling: ${testCase.label}`, CASE_LIMIT_MS, () => ceiling(testCase, proxy));
      if (!outcome.ok) progress(`  failed: ${outcome.error}`);
      rows.push({ case: testCase, outcome });
    }
  } finally {
    await proxy?.stop();
  }
  return rows;
}

/** The section: one row per case, calls/s, latency and the CPU each side spent per 1000 calls. */
export function renderCeilingSection(rows: CeilingRow[]): string {
  const footnotes: string[] = [];
  const failed = (error: string): string => {
    let index = footnotes.indexOf(error);
    if (index === -1) index = footnotes.push(error) - 1;
    return `FAILED [${index + 1}]`;
  };
  const header = ['', 'in flight', 'calls/s ↑', 'p50 ms', 'p99 ms', 'errors', 'proxy CPU ms/1000 calls', 'load CPU ms/1000 calls'];
  const table = [
    header,
    ...rows.map(({ case: testCase, outcome }) => {
      const inFlight = `${testCase.sessions} × ${testCase.inFlight}`;
      if (!outcome.ok) return [testCase.label, inFlight, failed(outcome.error), '', '', '', '', ''];
      const value = outcome.value;
      return [
        testCase.label,
        inFlight,
        String(round(value.callsPerSecond)),
        String(round(value.latency.p50)),
        String(round(value.latency.p99)),
        value.errors === 0 ? '0' : `${value.errors} (${value.firstError ?? ''})`,
        value.proxyCpuMsPer1000 === undefined ? '' : String(round(value.proxyCpuMsPer1000)),
        String(round(value.loadCpuMsPer1000)),
      ];
    }),
  ];
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) => row.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ').trimEnd());
  const { warmupMs, durationMs } = BENCH.ceiling;
  const title = `Throughput ceiling: echo in closed loops for ${durationMs / 1000} s after ${warmupMs / 1000} s of warm-up, from a load process of its own (raw keep-alive HTTP with undici through the proxy; the SDK's client over stdio direct)`;
  const notes = [
    'proxy CPU is the proxy process alone (its fixture child is a process of its own); on a 2-core machine the proxy, the child and the load process share the cores, so calls/s is bounded by their CPU per call added up',
    ...footnotes.map((text, index) => `[${index + 1}] ${text}`),
  ];
  return [title, ...lines.map((line) => `  ${line}`), ...notes.map((line) => `  ${line}`)].join('\n');
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  const rows = await measureCeiling((line) => void process.stderr.write(`${line}\n`));
  const loadAfter = loadavg()[0]!;
  process.stdout.write(`${renderCeilingSection(rows)}\n`);
  process.stdout.write(`note: load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cpus().length} CPUs\n`);
  writeJson(CEILING_RESULTS_PATH, { generatedAt: new Date().toISOString(), settings: BENCH.ceiling, loadAverage: [loadBefore, loadAfter], rows });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`ceiling bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
