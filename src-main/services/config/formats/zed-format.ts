import { ServerEntrySchema } from '../../../../src-shared/catalog';
import type { ConfigFormat, ServerOutcome } from '../config-format';
import { describeEntryIssues } from '../entry-issues';
import { describeJsonType, isJsonObject, ownValue, type JsonObject } from '../json-values';
import { STREAMABLE_HTTP_BY_DEFAULT } from '../standard-server-reader';

/**
 * Zed's settings.json: `"context_servers": { name: settings }`, where a server is one of
 * - a command: `"command": "npx", "args": [...], "env": {...}` (older files add `"source": "custom"`, and the
 *   oldest nest it as `"command": { "path", "args", "env" }`);
 * - a remote server: `"url"` and `"headers"`, spoken to with Streamable HTTP;
 * - a server a Zed extension provides, configured by `"settings"` only: Zed knows its command, the file does not,
 *   so it cannot be imported.
 * `"enabled": false` imports as disabled; `timeout` and `remote` are Zed's own and ignored.
 */
export const zedFormat: ConfigFormat = {
  id: 'zed',
  serversKey: '"context_servers"',
  hosts: 'Zed settings.json',
  locateServers: (document) => ownValue(document, 'context_servers'),
  readServer: readZedServer,
};

function readZedServer(name: string, settings: unknown): ServerOutcome {
  const label = `server "${name}"`;
  if (!isJsonObject(settings)) return fail(`${label} must be an object with a command or a url, not ${describeJsonType(settings)}`);

  const source = ownValue(settings, 'source');
  if (source === 'extension') return fail(extensionServerMessage(label));
  if (source !== undefined && source !== 'custom') return fail(`${label}: source ${JSON.stringify(source)} is not one Zed writes (use "custom")`);
  const enabled = ownValue(settings, 'enabled');
  if (enabled !== undefined && typeof enabled !== 'boolean') return fail(`${label}: enabled must be true or false`);

  const command = ownValue(settings, 'command');
  const url = ownValue(settings, 'url');
  if (command !== undefined && url !== undefined) return fail(`${label} has both a command and a url; keep one`);
  if (command === undefined && url === undefined) {
    return fail(ownValue(settings, 'settings') !== undefined ? extensionServerMessage(label) : `${label} has neither a command nor a url`);
  }

  const candidate: JsonObject = { name };
  if (command !== undefined) {
    const launch = isJsonObject(command) ? readNestedCommand(label, command) : { ok: true as const, fields: pick(settings, ['args', 'env']), command };
    if (!launch.ok) return launch;
    Object.assign(candidate, { transport: 'stdio', command: launch.command }, launch.fields);
  } else {
    Object.assign(candidate, { transport: STREAMABLE_HTTP_BY_DEFAULT.kind, url }, pick(settings, ['headers']));
  }
  if (enabled === false) candidate.disabled = true;

  const parsed = ServerEntrySchema.safeParse(candidate);
  if (!parsed.success) return fail(`${label}: ${describeEntryIssues(parsed.error.issues, candidate)}`);
  const warnings = url !== undefined ? [`${label}: ${STREAMABLE_HTTP_BY_DEFAULT.warning}`] : [];
  return { ok: true, entry: parsed.data, warnings };
}

type NestedCommand = { ok: true; command: unknown; fields: JsonObject } | { ok: false; message: string };

/** The oldest Zed spelling: `"command": { "path": "...", "args": [...], "env": {...} }`. */
function readNestedCommand(label: string, command: JsonObject): NestedCommand {
  const path = ownValue(command, 'path');
  if (typeof path !== 'string' || path.trim() === '') return fail(`${label}: command.path must be a non-empty string`);
  return { ok: true, command: path, fields: pick(command, ['args', 'env']) };
}

function pick(from: JsonObject, keys: readonly string[]): JsonObject {
  const picked: JsonObject = {};
  for (const key of keys) {
    const value = ownValue(from, key);
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

function extensionServerMessage(label: string): string {
  return `${label} is provided by a Zed extension (it only has "settings"), so the file does not say how to start it; add it in Patchbay with its command instead`;
}

function fail(message: string): { ok: false; message: string } {
  return { ok: false, message };
}
