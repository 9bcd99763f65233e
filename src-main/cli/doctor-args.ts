import { UPSTREAM_TRANSPORTS, type UpstreamTransportKind } from '../../src-shared/catalog';
import { UsageError } from './serve-args';
import { parseDuration } from './stress-args';
import { parseStrictFlags } from './strict-flags';

export { UsageError };

export const DOCTOR_USAGE =
  'usage: npm run doctor -- (--config FILE --server NAME | --url URL [--transport streamable-http|sse] | --command CMD [--env NAME=VALUE]... [-- ARGS...]) [--json] [--timeout 10s]';

/** Which server to diagnose: one of a config file, or one described on the command line. */
export type DoctorTarget =
  | { kind: 'config'; configPath: string; server: string }
  | { kind: 'url'; url: string; transport: Exclude<UpstreamTransportKind, 'stdio'> }
  | { kind: 'command'; command: string; args: string[]; env: Record<string, string> };

/** What `npm run doctor` was asked to do, once its flags are checked. */
export interface DoctorCliOptions {
  target: DoctorTarget;
  json: boolean;
  timeoutMs: number;
}

export type DoctorCommand = { kind: 'help' } | { kind: 'doctor'; options: DoctorCliOptions };

const OPTIONS = {
  config: { type: 'string' },
  server: { type: 'string' },
  url: { type: 'string' },
  transport: { type: 'string' },
  command: { type: 'string' },
  env: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the flags of `npm run doctor`.
 * @throws UsageError naming the flag: an unknown or missing one, two targets at once, a malformed --env or duration.
 */
export function parseDoctorArgs(argv: readonly string[]): DoctorCommand {
  const { values, positionals } = parseStrictFlags(argv, OPTIONS);
  if (values.help) return { kind: 'help' };
  const given = [values.config !== undefined || values.server !== undefined ? '--config/--server' : undefined, values.url !== undefined ? '--url' : undefined, values.command !== undefined ? '--command' : undefined].filter(
    (flag): flag is string => flag !== undefined,
  );
  if (given.length === 0) throw new UsageError('say which server to diagnose: --config FILE --server NAME, --url URL or --command CMD');
  if (given.length > 1) throw new UsageError(`give one server to diagnose, not ${given.join(' and ')}`);
  if (positionals.length > 0 && values.command === undefined) throw new UsageError(`unexpected argument ${positionals[0]} (only --command takes arguments, after --)`);
  if (values.transport !== undefined && values.url === undefined) throw new UsageError('--transport goes with --url');
  if (values.env !== undefined && values.command === undefined) throw new UsageError('--env goes with --command');
  return {
    kind: 'doctor',
    options: {
      target: targetOf(values, positionals),
      json: values.json ?? false,
      timeoutMs: values.timeout === undefined ? 10_000 : parseDuration('--timeout', values.timeout),
    },
  };
}

function targetOf(values: { config?: string; server?: string; url?: string; transport?: string; command?: string; env?: string[] }, positionals: string[]): DoctorTarget {
  if (values.url !== undefined) {
    const transport = values.transport ?? 'streamable-http';
    if (transport === 'stdio' || !(UPSTREAM_TRANSPORTS as readonly string[]).includes(transport)) throw new UsageError(`--transport: "${transport}" is not streamable-http or sse`);
    return { kind: 'url', url: values.url, transport: transport as 'streamable-http' | 'sse' };
  }
  if (values.command !== undefined) {
    if (!values.command.trim()) throw new UsageError('--command: give the command that starts the server');
    const env: Record<string, string> = {};
    for (const pair of values.env ?? []) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
      if (!match) throw new UsageError(`--env: "${pair}" is not NAME=VALUE`);
      env[match[1]!] = match[2]!;
    }
    return { kind: 'command', command: values.command, args: positionals, env };
  }
  if (!values.config?.trim()) throw new UsageError('--config FILE is required with --server');
  if (!values.server?.trim()) throw new UsageError('--server NAME is required (the server of the config file to diagnose)');
  return { kind: 'config', configPath: values.config, server: values.server };
}

export function doctorHelp(): string {
  return [
    'npm run doctor: diagnoses one MCP server step by step (the command is found, the process starts and stays up, stdout',
    'carries only JSON-RPC, the handshake is answered, ...; or the URL, DNS, TCP, TLS, HTTP status, transport, handshake)',
    'and says which step failed and how to fix it.',
    '',
    DOCTOR_USAGE,
    '',
    '  --config FILE      an MCP host config file (Claude Desktop, VS Code, Cursor, ...)',
    '  --server NAME      the server of that file to diagnose',
    '  --url URL          a remote server (Streamable HTTP unless --transport sse)',
    '  --command CMD      a stdio server: its command, its arguments after --, its environment with --env NAME=VALUE',
    '  --json             print the report as JSON on stdout',
    '  --timeout D        how long the handshake and each network step may take (default 10s)',
    '',
    'Exit codes: 0 every check passed (warnings allowed), 1 a check failed, 2 bad flags or config file.',
  ].join('\n');
}
