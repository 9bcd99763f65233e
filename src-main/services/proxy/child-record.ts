import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../catalog/atomic-write';
import { processStartTime, START_TIME_UNSUPPORTED } from './process-start-time';
import { USES_PROCESS_GROUPS } from './kill-process-tree';

/** Told of every child a session spawns and of its end, so that a crash of the proxy cannot orphan it silently. */
export interface ChildTracker {
  spawned(pid: number, command: string): void;
  ended(pid: number): void;
}

const ProcessIdentitySchema = z.object({ pid: z.number().int().positive(), startTime: z.string().min(1) });

const RunRecordSchema = z.object({
  version: z.literal(1),
  /** The Patchbay process that spawned the children; while it runs, its record is never touched by another. */
  owner: ProcessIdentitySchema,
  children: z.array(ProcessIdentitySchema.extend({ command: z.string() })),
});
type RunRecord = z.infer<typeof RunRecordSchema>;

/** What the start-up check found among the records of earlier runs. */
export interface OrphanReport {
  /** Process trees of crashed runs that were still running and were ended. */
  ended: number;
  /** Recorded pids now used by another process (their start time differs), left alone. */
  leftAlone: number;
  /** Set when the check could not run on this platform. */
  unsupported?: string;
  /** Records that could not be read or removed. */
  problems: string[];
}

/** Folder in the data folder that holds one record per running Patchbay process. */
const FOLDER = 'children';
const RECORD_FILE = /^run-\d+\.json$/;
/** How long an orphan gets to exit after SIGTERM before its group is killed. */
const ORPHAN_TERM_GRACE_MS = 1_000;

/**
 * The children of this Patchbay process, recorded with their start times in `<dataDir>/children/run-<pid>.json`
 * (atomic writes), so that the next start can end the ones a crash left running. A clean shutdown removes the
 * record. Each running Patchbay keeps its own file, so two hosts sharing a data folder never end each other's
 * children; a record counts as left by a crash only when its owner (pid and start time) is no longer running.
 */
export class ChildRecord implements ChildTracker {
  private readonly children = new Map<number, { startTime: string; command: string }>();
  private readonly endedBeforeRecorded = new Set<number>();
  private writing?: Promise<void>;
  private dirty = false;
  private closed = false;

  private constructor(
    private readonly path: string | undefined,
    private readonly owner: { pid: number; startTime: string } | undefined,
    private readonly onProblem: (message: string) => void,
  ) {}

  /**
   * Ends what crashed earlier runs left in `dataDir` and opens this run's record. Never throws for a record it
   * cannot read or a process it cannot end: those go to `report.problems`.
   */
  static async open(dataDir: string, onProblem: (message: string) => void = () => undefined): Promise<{ record: ChildRecord; report: OrphanReport }> {
    const folder = join(dataDir, FOLDER);
    const ownerStart = START_TIME_UNSUPPORTED ? undefined : await processStartTime(process.pid);
    if (START_TIME_UNSUPPORTED || ownerStart === undefined) {
      const unsupported = START_TIME_UNSUPPORTED ?? "this process's start time could not be read, so children left by a crash are not looked for";
      return { record: new ChildRecord(undefined, undefined, onProblem), report: { ended: 0, leftAlone: 0, unsupported, problems: [] } };
    }
    await mkdir(folder, { recursive: true });
    const report = await endOrphans(folder);
    const record = new ChildRecord(join(folder, `run-${process.pid}.json`), { pid: process.pid, startTime: ownerStart }, onProblem);
    return { record, report };
  }

  spawned(pid: number, command: string): void {
    if (!this.path || this.closed) return;
    void processStartTime(pid).then((startTime) => {
      if (this.endedBeforeRecorded.delete(pid) || startTime === undefined) return;
      this.children.set(pid, { startTime, command });
      this.save();
    });
  }

  ended(pid: number): void {
    if (!this.path) return;
    if (!this.children.delete(pid)) {
      this.endedBeforeRecorded.add(pid);
      return;
    }
    this.save();
  }

