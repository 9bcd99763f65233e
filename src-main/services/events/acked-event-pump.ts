import { BoundedEventQueue, DEFAULT_EVENT_QUEUE_LIMITS, type EventQueueLimits, type QueuedEntry } from './bounded-event-queue';

/** Options of an AckedEventPump. */
export interface AckedEventPumpOptions<T> {
  /** Hands one entry to the reader (an event, or the notice that stands for dropped ones). */
  send(entry: QueuedEntry<T>): void;
  /** The size of an event, for the caps. */
  sizeOf(event: T): number;
  seqOf?(event: T): number | undefined;
  /** How much may be sent and not yet acknowledged. Default 1,000 events, 4 MiB. */
  inFlight?: EventQueueLimits;
  /** How much waits beyond that before events are dropped. Default 10,000 events, 8 MiB. */
  queue?: EventQueueLimits;
}

export const DEFAULT_IN_FLIGHT_LIMITS: EventQueueLimits = { maxEvents: 1_000, maxBytes: 4 * 1024 * 1024 };

/**
 * Flow control for a reader that gives no backpressure of its own (an app window over IPC: `send` never blocks):
 * the reader acknowledges what it has handled, at most `inFlight` is sent and not yet acknowledged, and what
 * waits beyond that sits in a BoundedEventQueue, so a window that falls behind costs bounded memory and is told
 * where it missed events. Every entry sent, notices included, is one to acknowledge.
 */
export class AckedEventPump<T> {
  private readonly queue: BoundedEventQueue<T>;
  private readonly inFlightLimits: EventQueueLimits;
  /** Sizes of the entries sent and not yet acknowledged, oldest first. */
  private sentSizes: number[] = [];
  private sentBytes = 0;

  constructor(private readonly options: AckedEventPumpOptions<T>) {
    this.queue = new BoundedEventQueue<T>(options.queue ?? DEFAULT_EVENT_QUEUE_LIMITS, options.seqOf);
    this.inFlightLimits = options.inFlight ?? DEFAULT_IN_FLIGHT_LIMITS;
  }

  /** Sends an event now if the reader has room, else queues it (or drops it into a notice). */
  push(event: T): void {
    const bytes = this.options.sizeOf(event);
    if (this.queue.isEmpty && this.hasRoomFor(bytes)) {
      this.transmit({ kind: 'event', event, bytes }, bytes);
      return;
    }
    this.queue.push(event, bytes);
  }

  /** The reader handled `count` more entries; more may be sent. An acknowledgement beyond what was sent is capped. */
  acknowledge(count: number): void {
    for (let index = 0; index < count && this.sentSizes.length > 0; index += 1) this.sentBytes -= this.sentSizes.shift()!;
    this.pump();
  }

  /**
   * The reader started afresh (a window reloaded): what was sent to the old page will never be acknowledged, and
   * the new page takes its own snapshot, so nothing queued for the old one is kept either.
   */
  reset(): void {
    this.sentSizes = [];
    this.sentBytes = 0;
    this.queue.clear();
  }

  /** Entries sent and not yet acknowledged. */
  get inFlight(): number {
    return this.sentSizes.length;
  }

  /** Bytes waiting beyond the in-flight window: never above the queue's cap. */
  get queuedBytes(): number {
    return this.queue.queuedBytes;
  }

  get droppedTotal(): number {
    return this.queue.droppedTotal;
  }

  private pump(): void {
    for (let next = this.queue.peek(); next; next = this.queue.peek()) {
      const bytes = next.kind === 'event' ? next.bytes : 0;
      if (!this.hasRoomFor(bytes)) return;
      this.transmit(this.queue.shift()!, bytes);
    }
  }

  private hasRoomFor(bytes: number): boolean {
    // One entry always fits into an empty window, however large, so a big event is not stuck forever.
    if (this.sentSizes.length === 0) return true;
    return this.sentSizes.length < this.inFlightLimits.maxEvents && this.sentBytes + bytes <= this.inFlightLimits.maxBytes;
  }

  private transmit(entry: QueuedEntry<T>, bytes: number): void {
    this.sentSizes.push(bytes);
    this.sentBytes += bytes;
    this.options.send(entry);
  }
}
