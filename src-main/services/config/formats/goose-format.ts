import { ServerEntrySchema } from '../../../../src-shared/catalog';
import type { ConfigFormat, ServerOutcome } from '../config-format';
import { describeEntryIssues } from '../entry-issues';
import { describeJsonType, isJsonObject, ownValue, presentValue, type JsonObject } from '../json-values';
import { normalizeTransport } from '../transport-spelling';
import { envPlaceholder, listWords } from '../wording';

/**
 * Goose's ~/.config/goose/config.yaml: `extensions:` maps a key (the catalog name) to an extension with a `type`:
 * - `stdio`: `cmd`, `args`, `envs` (values), `env_keys` (names whose values Goose keeps in its keyring or
 *   secrets.yaml, imported as `${env:NAME}` with a warning), and `cwd` where a Goose version writes one;
 * - `streamable_http`: `uri`, `headers`; Goose fills `$NAME` and `${NAME}` in them from the extension's `envs` (done
 *   here too, with the value written in the file) and `env_keys` (imported as `${env:NAME}`);
 * - `sse`: `uri`, imported as SSE (Goose itself no longer connects to SSE extensions, but keeps reading them);
 * - `builtin`, `platform`, `frontend`, `inline_python`: run inside Goose, so there is no MCP server to start; they
 *   are reported as skipped.
 * `enabled: false` imports as disabled. `name`, `display_name`, `description`, `timeout`, `bundled` and
 * `available_tools` are Goose's own and ignored.
 */
export const gooseFormat: ConfigFormat = {
  id: 'goose',
  serversKey: '"extensions"',
  hosts: 'Goose',
  writtenIn: 'yaml',
  locateServers: (document) => ownValue(document, 'extensions'),
  readServer: readGooseExtension,
};

/** Extension types that run inside Goose, and why that leaves nothing for Patchbay to start. */
const INSIDE_GOOSE: Readonly<Record<string, string>> = {
  builtin: 'is built into Goose (type "builtin") and runs inside it',
  platform: 'is part of Goose itself (type "platform") and runs inside it',
  frontend: 'gets its tools from the Goose app (type "frontend")',
  inline_python: 'is Python code that Goose runs itself (type "inline_python")',
};

const GOOSE_TYPES = '"stdio", "streamable_http", "sse", "builtin", "platform"';

/** A candidate catalog entry, how the file spells its fields, and what was assumed. */
type Mapped = { ok: true; candidate: JsonObject; fileFieldNames: Record<string, string>; warnings: string[] } | { ok: false; message: string };

function readGooseExtension(name: string, settings: unknown): ServerOutcome {
  const label = `server "${name}"`;
  if (!isJsonObject(settings)) return fail(`${label} must be an object with a type, not ${describeJsonType(settings)}`);
  const type = presentValue(settings, 'type');
  if (type === undefined) return fail(`${label} has no type (Goose writes one of ${GOOSE_TYPES})`);
  if (typeof type !== 'string') return fail(`${label}: type must be a string, one of ${GOOSE_TYPES}`);
  if (Object.hasOwn(INSIDE_GOOSE, type)) return fail(`${label} ${INSIDE_GOOSE[type]}, so there is no MCP server for Patchbay to start; it was skipped`);
  const kind = normalizeTransport(type);
  if (kind === undefined) return fail(`${label}: type "${type}" is not an extension type Patchbay can import (use "stdio", "streamable_http" or "sse")`);

  const enabled = presentValue(settings, 'enabled');
  if (enabled !== undefined && typeof enabled !== 'boolean') return fail(`${label}: enabled must be true or false`);
  const envKeys = presentValue(settings, 'env_keys') ?? [];
  if (!Array.isArray(envKeys) || !envKeys.every((key) => typeof key === 'string')) return fail(`${label}: env_keys must be a list of variable names`);

  const mapped = kind === 'stdio' ? mapStdio(label, type, settings, envKeys) : mapRemote(label, type, settings, envKeys);
  if (!mapped.ok) return mapped;
  const candidate: JsonObject = { name, transport: kind, ...mapped.candidate };
  if (enabled === false) candidate.disabled = true;
  const parsed = ServerEntrySchema.safeParse(candidate);
  if (!parsed.success) return fail(`${label}: ${describeEntryIssues(parsed.error.issues, candidate, mapped.fileFieldNames)}`);
  return { ok: true, entry: parsed.data, warnings: mapped.warnings };
}

