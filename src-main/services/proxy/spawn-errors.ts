import { existsSync, statSync } from 'node:fs';

/**
 * Turns a spawn failure into a message that names what was wrong and what was searched, keeping Node's own
 * wording (`spawn uvx ENOENT`) at its start so it can be searched for.
 */
export function describeSpawnError(error: NodeJS.ErrnoException, command: string, env: NodeJS.ProcessEnv): string {
  const base = error.message;
  if (error.code === 'ENOENT') {
    const searched = env.PATH ?? env.Path ?? '';
    return `${base}: command "${command}" was not found${searched ? ` (PATH searched: ${searched})` : ' (no PATH is set)'}`;
  }
  if (error.code === 'EACCES') return `${base}: "${command}" is not executable`;
  return base;
}

/** Checks a child's working directory before spawning, since a missing cwd surfaces as a misleading ENOENT on the command. */
export function checkWorkingDirectory(cwd: string | undefined): string | undefined {
  if (cwd === undefined) return undefined;
  if (!existsSync(cwd)) return `working directory does not exist: ${cwd}`;
  if (!statSync(cwd).isDirectory()) return `working directory is not a directory: ${cwd}`;
  return undefined;
}
