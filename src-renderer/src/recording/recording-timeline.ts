import type { MessageEvent } from '../../../src-shared/events';
import type { Recording } from '../../../src-shared/recording';
import { TimelineStore } from '../timeline/timeline-store';

/** A recording's messages as the timeline's message events, in their recorded order and times. */
export function recordingEvents(recording: Recording): MessageEvent[] {
  return recording.messages.map((message, index) => ({
    type: 'message',
    seq: index + 1,
    at: message.at,
    sessionId: message.sessionId,
    server: message.server,
    era: message.era,
    direction: message.direction,
    kind: message.kind,
    size: message.size,
    ...(message.method !== undefined ? { method: message.method } : {}),
    ...(message.id !== undefined ? { id: message.id } : {}),
    ...(message.durationMs !== undefined ? { durationMs: message.durationMs } : {}),
    ...(message.isError !== undefined ? { isError: message.isError } : {}),
    ...(message.truncated ? { truncated: true } : { body: message.body }),
  }));
}

/** A timeline of its own for a recording: filled once, nothing live ever reaches it. */
export function recordingTimeline(recording: Recording): TimelineStore {
  const store = new TimelineStore();
  store.ingestMany(recordingEvents(recording));
  return store;
}
