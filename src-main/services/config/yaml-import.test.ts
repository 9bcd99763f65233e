import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { planImport } from '../importer';

// The importer reads files through this folder's parseConfigText / parseConfigBytes; this checks that a YAML file
// goes through it whole: format, entries with their needs and warnings, skipped entries, conflicts.
const fixture = (name: string): string => join(import.meta.dirname, 'fixtures', name);
const noNeeds = { env: [], inputs: [], variables: [] };

describe('planImport with YAML files', () => {
  it('plans a Goose config.yaml read from bytes and a pasted Continue config, with needs, warnings and skipped entries', () => {
    const existing: ServerEntry[] = [{ name: 'filesystem', transport: 'stdio', command: 'node', args: [], env: {} }];
    const continueText = 'name: Local\nversion: 1.0.0\nschema: v1\nmcpServers:\n  - name: docs\n    url: https://mcp.example.com/mcp\n    type: sse\n    apiKey: ${{ secrets.DOCS_KEY }}\n';
    const plan = planImport(
      [
        { path: '/home/me/.config/goose/config.yaml', bytes: readFileSync(fixture('goose-builtin.yaml')) },
        { path: 'goose.yml', bytes: readFileSync(fixture('goose-config.yaml')) },
        { path: 'pasted', text: continueText },
        { path: 'broken.yaml', text: 'extensions:\n  a: b: c\n' },
      ],
      existing,
    );

    expect(plan.files.map((file) => (file.ok ? [file.path, file.format, file.detection, file.problems.length] : [file.path, file.error]))).toEqual([
      ['/home/me/.config/goose/config.yaml', 'goose', 'Read as Goose because the file has "extensions".', 1],
      ['goose.yml', 'goose', 'Read as Goose because the file has "extensions".', 8],
      ['pasted', 'continue', 'Read as Continue because the file has "mcpServers" as a list.', 0],
      ['broken.yaml', 'broken.yaml:2:6: invalid YAML: nested mappings are not allowed in compact mappings'],
    ]);
    const [builtinOnly] = plan.files;
    expect(builtinOnly?.ok && builtinOnly.problems).toEqual([
      {
        server: 'developer',
        message: 'server "developer" is built into Goose (type "builtin") and runs inside it, so there is no MCP server for Patchbay to start; it was skipped',
      },
    ]);

    expect(plan.entries.map(({ entry: _entry, ...shown }) => shown)).toEqual([
      {
        name: 'filesystem',
        file: 'goose.yml',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'],
        disabled: false,
        warnings: [],
        needs: noNeeds,
      },
      {
        name: 'github',
        file: 'goose.yml',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        disabled: true,
        warnings: [
          'server "github": Goose keeps the value of GITHUB_PERSONAL_ACCESS_TOKEN (env_keys) in its keyring or secrets.yaml, which Patchbay does not read, so it was imported as ${env:GITHUB_PERSONAL_ACCESS_TOKEN}, to be filled from the environment',
        ],
        needs: { env: [{ name: 'GITHUB_PERSONAL_ACCESS_TOKEN', required: true, fields: ['env.GITHUB_PERSONAL_ACCESS_TOKEN'] }], inputs: [], variables: [] },
      },
      {
        name: 'remote-tools',
        file: 'goose.yml',
        transport: 'streamable-http',
        url: 'https://example.com/mcp',
        disabled: false,
        warnings: [
          'server "remote-tools": Goose keeps the value of ORG_ID (env_keys) in its keyring or secrets.yaml, which Patchbay does not read, so it was imported as ${env:ORG_ID}, to be filled from the environment',
        ],
        needs: {
          env: [
            { name: 'ORG_ID', required: true, fields: ['headers.X-Org'] },
            { name: 'REGION', required: true, fields: ['headers.X-Region'] },
          ],
          inputs: [],
          variables: [],
        },
      },
      { name: 'old-sse', file: 'goose.yml', transport: 'sse', url: 'http://localhost:8080/sse', disabled: false, warnings: [], needs: noNeeds },
      {
        name: 'docs',
        file: 'pasted',
        transport: 'sse',
        url: 'https://mcp.example.com/mcp',
        disabled: false,
        warnings: [
          "server \"docs\": the Continue secret DOCS_KEY was imported as ${env:DOCS_KEY}, to be filled from the environment, since Patchbay does not read Continue's secrets (its hub or .env files)",
        ],
        needs: { env: [{ name: 'DOCS_KEY', required: true, fields: ['headers.Authorization'] }], inputs: [], variables: [] },
      },
    ]);
    expect(plan.entries.find((entry) => entry.name === 'docs')?.entry).toEqual({
      name: 'docs',
      transport: 'sse',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer ${env:DOCS_KEY}' },
    });
    expect(plan.conflicts).toEqual([
      {
        name: 'filesystem',
        inCatalog: true,
        files: ['goose.yml'],
        suggestedNames: ['filesystem 2'],
        message: 'server "filesystem" from goose.yml is already in the catalog',
      },
    ]);
  });
});
