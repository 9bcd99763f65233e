import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { BENCH, HOST } from './config';
import { errorText, waitFor } from './guard';
import { isAlive } from '../src-main/test/processes';

/**
 * The pids of every live descendant of `root`, found through /proc (Linux). Used to prove that no fixture outlives
 * its session and as a last-resort cleanup; elsewhere it returns an empty list.
 */
export function descendants(root: number): number[] {
  if (process.platform !== 'linux') return [];
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may itself contain spaces or parentheses: parse after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // a zombie holds no resources beyond its table entry
      const ppid = Number(fields[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** A process's command line with arguments joined by spaces ('' when it is gone or unreadable). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
  } catch {
    return '';
  }
}

/**
 * Descendants of `root` whose command line mentions one of `markers`. Lets counts ignore helpers that are not the
 * bench's business, such as the esbuild service tsx keeps running next to every process it loads.
 */
export function descendantsRunning(root: number, markers: readonly string[]): number[] {
  return descendants(root).filter((pid) => {
    const command = commandLine(pid);
    return markers.some((marker) => command.includes(marker));
  });
}

/** Resident set size of a process in bytes, read from /proc (Linux only; NaN elsewhere or when it is gone). */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Sends a signal, treating "no such process" as success. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

export { isAlive };

/** SIGKILLs each pid, ignoring the ones already gone. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) signal(pid, 'SIGKILL');
}

/** Asks the OS for a free port on the loopback interface. A small race remains until the caller binds it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}

/** Synchronous last-resort cleanups run when the bench is interrupted (finally blocks do not run on a signal). */
const emergencyCleanups = new Set<() => void>();

/** Registers a cleanup for an interrupt; returns the function that unregisters it once the normal path has run. */
export function onInterrupt(cleanup: () => void): () => void {
  emergencyCleanups.add(cleanup);
  return () => emergencyCleanups.delete(cleanup);
}

/** Installs the SIGINT/SIGTERM handlers that run the registered cleanups and then end the bench. */
export function installInterruptHandlers(): void {
  const stop = (name: NodeJS.Signals): void => {
    process.stderr.write(`\nbench: ${name}, ending child processes\n`);
    for (const cleanup of emergencyCleanups) {
      try {
        cleanup();
      } catch {
        // Keep going: the other children still need ending.
      }
    }
    killAll(descendants(process.pid));
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Whether a child has exited, and how, as a phrase for messages ("exited (SIGKILL)"). */
export interface ExitWatch {
  readonly exited: boolean;
  readonly how: string;
}

/** Starts watching a child for its exit (or a spawn error). */
export function watchExit(child: ChildProcess): ExitWatch {
  const watch = { exited: false, how: '' };
  child.on('exit', (code, sig) => {
    watch.exited = true;
    watch.how = `exited (${sig ?? code})`;
  });
  child.on('error', (error) => {
    watch.how = errorText(error);
  });
  return watch;
}

/**
 * Stops a process that has been asked to stop (`ask`, SIGTERM by default): waits for it, then SIGKILLs it (or its
 * group, for a negative pid) if it is still there after BENCH.processStopTimeoutMs.
 */
export async function stopProcess(pid: number, watch: ExitWatch, ask: () => void = () => signal(pid, 'SIGTERM')): Promise<void> {
  if (watch.exited) return;
  ask();
  if (!(await waitFor(() => watch.exited, BENCH.processStopTimeoutMs))) {
    signal(pid, 'SIGKILL');
    await waitFor(() => watch.exited, 2_000);
  }
}
