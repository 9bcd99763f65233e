import { useEffect } from 'react';
import { sessionOf, useInspectorStore } from './inspector-store';
import { ensureListLoaded, listOf, listVersionKey, loadMoreOfList, reloadList, type ListKind } from './server-lists';

/** A server's list as a view shows it: what is loaded, whether a load is under way, what went wrong, and its actions. */
export interface ServerListState<K extends ListKind> {
  list: ReturnType<typeof listOf<K>>;
  loading: boolean;
  error?: string;
  /** Loads the page after the last one (when there is a cursor). */
  loadMore(): void;
  /** Loads the list again from its first page. */
  reload(): void;
}

/**
 * A server's list from the inspector store: loaded when `enabled` and whenever the server says it changed, further
 * pages on demand. The store keeps it, so the command palette finds what the views loaded (and the other way round).
 */
export function useServerList<K extends ListKind>(server: string, kind: K, enabled: boolean): ServerListState<K> {
  const list = useInspectorStore((state) => listOf(state, server, kind));
  const version = useInspectorStore((state) => sessionOf(state, server).listVersions[listVersionKey(kind)]);
  useEffect(() => {
    if (enabled) ensureListLoaded(server, kind);
  }, [server, kind, enabled, version]);
  return { list, loading: list.loading, error: list.error, loadMore: () => loadMoreOfList(server, kind), reload: () => reloadList(server, kind) };
}
