/**
 * The inspector's state per server (keyed by server name): requests from the server waiting for the user, log
 * messages, resource updates and subscriptions, tool calls and their last results, list-change counters, and the
 * client's roots. Session state belongs to one connection (one SDK Client): it starts empty when a connection opens
 * and is cleared when it closes; pending requests are dropped then (their server is gone). Roots and tool-form
 * drafts are the user's input and outlive reconnects.
 *
 * The handlers' promises for pending requests live beside the store (not in it), keyed by request id.
 */
import type { CallToolResult, Client, CreateMessageResult, ElicitResult, LoggingLevel, Prompt, Resource, ResourceTemplateType as ResourceTemplate, Root, Tool } from '@modelcontextprotocol/client';
import { create } from 'zustand';
import { appendCapped, MAX_LOG_ENTRIES, toLogEntry, type LogEntry } from './log-model';
import { soleInputOrigin, type InputRequestOrigin } from './modern/input-origin';
import type { PagedList } from './paged-list';
import type { ElicitParams, RequestOutcome, SamplingParams } from './request-cards';

/**
 * A request from the server that waits for the user; `requestId` is its JSON-RPC id (in the modern era, the key of
 * an input request, and `via` says which request's round or task asked for it).
 */
export type PendingRequest = { id: number; requestId: string | number; receivedAt: number; via?: InputRequestOrigin } & (
  | { kind: 'sampling'; params: SamplingParams }
  | { kind: 'elicitation'; params: ElicitParams }
  // Answered at once from the Roots tab; listed in the answered requests in the modern era.
  | { kind: 'roots'; params?: undefined }
);

/** A request the user (or the server, or a disconnect) has settled. */
export interface SettledRequest {
  request: PendingRequest;
  outcome: RequestOutcome;
  at: number;
  /** What was sent back, in short. */
  detail?: string;
}

/** A tool call: running (with its progress), or how it ended. */
export interface ToolCallState {
  /** `task`: answered with a task handle (modern era's tasks extension), followed in the tool's task panel. */
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'task';
  startedAt: number;
  endedAt?: number;
  arguments: unknown;
  progress?: { progress: number; total?: number; message?: string };
  result?: CallToolResult;
  error?: string;
}

/** A `notifications/resources/updated` as it arrived. */
export interface ResourceUpdate {
  id: number;
  uri: string;
  at: number;
}

/** Which lists the server said changed; a view refetches when its counter moves. */
export interface ListVersions {
  tools: number;
  resources: number;
  prompts: number;
}

/**
 * A list the server hands out page by page, as far as it has been loaded. Kept in the store (not in a view) so the
 * command palette can search every connected server's lists; `server-lists.ts` loads them.
 */
export interface LoadedList<T> extends PagedList<T> {
  loading: boolean;
  error?: string;
  /** The list-change counter (ListVersions) the list was loaded, or is being loaded, for; undefined: never loaded. */
  version?: number;
}

/** The lists of one connection. */
export interface ServerLists {
  tools: LoadedList<Tool>;
  resources: LoadedList<Resource>;
  resourceTemplates: LoadedList<ResourceTemplate>;
  prompts: LoadedList<Prompt>;
}

/** One connection's state. */
export interface ServerSession {
  /** The connection this state belongs to; events of any other client are ignored. */
  client?: Client;
  pending: PendingRequest[];
  settled: SettledRequest[];
  logs: LogEntry[];
  logLevel?: LoggingLevel;
  resourceUpdates: ResourceUpdate[];
  subscriptions: string[];
  listVersions: ListVersions;
  toolCalls: Record<string, ToolCallState>;
  lists: ServerLists;
  ping?: { ms: number; at: number } | { error: string; at: number };
}

export interface InspectorState {
  sessions: Record<string, ServerSession>;
  /** The roots each server is given (roots/list), as the user set them. */
  roots: Record<string, Root[]>;
  /** Tool forms as the user left them: server → tool → draft (or raw JSON text). */
  drafts: Record<string, Record<string, ToolDraft>>;
}

/** A tool form's contents. */
export interface ToolDraft {
  value: unknown;
  /** The raw JSON text while in JSON mode. */
  raw?: string;
}

/** How many settled requests and resource updates are kept per server. */
const MAX_SETTLED = 20;
const MAX_UPDATES = 100;

const EMPTY_LIST: LoadedList<never> = Object.freeze({ items: [], loading: false }) as LoadedList<never>;

const EMPTY_SESSION: ServerSession = Object.freeze({
  pending: [],
  settled: [],
  logs: [],
  resourceUpdates: [],
  subscriptions: [],
  listVersions: { tools: 0, resources: 0, prompts: 0 },
  toolCalls: {},
  lists: { tools: EMPTY_LIST, resources: EMPTY_LIST, resourceTemplates: EMPTY_LIST, prompts: EMPTY_LIST },
}) as ServerSession;

const EMPTY_ROOTS: Root[] = [];

