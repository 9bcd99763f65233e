import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';

/**
 * The PATH of the user's login shell. An app started from the Finder, the Dock or a desktop launcher inherits a
 * bare PATH (/usr/bin:/bin:/usr/sbin:/sbin on macOS), without Homebrew, nvm, volta or ~/.local/bin, so `npx`,
 * `node`, `uvx` and `docker`, the commands MCP servers are started with, would not be found. The shell runs once
 * at start-up, interactive and login so that it reads the user's profile; whatever the profile prints is ignored.
 */
export function pathFromLoginShell(shell: string | undefined = process.env.SHELL, timeoutMs = 5_000, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (!shell) return Promise.resolve(undefined);
  const marker = '_PATCHBAY_PATH_';
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const finish = (path: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(path);
    };
    let child;
    try {
      child = spawn(shell, ['-ilc', `printf '${marker}%s${marker}' "$PATH"`], { env, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    } catch {
      return finish(undefined);
    }
    const started = child;
    // A profile that waits for input or hangs must not hold the app's start-up.
    const timer = setTimeout(() => {
      try {
        if (started.pid) process.kill(-started.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      finish(undefined);
    }, timeoutMs);
    started.stdout.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-65_536);
    });
    started.once('error', () => finish(undefined));
    started.once('close', () => {
      const match = new RegExp(`${marker}(.*?)${marker}`, 's').exec(output);
      finish(match?.[1]?.trim() || undefined);
    });
  });
}

/** Both PATHs, the login shell's entries first, each directory once. */
export function mergePaths(preferred: string | undefined, current: string | undefined, separator: string = delimiter): string {
  const entries = [...(preferred ?? '').split(separator), ...(current ?? '').split(separator)].filter((entry) => entry.length > 0);
  return [...new Set(entries)].join(separator);
}
