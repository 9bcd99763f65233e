import type { Request, Response } from 'express';
import type { LifecycleEvent, SessionSnapshot } from '../../../src-shared/events';
import type { EventBus } from './event-bus';

const HEARTBEAT_MS = 15_000;

/**
 * Serves the lifecycle events as Server-Sent Events: first a `snapshot` of the live sessions, then every event
 * as it happens. A slow reader gets a bounded queue; what overflows is counted and reported as a `dropped` event,
 * so memory stays bounded and the reader knows it missed something.
 */
export function serveEventStream(req: Request, res: Response, bus: EventBus, snapshot: () => SessionSnapshot[], maxQueued: number): void {
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

  const write = (chunk: string): void => {
    if (blocked) {
      if (queue.length >= maxQueued) dropped += 1;
      else queue.push(chunk);
      return;
    }
    blocked = !res.write(chunk);
  };
  const flush = (): void => {
    blocked = false;
    const pending = queue;
    queue = [];
    if (dropped > 0) {
      const count = dropped;
      dropped = 0;
      write(`event: dropped\ndata: ${JSON.stringify({ count })}\n\n`);
    }
    for (const chunk of pending) write(chunk);
  };

  write(`event: snapshot\ndata: ${JSON.stringify({ sessions: snapshot() })}\n\n`);
  const unsubscribe = bus.subscribe((event: LifecycleEvent) => {
    write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  res.on('drain', flush);
  const stop = (): void => {
    clearInterval(heartbeat);
    unsubscribe();
    queue = [];
  };
  req.on('close', stop);
  res.on('close', stop);
}