/** The inspector's store. Written only through the functions below. */
export const useInspectorStore = create<InspectorState>()(() => ({ sessions: {}, roots: {}, drafts: {} }));

/** A server's session state (the empty one when it has none). */
export function sessionOf(state: InspectorState, server: string): ServerSession {
  return state.sessions[server] ?? EMPTY_SESSION;
}

/** A server's roots. */
export function rootsOf(state: InspectorState, server: string): Root[] {
  return state.roots[server] ?? EMPTY_ROOTS;
}

type Waiter = { server: string; client: Client; resolve(result: unknown): void; reject(error: unknown): void };
/** The handlers' promises of pending requests, by request id. */
const waiters = new Map<number, Waiter>();
let nextRequestId = 1;
let nextUpdateId = 1;

function updateSession(server: string, client: Client | undefined, change: (session: ServerSession) => Partial<ServerSession>): void {
  useInspectorStore.setState((state) => {
    const session = state.sessions[server];
    // Late events of a closed connection must not leak into the next one.
    if (!session || (client !== undefined && session.client !== client)) return state;
    return { sessions: { ...state.sessions, [server]: { ...session, ...change(session) } } };
  });
}

/** A connection to a server is being opened with this client: its session starts empty. */
export function connectionOpened(server: string, client: Client): void {
  dropPending(server, 'dropped');
  useInspectorStore.setState((state) => ({ sessions: { ...state.sessions, [server]: { ...EMPTY_SESSION, client } } }));
}

/** A connection closed: its pending requests are dropped and its session state cleared. */
export function connectionClosed(server: string, client: Client): void {
  const session = sessionOf(useInspectorStore.getState(), server);
  if (session.client !== client) return;
  dropPending(server, 'dropped');
  useInspectorStore.setState((state) => {
    const sessions = { ...state.sessions };
    delete sessions[server];
    return { sessions };
  });
}

/** Forgets everything about servers that left the catalog (roots and drafts included). */
export function forgetServers(keep: ReadonlySet<string>): void {
  const state = useInspectorStore.getState();
  const gone = [...new Set([...Object.keys(state.sessions), ...Object.keys(state.roots), ...Object.keys(state.drafts)])].filter((server) => !keep.has(server));
  if (gone.length === 0) return;
  for (const server of gone) dropPending(server, 'dropped');
  const without = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([server]) => keep.has(server)));
  useInspectorStore.setState((current) => ({ sessions: without(current.sessions), roots: without(current.roots), drafts: without(current.drafts) }));
}

function dropPending(server: string, outcome: RequestOutcome): void {
  for (const [id, waiter] of waiters) {
    if (waiter.server !== server) continue;
    waiters.delete(id);
    waiter.reject(new Error('The connection closed before the user answered'));
  }
  const session = sessionOf(useInspectorStore.getState(), server);
  if (session.pending.length === 0) return;
  updateSession(server, undefined, (current) => ({
    pending: [],
    settled: appendCapped(
      current.settled,
      current.pending.map((request) => ({ request, outcome, at: Date.now() })),
      MAX_SETTLED,
    ),
  }));
}

/** Where a server request came from: its JSON-RPC id, and the signal the SDK aborts when the server cancels it. */
export interface RequestOrigin {
  requestId: string | number;
  signal: AbortSignal;
  /** What asked for it, in the modern era, when known. */
  via?: InputRequestOrigin;
}

/**
 * A sampling or elicitation request arrived: it becomes a card, and the promise settles when the user answers.
 * If the server withdraws it (notifications/cancelled, or its own timeout), the card goes and the promise rejects.
 */
export function receiveServerRequest(server: string, client: Client, request: { kind: 'sampling'; params: SamplingParams }, origin: RequestOrigin): Promise<CreateMessageResult>;
export function receiveServerRequest(server: string, client: Client, request: { kind: 'elicitation'; params: ElicitParams }, origin: RequestOrigin): Promise<ElicitResult>;
export function receiveServerRequest(
  server: string,
  client: Client,
  request: { kind: 'sampling'; params: SamplingParams } | { kind: 'elicitation'; params: ElicitParams },
  origin: RequestOrigin,
): Promise<unknown> {
  const session = sessionOf(useInspectorStore.getState(), server);
  if (session.client !== client) return Promise.reject(new Error('This connection is no longer open in the inspector'));
  const id = nextRequestId++;
  const via = origin.via ?? modernInputOrigin(server, client, origin.requestId);
  const card = { ...request, id, requestId: origin.requestId, receivedAt: Date.now(), ...(via ? { via } : {}) } as PendingRequest;
  return new Promise((resolve, reject) => {
    waiters.set(id, { server, client, resolve, reject });
    updateSession(server, client, (current) => ({ pending: [...current.pending, card] }));
    origin.signal.addEventListener('abort', () => withdraw(id, origin.signal.reason), { once: true });
  });
}

/**
 * On a modern connection every elicitation, sampling or roots request is an input request of a Multi Round-Trip
 * Request (its id is the input's key); it belongs to the one call that may ask, when only one runs.
 */
