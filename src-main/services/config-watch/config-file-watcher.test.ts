import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfigBytes, type ConfigReadResult } from '../config';
import { openWatcherHandles, watchConfigFile, type ConfigFileWatcher, type WatchedFileEvent } from './config-file-watcher';

// Real files in a temp folder, changed the ways editors change them. Generous waits: the machine may be loaded.

const servers = (names: string[]) => JSON.stringify({ mcpServers: Object.fromEntries(names.map((name) => [name, { command: 'node', args: [`${name}.js`] }])) });

let folder: string;
let file: string;
let watcher: ConfigFileWatcher | undefined;
let events: Array<WatchedFileEvent<ConfigReadResult>>;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'patchbay-watch-'));
  file = join(folder, 'mcp.json');
  events = [];
  await writeFile(file, servers(['a']));
});
afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  await rm(folder, { recursive: true, force: true });
});

async function start(invalidGraceMs = 1500): Promise<ConfigFileWatcher> {
  watcher = await watchConfigFile(file, { parse: (bytes, path) => parseConfigBytes(bytes, path), onEvent: (event) => events.push(event), debounceMs: 100, invalidGraceMs });
  return watcher;
}

async function nextEvent(): Promise<WatchedFileEvent<ConfigReadResult>> {
  const seen = events.length;
  const deadline = Date.now() + 20_000;
  while (events.length === seen) {
    if (Date.now() > deadline) throw new Error('no watch event within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return events[seen]!;
}

const names = (event: WatchedFileEvent<ConfigReadResult>) => (event.kind === 'changed' ? event.value.entries.map((entry) => entry.name) : event.kind);

describe('watchConfigFile', () => {
  it('reports a file written in place with the servers it now has', async () => {
    await start();
    const next = nextEvent();
    await writeFile(file, servers(['a', 'b']));
    expect(names(await next)).toEqual(['a', 'b']);
  });

  it('follows an atomic save (a temporary file renamed over the original), more than once', async () => {
    await start();
    for (const list of [['b'], ['c', 'd']]) {
      const next = nextEvent();
      await writeFile(join(folder, '.mcp.json.tmp'), servers(list));
      await rename(join(folder, '.mcp.json.tmp'), file);
      expect(names(await next)).toEqual(list);
    }
  });

  it('reports a deleted file as missing, then the recreated file', async () => {
    await start();
    let next = nextEvent();
    await rm(file);
    expect(await next).toEqual({ kind: 'missing', path: file });
    next = nextEvent();
    await writeFile(file, servers(['back']));
    expect(names(await next)).toEqual(['back']);
  });

  it('waits through a half-written file for the valid one, without reporting it', async () => {
    await start(3000);
    const next = nextEvent();
    await writeFile(file, '{ "mcpServers": { "a": { "command": ');
    await new Promise((resolve) => setTimeout(resolve, 400));
    await writeFile(file, servers(['a', 'done']));
    expect(names(await next)).toEqual(['a', 'done']);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(events.map(names)).toEqual([['a', 'done']]);
  });

  it('reports content that stays invalid with the reader\'s error, then the fixed file', async () => {
    await start(300);
    let next = nextEvent();
    await writeFile(file, '{ "mcpServers": { "a": ');
    const invalid = await next;
    expect(invalid.kind).toBe('invalid');
    expect(invalid.kind === 'invalid' && invalid.error).toMatch(/^.*mcp\.json:1:\d+: invalid JSON/);
    next = nextEvent();
    await writeFile(file, servers(['fixed']));
    expect(names(await next)).toEqual(['fixed']);
  });

  it('does not report a rewrite with the same bytes', async () => {
    await start();
    await writeFile(file, servers(['a']));
    const next = nextEvent();
    await writeFile(file, servers(['z']));
    expect(names(await next)).toEqual(['z']);
    expect(events).toHaveLength(1);
  });

  it('closes its folder handle when unwatched, and reports nothing after', async () => {
    const before = openWatcherHandles();
    const started = await start();
    expect(openWatcherHandles()).toBe(before + 1);
    started.close();
    started.close();
    expect(openWatcherHandles()).toBe(before);
    await writeFile(file, servers(['after-close']));
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(events).toEqual([]);
  });
});
