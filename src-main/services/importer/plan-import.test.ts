import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import type { ImportConflict, ImportPlan, PlannedFile } from './import-plan';
import { planImport } from './plan-import';

const configFixture = (name: string): string => join(import.meta.dirname, '..', 'config', 'fixtures', name);
const TYPELESS_URL = 'no type is given, so it was imported as Streamable HTTP; a server that only answers old-style SSE will need the SSE fallback';
const noNeeds = { env: [], inputs: [], variables: [] };

describe('planImport', () => {
  it('reads each file by its format and lists its entries with transport, launch, warnings and needs', () => {
    const plan = planImport(
      [
        { path: 'claude_desktop_config.json', text: '{ "mcpServers": { "fs": { "command": "npx", "args": ["-y", "server-fs"], "env": { "TOKEN": "${TOKEN}" }, "disabled": true } } }' },
        { path: '.vscode/mcp.json', bytes: readFileSync(configFixture('vscode-mcp.json')) },
      ],
      [],
    );
    expect(plan.conflicts).toEqual([]);
    expect(plan.catalogNames).toEqual([]);
    expect(plan.files.map((file) => (file.ok ? [file.path, file.format, file.detection] : [file.path, file.error]))).toEqual([
      ['claude_desktop_config.json', 'mcp-servers', 'Read as Claude Desktop, Cursor, Claude Code because the file has "mcpServers" and no setting only Windsurf or Cline writes.'],
      ['.vscode/mcp.json', 'vscode-mcp', 'Read as VS Code .vscode/mcp.json because the file has "servers".'],
    ]);
    expect(plan.entries.map(({ entry: _entry, ...shown }) => shown)).toEqual([
      {
        name: 'fs',
        file: 'claude_desktop_config.json',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', 'server-fs'],
        disabled: true,
        warnings: [],
        needs: { env: [{ name: 'TOKEN', required: true, fields: ['env.TOKEN'] }], inputs: [], variables: [] },
      },
      {
        name: 'perplexity',
        file: '.vscode/mcp.json',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', 'server-perplexity-ask'],
        disabled: false,
        warnings: [],
        needs: {
          env: [],
          inputs: [{ id: 'perplexity-key', defined: true, description: 'Perplexity API Key', password: true, fields: ['env.PERPLEXITY_API_KEY'] }],
          variables: [{ name: 'workspaceFolder', fields: ['cwd'] }],
        },
      },
      {
        name: 'fetch',
        file: '.vscode/mcp.json',
        transport: 'stdio',
        command: 'uvx',
        args: ['mcp-server-fetch'],
        disabled: false,
        warnings: ['server "fetch": its envFile "${workspaceFolder}/.env" was not imported (Patchbay does not read env files); add the variables it needs to env'],
        needs: noNeeds,
      },
      {
        name: 'github',
        file: '.vscode/mcp.json',
        transport: 'streamable-http',
        url: 'https://api.githubcopilot.com/mcp/',
        disabled: false,
        warnings: [],
        needs: { env: [], inputs: [{ id: 'github-token', defined: false, password: false, fields: ['headers.Authorization'] }], variables: [] },
      },
      { name: 'legacy', file: '.vscode/mcp.json', transport: 'sse', url: 'http://localhost:3001/sse', disabled: false, warnings: [], needs: noNeeds },
    ]);
    expect(plan.entries[0]?.entry).toEqual({ name: 'fs', transport: 'stdio', command: 'npx', args: ['-y', 'server-fs'], env: { TOKEN: '${TOKEN}' }, disabled: true });
  });

  it('gives every bad file an error naming it, and keeps the good files and good entries', () => {
    const plan = planImport(
      [
        { path: 'bad.json', text: '{ "mcpServers": { "a": { "command": "x" } "b": {} } }' },
        { path: 'unreadable.json', error: 'unreadable.json: cannot read the file: permission denied' },
        { path: 'big.json', text: `{ "mcpServers": {} }${' '.repeat(2048)}` },
        { path: 'nothing.json', text: '{ "theme": "dark" }' },
        { path: 'zed.json', bytes: readFileSync(configFixture('zed-servers-not-object.json')) },
        { path: 'mixed.json', text: '{ "mcpServers": { "ok": { "command": "node" }, "broken": { "args": ["x"] } } }' },
        { path: 'mixed.json', text: '{}' },
      ],
      [],
      { maxBytes: 1024 },
    );
    expect(plan.files).toEqual<PlannedFile[]>([
      { path: 'bad.json', ok: false, error: 'bad.json:1:43: invalid JSON: comma expected' },
      { path: 'unreadable.json', ok: false, error: 'unreadable.json: cannot read the file: permission denied' },
      { path: 'big.json', ok: false, error: 'big.json: the file is 2.1 KiB; a config file is at most 1 KiB' },
      {
        path: 'nothing.json',
        ok: false,
        error:
          'nothing.json: no MCP servers found: expected "mcpServers" (Claude Desktop, Cursor, Claude Code, Windsurf, Cline), or "servers" (VS Code .vscode/mcp.json), or "mcp.servers" (VS Code settings.json), or "context_servers" (Zed settings.json)',
      },
      { path: 'zed.json', ok: false, error: 'zed.json: "context_servers" must be an object mapping server names to their settings, not an array' },
      {
        path: 'mixed.json',
        ok: true,
        format: 'mcp-servers',
        detection: 'Read as Claude Desktop, Cursor, Claude Code because the file has "mcpServers" and no setting only Windsurf or Cline writes.',
        entries: [
          {
            name: 'ok',
            file: 'mixed.json',
            transport: 'stdio',
            command: 'node',
            args: [],
            disabled: false,
            warnings: [],
            needs: noNeeds,
            entry: { name: 'ok', transport: 'stdio', command: 'node', args: [], env: {} },
          },
        ],
        problems: [{ server: 'broken', message: 'server "broken" has neither a command nor a url' }],
        warnings: [],
        inputs: [],
      },
      { path: 'mixed.json', ok: false, error: 'mixed.json: this file is already part of the import' },
    ]);
    expect(plan.entries.map((entry) => entry.name)).toEqual(['ok']);
  });

  it('finds a conflict for each name already in the catalog or in more than one file, with free names to offer', () => {
    const existing: ServerEntry[] = [
      { name: 'github', transport: 'stdio', command: 'old', args: [], env: {} },
      { name: 'github 2', transport: 'stdio', command: 'old', args: [], env: {} },
      { name: 'untouched', transport: 'sse', url: 'https://x.example/sse', headers: {} },
    ];
    const plan = planImport(
      [
        { path: 'a.json', text: '{ "mcpServers": { "github": { "command": "a" }, "memory": { "command": "a" }, "solo": { "command": "a" } } }' },
        { path: 'b.json', text: '{ "servers": { "memory": { "command": "b" }, "github": { "url": "https://b.example/mcp" } } }' },
        { path: 'c.json', text: '{ "context_servers": { "memory": { "command": "c" }, "docs": { "url": "https://docs.example/mcp" } } }' },
      ],
      existing,
    );
    expect(plan.conflicts).toEqual<ImportConflict[]>([
      {
        name: 'github',
        inCatalog: true,
        files: ['a.json', 'b.json'],
        suggestedNames: ['github 3', 'github 4'],
        message: 'server "github" is already in the catalog, and a.json and b.json each have one too',
      },
      { name: 'memory', inCatalog: false, files: ['a.json', 'b.json', 'c.json'], suggestedNames: ['memory 2', 'memory 3', 'memory 4'], message: 'server "memory" is in more than one file: a.json and b.json and c.json' },
    ]);
    expect(plan.catalogNames).toEqual(['github', 'github 2', 'untouched']);
    expect(plan.entries.find((entry) => entry.name === 'docs')?.warnings).toEqual([`server "docs": ${TYPELESS_URL}`]);
  });

  it('says a single file\'s server is already in the catalog in its own words', () => {
    const plan: ImportPlan = planImport([{ path: 'one.json', text: '{ "mcpServers": { "x": { "command": "n" } } }' }], [{ name: 'x', transport: 'stdio', command: 'm', args: [], env: {} }]);
    expect(plan.conflicts).toEqual([{ name: 'x', inCatalog: true, files: ['one.json'], suggestedNames: ['x 2'], message: 'server "x" from one.json is already in the catalog' }]);
  });

  it('keeps suggested names within the catalog limit of 200 characters', () => {
    const long = 'n'.repeat(200);
    const plan = planImport([{ path: 'one.json', text: JSON.stringify({ mcpServers: { [long]: { command: 'n' } } }) }], [{ name: long, transport: 'stdio', command: 'm', args: [], env: {} }]);
    expect(plan.conflicts[0]?.suggestedNames).toEqual([`${'n'.repeat(198)} 2`]);
  });
});

describe('planImport, placeholders in a url', () => {
  // Claude Code docs, "Environment variable expansion in .mcp.json": a url whose base is ${VAR:-default}.
  it('shows the url with its defaults filled in beside the url as written', () => {
    const plan = planImport([{ path: '.mcp.json', bytes: readFileSync(configFixture('claude-code-url-placeholders.mcp.json')) }], []);
    expect(plan.entries.map((entry) => [entry.name, entry.url, entry.urlWithDefaults])).toEqual([
      ['api-server', '${API_BASE_URL:-https://api.example.com}/mcp', 'https://api.example.com/mcp'],
      ['internal', '${INTERNAL_MCP_URL}', undefined],
    ]);
  });
});
