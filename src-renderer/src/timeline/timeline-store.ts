import { closeSentence } from '../../../src-shared/close-sentences';
import { eventEra, type LifecycleEvent, type MessageEvent } from '../../../src-shared/events';
import { EntryDeque } from './entry-deque';
import {
  buildSearchText,
  cancelledRequestId,
  faultAsMessage,
  faultHasOwnRow,
  isToolErrorResult,
  notDelivered,
  oppositeDirection,
  requestKey,
  type FaultInjectedEvent,
  type TimelineEntry,
} from './timeline-entry';
import { compileFilter, isEmptyFilter, narrows, NO_FILTER, type EntryPredicate, type TimelineFilter } from './timeline-filter';
import { isGroupMember, RequestGrouper, type RequestGroup } from './request-groups';

/** The lifecycle events that end a session's requests. */
export type SessionEndEvent = Extract<LifecycleEvent, { type: 'session-closing' | 'session-closed' }>;

/** How many messages are kept unless the user says otherwise. */
export const DEFAULT_CAP = 100_000;
/** The cap the user may choose, within these bounds. */
export const MIN_CAP = 100;
export const MAX_CAP = 1_000_000;
/**
 * Besides the count cap, the kept bodies and search texts may take at most this many bytes (as JSON), so large
 * messages cannot run the renderer out of memory: 100,000 messages of the proxy's largest body (256 KiB) would be
 * 25 GiB. Over it the oldest messages are dropped, as over the cap.
 */
export const DEFAULT_BYTE_BUDGET = 256 * 1024 * 1024;
/** Arrivals are announced to subscribers at most this often, so a flood costs one render per batch. */
const ARRIVAL_NOTIFY_MS = 50;

export interface TimelineStoreOptions {
  cap?: number;
  /** Bytes of bodies and search text kept at most (default DEFAULT_BYTE_BUDGET). */
  byteBudget?: number;
  /**
   * Schedules the announcement of arrivals. Defaults to a 50 ms timer; tests pass one that runs at once.
   * User actions (filter, clear, cap) are announced immediately.
   */
  schedule?: (notify: () => void) => void;
}

/**
 * Every JSON-RPC message the proxy relayed, across servers, newest last, with requests linked to their responses
 * and related messages, a filter applied incrementally, and a cap that drops the oldest.
 *
 * Per arrival the work is O(1) (amortized): one entry, a couple of map look-ups, one predicate call, and at most
 * one drop. A filter change is one pass over the kept messages, or over the shown ones when it only narrows.
 * Components read it through `subscribe` and `getVersion` (useSyncExternalStore); it is separate from the app store.
 */
export class TimelineStore {
  private all = new EntryDeque<TimelineEntry>();
  private visible = new EntryDeque<TimelineEntry>();
  /** Kept requests by requestKey, to link responses and related messages in O(1). */
  private requests = new Map<string, TimelineEntry>();
  /** Kept requests not yet answered, cancelled or ended, by session: a session's end settles them all. */
  private unsettled = new Map<string, Set<TimelineEntry>>();
  private serverNames = new Set<string>();
  private methodNames = new Set<string>();
  private currentFilter: TimelineFilter = NO_FILTER;
  private predicate: EntryPredicate = compileFilter(NO_FILTER);
  /** Multi round-trip requests and tasks, found as their messages arrive. */
  private readonly grouper = new RequestGrouper();
  /**
   * What is shown: what the filter lets through, less the later rounds and polls of collapsed groups. Groups fold
   * only while no filter is set, so a filter always shows every message it matches.
   */
  private shows: EntryPredicate = this.compileShows();
  private nextOrdinal = 1;
  private droppedCount = 0;
  private currentCap: number;
  private readonly byteBudget: number;
  /** What the kept messages weigh: body bytes plus search text characters. */
  private keptBytes = 0;
  private version = 0;
  private notifyScheduled = false;
  private readonly listeners = new Set<() => void>();
  private readonly schedule: (notify: () => void) => void;

  constructor(options: TimelineStoreOptions = {}) {
    this.currentCap = clampCap(options.cap ?? DEFAULT_CAP);
    this.byteBudget = options.byteBudget ?? DEFAULT_BYTE_BUDGET;
    this.schedule = options.schedule ?? ((notify) => setTimeout(notify, ARRIVAL_NOTIFY_MS));
  }

  /** Adds one message event. */
  ingest(event: MessageEvent): void {
    this.add(event);
    this.announceLater();
  }

  /** Adds a fault the proxy injected: a kill or a stall gets a row of its own (the rest mark their messages). */
  ingestFault(event: FaultInjectedEvent): void {
    if (!faultHasOwnRow(event.kind)) return;
    this.add(faultAsMessage(event), event);
    this.announceLater();
  }

  /** Adds many message events, announcing once. */
  ingestMany(events: readonly MessageEvent[]): void {
    for (const event of events) this.add(event);
    this.announceLater();
  }

