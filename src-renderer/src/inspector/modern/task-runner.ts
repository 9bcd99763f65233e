/**
 * Follows a task of the tasks extension (`io.modelcontextprotocol/tasks`) from its handle to its end: polls
 * `tasks/get` at the interval the server suggests, shows each status in the modern store, puts the requests of an
 * `input_required` task in front of the user (once per key, as the extension asks) and sends each answer with
 * `tasks/update`, and sends `tasks/cancel` when asked. A status notification (`notifications/tasks`) counts as a
 * poll's answer. It stops at a terminal status, when the connection is no longer the one shown, or on an error.
 */
import type { Client } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { addTask, isCurrent, patchTask, taskOf, type TaskRecord } from './modern-store';
import type { TaskHandle, WireTap } from './wire-tap';

/** Terminal statuses: the task no longer changes. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);
/** Poll at least this often and at most this rarely, whatever the server suggests (ms). */
export const MIN_POLL_MS = 100;
export const MAX_POLL_MS = 10_000;
const DEFAULT_POLL_MS = 1000;

const TaskStateSchema = z.looseObject({
  taskId: z.string(),
  status: z.string(),
  statusMessage: z.string().optional(),
  pollIntervalMs: z.number().optional(),
  ttlMs: z.number().nullable().optional(),
  createdAt: z.string().optional(),
  lastUpdatedAt: z.string().optional(),
  inputRequests: z.record(z.string(), z.looseObject({ method: z.string(), params: z.record(z.string(), z.unknown()).optional() })).optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: z.looseObject({ code: z.number().optional(), message: z.string().optional() }).optional(),
});
type TaskState = z.infer<typeof TaskStateSchema>;
const AckSchema = z.looseObject({});

/** An input request of a task, as the user is asked it. */
export interface TaskInputRequest {
  method: string;
  params?: Record<string, unknown>;
}

export interface TaskRunnerDeps {
  /**
   * Asks the user one input request (elicitation, sampling, roots) and resolves with the answer to send; rejects
   * when the user declines in a way that has no answer (a declined sampling request), or when `signal` aborts.
   */
  ask(key: string, request: TaskInputRequest, signal: AbortSignal): Promise<unknown>;
  /** Waits between polls; tests may pass a quicker one. */
  wait?(ms: number, signal: AbortSignal): Promise<void>;
}

/** A task being followed. */
export interface FollowedTask {
  readonly taskId: string;
  /** Sends tasks/cancel (polling goes on, to show what the server did). */
  cancel(): Promise<void>;
  /** Stops polling (and withdraws its open input requests). */
  stop(reason?: string): void;
  /** Settles once polling has stopped. */
  readonly done: Promise<void>;
}

const followed = new Map<string, FollowedTask>();
const followKey = (server: string, taskId: string) => JSON.stringify([server, taskId]);

