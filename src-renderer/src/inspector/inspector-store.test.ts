import type { CallToolResult, Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPatchbayClient } from '../mcp/client-setup';
import { inspectorSink } from './inspector-sink';
import { answerServerRequest, forgetServers, receiveNotification, sessionOf, setRoots, useInspectorStore } from './inspector-store';
import { elicitationResult, samplingRejection, samplingResult } from './request-cards';
import { cancelToolCall, runToolCall } from './tool-calls';

const SERVER = 'fixture';

/** A real SDK server in memory: the requests a server can make of the client, and a tool with an output schema. */
function buildServer(): McpServer {
  const server = new McpServer({ name: 'memory', version: '1.0.0' }, { capabilities: { logging: {} } });
  server.registerTool('sample', { inputSchema: { prompt: z.string(), timeoutMs: z.number().optional() } }, async ({ prompt, timeoutMs }) => {
    const result = await server.server.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 5 }, timeoutMs ? { timeout: timeoutMs } : undefined);
    return { content: [{ type: 'text', text: `sampled: ${result.content.type === 'text' ? result.content.text : '?'} by ${result.model}` }] };
  });
  server.registerTool('elicit', {}, async () => {
    const result = await server.server.elicitInput({ message: 'Name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
    return { content: [{ type: 'text', text: `elicited: ${result.action} ${JSON.stringify(result.content ?? {})}` }] };
  });
  server.registerTool('roots', {}, async () => ({ content: [{ type: 'text', text: (await server.server.listRoots()).roots.map((root) => root.uri).join(',') }] }));
  server.registerTool('log', {}, async (extra) => {
    await extra.sendNotification({ method: 'notifications/message', params: { level: 'warning', logger: 'mem', data: 'careful' } });
    return { content: [{ type: 'text', text: 'logged' }] };
  });
  server.registerTool('slow', {}, async (extra) => {
    await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: extra._meta!.progressToken!, progress: 1, total: 4, message: 'step 1' } });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    return { content: [{ type: 'text', text: 'late' }] };
  });
  server.registerTool('count', { outputSchema: { total: z.number() } }, async () => ({ content: [{ type: 'text', text: '3' }], structuredContent: { total: 3 } }));
  return server;
}

async function connect(): Promise<{ client: Client; server: McpServer }> {
  const server = buildServer();
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = createPatchbayClient({ name: 'test', version: '0' }, SERVER, inspectorSink);
  await client.connect(clientTransport);
  return { client, server };
}

const firstText = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;
const session = () => sessionOf(useInspectorStore.getState(), SERVER);

