import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error';
import { parseConfigText, readConfigFile, type ConfigReadResult } from './read-config';

const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);

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
    });
  });

  it('reads Claude Code: type stdio/http/sse and the streamable-http spellings', async () => {
    expect(await readConfigFile(fixture('claude-code.mcp.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      entries: [
        { name: 'stripe', transport: 'streamable-http', url: 'https://mcp.stripe.com', headers: { Authorization: 'Bearer ${STRIPE_SECRET_KEY}' } },
        { name: 'asana', transport: 'sse', url: 'https://mcp.asana.com/sse', headers: {} },
        { name: 'airtable', transport: 'stdio', command: 'npx', args: ['-y', 'airtable-mcp-server'], env: { AIRTABLE_API_KEY: '${AIRTABLE_API_KEY:-none}' } },
        { name: 'dashed', transport: 'streamable-http', url: 'http://127.0.0.1:3000/mcp', headers: {} },
        { name: 'camel', transport: 'streamable-http', url: 'http://127.0.0.1:3001/mcp', headers: {} },
      ],
      problems: [],
    });
  });

  it('reads VS Code .vscode/mcp.json: comments, trailing commas, inputs, cwd and ${input:...} kept', async () => {
    expect(await readConfigFile(fixture('vscode-mcp.json'))).toEqual<ConfigReadResult>({
      format: 'vscode-mcp',
      entries: [
        {
          name: 'perplexity',
          transport: 'stdio',
          command: 'npx',
          args: ['-y', 'server-perplexity-ask'],
          env: { PERPLEXITY_API_KEY: '${input:perplexity-key}' },
          cwd: '${workspaceFolder}',
        },
        { name: 'fetch', transport: 'stdio', command: 'uvx', args: ['mcp-server-fetch'], env: {} },
        { name: 'github', transport: 'streamable-http', url: 'https://api.githubcopilot.com/mcp/', headers: { Authorization: 'Bearer ${input:github-token}' } },
        { name: 'legacy', transport: 'sse', url: 'http://localhost:3001/sse', headers: {} },
      ],
      problems: [],
    });
  });

  it('reads VS Code settings.json with "mcp": { "servers": ... }', async () => {
    expect(await readConfigFile(fixture('vscode-settings.json'))).toEqual<ConfigReadResult>({
      format: 'vscode-settings',
      entries: [{ name: 'memory', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: {} }],
      problems: [],
    });
  });

  it('reads a file with a UTF-8 byte order mark, comments and trailing commas', async () => {
    expect(await readConfigFile(fixture('bom-comments-trailing-commas.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      entries: [{ name: 'time', transport: 'stdio', command: 'uvx', args: ['mcp-server-time'], env: {} }],
      problems: [],
    });
  });

  it('reads a UTF-16 file with a byte order mark instead of calling it binary', async () => {
    expect(await readConfigFile(fixture('utf16le-with-bom.json'))).toEqual<ConfigReadResult>({
      format: 'mcp-servers',
      entries: [{ name: 'time', transport: 'stdio', command: 'uvx', args: [], env: {} }],
      problems: [],
    });
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
    const known = '"stdio", "http", "streamable-http", "streamableHttp", "sse"';
    expect(result.problems).toEqual([
      { server: 'no-launch', message: 'server "no-launch" has neither a command nor a url' },
      { server: 'bad-args', message: 'server "bad-args": args must be an array of strings' },
      { server: 'bad-arg-item', message: 'server "bad-arg-item": args must be an array of strings (item 2 is a number)' },
      { server: 'bad-env', message: 'server "bad-env": env must be an object of string values ("PORT" is a number)' },
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
    expect(parseConfigText('{ "servers": {} }', 'mcp.json')).toEqual({ format: 'vscode-mcp', entries: [], problems: [] });
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
      'no MCP servers found: expected "mcpServers" (Claude Desktop, Cursor, Claude Code), or "servers" (VS Code .vscode/mcp.json), or "mcp.servers" (VS Code settings.json)',
    ],
    ['servers-not-object.json', '"mcpServers" must be an object mapping server names to their settings, not an array'],
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
