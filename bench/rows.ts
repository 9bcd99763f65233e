import { BENCH } from './config';
import type { Outcome } from './guard';
import type { Cell, Row } from './report';
import type { SlowReaderResult } from './measurements/slow-reader';
import type { BenchResults, DirectHttpResults, TargetResults } from './results';

type Pick<T> = (value: T) => Cell;

/** A cell from an outcome: the picked figure, the failure, or nothing when the measurement never ran. */
function cell<T>(outcome: Outcome<T> | undefined, pick: Pick<T>): Cell {
  if (!outcome) return undefined;
  return outcome.ok ? pick(outcome.value) : { failed: outcome.error };
}

/** A target's cell; when the target itself failed to start, its failure is shown instead. */
function targetCell<T>(target: TargetResults, get: (target: TargetResults) => Outcome<T> | undefined, pick: Pick<T>): Cell {
  if (!target.start.ok) return { failed: target.start.error };
  return cell(get(target), pick);
}

/**
 * A difference between two medians is small and can come out at or below 0 by noise alone; a Patchbay/peer ratio of
 * such figures means nothing, so the row is not compared then.
 */
function compareIfPositive(row: Row): Row {
  const nonPositive = (value: Cell) => typeof value === 'number' && value <= 0;
  return nonPositive(row.ours) || nonPositive(row.peer) ? { ...row, compare: false } : row;
}

const KIB = 1024;

/** "3→0" when a count settled after a moment, just "0" when it was already there. */
function settled(now: number | undefined, later: number | undefined): string {
  if (now === undefined) return 'n/a';
  return now === later ? String(now) : `${now}→${later}`;
}