  /**
   * A session is ending (or has ended): every request of it still waiting is marked as failed with the reason, so
   * nothing stays pending once its session is gone. The proxy answers them to the client, but not on the event bus.
   */
  endSession(event: SessionEndEvent): void {
    const waiting = this.unsettled.get(event.sessionId);
    if (!waiting) return;
    this.unsettled.delete(event.sessionId);
    const reason = closeSentence(event.server, { reason: event.reason, detail: event.detail });
    for (const request of waiting) {
      request.outcome = { kind: 'session-ended', at: event.at, reason };
      this.markError(request);
    }
    this.announceLater();
  }

  /**
   * After a new snapshot (events were dropped, a close may be among them): the requests of every session the
   * snapshot at `snapshotSeq` does not list are marked as ended. A session with a request newer than the snapshot
   * began after it and is left alone.
   */
  endSessionsMissingFrom(liveSessionIds: ReadonlySet<string>, snapshotSeq: number, at: number): void {
    let changed = false;
    for (const [sessionId, waiting] of this.unsettled) {
      if (liveSessionIds.has(sessionId) || [...waiting].some((request) => request.event.seq > snapshotSeq)) continue;
      // A modern request's channel is no session, so the snapshot's session list says nothing about it: the proxy
      // answers every modern request (with an error when its server goes), and that answer settles it.
      if ([...waiting].some((request) => eventEra(request.event) === 'modern')) continue;
      this.unsettled.delete(sessionId);
      for (const request of waiting) {
        request.outcome = { kind: 'session-ended', at, reason: `the session with "${request.event.server}" ended while events were being dropped` };
        this.markError(request);
      }
      changed = true;
    }
    if (changed) this.announceLater();
  }

  /** Forgets every message (and the dropped count); the filter and cap stay. */
  clear(): void {
    this.all = new EntryDeque();
    this.visible = new EntryDeque();
    this.requests.clear();
    this.unsettled.clear();
    this.grouper.clear();
    this.serverNames.clear();
    this.methodNames.clear();
    this.droppedCount = 0;
    this.keptBytes = 0;
    this.announceNow();
  }

  /** Applies a filter (merged into the current one). */
  setFilter(change: Partial<TimelineFilter>): void {
    const next = { ...this.currentFilter, ...change };
    const previous = this.currentFilter;
    this.currentFilter = next;
    this.predicate = compileFilter(next);
    this.shows = this.compileShows();
    // Folding stops (or starts) with the first (or last) filter: then the shown messages are no base to narrow.
    const sameFolding = isEmptyFilter(previous) === isEmptyFilter(next);
    this.visible = (sameFolding && narrows(previous, next) ? this.visible : this.all).filter(this.shows);
    this.announceNow();
  }

  /** Shows (or hides again) the later rounds and task polls of a multi round-trip request or task. */
  setGroupExpanded(group: RequestGroup, expanded: boolean): void {
    if (group.expanded === expanded) return;
    group.expanded = expanded;
    group.version += 1;
    this.visible = this.all.filter(this.shows);
    this.announceNow();
  }

  /** Sets how many messages are kept (clamped to MIN_CAP…MAX_CAP), dropping the oldest at once when over. */
  setCap(cap: number): void {
    this.currentCap = clampCap(cap);
    this.enforceCap();
    this.announceNow();
  }

  get filter(): TimelineFilter {
    return this.currentFilter;
  }

  get cap(): number {
    return this.currentCap;
  }

  /** Messages kept (at most the cap). */
  get total(): number {
    return this.all.length;
  }

  /** Bytes of bodies and search text kept (see DEFAULT_BYTE_BUDGET). */
  get bytes(): number {
    return this.keptBytes;
  }

  /** Messages dropped because of the cap (or the byte budget) since the last Clear. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The messages the filter lets through, oldest first. Read-only to callers. */
  get shown(): Pick<EntryDeque<TimelineEntry>, 'length' | 'at' | 'indexOfOrdinal' | 'toArray'> {
    return this.visible;
  }

  /** Servers seen since the last Clear, sorted. */
  servers(): string[] {
    return [...this.serverNames].sort();
  }

  /** Methods seen since the last Clear, sorted. */
  methods(): string[] {
    return [...this.methodNames].sort();
  }

