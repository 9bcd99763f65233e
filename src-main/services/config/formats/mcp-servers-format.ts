import type { ConfigFormat } from '../config-format';
import { ownValue } from '../json-values';
import { readStandardServer } from '../standard-server-reader';
import { hasProjectServers, listClaudeCodeServers } from './claude-code-projects';

/**
 * `{ "mcpServers": { name: settings } }`: Claude Desktop's claude_desktop_config.json (other top-level keys sit
 * beside it), Cursor's mcp.json (remote entries with a `url` and no `type`) and Claude Code's .mcp.json (`type`
 * stdio/http/sse, `${VAR}` and `${VAR:-default}` kept verbatim), and Claude Code's ~/.claude.json, whose servers per
 * project are listed too (`claude-code-projects.ts`). Windsurf and Cline write dialects of it.
 */
export const mcpServersFormat: ConfigFormat = {
  id: 'mcp-servers',
  serversKey: '"mcpServers"',
  hosts: 'Claude Desktop, Cursor, Claude Code',
  // A list under "mcpServers" is Continue's (formats/continue-format.ts). A ~/.claude.json may have servers only per
  // project, under "projects"; then it has no top-level ones rather than none at all.
  locateServers: (document) => {
    const servers = ownValue(document, 'mcpServers');
    if (servers === undefined && hasProjectServers(document)) return {};
    return Array.isArray(servers) ? undefined : servers;
  },
  listServers: listClaudeCodeServers,
  readServer: (name, settings) => readStandardServer(name, settings),
};
