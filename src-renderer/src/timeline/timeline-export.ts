import type { MessageEvent } from '../../../src-shared/events';
import { requestStatus, type RequestStatus, type TimelineEntry } from './timeline-entry';
import type { TimelineFilter } from './timeline-filter';

/** One message as exported: the proxy's event, with what the timeline worked out about it. */
export interface ExportedMessage {
  seq: number;
  /** ISO time with milliseconds. */
  time: string;
  at: number;
  server: string;
  sessionId: string;
  direction: MessageEvent['direction'];
  kind: MessageEvent['kind'];
  /** For a response, its request's method. */
  method?: string;
  id?: string | number;
  size: number;
  /** A response's duration, or a request's once answered. */
  durationMs?: number;
  isError?: boolean;
  /** For a request: ok, error, tool-error, cancelled, session-ended or pending. */
  status?: RequestStatus;
  /** For a cancelled or session-ended request: when (ISO) and why. */
  endedAt?: string;
  endReason?: string;
  relatedRequestId?: string | number;
  /** Set when the body was over the proxy's event cap and was not kept. */
  truncated?: boolean;
  body?: unknown;
}

/** The exported file's content. */
export interface TimelineExport {
  format: 'mcp-patchbay-timeline';
  version: 1;
  exportedAt: string;
  filter: TimelineFilter;
  count: number;
  messages: ExportedMessage[];
}

/** One entry as exported; undefined fields are left out. */
export function exportedMessage(entry: TimelineEntry): ExportedMessage {
  const { event } = entry;
  const message: ExportedMessage = {
    seq: event.seq,
    time: new Date(event.at).toISOString(),
    at: event.at,
    server: event.server,
    sessionId: event.sessionId,
    direction: event.direction,
    kind: event.kind,
    method: entry.method,
    id: event.id,
    size: event.size,
    durationMs: entry.durationMs,
    isError: entry.event.kind === 'notification' || (entry.event.kind === 'request' && !entry.response && !entry.outcome) ? undefined : entry.isError,
    status: event.kind === 'request' ? requestStatus(entry) : undefined,
    endedAt: entry.outcome ? new Date(entry.outcome.at).toISOString() : undefined,
    endReason: entry.outcome?.reason,
    relatedRequestId: event.relatedRequestId,
    truncated: event.truncated,
    body: event.body,
  };
  for (const key of Object.keys(message) as (keyof ExportedMessage)[]) if (message[key] === undefined) delete message[key];
  return message;
}

/** The export of the given (shown) entries, with the filter that chose them. */
export function buildExport(entries: readonly TimelineEntry[], filter: TimelineFilter, now: Date): TimelineExport {
  return {
    format: 'mcp-patchbay-timeline',
    version: 1,
    exportedAt: now.toISOString(),
    filter,
    count: entries.length,
    messages: entries.map(exportedMessage),
  };
}

/** "patchbay-timeline-2024-05-01T12-30-45.json" (local time, safe in every file system). */
export function exportFileName(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())}`;
  return `patchbay-timeline-${date}T${time}.json`;
}
