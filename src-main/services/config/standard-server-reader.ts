import { ServerEntrySchema, type UpstreamTransportKind } from '../../../src-shared/catalog';
import type { ServerOutcome } from './config-format';
import { describeEntryIssues } from './entry-issues';
import { describeJsonType, isJsonObject, ownValue, type JsonObject } from './json-values';
import { KNOWN_TRANSPORT_SPELLINGS, normalizeTransport } from './transport-spelling';

/**
 * Reads one server in the settings shape shared by Claude Desktop, Cursor, Claude Code and VS Code: `type`
 * (optional), `command`/`args`/`env`/`cwd` for a local server, `url`/`headers` for a remote one, and `disabled`.
 * Values are kept verbatim, placeholders such as `${env:TOKEN}` included; fields Patchbay has no use for
 * (`inputs`, `envFile`, `autoApprove`, ...) are ignored.
 */
export function readStandardServer(name: string, settings: unknown): ServerOutcome {
  const label = `server "${name}"`;
  if (!isJsonObject(settings)) {
    return fail(`${label} must be an object with a command or a url, not ${describeJsonType(settings)}`);
  }
  const transport = chooseTransport(label, settings);
  if (!transport.ok) return transport;

  const fields = transport.kind === 'stdio' ? STDIO_FIELDS : REMOTE_FIELDS;
  const candidate: JsonObject = { name, transport: transport.kind };
  for (const field of fields) {
    const value = ownValue(settings, field);
    if (value !== undefined) candidate[field] = value;
  }
  const parsed = ServerEntrySchema.safeParse(candidate);
  if (!parsed.success) return fail(`${label}: ${describeEntryIssues(parsed.error.issues, candidate)}`);
  return { ok: true, entry: parsed.data };
}

/** The settings each kind of server takes over into its catalog entry; the rest belongs to the host. */
const STDIO_FIELDS = ['command', 'args', 'env', 'cwd', 'disabled'] as const;
const REMOTE_FIELDS = ['url', 'headers', 'disabled'] as const;

type TransportChoice = { ok: true; kind: UpstreamTransportKind } | { ok: false; message: string };

/** An explicit `type` wins; without one, a command means stdio and a url means Streamable HTTP. */
function chooseTransport(label: string, settings: JsonObject): TransportChoice {
  const type = ownValue(settings, 'type');
  const hasCommand = ownValue(settings, 'command') !== undefined;
  const hasUrl = ownValue(settings, 'url') !== undefined;
  const known = KNOWN_TRANSPORT_SPELLINGS.map((spelling) => `"${spelling}"`).join(', ');

  if (type !== undefined) {
    if (typeof type !== 'string') return fail(`${label}: type must be a string, one of ${known}`);
    const kind = normalizeTransport(type);
    if (kind === undefined) return fail(`${label}: type "${type}" is not a transport Patchbay knows (use one of ${known})`);
    if (kind === 'stdio' && !hasCommand) return fail(`${label}: type "${type}" needs a command`);
    if (kind !== 'stdio' && !hasUrl) return fail(`${label}: type "${type}" needs a url`);
    return { ok: true, kind };
  }
  if (hasCommand && hasUrl) return fail(`${label} has both a command and a url; add "type" to say which one to use`);
  if (hasCommand) return { ok: true, kind: 'stdio' };
  if (hasUrl) return { ok: true, kind: 'streamable-http' };
  return fail(`${label} has neither a command nor a url`);
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
