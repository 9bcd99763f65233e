/**
 * The inspector's state for the modern era's (MCP 2026-07-28) flows, per server, in a store of its own beside the
 * inspector store: tasks (the tasks extension) with their polling state, `subscriptions/listen` streams with the
 * notifications that arrived on them, the cache hints (`ttlMs`, `cacheScope`) of the last list and read results,
 * and the per-request options (extra `_meta`, log level) the user set.
 *
 * Tasks and subscriptions belong to one connection (one SDK client) and are dropped when another connection of the
 * server takes over; cache hints belong to the connection too; request options are the user's input and outlive
 * reconnects.
 */
import type { Client, LoggingLevel, SubscriptionFilter } from '@modelcontextprotocol/client';
import { create } from 'zustand';

/** A task a tool call's answer created, as far as polling has seen it. */
export interface TaskRecord {
  taskId: string;
  /** The tool whose call created it. */
  tool: string;
  client: Client;
  status: string;
  statusMessage?: string;
  pollIntervalMs?: number;
  ttlMs?: number | null;
  createdAt?: string;
  lastUpdatedAt?: string;
  /** tasks/get requests sent. */
  polls: number;
  /** When Patchbay learned of it, and when it saw it end (ms since the epoch). */
  startedAt: number;
  endedAt?: number;
  /** A completed task's result (what the tool call would have returned). */
  result?: Record<string, unknown>;
  /** A failed task's JSON-RPC error, or why polling stopped. */
  error?: string;
  /** The input request keys already shown to the user (each is answered once, with tasks/update). */
  answeredKeys: string[];
  /** The user asked for tasks/cancel (cancellation is cooperative: the status says what the server did). */
  cancelRequested?: boolean;
  /** Polling stopped (terminal status, connection gone, or an error). */
  stopped: boolean;
}

/** A notification that arrived on a subscriptions/listen stream. */
export interface SubscriptionNotification {
  id: number;
  at: number;
  method: string;
  params?: Record<string, unknown>;
}

/** A subscriptions/listen stream: what was asked, what the server agreed to, what came, how it ended. */
export interface SubscriptionRecord {
  id: number;
  client: Client;
  requested: SubscriptionFilter;
  honored?: SubscriptionFilter;
  /** The listen request's JSON-RPC id (its notifications carry it as their subscription id). */
  listenId?: string | number;
  state: 'opening' | 'open' | 'closed' | 'failed';
  /** How it ended: closed here, by the server (graceful), or the stream dropped (remote). */
  closedBy?: 'local' | 'graceful' | 'remote';
  error?: string;
  openedAt: number;
  notifications: SubscriptionNotification[];
}

/** A cacheable result's hint as it arrived. */
export interface CacheHint {
  ttlMs?: number;
  cacheScope?: string;
  receivedAt: number;
}

/** What the user adds to modern tool calls, resource reads and prompt gets. */
export interface RequestOptions {
  /** Extra `_meta` as the user typed it (a JSON object), empty for none. */
  metaText: string;
  /** `io.modelcontextprotocol/logLevel`; unset sends none (the server then sends no log messages for the request). */
  logLevel?: LoggingLevel;
}

export interface ModernState {
  tasks: Record<string, TaskRecord[]>;
  subscriptions: Record<string, SubscriptionRecord[]>;
  /** server → cache key (method, and the URI for a read) → hint. */
  cacheHints: Record<string, Record<string, CacheHint>>;
  requestOptions: Record<string, RequestOptions>;
  /** The connection each server's state belongs to. */
  clients: Record<string, Client>;
}

/** How many notifications a subscription and how many tasks a server keep. */
export const MAX_SUBSCRIPTION_NOTIFICATIONS = 200;
export const MAX_TASKS = 20;

export const useModernStore = create<ModernState>()(() => ({ tasks: {}, subscriptions: {}, cacheHints: {}, requestOptions: {}, clients: {} }));

const NO_TASKS: TaskRecord[] = [];
const NO_SUBSCRIPTIONS: SubscriptionRecord[] = [];
const NO_HINTS: Record<string, CacheHint> = {};
const NO_OPTIONS: RequestOptions = { metaText: '' };

