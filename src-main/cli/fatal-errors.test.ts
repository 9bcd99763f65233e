import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_FATAL, FATAL_LINE_PREFIX } from './fatal-errors';

const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Runs a module that installs the hosts' handler and then fails the way `failure` says; returns how it ended. */
function runFailing(failure: string): Promise<{ code: number | null; stderr: string }> {
  const script = `import { exitOnFatalErrors } from './src-main/cli/fatal-errors.ts';\nexitOnFatalErrors(() => undefined);\n${failure}\nsetTimeout(() => process.exit(0), 10_000);\n`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolvePromise) => child.once('close', (code) => resolvePromise({ code, stderr })));
}

describe('a host dies loudly of an error nobody handled', () => {
  it('prints the fatal line for an unhandled rejection and exits non-zero', async () => {
    const ended = await runFailing("void Promise.reject(new Error('nobody caught this'));");
    expect(ended.stderr).toContain(`${FATAL_LINE_PREFIX} unhandled rejection: Error: nobody caught this`);
    expect(ended.code).toBe(EXIT_FATAL);
  });

  it('prints the fatal line for an uncaught exception and exits non-zero', async () => {
    const ended = await runFailing("setTimeout(() => { throw new TypeError('thrown from a timer'); }, 0);");
    expect(ended.stderr).toContain(`${FATAL_LINE_PREFIX} uncaught exception: TypeError: thrown from a timer`);
    expect(ended.code).toBe(EXIT_FATAL);
  });
});
