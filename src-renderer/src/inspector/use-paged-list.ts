import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { appendPage, firstPage, type PagedList } from './paged-list';
import { errorMessage } from './tool-calls';

/** A list loaded from the server a page at a time. */
export interface PagedListState<T> {
  list: PagedList<T>;
  loading: boolean;
  error?: string;
  /** Loads the page after the last one (when there is a cursor). */
  loadMore(): void;
  /** Loads the list again from its first page. */
  reload(): void;
}

/**
 * Loads a list's first page when `enabled` and whenever `version` moves (a list-changed notification, a new
 * client), and further pages on demand. Answers to superseded loads are ignored.
 */
export function usePagedList<T>(
  load: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>,
  keyOf: (item: T) => string,
  enabled: boolean,
  version: unknown,
): PagedListState<T> {
  const [list, setList] = useState<PagedList<T>>({ items: [] });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const generation = useRef(0);
  const loadRef = useRef(load);
  const keyRef = useRef(keyOf);
  // The latest loader is used without making every render a new load.
  useLayoutEffect(() => {
    loadRef.current = load;
    keyRef.current = keyOf;
  });

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    loadRef
      .current(undefined)
      .then((page) => {
        if (generation.current === mine) setList(firstPage(page.items, page.nextCursor));
      })
      .catch((failure: unknown) => {
        if (generation.current === mine) setError(errorMessage(failure));
      })
      .finally(() => {
        if (generation.current === mine) setLoading(false);
      });
  }, []);

  useEffect(() => {
    if (enabled) reload();
  }, [enabled, version, reload]);

  const loadMore = useCallback(() => {
    const cursor = list.nextCursor;
    if (!cursor) return;
    const mine = ++generation.current;
    setLoading(true);
    setError(undefined);
    loadRef
      .current(cursor)
      .then((page) => {
        if (generation.current === mine) setList((current) => appendPage(current, page.items, page.nextCursor, keyRef.current));
      })
      .catch((failure: unknown) => {
        if (generation.current === mine) setError(errorMessage(failure));
      })
      .finally(() => {
        if (generation.current === mine) setLoading(false);
      });
  }, [list.nextCursor]);

  return { list, loading, error, loadMore, reload };
}
