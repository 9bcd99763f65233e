import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { answerRoots, answerServerRequest, connectionOpened, receiveServerRequest, sessionOf, setRoots, useInspectorStore } from '../inspector-store';
import { prepareModernCall } from './modern-call';
import { adoptConnection, cacheHintsOf, requestOptionsOf, setRequestOptions, subscriptionsOf, taskOf, tasksOf, useModernStore } from './modern-store';
import { buildRequestMeta, describeRequestOptions, requestMetaFor, withRequestMeta } from './request-options';
import { closeSubscription, describeFilter, filterFromChoice, openSubscription, refusedPart } from './subscriptions';
import { followTask, type TaskInputRequest } from './task-runner';
import { tapOf } from './wire-tap';

// The modern flows' plumbing against the real dual-era fixture (src-main/test/fixtures/modern-fixture-server.mjs),
// spoken to directly over stdio with the SDK's 2.x client, as the inspector's client speaks to it through the proxy.

const FIXTURE = 'src-main/test/fixtures/modern-fixture-server.mjs';
const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
const clients: Client[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  useModernStore.setState({ tasks: {}, subscriptions: {}, cacheHints: {}, requestOptions: {}, clients: {} });
});

async function connect(server: string, logs: string[] = []): Promise<Client> {
  const client = new Client(
    { name: 'patchbay-test', version: '1.0.0' },
    { capabilities: { elicitation: { form: {}, url: {} }, extensions: { [TASKS_EXTENSION]: {} } }, versionNegotiation: { mode: 'auto' } },
  );
  client.setNotificationHandler('notifications/message', (notification) => {
    logs.push(`${notification.params.level}: ${String(notification.params.data)}`);
  });
  clients.push(client);
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [FIXTURE], stderr: 'ignore' }));
  expect(client.getProtocolEra()).toBe('modern');
  adoptConnection(server, client);
  return client;
}

/** Waits until `check` holds, polling; generous, as the machine may be loaded. */
async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Calls a tool the way the inspector does and returns the task handle the tap kept from its rejected answer. */
async function callForTask(server: string, client: Client, tool: string, args: Record<string, unknown>) {
  const tap = tapOf(server, client)!;
  const since = Date.now();
  const failure = await client.request({ method: 'tools/call', params: { name: tool, arguments: args } }).then(
    () => undefined,
    (error: unknown) => error as { code?: unknown; data?: { resultType?: unknown } },
  );
  // The 2.x client knows no tasks extension: it rejects the handle as an unsupported result type.
  expect(failure?.data?.resultType).toBe('task');
  return { tap, handle: tap.takeTaskHandle(tool, since)! };
}

describe('tasks', () => {
  it('polls a task to its end, asks for the input it needs once and answers it with tasks/update', async () => {
    const client = await connect('fixture');
    const { tap, handle } = await callForTask('fixture', client, 'background-job', { label: 'nightly', steps: 4, stepMs: 30, needsApproval: true });
    expect(handle.taskId).toMatch(/[0-9a-f-]{36}/);
    const asked: Array<{ key: string; request: TaskInputRequest }> = [];
    const task = followTask(
      'fixture',
      client,
      'background-job',
      handle,
      {
        ask: async (key, request) => {
          asked.push({ key, request });
          return { action: 'accept', content: { approver: 'Ada' } };
        },
      },
      tap,
    );
    await task.done;
    const record = taskOf('fixture', handle.taskId)!;
    expect(record.status).toBe('completed');
    expect(record.stopped).toBe(true);
    expect(record.polls).toBeGreaterThan(1);
    expect(JSON.stringify(record.result)).toContain('job nightly done after 4 steps, approved by Ada');
    // The approval was asked once, however many polls repeated it.
    expect(asked).toHaveLength(1);
    expect(asked[0]!.request.method).toBe('elicitation/create');
    expect(String(asked[0]!.request.params?.message)).toContain('Approve job nightly?');
  });

  it('sends tasks/cancel and shows the status the server then reports', async () => {
    const client = await connect('fixture');
    const { tap, handle } = await callForTask('fixture', client, 'background-job', { label: 'long', steps: 100, stepMs: 200 });
    const task = followTask('fixture', client, 'background-job', handle, { ask: () => Promise.reject(new Error('nothing to ask')) }, tap);
    await until(() => (taskOf('fixture', handle.taskId)?.polls ?? 0) >= 1, 'a first poll');
    await task.cancel();
    await task.done;
    const record = taskOf('fixture', handle.taskId)!;
    expect(record.cancelRequested).toBe(true);
    expect(record.status).toBe('cancelled');
    expect(record.statusMessage).toBe('cancelled by the client');
  });

  it('stops with the reason when tasks/get fails, and a later connection drops the old tasks', async () => {
    const client = await connect('fixture');
    const task = followTask('fixture', client, 'background-job', { taskId: 'no-such-task', status: 'working', pollIntervalMs: 10 }, { ask: () => Promise.reject(new Error('no')) });
    await task.done;
    expect(taskOf('fixture', 'no-such-task')!.error).toBe('tasks/get failed: Error -32602: Unknown task: no-such-task');
    await connect('fixture');
    expect(tasksOf(useModernStore.getState(), 'fixture')).toEqual([]);
  });
});

