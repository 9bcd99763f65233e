/**
 * Watches a modern connection's messages where the SDK client does not surface what the inspector shows:
 *
 * - a `tools/call` answered with a task handle (`resultType: "task"`): the 2.x client knows no tasks extension and
 *   rejects such a result as an unsupported result type, dropping the handle, so the handle is kept here for the
 *   call that gets that rejection;
 * - the cache hints (`ttlMs`, `cacheScope`) of list and read results, even when the SDK's response cache later
 *   serves the same result without a round trip;
 * - notifications that arrived on a `subscriptions/listen` stream (they carry its id as their subscription id),
 *   and task status notifications (`notifications/tasks`).
 *
 * It wraps the transport's public `send` and `onmessage` (the Transport interface), passing every message on
 * unchanged. One tap per client, installed once the client is connected.
 */
import type { Client, JSONRPCMessage } from '@modelcontextprotocol/client';
import { SUBSCRIPTION_ID_META_KEY } from '@modelcontextprotocol/client';
import { cacheKey, setCacheHint } from './modern-store';

/** Results whose cache hints are shown. */
export const CACHEABLE_METHODS: ReadonlySet<string> = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read']);

/** A task handle as a tools/call answer carried it. */
export interface TaskHandle {
  taskId: string;
  status?: string;
  statusMessage?: string;
  pollIntervalMs?: number;
  ttlMs?: number | null;
  createdAt?: string;
  lastUpdatedAt?: string;
}

/** How many unanswered requests a tap remembers. */
const MAX_UNANSWERED = 1000;

type Listener = (notification: { method: string; params?: Record<string, unknown> }) => void;

interface SentRequest {
  method: string;
  params?: Record<string, unknown>;
}

/** What a tap keeps of one connection. */
export class WireTap {
  /** Requests sent and not yet answered, by JSON-RPC id. */
  private readonly sent = new Map<string | number, SentRequest>();
  /** The last task handle a tools/call of each tool was answered with. */
  private readonly taskHandles = new Map<string, { handle: TaskHandle; at: number }>();
  /** Who hears the notifications of a subscription (by listen id), and of every task. */
  private readonly subscriptionListeners = new Map<string | number, Listener>();
  private readonly taskListeners = new Set<Listener>();
  /** Called with the id of each subscriptions/listen request sent. */
  private listenWaiter: ((listenId: string | number) => void) | undefined;

  constructor(
    private readonly server: string,
    private readonly client: Client,
  ) {}

  /** The task handle a call of `tool` was answered with since `since` (ms since the epoch), taken once. */
  takeTaskHandle(tool: string, since: number): TaskHandle | undefined {
    const kept = this.taskHandles.get(tool);
    if (!kept || kept.at < since) return undefined;
    this.taskHandles.delete(tool);
    return kept.handle;
  }

  /** The next subscriptions/listen request's id is handed to `waiter` as it is sent. */
  expectListen(waiter: (listenId: string | number) => void): void {
    this.listenWaiter = waiter;
  }

  onSubscription(listenId: string | number, listener: Listener): () => void {
    this.subscriptionListeners.set(listenId, listener);
    return () => this.subscriptionListeners.delete(listenId);
  }

  onTaskNotification(listener: Listener): () => void {
    this.taskListeners.add(listener);
    return () => this.taskListeners.delete(listener);
  }

  outbound(message: JSONRPCMessage): void {
    const request = message as { id?: string | number; method?: string; params?: Record<string, unknown> };
    if (request.id === undefined || typeof request.method !== 'string') return;
    this.sent.set(request.id, { method: request.method, params: request.params });
    // Requests cancelled or dropped are never answered: the oldest go first.
    if (this.sent.size > MAX_UNANSWERED) this.sent.delete(this.sent.keys().next().value!);
    if (request.method === 'subscriptions/listen' && this.listenWaiter) {
      const waiter = this.listenWaiter;
      this.listenWaiter = undefined;
      waiter(request.id);
    }
  }

  inbound(message: JSONRPCMessage): void {
    const raw = message as { id?: string | number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: unknown };
    if (typeof raw.method === 'string') {
      if (raw.id === undefined) this.notification(raw.method, raw.params);
      return;
    }
    if (raw.id === undefined) return;
    const request = this.sent.get(raw.id);
    if (!request) return;
    this.sent.delete(raw.id);
    if (typeof raw.result !== 'object' || raw.result === null) return;
    const result = raw.result as Record<string, unknown>;
    if (request.method === 'tools/call' && result.resultType === 'task' && typeof result.taskId === 'string') {
      this.taskHandles.set(String(request.params?.name ?? ''), { handle: result as unknown as TaskHandle, at: Date.now() });
    }
    if (CACHEABLE_METHODS.has(request.method) && ('ttlMs' in result || 'cacheScope' in result)) {
      const uri = request.method === 'resources/read' && typeof request.params?.uri === 'string' ? request.params.uri : undefined;
      // The hint of a list's first page stands for the list (later pages are fetched by cursor).
      if (request.method !== 'resources/read' && request.params?.cursor !== undefined) return;
      setCacheHint(this.server, this.client, cacheKey(request.method, uri), {
        ...(typeof result.ttlMs === 'number' ? { ttlMs: result.ttlMs } : {}),
        ...(typeof result.cacheScope === 'string' ? { cacheScope: result.cacheScope } : {}),
        receivedAt: Date.now(),
      });
    }
  }

  private notification(method: string, params: Record<string, unknown> | undefined): void {
    const meta = params?._meta as Record<string, unknown> | undefined;
    const subscriptionId = meta?.[SUBSCRIPTION_ID_META_KEY];
    if ((typeof subscriptionId === 'string' || typeof subscriptionId === 'number') && method !== 'notifications/subscriptions/acknowledged') {
      this.subscriptionListeners.get(subscriptionId)?.({ method, params });
    }
    if (method === 'notifications/tasks') for (const listener of this.taskListeners) listener({ method, params });
  }
}

const taps = new WeakMap<Client, WireTap>();

/** The tap of a connected client (installed on first use); undefined before the client has a transport. */
export function tapOf(server: string, client: Client): WireTap | undefined {
  const existing = taps.get(client);
  if (existing) return existing;
  const transport = client.transport;
  if (!transport) return undefined;
  const tap = new WireTap(server, client);
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    tap.outbound(message);
    return send(message, options);
  };
  const receive = transport.onmessage;
  transport.onmessage = (message, extra) => {
    // The tap must never break the client's own handling.
    try {
      tap.inbound(message);
    } catch (error) {
      console.error('Patchbay could not read a message for the inspector:', error);
    }
    receive?.(message, extra);
  };
  taps.set(client, tap);
  return tap;
}
