import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/ lives directly under it). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The SDK fixture server every measurement talks to (stdio by default). */
export const FIXTURE_PATH = join(REPO_ROOT, 'src-main', 'test', 'fixtures', 'fixture-server.mjs');

/** The dual-era fixture on the SDK's 2.x server, for the modern-era (MCP 2026-07-28) figures. */
export const MODERN_FIXTURE_PATH = join(REPO_ROOT, 'src-main', 'test', 'fixtures', 'modern-fixture-server.mjs');

/** Where the JSON copy of the table goes (gitignored). */
export const RESULTS_PATH = join(REPO_ROOT, 'bench', 'results', 'latest.json');

/** Every server the bench starts binds here, never a public interface. */
export const HOST = '127.0.0.1';

/**
 * Sizes, counts and time limits of every measurement. Counts bound each loop, the `*Ms` limits bound each
 * measurement in time, so the whole run stays within a few minutes on 2 cores even when something hangs.
 */
export const BENCH = {
  storm: {
    sizes: [10, 50, 100],
    /** The peer is asked for the same sizes; a failure at one size is recorded and the next still runs. */
    peerSizes: [10, 50, 100],
    /** Per-client initialize timeout; the whole storm gets this plus the close budget. */
    connectTimeoutMs: 45_000,
    closeTimeoutMs: 20_000,
  },
  /** Connect storms while busy loops load the CPUs (the keep-alive race); bench/loaded-storm.ts runs it alone. */
  loadedStorm: {
    size: 100,
    rounds: 3,
    /** Busy-loop processes: two per core, so the relay and its clients fight for the CPU (more only times out connects). */
    busyProcesses: 4,
    /** Busy loops run at most this long, and end themselves then even if the bench dies. */
    maxLoadMs: 150_000,
    warmUpMs: 2_000,
    /** Between rounds: about when undici (4 s) and Node's server (5 s) give up on an idle kept-alive socket. */
    pauseMs: 4_500,
  },
  relay: {
    warmupCalls: 200,
    calls: 2000,
    /** One series (warm-up plus calls) stops here even if not all calls are done. */
    seriesTimeoutMs: 40_000,
    callTimeoutMs: 10_000,
  },
  throughput: {
    sessions: 10,
    durationMs: 5_000,
    /** Upper bound on calls per session, so a broken fast path cannot loop forever. */
    maxCallsPerSession: 200_000,
    callTimeoutMs: 10_000,
  },
  /**
   * The throughput ceiling (bench/ceiling.ts): echo calls in closed loops from a load process of its own, direct
   * over stdio and through the proxy. `inFlight` calls per session (split over `sessions` in the N-session row).
   */
  ceiling: {
    inFlight: 64,
    sessions: 4,
    warmupMs: 1_000,
    durationMs: 5_000,
    callTimeoutMs: 10_000,
  },
  largeResult: {
    bytes: 5 * 1024 * 1024,
    runs: 5,
    callTimeoutMs: 30_000,
    seriesTimeoutMs: 90_000,
  },
  memory: {
    sessions: 50,
    warmupSessions: 5,
    /** Time for streams and timers of freshly opened sessions to settle before sampling. */
    settleMs: 1_000,
    timeoutMs: 90_000,
  },
  /**
   * A client that reads about 1 KiB/s from a server that would stream 50 MiB (messages × messageBytes) as fast as
   * it can, for a fixed window: the proxy's peak heap and RSS above idle must stay under `limitBytes`.
   */
  slowReader: {
    messages: 800,
    messageBytes: 64 * 1024,
    readBytesPerSecond: 1024,
    durationMs: 25_000,
    limitBytes: 150 * 1024 * 1024,
    timeoutMs: 60_000,
  },
  /** Modern-era echo (MCP 2026-07-28, the SDK's 2.x client): direct to the modern fixture and through the proxy. */
  modern: {
    /** Sequential echo calls per path, after the relay series' warm-up; throughput uses `throughput` below. */
    calls: 1000,
    /** Untimed echo calls per throughput session before its window opens (the 2.x client's first call is slow). */
    throughputWarmupCalls: 20,
    /** Opening one session through the proxy: how long the probe of its modern route may take. */
    probeTimeoutMs: 15_000,
    /** The least time a modern session's connect (its server/discover probe) gets. */
    connectTimeoutMs: 30_000,
  },
  /** The renderer's protocol timeline in web mode (bench/timeline.ts). */
  timeline: {
    messages: 100_000,
    /** Each filter scenario is timed this many times. */
    filterRepeats: 7,
    scrollFrames: 240,
    /** Synthetic messages added per frame in the "while messages arrive" scroll (about 1,200/s at 60 fps). */
    arrivalsPerFrame: 20,
    jumps: 30,
    timeoutMs: 120_000,
  },
  /** Starting or stopping a server process (proxy host, supergateway). */
  processStartTimeoutMs: 20_000,
  processStopTimeoutMs: 10_000,
} as const;

/** supergateway's log level: 'none' so the peer is measured relaying, not formatting a log line per message. */
export const PEER_LOG_LEVEL = 'none';
