import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumExecutable } from '../../e2e/support/browsers';
import { BENCH, REPO_ROOT } from '../config';
import { settle } from '../guard';
import { summarize, type LatencySummary } from '../stats';
import { filterScript, HEAP_SCRIPT, jumpScript, scrollScript, type FilterScenario } from './timeline-page';

/** One filter change with 100,000 messages kept. */
export interface FilterFigure {
  name: string;
  /** Messages shown after the change. */
  shown: number;
  /** Input event to handled: the store's filter pass plus React's synchronous render. */
  handled: LatencySummary;
  /** Input event to the next frame painted. */
  painted: LatencySummary;
}

/** Scrolling the grid frame by frame. */
export interface ScrollFigure {
  name: string;
  frames: number;
  /** Interval between animation frames while scrolling (16.7 ms is a steady 60 fps). */
  frameMs: LatencySummary;
  /** Frames where the top or bottom of the viewport showed no row. */
  blankFrames: number;
  /** Main-thread tasks over 50 ms meanwhile. */
  longTasks: number;
}

/** The protocol timeline with 100,000 messages, in web mode in Chromium. */
export interface TimelineResult {
  messages: number;
  /** The store taking 100,000 message events (in batches of 10,000). */
  ingestMs: number;
  /** JS heap growth for them, after a full GC (MiB), when Chromium reports it. */
  heapMiB?: number;
  filters: FilterFigure[];
  scrolls: ScrollFigure[];
  /** Setting scrollTop to a far position until the next frame (rows checked to be there). */
  jump: LatencySummary & { blankFrames: number };
}

const SCENARIOS: FilterScenario[] = [
  { name: 'search, rare text (2 match)', before: [], change: ['Search', 'echo-004242'] },
  { name: 'search, common text (most match)', before: [], change: ['Search', 'tools/call'] },
  { name: 'search, one more character', before: [['Search', 'echo-00424']], change: ['Search', 'echo-004242'] },
  { name: 'search cleared (all shown)', before: [['Search', 'echo-004242']], change: ['Search', ''] },
  { name: 'server', before: [], change: ['Server', 'beta'] },
  { name: 'errors only', before: [], change: ['Errors only', true] },
];

/** Starts web mode on a fresh data folder; resolves with its URL (with token) and the process. */
async function startWebMode(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/web.ts', '--port', '0', '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('web mode did not start in time')), BENCH.processStartTimeoutMs);
    let output = '';
    let errors = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open: (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web mode exited with ${code}: ${errors.trim().split('\n').at(-1) ?? ''}`));
    });
  });
  return { url, child };
}

/**
 * Opens the app in web mode in Chromium, puts 100,000 synthetic messages into the timeline through its web-mode
 * test hook, and times filtering and scrolling as the user would meet them (input event to painted frame).
 * Needs the built renderer (`npx electron-vite build`) and a Chromium ($CHROMIUM_PATH or /usr/bin/chromium).
 */
export async function timelineResponsiveness(messages = BENCH.timeline.messages): Promise<TimelineResult> {
  if (!existsSync(join(REPO_ROOT, 'out', 'renderer', 'index.html'))) throw new Error('the renderer is not built: run npx electron-vite build (measureTimeline builds it)');
  const executablePath = chromiumExecutable();
  if (!executablePath) throw new Error('no Chromium found: set CHROMIUM_PATH or install Debian’s chromium');
  const dataDir = mkdtempSync(join(tmpdir(), 'patchbay-bench-timeline-'));
  const { url, child } = await startWebMode(dataDir);
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--js-flags=--expose-gc'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.getByRole('tab', { name: 'Timeline', exact: true }).click();
    await page.getByTestId('timeline-counts').waitFor();

    const heapBefore = (await page.evaluate(HEAP_SCRIPT)) as number | undefined;
    const { ingestMs } = (await page.evaluate(`window.__patchbayTimeline.ingestSynthetic(${messages})`)) as { ingestMs: number };
    await page.getByTestId('timeline-counts').filter({ hasText: `${messages.toLocaleString('en-US')} of` }).waitFor();
    const heapAfter = (await page.evaluate(HEAP_SCRIPT)) as number | undefined;

    const filterRuns = (await page.evaluate(filterScript(SCENARIOS, BENCH.timeline.filterRepeats))) as Array<{ name: string; shown: number; handled: number[]; painted: number[] }>;
    const scrolls: ScrollFigure[] = [];
    for (const [name, arrivals] of [
      ['scroll 30 rows per frame', 0],
      [`scroll while ${BENCH.timeline.arrivalsPerFrame} messages arrive per frame`, BENCH.timeline.arrivalsPerFrame],
    ] as const) {
      const run = (await page.evaluate(scrollScript(BENCH.timeline.scrollFrames, 30 * 22, arrivals))) as { frameMs: number[]; blankFrames: number; longTasks: number };
      scrolls.push({ name, frames: run.frameMs.length, frameMs: summarize(run.frameMs), blankFrames: run.blankFrames, longTasks: run.longTasks });
    }
    const jumps = (await page.evaluate(jumpScript(BENCH.timeline.jumps))) as { jumpMs: number[]; blankFrames: number };
    return {
      messages,
      ingestMs,
      heapMiB: heapBefore !== undefined && heapAfter !== undefined ? (heapAfter - heapBefore) / (1024 * 1024) : undefined,
      filters: filterRuns.map((run) => ({ name: run.name, shown: run.shown, handled: summarize(run.handled), painted: summarize(run.painted) })),
      scrolls,
      jump: { ...summarize(jumps.jumpMs), blankFrames: jumps.blankFrames },
    };
  } finally {
    await settle(browser.close(), 10_000);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await settle(exited, BENCH.processStopTimeoutMs);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
