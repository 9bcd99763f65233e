import { ServerEntrySchema, type ServerEntry } from '../../../src-shared/catalog';
import {
  API_METHODS,
  ApiCallError,
  apiContract,
  unwrapApiResult,
  type ApiMethod,
  type ApiResult,
  type PatchbayApi,
} from '../../../src-shared/api-contract';
import { DroppedNoticeSchema, LifecycleEventSchema, type DroppedNotice, type LifecycleEvent } from '../../../src-shared/events';
import { StressProgressSchema, type StressProgress } from '../../../src-shared/stress';
import { z } from 'zod';
import { openEventStream, type EventStream, type LinkState } from './event-stream';
import type { SseEvent } from './sse-parser';
import { errorText } from '../error-text';

/** Options of `createWebApi`. */
export interface WebApiOptions {
  /** Origin of the page, which also serves the bridge, e.g. http://127.0.0.1:6277 */
  origin: string;
  token: string;
  /** The owner the event stream is opened for; read again on every (re)connect. */
  owner(): string;
  /** Called before reconnecting a lost stream: the old owner's sessions are closed, a new owner is needed. */
  renewOwner(): void;
  fetch?: typeof fetch;
  /** Reconnect delays of the event stream (see `openEventStream`). */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** Why events may have been missed: the stream was lost and reopened, or the server dropped some. */
export type ResyncReason = 'reopened' | 'dropped';

/** The api object of web mode, plus what only an HTTP bridge has: a stream that can be lost. */
export interface WebApi {
  api: PatchbayApi;
  /** Resolves once the event stream is open. */
  opened: Promise<void>;
  /** Events may have been missed; `notice` says how many and why when the server dropped them. */
  onResync(listener: (reason: ResyncReason, notice?: DroppedNotice) => void): () => void;
  /** Called when an open stream is lost: every session of the current owner is closing on the server. */
  onLost(listener: (error: string) => void): () => void;
  onLinkState(listener: (state: LinkState) => void): () => void;
  close(): void;
}

const catalogEventSchema = z.array(ServerEntrySchema);

/**
 * Builds the api over web mode's HTTP bridge at the page's own origin: `POST /bridge/invoke/<method>` for calls
 * and one shared `GET /bridge/events?owner=…` stream for every event subscriber. The stream is opened at once,
 * since the server closes the owner's sessions when it ends: it must exist before anything is connected.
 */
export function createWebApi(options: WebApiOptions): WebApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const authorization = `Bearer ${options.token}`;
  const lifecycleListeners = new Set<(event: LifecycleEvent) => void>();
  const catalogListeners = new Set<(entries: ServerEntry[]) => void>();
  const stressListeners = new Set<(progress: StressProgress) => void>();
  const resyncListeners = new Set<(reason: ResyncReason, notice?: DroppedNotice) => void>();
  const lostListeners = new Set<(error: string) => void>();
  const linkListeners = new Set<(state: LinkState) => void>();
  let linkState: LinkState = { status: 'connecting' };

  const invoke = async (method: ApiMethod, input: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await doFetch(`${options.origin}/bridge/invoke/${method}`, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': 'application/json' },
        body: JSON.stringify(input === undefined ? {} : { input }),
      });
    } catch (error) {
      throw new ApiCallError(method, `Patchbay could not be reached (${errorText(error)}). Is npm run web still running?`, 'internal');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new ApiCallError(method, `Patchbay answered HTTP ${response.status} without a readable body`, 'internal');
    }
    if (!isApiResult(body)) {
      // The token and Host guards answer before the bridge, in the JSON-RPC error shape.
      const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
      throw new ApiCallError(method, typeof message === 'string' ? message : `Patchbay answered HTTP ${response.status}`, 'rejected');
    }
    const value = unwrapApiResult(method, body);
    const parsed = apiContract[method].output.safeParse(value);
    if (!parsed.success) throw new ApiCallError(method, `Patchbay sent an unexpected answer to ${method}`, 'internal');
    return parsed.data;
  };

  const api = Object.fromEntries(API_METHODS.map((method) => [method, (input?: unknown) => invoke(method, input)])) as unknown as Omit<
    PatchbayApi,
    'onLifecycleEvent' | 'onCatalogChanged' | 'onStressProgress'
  >;

  const dispatch = (event: SseEvent): void => {
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return;
    }
    if (event.event === 'lifecycle') {
      const parsed = LifecycleEventSchema.safeParse(data);
      if (parsed.success) for (const listener of lifecycleListeners) listener(parsed.data);
    } else if (event.event === 'catalog') {
      const parsed = catalogEventSchema.safeParse(data);
      if (parsed.success) for (const listener of catalogListeners) listener(parsed.data);
    } else if (event.event === 'stress') {
      const parsed = StressProgressSchema.safeParse(data);
      if (parsed.success) for (const listener of stressListeners) listener(parsed.data);
    } else if (event.event === 'dropped') {
      // The server fell back on dropping events for this page: say how many and why, however the notice reads.
      const parsed = DroppedNoticeSchema.safeParse(data);
      const notice: DroppedNotice = parsed.success ? parsed.data : { count: 1, bytes: 0, reason: 'the page fell behind' };
      for (const listener of resyncListeners) listener('dropped', notice);
    }
  };

  const stream: EventStream = openEventStream({
    url: () => `${options.origin}/bridge/events?owner=${encodeURIComponent(options.owner())}`,
    headers: { Authorization: authorization },
    fetch: doFetch,
    initialDelayMs: options.initialDelayMs,
    maxDelayMs: options.maxDelayMs,
    onEvent: dispatch,
    onOpen: (reopened) => {
      if (reopened) for (const listener of resyncListeners) listener('reopened');
    },
    onLost: (error) => {
      for (const listener of lostListeners) listener(error);
    },
    beforeReconnect: options.renewOwner,
    onState: (state) => {
      linkState = state;
      for (const listener of linkListeners) listener(state);
    },
  });

  const subscribe = <T>(set: Set<T>, listener: T): (() => void) => {
    set.add(listener);
    return () => set.delete(listener);
  };

  return {
    api: {
      ...api,
      onLifecycleEvent: (listener) => subscribe(lifecycleListeners, listener),
      onCatalogChanged: (listener) => subscribe(catalogListeners, listener),
      onStressProgress: (listener) => subscribe(stressListeners, listener),
    } as PatchbayApi,
    opened: stream.opened,
    onResync: (listener) => subscribe(resyncListeners, listener),
    onLost: (listener) => subscribe(lostListeners, listener),
    onLinkState: (listener) => {
      listener(linkState);
      return subscribe(linkListeners, listener);
    },
    close: () => stream.close(),
  };
}

function isApiResult(body: unknown): body is ApiResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const result = body as { ok: unknown; error?: { message?: unknown } };
  return result.ok === true || (result.ok === false && typeof result.error?.message === 'string');
}
