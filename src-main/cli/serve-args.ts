import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TOKEN_ENV } from '../services/proxy/proxy-server';
import { faultFlagsHelp } from './fault-flags';

export const DEFAULT_PORT = 6277;
export const DEFAULT_HOST = '127.0.0.1';

/** The one-line usage, printed under every usage error. */
export const SERVE_USAGE =
  'usage: npm run serve -- --config FILE [--port 6277] [--host 127.0.0.1] [--token T] [--no-auth] [--idle-timeout SECONDS] [--data-dir DIR] [--record FILE] [--fault SERVER:KIND[:key=value,...]]... [--faults FILE] [--fault-seed N]';

/** The proxy closes a session with no traffic for this long unless told otherwise (the proxy's own default). */
export const DEFAULT_IDLE_TIMEOUT_S = 30 * 60;

/** Where `serve` and web mode keep their data (web mode's catalog, the record of running server processes). */
export const DEFAULT_DATA_DIR = join(homedir(), '.mcp-patchbay');

/** What `serve` was asked to do, once its flags are checked. */
export interface ServeOptions {
  configPath: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The bearer token; undefined lets the proxy generate one, null turns authentication off. */
  token: string | null | undefined;
  /** Sessions idle this long are closed; 0 never. Absent: the proxy's default. */
  idleTimeoutMs?: number;
  /** Where the record of running server processes is kept. Absent: DEFAULT_DATA_DIR. */
  dataDir?: string;
  /** `--fault` values as given, `--faults FILE` and `--fault-seed` (read by fault-flags.ts). */
  faultFlags?: string[];
  faultsFile?: string;
  faultSeed?: string;
  /** `--record FILE`: every server's messages recorded from the start and saved there when serve stops. */
  recordPath?: string;
}

export type ServeCommand = { kind: 'help' } | { kind: 'serve'; options: ServeOptions };

/** A wrong flag or flag value; the CLI prints the message and the usage line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const OPTIONS = {
  config: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  token: { type: 'string' },
  'no-auth': { type: 'boolean' },
  'idle-timeout': { type: 'string' },
  'data-dir': { type: 'string' },
  record: { type: 'string' },
  fault: { type: 'string', multiple: true },
  faults: { type: 'string' },
  'fault-seed': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the flags of `serve`. The token comes from `--token`, else from the PATCHBAY_TOKEN variable, else the
 * proxy generates one; `--no-auth` turns authentication off.
 * @param argv the arguments after the script name.
 * @param env where PATCHBAY_TOKEN is read from.
 * @throws UsageError for an unknown flag, a missing or malformed value, or flags that contradict each other.
 */
export function parseServeArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ServeCommand {
  const values = readFlags(argv);
  if (values.help) return { kind: 'help' };

  if (values.config === undefined) throw new UsageError('--config FILE is required');
  if (values.config.trim() === '') throw new UsageError('--config needs a file path');
  const host = parseHost(values.host ?? DEFAULT_HOST);
  const port = values.port === undefined ? DEFAULT_PORT : parsePort(values.port);

  let token: string | null | undefined;
  if (values['no-auth']) {
    if (values.token !== undefined) throw new UsageError('--no-auth and --token cannot be used together');
    token = null;
  } else if (values.token !== undefined) {
    token = checkToken(values.token, '--token');
  } else {
    // An empty variable counts as unset, as shells commonly clear variables that way.
    const fromEnv = env[TOKEN_ENV];
    token = fromEnv ? checkToken(fromEnv, TOKEN_ENV) : undefined;
  }
  const options: ServeOptions = { configPath: values.config, host, port, token };
  if (values.fault !== undefined) options.faultFlags = values.fault;
  if (values.faults !== undefined) {
    if (values.faults.trim() === '') throw new UsageError('--faults needs a file path');
    options.faultsFile = resolve(values.faults);
  }
  if (values['fault-seed'] !== undefined) options.faultSeed = values['fault-seed'];
  if (values['idle-timeout'] !== undefined) options.idleTimeoutMs = parseIdleTimeout(values['idle-timeout']);
  if (values['data-dir'] !== undefined) {
    if (values['data-dir'].trim() === '') throw new UsageError('--data-dir needs a folder path');
    options.dataDir = resolve(values['data-dir']);
  }
  if (values.record !== undefined) {
    if (values.record.trim() === '') throw new UsageError('--record needs a file path, for example session.mcp-recording.json');
    options.recordPath = resolve(values.record);
  }
  return { kind: 'serve', options };
}

type FlagValues = {
  config?: string;
  port?: string;
  host?: string;
  token?: string;
  'no-auth'?: boolean;
  'idle-timeout'?: string;
  'data-dir'?: string;
  record?: string;
  fault?: string[];
  faults?: string;
  'fault-seed'?: string;
  help?: boolean;
};

