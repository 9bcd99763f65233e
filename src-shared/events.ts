import { z } from 'zod';
import { CLIENT_TRANSPORTS, UPSTREAM_TRANSPORTS } from './catalog';
import { ServerAuthStateSchema } from './oauth';
import { ProcessFiguresSchema } from './processes';
import { FAULT_KINDS, FaultPlanSchema } from './faults';

/** The states a proxy session moves through, in this order only. */
export const SESSION_STATES = ['connecting', 'ready', 'closing', 'closed'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** Why a session ended. Every close path names one of these. */
export const CLOSE_REASONS = [
  'client-disconnected',
  'client-deleted',
  'client-aborted-connect',
  'upstream-failed',
  'upstream-closed',
  'child-exited',
  'idle-timeout',
  'shutdown',
  /** Its server was removed from the catalog, or renamed. */
  'server-removed',
  /** Its server's catalog entry was edited or disabled: the session ran on settings that no longer hold. */
  'server-changed',
  /** Its remote server answered 401 and there is no token that works: the user has to sign in (OAuth). */
  'needs-sign-in',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Direction of a relayed JSON-RPC message. */
export const DIRECTIONS = ['client-to-server', 'server-to-client'] as const;
export type MessageDirection = (typeof DIRECTIONS)[number];

const requestId = z.union([z.string(), z.number()]);

/**
 * The protocol era an event belongs to: `legacy` (2025-11-25 and earlier: sessions opened with `initialize`) or
 * `modern` (2026-07-28: stateless requests that carry their version in `_meta`). Absent means legacy, so events
 * recorded before eras existed read as they always did.
 */
export const PROTOCOL_ERAS = ['legacy', 'modern'] as const;
export type ProtocolEra = (typeof PROTOCOL_ERAS)[number];

const base = {
  /** Monotonic per proxy; a gap tells a subscriber it missed events. */
  seq: z.number().int(),
  /** Wall-clock time in ms since the epoch. */
  at: z.number(),
  /**
   * The session the event belongs to. Modern requests have no session: their events carry the id of the channel
   * they went through, `modern:<server>` (with `:<owner>` when the client named its window in X-Patchbay-Owner).
   */
  sessionId: z.string(),
  server: z.string(),
  era: z.enum(PROTOCOL_ERAS).default('legacy'),
};

/** The era of an event, legacy when it does not say. */
export function eventEra(event: { era?: ProtocolEra }): ProtocolEra {
  return event.era ?? 'legacy';
}

export const SessionConnectingEventSchema = z.object({
  ...base,
  type: z.literal('session-connecting'),
  clientTransport: z.enum(CLIENT_TRANSPORTS),
  upstreamTransport: z.enum(UPSTREAM_TRANSPORTS),
  /** The app window (or other client) that opened the session, when it said so. */
  owner: z.string().optional(),
});

export const ChildSpawnedEventSchema = z.object({
  ...base,
  type: z.literal('child-spawned'),
  pid: z.number().int(),
  command: z.string(),
  args: z.array(z.string()),
});

export const UpstreamReadyEventSchema = z.object({
  ...base,
  type: z.literal('upstream-ready'),
  /** Time from session creation until the upstream transport had started. */
  connectMs: z.number(),
});

export const SessionInitializedEventSchema = z.object({
  ...base,
  type: z.literal('session-initialized'),
  serverInfo: z.object({ name: z.string(), version: z.string() }).loose().optional(),
  protocolVersion: z.string().optional(),
});

export const MessageEventSchema = z.object({
  ...base,
  type: z.literal('message'),
  direction: z.enum(DIRECTIONS),
  kind: z.enum(['request', 'response', 'notification']),
  method: z.string().optional(),
  id: requestId.optional(),
  /** Bytes of the serialized message. */
  size: z.number().int(),
  /** For a response: time since its request passed the proxy. */
  durationMs: z.number().optional(),
  /** For a response: whether it carried a JSON-RPC error. */
  isError: z.boolean().optional(),
  /** The client request this notification or server request belongs to, where it is known. */
  relatedRequestId: requestId.optional(),
  /** The message itself, unless it was larger than the event body cap. */
  body: z.unknown().optional(),
  truncated: z.boolean().optional(),
  /**
   * A fault the proxy injected into this message on purpose (faults.ts): `drop` was not delivered, `duplicate` is the
   * extra copy, `corrupt` reached the client as invalid JSON, `close-stream` never arrived (its stream was cut),
   * `error` is the proxy's own answer in the server's place, `delay` was held before it went on.
   */
  injected: z.enum(FAULT_KINDS).optional(),
});

export const StderrEventSchema = z.object({
  ...base,
  type: z.literal('stderr'),
  /** Which stream the line came from; stdout lines are the ones that were not JSON-RPC. Absent means stderr. */
  stream: z.enum(['stdout', 'stderr']).optional(),
  line: z.string(),
});

export const SessionErrorEventSchema = z.object({
  ...base,
  type: z.literal('session-error'),
  message: z.string(),
});

export const SessionClosingEventSchema = z.object({
  ...base,
  type: z.literal('session-closing'),
  reason: z.enum(CLOSE_REASONS),
  detail: z.string().optional(),
});

export const SessionClosedEventSchema = z.object({
  ...base,
  type: z.literal('session-closed'),
  reason: z.enum(CLOSE_REASONS),
  detail: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
});

/**
 * A server's auth state changed (OAuth, src-shared/oauth.ts): sent on every change, with the whole state. It belongs
 * to no session: its sessionId is `auth:<server>` (authChannelId). Never holds a token, only what the UI may show.
 */
export const AuthStateEventSchema = z.object({
  ...base,
  type: z.literal('auth-state'),
  state: ServerAuthStateSchema,
});

/**
 * A tick of the process monitor for one stdio child (about once a second, only while someone watches its
 * processes): the sums over its live process tree and each process's figures. Not a message: the timeline skips it.
 */
export const ProcessSampleEventSchema = z.object({
  ...base,
  type: z.literal('process-sample'),
  /** The child's pid (the root of the tree). */
  pid: z.number().int(),
  totals: ProcessFiguresSchema,
  processes: z.array(ProcessFiguresSchema.extend({ pid: z.number().int(), ppid: z.number().int() })),
});

/** The proxy injected a fault (faults.ts): one event per injection, whether or not it concerned one message. */
export const FaultInjectedEventSchema = z.object({
  ...base,
  type: z.literal('fault-injected'),
  kind: z.enum(FAULT_KINDS),
  direction: z.enum(DIRECTIONS).optional(),
  method: z.string().optional(),
  /** The JSON-RPC id of the message it concerned (for a response, its request's id). */
  id: requestId.optional(),
  /** What was done, in one sentence. */
  detail: z.string(),
  /** The seed of the plan that drew it, to replay the run. */
  seed: z.number().int(),
});

/** A server's fault plan was set or cleared. Its `sessionId` is `faults:<server>`: it belongs to no session. */
export const FaultsChangedEventSchema = z.object({
  ...base,
  type: z.literal('faults-changed'),
  /** The plan now in force; absent when the server's faults were cleared. */
  plan: FaultPlanSchema.optional(),
});

/** The `sessionId` of a server's faults-changed events. */
export function faultsChannelId(server: string): string {
  return `faults:${server}`;
}

/** Every lifecycle event the proxy emits. The event stream is the one source of truth about sessions. */
export const LifecycleEventSchema = z.discriminatedUnion('type', [
  SessionConnectingEventSchema,
  ChildSpawnedEventSchema,
  UpstreamReadyEventSchema,
  SessionInitializedEventSchema,
  MessageEventSchema,
  StderrEventSchema,
  SessionErrorEventSchema,
  SessionClosingEventSchema,
  SessionClosedEventSchema,
  AuthStateEventSchema,
  ProcessSampleEventSchema,
  FaultInjectedEventSchema,
  FaultsChangedEventSchema,
]);

/**
 * A lifecycle event. Its `era` is optional in the type (events written before eras existed have none; the schema
 * fills in `legacy` when it parses one, and the bus stamps every event it emits).
 */
export type LifecycleEvent = z.input<typeof LifecycleEventSchema>;
export type LifecycleEventType = LifecycleEvent['type'];
export type MessageEvent = z.input<typeof MessageEventSchema>;

/** An event before the bus stamps it with its sequence number and time. */
export type LifecycleEventInput = LifecycleEvent extends infer E
  ? E extends LifecycleEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never;

/** A live session as `GET /api/sessions` reports it. */
export const SessionSnapshotSchema = z.object({
  id: z.string(),
  server: z.string(),
  clientTransport: z.enum(CLIENT_TRANSPORTS),
  upstreamTransport: z.enum(UPSTREAM_TRANSPORTS),
  state: z.enum(SESSION_STATES),
  owner: z.string().optional(),
  pid: z.number().int().optional(),
  startedAt: z.number(),
  lastActivityAt: z.number(),
  clientToServer: z.number().int(),
  serverToClient: z.number().int(),
  pendingRequests: z.number().int(),
  /** Whether the client has had its initialize answered. */
  initialized: z.boolean(),
  serverInfo: z.object({ name: z.string(), version: z.string() }).loose().optional(),
  protocolVersion: z.string().optional(),
  /** Bytes queued for the client that it has not taken yet (the proxy's backpressure backlog). */
  clientBacklogBytes: z.number().int().optional(),
  /** The largest that backlog has been in this session. */
  clientBacklogPeakBytes: z.number().int().optional(),
  /** Whether reading from the server is paused until a slow client catches up. */
  upstreamPaused: z.boolean().optional(),
});
export type SessionSnapshot = z.infer<typeof SessionSnapshotSchema>;

/**
 * A shared modern-era STDIO child as `GET /api/shared-children` reports it: one long-lived process per server
 * serves the modern requests of every client, with JSON-RPC ids rewritten per request.
 */
export const SharedChildSnapshotSchema = z.object({
  server: z.string(),
  /** The `sessionId` its events carry (`modern:<server>`). */
  channelId: z.string(),
  /** Where the child is in its life: starting, ready, restarting after a crash (with backoff), closing, closed. */
  state: z.string(),
  pid: z.number().int().optional(),
  /** How many times it was started again after it died. */
  restarts: z.number().int().min(0),
  /** Requests (subscriptions included) it is serving now. */
  inFlight: z.number().int().min(0),
  startedAt: z.number().optional(),
  /** How the last child ended, when one did. */
  lastExit: z.string().optional(),
  /** What the server turned out to speak: `modern` once it answered server/discover, `legacy` when it did not. */
  serverEra: z.enum(['modern', 'legacy', 'unknown']),
});
export type SharedChildSnapshot = z.infer<typeof SharedChildSnapshotSchema>;

/**
 * What an event reader (an `/api/events` stream, web mode's page, an app window) is told where events were dropped
 * because it fell behind: the stream goes on with newer events after it, so the reader should take a new snapshot.
 */
export const DroppedNoticeSchema = z.object({
  /** How many events were dropped at this point of the stream. */
  count: z.number().int().min(1),
  /** Their size in bytes, as measured for the cap. */
  bytes: z.number().int().min(0),
  /** Why, in one sentence. */
  reason: z.string(),
  /** Sequence numbers of the first and last dropped lifecycle event, where the dropped events had them. */
  firstSeq: z.number().int().optional(),
  lastSeq: z.number().int().optional(),
});
export type DroppedNotice = z.infer<typeof DroppedNoticeSchema>;
