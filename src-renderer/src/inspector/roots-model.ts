/**
 * The Roots tab's editable list: rows of URI and name as typed, checked before they become the client's roots
 * (what `roots/list` answers). MCP requires `file://` URIs, and the server's SDK rejects a list with any other.
 */
import type { Root } from '@modelcontextprotocol/client';

/** A row as the user typed it. */
export interface RootDraft {
  uri: string;
  name: string;
}

/** A problem with one row. */
export interface RootProblem {
  index: number;
  message: string;
}

/** The rows as roots, or what is wrong with them. Blank rows are ignored. */
export function rootsFromDrafts(drafts: readonly RootDraft[]): { roots: Root[] } | { problems: RootProblem[] } {
  const problems: RootProblem[] = [];
  const roots: Root[] = [];
  const seen = new Set<string>();
  drafts.forEach((draft, index) => {
    const uri = draft.uri.trim();
    const name = draft.name.trim();
    if (uri === '' && name === '') return;
    if (uri === '') problems.push({ index, message: 'A root needs a URI' });
    else if (!uri.startsWith('file://')) problems.push({ index, message: 'Root URIs must start with file://' });
    else if (seen.has(uri)) problems.push({ index, message: 'This URI is listed twice' });
    else {
      seen.add(uri);
      roots.push(name ? { uri, name } : { uri });
    }
  });
  return problems.length > 0 ? { problems } : { roots };
}

/** The rows for a list of roots. */
export function draftsFromRoots(roots: readonly Root[]): RootDraft[] {
  return roots.map((root) => ({ uri: root.uri, name: root.name ?? '' }));
}

/** Whether two root lists are the same (then no list_changed notification is due). */
export function sameRoots(a: readonly Root[], b: readonly Root[]): boolean {
  return a.length === b.length && a.every((root, index) => root.uri === b[index]?.uri && (root.name ?? '') === (b[index]?.name ?? ''));
}
