import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { CatalogStore } from '../catalog/catalog-store';
import { exportCatalog, parseConfigText, type ExportTarget } from '../config';
import { applyImport, type ImportResult } from './apply-import';
import { ImportError, type ImportDecisions } from './import-decisions';
import type { ImportFile } from './import-files';
import { planImport } from './plan-import';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'patchbay-import-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const stdio = (name: string, command = 'node'): ServerEntry => ({ name, transport: 'stdio', command, args: [], env: {} });

/** A store holding `entries`, opened in the test's temp folder, with its writes watched. */
async function storeWith(entries: ServerEntry[]): Promise<{ store: CatalogStore; writes: ReturnType<typeof vi.spyOn> }> {
  const store = await CatalogStore.openIn(folder);
  if (entries.length > 0) await store.replaceAll(entries);
  return { store, writes: vi.spyOn(store, 'updateAll') };
}

const catalogFile = (): string => readFileSync(join(folder, 'catalog.json'), 'utf8');
const namesOnDisk = async (): Promise<string[]> => (await CatalogStore.openIn(folder)).list().map((entry) => entry.name);

/** Runs applyImport expecting an ImportError, and returns its problems. */
async function problemsOf(action: Promise<unknown>): Promise<readonly string[]> {
  const error = await action.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportError);
  return (error as ImportError).problems;
}

const files: ImportFile[] = [
  { path: 'a.json', text: '{ "mcpServers": { "github": { "command": "new-github" }, "memory": { "command": "mem-a" }, "off": { "command": "x", "disabled": true } } }' },
  { path: 'b.json', text: '{ "servers": { "memory": { "command": "mem-b" }, "docs": { "type": "sse", "url": "https://docs.example/sse" } } }' },
];

