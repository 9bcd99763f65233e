/**
 * Loads a connection's tools, resources, resource templates and prompts into the inspector store, a page at a time
 * (`nextCursor`), for the views and the command palette alike. A list is loaded when first wanted and again when
 * the server says it changed (its ListVersions counter moved); answers to superseded loads, or that arrive after
 * their connection closed, are ignored.
 */
import type { Client, ServerCapabilities } from '@modelcontextprotocol/client';
import { patchSession, sessionOf, useInspectorStore, type InspectorState, type ListVersions, type LoadedList, type ServerLists } from './inspector-store';
import { appendPage, firstPage } from './paged-list';
import { errorMessage } from './tool-calls';

export type ListKind = keyof ServerLists;
export type ListItem<K extends ListKind> = ServerLists[K]['items'][number];

interface ListSource<K extends ListKind> {
  /** Whether the server offers the list at all (its capabilities). */
  offered(capabilities: ServerCapabilities): boolean;
  /** The counter that moves when the server says this list changed. */
  version: keyof ListVersions;
  load(client: Client, cursor: string | undefined): Promise<{ items: ListItem<K>[]; nextCursor?: string }>;
  keyOf(item: ListItem<K>): string;
}

const params = (cursor: string | undefined) => (cursor ? { cursor } : {});

const SOURCES: { [K in ListKind]: ListSource<K> } = {
  tools: {
    offered: (capabilities) => Boolean(capabilities.tools),
    version: 'tools',
    load: (client, cursor) => client.request({ method: 'tools/list', params: params(cursor) }).then((result) => ({ items: result.tools, nextCursor: result.nextCursor })),
    keyOf: (tool) => tool.name,
  },
  resources: {
    offered: (capabilities) => Boolean(capabilities.resources),
    version: 'resources',
    load: (client, cursor) => client.request({ method: 'resources/list', params: params(cursor) }).then((result) => ({ items: result.resources, nextCursor: result.nextCursor })),
    keyOf: (resource) => resource.uri,
  },
  resourceTemplates: {
    offered: (capabilities) => Boolean(capabilities.resources),
    version: 'resources',
    load: (client, cursor) => client.request({ method: 'resources/templates/list', params: params(cursor) }).then((result) => ({ items: result.resourceTemplates, nextCursor: result.nextCursor })),
    keyOf: (template) => template.uriTemplate,
  },
  prompts: {
    offered: (capabilities) => Boolean(capabilities.prompts),
    version: 'prompts',
    load: (client, cursor) => client.request({ method: 'prompts/list', params: params(cursor) }).then((result) => ({ items: result.prompts, nextCursor: result.nextCursor })),
    keyOf: (prompt) => prompt.name,
  },
};

export const LIST_KINDS = Object.keys(SOURCES) as ListKind[];

/** The list-change counter a list follows (resource templates follow the resources'). */
export function listVersionKey(kind: ListKind): keyof ListVersions {
  return SOURCES[kind].version;
}

/** A server's list as loaded so far (empty when it has no connection). */
export function listOf<K extends ListKind>(state: InspectorState, server: string, kind: K): ServerLists[K] {
  return sessionOf(state, server).lists[kind];
}

/** Which load of a server's list is the latest: answers of any earlier one are dropped. */
const generations = new Map<string, number>();

function nextGeneration(server: string, kind: ListKind): () => boolean {
  const key = `${server}\u0000${kind}`;
  const mine = (generations.get(key) ?? 0) + 1;
  generations.set(key, mine);
  return () => generations.get(key) === mine;
}

function patchList<K extends ListKind>(server: string, client: Client, kind: K, change: (list: ServerLists[K]) => Partial<LoadedList<ListItem<K>>>): void {
  patchSession(server, client, (session) => ({ lists: { ...session.lists, [kind]: { ...session.lists[kind], ...change(session.lists[kind]) } } }));
}

/** The open connection of a server and whether it offers this list (a connection still initializing offers nothing). */
function openConnection(server: string, kind: ListKind): Client | undefined {
  const client = sessionOf(useInspectorStore.getState(), server).client;
  const capabilities = client?.getServerCapabilities();
  return client && capabilities && SOURCES[kind].offered(capabilities) ? client : undefined;
}

function loadPage<K extends ListKind>(server: string, kind: K, cursor: string | undefined): void {
  const client = openConnection(server, kind);
  if (!client) return;
  const source = SOURCES[kind] as ListSource<K>;
  const isLatest = nextGeneration(server, kind);
  const version = sessionOf(useInspectorStore.getState(), server).listVersions[source.version];
  patchList(server, client, kind, () => ({ loading: true, error: undefined, ...(cursor === undefined ? { version } : {}) }));
  source
    .load(client, cursor)
    .then((page) => {
      if (!isLatest()) return;
      patchList(server, client, kind, (list) => ({
        ...(cursor === undefined ? firstPage(page.items, page.nextCursor) : appendPage(list, page.items, page.nextCursor, source.keyOf)),
        loading: false,
      }));
    })
    .catch((failure: unknown) => {
      if (isLatest()) patchList(server, client, kind, () => ({ loading: false, error: errorMessage(failure) }));
    });
}

/** Loads a server's list again from its first page (Refresh). */
export function reloadList(server: string, kind: ListKind): void {
  loadPage(server, kind, undefined);
}

/** Loads the page after the last one loaded, when the server said there is one (Load more). */
export function loadMoreOfList(server: string, kind: ListKind): void {
  const list = listOf(useInspectorStore.getState(), server, kind);
  if (list.nextCursor && !list.loading) loadPage(server, kind, list.nextCursor);
}

/**
 * Loads a server's list unless it is loaded (or loading) for the server's latest list-change counter; a list whose
 * last load failed is tried again. Nothing is sent for a list the server does not offer.
 */
export function ensureListLoaded(server: string, kind: ListKind): void {
  const session = sessionOf(useInspectorStore.getState(), server);
  const list = session.lists[kind];
  const current = session.listVersions[SOURCES[kind].version];
  if (list.version === current && !(list.error && !list.loading)) return;
  loadPage(server, kind, undefined);
}

/** Every connected server's lists, loaded where they are not yet (what the command palette searches). */
export function ensureAllListsLoaded(): void {
  for (const server of Object.keys(useInspectorStore.getState().sessions)) {
    for (const kind of LIST_KINDS) ensureListLoaded(server, kind);
  }
}
