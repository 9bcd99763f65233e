import { performance } from 'node:perf_hooks';
import { closeAll, streamableSession } from '../clients';
import { BENCH } from '../config';
import { errorText, waitFor } from '../guard';
import { summarize, type LatencySummary } from '../stats';
import type { Target } from '../target';

/** What one connect storm produced. */
export interface StormResult {
  size: number;
  succeeded: number;
  /** Distinct connect errors with how often each occurred. */
  errors: Record<string, number>;
  /** ms from the common start to each successful client.connect() resolving. */
  connect: LatencySummary;
  /** Distinct problems seen while closing (terminateSession failures). */
  closeProblems: string[];
  /** ms to close every session at once (DELETE, then client.close()), until the last close resolved. */
  closeMs: number;
  /** The target's own live-session count right after every close resolved, and after up to 5 s more. */
  sessionsAfterClose?: number;
  sessionsAfterSettle?: number;
  /** Child processes of the target right after the closes, and after up to 5 s more. */
  childrenAfterClose: number;
  childrenAfterSettle: number;
}

/**
 * Starts `size` Streamable HTTP sessions at the same instant (all clients are built first, then every connect()
 * is started in one synchronous loop), times each until initialized, then closes them all and checks that the
 * target let go of every session and child.
 */
export async function connectStorm(target: Target, size: number): Promise<StormResult> {
  const sessions = Array.from({ length: size }, () => streamableSession(target.streamable));
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let closeProblems: string[];
  let closeMs: number;
  try {
    const start = performance.now();
    const connects = sessions.map((session) =>
      session.connect(BENCH.storm.connectTimeoutMs).then(
        () => {
          latencies.push(performance.now() - start);
        },
        (error: unknown) => {
          const text = errorText(error);
          errors[text] = (errors[text] ?? 0) + 1;
        },
      ),
    );
    await Promise.all(connects);
  } finally {
    const closing = performance.now();
    closeProblems = await closeAll(sessions, BENCH.storm.closeTimeoutMs / 2);
    closeMs = performance.now() - closing;
  }

  const sessionsAfterClose = await target.sessionCount?.().catch(() => Number.NaN);
  let sessionsAfterSettle = sessionsAfterClose;
  if (target.sessionCount && sessionsAfterClose !== 0) {
    await waitFor(async () => (sessionsAfterSettle = await target.sessionCount!().catch(() => Number.NaN)) === 0, 5_000, 100);
  }
  const childrenAfterClose = target.children().length;
  let childrenAfterSettle = childrenAfterClose;
  if (childrenAfterClose !== 0) await waitFor(() => (childrenAfterSettle = target.children().length) === 0, 5_000, 100);

  return {
    size,
    succeeded: latencies.length,
    errors,
    connect: summarize(latencies),
    closeProblems,
    closeMs,
    sessionsAfterClose,
    sessionsAfterSettle,
    childrenAfterClose,
    childrenAfterSettle,
  };
}