export const tasksOf = (state: ModernState, server: string): TaskRecord[] => state.tasks[server] ?? NO_TASKS;
export const subscriptionsOf = (state: ModernState, server: string): SubscriptionRecord[] => state.subscriptions[server] ?? NO_SUBSCRIPTIONS;
export const cacheHintsOf = (state: ModernState, server: string): Record<string, CacheHint> => state.cacheHints[server] ?? NO_HINTS;
export const requestOptionsOf = (state: ModernState, server: string): RequestOptions => state.requestOptions[server] ?? NO_OPTIONS;

/** The key a cache hint is kept under: the method, and for a read the URI. */
export function cacheKey(method: string, uri?: string): string {
  return uri === undefined ? method : `${method} ${uri}`;
}

/**
 * A connection of `server` with `client` is the one shown: state of any earlier connection goes (its tasks can no
 * longer be polled through it, its streams are gone). Returns whether anything was dropped.
 */
export function adoptConnection(server: string, client: Client): boolean {
  const state = useModernStore.getState();
  if (state.clients[server] === client) return false;
  useModernStore.setState((current) => {
    const without = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).filter(([name]) => name !== server));
    return { tasks: without(current.tasks), subscriptions: without(current.subscriptions), cacheHints: without(current.cacheHints), clients: { ...current.clients, [server]: client } };
  });
  return true;
}

/** Whether `client` is still the connection shown for `server`. */
export function isCurrent(server: string, client: Client): boolean {
  return useModernStore.getState().clients[server] === client;
}

export function addTask(server: string, task: TaskRecord): void {
  if (!isCurrent(server, task.client)) return;
  useModernStore.setState((state) => ({ tasks: { ...state.tasks, [server]: [...tasksOf(state, server).filter((other) => other.taskId !== task.taskId), task].slice(-MAX_TASKS) } }));
}

export function patchTask(server: string, taskId: string, change: (task: TaskRecord) => Partial<TaskRecord>): void {
  useModernStore.setState((state) => {
    const tasks = tasksOf(state, server);
    const index = tasks.findIndex((task) => task.taskId === taskId);
    if (index === -1) return state;
    const next = [...tasks];
    next[index] = { ...tasks[index]!, ...change(tasks[index]!) };
    return { tasks: { ...state.tasks, [server]: next } };
  });
}

export function taskOf(server: string, taskId: string): TaskRecord | undefined {
  return tasksOf(useModernStore.getState(), server).find((task) => task.taskId === taskId);
}

export function addSubscription(server: string, subscription: SubscriptionRecord): void {
  if (!isCurrent(server, subscription.client)) return;
  useModernStore.setState((state) => ({ subscriptions: { ...state.subscriptions, [server]: [...subscriptionsOf(state, server), subscription] } }));
}

export function patchSubscription(server: string, id: number, change: (subscription: SubscriptionRecord) => Partial<SubscriptionRecord>): void {
  useModernStore.setState((state) => {
    const subscriptions = subscriptionsOf(state, server);
    const index = subscriptions.findIndex((subscription) => subscription.id === id);
    if (index === -1) return state;
    const next = [...subscriptions];
    next[index] = { ...subscriptions[index]!, ...change(subscriptions[index]!) };
    return { subscriptions: { ...state.subscriptions, [server]: next } };
  });
}

export function removeSubscription(server: string, id: number): void {
  useModernStore.setState((state) => ({ subscriptions: { ...state.subscriptions, [server]: subscriptionsOf(state, server).filter((subscription) => subscription.id !== id) } }));
}

export function setCacheHint(server: string, client: Client, key: string, hint: CacheHint): void {
  if (!isCurrent(server, client)) return;
  useModernStore.setState((state) => ({ cacheHints: { ...state.cacheHints, [server]: { ...cacheHintsOf(state, server), [key]: hint } } }));
}

export function setRequestOptions(server: string, options: RequestOptions): void {
  useModernStore.setState((state) => ({ requestOptions: { ...state.requestOptions, [server]: options } }));
}
