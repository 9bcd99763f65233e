import { ProxyConfigError } from '../services/proxy/proxy-server';
import type { ServeOptions } from './serve-args';

/** Why the proxy did not start, as one line, and the exit code that goes with it. */
export interface StartFailure {
  message: string;
  /** 2 when the flags asked for something refused (like --no-auth on a public host), 1 when listening failed. */
  exitCode: 1 | 2;
}

/** Explains an error thrown by `startProxy` for the flags that caused it. */
export function describeStartFailure(error: unknown, options: Pick<ServeOptions, 'host' | 'port' | 'token'>): StartFailure {
  const message = error instanceof Error ? error.message : String(error);
  // Options the proxy refuses (like --no-auth on a public host) are the user's flags to fix.
  if (error instanceof ProxyConfigError) return { message, exitCode: 2 };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const address = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return { message: `cannot listen on ${address}: the port is already in use; choose another --port (0 picks a free one)`, exitCode: 1 };
    case 'EADDRNOTAVAIL':
      return { message: `cannot listen on ${address}: this machine has no such address; check --host`, exitCode: 1 };
    case 'EACCES':
      return { message: `cannot listen on ${address}: permission denied (ports below 1024 need extra privileges)`, exitCode: 1 };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { message: `cannot listen on ${address}: the host name "${options.host}" does not resolve; check --host`, exitCode: 1 };
    case undefined:
      return { message: `cannot start the proxy: ${message}`, exitCode: 1 };
    default:
      return { message: `cannot listen on ${address}: ${message}`, exitCode: 1 };
  }
}
