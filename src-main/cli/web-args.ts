import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TOKEN_ENV } from '../services/proxy/proxy-server';
import { DEFAULT_DATA_DIR, parseIdleTimeout, UsageError } from './serve-args';

export const WEB_USAGE = 'usage: npm run web -- [--port 6280] [--data-dir DIR] [--token T] [--idle-timeout SECONDS]';

/** What `web` was asked to do. */
export interface WebOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  token: string | undefined;
  /** Sessions idle this long are closed; 0 never. Absent: the app's setting, else the proxy's default. */
  idleTimeoutMs?: number;
}

/**
 * Parses the flags of web mode. The data folder defaults to ~/.mcp-patchbay (the desktop app keeps its own in the
 * OS's app-data folder); the token comes from --token, else PATCHBAY_TOKEN, else is generated.
 */
export function parseWebArgs(argv: string[], env: NodeJS.ProcessEnv): WebOptions {
  let values;
  try {
    values = parseArgs({ args: argv, options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, token: { type: 'string' }, 'idle-timeout': { type: 'string' } }, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = values.port === undefined ? 6280 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  return {
    port,
    dataDir: resolve(values['data-dir'] ?? DEFAULT_DATA_DIR),
    token: values.token ?? (env[TOKEN_ENV] || undefined),
    ...(values['idle-timeout'] === undefined ? {} : { idleTimeoutMs: parseIdleTimeout(values['idle-timeout']) }),
  };
}
