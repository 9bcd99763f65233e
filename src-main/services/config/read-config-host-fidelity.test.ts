// Entries that the host itself starts, read as the host reads them. Each fixture is shaped as the host's own
// documentation writes it; the test names which page.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPlaceholders } from './placeholders';
import { readConfigFile, type ConfigReadResult } from './read-config';

const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);

const GENERIC_DETECTION = 'Read as Claude Desktop, Cursor, Claude Code because the file has "mcpServers" and no setting only Windsurf or Cline writes.';

describe('placeholders in a url and in header values', () => {
  // Claude Code docs, "MCP" page, "Environment variable expansion in .mcp.json": the example server "api-server"
  // with "url": "${API_BASE_URL:-https://api.example.com}/mcp" and "Authorization": "Bearer ${API_KEY}".
  it('keeps a url that is a placeholder with a default (Claude Code .mcp.json) as written, and lists what it needs', async () => {
    const result = await readConfigFile(fixture('claude-code-url-placeholders.mcp.json'));
    expect(result).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      detection: GENERIC_DETECTION,
      entries: [
        { name: 'api-server', transport: 'streamable-http', url: '${API_BASE_URL:-https://api.example.com}/mcp', headers: { Authorization: 'Bearer ${API_KEY}' } },
        { name: 'internal', transport: 'sse', url: '${INTERNAL_MCP_URL}', headers: { 'X-Team': '${TEAM:-platform}' } },
      ],
      problems: [],
      warnings: [],
      inputs: [],
    });
    expect(findPlaceholders(result.entries[0]!).env).toEqual([
      { name: 'API_BASE_URL', required: false, defaultValue: 'https://api.example.com', fields: ['url'] },
      { name: 'API_KEY', required: true, fields: ['headers.Authorization'] },
    ]);
  });
});
