import type { ChildProcess } from 'node:child_process';
import treeKill from 'tree-kill';

/** Whether children are started in their own process group, so the whole group can be signalled at once. */
export const USES_PROCESS_GROUPS = process.platform !== 'win32';

/**
 * Signals a child and everything it started. On POSIX the child leads its own process group (it was spawned
 * detached), so one signal to the negative pid reaches `npx`/`uvx` grandchildren too; on Windows `taskkill /T`
 * walks the tree. A group that is already gone is not an error.
 */
export function signalProcessTree(child: ChildProcess, signal: NodeJS.Signals): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (USES_PROCESS_GROUPS) {
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    return;
  }
  treeKill(pid, signal, () => {
    // Best effort: taskkill reports "not found" for a tree that already ended.
  });
}