describe('applyImport', () => {
  it('adds the servers of a plan without conflicts in one write, disabled ones disabled', async () => {
    const { store, writes } = await storeWith([stdio('kept')]);
    const plan = planImport([{ path: 'x.json', text: '{ "mcpServers": { "one": { "command": "a" }, "two": { "url": "https://t.example/mcp", "disabled": true } } }' }], store.list());
    const result = await applyImport(plan, {}, store);
    expect(result).toEqual<ImportResult>({
      catalog: [stdio('kept'), stdio('one', 'a'), { name: 'two', transport: 'streamable-http', url: 'https://t.example/mcp', headers: {}, disabled: true }],
      added: ['one', 'two'],
      replaced: [],
      renamed: [],
      skipped: [],
    });
    expect(writes).toHaveBeenCalledTimes(1);
    expect((await CatalogStore.openIn(folder)).list()).toEqual(result.catalog);
  });

  it('replaces in place, renames and skips as decided, per file where a name comes from several', async () => {
    const { store, writes } = await storeWith([stdio('first'), stdio('github', 'old-github'), stdio('last')]);
    const plan = planImport(files, store.list());
    const decisions: ImportDecisions = {
      github: { action: 'replace' },
      memory: { perFile: { 'a.json': { action: 'replace' }, 'b.json': { action: 'rename', newName: '  memory (b)  ' } } },
      off: { action: 'skip' },
      docs: { action: 'rename', newName: 'docs sse' },
    };
    const result = await applyImport(plan, decisions, store);
    expect(result).toEqual<ImportResult>({
      catalog: [
        stdio('first'),
        stdio('github', 'new-github'),
        stdio('last'),
        stdio('memory', 'mem-a'),
        stdio('memory (b)', 'mem-b'),
        { name: 'docs sse', transport: 'sse', url: 'https://docs.example/sse', headers: {} },
      ],
      added: ['memory'],
      replaced: ['github'],
      renamed: [
        { from: 'memory', to: 'memory (b)', file: 'b.json' },
        { from: 'docs', to: 'docs sse', file: 'b.json' },
      ],
      skipped: [{ name: 'off', file: 'a.json' }],
    });
    expect(writes).toHaveBeenCalledTimes(1);
    expect(await namesOnDisk()).toEqual(['first', 'github', 'last', 'memory', 'memory (b)', 'docs sse']);
  });

  it('skips a name in every file, keeping the catalog entry', async () => {
    const { store } = await storeWith([stdio('github', 'old-github')]);
    const plan = planImport(files, store.list());
    const result = await applyImport(plan, { github: { action: 'skip' }, memory: { perFile: { 'a.json': { action: 'skip' }, 'b.json': { action: 'skip' } } } }, store);
    expect(result.catalog.map((entry) => [entry.name, entry.transport === 'stdio' ? entry.command : entry.url])).toEqual([
      ['github', 'old-github'],
      ['off', 'x'],
      ['docs', 'https://docs.example/sse'],
    ]);
    expect(result.skipped).toEqual([
      { name: 'github', file: 'a.json' },
      { name: 'memory', file: 'a.json' },
      { name: 'memory', file: 'b.json' },
    ]);
  });

  it('checks every decision first and changes nothing on disk when any is bad', async () => {
    const { store, writes } = await storeWith([stdio('github'), stdio('taken')]);
    const before = catalogFile();
    const plan = planImport(files, store.list());
    const problems = await problemsOf(
      applyImport(
        plan,
        {
          nope: { action: 'skip' },
          memory: { perFile: { 'a.json': { action: 'replace' }, 'b.json': { action: 'replace' } } },
          off: { action: 'rename', newName: 'taken' },
          docs: { action: 'rename', newName: 'memory' },
        },
        store,
      ),
    );
    expect(problems).toEqual([
      'there is no server named "nope" in this import',
      'server "github" is already in the catalog: choose replace, rename or skip',
      'server "memory": only one file\'s server can keep the name (a.json and b.json both do)',
      'rename of "off" from a.json: "taken" is already in the catalog',
      'rename of "docs" from b.json: "memory" is also the name of another imported server',
    ]);
    expect(writes).not.toHaveBeenCalled();
    expect(catalogFile()).toBe(before);
  });

  it.each<[string, ImportDecisions, string[]]>([
    [
      'a missing per-file decision',
      { github: { action: 'skip' } },
      ['server "memory" is in a.json and b.json: choose for each file whether it keeps the name (replace), is renamed or is skipped'],
    ],
    [
      'one decision for a name from several files',
      { github: { action: 'skip' }, memory: { action: 'skip' } },
      ['server "memory" is in a.json and b.json: give a decision for each file (perFile)'],
    ],
    [
      'a per-file decision naming the wrong file',
      { github: { action: 'skip' }, memory: { perFile: { 'a.json': { action: 'skip' }, 'c.json': { action: 'skip' } } } },
      ['server "memory": the file c.json has no server by that name', 'server "memory": no decision for the one in b.json'],
    ],
    [
      'bad renames',
      {
        github: { action: 'rename', newName: '   ' },
        memory: { perFile: { 'a.json': { action: 'rename', newName: 'memory' }, 'b.json': { action: 'rename', newName: 'm'.repeat(201) } } },
        off: { action: 'rename', newName: 'same' },
        docs: { action: 'rename', newName: 'same' },
      },
      [
        'rename of "github" from a.json: the new name is empty',
        'rename of "memory" from a.json: the new name is the same as the old one',
        'rename of "memory" from b.json: the new name is longer than 200 characters',
        'rename of "off" from a.json: "same" is also the name of another imported server',
        'rename of "docs" from b.json: "same" is also the name of another imported server',
      ],
    ],
    [
      'replace with nothing to replace, unknown actions, a rename without a name',
      {
        github: { action: 'delete' } as never,
        memory: { perFile: { 'a.json': 'skip' as never, 'b.json': { action: 'rename' } as never } },
        docs: { action: 'replace' },
      },
      [
        'server "github": "delete" is not a decision (use replace, rename or skip)',
        'server "memory": "skip" is not a decision (use replace, rename or skip)',
        'server "memory": a rename needs the new name',
        'server "docs": there is no server by that name in the catalog to replace',
      ],
    ],
    [
      'decisions of the wrong shape, as they might arrive over IPC',
      { github: null as never, memory: { perFile: ['a.json'] } as never },
      ['server "github": null is not a decision (use replace, rename or skip)', 'server "memory": perFile must map each file\'s path to a decision'],
    ],
  ])('explains %s', async (_case, decisions, expected) => {
    const { store, writes } = await storeWith([stdio('github')]);
    const before = catalogFile();
    expect(await problemsOf(applyImport(planImport(files, store.list()), decisions, store))).toEqual(expected);
    expect(writes).not.toHaveBeenCalled();
    expect(catalogFile()).toBe(before);
  });

  it('refuses a plan the catalog has moved on from, naming the servers', async () => {
    const { store } = await storeWith([stdio('github')]);
    const plan = planImport(files, store.list());
    await store.remove('github');
    await store.add(stdio('docs'));
    const before = catalogFile();
    expect(await problemsOf(applyImport(plan, { github: { action: 'replace' }, memory: { perFile: { 'a.json': { action: 'replace' }, 'b.json': { action: 'skip' } } } }, store))).toEqual([
      'server "github" was removed from the catalog after the import was planned; plan the import again',
      'server "docs" was added to the catalog after the import was planned; plan the import again',
    ]);
    expect(catalogFile()).toBe(before);
  });

  it('formats its message for one problem and for several', () => {
    expect(new ImportError(['a']).message).toBe('cannot import: a');
    expect(new ImportError(['a', 'b']).message).toBe('cannot import: 2 problems: a; b');
  });
});

describe('export, then import into an empty catalog, gives back the same catalog', () => {
  const catalog: ServerEntry[] = [
    { name: 'fs', transport: 'stdio', command: 'npx', args: ['-y', 'server-fs', '${userHome}'], env: { TOKEN: '${env:TOKEN}' }, cwd: '/tmp' },
    { name: 'off', transport: 'stdio', command: 'node', args: [], env: {}, disabled: true },
    { name: 'docs', transport: 'streamable-http', url: 'https://docs.example/mcp', headers: { Authorization: 'Bearer ${input:docs}' }, inputs: [{ type: 'pickString', id: 'docs', options: ['a', 'b'] }] },
    { name: 'legacy', transport: 'sse', url: 'https://legacy.example/sse', headers: {} },
  ];

  it.each<[ExportTarget, string]>([
    ['claude-desktop', 'claude_desktop_config.json'],
    ['cursor', '.cursor/mcp.json'],
    ['vscode', '.vscode/mcp.json'],
  ])('%s', async (target, path) => {
    const { store } = await storeWith([]);
    const exported = exportCatalog(catalog, target);
    expect(parseConfigText(exported.text, path).problems).toEqual([]);
    const result = await applyImport(planImport([{ path, text: exported.text }], store.list()), {}, store);
    // Only VS Code's file has input definitions.
    const expected = target === 'vscode' ? catalog : catalog.map(({ inputs: _inputs, ...entry }) => entry);
    expect(result.catalog).toEqual(expected);
    expect((await CatalogStore.openIn(folder)).list()).toEqual(expected);
  });
});
