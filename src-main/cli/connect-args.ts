import { parseArgs } from 'node:util';
import { z } from 'zod';
import { remoteUrlProblem } from '../../src-shared/catalog';
import { PROTOCOL_ERA_SETTINGS, type ProtocolEraSetting } from '../../src-shared/protocol-era';
import { checkFlagTokens, UsageError } from './serve-args';

/** The one-line usage, printed under every usage error. */
export const CONNECT_USAGE =
  'usage: npm run connect -- URL [--transport http|sse] [--era auto|modern|legacy] [--client-id ID [--client-secret S]] [--client-metadata-url U] [--scope S] [--call TOOL [--args JSON]] [--timeout SECONDS] [--json]';

/** Read when --client-secret is not given, so a secret need not appear in the process list. */
export const CLIENT_SECRET_ENV = 'PATCHBAY_CLIENT_SECRET';

/** How long a whole run may take by default: long enough for a person to sign in when the server asks for it. */
export const DEFAULT_CONNECT_TIMEOUT_S = 300;

/** What `connect` was asked to do, once its flags are checked. */
export interface ConnectOptions {
  url: string;
  /** The server's transport as the catalog names it. */
  transport: 'streamable-http' | 'sse';
  era: ProtocolEraSetting;
  /** Pre-registered OAuth client credentials, and a Client ID Metadata Document URL, for servers that need OAuth. */
  oauth: { clientId?: string; clientSecret?: string; clientMetadataUrl?: string; scopes?: string[] };
  /** A tool to call after listing the tools, with its arguments. */
  call?: { tool: string; args: Record<string, unknown> };
  timeoutMs: number;
  json: boolean;
}

export type ConnectCommand = { kind: 'help' } | { kind: 'connect'; options: ConnectOptions };

const OPTIONS = {
  transport: { type: 'string' },
  era: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'client-metadata-url': { type: 'string' },
  scope: { type: 'string' },
  call: { type: 'string' },
  args: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const nonEmpty = (what: string) => z.string().trim().min(1, `${what} must not be empty`);

/** The flag values as the command line gives them (all strings), checked and turned into options. */
const FlagsSchema = z
  .strictObject({
    url: z.string().trim().superRefine((value, ctx) => {
      const problem = remoteUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `the server URL ${problem}; give an http:// or https:// URL` });
    }),
    transport: z.enum(['http', 'sse'], { error: (issue) => `--transport takes http or sse, not "${String(issue.input)}"` }).default('http'),
    era: z.enum(PROTOCOL_ERA_SETTINGS, { error: (issue) => `--era takes auto, modern or legacy, not "${String(issue.input)}"` }).default('auto'),
    'client-id': nonEmpty('--client-id').optional(),
    'client-secret': nonEmpty('--client-secret').optional(),
    'client-metadata-url': z
      .string()
      .trim()
      .refine((value) => isHttpsUrlWithPath(value), { error: (issue) => `--client-metadata-url must be an https:// URL with a path (a Client ID Metadata Document), not "${String(issue.input)}"` })
      .optional(),
    scope: nonEmpty('--scope').optional(),
    call: nonEmpty('--call').optional(),
    args: z.string().optional(),
    timeout: z
      .string()
      .regex(/^\d+(\.\d+)?$/, { error: (issue) => `--timeout must be a number of seconds, not "${String(issue.input)}"` })
      .transform(Number)
      .refine((seconds) => seconds > 0, '--timeout must be more than 0 seconds')
      .optional(),
    json: z.boolean().default(false),
  })
  .superRefine((flags, ctx) => {
    if (flags['client-secret'] !== undefined && flags['client-id'] === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a client secret needs --client-id (the pre-registered client it belongs to)' });
    }
    if (flags.args !== undefined && flags.call === undefined) ctx.addIssue({ code: 'custom', message: '--args needs --call TOOL' });
  });

/**
 * Parses the arguments of `connect`: the server URL and its flags.
 * @param argv the arguments after the script name.
 * @param env where PATCHBAY_CLIENT_SECRET is read from.
 * @throws UsageError (serve-args.ts) for an unknown flag, a missing or malformed value, or flags that contradict each other.
 */