/** Builds the table rows from the raw results; notes collects details that do not fit a cell. */
export function buildRows(results: BenchResults, notes: string[]): Row[] {
  const { direct, directHttp, patchbay, peer } = results;
  const rows: Row[] = [];
  const both = <T>(get: (target: TargetResults) => Outcome<T> | undefined, pick: Pick<T>) => ({
    ours: targetCell(patchbay, get, pick),
    peer: targetCell(peer, get, pick),
  });
  /** A cell of the direct HTTP baseline; when its server failed to start, that failure is shown instead. */
  const directHttpCell = <T>(outcome: Outcome<T> | undefined, pick: Pick<T>): Cell =>
    directHttp.start.ok ? cell(outcome, pick) : { failed: directHttp.start.error };
  /** `value` minus a baseline figure, or why there is no baseline. */
  const minus = (baseline: number | undefined, what: string) => (value: number): Cell =>
    baseline === undefined ? { failed: `no ${what} baseline` } : value - baseline;

  let section = 'Connect storm: N Streamable HTTP clients at once → relay → stdio fixture';
  for (const size of BENCH.storm.sizes) {
    const get = (target: TargetResults) => target.storms[size];
    rows.push({ section, metric: `N=${size}: initialized`, unit: 'ok/N', ...both(get, (storm) => `${storm.succeeded}/${storm.size}`) });
    rows.push({ section, metric: `N=${size}: start → initialized p50`, unit: 'ms ↓', ...both(get, (storm) => storm.connect.p50) });
    rows.push({ section, metric: `N=${size}: start → initialized p95`, unit: 'ms ↓', ...both(get, (storm) => storm.connect.p95) });
    rows.push({ section, metric: `N=${size}: close all at once`, unit: 'ms ↓', ...both(get, (storm) => storm.closeMs) });
    rows.push({
      section,
      metric: `N=${size}: sessions.size, children after close`,
      unit: 'count',
      ...both(get, (storm) => `${settled(storm.sessionsAfterClose, storm.sessionsAfterSettle)}, ${settled(storm.childrenAfterClose, storm.childrenAfterSettle)}`),
    });
  }

  const loaded = BENCH.loadedStorm;
  section = `Connect storm under CPU load: ${loaded.rounds} × ${loaded.size} Streamable HTTP clients, ${loaded.busyProcesses} busy-loop processes`;
  const loadedStorm = (target: TargetResults) => target.loadedStorm;
  rows.push({ section, metric: 'lost connects (must be 0)', unit: 'count', ours: targetCell(patchbay, loadedStorm, (run) => run.lost) });
  rows.push({
    section,
    metric: 'start → initialized p50, worst round',
    unit: 'ms',
    ours: targetCell(patchbay, loadedStorm, (run) => Math.max(...run.rounds.map((storm) => storm.connect.p50))),
  });
  rows.push({
    section,
    metric: 'load average (1 min), start → end',
    unit: '',
    ours: targetCell(patchbay, loadedStorm, (run) => `${run.loadAtStart.toFixed(1)} → ${run.loadAtEnd.toFixed(1)}`),
  });

  section = `Relay overhead: echo, ${BENCH.relay.calls} sequential calls after ${BENCH.relay.warmupCalls} warm-up`;
  const directP50 = direct.relay.ok ? direct.relay.value.latency.p50 : undefined;
  const directCell = (pick: (p50: number, p99: number) => number): Cell =>
    cell(direct.relay, (relay) => pick(relay.latency.p50, relay.latency.p99));
  const addedP50 = minus(directP50, 'direct stdio');
  const ratioP50 = (p50: number): Cell => (directP50 === undefined ? { failed: 'no direct stdio baseline' } : p50 / directP50);
  for (const [name, get, server] of [
    ['Streamable HTTP', (target: TargetResults) => target.relayStreamable, directHttp.relayStreamable],
    ['HTTP+SSE', (target: TargetResults) => target.relaySse, directHttp.relaySse],
  ] as const) {
    // The relay's own cost: the same transport straight to the fixture's HTTP server is the baseline.
    const addedOverServer = minus(server?.ok ? server.value.latency.p50 : undefined, `direct ${name}`);
    rows.push({
      section,
      metric: `${name}: per call p50`,
      unit: 'ms ↓',
      direct: directCell((p50) => p50),
      directHttp: directHttpCell(server, (relay) => relay.latency.p50),
      ...both(get, (relay) => relay.latency.p50),
    });
    rows.push({
      section,
      metric: `${name}: per call p99`,
      unit: 'ms ↓',
      direct: directCell((_p50, p99) => p99),
      directHttp: directHttpCell(server, (relay) => relay.latency.p99),
      ...both(get, (relay) => relay.latency.p99),
    });
    rows.push(compareIfPositive({ section, metric: `${name}: added p50 vs direct ${name} server`, unit: 'ms ↓', ...both(get, (relay) => addedOverServer(relay.latency.p50)) }));
    // Against stdio, the figures also hold what the HTTP transport itself costs (any server spoken to over it pays that).
    rows.push({ section, metric: `${name}: added p50 vs direct stdio, incl. transport cost`, unit: 'ms ↓', ...both(get, (relay) => addedP50(relay.latency.p50)) });
    rows.push({ section, metric: `${name}: p50 / direct stdio p50, incl. transport cost`, unit: '× ↓', ...both(get, (relay) => ratioP50(relay.latency.p50)) });
  }

  section = 'Throughput: Streamable HTTP through the relay';
  rows.push({
    section,
    metric: `${BENCH.throughput.sessions} sessions, echo loop for ${BENCH.throughput.durationMs / 1000} s`,
    unit: 'calls/s ↑',
    ...both((target) => target.throughput, (run) => run.callsPerSecond),
  });

  section = `Large result: blob of ${BENCH.largeResult.bytes / 1024 / 1024} MiB, median of ${BENCH.largeResult.runs} after 1 warm-up`;
  for (const [name, get, server] of [
    ['Streamable HTTP', (target: TargetResults) => target.largeStreamable, directHttp.largeStreamable],
    ['HTTP+SSE', (target: TargetResults) => target.largeSse, directHttp.largeSse],
  ] as const) {
    const addedOverServer = minus(server?.ok ? server.value.medianMs : undefined, `direct ${name}`);
    rows.push({
      section,
      metric: `${name}, end to end`,
      unit: 'ms ↓',
      direct: cell(direct.large, (large) => large.medianMs),
      directHttp: directHttpCell(server, (large) => large.medianMs),
      ...both(get, (large) => large.medianMs),
    });
    rows.push(compareIfPositive({ section, metric: `${name}, added vs direct ${name} server`, unit: 'ms ↓', ...both(get, (large) => addedOverServer(large.medianMs)) }));
  }

  section = `Relay memory per idle session (${BENCH.memory.sessions} initialized Streamable HTTP sessions; children excluded)`;
  const memory = (target: TargetResults) => target.memory;
  rows.push({ section, metric: 'heapUsed per session (after GC)', unit: 'KiB ↓', ...both(memory, (m) => (m.heapPerSession === undefined ? 'n/a' : m.heapPerSession / KIB)) });
  // RSS moves by megabytes on its own (allocator, GC shrinking), so per session it is shown but not compared.
  rows.push({ section, metric: 'RSS per session (noisy)', unit: 'KiB', compare: false, ...both(memory, (m) => m.rssPerSession / KIB) });
  rows.push({
    section,
    metric: 'heapUsed left per session after closing all',
    unit: 'KiB ↓',
    ...both(memory, (m) => (m.heapRetainedPerSession === undefined ? 'n/a' : m.heapRetainedPerSession / KIB)),
  });

  rows.push(...slowReaderRows(patchbay, notes));

  section = 'Hygiene';
  rows.push({ section, metric: 'bench child processes left after the run', unit: 'count', ours: results.leftoverProcesses });
  rows.push({ section, metric: 'unhandled rejections', unit: 'count', ours: results.unhandledRejections.length });

  collectNotes(results, notes);
  return rows;
}