/** `cmd`/`args`/`envs`, with each of `env_keys` not in `envs` as an `${env:NAME}` placeholder. */
function mapStdio(label: string, type: string, settings: JsonObject, envKeys: readonly string[]): Mapped {
  const cmd = presentValue(settings, 'cmd');
  if (cmd === undefined) return fail(`${label}: type "${type}" needs a cmd`);
  const candidate: JsonObject = { command: cmd };
  const args = presentValue(settings, 'args');
  if (args !== undefined) candidate.args = args;
  const cwd = presentValue(settings, 'cwd');
  if (cwd !== undefined) candidate.cwd = cwd;

  const envs = presentValue(settings, 'envs') ?? {};
  const warnings: string[] = [];
  if (isJsonObject(envs)) {
    const fromKeyring = envKeys.filter((key, index) => !Object.hasOwn(envs, key) && envKeys.indexOf(key) === index);
    candidate.env = { ...envs, ...Object.fromEntries(fromKeyring.map((key) => [key, envPlaceholder(key)])) };
    if (fromKeyring.length > 0) warnings.push(keyringWarning(label, fromKeyring));
  } else {
    candidate.env = envs; // reported by the schema, as "envs"
  }
  return { ok: true, candidate, fileFieldNames: { command: 'cmd', env: 'envs' }, warnings };
}

/** `uri` (or `url`) and `headers`, with Goose's `$NAME`/`${NAME}` filled as Goose fills them. */
function mapRemote(label: string, type: string, settings: JsonObject, envKeys: readonly string[]): Mapped {
  const uri = presentValue(settings, 'uri');
  const url = presentValue(settings, 'url');
  if (uri !== undefined && url !== undefined && uri !== url) return fail(`${label} has both "uri" and "url" with different values; keep one`);
  const urlKey = uri !== undefined ? 'uri' : 'url';
  const address = uri ?? url;
  if (address === undefined) return fail(`${label}: type "${type}" needs a uri`);
  const socket = presentValue(settings, 'socket');
  if (socket !== undefined) return fail(`${label} connects through the Unix socket ${JSON.stringify(socket)} ("socket"), which Patchbay cannot do; it was skipped`);

  const envs = presentValue(settings, 'envs');
  const variables = new GooseVariables(isJsonObject(envs) ? envs : {}, envKeys);
  const headers = presentValue(settings, 'headers');
  const candidate: JsonObject = { url: variables.fill(address) };
  if (headers !== undefined) {
    candidate.headers = isJsonObject(headers) ? Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, variables.fill(value)])) : headers;
  }
  const fromKeyring = variables.fromKeyring();
  return { ok: true, candidate, fileFieldNames: { url: urlKey }, warnings: fromKeyring.length > 0 ? [keyringWarning(label, fromKeyring)] : [] };
}

/** `$NAME` and `${NAME}`, the two spellings Goose fills in a remote extension's headers and uri. */
const GOOSE_VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Fills Goose's variables the way Goose does for a remote extension: a name in `envs` gets the value written there;
 * a name in `env_keys` (whose value Goose keeps in its keyring) becomes `${env:NAME}`; any other is left as written.
 */
class GooseVariables {
  private readonly used: string[] = [];

  constructor(
    private readonly envs: JsonObject,
    private readonly envKeys: readonly string[],
  ) {}

  fill(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    return value.replace(GOOSE_VARIABLE, (text: string, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare) as string;
      const written = ownValue(this.envs, name);
      if (typeof written === 'string') return written;
      if (!this.envKeys.includes(name)) return text;
      if (!this.used.includes(name)) this.used.push(name);
      return envPlaceholder(name);
    });
  }

  /** The env_keys names that were written as `${env:NAME}`, in order of first use. */
  fromKeyring(): string[] {
    return [...this.used];
  }
}

function keyringWarning(label: string, names: readonly string[]): string {
  const one = names.length === 1;
  return (
    `${label}: Goose keeps the ${one ? 'value' : 'values'} of ${listWords(names)} (env_keys) in its keyring or secrets.yaml, which Patchbay does not read, ` +
    `so ${one ? 'it was' : 'they were'} imported as ${listWords(names.map(envPlaceholder))}, to be filled from the environment`
  );
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
