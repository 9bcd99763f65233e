import type { MessageEvent } from '../../../src-shared/events';
import { syntheticMessages, type SyntheticSummary } from './synthetic-traffic';
import type { TimelineStore } from './timeline-store';

/** What end-to-end tests and the benchmark reach as `window.__patchbayTimeline` (web mode only). */
export interface TimelineTestHook {
  /** Adds message events as if the proxy had sent them. */
  ingest(events: MessageEvent[]): void;
  /**
   * Adds `count` synthetic messages (see synthetic-traffic.ts), made in the page, in batches of `batch`; tells
   * what they contain and how long the store took to take them (generating them not included).
   */
  ingestSynthetic(count: number, batch?: number): SyntheticSummary & { ingestMs: number };
  clear(): void;
  stats(): { total: number; shown: number; dropped: number; cap: number };
}

declare global {
  interface Window {
    __patchbayTimeline?: TimelineTestHook;
  }
}

/**
 * Exposes the timeline store to tests and the benchmark, in web mode only (the Electron app has `window.patchbay`
 * and gets no hook). It can only add display data to this page; it reaches neither the proxy nor main.
 */
export function installTimelineTestHook(store: TimelineStore): void {
  if (typeof window === 'undefined' || window.patchbay) return;
  let nextSeq = 1_000_000_000;
  window.__patchbayTimeline = {
    ingest: (events) => store.ingestMany(events),
    ingestSynthetic: (count, batch = 10_000) => {
      const { events, summary } = syntheticMessages(count, { firstSeq: nextSeq, startAt: Date.now() - count * 3 });
      nextSeq += events.length;
      const started = performance.now();
      for (let start = 0; start < events.length; start += batch) store.ingestMany(events.slice(start, start + batch));
      return { ...summary, ingestMs: performance.now() - started };
    },
    clear: () => store.clear(),
    stats: () => ({ total: store.total, shown: store.shown.length, dropped: store.dropped, cap: store.cap }),
  };
}
