import type { DroppedNotice } from '../../../src-shared/events';

/** Limits of one reader's queue: whichever is reached first stops queueing. */
export interface EventQueueLimits {
  maxEvents: number;
  maxBytes: number;
}

/** Defaults for one slow reader of events (an `/api/events` stream, the web bridge, an app window). */
export const DEFAULT_EVENT_QUEUE_LIMITS: EventQueueLimits = { maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 };

/** One entry of the queue, in stream order: an event, or the notice that stands where events were dropped. */
export type QueuedEntry<T> = { kind: 'event'; event: T; bytes: number } | { kind: 'dropped'; notice: DroppedNotice };

/**
 * The events waiting for one reader that cannot take them yet, capped by count and by bytes. An event that does
 * not fit is dropped and counted in a notice that takes its place in the stream, so the reader learns what it
 * missed exactly where it missed it, followed by the newer events in order. Once dropping has started it goes on
 * until the reader has taken half of what was queued, so a reader that stays slow sees one gap per stall, not a
 * notice between every two events. No timers, no I/O: the hosts (SSE, IPC) decide when to take.
 */
export class BoundedEventQueue<T> {
  private entries: Array<QueuedEntry<T>> = [];
  /** Index of the next entry to take (entries before it are gone; compacted in batches). */
  private head = 0;
  private events = 0;
  private bytes = 0;
  private dropping = false;
  private totalDropped = 0;

  constructor(
    private readonly limits: EventQueueLimits = DEFAULT_EVENT_QUEUE_LIMITS,
    private readonly seqOf: (event: T) => number | undefined = () => undefined,
  ) {}

  /** Queues an event of `bytes` bytes, or counts it in the notice at the end of the queue if it does not fit. */
  push(event: T, bytes: number): void {
    if (this.dropping && this.events <= this.limits.maxEvents / 2 && this.bytes <= this.limits.maxBytes / 2) this.dropping = false;
    const fits = this.events + 1 <= this.limits.maxEvents && this.bytes + bytes <= this.limits.maxBytes;
    if (this.dropping || !fits) {
      this.drop(event, bytes);
      return;
    }
    this.entries.push({ kind: 'event', event, bytes });
    this.events += 1;
    this.bytes += bytes;
  }

  /** The oldest entry, left in place. */
  peek(): QueuedEntry<T> | undefined {
    return this.entries[this.head];
  }

  /** Takes the oldest entry, or undefined when the queue is empty. */
  shift(): QueuedEntry<T> | undefined {
    if (this.head >= this.entries.length) return undefined;
    const entry = this.entries[this.head]!;
    this.head += 1;
    if (entry.kind === 'event') {
      this.events -= 1;
      this.bytes -= entry.bytes;
    }
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  /** Forgets everything queued (the reader is gone). */
  clear(): void {
    this.entries = [];
    this.head = 0;
    this.events = 0;
    this.bytes = 0;
    this.dropping = false;
  }

  /** Whether nothing waits, neither events nor a notice. */
  get isEmpty(): boolean {
    return this.head >= this.entries.length;
  }

  /** Events waiting (notices not counted). */
  get queuedEvents(): number {
    return this.events;
  }

  /** Bytes of the events waiting: never above the cap. */
  get queuedBytes(): number {
    return this.bytes;
  }

  /** Events dropped since the queue was made. */
  get droppedTotal(): number {
    return this.totalDropped;
  }

  private drop(event: T, bytes: number): void {
    this.totalDropped += 1;
    const seq = this.seqOf(event);
    const last = this.entries.length > this.head ? this.entries[this.entries.length - 1] : undefined;
    if (last?.kind === 'dropped' && this.dropping) {
      last.notice.count += 1;
      last.notice.bytes += bytes;
      if (seq !== undefined) {
        last.notice.firstSeq ??= seq;
        last.notice.lastSeq = seq;
      }
      return;
    }
    this.dropping = true;
    const notice: DroppedNotice = { count: 1, bytes, reason: this.reasonFor(bytes) };
    if (seq !== undefined) {
      notice.firstSeq = seq;
      notice.lastSeq = seq;
    }
    this.entries.push({ kind: 'dropped', notice });
  }

  private reasonFor(bytes: number): string {
    if (bytes > this.limits.maxBytes) return `an event of ${formatBytes(bytes)} is larger than a reader's whole queue (${formatBytes(this.limits.maxBytes)})`;
    const full = this.events + 1 > this.limits.maxEvents ? `${this.limits.maxEvents} events` : formatBytes(this.limits.maxBytes);
    return `the reader fell behind: ${full} were already waiting for it`;
  }
}

/** Bytes as a short figure: 512 B, 3.5 KiB, 8 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