describe('subscriptions/listen', () => {
  it('opens a stream with the chosen notifications, shows what arrives on it, and stops', async () => {
    const client = await connect('fixture');
    const choice = filterFromChoice({ toolsListChanged: true, promptsListChanged: false, resourcesListChanged: false, resourceUris: 'fixture://counter\n\nfixture://counter' });
    expect(choice).toEqual({ filter: { toolsListChanged: true, resourceSubscriptions: ['fixture://counter'] } });
    if (!('filter' in choice)) return;
    await openSubscription('fixture', client, choice.filter, tapOf('fixture', client));
    const subscription = () => subscriptionsOf(useModernStore.getState(), 'fixture')[0]!;
    expect(subscription().state).toBe('open');
    expect(describeFilter(subscription().honored)).toBe('tool list changes, updates of fixture://counter');
    expect(refusedPart(subscription().requested, subscription().honored)).toBeUndefined();

    await client.request({ method: 'tools/call', params: { name: 'bump-counter', arguments: {} } });
    await until(() => subscription().notifications.length > 0, 'the resource update');
    expect(subscription().notifications[0]).toMatchObject({ method: 'notifications/resources/updated', params: { uri: 'fixture://counter' } });

    await closeSubscription(subscription().id);
    await until(() => subscription().state === 'closed', 'the stream to close');
    expect(subscription().closedBy).toBe('local');
  });

  it('says nothing was chosen instead of sending an empty filter, and names what a server refused', () => {
    expect(filterFromChoice({ toolsListChanged: false, promptsListChanged: false, resourcesListChanged: false, resourceUris: ' \n ' })).toEqual({
      error: 'Choose at least one kind of notification, or a resource URI',
    });
    expect(refusedPart({ toolsListChanged: true, promptsListChanged: true, resourceSubscriptions: ['a://1', 'a://2'] }, { toolsListChanged: true, resourceSubscriptions: ['a://1'] })).toBe(
      'prompt list changes, updates of a://2',
    );
  });
});

