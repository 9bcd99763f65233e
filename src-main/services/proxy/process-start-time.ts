import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Why start times cannot be read on this platform, or undefined where they can. */
export const START_TIME_UNSUPPORTED: string | undefined =
  process.platform === 'linux' || process.platform === 'darwin'
    ? undefined
    : `reading a process's start time is not implemented on ${process.platform}, so children left by a crash are not looked for`;

/**
 * When a process started, as an opaque string that differs between two processes that had the same pid: the
 * start time in clock ticks since boot from /proc/<pid>/stat on Linux, `ps -o lstart=` on macOS. Undefined when
 * the process does not exist (or the platform cannot tell, see START_TIME_UNSUPPORTED).
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (!stat) return undefined;
    // The command name is in parentheses and may hold spaces or parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); starttime is field 22. A zombie is already dead.
    if (fields[0] === 'Z') return undefined;
    return fields[19];
  }
  if (process.platform === 'darwin') {
    return new Promise((resolve) => {
      execFile('ps', ['-o', 'lstart=', '-p', String(pid)], { timeout: 5_000 }, (error, stdout) => {
        const started = stdout.trim();
        resolve(error || started === '' ? undefined : started);
      });
    });
  }
  return undefined;
}
