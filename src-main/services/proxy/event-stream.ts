import type { Request, Response } from 'express';
import type { SessionSnapshot } from '../../../src-shared/events';
import type { EventBus } from './event-bus';
import { openSseWriter } from './sse-writer';

/**
 * Serves the lifecycle events as Server-Sent Events: first a `snapshot` of the live sessions, then every event
 * as it happens (each with its sequence number as the SSE id).
 */
export function serveEventStream(req: Request, res: Response, bus: EventBus, snapshot: () => SessionSnapshot[], maxQueued: number): void {
  const stream = openSseWriter(req, res, maxQueued);
  stream.send({ sessions: snapshot(), seq: bus.lastSeq }, { event: 'snapshot' });
  stream.onClose(bus.subscribe((event) => stream.send(event, { id: event.seq })));
}
