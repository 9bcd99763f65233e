import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { exportCatalog, type ExportedConfig, type ExportTarget } from './export-config';
import { parseConfigText } from './read-config';

/** A catalog with every kind of entry: stdio with and without extras, both remote transports, disabled, placeholders. */
const catalog: ServerEntry[] = [
  { name: 'filesystem', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: {} },
  {
    name: 'github',
    transport: 'stdio',
    command: 'docker',
    args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'],
    env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${env:GITHUB_TOKEN}' },
    cwd: '/srv/github',
  },
  { name: 'bare', transport: 'stdio', command: 'my-server', args: [], env: {}, disabled: true },
  {
    name: 'docs',
    transport: 'streamable-http',
    url: 'https://mcp.example.com/mcp',
    headers: { Authorization: 'Bearer ${input:docs-token}' },
    inputs: [{ type: 'promptString', id: 'docs-token', description: 'Docs token', password: true }],
  },
  { name: 'legacy', transport: 'sse', url: 'http://localhost:3001/sse', headers: {} },
  { name: 'name with spaces', transport: 'stdio', command: 'node', args: ['${WORKDIR:-.}/server.js'], env: { LEVEL: 'debug' } },
];

const FILE_NAMES: Record<ExportTarget, string> = { 'claude-desktop': 'claude_desktop_config.json', cursor: '.cursor/mcp.json', vscode: '.vscode/mcp.json' };

