import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { MODERN_FIXTURE_SERVER, RUN_TAG, startModernRemoteFixture } from './helpers';
import type { ModernRemoteFixture } from './processes';

// The dual-era fixture spoken to directly with the SDK's 2.x client: what the proxy's modern route, the inspector
// and the benchmark rely on it to do.

const MODERN = '2026-07-28';
const TASKS = 'io.modelcontextprotocol/tasks';
type Kind = 'stdio' | 'http';

let remote: ModernRemoteFixture;
const openClients: Client[] = [];
const openTransports: Transport[] = [];

beforeAll(async () => {
  remote = await startModernRemoteFixture();
});

afterAll(async () => {
  await Promise.all(openClients.map((client) => client.close()));
  await Promise.all(openTransports.map((transport) => transport.close()));
  await remote?.stop();
});

function transportFor(kind: Kind): Transport {
  return kind === 'stdio'
    ? new StdioClientTransport({ command: process.execPath, args: [MODERN_FIXTURE_SERVER, RUN_TAG], stderr: 'ignore' })
    : new StreamableHTTPClientTransport(new URL(remote.url));
}

interface Seen {
  elicitations: string[];
  logs: string[];
  updated: Array<{ uri: unknown; subscriptionId: unknown }>;
}

async function connect(kind: Kind, mode: 'auto' | 'legacy'): Promise<{ client: Client; seen: Seen }> {
  const seen: Seen = { elicitations: [], logs: [], updated: [] };
  const client = new Client({ name: 'modern-fixture-test', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode } });
  client.setRequestHandler('elicitation/create', async (request) => {
    seen.elicitations.push(request.params.message);
    return { action: 'accept', content: { name: 'Ada', answer: `answer ${seen.elicitations.length}` } };
  });
  client.setNotificationHandler('notifications/message', (notification) => {
    seen.logs.push(`${notification.params.level}: ${String(notification.params.data)}`);
  });
  client.setNotificationHandler('notifications/resources/updated', (notification) => {
    seen.updated.push({ uri: notification.params.uri, subscriptionId: notification.params._meta?.['io.modelcontextprotocol/subscriptionId'] });
  });
  openClients.push(client);
  await client.connect(transportFor(kind));
  return { client, seen };
}

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((block) => block.text ?? `[${block.type}]`).join('\n');
}

/**
 * Raw modern requests, for what the 2.x client does not speak: the tasks extension (its client answers a task
 * handle with "unsupported result type"). Each request carries the per-request envelope; over HTTP it is its own
 * POST with the headers the transport binding requires, over stdio a line to a child of its own.
 */
class RawModernPeer {
  private nextId = 1;
  private readonly pending = new Map<number, (message: Record<string, unknown>) => void>();
  private stdio?: StdioClientTransport;

  constructor(private readonly kind: Kind) {}

  async start(): Promise<void> {
    if (this.kind !== 'stdio') return;
    this.stdio = new StdioClientTransport({ command: process.execPath, args: [MODERN_FIXTURE_SERVER, RUN_TAG], stderr: 'ignore' });
    openTransports.push(this.stdio);
    this.stdio.onmessage = (message: JSONRPCMessage) => {
      const response = message as Record<string, unknown>;
      if (typeof response.id === 'number') this.pending.get(response.id)?.(response);
    };
    await this.stdio.start();
  }

  /** Sends one request (with the tasks extension declared unless told not to) and resolves with its JSON-RPC response. */
  async request(
    method: string,
    params: Record<string, unknown>,
    { declareTasks = true } = {},
  ): Promise<{ result?: Record<string, unknown>; error?: { code: number; message: string; data?: unknown } }> {
    const id = this.nextId++;
    const envelope = {
      'io.modelcontextprotocol/protocolVersion': MODERN,
      'io.modelcontextprotocol/clientInfo': { name: 'raw-modern-peer', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} }, ...(declareTasks ? { extensions: { [TASKS]: {} } } : {}) },
    };
    const message = { jsonrpc: '2.0' as const, id, method, params: { ...params, _meta: envelope } };
    if (this.stdio) {
      const answered = new Promise<Record<string, unknown>>((resolve) => this.pending.set(id, resolve));
      await this.stdio.send(message);
      return (await answered) as never;
    }
    const name = params.name ?? params.uri ?? params.taskId;
    const response = await fetch(remote.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': MODERN,
        'Mcp-Method': method,
        ...(typeof name === 'string' ? { 'Mcp-Name': name } : {}),
      },
      body: JSON.stringify(message),
    });
    const body = await response.text();
    // A response may come as one JSON body or as an SSE stream whose last data line is the response.
    const json = response.headers.get('content-type')?.includes('text/event-stream')
      ? body
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => JSON.parse(line.slice(5)))
          .find((frame) => frame.id === id)
      : JSON.parse(body);
    return json;
  }
}

