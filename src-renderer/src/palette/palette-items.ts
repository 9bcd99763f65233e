import { formatChord, SHORTCUTS, type Platform, type ShortcutId } from '../../../src-shared/shortcuts';
import { transportLabel } from '../format';
import type { RevealKind } from '../inspector/inspector-reveal';
import type { ServerLists } from '../inspector/inspector-store';
import { toolDisplayName } from '../inspector/tool-model';
import type { ServerView } from '../store/server-view';
import type { RankableItem } from './palette-ranking';

/** One entry of the command palette: what it shows and searches, and what choosing it does. */
export interface PaletteItem extends RankableItem {
  /** Unique among the palette's items. */
  id: string;
  /** Shown at the end of the row: a status, a shortcut's keys, "template". */
  hint?: string;
  run(): void;
}

/** What the palette lists: the catalog's servers (with their status) and the lists of the connected ones. */
export interface PaletteSources {
  servers: readonly ServerView[];
  /** Server name → its lists as loaded so far, for servers with an open connection. */
  lists: Readonly<Record<string, ServerLists>>;
  platform: Platform;
}

/** What choosing an item does: the same calls the toolbar, the server list and the shortcut keys make. */
export interface PaletteCommands {
  selectServer(name: string): void;
  toggleServer(name: string, connectedNow: boolean): void;
  reveal(server: string, kind: RevealKind, key: string): void;
  runShortcut(id: ShortcutId): void;
  addServer(): void;
  importConfig(): void;
  findConfigs(): void;
  exportCatalog(): void;
  openSettings(): void;
  disconnectAll(): void;
}

const STATUS_HINTS: Record<ServerView['status'], string> = { ready: 'connected', connecting: 'connecting', disconnected: 'disconnected', error: 'error' };

/** Every item the palette can offer now, in a stable order (servers in catalog order, each server's items as listed). */
export function buildPaletteItems(sources: PaletteSources, commands: PaletteCommands): PaletteItem[] {
  const items: PaletteItem[] = [];
  for (const view of sources.servers) {
    const name = view.entry.name;
    items.push({
      id: `server:${name}`,
      kind: 'server',
      name,
      detail: transportLabel(view.entry.transport),
      hint: view.elsewhere ? 'connected in another window' : STATUS_HINTS[view.status],
      run: () => commands.selectServer(name),
    });
  }

  for (const view of sources.servers) {
    const server = view.entry.name;
    const lists = sources.lists[server];
    if (!lists) continue;
    for (const tool of lists.tools.items) {
      const title = toolDisplayName(tool);
      items.push({
        id: `tool:${server}:${tool.name}`,
        kind: 'tool',
        name: tool.name,
        title: title !== tool.name ? title : undefined,
        description: tool.description,
        server,
        run: () => commands.reveal(server, 'tool', tool.name),
      });
    }
    for (const resource of lists.resources.items) {
      items.push({
        id: `resource:${server}:${resource.uri}`,
        kind: 'resource',
        name: resource.name,
        title: resource.title,
        detail: resource.uri,
        description: resource.description,
        server,
        run: () => commands.reveal(server, 'resource', resource.uri),
      });
    }
    for (const template of lists.resourceTemplates.items) {
      items.push({
        id: `template:${server}:${template.uriTemplate}`,
        kind: 'resource',
        name: template.name,
        title: template.title,
        detail: template.uriTemplate,
        description: template.description,
        server,
        hint: 'template',
        run: () => commands.reveal(server, 'template', template.uriTemplate),
      });
    }
    for (const prompt of lists.prompts.items) {
      items.push({
        id: `prompt:${server}:${prompt.name}`,
        kind: 'prompt',
        name: prompt.name,
        title: prompt.title,
        description: prompt.description,
        server,
        run: () => commands.reveal(server, 'prompt', prompt.name),
      });
    }
  }

  const action = (id: string, name: string, run: () => void, extra: Partial<PaletteItem> = {}) => items.push({ id: `action:${id}`, kind: 'action', name, run, ...extra });
  action('add-server', 'Add server', commands.addServer);
  action('import', 'Import config files…', commands.importConfig, { description: 'Import servers from an MCP host config file (Claude, Cursor, VS Code, …)' });
  action('find-configs', 'Find my configs', commands.findConfigs, { description: 'Look for the MCP servers your other apps have configured' });
  action('export', 'Export servers…', commands.exportCatalog, { description: 'Write the catalog as a Claude Desktop, VS Code or Cursor config' });
  action('settings', 'Settings…', commands.openSettings);
  for (const shortcut of SHORTCUTS) {
    // The palette is open already.
    if (shortcut.id === 'open-palette') continue;
    action(`shortcut:${shortcut.id}`, shortcut.label, () => commands.runShortcut(shortcut.id), { hint: formatChord(shortcut.chord, sources.platform) });
  }
  action('disconnect-all', 'Disconnect all servers', commands.disconnectAll);
  for (const view of sources.servers) {
    const name = view.entry.name;
    const openHere = view.elsewhere !== undefined && !view.connectedOrWanted;
    if (!view.connectedOrWanted && view.entry.disabled === true) continue;
    const verb = openHere ? 'Open' : view.connectedOrWanted ? 'Disconnect' : 'Connect';
    action(`toggle:${name}`, openHere ? `Open ${name} here` : `${verb} ${name}`, () => commands.toggleServer(name, view.connectedOrWanted), { server: name });
  }
  return items;
}
