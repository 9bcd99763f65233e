import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../../src-shared/events';
import { describeGroup, groupDurationMs, memberLabel } from './request-groups';
import { eraOf, groupOf, type TimelineEntry } from './timeline-entry';
import { formatDuration } from './timeline-format';
import { TimelineStore } from './timeline-store';

// Message shapes from the MCP 2026-07-28 schema's examples (schema/2026-07-28/examples) and the tasks extension's
// example flow (SEP-2663), as the proxy relays them.

const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'ExampleClient', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** examples/InputRequiredResult/input-required-result-with-elicitation-and-sampling-and-request-state.json */
const INPUT_REQUIRED_WITH_STATE = {
  resultType: 'input_required',
  inputRequests: {
    github_login: {
      method: 'elicitation/create',
      params: { message: 'Please provide your GitHub username', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
    },
    capital_of_france: {
      method: 'sampling/createMessage',
      params: { messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }], maxTokens: 100 },
    },
  },
  requestState: 'eyJsb2NhdGlvbiI6Ik5ldyBZb3JrIn0',
};

/** examples/InputResponses/elicitation-and-sampling-input-responses.json */
const INPUT_RESPONSES = {
  github_login: { action: 'accept', content: { name: 'octocat' } },
  capital_of_france: { role: 'assistant', content: { type: 'text', text: 'The capital of France is Paris.' }, model: 'claude-3-sonnet-20240307', stopReason: 'endTurn' },
};

/** examples/InputRequiredResult/input-required-result-with-request-state-only.json */
const INPUT_REQUIRED_STATE_ONLY = { resultType: 'input_required', requestState: 'eyJwcm9ncmVzcyI6IjUwJSIsInN0YXRlIjoicHJvY2Vzc2luZyJ9' };

const TASK_ID = '786512e2-9e0d-44bd-8f29-789f320fe840';
const TASK = { taskId: TASK_ID, createdAt: '2025-11-25T10:30:00Z', lastUpdatedAt: '2025-11-25T10:50:00Z', ttlMs: 3600000, pollIntervalMs: 5000 };

let seq = 0;
function message(fields: Partial<MessageEvent> & Pick<MessageEvent, 'direction' | 'kind'>): MessageEvent {
  seq += 1;
  return { type: 'message', seq, at: 1_700_000_000_000 + seq * 10, sessionId: 's1', server: 'weather', size: 100, ...fields };
}
const call = (id: number | string, method: string, params: Record<string, unknown>, extra: Partial<MessageEvent> = {}) =>
  message({ direction: 'client-to-server', kind: 'request', id, method, body: { jsonrpc: '2.0', id, method, params: { _meta: META, ...params } }, ...extra });
const answer = (id: number | string, result: Record<string, unknown>, extra: Partial<MessageEvent> = {}) =>
  message({ direction: 'server-to-client', kind: 'response', id, durationMs: 5, isError: false, body: { jsonrpc: '2.0', id, result }, ...extra });
const failure = (id: number | string, error: { code: number; message: string }) =>
  message({ direction: 'server-to-client', kind: 'response', id, durationMs: 5, isError: true, body: { jsonrpc: '2.0', id, error } });
const weather = { name: 'get_weather', arguments: { location: 'New York' } };
const complete = { resultType: 'complete', content: [{ type: 'text', text: 'Sunny, 22°C' }], isError: false };

function storeWith(events: MessageEvent[]): TimelineStore {
  const store = new TimelineStore({ schedule: (notify) => notify() });
  store.ingestMany(events);
  return store;
}
const shownIds = (store: TimelineStore) => store.shown.toArray().map((entry) => `${entry.event.kind === 'request' ? '→' : '←'}${entry.event.id}`);
const all = (store: TimelineStore): TimelineEntry[] => {
  const saved = store.filter;
  store.setFilter({ text: '"' });
  const entries = store.shown.toArray();
  store.setFilter(saved);
  return entries;
};

