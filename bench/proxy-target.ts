import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BENCH, FIXTURE_PATH, MODERN_FIXTURE_PATH, REPO_ROOT } from './config';
import { errorText, withTimeout } from './guard';
import { descendants, descendantsRunning, isAlive, killAll, onInterrupt, signal, stopProcess, watchExit } from './processes';
import { FIXTURE_SERVER_NAME, MODERN_REMOTE_SERVER_NAME, MODERN_REMOTE_URL_ENV, MODERN_STDIO_SERVER_NAME, type HostMessage, type HostRequest, type MemoryPeak, type MemorySample } from './proxy-ipc';
import type { Target } from './target';

const HOST_ENTRY = join(REPO_ROOT, 'bench', 'proxy-host.ts');
const REQUEST_TIMEOUT_MS = 15_000;

/** Keeps the last lines a child wrote to stderr, for the error message when it fails. */
function stderrTail(child: ChildProcess, keep = 20): () => string {
  const lines: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - keep));
  });
  return () => lines.join(' | ');
}

/**
 * Starts Patchbay's proxy in a child process (bench/proxy-host.ts, with --expose-gc so memory is read after a
 * full GC) and returns it as a Target. The host ends its sessions, and so its fixtures, when told to stop or when
 * the bench disappears.
 */
export async function startPatchbay(options: { modernRemoteUrl?: URL } = {}): Promise<Target> {
  const host = fork(HOST_ENTRY, [], {
    cwd: REPO_ROOT,
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: options.modernRemoteUrl ? { ...process.env, [MODERN_REMOTE_URL_ENV]: options.modernRemoteUrl.href } : process.env,
  });
  const pid = host.pid;
  if (pid === undefined) throw new Error('could not start the proxy host');
  const tail = stderrTail(host);
  const forget = onInterrupt(() => {
    // Fixtures lead their own process groups, so they are killed one by one after the host.
    const tree = descendants(pid);
    signal(pid, 'SIGKILL');
    killAll(tree);
  });

  const pending = new Map<number, (message: Extract<HostMessage, { type: 'reply' }>) => void>();
  let nextId = 1;
  const watch = watchExit(host);

  const ready = new Promise<{ url: string; token: string }>((resolve, reject) => {
    host.on('message', (message: HostMessage) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'failed') reject(new Error(`the proxy did not start: ${message.error}`));
      else pending.get(message.id)?.(message);
    });
    host.once('exit', (code, sig) => reject(new Error(`the proxy host exited (${sig ?? code}) before it was ready: ${tail()}`)));
  });

  const request = async (type: HostRequest['type']): Promise<Extract<HostMessage, { type: 'reply' }>> => {
    if (watch.exited || !host.connected) throw new Error('the proxy host is not running');
    const id = nextId++;
    const reply = new Promise<Extract<HostMessage, { type: 'reply' }>>((resolve) => pending.set(id, resolve));
    host.send({ id, type } satisfies HostRequest);
    try {
      const message = await withTimeout(reply, REQUEST_TIMEOUT_MS, `proxy host ${type}`);
      if (message.error) throw new Error(message.error);
      return message;
    } finally {
      pending.delete(id);
    }
  };

  const stop = async (): Promise<void> => {
    const tree = descendants(pid);
    // Closing the IPC channel is the host's cue to close the proxy (every session, every fixture) and exit;
    // SIGTERM does the same should the channel already be gone.
    await stopProcess(pid, watch, () => (host.connected ? host.disconnect() : signal(pid, 'SIGTERM')));
    // Anything the host left behind (it should leave nothing) goes now.
    killAll(tree.filter(isAlive));
    forget();
  };

  let endpoint: { url: string; token: string };
  try {
    endpoint = await withTimeout(ready, BENCH.processStartTimeoutMs, 'starting the proxy host');
  } catch (error) {
    await stop();
    throw new Error(errorText(error), { cause: error });
  }

  const headers = { Authorization: `Bearer ${endpoint.token}` };
  const route = (name: string) => ({ url: new URL(`${endpoint.url}/servers/${encodeURIComponent(name)}/mcp`), headers });
  const base = `${endpoint.url}/servers/${encodeURIComponent(FIXTURE_SERVER_NAME)}`;
  return {
    label: 'Patchbay',
    pid,
    streamable: { url: new URL(`${base}/mcp`), headers },
    sse: { url: new URL(`${base}/sse`), headers },
    modern: { stdio: route(MODERN_STDIO_SERVER_NAME), ...(options.modernRemoteUrl ? { remote: route(MODERN_REMOTE_SERVER_NAME) } : {}) },
    sessionCount: async () => (await request('sessions')).sessions ?? Number.NaN,
    cpuMs: async () => (await request('cpu')).cpuMs ?? Number.NaN,
    memory: async (): Promise<MemorySample> => {
      const reply = await request('memory');
      if (!reply.memory) throw new Error('the proxy host sent no memory reading');
      return reply.memory;
    },
    memoryPeak: {
      start: async () => {
        await request('peak-start');
      },
      stop: async (): Promise<MemoryPeak> => {
        const reply = await request('peak-stop');
        if (!reply.peak) throw new Error('the proxy host sent no peak reading');
        return reply.peak;
      },
    },
    children: () => descendantsRunning(pid, [FIXTURE_PATH, MODERN_FIXTURE_PATH]),
    stop,
  };
}
