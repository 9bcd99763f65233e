import { z } from 'zod';

/**
 * The stress runner's settings, figures and saved runs: the api, the CLI, the saved files and the Stress view all
 * read these schemas. Times are milliseconds, rates calls per second.
 */

/** What each call of a run does: one tool call, resource read or prompt get, always with the same arguments. */
export const StressTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('tool'), name: z.string().min(1, 'name the tool to call'), arguments: z.record(z.string(), z.unknown()).default({}) }),
  z.strictObject({ kind: z.literal('resource'), uri: z.string().min(1, 'name the resource uri to read') }),
  z.strictObject({ kind: z.literal('prompt'), name: z.string().min(1, 'name the prompt to get'), arguments: z.record(z.string(), z.string()).default({}) }),
]);
export type StressTarget = z.infer<typeof StressTargetSchema>;

/** Each legacy session of a stdio server is a process of its own: more than this would stress the machine, not the server. */
export const MAX_STRESS_SESSIONS = 100;
export const MAX_STRESS_CONCURRENCY = 1000;

export const StressLoadSchema = z
  .strictObject({
    /** Calls in flight at once. */
    concurrency: z.number().int().min(1, 'concurrency is at least 1').max(MAX_STRESS_CONCURRENCY, `concurrency is at most ${MAX_STRESS_CONCURRENCY}`),
    /** How long to keep starting calls. */
    durationMs: z.number().int().min(100, 'a run lasts at least 100 ms').max(24 * 3_600_000, 'a run lasts at most 24 h').optional(),
    /** How many calls to make. With a duration too, the run ends at whichever comes first. */
    calls: z.number().int().min(1, 'make at least 1 call').max(100_000_000).optional(),
    /** Calls started per second, whatever the answers; absent: open loop, a new call as soon as one is answered. */
    rate: z.number().positive('a rate is above 0 calls/s').max(1_000_000).optional(),
    /** The share of calls (0 to 1) cancelled with notifications/cancelled `cancelAfterMs` after they were sent. */
    cancelShare: z.number().min(0, 'the cancel share is between 0 and 1').max(1, 'the cancel share is between 0 and 1').default(0),
    cancelAfterMs: z.number().int().min(0).max(600_000).default(50),
    /** Sessions the calls are spread over, in turn: 1 is one shared session. */
    sessions: z.number().int().min(1, 'use at least 1 session').max(MAX_STRESS_SESSIONS, `use at most ${MAX_STRESS_SESSIONS} sessions`).default(1),
    /** A call not answered within this is cancelled and counted as a timeout. */
    callTimeoutMs: z.number().int().min(1).max(3_600_000).default(30_000),
  })
  .refine((load) => load.durationMs !== undefined || load.calls !== undefined, { message: 'give a duration or a number of calls (or both)' })
  .refine((load) => load.sessions <= load.concurrency, { message: 'use no more sessions than calls in flight', path: ['sessions'] });
export type StressLoad = z.infer<typeof StressLoadSchema>;
export type StressLoadInput = z.input<typeof StressLoadSchema>;

export const StressSettingsSchema = z.strictObject({
  server: z.string().min(1, 'a server name is required').max(200),
  target: StressTargetSchema,
  load: StressLoadSchema,
});
export type StressSettings = z.infer<typeof StressSettingsSchema>;
export type StressSettingsInput = z.input<typeof StressSettingsSchema>;

/**
 * How a call that did not succeed ended: `jsonrpc <code>` (a JSON-RPC error answer), `isError` (a tool result with
 * isError: true), `timeout` (no answer within the call timeout) or `transport` (HTTP, connection, unreadable answer).
 */
export type StressErrorKind = `jsonrpc ${number}` | 'isError' | 'timeout' | 'transport';

/** Latency figures in ms over the answered calls (errors included, cancelled calls not). */
export const LatencySummarySchema = z.object({
  count: z.number().int().min(0),
  min: z.number(),
  mean: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
});
export type LatencySummary = z.infer<typeof LatencySummarySchema>;

export const StressFiguresSchema = z.object({
  elapsedMs: z.number().min(0),
  /** Calls sent. */
  started: z.number().int().min(0),
  /** Calls answered with success. */
  ok: z.number().int().min(0),
  /** Calls that ended in an error, by kind (see StressErrorKind). */
  errors: z.record(z.string(), z.number().int().min(0)),
  /** The first message seen of each error kind, to say why. */
  errorSamples: z.record(z.string(), z.string()),
  /** Calls cancelled on purpose (the cancel share, or Stop) before their answer came. */
  cancelled: z.number().int().min(0),
  inFlight: z.number().int().min(0),
  /** Calls that ended (answered, failed, cancelled) per second over the last second. */
  callsPerSecond: z.number().min(0),
  /** The same over the whole run. */
  meanCallsPerSecond: z.number().min(0),
  latency: LatencySummarySchema,
  /** 0 to 1: how far the run is towards its duration or call count. */
  progress: z.number().min(0).max(1),
});
export type StressFigures = z.infer<typeof StressFiguresSchema>;

