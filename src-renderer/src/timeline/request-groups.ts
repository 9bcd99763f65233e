/**
 * Grouping of the modern era's (MCP 2026-07-28) multi-message operations under the request that started them:
 *
 * - A Multi Round-Trip Request: a `tools/call`, `resources/read` or `prompts/get` answered with
 *   `resultType: "input_required"` is retried as a new request (a new JSON-RPC id) carrying `inputResponses` and
 *   the `requestState` the server handed out; every retry is a round of the first request.
 * - A task (the `io.modelcontextprotocol/tasks` extension): a result with `resultType: "task"` names a `taskId`;
 *   every `tasks/get`, `tasks/update` and `tasks/cancel` for it (and each `notifications/tasks` about it) belongs to
 *   the request whose answer created the task.
 *
 * Pure: it sees timeline entries once they are linked (a response knows its request) and tells which group each
 * belongs to. Rounds are matched by the echoed `requestState` (opaque to us, so compared whole), or, when the
 * server sent none, by server, method and target (tool or prompt name, resource URI) of a request still waiting
 * for its retry. Task ids are unique per server.
 */
import type { TimelineEntry } from './timeline-entry';

/** Requests a server may answer with `input_required` (the MRTR spec's list). */
export const MULTI_ROUND_METHODS: ReadonlySet<string> = new Set(['tools/call', 'resources/read', 'prompts/get']);
/** The tasks extension's requests about one task. */
export const TASK_METHODS: ReadonlySet<string> = new Set(['tasks/get', 'tasks/update', 'tasks/cancel']);
/** A task's statuses after which it no longer changes. */
export const TERMINAL_TASK_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

/** Where a group stands: waiting for the client's input, a task running, or finished (well or not). */
export type GroupState = 'input-required' | 'task' | 'done' | 'error';

/** A request that took several messages: its rounds, its task's polls, and where it stands. */
export interface RequestGroup {
  /** The request that started it (its first round). */
  readonly root: TimelineEntry;
  /** The request of every round, the root first. */
  readonly rounds: TimelineEntry[];
  /** The `tasks/get`, `tasks/update` and `tasks/cancel` requests for its task, in order. */
  readonly polls: TimelineEntry[];
  state: GroupState;
  /** The task a round's answer created, when one did. */
  taskId?: string;
  /** The task's last known status (`working`, `input_required`, `completed`, …). */
  taskStatus?: string;
  /** When the last message of the group arrived (ms since the epoch). */
  lastAt: number;
  /** When it finished: the final round's answer, or the answer that showed its task in a terminal status. */
  endedAt?: number;
  /** Whether the timeline shows its later rounds and polls (collapsed by default). */
  expanded: boolean;
  /** Its root left the timeline (the cap dropped it): its other messages are shown on their own. */
  orphaned?: boolean;
  /** Counts changes, so a row showing the group re-renders. */
  version: number;
  /** The lookup keys it is registered under, removed when its root leaves the timeline. */
  readonly keys: Set<string>;
}

/** The group's messages other than its root request and the root's own answer and notifications are its members. */
export function isGroupMember(entry: TimelineEntry): boolean {
  const group = entry.group;
  if (!group || group.orphaned) return false;
  return entry !== group.root && entry.request !== group.root && entry.parent !== group.root;
}

/** How long it took so far (or in all, once finished): from the root request to the group's last message. */
export function groupDurationMs(group: RequestGroup): number {
  return (group.endedAt ?? group.lastAt) - group.root.event.at;
}

/** The body's `params` of a request, when it is an object. */
function paramsOf(entry: TimelineEntry): Record<string, unknown> | undefined {
  const body = entry.event.body as { params?: unknown } | undefined;
  const params = typeof body === 'object' && body !== null ? body.params : undefined;
  return typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : undefined;
}

/** The body's `result` of a response, when it is an object. */
function resultOf(entry: TimelineEntry): Record<string, unknown> | undefined {
  const body = entry.event.body as { result?: unknown } | undefined;
  const result = typeof body === 'object' && body !== null ? body.result : undefined;
  return typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : undefined;
}