export function parseConnectArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ConnectCommand {
  const { values, positionals } = readFlags(argv);
  if (values.help) return { kind: 'help' };
  if (positionals.length === 0) throw new UsageError('the server URL is missing');
  if (positionals.length > 1) throw new UsageError(`one server URL only; also got "${positionals[1]}"`);
  // An empty variable counts as unset, as shells commonly clear variables that way.
  const secretFromEnv = values['client-secret'] === undefined && values['client-id'] !== undefined && env[CLIENT_SECRET_ENV] ? env[CLIENT_SECRET_ENV] : undefined;
  const parsed = FlagsSchema.safeParse({ ...values, ...(secretFromEnv ? { 'client-secret': secretFromEnv } : {}), url: positionals[0] });
  // Each message names its flag already.
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  const flags = parsed.data;

  const oauth: ConnectOptions['oauth'] = {};
  if (flags['client-id'] !== undefined) oauth.clientId = flags['client-id'];
  if (flags['client-secret'] !== undefined) oauth.clientSecret = flags['client-secret'];
  if (flags['client-metadata-url'] !== undefined) oauth.clientMetadataUrl = flags['client-metadata-url'];
  if (flags.scope !== undefined) oauth.scopes = flags.scope.split(/\s+/).filter(Boolean);
  const options: ConnectOptions = {
    url: flags.url,
    transport: flags.transport === 'sse' ? 'sse' : 'streamable-http',
    era: flags.era,
    oauth,
    timeoutMs: Math.round((flags.timeout ?? DEFAULT_CONNECT_TIMEOUT_S) * 1000),
    json: flags.json,
  };
  if (flags.call !== undefined) options.call = { tool: flags.call, args: parseToolArgs(flags.args) };
  if (options.transport === 'sse' && options.era === 'modern') throw new UsageError('--era modern needs --transport http: an HTTP+SSE server speaks only the legacy era');
  return { kind: 'connect', options };
}

function parseToolArgs(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--args is not JSON (${error instanceof Error ? error.message : String(error)}): give an object, for example '{"text":"hi"}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('--args must be a JSON object of the tool\'s arguments, for example \'{"text":"hi"}\'');
  return value as Record<string, unknown>;
}

/** CIMD client ids are https URLs with a path (draft-ietf-oauth-client-id-metadata-document). */
function isHttpsUrlWithPath(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.pathname !== '/';
}

type FlagValues = Partial<Record<Exclude<keyof typeof OPTIONS, 'json' | 'help'>, string>> & { json?: boolean; help?: boolean };

/** Runs node:util's parseArgs leniently and checks its tokens as serve's flags are checked, with messages of ours. */
function readFlags(argv: readonly string[]): { values: FlagValues; positionals: string[] } {
  const { values, positionals, tokens } = parseArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  if (values.help === true) return { values: { help: true }, positionals: [] };
  checkFlagTokens(tokens, OPTIONS);
  return { values: values as FlagValues, positionals };
}

/** The text of `--help`. */
export function connectHelp(): string {
  return [
    'Connects to one MCP server through Patchbay\'s proxy, without the app and without a person where the server',
    'allows it: signs in with OAuth when the server asks for it, lists its tools (and calls one if asked), prints',
    'what happened and exits. Nothing is written to disk; tokens live only as long as the command.',
    '',
    CONNECT_USAGE,
    '',
    'Options:',
    '  URL                      the server\'s MCP endpoint, for example https://example.com/mcp',
    '  --transport http|sse     Streamable HTTP (default) or the legacy HTTP+SSE transport',
    '  --era auto|modern|legacy MCP 2026-07-28 (modern), 2025-11-25 and earlier (legacy), or ask the server (default)',
    '  --client-id ID           a client registered with the server\'s authorization server beforehand',
    `  --client-secret S        its secret (default: $${CLIENT_SECRET_ENV}, which keeps it out of the process list)`,
    '  --client-metadata-url U  an https URL of this client\'s Client ID Metadata Document, used as client_id where the',
    '                           authorization server supports it',
    '  --scope S                scopes to ask for (space-separated), where the server names none',
    '  --call TOOL              call this tool after listing the tools',
    '  --args JSON              its arguments, a JSON object (default {})',
    `  --timeout SECONDS        give up after this long, signing in included (default ${DEFAULT_CONNECT_TIMEOUT_S})`,
    '  --json                   print one JSON object instead of text',
    '  -h, --help               show this help',
    '',
    'Exit codes: 0 connected (and the call succeeded), 1 the connect, sign-in, listing or call failed, 2 bad flags.',
  ].join('\n');
}
