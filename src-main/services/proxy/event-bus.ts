import type { LifecycleEvent, LifecycleEventInput } from '../../../src-shared/events';

export type LifecycleListener = (event: LifecycleEvent) => void;

/**
 * The proxy's lifecycle event bus: stamps each event with a sequence number and time and hands it to every
 * subscriber synchronously. A throwing subscriber is isolated so it cannot break the relay or other subscribers.
 */
export class EventBus {
  private readonly listeners = new Set<LifecycleListener>();
  private seq = 0;

  /** Emits an event to all subscribers. */
  emit(input: LifecycleEventInput): void {
    if (this.listeners.size === 0) {
      this.seq += 1;
      return;
    }
    const event = { ...input, era: input.era ?? 'legacy', seq: ++this.seq, at: Date.now() } as LifecycleEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A subscriber's bug must not reach the relay; report it once on stderr and go on.
        console.error('[patchbay] lifecycle subscriber threw:', error);
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: LifecycleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The sequence number of the last event emitted: a snapshot taken now includes everything up to it. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Whether anyone listens: lets the relay skip measuring messages nobody will see. */
  get hasSubscribers(): boolean {
    return this.listeners.size > 0;
  }

  /** How many subscribers are attached (for leak checks). */
  get subscriberCount(): number {
    return this.listeners.size;
  }
}
