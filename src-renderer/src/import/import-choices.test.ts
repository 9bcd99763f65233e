import { describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../../src-shared/api-contract';
import { checkChoices, choiceKey, defaultChoices, toDecisions } from './import-choices';

const entry = (name: string, file: string) => ({ name, file, transport: 'stdio' as const, command: 'node', args: [], disabled: false, warnings: [], needs: [] });

const preview: ImportPreview = {
  planId: 'p1',
  files: [
    { path: 'claude.json', ok: true, detection: 'Read as Claude Desktop', problems: [], warnings: [] },
    { path: 'mcp.json', ok: true, detection: 'Read as VS Code', problems: [], warnings: [] },
  ],
  entries: [entry('github', 'claude.json'), entry('fresh', 'claude.json'), entry('shared', 'claude.json'), entry('shared', 'mcp.json')],
  conflicts: [
    { name: 'github', inCatalog: true, files: ['claude.json'], suggestedNames: ['github 2'], message: 'server "github" from claude.json is already in the catalog' },
    { name: 'shared', inCatalog: false, files: ['claude.json', 'mcp.json'], suggestedNames: ['shared 2', 'shared 3'], message: 'two files have "shared"' },
  ],
};

describe('import choices', () => {
  it('start by renaming what the catalog has, and letting the first of several files keep a new name', () => {
    expect(defaultChoices(preview)).toEqual({
      [choiceKey('github', 'claude.json')]: { action: 'rename', newName: 'github 2' },
      [choiceKey('shared', 'claude.json')]: { action: 'replace' },
      [choiceKey('shared', 'mcp.json')]: { action: 'rename', newName: 'shared 3' },
    });
    expect(checkChoices(preview, defaultChoices(preview))).toEqual([]);
  });

  it('become one decision per name, or one per file where several files share it', () => {
    expect(toDecisions(preview, defaultChoices(preview))).toEqual({
      github: { action: 'rename', newName: 'github 2' },
      shared: { perFile: { 'claude.json': { action: 'replace' }, 'mcp.json': { action: 'rename', newName: 'shared 3' } } },
    });
    const skipFresh = { ...defaultChoices(preview), [choiceKey('fresh', 'claude.json')]: { action: 'skip' as const } };
    expect(toDecisions(preview, skipFresh).fresh).toEqual({ action: 'skip' });
  });

  it('catch names used twice, empty renames and renames onto taken names', () => {
    const both = { ...defaultChoices(preview), [choiceKey('shared', 'mcp.json')]: { action: 'replace' as const } };
    expect(checkChoices(preview, both)).toEqual(['"shared" would be used by both "shared" from claude.json and "shared" from mcp.json']);
    const empty = { ...defaultChoices(preview), [choiceKey('github', 'claude.json')]: { action: 'rename' as const, newName: '  ' } };
    expect(checkChoices(preview, empty)).toEqual(['give "github" from claude.json a new name']);
    const taken = { ...defaultChoices(preview), [choiceKey('shared', 'mcp.json')]: { action: 'rename' as const, newName: 'fresh' } };
    expect(checkChoices(preview, taken)).toEqual(['the new name "fresh" for "shared" from mcp.json is already taken']);
  });
});