/** One second of a run (the latency-over-time chart). */
export const StressPointSchema = z.object({
  /** End of the second, ms since the run started. */
  atMs: z.number().min(0),
  calls: z.number().int().min(0),
  errors: z.number().int().min(0),
  cancelled: z.number().int().min(0),
  p50: z.number(),
  p99: z.number(),
  max: z.number(),
  inFlight: z.number().int().min(0),
});
export type StressPoint = z.infer<typeof StressPointSchema>;

/** A latency histogram bucket: calls answered in (previous bucket's upToMs, upToMs]. */
export const HistogramBucketSchema = z.object({ upToMs: z.number(), count: z.number().int().min(0) });
export type HistogramBucket = z.infer<typeof HistogramBucketSchema>;

export const STRESS_OUTCOMES = ['completed', 'stopped', 'failed'] as const;

/** A finished run as saved in the data folder. */
export const StressRunSchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  server: z.string(),
  /** What the server said it is in initialize. */
  serverInfo: z.object({ name: z.string(), version: z.string() }).loose().optional(),
  protocolVersion: z.string().optional(),
  settings: StressSettingsSchema,
  startedAt: z.number(),
  endedAt: z.number(),
  outcome: z.enum(STRESS_OUTCOMES),
  /** Why a failed run failed (no session could be opened, the runner broke). */
  failure: z.string().optional(),
  figures: StressFiguresSchema,
  series: z.array(StressPointSchema),
  histogram: z.array(HistogramBucketSchema),
});
export type StressRun = z.infer<typeof StressRunSchema>;

/** A saved run in a list: enough to pick two to compare. */
export const StressRunSummarySchema = StressRunSchema.pick({ id: true, server: true, serverInfo: true, settings: true, startedAt: true, endedAt: true, outcome: true }).extend({
  calls: z.number().int(),
  errors: z.number().int(),
  cancelled: z.number().int(),
  meanCallsPerSecond: z.number(),
  p99: z.number(),
});
export type StressRunSummary = z.infer<typeof StressRunSummarySchema>;

export const STRESS_STATES = ['starting', 'running', 'stopping', 'done'] as const;

/** The progress event of a run: sent a few times a second while it runs, and once when it is done (with its run). */
export const StressProgressSchema = z.object({
  runId: z.string(),
  server: z.string(),
  state: z.enum(STRESS_STATES),
  figures: StressFiguresSchema,
  /** The last points of the series (at most STRESS_PROGRESS_POINTS). */
  series: z.array(StressPointSchema),
  histogram: z.array(HistogramBucketSchema),
  /** Set when done: the run as saved (or, when it could not be saved, as it ended). */
  run: StressRunSchema.optional(),
  /** Set when done and the run could not be saved. */
  saveProblem: z.string().optional(),
});
export type StressProgress = z.infer<typeof StressProgressSchema>;
export const STRESS_PROGRESS_POINTS = 600;

/** Total calls that ended in an error of any kind. */
export function errorCount(figures: Pick<StressFigures, 'errors'>): number {
  return Object.values(figures.errors).reduce((sum, count) => sum + count, 0);
}

/** The share of ended calls (answered or failed, cancels left out) that failed, 0 when none ended. */
export function errorRate(figures: Pick<StressFigures, 'errors' | 'ok'>): number {
  const errors = errorCount(figures);
  const ended = errors + figures.ok;
  return ended === 0 ? 0 : errors / ended;
}

/** An error kind as a reader says it. */
export function describeErrorKind(kind: string): string {
  if (kind.startsWith('jsonrpc ')) return `JSON-RPC error ${kind.slice('jsonrpc '.length)}`;
  if (kind === 'isError') return 'tool error (isError)';
  return kind;
}

/** The target as one line: `tools/call echo`, `resources/read fixture://hello`, `prompts/get greet`. */
export function describeTarget(target: StressTarget): string {
  if (target.kind === 'tool') return `tools/call ${target.name}`;
  if (target.kind === 'resource') return `resources/read ${target.uri}`;
  return `prompts/get ${target.name}`;
}

/** A summary of a run for lists. */
export function summarizeRun(run: StressRun): StressRunSummary {
  return {
    id: run.id,
    server: run.server,
    serverInfo: run.serverInfo,
    settings: run.settings,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    outcome: run.outcome,
    calls: run.figures.ok + errorCount(run.figures),
    errors: errorCount(run.figures),
    cancelled: run.figures.cancelled,
    meanCallsPerSecond: run.figures.meanCallsPerSecond,
    p99: run.figures.latency.p99,
  };
}
