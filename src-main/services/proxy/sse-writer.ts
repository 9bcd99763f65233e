import type { Request, Response } from 'express';

const HEARTBEAT_MS = 15_000;

/** A server-sent event stream with bounded memory for slow readers. */
export interface SseWriter {
  /** Queues one event; `event` names it, `id` lets the reader resume or spot gaps. */
  send(data: unknown, options?: { event?: string; id?: number }): void;
  /** Registers cleanup for when the reader goes away. */
  onClose(listener: () => void): void;
}

/**
 * Opens a Server-Sent Events response. While the socket is congested, events queue up to `maxQueued`; beyond that
 * they are counted and reported as one `dropped` event once the reader catches up, so memory stays bounded and
 * the reader knows it missed something. A comment line every 15 s keeps idle connections alive.
 */
export function openSseWriter(req: Request, res: Response, maxQueued: number): SseWriter {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();

  let queue: string[] = [];
  let dropped = 0;
  let blocked = false;
  let closed = false;
  const closeListeners: Array<() => void> = [];

  const write = (chunk: string): void => {
    if (closed) return;
    if (blocked) {
      if (queue.length >= maxQueued) dropped += 1;
      else queue.push(chunk);
      return;
    }
    blocked = !res.write(chunk);
  };
  res.on('drain', () => {
    blocked = false;
    const pending = queue;
    queue = [];
    if (dropped > 0) {
      const count = dropped;
      dropped = 0;
      write(`event: dropped\ndata: ${JSON.stringify({ count })}\n\n`);
    }
    for (const chunk of pending) write(chunk);
  });
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    queue = [];
    for (const listener of closeListeners.splice(0)) listener();
  };
  req.on('close', stop);
  res.on('close', stop);

  return {
    send(data, options = {}) {
      const head = `${options.id !== undefined ? `id: ${options.id}\n` : ''}${options.event ? `event: ${options.event}\n` : ''}`;
      write(`${head}data: ${JSON.stringify(data)}\n\n`);
    },
    onClose(listener) {
      if (closed) listener();
      else closeListeners.push(listener);
    },
  };
}
