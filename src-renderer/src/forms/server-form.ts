import { ServerEntrySchema, type ServerEntry, type UpstreamTransportKind } from '../../../src-shared/catalog';
import { eraSettingOf, PROTOCOL_ERA_LABELS, PROTOCOL_ERA_SETTINGS, type ProtocolEraSetting } from '../../../src-shared/protocol-era';

/** The Add/Edit form's fields, as the user types them (the lists are text, one item per line). */
export interface ServerFormValues {
  name: string;
  transport: UpstreamTransportKind;
  command: string;
  /** One argument per line. */
  args: string;
  /** `KEY=VALUE` per line. */
  env: string;
  cwd: string;
  url: string;
  /** `Name: value` per line. */
  headers: string;
  /** Names of env variables (stdio) or headers (remote) whose values are secret, comma- or space-separated. */
  secrets: string;
  /** Which protocol era the inspector speaks to the server in. */
  protocolEra: ProtocolEraSetting;
  disabled: boolean;
  /** OAuth (remote servers): a client registered beforehand with the authorization server. */
  oauthClientId: string;
  /** Shown as SECRET_MASK when one is stored: saved untouched, the stored secret is kept. */
  oauthClientSecret: string;
  /** Scopes to ask for, space- or comma-separated (else the server's challenge or metadata decides). */
  oauthScopes: string;
  /** An https URL of a Client ID Metadata Document, used as the client_id where the authorization server supports it. */
  oauthClientMetadataUrl: string;
}

export type FormField = keyof ServerFormValues;
/** One message per field that is wrong, shown next to it. */
export type FieldErrors = Partial<Record<FormField, string>>;

/** The protocol eras the form offers, with their labels. */
export const PROTOCOL_ERA_OPTIONS: ReadonlyArray<{ value: ProtocolEraSetting; label: string }> = PROTOCOL_ERA_SETTINGS.map((value) => ({
  value,
  label: PROTOCOL_ERA_LABELS[value],
}));

/** The transports the form offers, with their labels. */
export const TRANSPORT_OPTIONS: ReadonlyArray<{ value: UpstreamTransportKind; label: string }> = [
  { value: 'stdio', label: 'STDIO' },
  { value: 'streamable-http', label: 'Streamable HTTP' },
  { value: 'sse', label: 'SSE' },
];

/** The outcome of parsing a textarea: the value, or one readable message naming the bad line. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Splits text into lines, accepting any line ending. */
function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Parses the Arguments textarea: one argument per line, kept exactly as typed (spaces included, no shell
 * quoting), so what you see is what the server gets. Blank lines are skipped.
 */
export function parseArgs(text: string): string[] {
  return lines(text).filter((line) => line.trim() !== '');
}

/** Formats arguments for the Arguments textarea, one per line. */
export function formatArgs(args: readonly string[]): string {
  return args.join('\n');
}

/**
 * Parses the Environment textarea: `KEY=VALUE` per line, split at the first `=` (values may contain `=`).
 * Blank lines and lines starting with `#` are skipped. The key is trimmed, the value kept as typed.
 */
export function parseEnv(text: string): ParseResult<Record<string, string>> {
  const env: Record<string, string> = {};
  const all = lines(text);
  for (let index = 0; index < all.length; index += 1) {
    const line = all[index]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const at = line.indexOf('=');
    const key = at === -1 ? '' : line.slice(0, at).trim();
    if (at === -1 || key === '') return { ok: false, error: `Line ${index + 1}: expected KEY=VALUE, got "${shorten(line)}"` };
    if (/\s/.test(key)) return { ok: false, error: `Line ${index + 1}: the variable name "${shorten(key)}" contains a space` };
    if (Object.hasOwn(env, key)) return { ok: false, error: `Line ${index + 1}: ${key} is set twice` };
    env[key] = line.slice(at + 1);
  }
  return { ok: true, value: env };
}

