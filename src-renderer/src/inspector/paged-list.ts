/**
 * Lists that servers hand out a page at a time (`nextCursor`): the items so far and the cursor to go on with.
 */

/** A list as far as it has been loaded. */
export interface PagedList<T> {
  items: T[];
  /** Where the next page starts; undefined when the list is complete. */
  nextCursor?: string;
}

/** The first page of a list. */
export function firstPage<T>(items: readonly T[], nextCursor: string | undefined): PagedList<T> {
  return { items: [...items], nextCursor: nextCursor || undefined };
}

/**
 * The list with the next page added. Items already present (same key) are replaced where they are rather than
 * repeated, so a server that overlaps pages does not produce duplicates. A cursor that repeats the one just used
 * ends the list (a server stuck on one page would otherwise offer "Load more" forever).
 */
export function appendPage<T>(list: PagedList<T>, items: readonly T[], nextCursor: string | undefined, keyOf: (item: T) => string): PagedList<T> {
  const merged = [...list.items];
  const index = new Map(merged.map((item, position) => [keyOf(item), position]));
  for (const item of items) {
    const existing = index.get(keyOf(item));
    if (existing === undefined) {
      index.set(keyOf(item), merged.length);
      merged.push(item);
    } else merged[existing] = item;
  }
  const cursor = nextCursor && nextCursor !== list.nextCursor ? nextCursor : undefined;
  return { items: merged, nextCursor: cursor };
}
