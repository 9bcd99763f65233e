import { spawn } from 'node:child_process';
import type { HttpEndpoint } from './clients';
import { BENCH, FIXTURE_PATH, HOST } from './config';
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

/**
 * Starts the fixture as a remote server in a process of its own: `node <fixture> --http 0` binds a free port on
 * 127.0.0.1 and prints `listening <port>` on stdout. Every Streamable HTTP or HTTP+SSE session gets its own SDK
 * server in that process, just as every relayed session gets its own stdio fixture, so what a client pays talking
 * to it is the HTTP transport's own cost, without a relay. The FIXTURE_* test switches are left out of its
 * environment so that none of them (a required header, a delayed SSE stream) can leak in from the shell.
 */
export async function startDirectHttpServer(): Promise<DirectHttpServer> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FIXTURE_')));
  const child = spawn(process.execPath, [FIXTURE_PATH, '--http', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the direct HTTP fixture server');
  const watch = watchExit(child);
  const forget = onInterrupt(() => signal(pid, 'SIGKILL'));

  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr.push(...chunk.split('\n').filter(Boolean));
    stderr.splice(0, Math.max(0, stderr.length - 20));
  });
  const listening = new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^listening (\d+)$/m.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`the direct HTTP fixture server ${watch.how} before listening: ${stderr.join(' | ').slice(-500)}`)));
    child.once('error', reject);
  });

  const stop = async (): Promise<void> => {
    try {
      // SIGTERM is the fixture's graceful path: it drops every connection, closes the listener and exits.
      await stopProcess(pid, watch);
    } finally {
      child.stdout?.destroy();
      child.stderr?.destroy();
      forget();
    }
  };

  let port: number;
  try {
    port = await withTimeout(listening, BENCH.processStartTimeoutMs, 'starting the direct HTTP fixture server');
  } catch (error) {
    await stop();
    throw new Error(errorText(error), { cause: error });
  }
  const base = `http://${HOST}:${port}`;
  return {
    pid,
    port,
    streamable: { url: new URL(`${base}/mcp`), headers: {} },
    sse: { url: new URL(`${base}/sse`), headers: {} },
    stop,
  };
}
