import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file-error';
import { parseConfigBytes, parseConfigText, readConfigFile, type ConfigReadResult } from './read-config';

const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);

const CONTINUE_DETECTION = 'Read as Continue because the file has "mcpServers" as a list.';
const GOOSE_DETECTION = 'Read as Goose because the file has "extensions".';
const TYPELESS_URL = 'no type is given, so it was imported as Streamable HTTP; a server that only answers old-style SSE will need the SSE fallback';
const continueSecret = (server: string, name: string): string =>
  `server "${server}": the Continue secret ${name} was imported as \${env:${name}}, to be filled from the environment, since Patchbay does not read Continue's secrets (its hub or .env files)`;
const gooseKeyring = (server: string, name: string): string =>
  `server "${server}": Goose keeps the value of ${name} (env_keys) in its keyring or secrets.yaml, which Patchbay does not read, so it was imported as \${env:${name}}, to be filled from the environment`;
const insideGoose = (server: string, why: string): string => `server "${server}" ${why}, so there is no MCP server for Patchbay to start; it was skipped`;

/** Reads expecting a whole-file error, and returns it. */
async function readError(path: string): Promise<ConfigFileError> {
  const error: unknown = await readConfigFile(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigFileError);
  return error as ConfigFileError;
}

function textError(text: string, file: string): ConfigFileError {
  try {
    parseConfigText(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigFileError);
    return error as ConfigFileError;
  }
  throw new Error('expected a ConfigFileError');
}