async function pollTask(peer: RawModernPeer, taskId: string, until: (task: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { result, error } = await peer.request('tasks/get', { taskId });
    if (error) throw new Error(`tasks/get failed: ${error.message}`);
    seen.push(result!);
    if (until(result!)) return seen;
    if (Date.now() > deadline) throw new Error(`task ${taskId} never got there; last seen ${JSON.stringify(result)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each<Kind>(['stdio', 'http'])('the modern fixture over %s, modern era', (kind) => {
  let client: Client;
  let seen: Seen;

  beforeAll(async () => {
    ({ client, seen } = await connect(kind, 'auto'));
  });

  it('answers server/discover with its versions, identity and the tasks extension', async () => {
    expect(client.getProtocolEra()).toBe('modern');
    const discovered = await client.discover();
    expect(discovered.supportedVersions).toContain(MODERN);
    expect(discovered.capabilities.extensions).toHaveProperty([TASKS]);
    expect(discovered.capabilities.tools).toBeDefined();
    expect(discovered._meta?.['io.modelcontextprotocol/serverInfo']).toMatchObject({ name: 'patchbay-modern-fixture' });
  });

  it('echoes, and lists its tools with cache hints', async () => {
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'hello' } }))).toBe('echo: hello');
    const listed = await client.listTools(undefined, { cacheMode: 'bypass' });
    expect(listed.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'slow-count', 'ask-name', 'multi-round', 'background-job']));
    expect(listed).toMatchObject({ ttlMs: 60_000, cacheScope: 'public' });
  });

  it('gets a prompt with its arguments and completes them', async () => {
    const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Ada', style: 'pirate' } });
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Greet Ada in a pirate way.' });
    const completed = await client.complete({ ref: { type: 'ref/prompt', name: 'greet' }, argument: { name: 'style', value: 'p' } });
    expect(completed.completion.values).toEqual(['pirate']);
    const colours = await client.complete({ ref: { type: 'ref/resource', uri: 'fixture://colors/{color}' }, argument: { name: 'color', value: 'b' } });
    expect(colours.completion.values).toEqual(['blue', 'black']);
  });

  it('reports progress, and logs only at or above the log level the request names', async () => {
    const progress: number[] = [];
    seen.logs.length = 0;
    const result = await client.callTool(
      { name: 'slow-count', arguments: { count: 4, delayMs: 20 }, _meta: { 'io.modelcontextprotocol/logLevel': 'warning' } },
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(textOf(result)).toBe('counted to 4');
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(seen.logs).toEqual(['warning: counted 3 of 4', 'error: counted 4 of 4']);
  });

  it('sends no log message for a request that names no log level', async () => {
    seen.logs.length = 0;
    expect(textOf(await client.callTool({ name: 'slow-count', arguments: { count: 2, delayMs: 0 } }))).toBe('counted to 2');
    expect(seen.logs).toEqual([]);
  });

  it('asks for a name with an input_required round, and uses the answer of the retry', async () => {
    seen.elicitations.length = 0;
    expect(textOf(await client.callTool({ name: 'ask-name', arguments: {} }))).toBe('Hello, Ada!');
    expect(seen.elicitations).toEqual(['What is your name?']);
  });

  it('carries the answers of several rounds in requestState', async () => {
    seen.elicitations.length = 0;
    expect(textOf(await client.callTool({ name: 'multi-round', arguments: {} }))).toBe('answers: color=answer 1, animal=answer 2, food=answer 3');
    expect(seen.elicitations).toEqual(['Round 1 of 3: Favourite colour?', 'Round 2 of 3: Favourite animal?', 'Round 3 of 3: Favourite food?']);
  });

  it('delivers a resource update on a subscriptions/listen stream', async () => {
    seen.updated.length = 0;
    const subscription = await client.listen({ resourceSubscriptions: ['fixture://counter'] });
    try {
      expect(subscription.honoredFilter).toEqual({ resourceSubscriptions: ['fixture://counter'] });
      const before = await client.readResource({ uri: 'fixture://counter' }, { cacheMode: 'bypass' });
      expect(textOf({ content: before.contents })).toMatch(/^counter is \d+$/);
      expect(textOf(await client.callTool({ name: 'bump-counter', arguments: {} }))).toMatch(/^counter is \d+$/);
      await expect.poll(() => seen.updated, { timeout: 10_000 }).toEqual([{ uri: 'fixture://counter', subscriptionId: expect.anything() }]);
    } finally {
      await subscription.close();
    }
  });

  it('runs a task: a handle, tasks/get showing it progress, tasks/update giving it input, and tasks/cancel', async () => {
    const peer = new RawModernPeer(kind);
    await peer.start();
    const created = await peer.request('tools/call', { name: 'background-job', arguments: { label: 'build', steps: 4, stepMs: 30, needsApproval: true } });
    expect(created.result).toMatchObject({ resultType: 'task', status: 'working', pollIntervalMs: expect.any(Number) });
    const taskId = created.result!.taskId as string;

    const untilApproval = await pollTask(peer, taskId, (task) => task.status === 'input_required');
    expect(untilApproval.some((task) => task.status === 'working' && /^step \d of 4$/.test(String(task.statusMessage)))).toBe(true);
    const waiting = untilApproval.at(-1)!;
    const [key] = Object.keys(waiting.inputRequests as object);
    expect(waiting.inputRequests).toMatchObject({ [key!]: { method: 'elicitation/create', params: { message: 'Approve job build?' } } });

    const update = await peer.request('tasks/update', { taskId, inputResponses: { [key!]: { action: 'accept', content: { approver: 'Grace' } } } });
    expect(update.error).toBeUndefined();
    const finished = (await pollTask(peer, taskId, (task) => task.status === 'completed')).at(-1)!;
    expect(textOf(finished.result)).toBe('job build done after 4 steps, approved by Grace');

    const long = await peer.request('tools/call', { name: 'background-job', arguments: { label: 'long', steps: 100, stepMs: 1000 } });
    const longId = long.result!.taskId as string;
    expect((await peer.request('tasks/cancel', { taskId: longId })).error).toBeUndefined();
    expect((await pollTask(peer, longId, (task) => task.status !== 'working')).at(-1)).toMatchObject({ status: 'cancelled' });

    expect((await peer.request('tasks/get', { taskId: 'no-such-task' })).error).toMatchObject({ code: -32602, message: 'Unknown task: no-such-task' });
  });

  it('answers the task methods with -32021 to a request that did not declare the tasks extension', async () => {
    const peer = new RawModernPeer(kind);
    await peer.start();
    const created = await peer.request('tools/call', { name: 'background-job', arguments: { steps: 100, stepMs: 1000 } });
    const taskId = created.result!.taskId as string;
    for (const method of ['tasks/get', 'tasks/cancel'] as const) {
      expect((await peer.request(method, { taskId }, { declareTasks: false })).error).toMatchObject({
        code: -32021,
        data: { requiredCapabilities: { extensions: { [TASKS]: {} } } },
      });
    }
    expect((await peer.request('tasks/cancel', { taskId })).error).toBeUndefined();
  });

  it('runs the same job inline for a client that did not declare the tasks extension', async () => {
    expect(textOf(await client.callTool({ name: 'background-job', arguments: { label: 'inline', steps: 2, stepMs: 10 } }))).toBe('job inline done after 2 steps');
  });
});

describe.each<Kind>(['stdio', 'http'])('the modern fixture over %s, legacy era', (kind) => {
  it('answers initialize and echoes', async () => {
    const { client } = await connect(kind, 'legacy');
    expect(client.getProtocolEra()).toBe('legacy');
    expect(client.getServerVersion()).toMatchObject({ name: 'patchbay-modern-fixture', version: '2.0.0' });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'old friend' } }))).toBe('echo: old friend');
  });
});
