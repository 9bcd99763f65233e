import type { LifecycleEvent, MessageDirection, MessageEvent } from '../../../src-shared/events';
import type { FaultKind } from '../../../src-shared/faults';
import type { RequestGroup } from './request-groups';

/**
 * Only this much of a body's JSON is searchable: bodies may be up to the proxy's event cap (256 KiB) each, and the
 * lowercase copy made for searching should not double that for every message.
 */
export const SEARCHABLE_BODY_CHARS = 16 * 1024;

/** One JSON-RPC message in the timeline, with its links to the messages it belongs with. */
export interface TimelineEntry {
  /** Arrival order, from 1; keeps counting across Clear, so it also identifies the entry. */
  readonly ordinal: number;
  /** The lifecycle event as the proxy sent it. */
  readonly event: MessageEvent;
  /** The message's method; for a response, its request's method (when the request was seen). */
  readonly method: string | undefined;
  /** Lowercase method, id and body JSON, built once at arrival, so a text filter is one `includes` per message. */
  readonly searchText: string;
  /** For a request: its response, once it came. */
  response?: TimelineEntry;
  /** For a response: the request it answers, when seen. */
  request?: TimelineEntry;
  /** The client request this message belongs to: its relatedRequestId, or that of the server request it answers. */
  parent?: TimelineEntry;
  /** For a client request: the notifications and server requests that belong to it, in arrival order. */
  related?: TimelineEntry[];
  /** A response's own duration; a request's once answered. */
  durationMs?: number;
  /**
   * Whether "Errors only" shows it: a response that carried a JSON-RPC error or a tool result with `isError: true`,
   * a request answered by one, or a request whose session ended before it was answered.
   */
  isError: boolean;
  /** A tools/call result with `isError: true` (a response), or a request answered by one. */
  toolError?: boolean;
  /** How a request ended without an answer: cancelled by its sender, or taken down with its session. */
  outcome?: RequestOutcome;
  /** The multi round-trip request or task this message is part of (modern era), once known. */
  group?: RequestGroup;
  /** A fault the proxy injected that is no message of its own (a kill, a stall): the row stands for it. */
  fault?: FaultInjectedEvent;
}

export type FaultInjectedEvent = Extract<LifecycleEvent, { type: 'fault-injected' }>;

/**
 * What an injected fault did to a message that means the client never got it as sent: such a response is shown, marked,
 * but does not answer its request (a dropped answer leaves the call waiting, as the client's does).
 */
export function notDelivered(injected: FaultKind | undefined): boolean {
  return injected === 'drop' || injected === 'corrupt' || injected === 'close-stream';
}

/** The faults that mark no message (the others are seen on the messages they touched). */
export function faultHasOwnRow(kind: FaultKind): boolean {
  return kind === 'kill' || kind === 'stall';
}

/**
 * A kill or a stall as a timeline row: a message-shaped event (so filters, the grid and export read it as any row)
 * marked injected, concerning the method and request it names, with the event itself beside it.
 */
export function faultAsMessage(fault: FaultInjectedEvent): MessageEvent {
  return {
    type: 'message',
    seq: fault.seq,
    at: fault.at,
    sessionId: fault.sessionId,
    server: fault.server,
    era: fault.era,
    direction: fault.direction ?? 'client-to-server',
    kind: 'notification',
    ...(fault.method === undefined ? {} : { method: fault.method }),
    size: 0,
    injected: fault.kind,
    body: { injected: fault.kind, detail: fault.detail, seed: fault.seed, ...(fault.id === undefined ? {} : { requestId: fault.id }) },
  };
}

/** The protocol era the proxy says a message was spoken in (`modern`, `legacy`), when its event says so. */
export function eraOf(event: MessageEvent): string | undefined {
  const era = (event as { era?: unknown }).era;
  return typeof era === 'string' && era !== '' ? era : undefined;
}

/** A request's end other than its answer. `at` is when it happened (ms since the epoch). */
export type RequestOutcome =
  | { kind: 'cancelled'; at: number; reason?: string }
  | { kind: 'session-ended'; at: number; reason: string };

