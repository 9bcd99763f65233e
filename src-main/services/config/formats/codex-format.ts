import { ServerEntrySchema } from '../../../../src-shared/catalog';
import type { ConfigFormat, ServerOutcome } from '../config-format';
import { describeEntryIssues } from '../entry-issues';
import { describeJsonType, isJsonObject, presentValue, type JsonObject } from '../json-values';
import { envPlaceholder, listWords } from '../wording';

/**
 * Codex's `~/.codex/config.toml` (and a trusted project's `.codex/config.toml`): one `[mcp_servers.<name>]` table
 * per server, as the Codex MCP docs describe (https://developers.openai.com/codex/mcp/, "Configure with
 * config.toml"):
 * - stdio: `command` (required), `args`, `env` (values), `env_vars` (names Codex forwards from its own
 *   environment, imported as `${env:NAME}` with a warning), `cwd`;
 * - Streamable HTTP (the only remote transport Codex speaks, so no `type` key): `url` (required),
 *   `bearer_token_env_var` (an `Authorization: Bearer` header from that variable, imported as
 *   `Bearer ${env:NAME}`), `http_headers` (values), `env_http_headers` (header → variable name, imported as
 *   `${env:NAME}`).
 * `enabled = false` imports as disabled. `startup_timeout_sec`, `tool_timeout_sec`, `enabled_tools`,
 * `disabled_tools`, `scopes` and `oauth` are Codex's own and ignored.
 */
export const codexFormat: ConfigFormat = {
  id: 'codex',
  serversKey: '[mcp_servers.<name>]',
  hosts: 'Codex config.toml',
  writtenIn: 'toml',
  locateServers: (document) => presentValue(document, 'mcp_servers'),
  readServer: readCodexServer,
};

function readCodexServer(name: string, settings: unknown): ServerOutcome {
  const label = `server "${name}"`;
  if (!isJsonObject(settings)) return fail(`${label} must be a table with a command or a url, not ${describeJsonType(settings)}`);
  const enabled = presentValue(settings, 'enabled');
  if (enabled !== undefined && typeof enabled !== 'boolean') return fail(`${label}: enabled must be true or false`);
  const command = presentValue(settings, 'command');
  const url = presentValue(settings, 'url');
  if (command !== undefined && url !== undefined) return fail(`${label} has both a command and a url; keep one`);
  if (command === undefined && url === undefined) return fail(`${label} has neither a command (stdio) nor a url (Streamable HTTP)`);

  const mapped = command !== undefined ? mapStdio(label, settings, command) : mapRemote(label, settings, url);
  if (!mapped.ok) return mapped;
  const candidate: JsonObject = { name, ...mapped.candidate };
  if (enabled === false) candidate.disabled = true;
  const parsed = ServerEntrySchema.safeParse(candidate);
  if (!parsed.success) return fail(`${label}: ${describeEntryIssues(parsed.error.issues, candidate, mapped.fileFieldNames)}`);
  return { ok: true, entry: parsed.data, warnings: mapped.warnings };
}

type Mapped = { ok: true; candidate: JsonObject; fileFieldNames: Record<string, string>; warnings: string[] } | { ok: false; message: string };

function mapStdio(label: string, settings: JsonObject, command: unknown): Mapped {
  const candidate: JsonObject = { transport: 'stdio', command };
  for (const key of ['args', 'cwd'] as const) {
    const value = presentValue(settings, key);
    if (value !== undefined) candidate[key] = value;
  }
  const env = presentValue(settings, 'env') ?? {};
  const forwarded = presentValue(settings, 'env_vars') ?? [];
  if (!isStringList(forwarded)) return fail(`${label}: env_vars must be a list of variable names`);
  const warnings: string[] = [];
  if (isJsonObject(env)) {
    const names = forwarded.filter((variable, index) => !Object.hasOwn(env, variable) && forwarded.indexOf(variable) === index);
    candidate.env = { ...env, ...Object.fromEntries(names.map((variable) => [variable, envPlaceholder(variable)])) };
    if (names.length > 0) {
      warnings.push(`${label}: env_vars ${listWords(names.map((variable) => `"${variable}"`))} (forwarded by Codex from its environment) imported as \${env:NAME}, filled from Patchbay's environment when it connects`);
    }
  } else {
    candidate.env = env; // reported by the schema
  }
  return { ok: true, candidate, fileFieldNames: {}, warnings };
}

function mapRemote(label: string, settings: JsonObject, url: unknown): Mapped {
  const headers: JsonObject = {};
  const staticHeaders = presentValue(settings, 'http_headers');
  if (staticHeaders !== undefined) {
    if (!isJsonObject(staticHeaders)) return fail(`${label}: http_headers must be a table of header names and values`);
    Object.assign(headers, staticHeaders);
  }
  const envHeaders = presentValue(settings, 'env_http_headers');
  if (envHeaders !== undefined) {
    if (!isJsonObject(envHeaders) || !Object.values(envHeaders).every((value) => typeof value === 'string')) {
      return fail(`${label}: env_http_headers must be a table of header names and variable names`);
    }
    for (const [header, variable] of Object.entries(envHeaders)) headers[header] = envPlaceholder(variable as string);
  }
  const bearerVariable = presentValue(settings, 'bearer_token_env_var');
  if (bearerVariable !== undefined) {
    if (typeof bearerVariable !== 'string' || bearerVariable.trim() === '') return fail(`${label}: bearer_token_env_var must be the name of an environment variable`);
    headers.Authorization = `Bearer ${envPlaceholder(bearerVariable)}`;
  }
  return { ok: true, candidate: { transport: 'streamable-http', url, headers }, fileFieldNames: { headers: 'http_headers' }, warnings: [] };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
