import type { ConfigFormat } from '../config-format';
import { ownValue } from '../json-values';
import { readStandardServer } from '../standard-server-reader';

/**
 * VS Code's .vscode/mcp.json: `{ "servers": { name: settings }, "inputs": [...] }` with `type` stdio, http or sse.
 * `inputs` only feeds `${input:id}` placeholders, which stay verbatim, so it is not read.
 */
export const vscodeMcpFormat: ConfigFormat = {
  id: 'vscode-mcp',
  serversKey: '"servers"',
  hosts: 'VS Code .vscode/mcp.json',
  locateServers: (document) => ownValue(document, 'servers'),
  readServer: readStandardServer,
};
