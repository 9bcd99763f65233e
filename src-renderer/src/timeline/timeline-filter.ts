import type { MessageDirection } from '../../../src-shared/events';
import type { TimelineEntry } from './timeline-entry';

/** What the timeline shows. Empty strings mean "any". */
export interface TimelineFilter {
  server: string;
  /** For responses this is matched against their request's method. */
  method: string;
  direction: MessageDirection | '';
  /** Error responses and the requests they answered. */
  errorsOnly: boolean;
  /** Free text, searched case-insensitively in method, id and body JSON. */
  text: string;
  /** Only what a fault plan did on purpose: messages it touched and its kills and stalls. */
  injectedOnly: boolean;
}

export const NO_FILTER: TimelineFilter = { server: '', method: '', direction: '', errorsOnly: false, text: '', injectedOnly: false };

/** A filter compiled for one pass: the text lowercased once, the checks that are off skipped. */
export type EntryPredicate = (entry: TimelineEntry) => boolean;

/** Whether the filter lets everything through. */
export function isEmptyFilter(filter: TimelineFilter): boolean {
  return !filter.server && !filter.method && !filter.direction && !filter.errorsOnly && !filter.injectedOnly && !filter.text.trim();
}

/** Compiles a filter into a predicate. */
export function compileFilter(filter: TimelineFilter): EntryPredicate {
  const { server, method, direction, errorsOnly, injectedOnly } = filter;
  const text = filter.text.trim().toLowerCase();
  return (entry) =>
    (!server || entry.event.server === server) &&
    (!method || entry.method === method) &&
    (!direction || entry.event.direction === direction) &&
    (!errorsOnly || entry.isError) &&
    (!injectedOnly || entry.event.injected !== undefined) &&
    (!text || entry.searchText.includes(text));
}

/**
 * Whether everything `next` lets through `previous` let through too, so `next` can be applied to the messages
 * shown now instead of all of them (typing more of a search). Only the text may differ, and only by growing.
 */
export function narrows(previous: TimelineFilter, next: TimelineFilter): boolean {
  if (previous.server !== next.server || previous.method !== next.method || previous.direction !== next.direction) return false;
  if (previous.errorsOnly !== next.errorsOnly || previous.injectedOnly !== next.injectedOnly) return false;
  return next.text.trim().toLowerCase().includes(previous.text.trim().toLowerCase());
}
