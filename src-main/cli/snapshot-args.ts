import { PROTOCOL_ERA_SETTINGS, type ProtocolEraSetting } from '../../src-shared/protocol-era';
import { DEFAULT_DATA_DIR, UsageError } from './serve-args';
import { parseDuration } from './stress-args';
import { parseStrictFlags } from './strict-flags';

export { UsageError };

export const SNAPSHOT_USAGE = 'usage: npm run snapshot -- --config FILE --server NAME [--out FILE] [--era auto|modern|legacy] [--timeout 30s] [--data-dir DIR]';

/** What `npm run snapshot` was asked to do, once its flags are checked. */
export interface SnapshotCliOptions {
  configPath: string;
  server: string;
  /** Where to write the snapshot; absent: stdout. */
  outPath?: string;
  /** The era to speak; absent: the entry's own setting. */
  era?: ProtocolEraSetting;
  requestTimeoutMs: number;
  dataDir: string;
}

export type SnapshotCommand = { kind: 'help' } | { kind: 'snapshot'; options: SnapshotCliOptions };

const OPTIONS = {
  config: { type: 'string' },
  server: { type: 'string' },
  out: { type: 'string' },
  era: { type: 'string' },
  timeout: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the flags of `npm run snapshot`.
 * @throws UsageError naming the flag for an unknown flag, a missing one, a bad era or duration.
 */
export function parseSnapshotArgs(argv: readonly string[]): SnapshotCommand {
  const { values, positionals } = parseStrictFlags(argv, OPTIONS);
  if (values.help) return { kind: 'help' };
  if (positionals.length > 0) throw new UsageError(`npm run snapshot takes no positional arguments (got ${positionals.join(', ')}); write the snapshot with --out FILE`);
  if (!values.config?.trim()) throw new UsageError('--config FILE is required');
  if (!values.server?.trim()) throw new UsageError('--server NAME is required (the server of the config file to snapshot)');
  if (values.out !== undefined && !values.out.trim()) throw new UsageError('--out needs a file name');
  if (values.era !== undefined && !(PROTOCOL_ERA_SETTINGS as readonly string[]).includes(values.era)) {
    throw new UsageError(`--era must be one of ${PROTOCOL_ERA_SETTINGS.join(', ')} (got "${values.era}")`);
  }
  return {
    kind: 'snapshot',
    options: {
      configPath: values.config,
      server: values.server,
      ...(values.out !== undefined ? { outPath: values.out } : {}),
      ...(values.era !== undefined ? { era: values.era as ProtocolEraSetting } : {}),
      requestTimeoutMs: values.timeout === undefined ? 30_000 : parseDuration('--timeout', values.timeout),
      dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR,
    },
  };
}

export function snapshotHelp(): string {
  return [
    "npm run snapshot: snapshots what one server of an MCP config file offers (server info, capabilities, tools with their schemas and annotations, resources, templates, prompts), through Patchbay's proxy, as a JSON file `npm run diff` compares.",
    '',
    SNAPSHOT_USAGE,
    '',
    '  --config FILE     an MCP host config file (Claude Desktop, VS Code, Cursor, ...)',
    '  --server NAME     the server to snapshot',
    '  --out FILE        write the snapshot there (default: print it on stdout)',
    "  --era E           auto (server/discover, then initialize), modern or legacy (default: the entry's setting, else auto)",
    '  --timeout D       how long one request may take (default 30s)',
    '',
    'Exit codes: 0 written, 2 bad flags or config file, 3 the server could not be snapshotted.',
  ].join('\n');
}
