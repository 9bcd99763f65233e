import { describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error';
import { detectFormat } from './detect-format';

const detectedId = (document: unknown): string => detectFormat(document, 'f.json').format.id;

function reasonFor(document: unknown): string {
  try {
    detectFormat(document, 'f.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return (error as ConfigFileError).reason;
  }
  throw new Error('expected a ConfigFileError');
}

describe('detectFormat', () => {
  it('tells the formats apart by the key that holds the servers', () => {
    expect(detectedId({ mcpServers: {}, globalShortcut: '' })).toBe('mcp-servers');
    expect(detectedId({ servers: {}, inputs: [] })).toBe('vscode-mcp');
    expect(detectedId({ 'editor.fontSize': 14, mcp: { servers: {} } })).toBe('vscode-settings');
    expect(detectedId({ 'mcp.servers': {} })).toBe('vscode-settings');
  });

  it('recognises Zed by "context_servers" and the "mcpServers" dialects by settings only their host writes', () => {
    expect(detectedId({ theme: 'One Dark', context_servers: {} })).toBe('zed');
    expect(detectedId({ mcpServers: { a: { serverUrl: 'https://x.example/mcp' } } })).toBe('windsurf');
    expect(detectedId({ mcpServers: { a: { transportType: 'stdio', command: 'x' } } })).toBe('cline');
    expect(detectedId({ mcpServers: { a: { type: 'streamableHttp', url: 'https://x.example/mcp' } } })).toBe('cline');
    // autoApprove and timeout are not Cline's alone (Cursor files carry autoApprove too), so they prove nothing.
    expect(detectedId({ mcpServers: { a: { command: 'x', autoApprove: [], timeout: 60 } } })).toBe('mcp-servers');
  });

  it('says in one sentence which format it took and why', () => {
    expect(detectFormat({ mcpServers: {} }, 'f.json').detection).toBe(
      'Read as Claude Desktop, Cursor, Claude Code because the file has "mcpServers" and no setting only Windsurf or Cline writes.',
    );
    expect(detectFormat({ mcpServers: {} }, '/x/mcp_config.json').detection).toBe('Read as Windsurf because the file is named mcp_config.json.');
    expect(detectFormat({ 'mcp.servers': {} }, 'settings.json').detection).toBe('Read as VS Code settings.json because the file has "mcp.servers".');
    expect(detectFormat({ context_servers: {} }, 'settings.json').detection).toBe('Read as Zed settings.json because the file has "context_servers".');
  });

  it('returns the servers object', () => {
    const servers = { a: { command: 'x' } };
    expect(detectFormat({ mcpServers: servers }, 'f.json').servers).toBe(servers);
  });

  it('does not take a VS Code "mcp" setting without servers for a config', () => {
    expect(reasonFor({ mcp: { discovery: { enabled: true } } })).toMatch(/^no MCP servers found/);
  });

  it('ignores keys inherited through a "__proto__" key in the file', () => {
    const document = JSON.parse('{ "__proto__": { "mcpServers": {} } }') as unknown;
    expect(reasonFor(document)).toMatch(/^no MCP servers found/);
  });

  it.each([
    [null, 'the top level must be a JSON object, not null'],
    ['text', 'the top level must be a JSON object, not a string'],
    [42, 'the top level must be a JSON object, not a number'],
    [{ mcpServers: null }, '"mcpServers" must be an object mapping server names to their settings, not null'],
    [{ servers: 'a' }, '"servers" must be an object mapping server names to their settings, not a string'],
    [{ mcp: { servers: [] } }, '"mcp.servers" must be an object mapping server names to their settings, not an array'],
    [{ servers: {}, mcp: { servers: {} } }, 'the file has both "servers" and "mcp.servers"; keep the servers under one of them'],
  ])('rejects %j', (document, reason) => {
    expect(reasonFor(document)).toBe(reason);
  });
});
