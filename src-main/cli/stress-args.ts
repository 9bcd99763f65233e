import { parseArgs } from 'node:util';
import { z } from 'zod';
import { StressSettingsSchema, type StressSettings } from '../../src-shared/stress';
import { describeZodError } from '../../src-shared/zod-errors';
import { DEFAULT_DATA_DIR, UsageError } from './serve-args';

export { UsageError };

export const STRESS_USAGE =
  'usage: npm run stress -- --config FILE --server NAME (--tool T [--args JSON] | --resource URI | --prompt NAME [--args JSON]) ' +
  '[--concurrency 10] [--duration 10s] [--calls N] [--rate R] [--cancel-share 0.1 --cancel-after 50ms] [--sessions 1] [--timeout 30s] ' +
  '[--json] [--max-error-rate 0.01] [--max-p99 200ms] [--data-dir DIR]';

/** What `npm run stress` was asked to do, once its flags are checked. */
export interface StressCliOptions {
  configPath: string;
  settings: StressSettings;
  json: boolean;
  /** Fail (exit 1) when more than this share of the ended calls failed. */
  maxErrorRate?: number;
  /** Fail (exit 1) when the p99 latency is above this many ms. */
  maxP99Ms?: number;
  dataDir: string;
}

export type StressCommand = { kind: 'help' } | { kind: 'stress'; options: StressCliOptions };