describe('readConfigFile, Continue config.yaml', () => {
  it('reads the servers list beside models, ${{ secrets.X }} as ${env:X}, apiKey as a bearer header, anchors and merge keys', async () => {
    expect(await readConfigFile(fixture('continue-config.yaml'))).toEqual<ConfigReadResult>({
      format: 'continue',
      detection: CONTINUE_DETECTION,
      entries: [
        { name: 'SQLite MCP', transport: 'stdio', command: 'npx', args: ['-y', 'mcp-sqlite', '/path/to/your/database.db'], env: {} },
        {
          name: 'Supabase MCP',
          transport: 'stdio',
          command: 'npx',
          args: ['-y', '@supabase/mcp-server-supabase@latest', '--access-token', '${env:SUPABASE_TOKEN}'],
          env: { SUPABASE_TOKEN: '${env:SUPABASE_TOKEN}' },
          cwd: '/home/me/project',
        },
        { name: 'Docs', transport: 'streamable-http', url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'platform', Authorization: 'Bearer ${env:DOCS_KEY}' } },
        { name: 'Legacy events', transport: 'sse', url: 'http://localhost:3001/sse', headers: {} },
        { name: 'Typeless remote', transport: 'streamable-http', url: 'https://api.example.com/mcp', headers: {} },
        { name: 'Merged defaults', transport: 'stdio', command: 'npx', args: ['server.js'], env: {} },
      ],
      problems: [
        {
          server: 'anthropic/github-mcp',
          message:
            'server "anthropic/github-mcp" is a block from the Continue Hub ("uses"), so the file does not say how to start it; add it in Patchbay with its command or url instead',
        },
        { server: 'item 8', message: 'mcpServers item 8 has no name; Continue needs one for every server' },
        {
          server: 'Hub input',
          message:
            'server "Hub input": ${{ inputs.region }} is a Continue template Patchbay cannot fill in (only ${{ secrets.NAME }} is read); write the value, or an ${env:NAME} placeholder, instead',
        },
        {
          server: 'Websocket',
          message: 'server "Websocket": type "websocket" is not a transport Patchbay knows (use one of "stdio", "http", "streamable-http", "streamableHttp", "sse")',
        },
        { server: 'Port as number', message: 'server "Port as number": env must be an object of string values ("PORT" is a number)' },
        { server: 'item 12', message: 'mcpServers item 12 must be an object with a name and a command or a url, not a string' },
      ],
      warnings: [
        { server: 'Supabase MCP', message: continueSecret('Supabase MCP', 'SUPABASE_TOKEN') },
        { server: 'Docs', message: continueSecret('Docs', 'DOCS_KEY') },
        { server: 'Typeless remote', message: `server "Typeless remote": ${TYPELESS_URL}` },
      ],
      inputs: [],
    });
  });

  it('reads a block file from .continue/mcpServers/', async () => {
    expect(await readConfigFile(fixture('continue-block-playwright.yaml'))).toEqual<ConfigReadResult>({
      format: 'continue',
      detection: CONTINUE_DETECTION,
      entries: [{ name: 'Browser search', transport: 'stdio', command: 'npx', args: ['@playwright/mcp@latest'], env: {} }],
      problems: [],
      warnings: [],
      inputs: [],
    });
  });

  it('names every secret once, keeps an Authorization header without apiKey, and reports bad request options', () => {
    const text = [
      'mcpServers:',
      '  - name: two-secrets',
      '    command: node',
      '    args: ["${{ secrets.B }}", "${{ secrets.A }}/${{ secrets.B }}"]',
      '  - name: header-only',
      '    url: https://x.example/mcp',
      '    type: streamable-http',
      '    requestOptions: { headers: { Authorization: "Bearer ${{ secrets.TOKEN }}" } }',
      '  - name: bad-options',
      '    url: https://x.example/mcp',
      '    requestOptions: [1]',
      '  - name: bad-headers',
      '    url: https://x.example/mcp',
      '    requestOptions: { headers: { X-Port: 1 } }',
      '  - name: bad-api-key',
      '    url: https://x.example/mcp',
      '    apiKey: 42',
      '  - name: 7',
      '    command: node',
      '  - name: secret-host',
      '    url: https://${{ secrets.HOST }}/mcp',
    ].join('\n');
    const result = parseConfigText(text, 'config.yml');
    expect(result.entries).toEqual([
      { name: 'two-secrets', transport: 'stdio', command: 'node', args: ['${env:B}', '${env:A}/${env:B}'], env: {} },
      { name: 'header-only', transport: 'streamable-http', url: 'https://x.example/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } },
      { name: 'secret-host', transport: 'streamable-http', url: 'https://${env:HOST}/mcp', headers: {} },
    ]);
    expect(result.warnings).toEqual([
      {
        server: 'two-secrets',
        message:
          "server \"two-secrets\": the Continue secrets B and A were imported as ${env:B} and ${env:A}, to be filled from the environment, since Patchbay does not read Continue's secrets (its hub or .env files)",
      },
      { server: 'header-only', message: continueSecret('header-only', 'TOKEN') },
      { server: 'secret-host', message: `server "secret-host": ${TYPELESS_URL}` },
      { server: 'secret-host', message: continueSecret('secret-host', 'HOST') },
    ]);
    expect(result.problems).toEqual([
      { server: 'bad-options', message: 'server "bad-options": requestOptions must be an object, not an array' },
      { server: 'bad-headers', message: 'server "bad-headers": requestOptions.headers must be an object of string values' },
      { server: 'bad-api-key', message: 'server "bad-api-key": apiKey must be a string, not a number' },
      { server: 'item 6', message: 'mcpServers item 6: name must be a string, not a number' },
    ]);
  });

  it('reports two servers with one name, as for any format', () => {
    const result = parseConfigText('mcpServers:\n  - { name: x, command: a }\n  - { name: " x ", command: b }\n', 'config.yaml');
    expect(result.entries).toEqual([{ name: 'x', transport: 'stdio', command: 'a', args: [], env: {} }]);
    expect(result.problems).toEqual([{ server: ' x ', message: 'server " x ": the name "x" is already used by another server' }]);
  });
});

