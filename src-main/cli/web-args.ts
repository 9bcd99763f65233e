import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TOKEN_ENV } from '../services/proxy/proxy-server';
import { UsageError } from './serve-args';

export const WEB_USAGE = 'usage: npm run web -- [--port 6280] [--data-dir DIR] [--token T]';

/** What `web` was asked to do. */
export interface WebOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  token: string | undefined;
}

/**
 * Parses the flags of web mode. The data folder defaults to ~/.mcp-patchbay (the desktop app keeps its own in the
 * OS's app-data folder); the token comes from --token, else PATCHBAY_TOKEN, else is generated.
 */
export function parseWebArgs(argv: string[], env: NodeJS.ProcessEnv): WebOptions {
  let values;
  try {
    values = parseArgs({ args: argv, options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, token: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = values.port === undefined ? 6280 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}"`);
  return {
    port,
    dataDir: resolve(values['data-dir'] ?? join(homedir(), '.mcp-patchbay')),
    token: values.token ?? (env[TOKEN_ENV] || undefined),
  };
}
