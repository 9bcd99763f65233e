import type { ConfigFormat } from '../config-format';
import { ownValue } from '../json-values';
import { readStandardServer } from '../standard-server-reader';

/**
 * `{ "mcpServers": { name: settings } }`: Claude Desktop's claude_desktop_config.json (other top-level keys sit
 * beside it), Cursor's mcp.json (remote entries with a `url` and no `type`) and Claude Code's .mcp.json (`type`
 * stdio/http/sse).
 */
export const mcpServersFormat: ConfigFormat = {
  id: 'mcp-servers',
  serversKey: '"mcpServers"',
  hosts: 'Claude Desktop, Cursor, Claude Code',
  locateServers: (document) => ownValue(document, 'mcpServers'),
  readServer: readStandardServer,
};