function modernInputOrigin(server: string, client: Client, requestId: string | number): InputRequestOrigin | undefined {
  if (client.getProtocolEra() !== 'modern') return undefined;
  const request = soleInputOrigin(server);
  return { key: String(requestId), ...(request ? { request } : {}) };
}

/**
 * roots/list: answered with the Roots tab's roots. On a modern connection, where it is an input request of a
 * Multi Round-Trip Request, the answer is listed with the answered requests, so it can be seen what was sent.
 */
export function answerRoots(server: string, client: Client, requestId: string | number): Root[] {
  const roots = currentRoots(server);
  const via = modernInputOrigin(server, client, requestId);
  if (via) {
    const request = { kind: 'roots', id: nextRequestId++, requestId, receivedAt: Date.now(), via } as PendingRequest;
    const detail = roots.length === 0 ? 'no roots' : roots.map((root) => root.uri).join(', ');
    updateSession(server, client, (session) => ({ settled: appendCapped(session.settled, [{ request, outcome: 'answered', at: Date.now(), detail }], MAX_SETTLED) }));
  }
  return roots;
}

function withdraw(id: number, reason: unknown): void {
  const waiter = waiters.get(id);
  if (!waiter) return;
  settle(waiter.server, id, 'withdrawn', typeof reason === 'string' ? reason : undefined);
  waiter.reject(reason instanceof Error ? reason : new Error(typeof reason === 'string' ? reason : 'The server withdrew the request'));
}

/**
 * Answers a pending request: with a result (approve/accept/decline/cancel of an elicitation) or an error (a
 * declined sampling request). Returns false when the request is no longer pending.
 */
export function answerServerRequest(server: string, id: number, outcome: RequestOutcome, answer: { result: unknown; detail?: string } | { error: Error; detail?: string }): boolean {
  const waiter = waiters.get(id);
  if (!waiter) return false;
  settle(server, id, outcome, answer.detail);
  if ('error' in answer) waiter.reject(answer.error);
  else waiter.resolve(answer.result);
  return true;
}

function settle(server: string, id: number, outcome: RequestOutcome, detail: string | undefined): void {
  waiters.delete(id);
  updateSession(server, undefined, (session) => {
    const request = session.pending.find((candidate) => candidate.id === id);
    if (!request) return {};
    return {
      pending: session.pending.filter((candidate) => candidate.id !== id),
      settled: appendCapped(session.settled, [{ request, outcome, at: Date.now(), detail }], MAX_SETTLED),
    };
  });
}

/** A notification from the server: log messages, resource updates and list changes land in the session. */
export function receiveNotification(server: string, client: Client, notification: { method: string; params?: Record<string, unknown> }): void {
  const at = Date.now();
  switch (notification.method) {
    case 'notifications/message': {
      const params = notification.params as { level: LoggingLevel; logger?: string; data?: unknown };
      updateSession(server, client, (session) => ({ logs: appendCapped(session.logs, [toLogEntry(params, at)], MAX_LOG_ENTRIES) }));
      return;
    }
    case 'notifications/resources/updated': {
      const uri = String(notification.params?.uri ?? '');
      updateSession(server, client, (session) => ({ resourceUpdates: appendCapped(session.resourceUpdates, [{ id: nextUpdateId++, uri, at }], MAX_UPDATES) }));
      return;
    }
    case 'notifications/tools/list_changed':
    case 'notifications/resources/list_changed':
    case 'notifications/prompts/list_changed': {
      const list = notification.method.split('/')[1] as keyof ListVersions;
      updateSession(server, client, (session) => ({ listVersions: { ...session.listVersions, [list]: session.listVersions[list] + 1 } }));
      return;
    }
  }
}

/** Changes a connection's session state (for the views' actions: tool calls, subscriptions, ping, log level). */
export function patchSession(server: string, client: Client, change: (session: ServerSession) => Partial<ServerSession>): void {
  updateSession(server, client, change);
}

/** Clears a server's log list. */
export function clearLogs(server: string): void {
  updateSession(server, undefined, () => ({ logs: [] }));
}

/** Sets the roots a server is given. */
export function setRoots(server: string, roots: Root[]): void {
  useInspectorStore.setState((state) => ({ roots: { ...state.roots, [server]: roots } }));
}

/** The roots a server is given right now (for the roots/list handler). */
export function currentRoots(server: string): Root[] {
  return rootsOf(useInspectorStore.getState(), server);
}

/** Keeps a tool form's contents. */
export function setToolDraft(server: string, tool: string, draft: ToolDraft): void {
  useInspectorStore.setState((state) => ({ drafts: { ...state.drafts, [server]: { ...state.drafts[server], [tool]: draft } } }));
}

/** A tool form's kept contents. */
export function toolDraftOf(state: InspectorState, server: string, tool: string): ToolDraft | undefined {
  return state.drafts[server]?.[tool];
}