describe('readConfigFile, Goose config.yaml', () => {
  it('reads stdio, streamable_http and sse extensions, enabled: false as disabled, env_keys as ${env:X}; built-in ones are skipped', async () => {
    expect(await readConfigFile(fixture('goose-config.yaml'))).toEqual<ConfigReadResult>({
      format: 'goose',
      detection: GOOSE_DETECTION,
      entries: [
        { name: 'filesystem', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: {} },
        {
          name: 'github',
          transport: 'stdio',
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-github'],
          env: { LOG_LEVEL: 'debug', GITHUB_PERSONAL_ACCESS_TOKEN: '${env:GITHUB_PERSONAL_ACCESS_TOKEN}' },
          disabled: true,
        },
        {
          name: 'remote-tools',
          transport: 'streamable-http',
          url: 'https://example.com/mcp',
          headers: { Authorization: 'Bearer abc123', 'X-Org': '${env:ORG_ID}', 'X-Region': '${REGION}' },
        },
        { name: 'old-sse', transport: 'sse', url: 'http://localhost:8080/sse', headers: {} },
      ],
      problems: [
        { server: 'developer', message: insideGoose('developer', 'is built into Goose (type "builtin") and runs inside it') },
        { server: 'computercontroller', message: insideGoose('computercontroller', 'is part of Goose itself (type "platform") and runs inside it') },
        { server: 'inline', message: insideGoose('inline', 'is Python code that Goose runs itself (type "inline_python")') },
        { server: 'socket-http', message: 'server "socket-http" connects through the Unix socket "@egress.sock" ("socket"), which Patchbay cannot do; it was skipped' },
        { server: 'no-type', message: 'server "no-type" has no type (Goose writes one of "stdio", "streamable_http", "sse", "builtin", "platform")' },
        { server: 'odd-type', message: 'server "odd-type": type "websocket" is not an extension type Patchbay can import (use "stdio", "streamable_http" or "sse")' },
        { server: 'bad-enabled', message: 'server "bad-enabled": enabled must be true or false' },
        { server: 'bad-envs', message: 'server "bad-envs": envs must be an object of string values ("PORT" is a number)' },
      ],
      warnings: [
        { server: 'github', message: gooseKeyring('github', 'GITHUB_PERSONAL_ACCESS_TOKEN') },
        { server: 'remote-tools', message: gooseKeyring('remote-tools', 'ORG_ID') },
      ],
      inputs: [],
    });
  });

  it('skips a builtin extension with the reason', async () => {
    expect(await readConfigFile(fixture('goose-builtin.yaml'))).toEqual<ConfigReadResult>({
      format: 'goose',
      detection: GOOSE_DETECTION,
      entries: [],
      problems: [{ server: 'developer', message: insideGoose('developer', 'is built into Goose (type "builtin") and runs inside it') }],
      warnings: [],
      inputs: [],
    });
  });

  it('reports a stdio extension without a cmd', async () => {
    expect(await readConfigFile(fixture('goose-missing-cmd.yaml'))).toEqual<ConfigReadResult>({
      format: 'goose',
      detection: GOOSE_DETECTION,
      entries: [],
      problems: [{ server: 'filesystem', message: 'server "filesystem": type "stdio" needs a cmd' }],
      warnings: [],
      inputs: [],
    });
  });

  it('takes url for uri, reports bad uri, env_keys and settings, and leaves unknown $NAME as written', () => {
    const text = [
      'extensions:',
      '  by-url: { type: streamable_http, url: "https://x.example/mcp?key=$UNKNOWN", headers: { X-A: "$NOPE ${ALSO}" } }',
      '  both: { type: streamable_http, uri: "https://a.example/mcp", url: "https://b.example/mcp" }',
      '  no-uri: { type: sse }',
      '  bad-uri: { type: sse, uri: "ftp://x.example" }',
      '  bad-keys: { type: stdio, cmd: node, env_keys: TOKEN }',
      '  keys-in-envs: { type: stdio, cmd: node, args: [a], envs: { TOKEN: t }, env_keys: [TOKEN, OTHER, OTHER] }',
      '  not-an-object: npx',
      '  empty-args: { type: stdio, cmd: node, args: , envs: }',
    ].join('\n');
    const result = parseConfigText(text, 'config.yaml');
    expect(result.entries).toEqual([
      { name: 'by-url', transport: 'streamable-http', url: 'https://x.example/mcp?key=$UNKNOWN', headers: { 'X-A': '$NOPE ${ALSO}' } },
      { name: 'keys-in-envs', transport: 'stdio', command: 'node', args: ['a'], env: { TOKEN: 't', OTHER: '${env:OTHER}' } },
      { name: 'empty-args', transport: 'stdio', command: 'node', args: [], env: {} },
    ]);
    expect(result.warnings).toEqual([{ server: 'keys-in-envs', message: gooseKeyring('keys-in-envs', 'OTHER') }]);
    expect(result.problems).toEqual([
      { server: 'both', message: 'server "both" has both "uri" and "url" with different values; keep one' },
      { server: 'no-uri', message: 'server "no-uri": type "sse" needs a uri' },
      { server: 'bad-uri', message: 'server "bad-uri": uri must be an http:// or https:// URL' },
      { server: 'bad-keys', message: 'server "bad-keys": env_keys must be a list of variable names' },
      { server: 'not-an-object', message: 'server "not-an-object" must be an object with a type, not a string' },
    ]);
  });
});

