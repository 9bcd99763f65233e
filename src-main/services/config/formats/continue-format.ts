import type { ConfigFormat, ServerOutcome } from '../config-format';
import { describeJsonType, isJsonObject, isStringRecord, ownValue, presentValue, type JsonObject } from '../json-values';
import { readStandardServer } from '../standard-server-reader';
import { envPlaceholder, listWords } from '../wording';

/**
 * Continue's config.yaml, and its block files in `.continue/mcpServers/*.yaml`: beside `name`, `version`,
 * `schema`, `models` and the rest, `mcpServers:` is a LIST of servers, each with its own `name`:
 * - a local server: `command`, `args`, `env`, `cwd`, `type: stdio` (optional);
 * - a remote one: `url`, `type: sse | streamable-http` (without a type Continue tries Streamable HTTP, then SSE),
 *   headers under `requestOptions.headers`, and `apiKey`, which Continue sends as `Authorization: Bearer <apiKey>`.
 * `${{ secrets.NAME }}` is imported as `${env:NAME}` (with a warning), since Patchbay cannot read Continue's
 * secrets; any other `${{ ... }}` template makes the server a problem. A `uses:` item names a Continue Hub block,
 * which the file does not describe, so it is a problem too. `connectionTimeout`, `faviconUrl` and the other
 * `requestOptions` are Continue's own and ignored. (The JSON files Continue also reads from
 * `.continue/mcpServers/` are Claude Desktop's shape, read as "mcpServers".)
 */
export const continueFormat: ConfigFormat = {
  id: 'continue',
  serversKey: '"mcpServers"',
  hosts: 'Continue',
  writtenIn: 'yaml',
  locateServers: (document) => {
    const servers = ownValue(document, 'mcpServers');
    return Array.isArray(servers) ? servers : undefined;
  },
  nameListItem: (item, index) => {
    if (isJsonObject(item)) {
      const uses = ownValue(item, 'uses');
      if (typeof uses === 'string') return uses;
      const name = ownValue(item, 'name');
      if (typeof name === 'string') return name;
    }
    return `item ${index + 1}`;
  },
  itemHasName: (item) => isJsonObject(item) && (ownValue(item, 'name') !== undefined || ownValue(item, 'uses') !== undefined),
  readServer: readContinueServer,
};

/** The settings Continue and the shared reader spell alike; headers and apiKey are mapped on their own. */
const SHARED_FIELDS = ['type', 'command', 'args', 'env', 'cwd', 'url'] as const;

/** @param server the item's name, its `uses` block, or `item 3` when it has neither (see `nameListItem`). */
function readContinueServer(server: string, settings: unknown): ServerOutcome {
  if (!isJsonObject(settings)) return fail(`mcpServers ${server} must be an object with a name and a command or a url, not ${describeJsonType(settings)}`);
  if (ownValue(settings, 'uses') !== undefined) {
    return fail(`server "${server}" is a block from the Continue Hub ("uses"), so the file does not say how to start it; add it in Patchbay with its command or url instead`);
  }
  const name = presentValue(settings, 'name');
  if (name === undefined) return fail(`mcpServers ${server} has no name; Continue needs one for every server`);
  if (typeof name !== 'string') return fail(`mcpServers ${server}: name must be a string, not ${describeJsonType(name)}`);
  const label = `server "${name}"`;

  const prepared: JsonObject = {};
  for (const field of SHARED_FIELDS) {
    const value = presentValue(settings, field);
    if (value !== undefined) prepared[field] = value;
  }
  const headers = readHeaders(label, settings);
  if (!headers.ok) return headers;
  if (headers.headers) prepared.headers = headers.headers;

  const rewritten = rewriteSecrets(prepared);
  if (!rewritten.ok) {
    return fail(`${label}: ${rewritten.template} is a Continue template Patchbay cannot fill in (only \${{ secrets.NAME }} is read); write the value, or an \${env:NAME} placeholder, instead`);
  }
  // Continue's schema takes env as strings only (`z.record(z.string())`), so a number there is a problem, not coerced.
  const outcome = readStandardServer(name, rewritten.settings, { envStringsOnly: true });
  if (!outcome.ok || rewritten.secrets.length === 0) return outcome;
  return { ...outcome, warnings: [...outcome.warnings, secretsWarning(label, rewritten.secrets)] };
}

type HeadersOutcome = { ok: true; headers: Record<string, string> | undefined } | { ok: false; message: string };

/** `requestOptions.headers`, with `apiKey` as the Authorization header (over one written there, as Continue does). */
function readHeaders(label: string, settings: JsonObject): HeadersOutcome {
  const requestOptions = presentValue(settings, 'requestOptions');
  if (requestOptions !== undefined && !isJsonObject(requestOptions)) return fail(`${label}: requestOptions must be an object, not ${describeJsonType(requestOptions)}`);
  const headers = requestOptions === undefined ? undefined : presentValue(requestOptions, 'headers');
  if (headers !== undefined && !isStringRecord(headers)) return fail(`${label}: requestOptions.headers must be an object of string values`);
  const apiKey = presentValue(settings, 'apiKey');
  if (apiKey !== undefined && typeof apiKey !== 'string') return fail(`${label}: apiKey must be a string, not ${describeJsonType(apiKey)}`);
  if (headers === undefined && apiKey === undefined) return { ok: true, headers: undefined };
  return { ok: true, headers: { ...headers, ...(apiKey === undefined ? {} : { Authorization: `Bearer ${apiKey}` }) } };
}

/** `${{ secrets.NAME }}`, `${{secrets.NAME}}`; any other `${{ ... }}` (inputs, hub-qualified secrets) is not read. */
const TEMPLATE = /\$\{\{\s*(.*?)\s*\}\}/g;
const SECRET = /^secrets\.([A-Za-z_][A-Za-z0-9_]*)$/;

type SecretsRewrite = { ok: true; settings: JsonObject; secrets: string[] } | { ok: false; template: string };

/**
 * Continue fills `${{ secrets.NAME }}` from its hub or its .env files, neither of which Patchbay reads. Written as
 * `${env:NAME}`, the placeholder stays one Patchbay can fill (from the environment); kept as it was, it would reach
 * the server as literal text.
 */
function rewriteSecrets(settings: JsonObject): SecretsRewrite {
  const secrets: string[] = [];
  let unsupported: string | undefined;
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(TEMPLATE, (template: string, inner: string) => {
        const secret = SECRET.exec(inner)?.[1];
        if (secret === undefined) {
          unsupported ??= template;
          return template;
        }
        if (!secrets.includes(secret)) secrets.push(secret);
        return envPlaceholder(secret);
      });
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item)]));
    return value;
  };
  const rewritten = rewrite(settings) as JsonObject;
  return unsupported === undefined ? { ok: true, settings: rewritten, secrets } : { ok: false, template: unsupported };
}

function secretsWarning(label: string, secrets: readonly string[]): string {
  const one = secrets.length === 1;
  return (
    `${label}: the Continue ${one ? 'secret' : 'secrets'} ${listWords(secrets)} ${one ? 'was' : 'were'} imported as ` +
    `${listWords(secrets.map(envPlaceholder))}, to be filled from the environment, since Patchbay does not read Continue's secrets (its hub or .env files)`
  );
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
