import { performance } from 'node:perf_hooks';
import { closeAll, openSession, type EchoSession } from '../clients';
import { BENCH } from '../config';
import { errorText } from '../guard';

/** Calls completed by several sessions calling in parallel for a fixed time. */
export interface ThroughputResult {
  sessions: number;
  durationMs: number;
  calls: number;
  callsPerSecond: number;
  errors: number;
  firstError?: string;
}

/**
 * Opens `sessions` sessions and makes their warm-up calls (not timed), then has each call `echo` in a closed loop (next call when the previous
 * answers) until the duration is over; bounded by a per-session call count too. Sessions are closed in every case.
 */
export async function throughput(make: () => EchoSession, sessions: number = BENCH.throughput.sessions, warmupCalls = 0): Promise<ThroughputResult> {
  // Warm-up calls (not timed) take a client's first-call costs out of the window: the 2.x client fetches and
  // compiles the tool list on its first call.
  const warm = async (): Promise<EchoSession> => {
    const session = await openSession(make, BENCH.throughput.callTimeoutMs);
    try {
      for (let index = 0; index < warmupCalls; index += 1) await session.echo(`warm-${index}`, BENCH.throughput.callTimeoutMs);
    } catch (error) {
      await session.close(2_000);
      throw error;
    }
    return session;
  };
  const opened = await Promise.allSettled(Array.from({ length: sessions }, warm));
  const live = opened.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  let calls = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  try {
    const failedOpen = opened.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failedOpen) throw new Error(`${sessions - live.length} of ${sessions} sessions did not open: ${errorText(failedOpen.reason)}`);
    const end = start + BENCH.throughput.durationMs;
    await Promise.all(
      live.map(async (session, which) => {
        for (let index = 0; index < BENCH.throughput.maxCallsPerSession && performance.now() < end; index += 1) {
          try {
            await session.echo(`s${which}-${index}`, BENCH.throughput.callTimeoutMs);
            calls += 1;
          } catch (error) {
            errors += 1;
            firstError ??= errorText(error);
            if (errors > 50) return; // broken, not slow: stop this loop
          }
        }
      }),
    );
  } finally {
    await closeAll(live, 10_000);
  }
  const durationMs = performance.now() - start;
  return { sessions, durationMs, calls, callsPerSecond: (calls / durationMs) * 1000, errors, firstError };
}
