import type { ConfigFormat, DocumentExtras } from '../config-format';
import { isJsonObject, ownValue, type JsonObject } from '../json-values';
import { readStandardServer } from '../standard-server-reader';

/**
 * `{ "mcpServers": { name: settings } }`: Claude Desktop's claude_desktop_config.json (other top-level keys sit
 * beside it), Cursor's mcp.json (remote entries with a `url` and no `type`) and Claude Code's .mcp.json (`type`
 * stdio/http/sse, `${VAR}` and `${VAR:-default}` kept verbatim). Windsurf and Cline write dialects of it.
 */
export const mcpServersFormat: ConfigFormat = {
  id: 'mcp-servers',
  serversKey: '"mcpServers"',
  hosts: 'Claude Desktop, Cursor, Claude Code',
  // A list under "mcpServers" is Continue's (formats/continue-format.ts).
  locateServers: (document) => {
    const servers = ownValue(document, 'mcpServers');
    return Array.isArray(servers) ? undefined : servers;
  },
  readServer: (name, settings) => readStandardServer(name, settings),
  readExtras: readClaudeCodeProjects,
};

/**
 * Claude Code's ~/.claude.json also keeps servers per project under `projects.<path>.mcpServers`. Only the
 * top-level (user) servers are read; saying so beats silently dropping the others.
 */
function readClaudeCodeProjects(document: JsonObject): DocumentExtras {
  const projects = ownValue(document, 'projects');
  if (!isJsonObject(projects)) return { inputs: [], warnings: [] };
  const withServers = Object.entries(projects).filter(([, project]) => {
    const servers = isJsonObject(project) ? ownValue(project, 'mcpServers') : undefined;
    return isJsonObject(servers) && Object.keys(servers).length > 0;
  });
  if (withServers.length === 0) return { inputs: [], warnings: [] };
  const paths = withServers.map(([path]) => `"${path}"`).join(', ');
  return {
    inputs: [],
    warnings: [`the servers Claude Code keeps per project (projects.*.mcpServers, for ${paths}) were not read; only the top-level "mcpServers" were`],
  };
}