/** Details worth reading that do not fit a cell: connect and close errors, short series, call errors. */
function collectNotes(results: BenchResults, notes: string[]): void {
  const direct = results.direct.relay;
  if (direct.ok && direct.value.errors) notes.push(`direct stdio relay: ${direct.value.errors} call errors, first: ${direct.value.firstError}`);
  if (direct.ok && direct.value.cutShort) notes.push(`direct stdio relay: only ${direct.value.calls} calls fit in the time limit`);
  relayNotes('direct HTTP server', results.directHttp, notes);
  for (const [label, target] of [
    ['Patchbay', results.patchbay],
    ['supergateway', results.peer],
  ] as const) {
    const loaded = target.loadedStorm;
    if (loaded?.ok) {
      loaded.value.rounds.forEach((storm, index) => {
        for (const [error, count] of Object.entries(storm.errors)) notes.push(`${label} storm under CPU load, round ${index + 1}: ${count}× connect failed: ${error}`);
      });
    }
    for (const [size, storm] of Object.entries(target.storms)) {
      if (!storm.ok) continue;
      for (const [error, count] of Object.entries(storm.value.errors)) notes.push(`${label} storm N=${size}: ${count}× connect failed: ${error}`);
      for (const problem of storm.value.closeProblems) notes.push(`${label} storm N=${size}: close: ${problem}`);
    }
    relayNotes(label, target, notes);
    const run = target.throughput;
    if (run?.ok && run.value.errors) notes.push(`${label} throughput: ${run.value.errors} call errors, first: ${run.value.firstError}`);
    const memory = target.memory;
    if (memory?.ok && (memory.value.childrenAfterClose || memory.value.sessionsAfterClose)) {
      notes.push(`${label} memory: after closing, ${memory.value.sessionsAfterClose ?? 'n/a'} sessions and ${memory.value.childrenAfterClose} children remained`);
    }
  }
  if (results.leftoverProcesses) notes.push(`${results.leftoverProcesses} child processes were still alive after all targets stopped; they were killed`);
  for (const rejection of results.unhandledRejections) notes.push(`unhandled rejection: ${rejection}`);
  if (results.abortListenerWarnings) {
    notes.push(
      `${results.abortListenerWarnings} client-side MaxListenersExceededWarning(s) on the SDK transport's AbortSignal (undici keeps one abort listener per fetch until GC); not the relay's`,
    );
  }
}

/** Call errors and short series of the relay-overhead measurements of one target or baseline. */
function relayNotes(label: string, target: TargetResults | DirectHttpResults, notes: string[]): void {
  for (const [name, relay] of [
    ['Streamable HTTP', target.relayStreamable],
    ['HTTP+SSE', target.relaySse],
  ] as const) {
    if (!relay?.ok) continue;
    if (relay.value.errors) notes.push(`${label} relay ${name}: ${relay.value.errors} call errors, first: ${relay.value.firstError}`);
    if (relay.value.cutShort) notes.push(`${label} relay ${name}: only ${relay.value.calls} calls fit in the time limit`);
  }
}

const MIB = 1024 * 1024;

/** The slow-reader rows: Patchbay only (the peer cannot sample its own peak memory). */
export function slowReaderRows(patchbay: TargetResults, notes: string[]): Row[] {
  const settings = BENCH.slowReader;
  const section =
    `Slow reader: a client reading ${settings.readBytesPerSecond / KIB} KiB/s for ${settings.durationMs / 1000} s from a server streaming ` +
    `${(settings.messages * settings.messageBytes) / MIB} MiB (peak sampled every 20 ms, no GC; limit ${settings.limitBytes / MIB} MiB above idle)`;
  const get = (target: TargetResults) => target.slowReader;
  const ours = (pick: Pick<SlowReaderResult>) => targetCell(patchbay, get, pick);
  const outcome = patchbay.slowReader;
  if (outcome?.ok && !outcome.value.withinLimit) notes.push(`Patchbay slow reader: over the ${settings.limitBytes / MIB} MiB limit above idle`);
  return [
    { section, metric: 'peak heapUsed above idle', unit: 'MiB ↓', compare: false, ours: ours((result) => result.heapAboveIdle / MIB) },
    { section, metric: 'peak RSS above idle', unit: 'MiB ↓', compare: false, ours: ours((result) => result.rssAboveIdle / MIB) },
    { section, metric: 'queued for the client at most (session backlog peak)', unit: 'KiB ↓', compare: false, ours: ours((result) => (result.backlogPeakBytes === undefined ? 'n/a' : result.backlogPeakBytes / KIB)) },
    { section, metric: 'read by the client in the window', unit: 'KiB', compare: false, ours: ours((result) => result.readBytes / KIB) },
    { section, metric: 'server paused at the end of the window', unit: 'yes/no', compare: false, ours: ours((result) => (result.upstreamPaused ? 'yes' : 'no')) },
  ];
}