/** What a multi-round request is about: the tool or prompt name, or the resource URI. */
function targetOf(method: string, params: Record<string, unknown> | undefined): string {
  const target = method === 'resources/read' ? params?.uri : params?.name;
  return typeof target === 'string' ? target : '';
}

const stateKey = (server: string, requestState: string) => `state\u0000${server}\u0000${requestState}`;
const targetKey = (server: string, method: string, target: string) => `target\u0000${server}\u0000${method}\u0000${target}`;
const taskKey = (server: string, taskId: string) => `task\u0000${server}\u0000${taskId}`;

/**
 * Finds the groups as messages arrive. `place` is called for every entry right after it was linked; it sets the
 * entry's `group` and returns the group that changed (for a re-render), if any. `forget` is called for an entry
 * that leaves the timeline, `clear` when it is cleared. Lookups are O(1); its maps hold only groups whose root is
 * still kept.
 */
export class RequestGrouper {
  /** Open lookups: echoed requestState or method target → group waiting for a retry; task id → group. */
  private readonly index = new Map<string, RequestGroup>();

  place(entry: TimelineEntry): RequestGroup | undefined {
    const { event } = entry;
    if (event.kind === 'request' && event.direction === 'client-to-server') return this.placeRequest(entry);
    if (event.kind === 'response' && event.direction === 'server-to-client' && entry.request) return this.placeResponse(entry, entry.request);
    if (event.kind === 'notification') return this.placeNotification(entry);
    return undefined;
  }

  /** An entry left the timeline: a group whose root it was can no longer be found (its later messages stand alone). */
  forget(entry: TimelineEntry): void {
    const group = entry.group;
    if (!group || group.root !== entry) return;
    for (const key of group.keys) if (this.index.get(key) === group) this.index.delete(key);
    group.keys.clear();
    group.orphaned = true;
  }

  clear(): void {
    this.index.clear();
  }

  private placeRequest(entry: TimelineEntry): RequestGroup | undefined {
    const method = entry.event.method ?? '';
    const params = paramsOf(entry);
    const server = entry.event.server;
    if (MULTI_ROUND_METHODS.has(method) && params && ('inputResponses' in params || 'requestState' in params)) {
      const requestState = typeof params.requestState === 'string' ? params.requestState : undefined;
      const group =
        (requestState !== undefined ? this.index.get(stateKey(server, requestState)) : undefined) ?? this.index.get(targetKey(server, method, targetOf(method, params)));
      if (!group || group.state !== 'input-required') return undefined;
      // The retry consumes what the last answer handed out; the next answer registers anew.
      this.unregisterRetryKeys(group);
      group.rounds.push(entry);
      entry.group = group;
      return this.touch(group, entry.event.at);
    }
    if (TASK_METHODS.has(method) && typeof params?.taskId === 'string') {
      const group = this.index.get(taskKey(server, params.taskId));
      if (!group) return undefined;
      group.polls.push(entry);
      entry.group = group;
      return this.touch(group, entry.event.at);
    }
    return undefined;
  }

  private placeResponse(entry: TimelineEntry, request: TimelineEntry): RequestGroup | undefined {
    const method = request.event.method ?? '';
    const server = entry.event.server;
    const result = resultOf(entry);
    const at = entry.event.at;
    if (request.group) entry.group = request.group;

    if (MULTI_ROUND_METHODS.has(method)) {
      if (result?.resultType === 'input_required') {
        const group = request.group ?? this.startGroup(request, entry);
        group.state = 'input-required';
        if (typeof result.requestState === 'string') this.register(group, stateKey(server, result.requestState));
        this.register(group, targetKey(server, method, targetOf(method, paramsOf(request))));
        return this.touch(group, at);
      }
      if (result?.resultType === 'task' && typeof result.taskId === 'string') {
        const group = request.group ?? this.startGroup(request, entry);
        group.state = 'task';
        group.taskId = result.taskId;
        this.applyTaskStatus(group, result.status, at);
        this.register(group, taskKey(server, result.taskId));
        return this.touch(group, at);
      }
      const group = request.group;
      if (!group || group.state !== 'input-required') return group ? this.touch(group, at) : undefined;
      // The final round: a complete result (or an error) ends the request.
      group.state = entry.isError ? 'error' : 'done';
      group.endedAt = at;
      return this.touch(group, at);
    }

    const group = request.group;
    if (!group) return undefined;
    if (method === 'tasks/get' && result) this.applyTaskStatus(group, result.status, at);
    return this.touch(group, at);
  }

