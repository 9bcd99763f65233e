import { readdir } from 'node:fs/promises';
import pidtree from 'pidtree';
import pidusage from 'pidusage';
import { processStartTime, START_TIME_UNSUPPORTED } from '../proxy/process-start-time';

/**
 * What the OS tells about processes, through libraries: the process table (pid → parent) from pidtree (`ps` on
 * Linux and macOS, wmic or PowerShell on Windows), CPU and memory from pidusage (/proc on Linux, `ps` on macOS,
 * wmic or gwmi on Windows), and open file descriptors where the OS lists them (Linux's /proc/PID/fd). Nothing here
 * throws for a process that is gone: it is simply missing from the answer.
 */

/** Every process on the machine, by pid, with its parent. */
export type ProcessTable = Map<number, number>;

export async function readProcessTable(): Promise<ProcessTable> {
  const rows = await pidtree(-1, { advanced: true });
  return new Map(rows.map((row) => [row.pid, row.ppid]));
}

/** The descendants of `root` in the table, depth first, with their depth below it (1 for its children). */
export function descendantsOf(table: ProcessTable, root: number): Array<{ pid: number; ppid: number; depth: number }> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of table) {
    if (pid === ppid) continue;
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const found: Array<{ pid: number; ppid: number; depth: number }> = [];
  const seen = new Set<number>([root]);
  const walk = (parent: number, depth: number): void => {
    for (const pid of (children.get(parent) ?? []).sort((a, b) => a - b)) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      found.push({ pid, ppid: parent, depth });
      walk(pid, depth + 1);
    }
  };
  walk(root, 1);
  return found;
}

export interface ProcessUsage {
  /** Percent of one core since pidusage last looked at this pid. */
  cpu: number;
  rssBytes: number;
  /** When it started, ms since the epoch (from pidusage's elapsed time). */
  startedAt: number;
}

/**
 * How long pidusage keeps a pid's previous reading (its CPU % is measured against it; on Linux it also keeps the
 * stat file open that long): a few sampling intervals, so a process that ended lets go of its file soon.
 */
const USAGE_MEMORY_MS = 5_000;

/** CPU and memory of each pid that still runs; one that ended meanwhile is left out. */
export async function readUsage(pids: readonly number[]): Promise<Map<number, ProcessUsage>> {
  const usage = new Map<number, ProcessUsage>();
  if (pids.length === 0) return usage;
  const keep = (pid: number, stat: pidusage.Status | undefined) => {
    if (stat) usage.set(pid, { cpu: Math.max(0, stat.cpu), rssBytes: Math.max(0, Math.round(stat.memory)), startedAt: Math.round(stat.timestamp - stat.elapsed) });
  };
  // The whole list at once (one `ps` or wmic on macOS and Windows); it fails whole when one pid has ended meanwhile,
  // and then each pid is asked alone.
  const all = await pidusage([...pids], { maxage: USAGE_MEMORY_MS }).catch(() => undefined);
  if (all) {
    for (const pid of pids) keep(pid, all[pid]);
    return usage;
  }
  const settled = await Promise.allSettled(pids.map((pid) => pidusage(pid, { maxage: USAGE_MEMORY_MS })));
  settled.forEach((outcome, index) => keep(pids[index]!, outcome.status === 'fulfilled' ? outcome.value : undefined));
  return usage;
}

/**
 * Where open file descriptors can be counted: Linux lists a process's in /proc/PID/fd. macOS tells only through
 * `lsof` or libproc, and Windows gives a handle count (of every kind of kernel object) only through WMI or
 * PowerShell; neither is a count of files, so the figure is left out there.
 */
export const FDS_SUPPORTED = process.platform === 'linux';

export const OS_LIMITS: string | undefined = FDS_SUPPORTED
  ? undefined
  : `open file descriptors are not counted on ${process.platform}: only Linux lists them (/proc/PID/fd)`;

/** Open file descriptors of a process, where the OS lists them; undefined when it does not or the process is gone. */
export async function countOpenFds(pid: number): Promise<number | undefined> {
  if (!FDS_SUPPORTED) return undefined;
  const entries = await readdir(`/proc/${pid}/fd`).catch(() => undefined);
  return entries?.length;
}

/**
 * Says which process a pid is, so that a pid the OS gave to a new process is never taken for the one recorded:
 * the exact start time where it can be read (Linux, macOS), else pidusage's start time to the second.
 */
export async function processIdentity(pid: number, usage?: ProcessUsage): Promise<string | undefined> {
  if (!START_TIME_UNSUPPORTED) {
    const started = await processStartTime(pid);
    return started === undefined ? undefined : `start ${started}`;
  }
  const measured = usage ?? (await readUsage([pid])).get(pid);
  return measured ? `about ${Math.round(measured.startedAt / 1000)}` : undefined;
}
