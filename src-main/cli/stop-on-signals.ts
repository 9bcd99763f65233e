import type { RunningProxy } from '../services/proxy/proxy-server';

/** SIGHUP too: a closed terminal must not leave the servers' process groups running. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const print = (line: string): void => void process.stdout.write(`${line}\n`);
const printError = (line: string): void => void process.stderr.write(`${line}\n`);

/** Exits once what was written has been handed to the OS (stdout to a pipe is asynchronous on some platforms). */
export function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/**
 * The first signal runs `stop` (which closes every session and ends every child) and exits 0; a second one kills
 * the remaining servers at once and exits 1.
 */
export function stopOnSignals(proxy: RunningProxy, stop: () => Promise<void> = () => proxy.close()): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      printError(`${signal} again: exiting now, without waiting for the servers to stop`);
      killServersNow(proxy);
      return exitAfterFlush(1);
    }
    stopping = true;
    const sessions = proxy.sessions.size;
    print(`${signal}: stopping; closing ${sessions === 1 ? '1 session and its server' : `${sessions} sessions and their servers`}...`);
    stop().then(
      () => {
        print('Stopped.');
        exitAfterFlush(0);
      },
      (error: unknown) => {
        printError(`error while stopping: ${error instanceof Error ? error.message : String(error)}`);
        exitAfterFlush(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
}

/**
 * Best effort on a forced exit: SIGKILL the process group of every child still running, since children lead
 * their own groups and would otherwise outlive the proxy.
 */
export function killServersNow(proxy: RunningProxy): void {
  for (const session of proxy.sessions.list()) {
    const pid = session.snapshot().pid;
    if (pid === undefined) continue;
    try {
      process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
