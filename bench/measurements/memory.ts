import { closeAll, openSession, streamableSession, type BenchSession } from '../clients';
import { BENCH } from '../config';
import { errorText, sleep, waitFor } from '../guard';
import type { MemorySample } from '../proxy-ipc';
import type { Target } from '../target';

/** Memory the relay process holds per idle session (its children's memory is theirs, not the relay's). */
export interface MemoryResult {
  sessions: number;
  before: MemorySample;
  withSessions: MemorySample;
  afterClose: MemorySample;
  /** (withSessions − before) / sessions, bytes. heapUsed only where the target reports its heap. */
  rssPerSession: number;
  heapPerSession?: number;
  /** (afterClose − before) / sessions: what closed sessions leave behind (near 0 when nothing leaks). */
  heapRetainedPerSession?: number;
  rssRetainedPerSession: number;
  /** Live sessions and children once every session was closed. */
  sessionsAfterClose?: number;
  childrenAfterClose: number;
}

const perSession = (after: number | undefined, before: number | undefined, count: number): number | undefined =>
  after === undefined || before === undefined ? undefined : (after - before) / count;

/** Opens sessions in batches of 10: concurrent enough to be quick, gentle enough not to turn into a storm. */
async function openMany(target: Target, count: number): Promise<BenchSession[]> {
  const sessions: BenchSession[] = [];
  try {
    for (let opened = 0; opened < count; opened += 10) {
      const batch = Math.min(10, count - opened);
      sessions.push(...(await Promise.all(Array.from({ length: batch }, () => openSession(() => streamableSession(target.streamable), 20_000)))));
    }
  } catch (error) {
    await closeAll(sessions, 10_000);
    throw new Error(`opening idle sessions: ${errorText(error)}`, { cause: error });
  }
  return sessions;
}

/**
 * Reads the relay's memory before and after opening BENCH.memory.sessions idle Streamable HTTP sessions (each
 * initialized, then left alone), and again after closing them, after a warm-up round so that lazily loaded code
 * and JIT output are in the baseline rather than charged to the sessions.
 */
export async function memoryPerSession(target: Target, count: number = BENCH.memory.sessions): Promise<MemoryResult> {
  await closeAll(await openMany(target, BENCH.memory.warmupSessions), 10_000);
  await waitFor(() => target.children().length === 0, 5_000, 100);
  await sleep(BENCH.memory.settleMs);
  const before = await target.memory();

  const sessions = await openMany(target, count);
  let withSessions: MemorySample;
  try {
    await sleep(BENCH.memory.settleMs);
    withSessions = await target.memory();
  } finally {
    await closeAll(sessions, 10_000);
  }
  await waitFor(() => target.children().length === 0, 5_000, 100);
  await sleep(BENCH.memory.settleMs);
  const afterClose = await target.memory();
  const sessionsAfterClose = await target.sessionCount?.().catch(() => Number.NaN);

  return {
    sessions: count,
    before,
    withSessions,
    afterClose,
    rssPerSession: (withSessions.rss - before.rss) / count,
    heapPerSession: perSession(withSessions.heapUsed, before.heapUsed, count),
    heapRetainedPerSession: perSession(afterClose.heapUsed, before.heapUsed, count),
    rssRetainedPerSession: (afterClose.rss - before.rss) / count,
    sessionsAfterClose,
    childrenAfterClose: target.children().length,
  };
}
