import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The SDK fixture server the specs put in the catalog. */
export const FIXTURE_SERVER = fileURLToPath(new URL('../../src-main/test/fixtures/fixture-server.mjs', import.meta.url));

/** Marks the fixture processes this run starts, so "no child left" checks look at ours only. */
export const E2E_TAG = `--patchbay-e2e-run=${process.pid}`;

/** Pids of this run's fixture servers still alive (zombies excluded), from the OS process list. */
export function liveFixturePids(): number[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && !match[2]!.startsWith('Z') && match[3]!.includes(E2E_TAG))
    .map((match) => Number(match[1]));
}

/** A stdio catalog entry that runs the fixture server. */
export function stdioFixture(name: string, env: Record<string, string> = {}) {
  return { name, transport: 'stdio' as const, command: process.execPath, args: [FIXTURE_SERVER, E2E_TAG], env };
}

/** Starts the fixture as a remote server on a free loopback port (Streamable HTTP at /mcp, SSE at /sse). */
export async function startRemoteFixture(): Promise<{ port: number; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [FIXTURE_SERVER, '--http', '0', E2E_TAG, '--remote'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the remote fixture did not start within 10 s')), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the remote fixture exited with ${code}`)));
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}

/** Polls until the predicate holds (bounded). */
export async function eventually(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