/** Where a request stands, for the duration column, the detail panel and re-rendering rows. */
export type RequestStatus = 'pending' | 'ok' | 'error' | 'tool-error' | 'cancelled' | 'session-ended';

/** A request's status; a cancel or a session's end wins over a late answer, which is still linked. */
export function requestStatus(entry: TimelineEntry): RequestStatus {
  if (entry.outcome) return entry.outcome.kind;
  if (!entry.response) return 'pending';
  if (entry.toolError) return 'tool-error';
  return entry.isError ? 'error' : 'ok';
}

/** Whether a response's body is a tool result that says it failed (`result.isError: true`). */
export function isToolErrorResult(event: MessageEvent): boolean {
  if (event.kind !== 'response' || typeof event.body !== 'object' || event.body === null) return false;
  const result = (event.body as { result?: unknown }).result;
  return typeof result === 'object' && result !== null && (result as { isError?: unknown }).isError === true;
}

/** The request a `notifications/cancelled` names (`params.requestId`), if it names one. */
export function cancelledRequestId(event: MessageEvent): { id: string | number; reason?: string } | undefined {
  if (event.kind !== 'notification' || event.method !== 'notifications/cancelled') return undefined;
  const params = (event.body as { params?: { requestId?: unknown; reason?: unknown } } | undefined)?.params;
  const id = params?.requestId;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  return { id, ...(typeof params?.reason === 'string' ? { reason: params.reason } : {}) };
}

/** The other direction: a response travels opposite to its request. */
export function oppositeDirection(direction: MessageDirection): MessageDirection {
  return direction === 'client-to-server' ? 'server-to-client' : 'client-to-server';
}

/**
 * The key of a request: JSON-RPC ids are unique per sender within a session, so session, sending direction and id
 * (with its type: 1 and "1" are different ids) name it.
 */
export function requestKey(sessionId: string, direction: MessageDirection, id: string | number): string {
  return `${sessionId}\u0000${direction}\u0000${typeof id === 'number' ? 'n' : 's'}${id}`;
}

/** The lowercase text the free-text filter searches: method, id and (the start of) the body's JSON. */
export function buildSearchText(method: string | undefined, event: MessageEvent): string {
  let body = '';
  if (event.body !== undefined) {
    try {
      body = JSON.stringify(event.body) ?? '';
    } catch {
      body = '';
    }
    if (body.length > SEARCHABLE_BODY_CHARS) body = body.slice(0, SEARCHABLE_BODY_CHARS);
  }
  return `${method ?? ''}\u0000${event.id ?? ''}\u0000${body}`.toLowerCase();
}

/**
 * The client request a message belongs with, for highlighting: itself for a client request or an unrelated server
 * request, the request of a response, the parent of a related notification or server request.
 */
export function groupRoot(entry: TimelineEntry): TimelineEntry | undefined {
  if (entry.parent) return entry.parent;
  if (entry.event.kind === 'request') return entry;
  if (entry.event.kind === 'response') return entry.request?.parent ?? entry.request;
  return undefined;
}

/** The entries highlighted with a selected one: its request, that request's response and related messages (with theirs). */
export function groupOf(entry: TimelineEntry): Set<TimelineEntry> {
  const group = new Set<TimelineEntry>([entry]);
  // The whole multi round-trip request or task when the message is part of one.
  const root = entry.group?.root ?? groupRoot(entry);
  if (!root) return group;
  const add = (member: TimelineEntry) => {
    group.add(member);
    if (member.response) group.add(member.response);
  };
  add(root);
  for (const member of root.related ?? []) add(member);
  // A multi round-trip request's later rounds and its task's polls belong with it too.
  const requestGroup = root.group;
  if (requestGroup) {
    for (const member of [...requestGroup.rounds, ...requestGroup.polls]) {
      add(member);
      for (const related of member.related ?? []) add(related);
    }
  }
  return group;
}
