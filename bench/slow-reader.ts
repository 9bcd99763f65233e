/**
 * The slow-reader case alone: `npx tsx bench/slow-reader.ts` starts Patchbay's proxy host, runs
 * measurements/slow-reader.ts against it (about half a minute), prints its rows and writes
 * bench/results/slow-reader.json. `npm run bench` runs the same measurement as part of the whole table.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { BENCH, REPO_ROOT } from './config';
import { attempt } from './guard';
import { slowReader } from './measurements/slow-reader';
import { descendants, installInterruptHandlers, killAll } from './processes';
import { startPatchbay } from './proxy-target';
import { renderTable, toJsonRows, writeJson } from './report';
import { emptyTargetResults } from './results';
import { slowReaderRows } from './rows';

const RESULTS = join(REPO_ROOT, 'bench', 'results', 'slow-reader.json');

async function main(): Promise<void> {
  installInterruptHandlers();
  const loadBefore = loadavg()[0]!;
  const results = emptyTargetResults();
  const target = await startPatchbay();
  results.start = { ok: true, value: { pid: target.pid } };
  try {
    process.stderr.write(`slow reader: ${BENCH.slowReader.durationMs / 1000} s window…\n`);
    results.slowReader = await attempt('slow reader', BENCH.slowReader.timeoutMs, () => slowReader(target));
  } finally {
    await target.stop();
  }
  const notes = [`load average (1 min) ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after, on ${cpus().length} CPUs`];
  const rows = slowReaderRows(results, notes);
  process.stdout.write(`${renderTable(rows, notes)}\n`);
  writeJson(RESULTS, { generatedAt: new Date().toISOString(), settings: BENCH.slowReader, table: toJsonRows(rows), notes, raw: results.slowReader });
  if (!results.slowReader.ok || !results.slowReader.value.withinLimit) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`slow-reader bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killAll(descendants(process.pid));
  process.exitCode = 1;
});
