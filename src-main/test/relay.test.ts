import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ClientTransportKind, ServerEntry } from '../../src-shared/catalog';
import { connectClient, expectNothingLeft, firstText, fixtureEntry, startRemoteFixture, startTestProxy, type TestProxy } from './helpers';

// Every upstream transport paired with every client transport relays the whole protocol surface.
const CLIENTS: ClientTransportKind[] = ['streamable-http', 'sse'];
const UPSTREAMS = ['stdio', 'sse', 'streamable-http'] as const;

let proxy: TestProxy;
let remote: Awaited<ReturnType<typeof startRemoteFixture>>;

beforeAll(async () => {
  remote = await startRemoteFixture();
  const entries: ServerEntry[] = [
    fixtureEntry('stdio'),
    { name: 'sse', transport: 'sse', url: `http://127.0.0.1:${remote.port}/sse`, headers: {} },
    { name: 'streamable-http', transport: 'streamable-http', url: `http://127.0.0.1:${remote.port}/mcp`, headers: {} },
    { name: 'legacy', transport: 'streamable-http', url: `http://127.0.0.1:${remote.port}/sse`, headers: {} },
    {
      name: 'everything',
      transport: 'stdio',
      command: process.execPath,
      args: [createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
      env: {},
    },
  ];
  proxy = await startTestProxy(entries);
});

afterAll(async () => {
  await proxy?.close();
  await remote?.stop();
});

describe.each(UPSTREAMS)('upstream %s', (upstream) => {
  describe.each(CLIENTS)('client over %s', (clientKind) => {
    it('relays tools, resources, prompts, progress, logging, sampling, elicitation and roots', async () => {
      const logs: string[] = [];
      const connection = await connectClient(proxy, upstream, clientKind, {
        capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } },
        prepare: (client) => {
          client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
            model: 'test-model',
            role: 'assistant',
            content: { type: 'text', text: `reply to ${(request.params.messages[0]!.content as { text: string }).text}` },
          }));
          client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
          client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
          client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
            logs.push(String(notification.params.data));
          });
        },
      });
      const { client } = connection;
      try {
        expect(client.getServerVersion()).toMatchObject({ name: 'patchbay-fixture', version: '1.2.3' });
        expect(client.getInstructions()).toBe('Fixture server for MCP Patchbay tests.');

        const tools = await client.listTools();
        expect(tools.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'slow', 'sample', 'elicit', 'roots']));
        expect(firstText(await client.callTool({ name: 'echo', arguments: { text: `${upstream}/${clientKind}` } }))).toBe(`echo: ${upstream}/${clientKind}`);

        const resources = await client.listResources();
        expect(resources.resources.map((resource) => resource.uri)).toContain('fixture://hello');
        expect((await client.readResource({ uri: 'fixture://hello' })).contents[0]).toMatchObject({ text: 'hello from the fixture' });
        expect((await client.readResource({ uri: 'fixture://items/42' })).contents[0]).toMatchObject({ text: '{"id":"42"}' });
        const templates = await client.listResourceTemplates();
        expect(templates.resourceTemplates[0]?.uriTemplate).toBe('fixture://items/{id}');

        const prompt = await client.getPrompt({ name: 'greet', arguments: { name: 'Grace' } });
        expect(prompt.messages[0]?.content).toMatchObject({ type: 'text', text: 'Please greet Grace.' });

        const progress: number[] = [];
        const slow = await client.callTool({ name: 'slow', arguments: { steps: 3, stepMs: 10 } }, undefined, {
          onprogress: (update) => progress.push(update.progress),
        });
        expect(firstText(slow)).toBe('done after 3 steps');
        expect(progress).toEqual([1, 2, 3]);

        await client.setLoggingLevel('debug');
        expect(firstText(await client.callTool({ name: 'log', arguments: { count: 3 } }))).toBe('logged 3');
        await expect.poll(() => logs).toEqual(['log 1', 'log 2', 'log 3']);

        expect(firstText(await client.callTool({ name: 'sample', arguments: { prompt: 'ping' } }))).toBe('sampled: reply to ping');
        expect(firstText(await client.callTool({ name: 'elicit', arguments: {} }))).toBe('elicited: accept {"name":"Ada"}');
        expect(firstText(await client.callTool({ name: 'roots', arguments: {} }))).toBe('roots: file:///work');
      } finally {
        await connection.close();
      }
    });
  });
});

describe('@modelcontextprotocol/server-everything', () => {
  it.each(CLIENTS)('works through the proxy over %s', async (clientKind) => {
    const connection = await connectClient(proxy, 'everything', clientKind);
    try {
      const { client } = connection;
      expect(client.getServerVersion()?.name).toContain('everything');
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      expect(tools).toEqual(expect.arrayContaining(['echo', 'get-sum']));
      expect(firstText(await client.callTool({ name: 'echo', arguments: { message: 'hello' } }))).toBe('Echo: hello');
      expect(firstText(await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 40 } }))).toContain('42');
      const progress: number[] = [];
      await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, {
        onprogress: (update) => progress.push(update.progress),
      });
      // The server reports its last step in the same breath as the result; the SDK client may drop that one.
      expect(progress.length).toBeGreaterThanOrEqual(2);
      const relayed = proxy.events.filter((event) => event.type === 'message' && event.method === 'notifications/progress' && event.server === 'everything');
      expect(relayed.length).toBeGreaterThanOrEqual(3);
      expect((await client.listPrompts()).prompts.length).toBeGreaterThan(0);
      expect((await client.listResources()).resources.length).toBeGreaterThan(0);
    } finally {
      await connection.close();
    }
  });
});

describe('a remote server that speaks only the older HTTP+SSE transport', () => {
  it('still connects when it is given as Streamable HTTP (the URL of its SSE endpoint)', async () => {
    const connection = await connectClient(proxy, 'legacy', 'streamable-http');
    try {
      expect(firstText(await connection.client.callTool({ name: 'echo', arguments: { text: 'old style' } }))).toBe('echo: old style');
      const notes = proxy.events.flatMap((event) => (event.type === 'session-error' && event.server === 'legacy' ? [event.message] : []));
      expect(notes).toContain('"legacy" answered Streamable HTTP with HTTP 404; connected over the older HTTP+SSE transport instead');
    } finally {
      await connection.close();
    }
  });
});

describe('after the relay tests', () => {
  it('left no session and no child behind', async () => {
    await expectNothingLeft(proxy, [remote.child.pid!]);
  });
});
