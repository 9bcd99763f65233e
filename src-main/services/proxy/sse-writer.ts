import type { Request, Response } from 'express';
import { BoundedEventQueue, type EventQueueLimits } from '../events/bounded-event-queue';

const HEARTBEAT_MS = 15_000;

/** A server-sent event stream with bounded memory for slow readers. */
export interface SseWriter {
  /** Queues one event; `event` names it, `id` lets the reader resume or spot gaps. */
  send(data: unknown, options?: { event?: string; id?: number }): void;
  /** Registers cleanup for when the reader goes away. */
  onClose(listener: () => void): void;
  /** Whether everything sent so far has been handed to the socket. */
  readonly isCaughtUp: boolean;
  /** Bytes waiting for the reader beyond what the socket took: never above the queue's cap. */
  readonly queuedBytes: number;
  /** The most bytes that ever waited at once. */
  readonly peakQueuedBytes: number;
  /** Events dropped for this reader so far. */
  readonly droppedTotal: number;
}

interface Chunk {
  text: string;
  seq?: number;
}

/**
 * Opens a Server-Sent Events response. While the socket is congested, events wait in a queue capped by count and
 * by bytes (see BoundedEventQueue); what does not fit is dropped and reported as a `dropped` event (count, bytes,
 * why, and the seq range when the events carry ids) at the place in the stream where it was dropped, so memory
 * stays bounded and the reader knows what it missed. A comment line every 15 s keeps idle connections alive.
 */
export function openSseWriter(req: Request, res: Response, limits: EventQueueLimits): SseWriter {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  const queue = new BoundedEventQueue<Chunk>(limits, (chunk) => chunk.seq);
  let peak = 0;
  let blocked = false;
  let closed = false;
  const closeListeners: Array<() => void> = [];

  const writeNow = (text: string): void => {
    blocked = !res.write(text);
  };
  const enqueue = (chunk: Chunk): void => {
    if (closed) return;
    if (!blocked && queue.isEmpty) {
      writeNow(chunk.text);
      return;
    }
    queue.push(chunk, Buffer.byteLength(chunk.text));
    peak = Math.max(peak, queue.queuedBytes);
  };
  res.on('drain', () => {
    blocked = false;
    while (!blocked && !closed) {
      const entry = queue.shift();
      if (!entry) return;
      writeNow(entry.kind === 'event' ? entry.event.text : `event: dropped\ndata: ${JSON.stringify(entry.notice)}\n\n`);
    }
  });
  // A heartbeat only matters on an idle stream; a congested one is not idle.
  const heartbeat = setInterval(() => {
    if (!closed && !blocked && queue.isEmpty) writeNow(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const stop = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    queue.clear();
    for (const listener of closeListeners.splice(0)) listener();
  };
  req.on('close', stop);
  res.on('close', stop);

  return {
    send(data, options = {}) {
      const head = `${options.id !== undefined ? `id: ${options.id}\n` : ''}${options.event ? `event: ${options.event}\n` : ''}`;
      enqueue({ text: `${head}data: ${JSON.stringify(data)}\n\n`, seq: options.id });
    },
    onClose(listener) {
      if (closed) listener();
      else closeListeners.push(listener);
    },
    get isCaughtUp() {
      return !blocked && queue.isEmpty;
    },
    get queuedBytes() {
      return queue.queuedBytes;
    },
    get peakQueuedBytes() {
      return peak;
    },
    get droppedTotal() {
      return queue.droppedTotal;
    },
  };
}