describe('multi round-trip requests', () => {
  it('groups the retry (inputResponses + the echoed requestState) under the first request, folded until expanded', () => {
    const store = storeWith([
      call(1, 'tools/call', weather),
      answer(1, INPUT_REQUIRED_WITH_STATE),
      call(2, 'tools/call', { ...weather, inputResponses: INPUT_RESPONSES, requestState: INPUT_REQUIRED_WITH_STATE.requestState }),
      answer(2, complete),
    ]);
    // Collapsed: the first round and its answer stand for the whole request.
    expect(shownIds(store)).toEqual(['→1', '←1']);
    const root = store.shown.at(0)!;
    const group = root.group!;
    expect(group.root).toBe(root);
    expect(group.rounds.map((round) => round.event.id)).toEqual([1, 2]);
    expect(group.state).toBe('done');
    expect(groupDurationMs(group)).toBe(30);
    expect(describeGroup(group, formatDuration)).toBe('2 rounds · 30 ms');

    store.setGroupExpanded(group, true);
    expect(shownIds(store)).toEqual(['→1', '←1', '→2', '←2']);
    const [, , retry, retryAnswer] = store.shown.toArray();
    expect(memberLabel(retry!)).toBe('round 2');
    expect(memberLabel(retryAnswer!)).toBe('round 2');
    expect(memberLabel(root)).toBeUndefined();
    // Selecting any of its messages highlights all of them.
    expect(groupOf(retry!)).toEqual(new Set(store.shown.toArray()));

    store.setGroupExpanded(group, false);
    expect(shownIds(store)).toEqual(['→1', '←1']);
  });

  it('counts every round of a request that needs input several times, each with a new requestState', () => {
    const store = storeWith([
      call('a', 'prompts/get', { name: 'plan' }),
      answer('a', { ...INPUT_REQUIRED_WITH_STATE, requestState: 'round-1' }),
      call('b', 'prompts/get', { name: 'plan', inputResponses: INPUT_RESPONSES, requestState: 'round-1' }),
      answer('b', { ...INPUT_REQUIRED_WITH_STATE, requestState: 'round-2' }),
      call('c', 'prompts/get', { name: 'plan', inputResponses: INPUT_RESPONSES, requestState: 'round-2' }),
    ]);
    const group = store.shown.at(0)!.group!;
    expect(group.rounds.map((round) => round.event.id)).toEqual(['a', 'b', 'c']);
    expect(group.state).toBe('input-required');
    expect(group.endedAt).toBeUndefined();
    expect(describeGroup(group, formatDuration)).toBe('3 rounds · input required');
    // A stale requestState (already retried) starts nothing.
    store.ingest(call('d', 'prompts/get', { name: 'plan', inputResponses: INPUT_RESPONSES, requestState: 'round-1' }));
    expect(group.rounds).toHaveLength(3);
    expect(all(store).at(-1)!.group).toBeUndefined();
  });

  it('groups a retry of a requestState-only answer (load shedding), and one without requestState by method and target', () => {
    const store = storeWith([
      call(1, 'resources/read', { uri: 'file:///report.csv' }),
      answer(1, INPUT_REQUIRED_STATE_ONLY),
      call(2, 'tools/call', weather),
      answer(2, { resultType: 'input_required', inputRequests: INPUT_REQUIRED_WITH_STATE.inputRequests }),
      call(3, 'resources/read', { uri: 'file:///report.csv', requestState: INPUT_REQUIRED_STATE_ONLY.requestState }),
      // Another tool's retry is not this one's round.
      call(4, 'tools/call', { name: 'get_forecast', inputResponses: INPUT_RESPONSES }),
      call(5, 'tools/call', { ...weather, inputResponses: INPUT_RESPONSES }),
      answer(3, { resultType: 'complete', contents: [{ uri: 'file:///report.csv', text: 'a,b' }], ttlMs: 0, cacheScope: 'private' }),
      answer(5, complete),
    ]);
    const entries = all(store);
    const read = entries.find((entry) => entry.event.id === 1)!.group!;
    const tool = entries.find((entry) => entry.event.id === 2)!.group!;
    expect(read.rounds.map((round) => round.event.id)).toEqual([1, 3]);
    expect(read.state).toBe('done');
    expect(tool.rounds.map((round) => round.event.id)).toEqual([2, 5]);
    expect(entries.find((entry) => entry.event.id === 4)!.group).toBeUndefined();
    expect(shownIds(store)).toEqual(['→1', '←1', '→2', '←2', '→4']);
  });

  it('keeps servers apart: the same requestState on another server is not a round', () => {
    const store = storeWith([
      call(1, 'tools/call', weather),
      answer(1, INPUT_REQUIRED_WITH_STATE),
      call(2, 'tools/call', { ...weather, inputResponses: INPUT_RESPONSES, requestState: INPUT_REQUIRED_WITH_STATE.requestState }, { server: 'other' }),
    ]);
    expect(store.shown.at(0)!.group!.rounds).toHaveLength(1);
    expect(store.shown.at(2)!.group).toBeUndefined();
  });

  it('marks a request whose last round was answered with an error as failed', () => {
    const store = storeWith([
      call(1, 'tools/call', weather),
      answer(1, INPUT_REQUIRED_WITH_STATE),
      call(2, 'tools/call', { ...weather, inputResponses: {}, requestState: INPUT_REQUIRED_WITH_STATE.requestState }),
      failure(2, { code: -32602, message: 'requestState failed verification' }),
    ]);
    const group = store.shown.at(0)!.group!;
    expect(group.state).toBe('error');
    expect(describeGroup(group, formatDuration)).toBe('2 rounds · failed · 30 ms');
    // "Errors only" is a filter: it shows the failed round, unfolded.
    store.setFilter({ errorsOnly: true });
    expect(shownIds(store)).toEqual(['→2', '←2']);
  });

  it('shows every matching message flat while a filter is set', () => {
    const store = storeWith([
      call(1, 'tools/call', weather),
      answer(1, INPUT_REQUIRED_WITH_STATE),
      call(2, 'tools/call', { ...weather, inputResponses: INPUT_RESPONSES, requestState: INPUT_REQUIRED_WITH_STATE.requestState }),
      answer(2, complete),
    ]);
    store.setFilter({ method: 'tools/call' });
    expect(shownIds(store)).toEqual(['→1', '←1', '→2', '←2']);
    store.setFilter({ method: '' });
    expect(shownIds(store)).toEqual(['→1', '←1']);
    // Typing a search after an empty filter narrows from every kept message, not from the folded view.
    store.setFilter({ text: 'octocat' });
    expect(shownIds(store)).toEqual(['→2']);
  });

  it("folds a later round's progress and log notifications with it", () => {
    const store = storeWith([
      call(1, 'tools/call', weather),
      answer(1, INPUT_REQUIRED_WITH_STATE),
      call(2, 'tools/call', { ...weather, inputResponses: INPUT_RESPONSES, requestState: INPUT_REQUIRED_WITH_STATE.requestState }),
      message({ direction: 'server-to-client', kind: 'notification', method: 'notifications/progress', relatedRequestId: 2, body: { method: 'notifications/progress', params: { progressToken: 2, progress: 1 } } }),
      answer(2, complete),
    ]);
    expect(store.shown.length).toBe(2);
    store.setGroupExpanded(store.shown.at(0)!.group!, true);
    expect(store.shown.length).toBe(5);
    expect(memberLabel(store.shown.at(3)!)).toBe('round 2');
  });

  it('forgets a group whose first request the cap dropped: later retries stand alone', () => {
    const store = new TimelineStore({ cap: 100, schedule: (notify) => notify() });
    store.ingestMany([call(1, 'tools/call', weather), answer(1, INPUT_REQUIRED_WITH_STATE)]);
    for (let index = 0; index < 100; index += 1) store.ingest(message({ direction: 'server-to-client', kind: 'notification', method: 'notifications/message' }));
    store.ingest(call(2, 'tools/call', { ...weather, inputResponses: INPUT_RESPONSES, requestState: INPUT_REQUIRED_WITH_STATE.requestState }));
    // Shown, not folded under a group that is gone.
    const last = store.shown.at(store.shown.length - 1)!;
    expect(last.event.id).toBe(2);
    expect(last.group).toBeUndefined();
  });

  it("shows a collapsed group's later rounds on their own once the cap dropped its first request", () => {
    const store = new TimelineStore({ cap: 100, schedule: (notify) => notify() });
    store.ingestMany([
      call(1, 'tools/call', weather),
      answer(1, INPUT_REQUIRED_WITH_STATE),
      call(2, 'tools/call', { ...weather, inputResponses: INPUT_RESPONSES, requestState: INPUT_REQUIRED_WITH_STATE.requestState }),
      answer(2, complete),
    ]);
    expect(store.shown.length).toBe(2);
    for (let index = 0; index < 97; index += 1) store.ingest(message({ direction: 'server-to-client', kind: 'notification', method: 'notifications/message' }));
    // Over the cap by one: the first request went; its retry and that retry's answer are shown.
    expect(store.total).toBe(100);
    expect(shownIds(store).slice(0, 3)).toEqual(['←1', '→2', '←2']);
  });

  it('leaves legacy traffic as it was: no groups, nothing folded', () => {
    const store = storeWith([
      call(1, 'tools/call', weather),
      answer(1, { content: [{ type: 'text', text: 'ok' }] }),
      call(2, 'tools/call', weather),
      answer(2, { content: [{ type: 'text', text: 'ok' }] }),
    ]);
    expect(shownIds(store)).toEqual(['→1', '←1', '→2', '←2']);
    expect(store.shown.toArray().every((entry) => entry.group === undefined)).toBe(true);
  });
});

