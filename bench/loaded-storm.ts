/**
 * The connect storm under artificial CPU load alone: `npx tsx bench/loaded-storm.ts` starts Patchbay's proxy host,
 * runs BENCH.loadedStorm (about a minute on 2 cores), prints the figures and writes bench/results/loaded-storm.json.
 * `npm run bench` runs the same measurement in its connect-storm section. Lost connects must be 0.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH, REPO_ROOT } from './config';
import { attempt, type Outcome } from './guard';
import { connectStormUnderLoad, type LoadedStormResult } from './measurements/loaded-storm';
import { installInterruptHandlers } from './processes';
import { startPatchbay } from './proxy-target';
import { writeJson } from './report';
import { round } from './stats';

const RESULTS = join(REPO_ROOT, 'bench', 'results', 'loaded-storm.json');

/** The time limit of the whole measurement: the load's own bound plus each storm's close budget. */
export const LOADED_STORM_LIMIT_MS = BENCH.loadedStorm.maxLoadMs + BENCH.storm.connectTimeoutMs + BENCH.storm.closeTimeoutMs + 20_000;

/** One line per round and a total, as printed under the table. */
export function renderLoadedStorm(outcome: Outcome<LoadedStormResult>): string {
  const title = `Connect storm under CPU load: ${BENCH.loadedStorm.rounds} × ${BENCH.loadedStorm.size} Streamable HTTP connects to Patchbay`;
  if (!outcome.ok) return `${title}\n  FAILED: ${outcome.error}`;
  const result = outcome.value;
  const lines = [
    `${title}, ${result.busyProcesses} busy-loop processes on ${cpus().length} CPUs (load average ${round(result.loadAtStart)} → ${round(result.loadAtEnd)})`,
    ...result.rounds.map((storm, index) => {
      const errors = Object.entries(storm.errors).map(([error, count]) => `${count}× ${error}`);
      return `  round ${index + 1}: ${storm.succeeded}/${storm.size} initialized, p50 ${round(storm.connect.p50)} ms, p95 ${round(storm.connect.p95)} ms${errors.length ? `; failed: ${errors.join('; ')}` : ''}`;
    }),
    `  lost connects: ${result.lost} (must be 0)`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  installInterruptHandlers();
  const target = await startPatchbay();
  let outcome: Outcome<LoadedStormResult>;
  try {
    process.stderr.write('loaded storm: starting the CPU load and the storms…\n');
    outcome = await attempt('loaded storm', LOADED_STORM_LIMIT_MS, () => connectStormUnderLoad(target));
  } finally {
    await target.stop();
  }
  process.stdout.write(`${renderLoadedStorm(outcome)}\n`);
  writeJson(RESULTS, { generatedAt: new Date().toISOString(), settings: BENCH.loadedStorm, result: outcome });
  if (!outcome.ok || outcome.value.lost > 0) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main()
    .catch((error: unknown) => {
      process.stderr.write(`loaded storm failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    })
    .finally(() => setTimeout(() => process.exit(), 1_000).unref());
}
