import { spawn } from 'node:child_process';
import type { HttpEndpoint } from './clients';
import { BENCH, FIXTURE_PATH, HOST, MODERN_FIXTURE_PATH } from './config';
import { errorText, withTimeout } from './guard';
import { onInterrupt, signal, stopProcess, watchExit } from './processes';

/** The fixture served over HTTP by itself, no relay in between: the baseline for the relays' HTTP figures. */
export interface DirectHttpServer {
  pid: number;
  port: number;
  /** Streamable HTTP at /mcp. */
  streamable: HttpEndpoint;
  /** HTTP+SSE at /sse. */
  sse: HttpEndpoint;
  /** Stops the server process; never rejects. */
  stop(): Promise<void>;
}

/** The dual-era (modern) fixture served over Streamable HTTP by itself: the modern-era baseline. */
export interface DirectModernHttpServer {
  pid: number;
  /** Streamable HTTP at /mcp, both eras. */
  streamable: HttpEndpoint;
  stop(): Promise<void>;
}

/**
 * Starts a fixture in a process of its own and resolves once it printed its `listening …` line, with what that
 * line named (a port, or a URL). The FIXTURE_* test switches are left out of its environment so that none of them
 * (a required header, a delayed SSE stream) can leak in from the shell.
 */
async function startListeningFixture(label: string, args: string[], listeningLine: RegExp): Promise<{ pid: number; listening: string; stop(): Promise<void> }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FIXTURE_')));
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start the ${label}`);
  const watch = watchExit(child);
  const forget = onInterrupt(() => signal(pid, 'SIGKILL'));

  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr.push(...chunk.split('\n').filter(Boolean));
    stderr.splice(0, Math.max(0, stderr.length - 20));
  });
  const listening = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = listeningLine.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`the ${label} ${watch.how} before listening: ${stderr.join(' | ').slice(-500)}`)));
    child.once('error', reject);
  });

  const stop = async (): Promise<void> => {
    try {
      // SIGTERM is the fixtures' graceful path: they drop every connection, close the listener and exit.
      await stopProcess(pid, watch);
    } finally {
      child.stdout?.destroy();
      child.stderr?.destroy();
      forget();
    }
  };

  try {
    return { pid, listening: await withTimeout(listening, BENCH.processStartTimeoutMs, `starting the ${label}`), stop };
  } catch (error) {
    await stop();
    throw new Error(errorText(error), { cause: error });
  }
}

/**
 * Starts the fixture as a remote server in a process of its own: `node <fixture> --http 0` binds a free port on
 * 127.0.0.1 and prints `listening <port>` on stdout. Every Streamable HTTP or HTTP+SSE session gets its own SDK
 * server in that process, just as every relayed session gets its own stdio fixture, so what a client pays talking
 * to it is the HTTP transport's own cost, without a relay.
 */
export async function startDirectHttpServer(): Promise<DirectHttpServer> {
  const { pid, listening, stop } = await startListeningFixture('direct HTTP fixture server', [FIXTURE_PATH, '--http', '0'], /^listening (\d+)$/m);
  const port = Number(listening);
  const base = `http://${HOST}:${port}`;
  return {
    pid,
    port,
    streamable: { url: new URL(`${base}/mcp`), headers: {} },
    sse: { url: new URL(`${base}/sse`), headers: {} },
    stop,
  };
}

/** Starts the modern fixture over Streamable HTTP (`--transport http --port 0`, on 127.0.0.1). */
export async function startDirectModernHttpServer(): Promise<DirectModernHttpServer> {
  const { pid, listening, stop } = await startListeningFixture('direct modern HTTP fixture server', [MODERN_FIXTURE_PATH, '--transport', 'http', '--port', '0'], /^listening (http:\S+)$/m);
  return { pid, streamable: { url: new URL(listening), headers: {} }, stop };
}