  /** Pids recorded as running (for tests and diagnostics). */
  get recordedPids(): number[] {
    return [...this.children.keys()];
  }

  /** Writes what is pending; with no child left, removes the record. Call after every session has closed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writing;
    if (!this.path) return;
    if (this.children.size === 0) await rm(this.path, { force: true }).catch((error: unknown) => this.onProblem(`could not remove ${this.path}: ${String(error)}`));
    else await this.flush();
  }

  /** Coalesces writes: one in flight at a time, then one more with the latest state. */
  private save(): void {
    if (this.writing) {
      this.dirty = true;
      return;
    }
    this.writing = this.flush().finally(() => {
      this.writing = undefined;
      if (this.dirty) {
        this.dirty = false;
        this.save();
      }
    });
  }

  private async flush(): Promise<void> {
    const record: RunRecord = {
      version: 1,
      owner: this.owner!,
      children: [...this.children].map(([pid, child]) => ({ pid, ...child })),
    };
    try {
      await writeFileAtomic(this.path!, `${JSON.stringify(record, null, 2)}\n`);
    } catch (error) {
      this.onProblem(`could not record the running server processes in ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Ends the children of every record whose owner is gone, then removes those records. */
async function endOrphans(folder: string): Promise<OrphanReport> {
  const report: OrphanReport = { ended: 0, leftAlone: 0, problems: [] };
  const names = (await readdir(folder).catch(() => [] as string[])).filter((name) => RECORD_FILE.test(name));
  for (const name of names) {
    const path = join(folder, name);
    let record: RunRecord;
    try {
      record = RunRecordSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (error) {
      report.problems.push(`${path} is not a valid record of server processes (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); removed it`);
      await rm(path, { force: true }).catch(() => undefined);
      continue;
    }
    if ((await processStartTime(record.owner.pid)) === record.owner.startTime) continue; // that Patchbay still runs
    for (const child of record.children) {
      const outcome = await endIfSame(child);
      if (outcome === 'ended') report.ended += 1;
      else if (outcome === 'reused') report.leftAlone += 1;
    }
    await rm(path, { force: true }).catch((error: unknown) => report.problems.push(`could not remove ${path}: ${String(error)}`));
  }
  return report;
}

/**
 * Ends a recorded child's process tree if it is still the process that was recorded. The pid alone is never
 * enough: a different start time means the pid was reused, and that process is left alone. When the recorded
 * leader is gone but its process group still exists, the group's members are its descendants: the kernel does
 * not hand out a pid that is still a group's id, so the group cannot belong to anyone else.
 */
async function endIfSame(child: { pid: number; startTime: string }): Promise<'ended' | 'reused' | 'gone'> {
  const startTime = await processStartTime(child.pid);
  if (startTime !== undefined && startTime !== child.startTime) return 'reused';
  const target = USES_PROCESS_GROUPS ? -child.pid : child.pid;
  if (startTime === undefined && !(USES_PROCESS_GROUPS && exists(target))) return 'gone';
  signal(target, 'SIGTERM');
  const deadline = Date.now() + ORPHAN_TERM_GRACE_MS;
  while (exists(target) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  signal(target, 'SIGKILL');
  return 'ended';
}

function exists(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(target: number, name: NodeJS.Signals): void {
  try {
    process.kill(target, name);
  } catch {
    // Gone already, or not ours to signal: nothing more can be done from here.
  }
}

/**
 * The sentence that tells the user what the start-up check did, or undefined when there is nothing to tell
 * (no orphan found, nothing left alone).
 */
export function describeOrphans(report: OrphanReport): string | undefined {
  const parts: string[] = [];
  if (report.ended > 0) {
    parts.push(`Ended ${report.ended === 1 ? '1 server process' : `${report.ended} server processes`} (with what they started) left running by an earlier Patchbay run that did not shut down cleanly.`);
  }
  if (report.leftAlone > 0) {
    parts.push(`${report.leftAlone === 1 ? '1 recorded process id is' : `${report.leftAlone} recorded process ids are`} now used by other programs; left alone.`);
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}
