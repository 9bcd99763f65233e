import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, FIXTURE_PATH, HOST, PEER_LOG_LEVEL, REPO_ROOT } from './config';
import { sleep, waitFor, withTimeout } from './guard';
import { descendants, descendantsRunning, freePort, isAlive, killAll, onInterrupt, signal, stopProcess, watchExit } from './processes';
import type { MemorySample } from './proxy-ipc';
import type { Target } from './target';

/** supergateway's entry script, found through the bin link npm installed. */
function supergatewayEntry(): string {
  return realpathSync(join(REPO_ROOT, 'node_modules', '.bin', 'supergateway'));
}

/** Quotes a word for the POSIX shell supergateway runs its --stdio command with. */
function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Marks the memory line bench/memory-probe.mjs writes on stderr. */
const MEMORY_MARK = '@@bench-memory ';

/**
 * Starts the peer, supergateway, as a stateful stdio → Streamable HTTP gateway for the fixture:
 *   supergateway --stdio "node <fixture>" --outputTransport streamableHttp --stateful --port <free port>
 * It is run through node with two bench preloads: bench/loopback-only.mjs so it binds 127.0.0.1 only, and
 * bench/memory-probe.mjs (with --expose-gc) so its memory is read after a full GC like the proxy host's. It runs
 * in its own process group (detached) so the whole group can be signalled, with stdin kept open since supergateway
 * exits when its stdin closes.
 */
export async function startSupergateway(): Promise<Target> {
  const port = await freePort();
  const args = [
    '--expose-gc',
    '--import',
    new URL('./loopback-only.mjs', import.meta.url).href,
    '--import',
    new URL('./memory-probe.mjs', import.meta.url).href,
    supergatewayEntry(),
    '--stdio',
    `${shellWord(process.execPath)} ${shellWord(FIXTURE_PATH)}`,
    '--outputTransport',
    'streamableHttp',
    '--stateful',
    '--port',
    String(port),
    '--logLevel',
    PEER_LOG_LEVEL,
    '--healthEndpoint',
    '/healthz',
  ];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, detached: true, stdio: ['pipe', 'ignore', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start supergateway');
  const watch = watchExit(child);
  const stderr: string[] = [];
  const memoryWaiters: Array<(sample: MemorySample) => void> = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(MEMORY_MARK)) {
        const sample = JSON.parse(line.slice(MEMORY_MARK.length)) as MemorySample;
        for (const wake of memoryWaiters.splice(0)) wake(sample);
      } else if (line.trim()) {
        stderr.push(line);
        stderr.splice(0, Math.max(0, stderr.length - 20));
      }
    }
  });
  // Its own fixtures are detached too (separate groups): kill the gateway's group, then each descendant.
  const killEverything = (): void => {
    const tree = descendants(pid);
    signal(-pid, 'SIGKILL');
    killAll(tree);
  };
  const forget = onInterrupt(killEverything);

  const stop = async (): Promise<void> => {
    const tree = descendants(pid);
    try {
      // SIGTERM is supergateway's graceful path: it ends its children (up to 5 s each, concurrently) and exits.
      await stopProcess(-pid, watch);
      killAll(tree.filter(isAlive));
      signal(-pid, 'SIGKILL');
      child.stdin?.destroy();
    } finally {
      forget();
    }
  };

  const base = `http://${HOST}:${port}`;
  const healthy = await waitFor(async () => {
    if (watch.exited) return true;
    try {
      const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }, BENCH.processStartTimeoutMs, 100);
  if (watch.exited || !healthy) {
    await sleep(50); // let the last stderr chunk arrive for the message
    await stop();
    throw new Error(`supergateway did not start (${watch.how || 'no answer on /healthz'}): ${stderr.join(' | ').slice(-500)}`);
  }

  return {
    label: 'supergateway',
    pid,
    streamable: { url: new URL(`${base}/mcp`), headers: {} },
    // supergateway reports no session count; its memory comes from the probe preload.
    memory: () => {
      if (watch.exited) return Promise.reject(new Error(`supergateway ${watch.how}`));
      const reading = new Promise<MemorySample>((resolve) => memoryWaiters.push(resolve));
      signal(pid, 'SIGUSR2');
      return withTimeout(reading, 10_000, 'supergateway memory probe');
    },
    children: () => descendantsRunning(pid, [FIXTURE_PATH]),
    stop,
  };
}
