import { performance } from 'node:perf_hooks';
import { callBlob, openSession, type BenchSession } from '../clients';
import { BENCH } from '../config';
import { median } from '../stats';

/** End-to-end time of a large tool result. */
export interface LargeResult {
  bytes: number;
  /** Every timed run, ms. */
  runsMs: number[];
  medianMs: number;
}

/**
 * Calls `blob` for BENCH.largeResult.bytes once as a warm-up, then `runs` more times, timing each from the call
 * to the verified result; bounded by BENCH.largeResult.seriesTimeoutMs. The session is closed in every case.
 */
export async function largeResult(make: () => BenchSession, runs: number = BENCH.largeResult.runs): Promise<LargeResult> {
  const { bytes, callTimeoutMs, seriesTimeoutMs } = BENCH.largeResult;
  const deadline = Date.now() + seriesTimeoutMs;
  const session = await openSession(make, callTimeoutMs);
  const runsMs: number[] = [];
  try {
    await callBlob(session.client, bytes, callTimeoutMs);
    for (let run = 0; run < runs && Date.now() < deadline; run += 1) {
      const started = performance.now();
      await callBlob(session.client, bytes, callTimeoutMs);
      runsMs.push(performance.now() - started);
    }
  } finally {
    await session.close();
  }
  return { bytes, runsMs, medianMs: median(runsMs) };
}
