import type { ConfigFormat } from '../config-format';
import { ownValue } from '../json-values';
import { readStandardServer } from '../standard-server-reader';
import { basenameOf, findServerWith } from './dialect-evidence';

/**
 * Cline's cline_mcp_settings.json: `"mcpServers"` with `type` "stdio", "sse" or "streamableHttp" (older files:
 * `transportType` "stdio", "sse" or "http"), plus `disabled`, `autoApprove` and `timeout` (the last two are
 * Cline's own and ignored). Cline connects to a url without a type over SSE, so such an entry is imported as SSE.
 */
export const clineFormat: ConfigFormat = {
  id: 'cline',
  serversKey: '"mcpServers"',
  hosts: 'Cline',
  refines: 'mcp-servers',
  locateServers: (document) => ownValue(document, 'mcpServers'),
  recognise: (servers, fileName) => {
    const legacy = findServerWith(servers, (settings) => ownValue(settings, 'transportType') !== undefined);
    if (legacy !== undefined) return { by: 'shape', because: `server "${legacy}" uses Cline's "transportType"` };
    const camel = findServerWith(servers, (settings) => ownValue(settings, 'type') === 'streamableHttp');
    if (camel !== undefined) return { by: 'shape', because: `server "${camel}" uses Cline's type "streamableHttp"` };
    if (basenameOf(fileName) === 'cline_mcp_settings.json') return { by: 'file-name', because: 'the file is named cline_mcp_settings.json' };
    return undefined;
  },
  // `transportType` "http" (Cline's old spelling) reads as Streamable HTTP like every other "http".
  readServer: (name, settings) =>
    readStandardServer(name, settings, {
      typeKeys: ['type', 'transportType'],
      typelessUrl: {
        kind: 'sse',
        warning: 'no type is given, and Cline then connects over SSE, so it was imported as SSE; switch it to Streamable HTTP if the server speaks it',
      },
    }),
};