/** The task being followed with that id, if any. */
export function followedTask(server: string, taskId: string): FollowedTask | undefined {
  return followed.get(followKey(server, taskId));
}

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function pollDelay(pollIntervalMs: number | undefined): number {
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, pollIntervalMs ?? DEFAULT_POLL_MS));
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'number' ? `Error ${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** Starts following the task a call of `tool` was answered with. */
export function followTask(server: string, client: Client, tool: string, handle: TaskHandle, deps: TaskRunnerDeps, tap?: WireTap): FollowedTask {
  const key = followKey(server, handle.taskId);
  followed.get(key)?.stop('followed again');
  const controller = new AbortController();
  const wait = deps.wait ?? waitFor;
  const record: TaskRecord = {
    taskId: handle.taskId,
    tool,
    client,
    status: handle.status ?? 'working',
    statusMessage: handle.statusMessage,
    pollIntervalMs: handle.pollIntervalMs,
    ttlMs: handle.ttlMs,
    createdAt: handle.createdAt,
    lastUpdatedAt: handle.lastUpdatedAt,
    polls: 0,
    startedAt: Date.now(),
    answeredKeys: [],
    stopped: false,
  };
  addTask(server, record);
  /** Input requests shown and not yet answered, by key; each has its own abort (the task may move on without it). */
  const asking = new Map<string, AbortController>();
  let wake: (() => void) | undefined;

  const apply = (state: TaskState) => {
    const terminal = TERMINAL_STATUSES.has(state.status);
    patchTask(server, handle.taskId, (current) => ({
      status: state.status,
      statusMessage: state.statusMessage,
      pollIntervalMs: state.pollIntervalMs ?? current.pollIntervalMs,
      ttlMs: state.ttlMs === undefined ? current.ttlMs : state.ttlMs,
      lastUpdatedAt: state.lastUpdatedAt ?? current.lastUpdatedAt,
      ...(state.result ? { result: state.result } : {}),
      ...(state.status === 'failed' ? { error: state.error ? `Error ${state.error.code ?? '?'}: ${state.error.message ?? 'failed'}` : state.statusMessage ?? 'failed' } : {}),
      ...(terminal ? { endedAt: Date.now() } : {}),
    }));
    if (state.status === 'input_required' && state.inputRequests) {
      for (const [inputKey, request] of Object.entries(state.inputRequests)) {
        // Each key is asked once; a later poll repeating it is the same request.
        if (asking.has(inputKey) || taskOf(server, handle.taskId)?.answeredKeys.includes(inputKey)) continue;
        const ask = new AbortController();
        asking.set(inputKey, ask);
        patchTask(server, handle.taskId, (current) => ({ answeredKeys: [...current.answeredKeys, inputKey] }));
        deps.ask(inputKey, request, ask.signal).then(
          async (answer) => {
            asking.delete(inputKey);
            if (controller.signal.aborted) return;
            try {
              await client.request({ method: 'tasks/update', params: { taskId: handle.taskId, inputResponses: { [inputKey]: answer } } }, AckSchema);
            } catch (error) {
              patchTask(server, handle.taskId, () => ({ error: `tasks/update failed: ${describeError(error)}` }));
            }
            wake?.();
          },
          () => asking.delete(inputKey),
        );
      }
    }
    return terminal;
  };

  const unsubscribe = tap?.onTaskNotification((notification) => {
    const parsed = TaskStateSchema.safeParse(notification.params);
    if (parsed.success && parsed.data.taskId === handle.taskId && !controller.signal.aborted && apply(parsed.data)) stop();
  });

  const stop = (reason?: string) => {
    if (controller.signal.aborted) return;
    controller.abort();
    unsubscribe?.();
    for (const ask of asking.values()) ask.abort(new Error('The task no longer waits for this answer'));
    asking.clear();
    followed.delete(key);
    patchTask(server, handle.taskId, (current) => ({ stopped: true, ...(reason && !TERMINAL_STATUSES.has(current.status) ? { error: current.error ?? reason } : {}) }));
  };

  const loop = async () => {
    let delay = pollDelay(handle.pollIntervalMs);
    if (TERMINAL_STATUSES.has(record.status)) return stop();
    while (!controller.signal.aborted) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        void wait(delay, controller.signal).then(resolve);
      });
      wake = undefined;
      if (controller.signal.aborted) return;
      if (!isCurrent(server, client)) return stop('the connection closed');
      patchTask(server, handle.taskId, (current) => ({ polls: current.polls + 1 }));
      let state: TaskState;
      try {
        state = (await client.request({ method: 'tasks/get', params: { taskId: handle.taskId } }, TaskStateSchema)) as TaskState;
      } catch (error) {
        if (controller.signal.aborted) return;
        return stop(`tasks/get failed: ${describeError(error)}`);
      }
      if (controller.signal.aborted) return;
      if (apply(state)) return stop();
      delay = pollDelay(state.pollIntervalMs);
    }
  };

  const task: FollowedTask = {
    taskId: handle.taskId,
    cancel: async () => {
      patchTask(server, handle.taskId, () => ({ cancelRequested: true }));
      try {
        await client.request({ method: 'tasks/cancel', params: { taskId: handle.taskId } }, AckSchema);
      } catch (error) {
        patchTask(server, handle.taskId, () => ({ error: `tasks/cancel failed: ${describeError(error)}` }));
      }
      wake?.();
    },
    stop,
    done: Promise.resolve(),
  };
  followed.set(key, task);
  (task as { done: Promise<void> }).done = loop().catch((error: unknown) => stop(describeError(error)));
  return task;
}
