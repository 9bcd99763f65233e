import type { ConfigFormat } from '../config-format';
import { ownValue } from '../json-values';
import { readStandardServer } from '../standard-server-reader';
import { basenameOf, findServerWith } from './dialect-evidence';

/**
 * Windsurf's mcp_config.json: `"mcpServers"` as Claude Desktop writes it, but a remote server's address is under
 * `serverUrl` (Windsurf reads `url` too). `${env:VAR}` placeholders are kept verbatim; `disabledTools` is ignored.
 */
export const windsurfFormat: ConfigFormat = {
  id: 'windsurf',
  serversKey: '"mcpServers"',
  hosts: 'Windsurf',
  refines: 'mcp-servers',
  locateServers: (document) => ownValue(document, 'mcpServers'),
  recognise: (servers, fileName) => {
    const server = findServerWith(servers, (settings) => ownValue(settings, 'serverUrl') !== undefined);
    if (server !== undefined) return { by: 'shape', because: `server "${server}" uses "serverUrl"` };
    if (basenameOf(fileName) === 'mcp_config.json') return { by: 'file-name', because: 'the file is named mcp_config.json' };
    return undefined;
  },
  readServer: (name, settings) => readStandardServer(name, settings, { urlKeys: ['serverUrl', 'url'] }),
};
