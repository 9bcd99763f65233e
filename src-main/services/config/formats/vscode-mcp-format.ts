import type { ConfigFormat } from '../config-format';
import { ownValue } from '../json-values';
import { readStandardServer } from '../standard-server-reader';
import { readInputDefinitions } from '../vscode-inputs';

/**
 * VS Code's .vscode/mcp.json: `{ "servers": { name: settings }, "inputs": [...] }` with `type` stdio, http or sse.
 * `${input:id}` placeholders stay verbatim in the entries; the `inputs` that describe them are read alongside so
 * Patchbay can ask for the same values (with the same description, hidden when `password` is set).
 */
export const vscodeMcpFormat: ConfigFormat = {
  id: 'vscode-mcp',
  serversKey: '"servers"',
  hosts: 'VS Code .vscode/mcp.json',
  locateServers: (document) => ownValue(document, 'servers'),
  readServer: (name, settings) => readStandardServer(name, settings),
  readExtras: (document) => readInputDefinitions(ownValue(document, 'inputs'), '"inputs"'),
};
