import { fuzzyMatch, substringMatch } from '../../../src-shared/fuzzy-match';

/*
 * The command palette's search, pure: every item is scored against the query (its name counts most, its title, uri
 * and server name less, its description least), the ones that match are grouped by kind, and groups and items are
 * ordered best first.
 */

export type PaletteKind = 'server' | 'tool' | 'resource' | 'prompt' | 'action';

/** The order of groups when scores tie (and with no query). */
export const PALETTE_KINDS: readonly PaletteKind[] = ['server', 'tool', 'resource', 'prompt', 'action'];

export const KIND_LABELS: Record<PaletteKind, string> = { server: 'Servers', tool: 'Tools', resource: 'Resources', prompt: 'Prompts', action: 'Actions' };

/** What the search looks at in an item. */
export interface RankableItem {
  kind: PaletteKind;
  /** Shown first and matched most strongly: a server's, tool's, resource's or prompt's name, an action's label. */
  name: string;
  /** A human title (tools, resources and prompts may have one). */
  title?: string;
  /** A resource's uri or a template's uriTemplate. */
  detail?: string;
  /** The server the item belongs to. */
  server?: string;
  description?: string;
}

export interface RankedItem<T> {
  item: T;
  score: number;
  /** The positions of the name's characters that matched the query, for highlighting. */
  nameIndices: number[];
}

export interface RankedGroup<T> {
  kind: PaletteKind;
  items: RankedItem<T>[];
  /** How many items of this kind matched (more than are listed when the group was cut short). */
  matched: number;
}

/** How much a match in each field counts, relative to one in the name. */
const WEIGHTS = { name: 1, title: 0.7, detail: 0.6, server: 0.5, description: 0.4 };
/** The whole query is the name, or its start (words and spaces as typed). */
const WHOLE_NAME = 40;
const NAME_PREFIX = 20;
/** Items listed per group; the heading says how many more matched. */
export const MAX_PER_GROUP = 50;

interface Scored {
  score: number;
  nameIndices: number[];
}

/** One query term against one item: the best of its fields, or undefined when none matches. */
function scoreTerm(term: string, item: RankableItem): Scored | undefined {
  let best: Scored | undefined;
  const consider = (match: { score: number; indices: number[] } | undefined, weight: number, isName: boolean) => {
    if (!match) return;
    const score = match.score * weight;
    if (!best || score > best.score) best = { score, nameIndices: isName ? match.indices : [] };
  };
  consider(fuzzyMatch(term, item.name), WEIGHTS.name, true);
  if (item.title) consider(fuzzyMatch(term, item.title), WEIGHTS.title, false);
  if (item.detail) consider(fuzzyMatch(term, item.detail), WEIGHTS.detail, false);
  if (item.server && item.kind !== 'server') consider(fuzzyMatch(term, item.server), WEIGHTS.server, false);
  if (item.description) consider(substringMatch(term, item.description), WEIGHTS.description, false);
  return best;
}

/**
 * How well a query matches an item: every word of the query must match one of its fields (so `echo fixture` finds
 * the tool echo of the server fixture); undefined when one does not. An empty query matches everything with 0.
 */
export function scoreItem(query: string, item: RankableItem): Scored | undefined {
  const terms = query.trim().split(/\s+/).filter(Boolean);
  let score = 0;
  const nameIndices = new Set<number>();
  for (const term of terms) {
    const scored = scoreTerm(term, item);
    if (!scored) return undefined;
    score += scored.score;
    for (const index of scored.nameIndices) nameIndices.add(index);
  }
  const phrase = query.trim().toLowerCase();
  const name = item.name.toLowerCase();
  if (phrase && name === phrase) score += WHOLE_NAME;
  else if (phrase && name.startsWith(phrase)) score += NAME_PREFIX;
  return { score, nameIndices: [...nameIndices].sort((a, b) => a - b) };
}

/**
 * The items that match, grouped by kind: groups in the order of their best item (ties and an empty query in
 * PALETTE_KINDS order), items best first (ties: the shorter name, then the order given), at most `perGroup` each.
 */
export function rankPalette<T extends RankableItem>(query: string, items: readonly T[], perGroup = MAX_PER_GROUP): RankedGroup<T>[] {
  const searching = query.trim() !== '';
  const byKind = new Map<PaletteKind, { ranked: RankedItem<T>; order: number }[]>();
  items.forEach((item, order) => {
    const scored = scoreItem(query, item);
    if (!scored) return;
    const list = byKind.get(item.kind) ?? [];
    list.push({ ranked: { item, score: scored.score, nameIndices: scored.nameIndices }, order });
    byKind.set(item.kind, list);
  });
  const groups = [...byKind.entries()].map(([kind, list]) => {
    // With no query the order given stands (the catalog's, the server's).
    const shorter = (a: RankedItem<T>, b: RankedItem<T>) => (searching ? a.item.name.length - b.item.name.length : 0);
    list.sort((a, b) => b.ranked.score - a.ranked.score || shorter(a.ranked, b.ranked) || a.order - b.order);
    return { kind, items: list.slice(0, perGroup).map((entry) => entry.ranked), matched: list.length };
  });
  return groups.sort((a, b) => b.items[0]!.score - a.items[0]!.score || PALETTE_KINDS.indexOf(a.kind) - PALETTE_KINDS.indexOf(b.kind));
}