/** Formats environment variables for the Environment textarea, `KEY=VALUE` per line. */
export function formatEnv(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** The characters an HTTP header name may contain (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses the Headers textarea: `Name: value` per line, split at the first `:`. Names must be valid HTTP header
 * names and appear once (case-insensitively); values are trimmed, as HTTP does. Blank lines are skipped.
 */
export function parseHeaders(text: string): ParseResult<Record<string, string>> {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  const all = lines(text);
  for (let index = 0; index < all.length; index += 1) {
    const line = all[index]!;
    if (line.trim() === '') continue;
    const at = line.indexOf(':');
    const name = at === -1 ? '' : line.slice(0, at).trim();
    if (at === -1 || name === '') return { ok: false, error: `Line ${index + 1}: expected "Name: value", got "${shorten(line)}"` };
    if (!HEADER_NAME.test(name)) return { ok: false, error: `Line ${index + 1}: "${shorten(name)}" is not a valid header name` };
    if (seen.has(name.toLowerCase())) return { ok: false, error: `Line ${index + 1}: the header ${name} is given twice` };
    seen.add(name.toLowerCase());
    headers[name] = line.slice(at + 1).trim();
  }
  return { ok: true, value: headers };
}

/** Formats headers for the Headers textarea, `Name: value` per line. */
export function formatHeaders(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

/** The form for a new server. */
export function emptyForm(): ServerFormValues {
  return {
    name: '',
    transport: 'stdio',
    command: '',
    args: '',
    env: '',
    cwd: '',
    url: '',
    headers: '',
    secrets: '',
    protocolEra: 'auto',
    disabled: false,
    oauthClientId: '',
    oauthClientSecret: '',
    oauthScopes: '',
    oauthClientMetadataUrl: '',
  };
}

/** The form filled from an existing entry, for Edit. */
export function entryToForm(entry: ServerEntry): ServerFormValues {
  const form = emptyForm();
  form.name = entry.name;
  form.transport = entry.transport;
  form.disabled = entry.disabled ?? false;
  form.protocolEra = eraSettingOf(entry);
  form.secrets = (entry.secrets ?? []).join(', ');
  if (entry.transport === 'stdio') {
    form.command = entry.command;
    form.args = formatArgs(entry.args);
    form.env = formatEnv(entry.env);
    form.cwd = entry.cwd ?? '';
  } else {
    form.url = entry.url;
    form.headers = formatHeaders(entry.headers);
    form.oauthClientId = entry.oauth?.clientId ?? '';
    form.oauthClientSecret = entry.oauth?.clientSecret ?? '';
    form.oauthScopes = (entry.oauth?.scopes ?? []).join(' ');
    form.oauthClientMetadataUrl = entry.oauth?.clientMetadataUrl ?? '';
  }
  return form;
}

/**
 * Turns the form into a catalog entry, validated with the same schema main uses, so mistakes are shown next to
 * their field before anything is sent. Only the fields of the chosen transport are taken.
 */
export function formToEntry(values: ServerFormValues): { ok: true; entry: ServerEntry } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  let candidate: Record<string, unknown>;
  if (values.transport === 'stdio') {
    const env = parseEnv(values.env);
    if (!env.ok) errors.env = env.error;
    candidate = {
      name: values.name,
      transport: 'stdio',
      command: values.command,
      args: parseArgs(values.args),
      env: env.ok ? env.value : {},
      ...(values.cwd.trim() ? { cwd: values.cwd.trim() } : {}),
    };
  } else {
    const headers = parseHeaders(values.headers);
    if (!headers.ok) errors.headers = headers.error;
    candidate = { name: values.name, transport: values.transport, url: values.url, headers: headers.ok ? headers.value : {} };
    const oauth = oauthSettingsOf(values);
    if (oauth) candidate.oauth = oauth;
  }
  // Auto is what an entry without the setting means: it is left out, so the entry stays what host configs know.
  if (values.protocolEra !== 'auto') candidate.protocolEra = values.protocolEra;
  if (values.disabled) candidate.disabled = true;
  const secrets = values.secrets.split(/[\s,]+/).filter(Boolean);
  if (secrets.length > 0) {
    const named = (values.transport === 'stdio' ? candidate.env : candidate.headers) as Record<string, string>;
    const unknown = secrets.filter((name) => !Object.hasOwn(named, name));
    if (unknown.length > 0) errors.secrets = `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the ${values.transport === 'stdio' ? 'environment variables' : 'headers'}`;
    candidate.secrets = secrets;
  }

  const parsed = ServerEntrySchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path);
      errors[field] ??= sentence(issue.message);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, entry: parsed.data };
}

/** The OAuth fields as the catalog keeps them, or undefined when none is filled (the entry then has no `oauth`). */
function oauthSettingsOf(values: ServerFormValues): Record<string, unknown> | undefined {
  const oauth: Record<string, unknown> = {};
  if (values.oauthClientId.trim()) oauth.clientId = values.oauthClientId.trim();
  if (values.oauthClientSecret !== '') oauth.clientSecret = values.oauthClientSecret;
  const scopes = values.oauthScopes.split(/[\s,]+/).filter(Boolean);
  if (scopes.length > 0) oauth.scopes = scopes;
  if (values.oauthClientMetadataUrl.trim()) oauth.clientMetadataUrl = values.oauthClientMetadataUrl.trim();
  return Object.keys(oauth).length > 0 ? oauth : undefined;
}

/** Which OAuth setting of the catalog entry each form field holds. */
const OAUTH_FIELDS: Record<string, FormField> = {
  clientId: 'oauthClientId',
  clientSecret: 'oauthClientSecret',
  scopes: 'oauthScopes',
  clientMetadataUrl: 'oauthClientMetadataUrl',
};

function fieldOf(path: readonly PropertyKey[]): FormField {
  const [key, nested] = path;
  if (key === 'oauth') return OAUTH_FIELDS[String(nested)] ?? 'oauthClientId';
  const fields: readonly FormField[] = ['name', 'transport', 'command', 'args', 'env', 'cwd', 'url', 'headers', 'secrets', 'protocolEra', 'disabled'];
  return fields.includes(key as FormField) ? (key as FormField) : 'name';
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
