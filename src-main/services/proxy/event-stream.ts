import type { Request, Response } from 'express';
import type { SessionSnapshot } from '../../../src-shared/events';
import type { EventQueueLimits } from '../events/bounded-event-queue';
import type { EventBus } from './event-bus';
import { openSseWriter, type SseWriter } from './sse-writer';

/**
 * Serves the lifecycle events as Server-Sent Events: first a `snapshot` of the live sessions, then every event
 * as it happens (each with its sequence number as the SSE id). A slow reader's queue is capped by `limits`; what
 * it missed is named by a `dropped` event where it happened.
 */
export function serveEventStream(req: Request, res: Response, bus: EventBus, snapshot: () => SessionSnapshot[], limits: EventQueueLimits): SseWriter {
  const stream = openSseWriter(req, res, limits);
  stream.send({ sessions: snapshot(), seq: bus.lastSeq }, { event: 'snapshot' });
  stream.onClose(bus.subscribe((event) => stream.send(event, { id: event.seq })));
  return stream;
}
