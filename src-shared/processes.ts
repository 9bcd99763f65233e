import { z } from 'zod';

/**
 * The process monitor's view of the stdio children the proxy started (src-main/services/procmon): each child's
 * process tree with CPU, memory, open file descriptors and uptime, sampled about once a second while someone
 * watches; how ended children ended, with their last stderr lines; and processes of a server still alive after its
 * session ended (leaks), which the user may end.
 */

/** One sample of one process. */
export const ProcessFiguresSchema = z.object({
  /** When it was taken, ms since the epoch. */
  at: z.number(),
  /** CPU use since the sample before, in percent of one core (a process busy on two cores shows 200). */
  cpu: z.number().min(0),
  /** Resident set size in bytes. */
  rssBytes: z.number().int().min(0),
  /** Open file descriptors, where the OS tells (Linux: the entries of /proc/PID/fd); absent elsewhere. */
  fds: z.number().int().min(0).optional(),
});
export type ProcessFigures = z.infer<typeof ProcessFiguresSchema>;

/** A process of a child's tree: the child itself (depth 0) or something it started. */
export const ProcessNodeSchema = z.object({
  pid: z.number().int().positive(),
  /** Its parent when it was last seen (the child's own parent is the proxy). */
  ppid: z.number().int().min(0),
  depth: z.number().int().min(0),
  /** What it runs, where known: the catalog's command and arguments for the child itself. */
  command: z.string().optional(),
  /** When it started, ms since the epoch, where known. */
  startedAt: z.number().optional(),
  /** Whether it was alive at the last look. */
  alive: z.boolean(),
  /** Still running after its server's session ended and its tree was ended: the proxy's cleanup missed it. */
  leaked: z.boolean(),
  /** Newest last, bounded. */
  samples: z.array(ProcessFiguresSchema),
});
export type ProcessNode = z.infer<typeof ProcessNodeSchema>;

/** How a child ended. */
export const ChildEndSchema = z.object({
  at: z.number(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
});

/** One stdio child the proxy started, alive or ended, with its tree. */
export const MonitoredChildSchema = z.object({
  /** The child's pid; with `startedAt` it names this child even after the OS reuses the pid. */
  pid: z.number().int().positive(),
  server: z.string(),
  /** The session it served (legacy era), or the channel of its server's shared child (`modern:<server>`). */
  sessionId: z.string(),
  era: z.enum(['legacy', 'modern']),
  command: z.string(),
  args: z.array(z.string()),
  startedAt: z.number(),
  /** Set once it ended. */
  ended: ChildEndSchema.optional(),
  /** Its last stderr lines, oldest first (bounded). */
  stderrTail: z.array(z.string()),
  /** The child first, then the processes it started, depth first; ended processes stay listed with `alive: false`. */
  tree: z.array(ProcessNodeSchema),
  /** Sums over the live processes of the tree, newest last, bounded: the sparklines. */
  totals: z.array(ProcessFiguresSchema),
});
export type MonitoredChild = z.infer<typeof MonitoredChildSchema>;

/** Everything the monitor knows, as `GET /api/processes` and the `getProcesses` api method answer. */
export const ProcessesSnapshotSchema = z.object({
  /** Whether it is sampling now (someone watches, or a stress run is on). */
  sampling: z.boolean(),
  /** Milliseconds between samples while it does. */
  intervalMs: z.number().int().positive(),
  /** What this OS does not tell (for example open file descriptors outside Linux), in a sentence; absent when all is told. */
  limits: z.string().optional(),
  children: z.array(MonitoredChildSchema),
  /** Processes still alive after their session ended, wherever they are in the children's trees. */
  leaks: z.array(z.object({ pid: z.number().int().positive(), server: z.string(), sessionId: z.string(), childPid: z.number().int().positive() })),
});
export type ProcessesSnapshot = z.infer<typeof ProcessesSnapshotSchema>;

/** The body `POST /api/processes/{pid}/end` answers with, and the `endProcess` api method. */
export const EndProcessResultSchema = z.object({ pid: z.number().int().positive(), ended: z.boolean(), message: z.string() });
export type EndProcessResult = z.infer<typeof EndProcessResultSchema>;

/** A pid as an api input: a positive integer, said plainly when it is not. */
export const PidSchema = z
  .number({ error: 'a pid must be a number' })
  .int('a pid must be a whole number')
  .positive('a pid must be positive')
  .max(2 ** 31 - 1, 'a pid must be below 2^31');

/** A pid written in a URL path: digits only, else NaN, which PidSchema refuses as not a number. */
export function pidFromPath(segment: string): number {
  return /^\d{1,10}$/.test(segment) ? Number(segment) : Number.NaN;
}

/** The newest sample of a list, if any. */
export function latestSample(samples: readonly ProcessFigures[]): ProcessFigures | undefined {
  return samples[samples.length - 1];
}
