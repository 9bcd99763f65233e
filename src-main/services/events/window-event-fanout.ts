import { EventsAckSchema } from '../../../src-shared/api-contract';
import { ACKED_EVENT_NAMES, IPC_CHANNELS, type ApiEventName } from '../../../src-shared/api-names';
import type { LifecycleEvent } from '../../../src-shared/events';
import { AckedEventPump } from './acked-event-pump';
import type { EventQueueLimits } from './bounded-event-queue';

/** One api event on its way to a window. */
export interface ApiEventMessage {
  name: ApiEventName;
  payload: unknown;
}

/** Sends one message on an IPC channel to one window (webContents.send in the shell). */
export type WindowSend = (channel: string, payload: unknown) => void;

/**
 * The api's events fanned out to the app's windows, each through its own AckedEventPump: a window that falls
 * behind (its page busy) gets at most a window of unacknowledged events, the rest wait bounded, and it is told
 * on the `dropped` channel where events were dropped. Plain Node: the shell only passes `send` and the acks on.
 */
export class WindowEventFanout {
  private readonly pumps = new Map<number, AckedEventPump<ApiEventMessage>>();

  constructor(private readonly limits: { inFlight?: EventQueueLimits; queue?: EventQueueLimits } = {}) {}

  /** Sends an event to a window. Returns true when this is the first for that window, so the host can watch its end. */
  publish(windowId: number, message: ApiEventMessage, send: WindowSend): boolean {
    // Only what the preload counts may count against the window; anything else goes straight through.
    if (!(ACKED_EVENT_NAMES as readonly string[]).includes(message.name)) {
      send(IPC_CHANNELS.event(message.name), message.payload);
      return false;
    }
    let pump = this.pumps.get(windowId);
    const created = pump === undefined;
    if (!pump) {
      pump = new AckedEventPump<ApiEventMessage>({
        send: (entry) => {
          if (entry.kind === 'event') send(IPC_CHANNELS.event(entry.event.name), entry.event.payload);
          else send(IPC_CHANNELS.event('dropped'), entry.notice);
        },
        sizeOf: (event) => JSON.stringify(event.payload)?.length ?? 0,
        seqOf: (event) => (event.name === 'lifecycle' ? (event.payload as LifecycleEvent).seq : undefined),
        inFlight: this.limits.inFlight,
        queue: this.limits.queue,
      });
      this.pumps.set(windowId, pump);
    }
    pump.push(message);
    return created;
  }

  /** A window's acknowledgement (untrusted: validated here). Returns why it was refused, if it was. */
  acknowledge(windowId: number, ack: unknown): string | undefined {
    const parsed = EventsAckSchema.safeParse(ack);
    if (!parsed.success) return 'an event acknowledgement must be { handled: n } or { started: true }';
    const pump = this.pumps.get(windowId);
    if (!pump) return undefined;
    if ('started' in parsed.data) pump.reset();
    else pump.acknowledge(parsed.data.handled);
    return undefined;
  }

  /** The window is gone. */
  forget(windowId: number): void {
    this.pumps.delete(windowId);
  }

  /** A window's figures, for tests. */
  stats(windowId: number): { inFlight: number; queuedBytes: number; droppedTotal: number } | undefined {
    const pump = this.pumps.get(windowId);
    return pump && { inFlight: pump.inFlight, queuedBytes: pump.queuedBytes, droppedTotal: pump.droppedTotal };
  }
}