  /** For useSyncExternalStore: changes whenever anything shown may have changed. */
  getVersion = (): number => this.version;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private add(event: MessageEvent, fault?: FaultInjectedEvent): void {
    const sessionId = event.sessionId;
    let method = event.method;
    let request: TimelineEntry | undefined;
    if (event.kind === 'response' && event.id !== undefined) {
      request = this.requests.get(requestKey(sessionId, oppositeDirection(event.direction), event.id));
      if (request?.response) request = undefined; // an id reused after its answer: not this response's request
      method ??= request?.event.method;
    }
    const parent =
      event.relatedRequestId !== undefined
        ? this.requests.get(requestKey(sessionId, 'client-to-server', event.relatedRequestId))
        : request?.parent;

    const toolError = isToolErrorResult(event);
    const entry: TimelineEntry = {
      ordinal: this.nextOrdinal++,
      event,
      method,
      searchText: buildSearchText(method, event),
      durationMs: event.kind === 'response' ? event.durationMs : undefined,
      isError: (event.kind === 'response' && event.isError === true) || toolError,
      ...(toolError ? { toolError } : {}),
      ...(request ? { request } : {}),
      ...(parent ? { parent } : {}),
      ...(fault ? { fault } : {}),
    };
    if (parent && event.kind !== 'response') (parent.related ??= []).push(entry);
    this.grouper.place(entry);
    if (event.kind === 'request' && event.id !== undefined) {
      this.requests.set(requestKey(sessionId, event.direction, event.id), entry);
      let waiting = this.unsettled.get(sessionId);
      if (!waiting) this.unsettled.set(sessionId, (waiting = new Set()));
      waiting.add(entry);
    }

    this.all.push(entry);
    this.keptBytes += weight(entry);
    this.serverNames.add(event.server);
    if (method !== undefined) this.methodNames.add(method);
    if (this.shows(entry)) this.visible.push(entry);

    // A response a fault kept from the client answers nothing: its request waits on, as the client's call does.
    if (request && !notDelivered(event.injected)) {
      request.response = entry;
      request.durationMs = entry.durationMs;
      this.settle(request);
      if (toolError) request.toolError = true;
      if (entry.isError) this.markError(request);
    }
    const cancelled = cancelledRequestId(event);
    if (cancelled) {
      // The sender of the cancel is the sender of the request it names.
      const target = this.requests.get(requestKey(sessionId, event.direction, cancelled.id));
      if (target && !target.response && !target.outcome) {
        target.outcome = { kind: 'cancelled', at: event.at, ...(cancelled.reason !== undefined ? { reason: cancelled.reason } : {}) };
        this.settle(target);
      }
    }
    this.enforceCap();
  }

  /** A request no longer waits: it leaves its session's unsettled set. */
  private settle(request: TimelineEntry): void {
    const waiting = this.unsettled.get(request.event.sessionId);
    if (!waiting) return;
    waiting.delete(request);
    if (waiting.size === 0) this.unsettled.delete(request.event.sessionId);
  }

  /** Counts a kept message as an error; "Errors only" may now show it where it did not. */
  private markError(entry: TimelineEntry): void {
    if (entry.isError) return;
    entry.isError = true;
    if (this.currentFilter.errorsOnly && this.shows(entry) && this.all.indexOfOrdinal(entry.ordinal) !== -1) this.visible.insertInOrder(entry);
  }

  private enforceCap(): void {
    let unfold = false;
    while (this.all.length > this.currentCap || (this.keptBytes > this.byteBudget && this.all.length > 1)) {
      const oldest = this.all.shift()!;
      this.droppedCount += 1;
      this.keptBytes -= weight(oldest);
      // The shown messages are in the same order, so the oldest kept, if shown, is the first shown.
      if (this.visible.first() === oldest) this.visible.shift();
      const { event } = oldest;
      if (event.kind === 'request' && event.id !== undefined) {
        const key = requestKey(event.sessionId, event.direction, event.id);
        if (this.requests.get(key) === oldest) this.requests.delete(key);
        this.settle(oldest);
      }
      // A collapsed group losing its first row would hide the rest for good: they are shown on their own.
      if (oldest.group?.root === oldest && !oldest.group.expanded) unfold = true;
      this.grouper.forget(oldest);
      // Later messages may still point at it (and name it), but it no longer holds on to theirs.
      oldest.related = undefined;
    }
    if (unfold && isEmptyFilter(this.currentFilter)) this.visible = this.all.filter(this.shows);
  }

  private compileShows(): EntryPredicate {
    const predicate = this.predicate;
    if (!isEmptyFilter(this.currentFilter)) return predicate;
    return (entry) => predicate(entry) && !(entry.group && !entry.group.expanded && isGroupMember(entry));
  }

  private announceLater(): void {
    this.version += 1;
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    this.schedule(() => {
      this.notifyScheduled = false;
      this.emit();
    });
  }

  private announceNow(): void {
    this.version += 1;
    this.emit();
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** What an entry counts against the byte budget: its body's bytes (when kept) and its search text. */
function weight(entry: TimelineEntry): number {
  return (entry.event.body === undefined ? 0 : entry.event.size) + entry.searchText.length;
}

/** The cap rounded and kept within MIN_CAP…MAX_CAP. */
export function clampCap(cap: number): number {
  if (!Number.isFinite(cap)) return DEFAULT_CAP;
  return Math.min(MAX_CAP, Math.max(MIN_CAP, Math.round(cap)));
}
