/**
 * The protocol timeline's responsiveness with 100,000 messages, in web mode in Chromium: time to filter, time to
 * scroll, frames without rows. `npx tsx bench/timeline.ts` runs it alone (about half a minute) and writes
 * bench/results/timeline.json; `npm run bench` runs it as its last section. Builds the renderer first when it is
 * missing or older than its sources.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BENCH, REPO_ROOT } from './config';
import { attempt, errorText, type Outcome } from './guard';
import { timelineResponsiveness, type TimelineResult } from './measurements/timeline';
import { ensureRendererBuilt } from './renderer-build';
import { writeJson } from './report';
import { round } from './stats';

const TIMELINE_RESULTS_PATH = join(REPO_ROOT, 'bench', 'results', 'timeline.json');

/**
 * Builds the renderer first when it is missing or stale (saying so on `say`), then runs the measurement under its
 * time limit; a failure of either is returned, not thrown.
 */
export async function measureTimeline(say: (line: string) => void = (line) => void process.stderr.write(`timeline: ${line}\n`)): Promise<Outcome<TimelineResult>> {
  try {
    await ensureRendererBuilt(say);
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
  return attempt('timeline', BENCH.timeline.timeoutMs, () => timelineResponsiveness());
}

/** The section printed under the relay table: one line per figure, ms unless said otherwise. */
export function renderTimelineSection(outcome: Outcome<TimelineResult>): string {
  const title = `Timeline (renderer, web mode in Chromium): ${BENCH.timeline.messages.toLocaleString('en-US')} messages`;
  if (!outcome.ok) return `${title}\n  FAILED: ${outcome.error}`;
  const result = outcome.value;
  const rows: string[][] = [['', 'p50', 'p95', 'max', '']];
  rows.push(['store takes them all (ms ↓)', String(round(result.ingestMs)), '', '', result.heapMiB === undefined ? '' : `JS heap +${round(result.heapMiB)} MiB`]);
  for (const filter of result.filters) {
    rows.push([`filter: ${filter.name}, to painted (ms ↓)`, ...[filter.painted.p50, filter.painted.p95, filter.painted.max].map((value) => String(round(value))), `handled p50 ${round(filter.handled.p50)}; ${filter.shown.toLocaleString('en-US')} shown`]);
  }
  for (const scroll of result.scrolls) {
    rows.push([`${scroll.name}: frame interval (ms ↓)`, ...[scroll.frameMs.p50, scroll.frameMs.p95, scroll.frameMs.max].map((value) => String(round(value))), `${scroll.blankFrames}/${scroll.frames} blank frames, ${scroll.longTasks} long tasks`]);
  }
  rows.push(['jump to a far position, to next frame (ms ↓)', ...[result.jump.p50, result.jump.p95, result.jump.max].map((value) => String(round(value))), `${result.jump.blankFrames}/${result.jump.count} blank frames`]);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === 0 || column === 4 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd());
  return [title, ...lines.map((line) => `  ${line}`)].join('\n');
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0]!;
  process.stderr.write('timeline: 100,000 messages in web mode…\n');
  const outcome = await measureTimeline();
  const loadAfter = loadavg()[0]!;
  process.stdout.write(`${renderTimelineSection(outcome)}\n`);
  process.stdout.write(`note: load average (1 min) ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, on ${cpus().length} CPUs\n`);
  writeJson(TIMELINE_RESULTS_PATH, { generatedAt: new Date().toISOString(), settings: BENCH.timeline, loadAverage: [loadBefore, loadAfter], timeline: outcome });
  if (!outcome.ok) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`timeline bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
