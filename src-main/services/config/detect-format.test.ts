import { describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error';
import { describeConfigFormat, configFormat } from './config-formats';
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
    expect(detectFormat({ mcpServers: servers }, 'f.json').listed).toEqual([{ server: 'a', settings: { command: 'x' } }]);
  });

  it('recognises Continue by a list under "mcpServers" and Goose by "extensions", naming list items by their name', () => {
    const continueDocument = { name: 'Local Config', schema: 'v1', mcpServers: [{ name: 'a', command: 'x' }, { uses: 'owner/block' }, { command: 'y' }, 'z'] };
    const detected = detectFormat(continueDocument, 'config.yaml');
    expect([detected.format.id, detected.detection]).toEqual(['continue', 'Read as Continue because the file has "mcpServers" as a list.']);
    expect(detected.listed.map((item) => item.server)).toEqual(['a', 'owner/block', 'item 3', 'item 4']);
    expect(detectFormat({ GOOSE_MODEL: 'x', extensions: {} }, 'config.yaml').detection).toBe('Read as Goose because the file has "extensions".');
    expect(detectedId({ mcpServers: [] })).toBe('continue');
  });

  it('lists the formats a file with no servers could have been, by the syntax its name says', () => {
    const json =
      'no MCP servers found: expected "mcpServers" (Claude Desktop, Cursor, Claude Code, Windsurf, Cline), or "servers" (VS Code .vscode/mcp.json), or "mcp.servers" (VS Code settings.json), or "context_servers" (Zed settings.json)';
    const yaml = 'no MCP servers found: expected "mcpServers" as a list (Continue), or "extensions" (Goose)';
    const reasonIn = (file: string): string => {
      try {
        detectFormat({}, file);
      } catch (error) {
        return (error as ConfigFileError).reason;
      }
      throw new Error('expected a ConfigFileError');
    };
    expect(reasonIn('mcp.json')).toBe(json);
    expect(reasonIn('config.yaml')).toBe(yaml);
    expect(reasonIn('pasted')).toBe(`${json}, or "mcpServers" as a list (Continue), or "extensions" (Goose)`);
  });

  it('names the YAML formats for people', () => {
    expect(describeConfigFormat(configFormat('continue'))).toBe('"mcpServers" as a list (Continue)');
    expect(describeConfigFormat(configFormat('goose'))).toBe('"extensions" (Goose)');
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
    [{ mcpServers: [], extensions: {} }, 'the file has both "mcpServers" and "extensions"; keep the servers under one of them'],
    [{ extensions: 'developer' }, '"extensions" must be an object mapping server names to their settings, not a string'],
  ])('rejects %j', (document, reason) => {
    expect(reasonFor(document)).toBe(reason);
  });
});
