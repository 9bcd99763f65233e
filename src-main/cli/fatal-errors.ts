import type { RunningProxy } from '../services/proxy/proxy-server';
import { exitAfterFlush, killServersNow } from './stop-on-signals';

/** Starts the one line a host prints before it dies of an error nobody handled; the tests look for it. */
export const FATAL_LINE_PREFIX = 'PATCHBAY FATAL:';

/** Exit code of a host that died of an unhandled rejection or an uncaught exception. */
export const EXIT_FATAL = 1;

function describeFailure(reason: unknown): string {
  if (reason instanceof Error) return reason.stack ?? `${reason.name}: ${reason.message}`;
  try {
    return typeof reason === 'string' ? reason : JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

/**
 * An unhandled rejection or uncaught exception in a host (serve, web mode) is a bug: print one recognizable
 * line, kill the servers at once (children lead their own process groups and would outlive the host) and exit
 * non-zero, as vitest fails a test run. `proxy` returns the running proxy once there is one.
 */
export function exitOnFatalErrors(proxy: () => RunningProxy | undefined): void {
  let dying = false;
  const die = (kind: string, reason: unknown): void => {
    process.stderr.write(`${FATAL_LINE_PREFIX} ${kind}: ${describeFailure(reason)}\n`);
    if (dying) return;
    dying = true;
    const running = proxy();
    if (running) killServersNow(running);
    exitAfterFlush(EXIT_FATAL);
  };
  process.on('unhandledRejection', (reason) => die('unhandled rejection', reason));
  process.on('uncaughtException', (error) => die('uncaught exception', error));
}
