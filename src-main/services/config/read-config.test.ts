import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error';
import { parseConfigText, readConfigFile, type ConfigReadResult } from './read-config';

const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);

const GENERIC_DETECTION = 'Read as Claude Desktop, Cursor, Claude Code because the file has "mcpServers" and no setting only Windsurf or Cline writes.';
const TYPELESS_URL = 'no type is given, so it was imported as Streamable HTTP; a server that only answers old-style SSE will need the SSE fallback';
const KNOWN_TYPES = '"stdio", "http", "streamable-http", "streamableHttp", "sse"';

/** Reads a fixture expecting a whole-file error, and returns it. */
async function readError(path: string): Promise<ConfigFileError> {
  const error: unknown = await readConfigFile(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigFileError);
  return error as ConfigFileError;
}

describe('readConfigFile, one fixture per host format', () => {
  it('reads Claude Desktop: command/args/env beside other top-level keys, disabled kept', async () => {
    expect(await readConfigFile(fixture('claude_desktop_config.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      entries: [
        { name: 'filesystem', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'], env: {} },
        {
          name: 'github',
          transport: 'stdio',
          command: 'docker',
          args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_TOKEN}' },
        },
        { name: 'sqlite', transport: 'stdio', command: 'uvx', args: ['mcp-server-sqlite', '--db-path', '/tmp/test.db'], env: {}, disabled: true },
      ],
      problems: [],
      detection: GENERIC_DETECTION,
      warnings: [],
      inputs: [],
    });
  });

  it('reads Cursor: a url without a type is Streamable HTTP, headers and ${env:...} kept, host-only keys ignored', async () => {
    expect(await readConfigFile(fixture('cursor-mcp.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      entries: [
        { name: 'context7', transport: 'streamable-http', url: 'https://mcp.context7.com/mcp', headers: { CONTEXT7_API_KEY: '${env:CONTEXT7_API_KEY}' } },
        { name: 'linear', transport: 'streamable-http', url: 'https://mcp.linear.app/mcp', headers: {} },
        { name: 'local-script', transport: 'stdio', command: 'node', args: ['${workspaceFolder}/server.js'], env: { API_KEY: '${env:API_KEY}' } },
      ],
      problems: [],
      detection: GENERIC_DETECTION,
      warnings: [
        { server: 'context7', message: `server "context7": ${TYPELESS_URL}` },
        { server: 'linear', message: `server "linear": ${TYPELESS_URL}` },
      ],
      inputs: [],
    });
  });

  it('reads Claude Code: type stdio/http/sse, the streamable-http spelling, ${VAR} and ${VAR:-default} kept', async () => {
    expect(await readConfigFile(fixture('claude-code.mcp.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      entries: [
        { name: 'stripe', transport: 'streamable-http', url: 'https://mcp.stripe.com', headers: { Authorization: 'Bearer ${STRIPE_SECRET_KEY}' } },
        { name: 'asana', transport: 'sse', url: 'https://mcp.asana.com/sse', headers: {} },
        { name: 'airtable', transport: 'stdio', command: 'npx', args: ['-y', 'airtable-mcp-server'], env: { AIRTABLE_API_KEY: '${AIRTABLE_API_KEY:-none}' } },
        { name: 'dashed', transport: 'streamable-http', url: 'http://127.0.0.1:3000/mcp', headers: {} },
      ],
      problems: [],
      detection: GENERIC_DETECTION,
      warnings: [],
      inputs: [],
    });
  });

  it('reads VS Code .vscode/mcp.json: comments, trailing commas, inputs, cwd, ${input:...} kept, envFile named', async () => {
    expect(await readConfigFile(fixture('vscode-mcp.json'))).toEqual<ConfigReadResult>({
      format: 'vscode-mcp',
      entries: [
        {
          name: 'perplexity',
          transport: 'stdio',
          command: 'npx',
          args: ['-y', 'server-perplexity-ask'],
          env: { PERPLEXITY_API_KEY: '${input:perplexity-key}' },
          // The definitions of the inputs it uses travel with the entry into the catalog.
          inputs: [{ type: 'promptString', id: 'perplexity-key', description: 'Perplexity API Key', password: true }],
          cwd: '${workspaceFolder}',
        },
        { name: 'fetch', transport: 'stdio', command: 'uvx', args: ['mcp-server-fetch'], env: {} },
        { name: 'github', transport: 'streamable-http', url: 'https://api.githubcopilot.com/mcp/', headers: { Authorization: 'Bearer ${input:github-token}' } },
        { name: 'legacy', transport: 'sse', url: 'http://localhost:3001/sse', headers: {} },
      ],
      problems: [],
      detection: 'Read as VS Code .vscode/mcp.json because the file has "servers".',
      warnings: [
        {
          server: 'fetch',
          message: 'server "fetch": its envFile "${workspaceFolder}/.env" was not imported (Patchbay does not read env files); add the variables it needs to env',
        },
      ],
      inputs: [{ id: 'perplexity-key', type: 'promptString', description: 'Perplexity API Key', password: true }],
    });
  });

  it('reads VS Code settings.json with "mcp": { "servers": ... }', async () => {
    expect(await readConfigFile(fixture('vscode-settings.json'))).toEqual<ConfigReadResult>({
      format: 'vscode-settings',
      entries: [{ name: 'memory', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: {} }],
      problems: [],
      detection: 'Read as VS Code settings.json because the file has "mcp.servers".',
      warnings: [],
      inputs: [],
    });
  });

  it('reads a file with a UTF-8 byte order mark, comments and trailing commas', async () => {
    expect(await readConfigFile(fixture('bom-comments-trailing-commas.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      entries: [{ name: 'time', transport: 'stdio', command: 'uvx', args: ['mcp-server-time'], env: {} }],
      problems: [],
      detection: GENERIC_DETECTION,
      warnings: [],
      inputs: [],
    });
  });

  it('reads a UTF-16 file with a byte order mark instead of calling it binary', async () => {
    expect(await readConfigFile(fixture('utf16le-with-bom.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      entries: [{ name: 'time', transport: 'stdio', command: 'uvx', args: [], env: {} }],
      problems: [],
      detection: GENERIC_DETECTION,
      warnings: [],
      inputs: [],
    });
  });
});

describe('readConfigFile, the other hosts', () => {
  it('reads Windsurf: serverUrl (or url) for remote servers, ${env:...} kept, disabled kept, Windsurf-only keys ignored', async () => {
    expect(await readConfigFile(fixture('windsurf-mcp_config.json'))).toEqual<ConfigReadResult>({
      format: 'windsurf',
      detection: 'Read as Windsurf because server "docs" uses "serverUrl".',
      entries: [
        {
          name: 'github',
          transport: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-github'],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${env:GITHUB_TOKEN}' },
        },
        { name: 'docs', transport: 'streamable-http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${env:DOCS_TOKEN}' } },
        { name: 'legacy-sse', transport: 'sse', url: 'https://mcp.example.com/sse', headers: {} },
        { name: 'plain-url', transport: 'streamable-http', url: 'http://localhost:4000/mcp', headers: {}, disabled: true },
      ],
      problems: [
        { server: 'two-urls', message: 'server "two-urls" has both "serverUrl" and "url" with different values; keep one' },
        { server: 'bad-server-url', message: 'server "bad-server-url": serverUrl must be an http:// or https:// URL' },
      ],
      warnings: [
        { server: 'docs', message: `server "docs": ${TYPELESS_URL}` },
        { server: 'plain-url', message: `server "plain-url": ${TYPELESS_URL}` },
      ],
      inputs: [],
    });
  });

  it('reads Cline: type streamableHttp, legacy transportType, a url without a type as SSE (as Cline does), disabled kept', async () => {
    expect(await readConfigFile(fixture('cline_mcp_settings.json'))).toEqual<ConfigReadResult>({
      format: 'cline',
      detection: 'Read as Cline because server "legacy-sse" uses Cline\'s "transportType".',
      entries: [
        { name: 'local-server', transport: 'stdio', command: 'node', args: ['/path/to/server.js'], env: { API_KEY: '${env:API_KEY}' }, disabled: false },
        { name: 'streamable', transport: 'streamable-http', url: 'https://mcp.example.com/mcp', headers: { 'X-Key': 'abc' } },
        { name: 'typeless-url', transport: 'sse', url: 'https://old.example.com/sse', headers: {} },
        { name: 'legacy-sse', transport: 'sse', url: 'http://localhost:3001/sse', headers: {}, disabled: true },
        { name: 'legacy-http', transport: 'streamable-http', url: 'http://localhost:3002/mcp', headers: {} },
        { name: 'legacy-stdio', transport: 'stdio', command: 'uvx', args: ['mcp-server-time'], env: {} },
      ],
      problems: [{ server: 'bad-type', message: `server "bad-type": type "websocket" is not a transport Patchbay knows (use one of ${KNOWN_TYPES})` }],
      warnings: [
        {
          server: 'typeless-url',
          message: 'server "typeless-url": no type is given, and Cline then connects over SSE, so it was imported as SSE; switch it to Streamable HTTP if the server speaks it',
        },
      ],
      inputs: [],
    });
  });

  it('reads Zed: command string or {path,args,env}, source "custom", url, enabled: false; extension servers are problems', async () => {
    expect(await readConfigFile(fixture('zed-settings.json'))).toEqual<ConfigReadResult>({
      format: 'zed',
      detection: 'Read as Zed settings.json because the file has "context_servers".',
      entries: [
        { name: 'everything', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'], env: {} },
        { name: 'custom-source', transport: 'stdio', command: 'uvx', args: ['mcp-server-git'], env: { GIT_TOKEN: '${GIT_TOKEN}' } },
        { name: 'nested-command', transport: 'stdio', command: '/usr/local/bin/my-server', args: ['run'], env: { LOG: 'debug' } },
        { name: 'remote', transport: 'streamable-http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer ${env:API_TOKEN}' } },
        { name: 'custom-remote', transport: 'streamable-http', url: 'https://api.you.com/mcp?profile=free', headers: {} },
        { name: 'turned-off', transport: 'stdio', command: 'node', args: ['server.js'], env: {}, disabled: true },
      ],
      problems: [
        {
          server: 'from-extension',
          message:
            'server "from-extension" is provided by a Zed extension (it only has "settings"), so the file does not say how to start it; add it in Patchbay with its command instead',
        },
        {
          server: 'extension-source',
          message:
            'server "extension-source" is provided by a Zed extension (it only has "settings"), so the file does not say how to start it; add it in Patchbay with its command instead',
        },
        { server: 'odd-source', message: 'server "odd-source": source "marketplace" is not one Zed writes (use "custom")' },
        { server: 'both', message: 'server "both" has both a command and a url; keep one' },
        { server: 'empty-path', message: 'server "empty-path": command.path must be a non-empty string' },
        { server: 'bad-enabled', message: 'server "bad-enabled": enabled must be true or false' },
        { server: 'bad-args', message: 'server "bad-args": args must be an array of strings' },
        { server: 'nothing', message: 'server "nothing" has neither a command nor a url' },
      ],
      warnings: [
        { server: 'remote', message: `server "remote": ${TYPELESS_URL}` },
        { server: 'custom-remote', message: `server "custom-remote": ${TYPELESS_URL}` },
      ],
      inputs: [],
    });
  });

  it('reads VS Code settings.json inputs, reporting bad ones, and keeps a placeholder in the url\'s host as written', async () => {
    expect(await readConfigFile(fixture('vscode-settings-inputs.json'))).toEqual<ConfigReadResult>({
      format: 'vscode-settings',
      detection: 'Read as VS Code settings.json because the file has "mcp.servers".',
      entries: [
        { name: 'regional', transport: 'streamable-http', url: 'https://api.example.com/${input:region}/mcp', headers: { 'X-Api-Key': '${input:api-key}' }, inputs: [{ type: 'pickString', id: 'region', description: 'Region', options: ['eu', 'us'], default: 'eu' }, { type: 'promptString', id: 'api-key', description: 'API key', password: true }] },
        { name: 'placeholder-host', transport: 'sse', url: 'https://${input:region}.example.com/sse', headers: {}, inputs: [{ type: 'pickString', id: 'region', description: 'Region', options: ['eu', 'us'], default: 'eu' }] },
        { name: 'undefined-input', transport: 'stdio', command: 'node', args: ['server.js', '--token', '${input:token}'], env: {} },
      ],
      problems: [],
      warnings: [
        { message: '"mcp.inputs" item 3 must be an object, not a string; it was not read' },
        { message: '"mcp.inputs" item 4 has no "id"; it was not read' },
        { message: '"mcp.inputs" item 5: the input id "api-key" is used twice; the first one is kept' },
      ],
      inputs: [
        { id: 'api-key', type: 'promptString', description: 'API key', password: true },
        { id: 'region', type: 'pickString', description: 'Region', password: false, defaultValue: 'eu', options: ['eu', 'us'] },
      ],
    });
  });

  it('reads Claude Code ~/.claude.json top-level servers and each project\'s, named with the project', async () => {
    expect(await readConfigFile(fixture('claude-code-user.claude.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      detection: GENERIC_DETECTION,
      entries: [
        { name: 'sentry', transport: 'streamable-http', url: 'https://mcp.sentry.dev/mcp', headers: {} },
        { name: 'db (app)', transport: 'stdio', command: 'npx', args: ['-y', 'db-mcp'], env: {} },
      ],
      problems: [],
      warnings: [],
      inputs: [],
      groups: { sentry: 'User scope (top-level "mcpServers", every project)', 'db (app)': 'Project /home/me/app (local scope)' },
    });
  });

  it('reports "inputs" that is not an array without losing the servers', () => {
    const result = parseConfigText('{ "servers": { "a": { "command": "x" } }, "inputs": { "id": "k" } }', 'mcp.json');
    expect(result.entries).toEqual([{ name: 'a', transport: 'stdio', command: 'x', args: [], env: {} }]);
    expect(result.warnings).toEqual([{ message: '"inputs" must be an array of inputs, not an object; it was not read' }]);
  });
});

describe('telling the "mcpServers" dialects apart', () => {
  const read = (text: string, file: string) => {
    const { format, detection } = parseConfigText(text, file);
    return { format, detection };
  };

  it('uses the file name only when the servers look the same for every host', () => {
    const plain = '{ "mcpServers": { "a": { "command": "npx" } } }';
    expect(read(plain, '/home/me/.codeium/windsurf/mcp_config.json')).toEqual({ format: 'windsurf', detection: 'Read as Windsurf because the file is named mcp_config.json.' });
    expect(read(plain, 'C:\\Users\\me\\cline_mcp_settings.json')).toEqual({ format: 'cline', detection: 'Read as Cline because the file is named cline_mcp_settings.json.' });
    expect(read(plain, 'claude_desktop_config.json')).toEqual({ format: 'mcp-servers', detection: GENERIC_DETECTION });
  });

  it('lets a setting only one host writes win over the file name', () => {
    const windsurf = '{ "mcpServers": { "a": { "serverUrl": "https://x.example/mcp" } } }';
    expect(read(windsurf, 'cline_mcp_settings.json')).toEqual({ format: 'windsurf', detection: 'Read as Windsurf because server "a" uses "serverUrl".' });
    const cline = '{ "mcpServers": { "a": { "type": "streamableHttp", "url": "https://x.example/mcp" } } }';
    expect(read(cline, 'mcp.json')).toEqual({ format: 'cline', detection: 'Read as Cline because server "a" uses Cline\'s type "streamableHttp".' });
  });

  it('reads a url without a type as SSE only in a Cline file', () => {
    const text = '{ "mcpServers": { "a": { "url": "https://x.example/sse" } } }';
    expect(parseConfigText(text, 'cline_mcp_settings.json').entries[0]?.transport).toBe('sse');
    expect(parseConfigText(text, 'mcp.json').entries[0]?.transport).toBe('streamable-http');
  });
});

describe('readConfigFile, bad entries', () => {
  it('keeps the good entries and names what is wrong with each bad one', async () => {
    const result = await readConfigFile(fixture('mixed-entries.json'));
    expect(result.format).toBe('mcp-servers');
    expect(result.entries).toEqual([
      { name: 'good', transport: 'stdio', command: 'node', args: ['server.js'], env: {} },
      { name: 'good-remote', transport: 'streamable-http', url: 'http://localhost:8080/mcp', headers: {}, disabled: false },
    ]);
    const known = KNOWN_TYPES;
    expect(result.problems).toEqual([
      { server: 'no-launch', message: 'server "no-launch" has neither a command nor a url' },
      { server: 'bad-args', message: 'server "bad-args": args must be an array of strings' },
      { server: 'bad-arg-item', message: 'server "bad-arg-item": args must be an array of strings (item 2 is a number)' },
      { server: 'bad-env', message: 'server "bad-env": env must be an object of string values ("PORT" is an array)' },
      { server: 'bad-headers', message: 'server "bad-headers": headers must be an object of string values' },
      { server: 'ftp', message: 'server "ftp": url must be an http:// or https:// URL' },
      { server: 'websocket', message: `server "websocket": type "websocket" is not a transport Patchbay knows (use one of ${known})` },
      { server: 'numeric-type', message: `server "numeric-type": type must be a string, one of ${known}` },
      { server: 'stdio-without-command', message: 'server "stdio-without-command": type "stdio" needs a command' },
      { server: 'http-without-url', message: 'server "http-without-url": type "http" needs a url' },
      { server: 'both', message: 'server "both" has both a command and a url; add "type" to say which one to use' },
      { server: 'not-an-object', message: 'server "not-an-object" must be an object with a command or a url, not a string' },
      { server: 'bad-disabled', message: 'server "bad-disabled": disabled must be true or false' },
      { server: 'empty-command', message: 'server "empty-command": command must be a non-empty string' },
      { server: 'two-problems', message: 'server "two-problems": command must be a non-empty string; cwd must be a non-empty string' },
      { server: '  ', message: 'server "  ": a server needs a name' },
    ]);
  });

  it('reports a second server whose trimmed name is already taken', () => {
    const result = parseConfigText('{ "mcpServers": { "x": { "command": "a" }, " x ": { "command": "b" } } }', 'mcp.json');
    expect(result.entries).toEqual([{ name: 'x', transport: 'stdio', command: 'a', args: [], env: {} }]);
    expect(result.problems).toEqual([{ server: ' x ', message: 'server " x ": the name "x" is already used by another server' }]);
  });

  it('accepts an empty servers object', () => {
    expect(parseConfigText('{ "servers": {} }', 'mcp.json')).toEqual<ConfigReadResult>({
      format: 'vscode-mcp',
      detection: 'Read as VS Code .vscode/mcp.json because the file has "servers".',
      entries: [],
      problems: [],
      warnings: [],
      inputs: [],
    });
  });
});

describe('readConfigFile, whole-file errors name the file', () => {
  it('a syntax error gives its line and column', async () => {
    const path = fixture('bad-syntax.json');
    const error = await readError(path);
    expect(error.message).toBe(`${path}:4:5: invalid JSON: comma expected`);
    expect({ file: error.file, line: error.line, column: error.column }).toEqual({ file: path, line: 4, column: 5 });
  });

  it.each([
    ['empty.json', 'the file is empty; expected a JSON object with MCP servers'],
    ['binary.json', 'the file is binary (it contains NUL bytes), not a JSON config'],
    ['top-level-array.json', 'the top level must be a JSON object, not an array'],
    [
      'no-servers.json',
      'no MCP servers found: expected "mcpServers" (Claude Desktop, Cursor, Claude Code, Windsurf, Cline), or "servers" (VS Code .vscode/mcp.json), or "mcp.servers" (VS Code settings.json), or "context_servers" (Zed settings.json)',
    ],
    ['zed-servers-not-object.json', '"context_servers" must be an object mapping server names to their settings, not an array'],
    ['mcp-and-zed-keys.json', 'the file has both "mcpServers" and "context_servers"; keep the servers under one of them'],
    [
      'mixed-dialects.json',
      'the servers mix settings of Windsurf (server "windsurf-style" uses "serverUrl") and Cline (server "cline-style" uses Cline\'s "transportType"); keep one host\'s settings per file',
    ],
    // A list under "mcpServers" is Continue's shape (read-yaml-config.test.ts), so the wrong shape here is a string.
    ['servers-not-object.json', '"mcpServers" must be an object mapping server names to their settings, not a string'],
    ['both-keys.json', 'the file has both "mcpServers" and "servers"; keep the servers under one of them'],
  ])('%s', async (name, reason) => {
    const path = fixture(name);
    const error = await readError(path);
    expect(error.message).toBe(`${path}: ${reason}`);
    expect({ file: error.file, reason: error.reason, line: error.line, column: error.column }).toEqual({ file: path, reason, line: undefined, column: undefined });
  });
});

describe('readConfigFile, files it cannot read', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('a missing file', async () => {
    directory = await mkdtemp(join(tmpdir(), 'patchbay-config-'));
    const path = join(directory, 'missing.json');
    expect((await readError(path)).message).toBe(`${path}: cannot read the file: it does not exist`);
  });

  it('a directory', async () => {
    directory = await mkdtemp(join(tmpdir(), 'patchbay-config-'));
    expect((await readError(directory)).message).toBe(`${directory}: this is a directory, not a config file`);
  });

  it('a file written at test time, read like any other', async () => {
    directory = await mkdtemp(join(tmpdir(), 'patchbay-config-'));
    const path = join(directory, 'mcp.json');
    await writeFile(path, '{ "mcpServers": { "a": { "url": "https://example.com/mcp" } } }');
    expect((await readConfigFile(path)).entries).toEqual([{ name: 'a', transport: 'streamable-http', url: 'https://example.com/mcp', headers: {} }]);
  });
});
