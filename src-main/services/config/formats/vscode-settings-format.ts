import type { ConfigFormat } from '../config-format';
import { isJsonObject, ownValue } from '../json-values';
import { readStandardServer } from '../standard-server-reader';

/**
 * VS Code's settings.json, which nests the same servers under `"mcp": { "servers": ... }`. VS Code also accepts
 * the dotted key `"mcp.servers"`, so both spellings are found.
 */
export const vscodeSettingsFormat: ConfigFormat = {
  id: 'vscode-settings',
  serversKey: '"mcp.servers"',
  hosts: 'VS Code settings.json',
  locateServers: (document) => {
    const dotted = ownValue(document, 'mcp.servers');
    if (dotted !== undefined) return dotted;
    const mcp = ownValue(document, 'mcp');
    return isJsonObject(mcp) ? ownValue(mcp, 'servers') : undefined;
  },
  readServer: readStandardServer,
};
