import { describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../../src-shared/catalog';
import { SHORTCUTS } from '../../../src-shared/shortcuts';
import type { LoadedList, ServerLists } from '../inspector/inspector-store';
import type { ServerView } from '../store/server-view';
import { buildPaletteItems, type PaletteCommands } from './palette-items';
import { rankPalette, scoreItem, type RankableItem } from './palette-ranking';

const item = (kind: RankableItem['kind'], name: string, extra: Partial<RankableItem> = {}): RankableItem => ({ kind, name, ...extra });
const names = (groups: ReturnType<typeof rankPalette>) => groups.map((group) => [group.kind, group.items.map((ranked) => ranked.item.name)]);

describe('palette ranking', () => {
  const items = [
    item('server', 'fixture'),
    item('server', 'weather'),
    item('tool', 'echo', { server: 'fixture', description: 'Echoes its text' }),
    item('tool', 'get_weather', { server: 'weather', title: 'Current weather', description: 'Forecast for a city' }),
    item('tool', 'env', { server: 'fixture', description: 'Returns one environment variable' }),
    item('resource', 'hello', { server: 'fixture', detail: 'fixture://hello', description: 'A greeting' }),
    item('prompt', 'greet', { server: 'fixture', description: 'Greets someone' }),
    item('action', 'Add server'),
    item('action', 'Connect weather', { server: 'weather' }),
  ];

  it('keeps only what matches, grouped by kind, the best group and item first', () => {
    expect(names(rankPalette('echo', items))).toEqual([['tool', ['echo']]]);
    // "we": the server weather by name first; its tool and action by name (word start) and by server name.
    const weather = rankPalette('weather', items);
    expect(weather[0]).toMatchObject({ kind: 'server', items: [{ item: { name: 'weather' } }] });
    expect(names(weather)).toContainEqual(['tool', ['get_weather']]);
    expect(names(weather)).toContainEqual(['action', ['Connect weather']]);
    expect(rankPalette('zzz', items)).toEqual([]);
  });

  it('counts the name most, then title and uri, then the server, then the description', () => {
    const field = (extra: Partial<RankableItem>) => scoreItem('hello', item('tool', 'x', extra))?.score ?? 0;
    const byName = scoreItem('hello', item('tool', 'hello'))!.score;
    expect(byName).toBeGreaterThan(field({ title: 'hello' }));
    expect(field({ title: 'hello' })).toBeGreaterThan(field({ detail: 'hello' }));
    expect(field({ detail: 'hello' })).toBeGreaterThan(field({ server: 'hello' }));
    expect(field({ server: 'hello' })).toBeGreaterThan(field({ description: 'hello' }));
    expect(field({ description: 'say hello' })).toBeGreaterThan(0);
    // A description is matched as words, not as scattered letters.
    expect(scoreItem('hlo', item('tool', 'x', { description: 'hello world' }))).toBeUndefined();
  });

  it('finds an item by a word of its name and a word of its server', () => {
    const groups = rankPalette('echo fixture', items);
    expect(names(groups)).toEqual([['tool', ['echo']]]);
    expect(rankPalette('greeting', items)[0]?.items[0]?.item.name).toBe('hello');
  });

  it('marks the characters of the name that matched', () => {
    expect(scoreItem('gw', item('tool', 'get_weather'))?.nameIndices).toEqual([0, 4]);
    expect(scoreItem('add serv', item('action', 'Add server'))?.nameIndices).toEqual([0, 1, 2, 4, 5, 6, 7]);
    // A match in another field marks nothing in the name.
    expect(scoreItem('forecast', items[3]!)?.nameIndices).toEqual([]);
  });

  it('prefers the whole name, then a name that starts with the query', () => {
    const ranked = rankPalette('env', [item('tool', 'event-viewer'), item('tool', 'environment'), item('tool', 'env')]);
    expect(ranked[0]!.items.map((entry) => entry.item.name)).toEqual(['env', 'environment', 'event-viewer']);
  });

  it('lists everything with no query, in the order given and the kinds\' order, at most so many per group', () => {
    const groups = rankPalette('', items, 2);
    expect(groups.map((group) => group.kind)).toEqual(['server', 'tool', 'resource', 'prompt', 'action']);
    expect(groups[1]).toMatchObject({ matched: 3, items: [{ item: { name: 'echo' } }, { item: { name: 'get_weather' } }] });
  });
});

describe('palette items', () => {
  const entry = (name: string, extra: Partial<ServerEntry> = {}) => ({ name, transport: 'stdio', command: 'node', args: [], ...extra }) as unknown as ServerEntry;
  const view = (name: string, status: ServerView['status'], extra: Partial<ServerView> = {}) =>
    ({ entry: entry(name), status, connectedOrWanted: status === 'ready', ...extra }) as ServerView;
  const list = <T,>(items: T[]): LoadedList<T> => ({ items, loading: false, version: 0 });
  const lists: ServerLists = {
    tools: list([{ name: 'echo', inputSchema: { type: 'object' } }]),
    resources: list([{ name: 'hello', uri: 'fixture://hello' }]),
    resourceTemplates: list([{ name: 'item', uriTemplate: 'fixture://items/{id}' }]),
    prompts: list([{ name: 'greet' }]),
  };
  const calls: string[] = [];
  const commands: PaletteCommands = {
    selectServer: (name) => calls.push(`select ${name}`),
    toggleServer: (name, connectedNow) => calls.push(`toggle ${name} ${connectedNow}`),
    reveal: (server, kind, key) => calls.push(`reveal ${server} ${kind} ${key}`),
    runShortcut: (id) => calls.push(`shortcut ${id}`),
    addServer: () => calls.push('add'),
    importConfig: () => calls.push('import'),
    findConfigs: () => calls.push('find'),
    exportCatalog: () => calls.push('export'),
    openSettings: () => calls.push('settings'),
    disconnectAll: () => calls.push('disconnect all'),
  };
  const built = buildPaletteItems(
    { servers: [view('fixture', 'ready'), view('idle', 'disconnected'), view('off', 'disconnected', { entry: entry('off', { disabled: true }) })], lists: { fixture: lists }, platform: 'other' },
    commands,
  );
  const byName = (name: string) => built.find((candidate) => candidate.name === name)!;

  it('offers every server, the connected servers\' tools, resources, templates and prompts, and the actions', () => {
    expect(built.filter((candidate) => candidate.kind === 'server').map((candidate) => `${candidate.name} ${candidate.hint}`)).toEqual(['fixture connected', 'idle disconnected', 'off disconnected']);
    expect(built.filter((candidate) => candidate.server === 'fixture' && candidate.kind !== 'action').map((candidate) => `${candidate.kind} ${candidate.name}`)).toEqual([
      'tool echo',
      'resource hello',
      'resource item',
      'prompt greet',
    ]);
    const actions = built.filter((candidate) => candidate.kind === 'action').map((candidate) => candidate.name);
    for (const name of ['Add server', 'Import config files…', 'Find my configs', 'Export servers…', 'Settings…', 'Disconnect all servers', 'Disconnect fixture', 'Connect idle'])
      expect(actions).toContain(name);
    // Every shortcut but the palette's own; a disabled server cannot be connected.
    for (const shortcut of SHORTCUTS.filter((candidate) => candidate.id !== 'open-palette')) expect(actions).toContain(shortcut.label);
    expect(actions.some((name) => name.startsWith('Command palette'))).toBe(false);
    expect(actions).not.toContain('Connect off');
    expect(new Set(built.map((candidate) => candidate.id)).size).toBe(built.length);
  });

  it('runs the same commands the toolbar, the list and the keys do', () => {
    calls.length = 0;
    for (const name of ['fixture', 'echo', 'hello', 'item', 'greet', 'Add server', 'Import config files…', 'Find my configs', 'Export servers…', 'Settings…', 'Disconnect fixture', 'Connect idle', 'Connect all servers'])
      byName(name).run();
    expect(calls).toEqual([
      'select fixture',
      'reveal fixture tool echo',
      'reveal fixture resource fixture://hello',
      'reveal fixture template fixture://items/{id}',
      'reveal fixture prompt greet',
      'add',
      'import',
      'find',
      'export',
      'settings',
      'toggle fixture true',
      'toggle idle false',
      'shortcut connect-all',
    ]);
    expect(byName('Connect all servers').hint).toBe('Ctrl+Shift+A');
  });
});
