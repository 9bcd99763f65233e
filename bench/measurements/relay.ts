import { performance } from 'node:perf_hooks';
import { openSession, type EchoSession } from '../clients';
import { BENCH } from '../config';
import { errorText } from '../guard';
import { summarize, type LatencySummary } from '../stats';

/** Per-call latency of sequential `echo` calls over one session. */
export interface RelayResult {
  /** Timed calls that completed (fewer than asked when the series hit its time limit). */
  calls: number;
  latency: LatencySummary;
  errors: number;
  firstError?: string;
  /** Whether the series stopped at its time limit before all calls were made. */
  cutShort: boolean;
}

/** Errors tolerated in one series before it stops: a broken relay should fail fast, not for 40 s. */
const MAX_ERRORS = 10;

/**
 * Opens one session, makes warm-up calls (JIT, connection pools, lazy paths), then times `calls` sequential echo
 * calls. The series is bounded by count and by BENCH.relay.seriesTimeoutMs; the session is closed in every case.
 */
export async function relaySeries(make: () => EchoSession, calls: number = BENCH.relay.calls): Promise<RelayResult> {
  const deadline = Date.now() + BENCH.relay.seriesTimeoutMs;
  const session = await openSession(make, BENCH.relay.callTimeoutMs);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  try {
    for (let index = 0; index < BENCH.relay.warmupCalls && Date.now() < deadline; index += 1) {
      await session.echo(`warm-${index}`, BENCH.relay.callTimeoutMs);
    }
    for (let index = 0; index < calls && errors < MAX_ERRORS && Date.now() < deadline; index += 1) {
      const started = performance.now();
      try {
        await session.echo(`call-${index}`, BENCH.relay.callTimeoutMs);
        latencies.push(performance.now() - started);
      } catch (error) {
        errors += 1;
        firstError ??= errorText(error);
      }
    }
  } finally {
    await session.close();
  }
  if (latencies.length === 0) throw new Error(firstError ?? 'no call completed in time');
  return { calls: latencies.length, latency: summarize(latencies), errors, firstError, cutShort: latencies.length + errors < calls };
}
