import treeKill from 'tree-kill';

/** Whether children are started in their own process group, so the whole group can be signalled at once. */
export const USES_PROCESS_GROUPS = process.platform !== 'win32';

/** Sends a signal to a pid, or with a negative pid to a process group; `process.kill` unless a test injects one. */
export type SignalProcess = (pid: number, signal: NodeJS.Signals) => void;

/** How a process tree is signalled, and where a failure is reported. */
export interface TreeSignalOptions {
  signalProcess?: SignalProcess;
  /** Told of any failure but "already gone" (EPERM for a tree owned by someone else, and the like). */
  onError: (error: Error) => void;
}

/**
 * Signals a process and everything it started. On POSIX the child leads its own process group (it was spawned
 * detached), so one signal to the negative pid reaches `npx`/`uvx` grandchildren too; on Windows `taskkill /T`
 * walks the tree. A tree that is already gone is not an error; any other failure goes to `onError`, never thrown,
 * since this runs from exit handlers and timers where a throw would crash the whole proxy.
 */
export function signalProcessTree(pid: number, signal: NodeJS.Signals, options: TreeSignalOptions): void {
  if (USES_PROCESS_GROUPS || options.signalProcess) {
    try {
      (options.signalProcess ?? process.kill)(USES_PROCESS_GROUPS ? -pid : pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') options.onError(asError(error));
    }
    return;
  }
  try {
    treeKill(pid, signal, (error) => {
      // taskkill reports "not found" for a tree that already ended; that is the usual case after an exit.
      if (error && !/not found|no running instance/i.test(error.message)) options.onError(error);
    });
  } catch (error) {
    options.onError(asError(error));
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
