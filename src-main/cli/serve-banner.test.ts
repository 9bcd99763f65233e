import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { formatStartupBanner, serverEndpoints } from './serve-banner';

const entries: ServerEntry[] = [
  { name: 'files', transport: 'stdio', command: 'npx', args: [], env: {} },
  { name: 'remote api', transport: 'sse', url: 'https://example.com/sse', headers: {} },
  { name: 'old', transport: 'stdio', command: 'node', args: [], env: {}, disabled: true },
];

describe('serverEndpoints', () => {
  it('encodes the server name into the path', () => {
    expect(serverEndpoints('http://127.0.0.1:6277', 'remote api')).toEqual({
      streamableHttp: 'http://127.0.0.1:6277/servers/remote%20api/mcp',
      sse: 'http://127.0.0.1:6277/servers/remote%20api/sse',
    });
  });
});

describe('formatStartupBanner', () => {
  it('prints the URL, the token, the config and one line per enabled server', () => {
    expect(
      formatStartupBanner({ proxyUrl: 'http://127.0.0.1:6277', token: 'tok', configPath: 'mcp.json', formatDescription: '"servers" (VS Code)', entries }),
    ).toEqual([
      'MCP Patchbay proxy',
      'Listening on http://127.0.0.1:6277',
      'Token: tok',
      'Config: mcp.json, read as "servers" (VS Code)',
      'Servers (2):',
      '  files       Streamable HTTP http://127.0.0.1:6277/servers/files/mcp  SSE http://127.0.0.1:6277/servers/files/sse  (stdio)',
      '  remote api  Streamable HTTP http://127.0.0.1:6277/servers/remote%20api/mcp  SSE http://127.0.0.1:6277/servers/remote%20api/sse  (sse)',
      'Disabled in the config, not served: old',
      'Press Ctrl+C to stop.',
    ]);
  });

  it('says when authentication is off and when no server is enabled', () => {
    expect(
      formatStartupBanner({ proxyUrl: 'http://127.0.0.1:1', token: null, configPath: 'c.json', formatDescription: 'f', entries: [entries[2]!] }),
    ).toEqual([
      'MCP Patchbay proxy',
      'Listening on http://127.0.0.1:1',
      'Authentication: off (--no-auth)',
      'Config: c.json, read as f',
      'Servers: none enabled in the config',
      'Disabled in the config, not served: old',
      'Press Ctrl+C to stop.',
    ]);
  });
});
