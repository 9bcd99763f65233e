import type { Outcome } from './guard';
import type { LargeResult } from './measurements/large-result';
import type { LoadedStormResult } from './measurements/loaded-storm';
import type { MemoryResult } from './measurements/memory';
import type { RelayResult } from './measurements/relay';
import type { SlowReaderResult } from './measurements/slow-reader';
import type { StormResult } from './measurements/storm';
import type { ThroughputResult } from './measurements/throughput';

/** Everything measured against one relay (Patchbay or the peer); absent entries were not measured for it. */
export interface TargetResults {
  /** Whether the relay process started at all; when not, nothing else was measured. */
  start: Outcome<{ pid: number }>;
  storms: Record<number, Outcome<StormResult>>;
  /** Connect storms under artificial CPU load (Patchbay only). */
  loadedStorm?: Outcome<LoadedStormResult>;
  relayStreamable?: Outcome<RelayResult>;
  relaySse?: Outcome<RelayResult>;
  throughput?: Outcome<ThroughputResult>;
  largeStreamable?: Outcome<LargeResult>;
  largeSse?: Outcome<LargeResult>;
  memory?: Outcome<MemoryResult>;
  /** Only where the relay can sample its own peak memory (Patchbay). */
  slowReader?: Outcome<SlowReaderResult>;
}

/**
 * The fixture served over HTTP by itself (no relay), measured like the relays: what any remote MCP server spoken
 * to over that transport costs, so that the relays' figures minus these are the relay's own cost.
 */
export interface DirectHttpResults {
  /** Whether the fixture's HTTP server started; when not, nothing else was measured. */
  start: Outcome<{ pid: number; port: number }>;
  relayStreamable?: Outcome<RelayResult>;
  relaySse?: Outcome<RelayResult>;
  largeStreamable?: Outcome<LargeResult>;
  largeSse?: Outcome<LargeResult>;
}

/** The raw results of a whole run, from which the table rows are built. */
export interface BenchResults {
  /** Direct stdio to a fixture child, no proxy and no HTTP. */
  direct: {
    relay: Outcome<RelayResult>;
    large: Outcome<LargeResult>;
  };
  /** Direct Streamable HTTP and HTTP+SSE to the fixture's own HTTP server, no proxy. */
  directHttp: DirectHttpResults;
  patchbay: TargetResults;
  peer: TargetResults;
  /** Child processes of the bench still alive after every target was stopped (then killed). */
  leftoverProcesses: number;
  /** Unhandled rejections observed during the run (there should be none). */
  unhandledRejections: string[];
  /** Client-side MaxListenersExceededWarnings on the SDK transport's AbortSignal (counted, not printed). */
  abortListenerWarnings: number;
}

/** An empty DirectHttpResults for a server that has not been started yet. */
export function emptyDirectHttpResults(): DirectHttpResults {
  return { start: { ok: false, error: 'not started' } };
}

/** An empty TargetResults for a relay that has not been started yet. */
export function emptyTargetResults(): TargetResults {
  return { start: { ok: false, error: 'not started' }, storms: {} };
}