describe('tasks', () => {
  it("groups tasks/get, tasks/update and tasks/cancel for the task a tool call's answer created", () => {
    const store = storeWith([
      call(2, 'tools/call', { name: 'hello_world', arguments: {} }),
      answer(2, { resultType: 'task', ...TASK, status: 'working' }),
      call(3, 'tasks/get', { taskId: TASK_ID }),
      answer(3, { resultType: 'complete', ...TASK, status: 'working' }),
      call(4, 'tasks/get', { taskId: TASK_ID }),
      answer(4, { resultType: 'complete', ...TASK, status: 'input_required', inputRequests: { name: INPUT_REQUIRED_WITH_STATE.inputRequests.github_login } }),
      call(6, 'tasks/update', { taskId: TASK_ID, inputResponses: { name: { action: 'accept', content: { input: 'Luca' } } } }),
      answer(6, { resultType: 'complete' }),
      // Another task's poll is not this one's.
      call(7, 'tasks/get', { taskId: 'someone-else' }),
      call(8, 'tasks/get', { taskId: TASK_ID }),
      answer(8, { resultType: 'complete', ...TASK, status: 'completed', result: { content: [{ type: 'text', text: 'Hello, Luca!' }], isError: false } }),
    ]);
    expect(shownIds(store)).toEqual(['→2', '←2', '→7']);
    const group = store.shown.at(0)!.group!;
    expect(group.taskId).toBe(TASK_ID);
    expect(group.polls.map((poll) => poll.event.id)).toEqual([3, 4, 6, 8]);
    expect(group.taskStatus).toBe('completed');
    expect(group.state).toBe('done');
    expect(groupDurationMs(group)).toBe(100);
    expect(describeGroup(group, formatDuration)).toBe('task completed · 4 polls · 100 ms');
    store.setGroupExpanded(group, true);
    const labels = store.shown.toArray().map((entry) => memberLabel(entry));
    expect(labels).toEqual([undefined, undefined, 'poll', 'poll', 'poll', 'poll', 'update', 'update', undefined, 'poll', 'poll']);
  });

  it('follows a task through notifications/tasks and keeps its terminal status', () => {
    const store = storeWith([
      call(1, 'tools/call', { name: 'slow' }),
      answer(1, { resultType: 'task', ...TASK, status: 'working' }),
      message({ direction: 'server-to-client', kind: 'notification', method: 'notifications/tasks', body: { jsonrpc: '2.0', method: 'notifications/tasks', params: { ...TASK, status: 'cancelled' } } }),
      call(2, 'tasks/cancel', { taskId: TASK_ID }),
      answer(2, { resultType: 'complete' }),
      call(3, 'tasks/get', { taskId: TASK_ID }),
      answer(3, { resultType: 'complete', ...TASK, status: 'working' }),
    ]);
    const group = store.shown.at(0)!.group!;
    expect(group.taskStatus).toBe('cancelled');
    expect(group.state).toBe('error');
    expect(store.shown.length).toBe(2);
    store.setGroupExpanded(group, true);
    expect(memberLabel(store.shown.at(2)!)).toBe('task');
    expect(memberLabel(store.shown.at(3)!)).toBe('cancel');
  });

  it('puts a task created by the last round of a multi round-trip request under its first round', () => {
    const store = storeWith([
      call(1, 'tools/call', weather),
      answer(1, INPUT_REQUIRED_WITH_STATE),
      call(2, 'tools/call', { ...weather, inputResponses: INPUT_RESPONSES, requestState: INPUT_REQUIRED_WITH_STATE.requestState }),
      answer(2, { resultType: 'task', ...TASK, status: 'working' }),
      call(3, 'tasks/get', { taskId: TASK_ID }),
      answer(3, { resultType: 'complete', ...TASK, status: 'failed', error: { code: -32603, message: 'API rate limit exceeded' } }),
    ]);
    const group = store.shown.at(0)!.group!;
    expect(group.rounds).toHaveLength(2);
    expect(group.polls).toHaveLength(1);
    expect(group.state).toBe('error');
    expect(describeGroup(group, formatDuration)).toBe('2 rounds · task failed · 1 poll · 50 ms');
  });
});

describe('era', () => {
  it("reads the era the proxy put on a message event, and nothing when it put none", () => {
    expect(eraOf({ ...call(1, 'tools/call', weather), era: 'modern' } as MessageEvent)).toBe('modern');
    expect(eraOf(call(1, 'tools/call', weather))).toBeUndefined();
  });
});
