// Entries that the host itself starts, read as the host reads them. Each fixture is shaped as the host's own
// documentation writes it; the test names which page.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { planImport } from '../importer/plan-import';
import { shortProjectNames } from './formats/claude-code-projects';
import { ConfigFileError } from './config-file-error';
import { findPlaceholders } from './placeholders';
import { exportCatalog } from './export-config';
import { parseConfigText, readConfigFile, type ConfigReadResult } from './read-config';

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

describe('env values that are not strings', () => {
  const label = 'server "local-api"';
  const coerced = (key: string, kind: string, value: string) =>
    `${label}: env ${key} is the ${kind} ${value} in the file; it was imported as the string "${value}", which is what the host passes to the server`;
  const removed = `${label}: env HTTP_PROXY is null, which VS Code reads as "remove this variable"; a catalog entry cannot remove an inherited variable, so it was left out`;

  // VS Code's MCP configuration docs (.vscode/mcp.json, "servers" with type stdio) and its own type for env,
  // Record<string, string | number | null> (IMcpStdioServerConfiguration, src/vs/platform/mcp/common/mcpPlatformTypes.ts).
  it('imports numbers and booleans as their text (VS Code .vscode/mcp.json), with a warning per key, and leaves null out', async () => {
    const result = await readConfigFile(fixture('vscode-env-values.mcp.json'));
    expect(result.entries).toEqual([
      { name: 'local-api', transport: 'stdio', command: 'node', args: ['server.js'], env: { PORT: '3000', DEBUG: 'true', RATIO: '0.5', API_KEY: '${input:api-key}' } },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([
      { server: 'local-api', message: coerced('PORT', 'number', '3000') },
      { server: 'local-api', message: coerced('DEBUG', 'boolean', 'true') },
      { server: 'local-api', message: coerced('RATIO', 'number', '0.5') },
      { server: 'local-api', message: removed },
    ]);
  });

  it('shows each coerced value as a warning line of its entry in the import preview', () => {
    const plan = planImport([{ path: '.vscode/mcp.json', bytes: readFileSync(fixture('vscode-env-values.mcp.json')) }], []);
    expect(plan.entries.map((entry) => [entry.name, entry.warnings])).toEqual([
      ['local-api', [coerced('PORT', 'number', '3000'), coerced('DEBUG', 'boolean', 'true'), coerced('RATIO', 'number', '0.5'), removed]],
    ]);
  });

  // Claude Desktop's "Connect to local MCP servers" guide: "mcpServers" with command/args/env.
  it('does the same in a Claude Desktop file, and still reports an env value that is an object', () => {
    const text = JSON.stringify({ mcpServers: { db: { command: 'npx', args: ['-y', 'db-mcp'], env: { PORT: 5432 } }, bad: { command: 'x', env: { NESTED: { a: 1 } } } } });
    const result = parseConfigText(text, 'claude_desktop_config.json');
    expect(result.entries).toEqual([{ name: 'db', transport: 'stdio', command: 'npx', args: ['-y', 'db-mcp'], env: { PORT: '5432' } }]);
    expect(result.problems).toEqual([{ server: 'bad', message: 'server "bad": env must be an object of string values ("NESTED" is an object)' }]);
  });
});

describe("Claude Code's ~/.claude.json: user scope and every project's local scope", () => {
  // Claude Code docs, "MCP" page, "MCP installation scopes": local-scoped servers are stored in ~/.claude.json
  // under the project's path (projects["/path"].mcpServers), user-scoped ones in its top-level "mcpServers".
  // The other keys (numStartups, allowedTools, history, enabledMcpjsonServers, ...) are what Claude Code writes there.
  it('offers each project\'s servers named with the project, grouped by scope, two projects\' "postgres" apart', async () => {
    const result = await readConfigFile(fixture('claude-code-scopes.claude.json'));
    const user = 'User scope (top-level "mcpServers", every project)';
    expect(result.entries.map((entry) => entry.name)).toEqual(['sentry', 'postgres (my-app)', 'github (my-app)', 'postgres (billing)', 'docs (work/api)', 'docs (play/api)']);
    expect(result.entries[1]).toEqual({
      name: 'postgres (my-app)',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/my_app'],
      env: {},
    });
    expect(result.groups).toEqual({
      sentry: user,
      'postgres (my-app)': 'Project /Users/me/code/my-app (local scope)',
      'github (my-app)': 'Project /Users/me/code/my-app (local scope)',
      'postgres (billing)': 'Project /Users/me/code/billing (local scope)',
      'docs (work/api)': 'Project /Users/me/work/api (local scope)',
      'docs (play/api)': 'Project /Users/me/play/api (local scope)',
    });
    expect(result.problems).toEqual([{ server: 'broken (billing)', message: 'server "broken (billing)": type "stdio" needs a command' }]);
    expect(result.warnings).toEqual([]);
  });

  it('reads a ~/.claude.json that has servers only per project', () => {
    const text = JSON.stringify({ numStartups: 3, projects: { 'C:/Users/me/site': { allowedTools: [], mcpServers: { fs: { command: 'npx', args: ['-y', 'server-fs'] } } } } });
    const result = parseConfigText(text, '.claude.json');
    expect(result.entries).toEqual([{ name: 'fs (site)', transport: 'stdio', command: 'npx', args: ['-y', 'server-fs'], env: {} }]);
    expect(result.groups).toEqual({ 'fs (site)': 'Project C:/Users/me/site (local scope)' });
  });

  it('groups the import preview by project', () => {
    const plan = planImport([{ path: '/Users/me/.claude.json', bytes: readFileSync(fixture('claude-code-scopes.claude.json')) }], []);
    expect(plan.entries.map((entry) => [entry.name, entry.group])).toEqual([
      ['sentry', 'User scope (top-level "mcpServers", every project)'],
      ['postgres (my-app)', 'Project /Users/me/code/my-app (local scope)'],
      ['github (my-app)', 'Project /Users/me/code/my-app (local scope)'],
      ['postgres (billing)', 'Project /Users/me/code/billing (local scope)'],
      ['docs (work/api)', 'Project /Users/me/work/api (local scope)'],
      ['docs (play/api)', 'Project /Users/me/play/api (local scope)'],
    ]);
    expect(plan.conflicts).toEqual([]);
  });

  it('names projects by as many trailing folders as tell them apart', () => {
    expect(shortProjectNames(['/a/app', '/b/app', '/c/web', 'C:\\Users\\me\\app'])).toEqual(['a/app', 'b/app', 'web', 'me/app']);
    expect(shortProjectNames(['/x/app', '/x/app/'])).toEqual(['/x/app', '/x/app/']);
  });
});

describe('a list of servers without names', () => {
  // The shape Claude Desktop, Cursor and Claude Code document is an object keyed by server name ("mcpServers":
  // { "memory": { "command": ... } }, Claude Desktop's "Connect to local MCP servers" guide); Continue's docs
  // write a list whose items each carry a "name". A list of unnamed servers is neither.
  it('is an error naming the key and the shapes expected, not a guess', async () => {
    const error = await readConfigFile(fixture('mcp-servers-unnamed-list.json')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).message).toBe(
      `${fixture('mcp-servers-unnamed-list.json')}: "mcpServers" is a list of 2 servers without names, so there is nothing to call them by: ` +
        'write it as an object mapping each server\'s name to its settings, "mcpServers": { "my-server": { "command": "...", "args": [...] } } ' +
        '(as Claude Desktop, Cursor, Claude Code, Windsurf and Cline do), or give every item a "name" (as Continue does)',
    );
  });

  it('shows the same error in the import preview, as the file\'s error', () => {
    const plan = planImport([{ path: 'config.yaml', text: 'mcpServers:\n  - command: npx\n    args: [-y, server-memory]\n' }], []);
    expect(plan.files).toEqual([
      {
        path: 'config.yaml',
        ok: false,
        error: expect.stringContaining('config.yaml: "mcpServers" is a list of 1 server without names, so there is nothing to call them by'),
      },
    ]);
  });

  it('still reads a Continue list where some items have a name, and names each unnamed item', () => {
    const result = parseConfigText('mcpServers:\n  - name: memory\n    command: npx\n  - command: other\n', 'config.yaml');
    expect(result.entries.map((entry) => entry.name)).toEqual(['memory']);
    expect(result.problems).toEqual([{ server: 'item 2', message: 'mcpServers item 2 has no name; Continue needs one for every server' }]);
  });
});

describe("VS Code's socket urls for local servers", () => {
  // microsoft/vscode pull request 268488 ("Add support for MCP servers over Unix domain sockets and named pipes",
  // merged Sep 2025): an http server's url may be `unix:///path.sock#/mcp` or `pipe:///pipe/NAME#/mcp`, the
  // fragment being the HTTP path; its example builds them with Uri.from({ scheme, path: socketPath, fragment: '/mcp' }).
  it('imports unix:// and pipe:// urls as written, and exports them back unchanged', async () => {
    const result = await readConfigFile(fixture('vscode-socket-urls.mcp.json'));
    expect(result.problems).toEqual([]);
    expect(result.entries).toEqual([
      { name: 'hello-world', transport: 'streamable-http', url: 'unix:///tmp/hello-world.sock#/mcp', headers: {} },
      { name: 'hello-world-windows', transport: 'streamable-http', url: 'pipe:///pipe/hello-world#/mcp', headers: {} },
      { name: 'legacy-socket', transport: 'sse', url: 'unix:///run/user/1000/legacy.sock#/sse', headers: { 'X-Team': 'platform' } },
    ]);
    const exported = exportCatalog(result.entries, 'vscode');
    expect(JSON.parse(exported.text)).toEqual({
      servers: {
        'hello-world': { type: 'http', url: 'unix:///tmp/hello-world.sock#/mcp' },
        'hello-world-windows': { type: 'http', url: 'pipe:///pipe/hello-world#/mcp' },
        'legacy-socket': { type: 'sse', url: 'unix:///run/user/1000/legacy.sock#/sse', headers: { 'X-Team': 'platform' } },
      },
    });
    expect(parseConfigText(exported.text, 'mcp.json').entries).toEqual(result.entries);
  });

  it('says what is wrong with a socket url that names no socket', () => {
    const text = JSON.stringify({ servers: { broken: { type: 'http', url: 'unix://tmp/app.sock#/mcp' } } });
    const result = parseConfigText(text, 'mcp.json');
    expect(result.entries).toEqual([]);
    expect(result.problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining('url names a host; a unix:// URL names a local socket: unix:///path'),
    ]);
  });
});
