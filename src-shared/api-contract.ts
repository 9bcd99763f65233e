import { z } from 'zod';
import { ServerEntrySchema, type ServerEntry } from './catalog';
import { LifecycleEventSchema, SessionSnapshotSchema, type LifecycleEvent } from './events';

/**
 * The api between the renderer and the main process, defined once. The Electron preload exposes one named method
 * per entry (over IPC) and web mode's HTTP bridge serves the same entries; main validates every payload with the
 * entry's input schema before a service sees it.
 */

const serverName = z.string().min(1, 'a server name is required').max(200);

/** What the renderer needs to reach the proxy. */
export const ConnectionInfoSchema = z.object({
  /** Base URL of the proxy, e.g. http://127.0.0.1:53122 */
  proxyUrl: z.string(),
  /** Bearer token for every proxy request. */
  token: z.string(),
  /** Which host runs the services: the Electron app or web mode. */
  host: z.enum(['electron', 'web']),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>;

export const CatalogStatusSchema = z.object({
  path: z.string(),
  /** Set when the saved catalog could not be read; says where it was kept. */
  problem: z.string().optional(),
});

export const apiContract = {
  /** Introduces a window: its owner id tags the sessions it opens, so they close with it. */
  hello: {
    input: z.strictObject({ owner: z.string().min(8, 'an owner id has at least 8 characters').max(100) }),
    output: ConnectionInfoSchema,
  },
  listServers: { input: z.undefined(), output: z.array(ServerEntrySchema) },
  catalogStatus: { input: z.undefined(), output: CatalogStatusSchema },
  addServer: { input: z.strictObject({ entry: ServerEntrySchema }), output: z.array(ServerEntrySchema) },
  updateServer: { input: z.strictObject({ name: serverName, entry: ServerEntrySchema }), output: z.array(ServerEntrySchema) },
  removeServer: { input: z.strictObject({ name: serverName }), output: z.array(ServerEntrySchema) },
  duplicateServer: { input: z.strictObject({ name: serverName }), output: z.array(ServerEntrySchema) },
  /** The live sessions and the sequence number of the last event they include. */
  getSessions: { input: z.undefined(), output: z.object({ sessions: z.array(SessionSnapshotSchema), seq: z.number().int() }) },
  getStderr: { input: z.strictObject({ sessionId: z.string().min(1) }), output: z.object({ lines: z.array(z.string()) }) },
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiContract[M]['output']>;

/** Every method name, for building the preload's named methods and registering handlers. */
export const API_METHODS = Object.keys(apiContract) as ApiMethod[];

/** How a call's outcome crosses IPC or HTTP: errors travel as data, with a readable message. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: { message: string; code: ApiErrorCode } };
export type ApiErrorCode = 'invalid-payload' | 'unknown-method' | 'rejected' | 'internal';

/** The events main pushes to the renderer. */
export const API_EVENTS = {
  lifecycle: LifecycleEventSchema,
  catalog: z.array(ServerEntrySchema),
} as const;
export type ApiEventName = keyof typeof API_EVENTS;
export type ApiEventPayload = { lifecycle: LifecycleEvent; catalog: ServerEntry[] };

/** The api object the renderer is given: one named method per contract entry, plus event subscriptions. */
export type PatchbayApi = {
  [M in ApiMethod]: ApiInput<M> extends undefined ? () => Promise<ApiOutput<M>> : (input: ApiInput<M>) => Promise<ApiOutput<M>>;
} & {
  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  onLifecycleEvent(listener: (event: LifecycleEvent) => void): () => void;
  /** Subscribes to catalog changes; returns the unsubscribe function. */
  onCatalogChanged(listener: (entries: ServerEntry[]) => void): () => void;
};

/** The error a failed api call rejects with in the renderer. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly method: string,
    message: string,
    readonly code: ApiErrorCode,
  ) {
    super(message);
  }
}

/** Unwraps a call's result, throwing ApiCallError on failure. */
export function unwrapApiResult<T>(method: string, result: ApiResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiCallError(method, result.error.message, result.error.code);
}

/** IPC channel names: one per api method and one per event, all in one place. */
export const IPC_CHANNELS = {
  invoke: (method: ApiMethod) => `patchbay:invoke:${method}`,
  event: (name: ApiEventName) => `patchbay:event:${name}`,
} as const;