async function waitFor<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('server requests through the inspector store', () => {
  let client: Client;
  let server: McpServer;

  beforeEach(async () => {
    useInspectorStore.setState({ sessions: {}, roots: {}, drafts: {} });
    ({ client, server } = await connect());
  });
  afterEach(async () => {
    await client.close();
  });

  it('declares sampling, form and URL elicitation, roots with list changes, and the tasks extension', () => {
    expect(server.server.getClientCapabilities()).toEqual({
      sampling: {},
      elicitation: { form: {}, url: {} },
      roots: { listChanged: true },
      extensions: { 'io.modelcontextprotocol/tasks': {} },
    });
    expect(session().client).toBe(client);
  });

  it('turns a sampling request into a card whose approval the server receives', async () => {
    const call = client.callTool({ name: 'sample', arguments: { prompt: 'ping' } });
    const card = await waitFor(() => session().pending[0], 'a sampling card');
    expect(card).toMatchObject({ kind: 'sampling', params: { maxTokens: 5 } });
    const reply = samplingResult({ model: 'manual', role: 'assistant', text: 'pong' });
    expect(answerServerRequest(SERVER, card.id, 'approved', 'result' in reply ? { result: reply.result } : { error: new Error() })).toBe(true);
    expect(firstText(await call)).toBe('sampled: pong by manual');
    expect(session().pending).toEqual([]);
    expect(session().settled.map((settled) => settled.outcome)).toEqual(['approved']);
  });

  it('declines sampling with JSON-RPC error -1', async () => {
    const call = client.callTool({ name: 'sample', arguments: { prompt: 'ping' } });
    const card = await waitFor(() => session().pending[0], 'a sampling card');
    answerServerRequest(SERVER, card.id, 'declined', { error: samplingRejection() });
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(firstText(result)).toContain('-1');
    expect(firstText(result)).toContain('User rejected sampling request');
    // Answering twice does nothing.
    expect(answerServerRequest(SERVER, card.id, 'approved', { result: {} })).toBe(false);
  });

  it('answers elicitation with accept and content, or decline', async () => {
    let call = client.callTool({ name: 'elicit', arguments: {} });
    let card = await waitFor(() => session().pending[0], 'an elicitation card');
    expect(card.kind).toBe('elicitation');
    const accepted = card.kind === 'elicitation' ? elicitationResult('accept', card.params, { name: 'Ada' }) : undefined;
    answerServerRequest(SERVER, card.id, 'accepted', { result: accepted && 'result' in accepted ? accepted.result : undefined });
    expect(firstText(await call)).toBe('elicited: accept {"name":"Ada"}');

    call = client.callTool({ name: 'elicit', arguments: {} });
    card = await waitFor(() => session().pending[0], 'a second card');
    answerServerRequest(SERVER, card.id, 'declined', { result: { action: 'decline' } });
    expect(firstText(await call)).toBe('elicited: decline {}');
  });

  it('removes a card the server withdraws (timed out; request id 0, which the SDK alone would not cancel)', async () => {
    const call = client.callTool({ name: 'sample', arguments: { prompt: 'ping', timeoutMs: 50 } });
    await waitFor(() => session().pending[0], 'a card');
    const result = (await call) as CallToolResult;
    expect(result.isError).toBe(true);
    await waitFor(() => (session().pending.length === 0 ? true : undefined), 'the card to go');
    expect(session().settled.map((settled) => settled.outcome)).toEqual(['withdrawn']);
  });

  it('answers roots/list from the store', async () => {
    expect(firstText(await client.callTool({ name: 'roots', arguments: {} }))).toBe('');
    setRoots(SERVER, [{ uri: 'file:///work', name: 'Work' }, { uri: 'file:///tmp' }]);
    await client.sendRootsListChanged();
    expect(firstText(await client.callTool({ name: 'roots', arguments: {} }))).toBe('file:///work,file:///tmp');
  });

  it('keeps log messages and counts list changes', async () => {
    await client.callTool({ name: 'log', arguments: {} });
    await waitFor(() => session().logs[0], 'a log entry');
    expect(session().logs[0]).toMatchObject({ level: 'warning', logger: 'mem', text: 'careful' });
    receiveNotification(SERVER, client, { method: 'notifications/tools/list_changed' });
    receiveNotification(SERVER, client, { method: 'notifications/resources/updated', params: { uri: 'x://1' } });
    expect(session().listVersions).toEqual({ tools: 1, resources: 0, prompts: 0 });
    expect(session().resourceUpdates.map((update) => update.uri)).toEqual(['x://1']);
  });

  it('ignores events of another client (a closed connection)', async () => {
    const other = { name: 'stale' } as unknown as Client;
    receiveNotification(SERVER, other, { method: 'notifications/message', params: { level: 'info', data: 'old' } });
    expect(session().logs).toEqual([]);
  });

  it('drops pending cards and clears the session when the connection closes; roots stay', async () => {
    setRoots(SERVER, [{ uri: 'file:///keep' }]);
    const call = client.callTool({ name: 'sample', arguments: { prompt: 'ping' } }).catch((error: unknown) => error);
    await waitFor(() => session().pending[0], 'a card');
    await client.close();
    expect(await call).toBeInstanceOf(Error);
    expect(useInspectorStore.getState().sessions[SERVER]).toBeUndefined();
    expect(useInspectorStore.getState().roots[SERVER]).toEqual([{ uri: 'file:///keep' }]);
    forgetServers(new Set());
    expect(useInspectorStore.getState().roots[SERVER]).toBeUndefined();
  });

  it('lists tools with output schemas (validated without eval) and keeps call results', async () => {
    const tools = await client.listTools();
    expect(tools.tools.find((tool) => tool.name === 'count')?.outputSchema).toBeDefined();
    await runToolCall(SERVER, client, 'count', {});
    expect(session().toolCalls.count).toMatchObject({ status: 'done', result: { structuredContent: { total: 3 } } });
  });

  it('shows progress while a call runs and ends it as cancelled', async () => {
    const run = runToolCall(SERVER, client, 'slow', {});
    await waitFor(() => session().toolCalls.slow?.progress, 'progress');
    expect(session().toolCalls.slow).toMatchObject({ status: 'running', progress: { progress: 1, total: 4, message: 'step 1' } });
    cancelToolCall(SERVER, 'slow');
    await run;
    expect(session().toolCalls.slow?.status).toBe('cancelled');
  });
});