/**
 * Reads `--idle-timeout SECONDS`: a number of seconds (fractions allowed, so tests can use 0.5), or 0 for never.
 * Shared by `serve` and web mode.
 * @returns milliseconds, 0 for never.
 * @throws UsageError for anything else, saying what was given.
 */
export function parseIdleTimeout(value: string, flag = '--idle-timeout'): number {
  const trimmed = value.trim();
  const seconds = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(seconds)) {
    throw new UsageError(`${flag} must be a number of seconds (for example 300), or 0 to never close idle sessions; not "${value}"`);
  }
  const ms = Math.round(seconds * 1000);
  if (seconds > 0 && ms === 0) throw new UsageError(`${flag} must be at least 0.001 seconds, or 0 to never close idle sessions; not "${value}"`);
  return ms;
}

/**
 * Runs node:util's parseArgs leniently and checks its tokens here, so every mistake gets a short message of ours
 * (Node's wording differs between versions and runs over several sentences).
 */
function readFlags(argv: readonly string[]): FlagValues {
  const { values, tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  if (values.help === true) return { help: true };
  // In order, so the first mistake is the one reported.
  for (const token of tokens) {
    if (token.kind === 'positional') throw new UsageError(`unexpected argument "${token.value}"`);
    checkFlagTokens([token], OPTIONS);
  }
  return values as FlagValues;
}

/**
 * Checks the option tokens of a lenient parseArgs run against the flags a command knows (serve's, connect's).
 * @throws UsageError naming the flag: unknown, a value where none is taken, or a missing value.
 */
export function checkFlagTokens(tokens: ReadonlyArray<ParseArgsToken>, options: Readonly<Record<string, { type: 'string' | 'boolean' }>>): void {
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (!Object.hasOwn(options, token.name)) throw new UsageError(`unknown option ${token.rawName}`);
    const type = options[token.name]!.type;
    if (type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} does not take a value`);
    if (type === 'string' && token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
    // Lenient parsing takes the next argument as the value even when it is a flag: "--config --port 1".
    if (type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      throw new UsageError(`${token.rawName} needs a value; write ${token.rawName}=${token.value} if "${token.value}" is meant as one`);
    }
  }
}

type ParseArgsToken = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new UsageError(`--port must be a whole number from 0 to 65535 (0 picks a free port), not "${value}"`);
  return port;
}

function parseHost(value: string): string {
  const host = value.trim();
  if (host === '') throw new UsageError('--host needs an address, for example 127.0.0.1');
  // "[::1]" is how an IPv6 address is written in a URL; listening wants it bare.
  return /^\[.*\]$/.test(host) ? host.slice(1, -1) : host;
}

/** A token goes into an Authorization header, and the proxy trims what it receives: visible ASCII only. */
function checkToken(token: string, source: string): string {
  if (token === '') throw new UsageError(`${source} must not be empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`${source} must be printable ASCII without spaces`);
  return token;
}

/** The text of `--help`. */
export function serveHelp(): string {
  return [
    'Runs the MCP Patchbay proxy without the desktop app, serving the servers of an MCP host config file.',
    '',
    SERVE_USAGE,
    '',
    'Options:',
    '  --config FILE   config file to read: Claude Desktop, Cursor or Claude Code ("mcpServers"),',
    '                  VS Code .vscode/mcp.json ("servers") or settings.json ("mcp.servers")',
    `  --port N        port to listen on; 0 picks a free one (default ${DEFAULT_PORT})`,
    `  --host ADDR     address to listen on (default ${DEFAULT_HOST})`,
    `  --token T       bearer token clients must send (default: $${TOKEN_ENV}, else a random one)`,
    '  --no-auth       no token at all; only allowed on a loopback host',
    `  --idle-timeout SECONDS  close a session after this long without a message; 0 never (default ${DEFAULT_IDLE_TIMEOUT_S}, 30 minutes)`,
    `  --data-dir DIR  where the running server processes are recorded, so the next start can end what a crash`,
    `                  left running (default ${DEFAULT_DATA_DIR})`,
    '  --record FILE   record every message both ways from the start, saved to FILE when serve stops; replay it',
    '                  with `npm run replay -- --config FILE --server NAME RECORDING`',
    ...faultFlagsHelp(),
    '  -h, --help      show this help',
    '',
    'Each enabled server is served at /servers/NAME/mcp (Streamable HTTP) and /servers/NAME/sse (SSE).',
    'Clients send "Authorization: Bearer <token>". Ctrl+C (SIGINT) or SIGTERM stops the proxy and its servers.',
  ].join('\n');
}
