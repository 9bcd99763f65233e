import type { ServerEntry } from '../../src-shared/catalog';

/** The client URLs of one server on the proxy. */
export interface ServerEndpoints {
  streamableHttp: string;
  sse: string;
}

/** Where clients reach a catalog server through the proxy at `proxyUrl`. */
export function serverEndpoints(proxyUrl: string, name: string): ServerEndpoints {
  const base = `${proxyUrl}/servers/${encodeURIComponent(name)}`;
  return { streamableHttp: `${base}/mcp`, sse: `${base}/sse` };
}

export interface BannerInput {
  proxyUrl: string;
  /** null when authentication is off. */
  token: string | null;
  configPath: string;
  /** How the config file's format was recognised, for example `"mcpServers" (Claude Desktop, Cursor, Claude Code)`. */
  formatDescription: string;
  entries: readonly ServerEntry[];
}

/**
 * The lines `serve` prints once it listens. The "Listening on" and "Token:" lines have a fixed shape so scripts
 * can read them; disabled servers are not listed one by one since they cannot be reached.
 */
export function formatStartupBanner(input: BannerInput): string[] {
  const enabled = input.entries.filter((entry) => !entry.disabled);
  const disabled = input.entries.filter((entry) => entry.disabled);
  const lines = [
    `MCP Patchbay proxy`,
    `Listening on ${input.proxyUrl}`,
    input.token === null ? 'Authentication: off (--no-auth)' : `Token: ${input.token}`,
    `Config: ${input.configPath}, read as ${input.formatDescription}`,
  ];
  if (enabled.length === 0) {
    lines.push('Servers: none enabled in the config');
  } else {
    lines.push(`Servers (${enabled.length}):`);
    const width = Math.max(...enabled.map((entry) => entry.name.length));
    for (const entry of enabled) {
      const { streamableHttp, sse } = serverEndpoints(input.proxyUrl, entry.name);
      lines.push(`  ${entry.name.padEnd(width)}  Streamable HTTP ${streamableHttp}  SSE ${sse}  (${entry.transport})`);
    }
  }
  if (disabled.length > 0) lines.push(`Disabled in the config, not served: ${disabled.map((entry) => entry.name).join(', ')}`);
  lines.push('Press Ctrl+C to stop.');
  return lines;
}