const OPTIONS = {
  config: { type: 'string' },
  server: { type: 'string' },
  tool: { type: 'string' },
  resource: { type: 'string' },
  prompt: { type: 'string' },
  args: { type: 'string' },
  concurrency: { type: 'string' },
  duration: { type: 'string' },
  calls: { type: 'string' },
  rate: { type: 'string' },
  'cancel-share': { type: 'string' },
  'cancel-after': { type: 'string' },
  sessions: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  'max-error-rate': { type: 'string' },
  'max-p99': { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `30s`, `500ms`, `2m`, `1h` in ms; anything else is refused naming the flag. */
export function parseDuration(flag: string, text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new UsageError(`${flag}: "${text}" is not a duration; write it as 500ms, 30s, 2m or 1h`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

function parseNumber(flag: string, text: string, integer: boolean): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag}: "${text}" is not ${integer ? 'a whole number' : 'a number'}`);
  }
  return value;
}

const ToolArgsSchema = z.record(z.string(), z.unknown(), { error: 'must be a JSON object, like {"text":"hi"}' });
const PromptArgsSchema = z.record(z.string(), z.string({ error: 'a prompt argument is a string' }), { error: 'must be a JSON object of strings, like {"name":"Ada"}' });

function parseJsonArgs(text: string | undefined, schema: typeof ToolArgsSchema | typeof PromptArgsSchema): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--args: not valid JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--args ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** The settings' fields named by the flags that set them, for zod's messages. */
const FLAG_OF: Record<string, string> = {
  'load.concurrency': '--concurrency',
  'load.durationMs': '--duration',
  'load.calls': '--calls',
  'load.rate': '--rate',
  'load.cancelShare': '--cancel-share',
  'load.cancelAfterMs': '--cancel-after',
  'load.sessions': '--sessions',
  'load.callTimeoutMs': '--timeout',
  server: '--server',
  'target.name': '--tool/--prompt',
  'target.uri': '--resource',
};

/**
 * Parses the flags of `npm run stress`. Without --duration or --calls a run lasts 10 s.
 * @throws UsageError naming the flag for an unknown flag, a malformed value or flags that contradict each other.
 */
export function parseStressArgs(argv: readonly string[]): StressCommand {
  let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true; allowPositionals: false }>>['values'];
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: 'help' };
  if (!values.config?.trim()) throw new UsageError('--config FILE is required');
  if (!values.server?.trim()) throw new UsageError('--server NAME is required (a server of the config file)');
  const targets = (['tool', 'resource', 'prompt'] as const).filter((flag) => values[flag] !== undefined);
  if (targets.length !== 1) throw new UsageError(targets.length === 0 ? 'say what to call: --tool NAME, --resource URI or --prompt NAME' : `give one of ${targets.map((flag) => `--${flag}`).join(', ')}, not several`);
  if (values.resource !== undefined && values.args !== undefined) throw new UsageError('--args goes with --tool or --prompt; a resource read takes none');
  const target =
    values.tool !== undefined
      ? { kind: 'tool' as const, name: values.tool, arguments: parseJsonArgs(values.args, ToolArgsSchema) }
      : values.prompt !== undefined
        ? { kind: 'prompt' as const, name: values.prompt, arguments: parseJsonArgs(values.args, PromptArgsSchema) as Record<string, string> }
        : { kind: 'resource' as const, uri: values.resource! };

  const durationMs = values.duration === undefined ? (values.calls === undefined ? 10_000 : undefined) : parseDuration('--duration', values.duration);
  const load = {
    concurrency: values.concurrency === undefined ? 10 : parseNumber('--concurrency', values.concurrency, true),
    durationMs,
    calls: values.calls === undefined ? undefined : parseNumber('--calls', values.calls, true),
    rate: values.rate === undefined ? undefined : parseNumber('--rate', values.rate, false),
    cancelShare: values['cancel-share'] === undefined ? 0 : parseNumber('--cancel-share', values['cancel-share'], false),
    cancelAfterMs: values['cancel-after'] === undefined ? 50 : parseDuration('--cancel-after', values['cancel-after']),
    sessions: values.sessions === undefined ? 1 : parseNumber('--sessions', values.sessions, true),
    callTimeoutMs: values.timeout === undefined ? 30_000 : parseDuration('--timeout', values.timeout),
  };
  if (values['cancel-after'] !== undefined && load.cancelShare === 0) throw new UsageError('--cancel-after goes with --cancel-share (the share of calls to cancel)');
  const parsed = StressSettingsSchema.safeParse({ server: values.server, target, load });
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues
        .map((issue) => {
          const path = issue.path.map(String).join('.');
          const flag = FLAG_OF[path] ?? (path === 'load' ? '' : path);
          return flag ? `${flag}: ${issue.message}` : issue.message;
        })
        .join('; '),
    );
  }
  let maxErrorRate: number | undefined;
  if (values['max-error-rate'] !== undefined) {
    maxErrorRate = parseNumber('--max-error-rate', values['max-error-rate'], false);
    if (maxErrorRate < 0 || maxErrorRate > 1) throw new UsageError(`--max-error-rate: ${maxErrorRate} is not a share between 0 and 1 (0.01 is 1 %)`);
  }
  const maxP99Ms = values['max-p99'] === undefined ? undefined : parseDuration('--max-p99', values['max-p99']);
  return {
    kind: 'stress',
    options: { configPath: values.config, settings: parsed.data, json: values.json ?? false, maxErrorRate, maxP99Ms, dataDir: values['data-dir'] ?? DEFAULT_DATA_DIR },
  };
}

export function stressHelp(): string {
  return [
    'npm run stress: drives one server of an MCP config file through Patchbay\'s proxy and reports calls/s, latency and errors.',
    '',
    STRESS_USAGE,
    '',
    '  --config FILE          an MCP host config file (Claude Desktop, VS Code, Cursor, ...)',
    '  --server NAME          the server to stress',
    '  --tool T / --resource URI / --prompt NAME   what every call does (tools/call, resources/read, prompts/get)',
    '  --args JSON            the tool\'s or prompt\'s arguments, a JSON object',
    '  --concurrency N        calls in flight at once, 1 to 1000 (default 10)',
    '  --duration D           how long to start calls (default 10s when --calls is not given either)',
    '  --calls N              how many calls to make (with --duration, whichever ends first)',
    '  --rate R               start R calls per second (default: open loop, a new call as soon as one ends)',
    '  --cancel-share S       cancel this share of the calls (0 to 1) with notifications/cancelled ...',
    '  --cancel-after D       ... this long after sending them (default 50ms)',
    '  --sessions N           spread the calls over N sessions (default 1, at most 100)',
    '  --timeout D            a call not answered within this is cancelled and counts as a timeout (default 30s)',
    '  --json                 print the run as JSON on stdout (progress stays on stderr)',
    '  --max-error-rate S     exit 1 when more than this share of the ended calls failed',
    '  --max-p99 D            exit 1 when the p99 latency is above this',
    '',
    'Exit codes: 0 the run passed, 1 past a threshold, 2 bad flags or config, 3 the run could not be made (no session).',
  ].join('\n');
}
