import { z } from 'zod';
import { InputDefinitionSchema } from './inputs';
import { OAuthSettingsSchema } from './oauth';
import { PROTOCOL_ERA_SETTINGS } from './protocol-era';
import { isSocketUrl, parseSocketUrl } from './socket-url';

/** The transports an upstream MCP server can speak, as Patchbay names them. */
export const UPSTREAM_TRANSPORTS = ['stdio', 'sse', 'streamable-http'] as const;
export type UpstreamTransportKind = (typeof UPSTREAM_TRANSPORTS)[number];

/** The transports a client can use to reach the proxy. */
export const CLIENT_TRANSPORTS = ['streamable-http', 'sse'] as const;
export type ClientTransportKind = (typeof CLIENT_TRANSPORTS)[number];

/** Whether a value is an absolute http:// or https:// URL, as a remote server's url must be once filled in. */
export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) && URL.canParse(value);
}

/**
 * What is wrong with a remote server's url once filled in, or undefined: it must be an http:// or https:// URL, or
 * VS Code's `unix:///socket/path#/mcp` / `pipe:///pipe/NAME#/mcp` for a local server on a socket (socket-url.ts).
 */
export function remoteUrlProblem(value: string): string | undefined {
  if (isHttpUrl(value)) return undefined;
  if (isSocketUrl(value)) {
    const parsed = parseSocketUrl(value);
    return parsed.ok ? undefined : parsed.problem;
  }
  if (value === '') return 'is empty';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(value)?.[1];
  if (scheme !== undefined && !/^https?$/i.test(scheme)) return `has the scheme "${scheme}:"`;
  if (scheme === undefined) return 'does not start with http:// or https://';
  return 'does not parse as a URL';
}

/** What a remote server's url may be, for messages. */
export const REMOTE_URL_KINDS = 'an http:// or https:// URL (or unix:///socket/path#/mcp, pipe:///pipe/NAME#/mcp for a local socket)';

/**
 * Whether a value holds a `${...}` placeholder. Claude Code, Cursor and VS Code fill them in a url too (even its
 * scheme and host: `${API_BASE:-https://api.example.com}/mcp`), so such a url is kept as written and checked as a
 * URL only once filled in, when the server starts.
 */
export function hasPlaceholder(value: string): boolean {
  return /\$\{[^{}]+\}/.test(value);
}

const serverName = z
  .string()
  .trim()
  .min(1, 'a server needs a name')
  .max(200, 'a server name is at most 200 characters');

const stringMap = z.record(z.string(), z.string());

/** Names of env variables (stdio) or headers (remote) whose values are secret: encrypted at rest, never shown in lists or logs. */
const secretNames = z.array(z.string().min(1)).optional();

/** VS Code's definitions of the `${input:id}` the entry uses (imported with it, exported back); never the answers. */
const inputDefinitions = z.array(InputDefinitionSchema).optional();

/**
 * Which protocol era the inspector speaks to the server in (protocol-era.ts). Absent is Auto: catalogs written before
 * the setting existed and imported host configs, which have no such setting, load as Auto.
 */
const protocolEra = z.enum(PROTOCOL_ERA_SETTINGS).optional();

/** A server started as a child process and spoken to over its stdin/stdout. */
export const StdioServerSchema = z.strictObject({
  name: serverName,
  transport: z.literal('stdio'),
  command: z.string().trim().min(1, 'a stdio server needs a command'),
  args: z.array(z.string()).default([]),
  env: stringMap.default({}),
  cwd: z.string().min(1).optional(),
  secrets: secretNames,
  inputs: inputDefinitions,
  protocolEra,
  disabled: z.boolean().optional(),
});

/** A server reached over the network, with the legacy SSE or the Streamable HTTP transport. */
export const RemoteServerSchema = z.strictObject({
  name: serverName,
  transport: z.enum(['sse', 'streamable-http']),
  url: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      if (hasPlaceholder(value)) return;
      const problem = remoteUrlProblem(value);
      if (problem === undefined) return;
      // A socket URL gets what is wrong with it; anything else the plain rule, as before.
      const message = isSocketUrl(value) ? `the url ${problem}` : 'a remote server needs an http:// or https:// URL';
      ctx.addIssue({ code: 'custom', message });
    }),
  headers: stringMap.default({}),
  secrets: secretNames,
  inputs: inputDefinitions,
  protocolEra,
  /** OAuth settings the user gave (pre-registered client, scopes, a client metadata URL); `clientSecret` is a secret. */
  oauth: OAuthSettingsSchema.optional(),
  disabled: z.boolean().optional(),
});

