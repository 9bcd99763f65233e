import { ServerEntrySchema, type UpstreamTransportKind } from '../../../src-shared/catalog';
import type { ServerOutcome } from './config-format';
import { describeEntryIssues } from './entry-issues';
import { coerceEnvValues } from './env-values';
import { describeJsonType, isJsonObject, ownValue, type JsonObject } from './json-values';
import { KNOWN_TRANSPORT_SPELLINGS, normalizeTransport } from './transport-spelling';

/** How a host's dialect differs from the shared settings shape. */
export interface StandardReaderOptions {
  /** Keys that hold a remote server's URL, in order of preference. Windsurf writes `serverUrl`. */
  urlKeys?: readonly string[];
  /** Keys that hold the transport type, in order of preference. Cline once wrote `transportType`. */
  typeKeys?: readonly string[];
  /** What a url without a type is: Streamable HTTP for most hosts; Cline connects to it over SSE. */
  typelessUrl?: { kind: UpstreamTransportKind; warning: string };
  /**
   * Whether env values must already be strings. Most hosts pass a number or boolean on as its text (see
   * `env-values.ts`); Continue validates env as strings only and rejects the file otherwise.
   */
  envStringsOnly?: boolean;
}

/** Most hosts connect to a url without a type with Streamable HTTP; an old SSE-only server needs the fallback. */
export const STREAMABLE_HTTP_BY_DEFAULT = {
  kind: 'streamable-http',
  warning: 'no type is given, so it was imported as Streamable HTTP; a server that only answers old-style SSE will need the SSE fallback',
} as const satisfies StandardReaderOptions['typelessUrl'];

/**
 * Reads one server in the settings shape shared by Claude Desktop, Cursor, Claude Code, Windsurf, Cline and VS
 * Code: `type` (optional), `command`/`args`/`env`/`cwd` for a local server, `url`/`headers` for a remote one, and
 * `disabled`. Values are kept verbatim, placeholders such as `${env:TOKEN}` included; settings Patchbay has no use
 * for (`autoApprove`, `timeout`, ...) are ignored, and `envFile` is named in a warning since its variables are
 * missing from the entry.
 */
export function readStandardServer(name: string, settings: unknown, options: StandardReaderOptions = {}): ServerOutcome {
  const label = `server "${name}"`;
  if (!isJsonObject(settings)) {
    return fail(`${label} must be an object with a command or a url, not ${describeJsonType(settings)}`);
  }
  const urlKeys = options.urlKeys ?? ['url'];
  const url = chooseUrl(label, settings, urlKeys);
  if (!url.ok) return url;
  const transport = chooseTransport(label, settings, url.key ?? urlKeys[0] ?? 'url', url.key !== undefined, options);
  if (!transport.ok) return transport;

  const candidate: JsonObject = { name, transport: transport.kind };
  const envWarnings: string[] = [];
  if (transport.kind === 'stdio') {
    copyFields(settings, candidate, STDIO_FIELDS);
    if (candidate.env !== undefined && !options.envStringsOnly) {
      const coerced = coerceEnvValues(label, candidate.env);
      candidate.env = coerced.env;
      envWarnings.push(...coerced.warnings);
    }
  } else {
    candidate.url = url.value;
    copyFields(settings, candidate, REMOTE_FIELDS);
  }
  const parsed = ServerEntrySchema.safeParse(candidate);
  if (!parsed.success) {
    const fileFieldNames: Record<string, string> = url.key !== undefined && url.key !== 'url' ? { url: url.key } : {};
    return fail(`${label}: ${describeEntryIssues(parsed.error.issues, candidate, fileFieldNames)}`);
  }

  const warnings = transport.warning ? [`${label}: ${transport.warning}`, ...envWarnings] : envWarnings;
  const envFile = ownValue(settings, 'envFile');
  if (transport.kind === 'stdio' && envFile !== undefined) {
    const shown = typeof envFile === 'string' ? `"${envFile}"` : describeJsonType(envFile);
    warnings.push(`${label}: its envFile ${shown} was not imported (Patchbay does not read env files); add the variables it needs to env`);
  }
  return { ok: true, entry: parsed.data, warnings };
}

/** The settings each kind of server takes over into its catalog entry; the rest belongs to the host. */
const STDIO_FIELDS = ['command', 'args', 'env', 'cwd', 'disabled'] as const;
const REMOTE_FIELDS = ['headers', 'disabled'] as const;

function copyFields(from: JsonObject, to: JsonObject, fields: readonly string[]): void {
  for (const field of fields) {
    const value = ownValue(from, field);
    if (value !== undefined) to[field] = value;
  }
}

type UrlChoice = { ok: true; key: string | undefined; value: unknown } | { ok: false; message: string };

/** The url under the first key that has one; two different urls under two keys are ambiguous. */
function chooseUrl(label: string, settings: JsonObject, urlKeys: readonly string[]): UrlChoice {
  const present = urlKeys.filter((key) => ownValue(settings, key) !== undefined);
  const [first, ...others] = present;
  if (first === undefined) return { ok: true, key: undefined, value: undefined };
  const value = ownValue(settings, first);
  const different = others.find((key) => ownValue(settings, key) !== value);
  if (different !== undefined) return fail(`${label} has both "${first}" and "${different}" with different values; keep one`);
  return { ok: true, key: first, value };
}

type TransportChoice = { ok: true; kind: UpstreamTransportKind; warning?: string } | { ok: false; message: string };

/** An explicit type wins; without one, a command means stdio and a url means the dialect's default. */
function chooseTransport(label: string, settings: JsonObject, urlName: string, hasUrl: boolean, options: StandardReaderOptions): TransportChoice {
  const typeKey = (options.typeKeys ?? ['type']).find((key) => ownValue(settings, key) !== undefined);
  const type = typeKey === undefined ? undefined : ownValue(settings, typeKey);
  const hasCommand = ownValue(settings, 'command') !== undefined;
  const known = KNOWN_TRANSPORT_SPELLINGS.map((spelling) => `"${spelling}"`).join(', ');

  if (type !== undefined) {
    if (typeof type !== 'string') return fail(`${label}: ${typeKey} must be a string, one of ${known}`);
    const kind = normalizeTransport(type);
    if (kind === undefined) return fail(`${label}: ${typeKey} "${type}" is not a transport Patchbay knows (use one of ${known})`);
    if (kind === 'stdio' && !hasCommand) return fail(`${label}: ${typeKey} "${type}" needs a command`);
    if (kind !== 'stdio' && !hasUrl) return fail(`${label}: ${typeKey} "${type}" needs a ${urlName}`);
    return { ok: true, kind };
  }
  if (hasCommand && hasUrl) return fail(`${label} has both a command and a ${urlName}; add "type" to say which one to use`);
  if (hasCommand) return { ok: true, kind: 'stdio' };
  const typeless = options.typelessUrl ?? STREAMABLE_HTTP_BY_DEFAULT;
  if (hasUrl) return { ok: true, kind: typeless.kind, warning: typeless.warning };
  return fail(`${label} has neither a command nor a ${urlName}`);
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