  private placeNotification(entry: TimelineEntry): RequestGroup | undefined {
    // A round's progress and log messages belong where their request does.
    if (entry.parent?.group) {
      entry.group = entry.parent.group;
      return this.touch(entry.group, entry.event.at);
    }
    if (entry.event.method !== 'notifications/tasks' || entry.event.direction !== 'server-to-client') return undefined;
    const params = paramsOf(entry);
    if (typeof params?.taskId !== 'string') return undefined;
    const group = this.index.get(taskKey(entry.event.server, params.taskId));
    if (!group) return undefined;
    entry.group = group;
    this.applyTaskStatus(group, params.status, entry.event.at);
    return this.touch(group, entry.event.at);
  }

  private startGroup(root: TimelineEntry, answer: TimelineEntry): RequestGroup {
    const group: RequestGroup = { root, rounds: [root], polls: [], state: 'input-required', lastAt: answer.event.at, expanded: false, version: 0, keys: new Set() };
    root.group = group;
    answer.group = group;
    return group;
  }

  private applyTaskStatus(group: RequestGroup, status: unknown, at: number): void {
    if (typeof status !== 'string' || (group.taskStatus !== undefined && TERMINAL_TASK_STATUSES.has(group.taskStatus))) return;
    group.taskStatus = status;
    if (TERMINAL_TASK_STATUSES.has(status)) {
      group.state = status === 'completed' ? 'done' : 'error';
      group.endedAt = at;
    }
  }

  private register(group: RequestGroup, key: string): void {
    this.index.set(key, group);
    group.keys.add(key);
  }

  private unregisterRetryKeys(group: RequestGroup): void {
    for (const key of [...group.keys]) {
      if (key.startsWith('task\u0000')) continue;
      if (this.index.get(key) === group) this.index.delete(key);
      group.keys.delete(key);
    }
  }

  private touch(group: RequestGroup, at: number): RequestGroup {
    group.lastAt = Math.max(group.lastAt, at);
    group.version += 1;
    return group;
  }
}

/** "3 rounds", "1 round". */
export function roundCount(group: RequestGroup): string {
  return `${group.rounds.length} round${group.rounds.length === 1 ? '' : 's'}`;
}

/** What a member row says it is: "round 2" for a retry, "poll" for a task request, "task" for a task notification. */
export function memberLabel(entry: TimelineEntry): string | undefined {
  const group = entry.group;
  if (!group || !isGroupMember(entry)) return undefined;
  const request = entry.event.kind === 'response' ? entry.request : entry.event.kind === 'request' ? entry : entry.parent;
  if (request) {
    const round = group.rounds.indexOf(request);
    if (round >= 0) return `round ${round + 1}`;
    if (group.polls.includes(request)) return request.event.method === 'tasks/get' ? 'poll' : (request.event.method ?? 'task').replace('tasks/', '');
  }
  return 'task';
}

/** Whether a group has anything to expand: later rounds or task requests. */
export function hasMembers(group: RequestGroup): boolean {
  return group.rounds.length > 1 || group.polls.length > 0;
}

/**
 * The group in a few words, for its root's row and the detail panel: "3 rounds · 1.25 s", "2 rounds · input
 * required", "task working · 4 polls", "1 round · task completed · 5 polls · 3.20 s".
 */
export function describeGroup(group: RequestGroup, formatDuration: (ms: number) => string): string {
  const parts: string[] = [];
  if (group.rounds.length > 1 || group.taskId === undefined) parts.push(roundCount(group));
  if (group.taskId !== undefined) {
    parts.push(`task ${group.taskStatus ?? 'created'}`);
    if (group.polls.length > 0) parts.push(`${group.polls.length} poll${group.polls.length === 1 ? '' : 's'}`);
  }
  if (group.state === 'input-required') parts.push('input required');
  if (group.state === 'error' && group.taskId === undefined) parts.push('failed');
  if (group.endedAt !== undefined) parts.push(formatDuration(groupDurationMs(group)));
  return parts.join(' · ');
}