describe('cache hints and request options', () => {
  it('keeps the ttlMs and cacheScope of each list and read as they arrived', async () => {
    const client = await connect('fixture');
    tapOf('fixture', client);
    await client.listTools();
    await client.readResource({ uri: 'fixture://hello' });
    await client.readResource({ uri: 'fixture://counter' });
    const hints = cacheHintsOf(useModernStore.getState(), 'fixture');
    expect(hints['tools/list']).toMatchObject({ ttlMs: 60_000, cacheScope: 'public' });
    expect(hints['resources/read fixture://hello']).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public' });
    expect(hints['resources/read fixture://counter']).toMatchObject({ ttlMs: 0, cacheScope: 'private' });
  });

  it('sends the chosen log level and _meta with a tool call, so its log messages come', async () => {
    const logs: string[] = [];
    const client = await connect('fixture', logs);
    await client.request({ method: 'tools/call', params: { name: 'slow-count', arguments: { count: 4, delayMs: 1 } } });
    expect(logs).toEqual([]);
    setRequestOptions('fixture', { metaText: '{"trace": "abc"}', logLevel: 'warning' });
    expect(describeRequestOptions(requestOptionsOf(useModernStore.getState(), 'fixture'))).toBe('log level warning · 1 _meta key');
    const params = withRequestMeta({ name: 'slow-count', arguments: { count: 4, delayMs: 1 } }, requestMetaFor('fixture'));
    expect(params._meta).toEqual({ trace: 'abc', 'io.modelcontextprotocol/logLevel': 'warning' });
    await client.request({ method: 'tools/call', params });
    expect(logs).toEqual(['warning: counted 3 of 4', 'error: counted 4 of 4']);
  });

  it('says what is wrong with typed _meta', () => {
    expect(buildRequestMeta({ metaText: '{"a":' })).toMatchObject({ error: expect.stringContaining('_meta is not valid JSON') });
    expect(buildRequestMeta({ metaText: '[1]' })).toEqual({ error: '_meta must be a JSON object, like {"trace": "abc"}' });
    expect(buildRequestMeta({ metaText: '  ' })).toEqual({ meta: undefined });
    expect(describeRequestOptions({ metaText: '' })).toBe('none');
  });
});

describe('input requests of Multi Round-Trip Requests', () => {
  /** A client whose handlers are the inspector's, as client-setup wires them. */
  async function inspectorClient(server: string): Promise<Client> {
    const client = new Client({ name: 'patchbay-test', version: '1.0.0' }, { capabilities: { elicitation: { form: {} }, roots: {} }, versionNegotiation: { mode: 'auto' } });
    client.setRequestHandler('elicitation/create', (request, ctx) =>
      receiveServerRequest(server, client, { kind: 'elicitation', params: request.params }, { requestId: ctx.mcpReq.id, signal: ctx.mcpReq.signal }),
    );
    client.setRequestHandler('roots/list', (_request, ctx) => ({ roots: answerRoots(server, client, ctx.mcpReq.id) }));
    clients.push(client);
    connectionOpened(server, client);
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [FIXTURE], stderr: 'ignore' }));
    return client;
  }
  const pendingOf = (server: string) => sessionOf(useInspectorStore.getState(), server).pending;
  const textOf = (result: unknown) => ((result as { content?: Array<{ text?: string }> }).content ?? []).map((block) => block.text).join('');

  it("puts each round's elicitation in a card that names the call and round, and the SDK's retry carries the answer", async () => {
    const client = await inspectorClient('rounds');
    const call = prepareModernCall('rounds', client, 'tools/call', 'multi-round');
    const result = client.request({ method: 'tools/call', params: { name: 'multi-round', arguments: {} } }, call.options).finally(() => call.end());
    for (const [round, key, answer] of [
      [1, 'color', 'teal'],
      [2, 'animal', 'otter'],
      [3, 'food', 'soup'],
    ] as const) {
      await until(() => pendingOf('rounds').length === 1, `the card of round ${round}`);
      const card = pendingOf('rounds')[0]!;
      expect(card.via).toEqual({ key, request: { method: 'tools/call', target: 'multi-round', round } });
      answerServerRequest('rounds', card.id, 'accepted', { result: { action: 'accept', content: { answer } } });
    }
    expect(textOf(await result)).toBe('answers: color=teal, animal=otter, food=soup');
  });

  it('answers roots from the Roots tab and lists the answer with the answered requests', async () => {
    const client = await inspectorClient('roots');
    setRoots('roots', [{ uri: 'file:///tmp/project', name: 'project' }]);
    const call = prepareModernCall('roots', client, 'tools/call', 'list-client-roots');
    const result = await client.request({ method: 'tools/call', params: { name: 'list-client-roots', arguments: {} } }, call.options).finally(() => call.end());
    expect(textOf(result)).toBe('roots: file:///tmp/project');
    const [answered] = sessionOf(useInspectorStore.getState(), 'roots').settled;
    expect(answered).toMatchObject({ outcome: 'answered', detail: 'file:///tmp/project', request: { kind: 'roots', via: { key: 'roots', request: { method: 'tools/call', target: 'list-client-roots', round: 1 } } } });
  });
});
