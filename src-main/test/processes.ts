import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The SDK fixture server that the tests, the end-to-end specs and the benchmark talk to. */
export const FIXTURE_SERVER = fileURLToPath(new URL('./fixtures/fixture-server.mjs', import.meta.url));

/** The dual-era fixture server written with the SDK's 2.x server package (stdio, or `--transport http`). */
export const MODERN_FIXTURE_SERVER = fileURLToPath(new URL('./fixtures/modern-fixture-server.mjs', import.meta.url));

/** The notes server (SDK 2.x, stdio, both eras) whose surface FIXTURE_SURFACE=v2 changes, for snapshot diffs. */
export const SURFACE_FIXTURE_SERVER = fileURLToPath(new URL('./fixtures/surface-fixture-server.mjs', import.meta.url));
/** The misbehaving servers the connection doctor is tested on (banner on stdout, exits at once, 404, ...). */
export const BROKEN_SERVER = fileURLToPath(new URL('./fixtures/broken-server.mjs', import.meta.url));

/** Whether a process (or, with a negative pid, a process group) exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pids of live processes (not zombies) whose command line contains the text, from the OS process list. */
export function processesMatching(text: string): number[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && !match[2]!.startsWith('Z') && match[3]!.includes(text) && !match[3]!.startsWith('ps '))
    .map((match) => Number(match[1]));
}

/** A remote fixture server: its port and how to stop it. */
export interface RemoteFixture {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts the fixture as a remote server on a free loopback port (Streamable HTTP at /mcp, HTTP+SSE at /sse).
 * `tag` goes on its command line so leak checks can tell it apart.
 */
export async function startRemoteFixture(tag: string, env: Record<string, string> = {}): Promise<RemoteFixture> {
  const child = spawn(process.execPath, [FIXTURE_SERVER, '--http', '0', tag], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
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
    child,
    stop: () => stopChild(child),
  };
}

/** The dual-era fixture serving Streamable HTTP: its MCP endpoint and how to stop it. */
export interface ModernRemoteFixture {
  url: URL;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the dual-era fixture on a free loopback port (both eras at /mcp). `tag` marks its command line. */
export async function startModernRemoteFixture(tag: string, env: Record<string, string> = {}): Promise<ModernRemoteFixture> {
  const child = spawn(process.execPath, [MODERN_FIXTURE_SERVER, '--transport', 'http', '--port', '0', tag], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the modern fixture did not start within 10 s')), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (http:\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    });
    child.once('exit', (code) => reject(new Error(`the modern fixture exited with ${code}`)));
  });
  return { url, child, stop: () => stopChild(child) };
}

/** Starts one network mode of the broken server (`http-404`, `https-self-signed`) on a free loopback port. */
export async function startBrokenRemoteServer(mode: 'http-404' | 'https-self-signed', tag: string): Promise<ModernRemoteFixture> {
  const child = spawn(process.execPath, [BROKEN_SERVER, mode, '0', tag], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ${mode} server did not start within 10 s`)), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (https?:\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    });
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited with ${code}`)));
  });
  return { url, child, stop: () => stopChild(child) };
}

/**
 * Starts the fixture on the Unix domain socket `socketPath` (Streamable HTTP at /mcp, HTTP+SSE at /sse), as a
 * server VS Code reaches with `unix://PATH#/mcp` would. The caller owns the socket's folder and removes it.
 */
export async function startSocketFixture(tag: string, socketPath: string, env: Record<string, string> = {}): Promise<RemoteFixture> {
  const child = spawn(process.execPath, [FIXTURE_SERVER, '--socket', socketPath, tag], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket fixture did not start within 10 s')), 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the socket fixture exited with ${code}`)));
  });
  return {
    port: 0,
    child,
    stop: () => stopChild(child),
  };
}

/** Ends a fixture child: SIGTERM, then SIGKILL if it is still there after 3 s; resolves once it has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
  });
}
