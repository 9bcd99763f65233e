import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '../catalog/catalog-store';
import { openWatcherHandles } from './config-file-watcher';
import { ConfigWatchService, type ConfigWatchEvent } from './config-watch-service';

// A real catalog in a temp data folder and a real Claude Desktop file beside it, edited as a user's editor would.

let root: string;
let dataDir: string;
let file: string;
let catalog: CatalogStore;
let service: ConfigWatchService | undefined;
let events: ConfigWatchEvent[];

const desktopFile = (servers: Record<string, object>) => JSON.stringify({ mcpServers: servers }, null, 2);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchbay-watch-service-'));
  dataDir = join(root, 'data');
  file = join(root, 'claude_desktop_config.json');
  events = [];
  await writeFile(file, desktopFile({ memory: { command: 'npx', args: ['memory'] }, docs: { command: 'docs', env: { TOKEN: 's3cret' } } }));
  catalog = await CatalogStore.openIn(dataDir);
  await catalog.replaceAll([
    { name: 'mine', transport: 'stdio', command: 'mine' },
    { name: 'memory', transport: 'stdio', command: 'npx', args: ['memory'] },
    { name: 'docs', transport: 'stdio', command: 'docs', env: { TOKEN: 's3cret' } },
  ]);
});
afterEach(async () => {
  service?.close();
  service = undefined;
  await rm(root, { recursive: true, force: true });
});

async function open(): Promise<ConfigWatchService> {
  service = await ConfigWatchService.open(dataDir, catalog, (event) => events.push(event), { debounceMs: 100, invalidGraceMs: 300 });
  return service;
}

async function nextEvent(): Promise<ConfigWatchEvent> {
  const seen = events.length;
  const deadline = Date.now() + 20_000;
  while (events.length === seen) {
    if (Date.now() > deadline) throw new Error('no watch event within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return events[seen]!;
}

const names = () => catalog.list().map((entry) => entry.name);

describe('ConfigWatchService', () => {
  it('reports added, removed and changed servers (env by key only), and applies them on confirm in one write', async () => {
    const watching = await open();
    await watching.watch(file, ['memory', 'docs']);
    const next = nextEvent();
    await writeFile(file, desktopFile({ docs: { command: 'docs', args: ['--v2'], env: { TOKEN: 'n3w-secret' } }, fetch: { command: 'uvx', args: ['mcp-server-fetch'] } }));
    const event = await next;
    expect(event).toEqual({
      kind: 'changed',
      path: file,
      hash: expect.any(String),
      changes: {
        added: ['fetch'],
        removed: ['memory'],
        changed: [{ name: 'docs', fields: [{ field: 'args', before: '[]', after: '["--v2"]' }, { field: 'env', keys: { added: [], removed: [], changed: ['TOKEN'] } }] }],
      },
    });
    expect(JSON.stringify(event)).not.toContain('secret');
    const applied = await watching.confirm(file, event.kind === 'changed' ? event.hash : '');
    expect(applied.skipped).toEqual([]);
    expect(names()).toEqual(['mine', 'docs', 'fetch']);
    expect(catalog.get('docs')).toMatchObject({ args: ['--v2'], env: { TOKEN: 'n3w-secret' } });
    expect(watching.list()).toEqual([{ path: file, servers: ['docs', 'fetch'] }]);
  });

  it('keeps the catalog on decline and does not ask again for the same content, but does for new content', async () => {
    const watching = await open();
    await watching.watch(file, ['memory', 'docs']);
    let next = nextEvent();
    const declinedText = desktopFile({ memory: { command: 'npx', args: ['memory', '--v2'] }, docs: { command: 'docs', env: { TOKEN: 's3cret' } } });
    await writeFile(file, declinedText);
    const first = await next;
    await watching.decline(file, first.kind === 'changed' ? first.hash : '');
    expect(names()).toEqual(['mine', 'memory', 'docs']);

    // Restarting Patchbay with the declined content on disk asks nothing.
    watching.close();
    const reopened = await open();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events).toHaveLength(1);
    expect(reopened.list()[0]?.declinedHash).toBeDefined();

    next = nextEvent();
    await writeFile(file, desktopFile({ memory: { command: 'npx', args: ['memory', '--v3'] }, docs: { command: 'docs', env: { TOKEN: 's3cret' } } }));
    expect(await next).toMatchObject({ kind: 'changed', changes: { changed: [{ name: 'memory', fields: [{ field: 'args', after: '["memory","--v3"]' }] }] } });
  });

  it('reports a change made while Patchbay was closed when it starts again', async () => {
    const watching = await open();
    await watching.watch(file, ['memory', 'docs']);
    watching.close();
    await writeFile(file, desktopFile({ memory: { command: 'npx', args: ['memory'] } }));
    await open();
    expect(events).toMatchObject([{ kind: 'changed', path: file, changes: { added: [], removed: ['docs'], changed: [] } }]);
  });

  it('skips an added server whose name another server already has, and refuses a stale confirm', async () => {
    const watching = await open();
    await watching.watch(file, ['memory', 'docs']);
    const next = nextEvent();
    await writeFile(file, desktopFile({ memory: { command: 'npx', args: ['memory'] }, docs: { command: 'docs', env: { TOKEN: 's3cret' } }, mine: { command: 'theirs' } }));
    const event = await next;
    await expect(watching.confirm(file, 'not-the-hash')).rejects.toThrow('changed again since this change was shown');
    const applied = await watching.confirm(file, event.kind === 'changed' ? event.hash : '');
    expect(applied.skipped).toEqual([{ name: 'mine', reason: 'a server named "mine" that did not come from this file is already in the catalog' }]);
    expect(catalog.get('mine')).toMatchObject({ command: 'mine' });
  });

  it('reports a file that stays invalid with its error', async () => {
    const watching = await open();
    await watching.watch(file, ['memory', 'docs']);
    const next = nextEvent();
    await writeFile(file, '{ "mcpServers": ');
    const event = await next;
    expect(event.kind).toBe('invalid');
    expect(event.kind === 'invalid' && event.error).toContain('claude_desktop_config.json:1:');
  });

  it('stops watching when every server of the file is removed, on unwatch, and closes every watcher on close', async () => {
    const before = openWatcherHandles();
    const watching = await open();
    await watching.watch(file, ['memory', 'docs']);
    expect(openWatcherHandles()).toBe(before + 1);
    await catalog.remove('memory');
    expect(watching.list()).toEqual([{ path: file, servers: ['docs'] }]);
    const next = nextEvent();
    await catalog.remove('docs');
    expect(await next).toEqual({ kind: 'unwatched', path: file, reason: 'every server imported from it was removed from the catalog' });
    expect(openWatcherHandles()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(watching.list()).toEqual([]);

    await watching.watch(file, ['mine']);
    await watching.unwatch(file);
    expect(openWatcherHandles()).toBe(before);
    await watching.watch(file, ['mine']);
    watching.close();
    expect(openWatcherHandles()).toBe(before);
  });
});
