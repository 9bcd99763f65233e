import { parseIgnorePath, RecordingFormatError } from '../../src-shared/recording';
import { DEFAULT_DATA_DIR, UsageError } from './serve-args';
import { parseDuration } from './stress-args';
import { parseStrictFlags } from './strict-flags';

export { UsageError };

export const REPLAY_USAGE =
  'usage: npm run replay -- --config FILE --server NAME RECORDING [--json] [--ignore PATH]... [--recorded-server NAME] [--timeout 30s] [--data-dir DIR]';

/** What `npm run replay` was asked to do, once its flags are checked. */
export interface ReplayCliOptions {
  configPath: string;
  server: string;
  recordingPath: string;
  json: boolean;
  ignore: string[];
  recordedServer?: string;
  requestTimeoutMs: number;
  dataDir: string;
}

export type ReplayCommand = { kind: 'help' } | { kind: 'replay'; options: ReplayCliOptions };

const OPTIONS = {
  config: { type: 'string' },
  server: { type: 'string' },
  json: { type: 'boolean' },
  ignore: { type: 'string', multiple: true },
  'recorded-server': { type: 'string' },
  timeout: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the flags of `npm run replay`.
 * @throws UsageError naming the flag for an unknown flag, a missing one, a malformed ignore path or duration.
 */
export function parseReplayArgs(argv: readonly string[]): ReplayCommand {
  const { values, positionals } = parseStrictFlags(argv, OPTIONS);
  if (values.help) return { kind: 'help' };
  if (!values.config?.trim()) throw new UsageError('--config FILE is required');
  if (!values.server?.trim()) throw new UsageError('--server NAME is required (the server of the config file to replay against)');
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the RECORDING file to replay' : `give one RECORDING file, not ${positionals.length} (${positionals.join(', ')})`);
  const ignore = values.ignore ?? [];
  for (const path of ignore) {
    try {
      parseIgnorePath(path);
    } catch (error) {
      if (error instanceof RecordingFormatError) throw new UsageError(`--ignore: ${error.message}`);
      throw error;
    }
  }
  return {
    kind: 'replay',
    options: {
      configPath: values.config,
      server: values.server,
      recordingPath: positionals[0]!,
      json: values.json ?? false,
      ignore,
      ...(values['recorded-server'] !== undefined ? { recordedServer: values['recorded-server'] } : {}),
      requestTimeoutMs: values.timeout === undefined ? 30_000 : parseDuration('--timeout', values.timeout),
      dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
    },
  };
}

export function replayHelp(): string {
  return [
    "npm run replay: replays a Patchbay recording against one server of an MCP config file, through Patchbay's proxy, and compares every response with the recorded one.",
    '',
    REPLAY_USAGE,
    '',
    '  --config FILE            an MCP host config file (Claude Desktop, VS Code, Cursor, ...)',
    '  --server NAME            the server to replay against (the same one, another version, another server)',
    '  RECORDING                a recording file (exported from the app\'s Recordings list)',
    '  --json                   print the result as JSON on stdout',
    '  --ignore PATH            do not compare this part of every response: a JSON pointer (/result/content/0/text) or a',
    '                           simple path (result.content[0].text); * stands for any key or index; repeat for more',
    '  --recorded-server NAME   the recording\'s server to replay, when it recorded several',
    '  --timeout D              how long one request may take (default 30s)',
    '',
    'JSON-RPC ids, timestamps and a server\'s opaque requestState are never compared.',
    'Exit codes: 0 every response equal, 1 any difference, 2 bad flags or recording file, 3 the replay could not run.',
  ].join('\n');
}