describe('exportCatalog then parseConfigText gives back the same catalog', () => {
  it.each(['claude-desktop', 'cursor', 'vscode'] as const)('%s', (target) => {
    const exported = exportCatalog(catalog, target);
    const read = parseConfigText(exported.text, FILE_NAMES[target]);
    // Only VS Code's file has input definitions; the others keep `${input:id}` as written, without them.
    expect(read.entries).toEqual(target === 'vscode' ? catalog : catalog.map(({ inputs: _inputs, ...entry }) => entry));
    expect(read.problems).toEqual([]);
  });

  it('brings disabled: false back as absent, the same thing for the catalog', () => {
    const entry: ServerEntry = { name: 'a', transport: 'stdio', command: 'x', args: [], env: {}, disabled: false };
    expect(parseConfigText(exportCatalog([entry], 'cursor').text, 'mcp.json').entries).toEqual([{ name: 'a', transport: 'stdio', command: 'x', args: [], env: {} }]);
  });

  it('writes nothing of the protocol era, which no host knows: a pinned server imports back as Auto', () => {
    const entries: ServerEntry[] = [
      { name: 'a', transport: 'stdio', command: 'x', args: [], env: {}, protocolEra: 'modern' },
      { name: 'b', transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp', headers: {}, protocolEra: 'legacy' },
    ];
    for (const target of ['claude-desktop', 'cursor', 'vscode'] as const) {
      const exported = exportCatalog(entries, target);
      expect(exported.text).not.toContain('protocolEra');
      expect(exported.text).not.toMatch(/modern|legacy/);
      expect(parseConfigText(exported.text, FILE_NAMES[target]).entries.map((entry) => entry.protocolEra)).toEqual([undefined, undefined]);
    }
  });

  it('writes an empty catalog as an empty servers object that reads back empty', () => {
    for (const target of ['claude-desktop', 'cursor', 'vscode'] as const) {
      expect(parseConfigText(exportCatalog([], target).text, FILE_NAMES[target]).entries).toEqual([]);
    }
  });
});

describe('exportCatalog writes each host file as the host does', () => {
  it('Claude Desktop: mcpServers, remote servers in a form that reads back, with warnings for what Claude Desktop will not do', () => {
    expect(exportCatalog(catalog, 'claude-desktop')).toEqual<ExportedConfig>({
      target: 'claude-desktop',
      fileName: 'claude_desktop_config.json',
      text: `${JSON.stringify(
        {
          mcpServers: {
            filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
            github: { command: 'docker', args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${env:GITHUB_TOKEN}' }, cwd: '/srv/github' },
            bare: { command: 'my-server', disabled: true },
            docs: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${input:docs-token}' } },
            legacy: { type: 'sse', url: 'http://localhost:3001/sse' },
            'name with spaces': { command: 'node', args: ['${WORKDIR:-.}/server.js'], env: { LEVEL: 'debug' } },
          },
        },
        null,
        2,
      )}\n`,
      warnings: [
        'server "github" uses ${env:GITHUB_TOKEN}, which Claude Desktop does not fill in: it will pass it on as written',
        'server "bare" is disabled, but Claude Desktop has no documented "disabled" setting: it is written as "disabled": true so it imports back disabled, and Claude Desktop may start it anyway',
        'server "docs" is a remote server, but Claude Desktop\'s config file starts only local (stdio) servers: it is written as { "type", "url" } so it imports back into Patchbay, and Claude Desktop will not connect to it (add it there as a connector, or through a stdio bridge such as mcp-remote)',
        'server "docs" uses ${input:docs-token}, which Claude Desktop does not fill in: it will pass it on as written',
        'server "legacy" is a remote server, but Claude Desktop\'s config file starts only local (stdio) servers: it is written as { "type", "url" } so it imports back into Patchbay, and Claude Desktop will not connect to it (add it there as a connector, or through a stdio bridge such as mcp-remote)',
        'server "name with spaces" uses ${WORKDIR:-.}, which Claude Desktop does not fill in: it will pass it on as written',
      ],
    });
  });

  it('Cursor: a url without a type for Streamable HTTP, "type": "sse" for SSE, ${env:...} allowed', () => {
    const exported = exportCatalog(catalog, 'cursor');
    expect(exported.fileName).toBe('mcp.json');
    expect(JSON.parse(exported.text)).toEqual({
      mcpServers: {
        filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
        github: { command: 'docker', args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${env:GITHUB_TOKEN}' }, cwd: '/srv/github' },
        bare: { command: 'my-server', disabled: true },
        docs: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${input:docs-token}' } },
        legacy: { type: 'sse', url: 'http://localhost:3001/sse' },
        'name with spaces': { command: 'node', args: ['${WORKDIR:-.}/server.js'], env: { LEVEL: 'debug' } },
      },
    });
    expect(exported.warnings).toEqual([
      'server "bare" is disabled, but Cursor has no documented "disabled" setting: it is written as "disabled": true so it imports back disabled, and Cursor may start it anyway',
      'server "docs" uses ${input:docs-token}, which Cursor does not fill in: it will pass it on as written',
      'server "name with spaces" uses ${WORKDIR:-.}, which Cursor does not fill in: it will pass it on as written',
    ]);
  });

  it('VS Code: servers with explicit types, and an input definition for every ${input:id} used', () => {
    const exported = exportCatalog(catalog, 'vscode');
    expect(exported.fileName).toBe('mcp.json');
    expect(JSON.parse(exported.text)).toEqual({
      servers: {
        filesystem: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
        github: {
          type: 'stdio',
          command: 'docker',
          args: ['run', '-i', '--rm', 'ghcr.io/github/github-mcp-server'],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: '${env:GITHUB_TOKEN}' },
          cwd: '/srv/github',
        },
        bare: { type: 'stdio', command: 'my-server', disabled: true },
        docs: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${input:docs-token}' } },
        legacy: { type: 'sse', url: 'http://localhost:3001/sse' },
        'name with spaces': { type: 'stdio', command: 'node', args: ['${WORKDIR:-.}/server.js'], env: { LEVEL: 'debug' } },
      },
      inputs: [{ type: 'promptString', id: 'docs-token', description: 'Docs token', password: true }],
    });
    expect(exported.warnings).toEqual([
      'server "bare" is disabled, but VS Code has no documented "disabled" setting: it is written as "disabled": true so it imports back disabled, and VS Code may start it anyway',
      'server "name with spaces" uses ${WORKDIR:-.}, which VS Code does not fill in: it will pass it on as written',
    ]);
    expect(parseConfigText(exported.text, 'mcp.json').inputs).toEqual([{ id: 'docs-token', type: 'promptString', description: 'Docs token', password: true }]);
  });

  it('keeps a server named "__proto__" as a key, not a prototype', () => {
    const exported = exportCatalog([{ name: '__proto__', transport: 'stdio', command: 'x', args: [], env: {} }], 'cursor');
    expect(exported.text).toContain('"__proto__": {');
  });
});
