import { UsageError } from './serve-args';
import { parseStrictFlags } from './strict-flags';

export { UsageError };

export const DIFF_USAGE = 'usage: npm run diff -- BEFORE.json AFTER.json [--json] [--fail-on breaking|any]';

export const FAIL_ON = ['breaking', 'any'] as const;

/** What `npm run diff` was asked to do, once its flags are checked. */
export interface DiffCliOptions {
  beforePath: string;
  afterPath: string;
  json: boolean;
  /** Which changes make the exit code 1: breaking ones (the default) or any. */
  failOn: (typeof FAIL_ON)[number];
}

export type DiffCommand = { kind: 'help' } | { kind: 'diff'; options: DiffCliOptions };

const OPTIONS = {
  json: { type: 'boolean' },
  'fail-on': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses the flags of `npm run diff`.
 * @throws UsageError for an unknown flag, a bad --fail-on, other than two snapshot files.
 */
export function parseDiffArgs(argv: readonly string[]): DiffCommand {
  const { values, positionals } = parseStrictFlags(argv, OPTIONS);
  if (values.help) return { kind: 'help' };
  if (positionals.length !== 2) {
    throw new UsageError(positionals.length < 2 ? `name two snapshot files, BEFORE and AFTER (got ${positionals.length})` : `give two snapshot files, not ${positionals.length} (${positionals.join(', ')})`);
  }
  const failOn = values['fail-on'] ?? 'breaking';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be breaking or any (got "${failOn}")`);
  return { kind: 'diff', options: { beforePath: positionals[0]!, afterPath: positionals[1]!, json: values.json ?? false, failOn: failOn as DiffCliOptions['failOn'] } };
}

export function diffHelp(): string {
  return [
    'npm run diff: compares two server snapshots (from `npm run snapshot` or exported from the app) and classifies each change: breaking (what would break an agent: a tool removed, a required argument added, a type narrowed, an output no longer promised), additive, or cosmetic (descriptions).',
    '',
    DIFF_USAGE,
    '',
    '  BEFORE.json AFTER.json   two snapshot files: the same server before and after a change, two versions, two servers',
    '  --json                   print the diff as JSON on stdout',
    '  --fail-on breaking|any   exit 1 on a breaking change (the default), or on any change',
    '',
    'Exit codes: 0 no breaking change (or none at all, with --fail-on any), 1 a breaking change (or any), 2 bad flags or file.',
  ].join('\n');
}