describe('choosing JSON or YAML', () => {
  const continueText = 'mcpServers:\n  - name: a\n    command: npx\n';

  it('reads .yaml and .yml as YAML, and any other extension as JSON', () => {
    expect(parseConfigText(continueText, 'config.yml').format).toBe('continue');
    expect(parseConfigText(continueText, 'C:\\Users\\me\\.continue\\config.YAML').format).toBe('continue');
    expect(textError(continueText, 'config.json').message).toBe('config.json:1:1: invalid JSON: invalid symbol');
  });

  it('tries JSON first, then YAML, for a name without an extension', () => {
    expect(parseConfigText('{ "mcpServers": { "a": { "command": "npx" } } }', 'pasted').format).toBe('mcp-servers');
    expect(parseConfigText(continueText, 'pasted').entries).toEqual([{ name: 'a', transport: 'stdio', command: 'npx', args: [], env: {} }]);
    // YAML's flow style reads what JSON does not: unquoted keys.
    expect(parseConfigText('{ extensions: { a: { type: stdio, cmd: npx } } }', '.mcprc').format).toBe('goose');
  });

  it('reports the error of the syntax the text looks like when neither reads it', () => {
    expect(textError('{ "mcpServers": { "a": 1 ', 'pasted').message).toBe('pasted:1:26: invalid JSON: close brace expected');
    expect(textError('mcpServers:\n  - name: a\n   command: x\n', 'pasted').message).toBe('pasted:3:1: invalid YAML: sequence item without - indicator');
    expect(textError(' \n', 'pasted').message).toBe('pasted: the file is empty; expected JSON or YAML with MCP servers');
    expect(textError('a\u0000', 'pasted').message).toBe('pasted: the file is binary (it contains NUL bytes), not a JSON or YAML config');
    expect(() => parseConfigBytes(Uint8Array.from([0x61, 0x00]), 'pasted')).toThrow('pasted: the file is binary (it contains NUL bytes), not a JSON or YAML config');
  });

  it('detects by shape, not syntax: a list under "mcpServers" is Continue in JSON too, and a map is Claude Desktop in YAML too', () => {
    const list = parseConfigText('{ "mcpServers": [{ "name": "a", "command": "npx" }, "b"] }', 'mcp.json');
    expect([list.format, list.entries, list.problems]).toEqual([
      'continue',
      [{ name: 'a', transport: 'stdio', command: 'npx', args: [], env: {} }],
      [{ server: 'item 2', message: 'mcpServers item 2 must be an object with a name and a command or a url, not a string' }],
    ]);
    const map = parseConfigText('mcpServers:\n  a:\n    command: npx\n', 'servers.yaml');
    expect([map.format, map.entries]).toEqual(['mcp-servers', [{ name: 'a', transport: 'stdio', command: 'npx', args: [], env: {} }]]);
  });
});

describe('readConfigFile, bad YAML files', () => {
  it.each([
    ['bad-syntax.yaml', 7, 1, 'invalid YAML: sequence item without - indicator'],
    ['duplicate-key.yaml', 5, 5, 'invalid YAML: map keys must be unique'],
    ['two-documents.yaml', 2, 1, 'invalid YAML: the file holds more than one document (a second "---"); keep one'],
  ])('%s gives its line and column', async (name, line, column, reason) => {
    const path = fixture(name);
    const error = await readError(path);
    expect(error.message).toBe(`${path}:${line}:${column}: ${reason}`);
    expect({ file: error.file, reason: error.reason, line: error.line, column: error.column }).toEqual({ file: path, reason, line, column });
  });

  it.each([
    ['top-level-list.yaml', 'the top level must be a YAML mapping (key: value), not a list'],
    ['empty.yaml', 'the file is empty; expected a YAML mapping with MCP servers'],
    ['comments-only.yaml', 'the file holds only comments; expected a YAML mapping with MCP servers'],
    ['binary.yaml', 'the file is binary (it contains NUL bytes), not a YAML config'],
    ['no-servers.yaml', 'no MCP servers found: expected "mcpServers" as a list (Continue), or "extensions" (Goose)'],
    ['goose-extensions-not-object.yaml', '"extensions" must be an object mapping server names to their settings, not an array'],
  ])('%s', async (name, reason) => {
    const path = fixture(name);
    const error = await readError(path);
    expect(error.message).toBe(`${path}: ${reason}`);
    expect({ file: error.file, reason: error.reason, line: error.line, column: error.column }).toEqual({ file: path, reason, line: undefined, column: undefined });
  });
});
