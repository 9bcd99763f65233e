import type { Outcome } from './guard';
import type { LargeResult } from './measurements/large-result';
import type { MemoryResult } from './measurements/memory';
import type { RelayResult } from './measurements/relay';
import type { StormResult } from './measurements/storm';
import type { ThroughputResult } from './measurements/throughput';

/** Everything measured against one relay (Patchbay or the peer); absent entries were not measured for it. */
export interface TargetResults {
  /** Whether the relay process started at all; when not, nothing else was measured. */
  start: Outcome<{ pid: number }>;
  storms: Record<number, Outcome<StormResult>>;
  relayStreamable?: Outcome<RelayResult>;
  relaySse?: Outcome<RelayResult>;
  throughput?: Outcome<ThroughputResult>;
  largeStreamable?: Outcome<LargeResult>;
  largeSse?: Outcome<LargeResult>;
  memory?: Outcome<MemoryResult>;
}

/** The raw results of a whole run, from which the table rows are built. */
export interface BenchResults {
  direct: {
    relay: Outcome<RelayResult>;
    large: Outcome<LargeResult>;
  };
  patchbay: TargetResults;
  peer: TargetResults;
  /** Child processes of the bench still alive after every target was stopped (then killed). */
  leftoverProcesses: number;
  /** Unhandled rejections observed during the run (there should be none). */
  unhandledRejections: string[];
  /** Client-side MaxListenersExceededWarnings on the SDK transport's AbortSignal (counted, not printed). */
  abortListenerWarnings: number;
}

/** An empty TargetResults for a relay that has not been started yet. */
export function emptyTargetResults(): TargetResults {
  return { start: { ok: false, error: 'not started' }, storms: {} };
}
