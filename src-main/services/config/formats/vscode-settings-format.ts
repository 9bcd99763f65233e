import type { ConfigFormat } from '../config-format';
import { isJsonObject, ownValue, type JsonObject } from '../json-values';
import { readStandardServer } from '../standard-server-reader';
import { readInputDefinitions } from '../vscode-inputs';

/**
 * VS Code's settings.json, which nests the same servers under `"mcp": { "servers": ..., "inputs": ... }`. VS Code
 * also accepts dotted keys such as `"mcp.servers"`, so both spellings are found.
 */
export const vscodeSettingsFormat: ConfigFormat = {
  id: 'vscode-settings',
  serversKey: '"mcp.servers"',
  hosts: 'VS Code settings.json',
  locateServers: (document) => mcpSetting(document, 'servers'),
  readServer: (name, settings) => readStandardServer(name, settings),
  readExtras: (document) => readInputDefinitions(mcpSetting(document, 'inputs'), '"mcp.inputs"'),
};

/** `"mcp.<key>"` or `"mcp": { "<key>": ... }`. */
function mcpSetting(document: JsonObject, key: string): unknown {
  const dotted = ownValue(document, `mcp.${key}`);
  if (dotted !== undefined) return dotted;
  const mcp = ownValue(document, 'mcp');
  return isJsonObject(mcp) ? ownValue(mcp, key) : undefined;
}