/** One entry of the catalog: the servers the proxy may start or reach. */
export const ServerEntrySchema = z.discriminatedUnion('transport', [StdioServerSchema, RemoteServerSchema]);

export type StdioServerEntry = z.infer<typeof StdioServerSchema>;
export type RemoteServerEntry = z.infer<typeof RemoteServerSchema>;
export type ServerEntry = z.infer<typeof ServerEntrySchema>;

/** The values of an entry that are marked secret (env for stdio, headers for remote), by name. */
export function secretValues(entry: ServerEntry): Record<string, string> {
  const values: Record<string, string> = entry.transport === 'stdio' ? entry.env : entry.headers;
  return Object.fromEntries((entry.secrets ?? []).filter((name) => Object.hasOwn(values, name)).map((name) => [name, values[name]!]));
}

/**
 * What the renderer sees in place of a secret value: the value is set, and stays as it is unless the user types a
 * new one. Main never sends a secret's value to the page, and puts the stored value back when an entry comes back
 * with this mask (services/catalog/secret-masking.ts).
 */
export const SECRET_MASK = '•••••• (secret, unchanged)';

/** The entry as the renderer may see it: every secret value replaced by SECRET_MASK (an OAuth client secret too). */
export function maskSecrets(entry: ServerEntry): ServerEntry {
  const masked = maskSecretValues(entry);
  if (masked.transport === 'stdio' || masked.oauth?.clientSecret === undefined) return masked;
  return { ...masked, oauth: { ...masked.oauth, clientSecret: SECRET_MASK } };
}

function maskSecretValues(entry: ServerEntry): ServerEntry {
  const secrets = new Set(entry.secrets ?? []);
  if (secrets.size === 0) return entry;
  const mask = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, secrets.has(name) ? SECRET_MASK : value]));
  return entry.transport === 'stdio' ? { ...entry, env: mask(entry.env) } : { ...entry, headers: mask(entry.headers) };
}

/** Whether two entries start the same server in the same way, names aside (key order, `disabled: false` and `protocolEra: 'auto'` do not count). */
export function sameServerSettings(a: ServerEntry, b: ServerEntry): boolean {
  return canonicalJson({ ...a, name: '' }) === canonicalJson({ ...b, name: '' });
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const object = inner as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(object)
        .filter((key) => object[key] !== undefined && !(key === 'disabled' && object[key] === false) && !(key === 'protocolEra' && object[key] === 'auto'))
        .sort()
        .map((key) => [key, object[key]]),
    );
  });
}

/** The whole catalog: names are unique. */
export const CatalogSchema = z
  .array(ServerEntrySchema)
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      if (seen.has(entry.name)) {
        ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `duplicate server name "${entry.name}"` });
      }
      seen.add(entry.name);
    });
  });

/** What the control API shows of a catalog entry: env and header values stay private, only their names are listed. */
export interface PublicServerEntry {
  name: string;
  transport: UpstreamTransportKind;
  command?: string;
  args?: string[];
  cwd?: string;
  url?: string;
  envKeys?: string[];
  headerKeys?: string[];
  disabled: boolean;
}

/** Strips secret values from an entry for display over the control API. */
export function toPublicServerEntry(entry: ServerEntry): PublicServerEntry {
  if (entry.transport === 'stdio') {
    return {
      name: entry.name,
      transport: entry.transport,
      command: entry.command,
      args: entry.args,
      cwd: entry.cwd,
      envKeys: Object.keys(entry.env),
      disabled: entry.disabled ?? false,
    };
  }
  return {
    name: entry.name,
    transport: entry.transport,
    url: entry.url,
    headerKeys: Object.keys(entry.headers),
    disabled: entry.disabled ?? false,
  };
}
