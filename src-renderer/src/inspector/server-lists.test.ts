import type { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPatchbayClient } from '../mcp/client-setup';
import { inspectorSink } from './inspector-sink';
import { receiveNotification, sessionOf, useInspectorStore } from './inspector-store';
import { ensureAllListsLoaded, ensureListLoaded, listOf, loadMoreOfList, reloadList } from './server-lists';

/**
 * A real SDK server in memory whose tool list comes in pages of two (a cursor is the next index), whose answers can
 * be held back, and which counts the list requests it received.
 */
function buildServer(capabilities: ServerCapabilities) {
  const server = new Server({ name: 'lists', version: '1.0.0' }, { capabilities });
  const received: string[] = [];
  const state = { tools: ['alpha', 'bravo', 'charlie'], hold: undefined as Promise<void> | undefined };
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    received.push(`tools/list ${request.params?.cursor ?? ''}`.trim());
    const held = state.hold;
    if (held) await held;
    const start = Number(request.params?.cursor ?? 0);
    const names = state.tools.slice(start, start + 2);
    const next = start + 2 < state.tools.length ? String(start + 2) : undefined;
    return { tools: names.map((name) => ({ name, inputSchema: { type: 'object' as const } })), ...(next ? { nextCursor: next } : {}) };
  });
  if (capabilities.resources) {
    server.setRequestHandler(ListResourcesRequestSchema, async () => {
      received.push('resources/list');
      return { resources: [{ name: 'hello', uri: 'mem://hello' }] };
    });
    server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => {
      received.push('resources/templates/list');
      return { resourceTemplates: [{ name: 'item', uriTemplate: 'mem://items/{id}' }] };
    });
  }
  if (capabilities.prompts) {
    server.setRequestHandler(ListPromptsRequestSchema, async () => {
      received.push('prompts/list');
      return { prompts: [{ name: 'greet' }] };
    });
  }
  return { server, received, state };
}

async function connect(name: string, capabilities: ServerCapabilities) {
  const built = buildServer(capabilities);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await built.server.connect(serverTransport);
  const client = createPatchbayClient({ name: 'test', version: '0' }, name, inspectorSink);
  await client.connect(clientTransport);
  return { ...built, client };
}

const names = (server: string) => listOf(useInspectorStore.getState(), server, 'tools').items.map((tool) => tool.name);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const settled = (server: string) => () => !listOf(useInspectorStore.getState(), server, 'tools').loading;

describe('server lists in the inspector store', () => {
  const clients: Client[] = [];
  beforeEach(() => useInspectorStore.setState({ sessions: {}, roots: {}, drafts: {} }));
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it('keeps a server\'s tools in the store, a page at a time, and loads them once', async () => {
    const one = await connect('one', { tools: {} });
    clients.push(one.client);
    ensureListLoaded('one', 'tools');
    expect(listOf(useInspectorStore.getState(), 'one', 'tools').loading).toBe(true);
    await until(settled('one'), 'the first page');
    expect(names('one')).toEqual(['alpha', 'bravo']);
    expect(listOf(useInspectorStore.getState(), 'one', 'tools').nextCursor).toBe('2');

    loadMoreOfList('one', 'tools');
    await until(() => names('one').length === 3, 'the second page');
    expect(names('one')).toEqual(['alpha', 'bravo', 'charlie']);
    expect(listOf(useInspectorStore.getState(), 'one', 'tools').nextCursor).toBeUndefined();

    // Wanted again (another view, the palette): what is loaded is used, nothing is asked again.
    ensureListLoaded('one', 'tools');
    ensureAllListsLoaded();
    expect(listOf(useInspectorStore.getState(), 'one', 'tools').loading).toBe(false);
    expect(one.received).toEqual(['tools/list', 'tools/list 2']);
  });

  it('loads the list again when the server says it changed, and on Refresh', async () => {
    const one = await connect('one', { tools: { listChanged: true } });
    clients.push(one.client);
    ensureListLoaded('one', 'tools');
    await until(settled('one'), 'the first page');
    one.state.tools = ['delta'];
    receiveNotification('one', one.client, { method: 'notifications/tools/list_changed' });
    ensureListLoaded('one', 'tools');
    await until(() => names('one')[0] === 'delta', 'the changed list');
    expect(names('one')).toEqual(['delta']);

    one.state.tools = ['echo', 'foxtrot'];
    reloadList('one', 'tools');
    await until(() => names('one')[0] === 'echo', 'the refreshed list');
    expect(one.received).toEqual(['tools/list', 'tools/list', 'tools/list']);
  });

  it('drops the answer of a superseded load and of a connection that closed', async () => {
    const one = await connect('one', { tools: {} });
    clients.push(one.client);
    let release!: () => void;
    one.state.hold = new Promise((resolve) => (release = resolve));
    reloadList('one', 'tools');
    await until(() => one.received.length === 1, 'the held request');
    // A newer load answers first; the held one's answer (the old list) must not replace it.
    one.state.hold = undefined;
    const heldList = one.state.tools;
    one.state.tools = ['newer'];
    reloadList('one', 'tools');
    await until(() => names('one')[0] === 'newer', 'the newer answer');
    one.state.tools = heldList;
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(names('one')).toEqual(['newer']);

    // A reconnect starts with empty lists; a late answer for the old connection does not land in the new one.
    one.state.hold = new Promise((resolve) => (release = resolve));
    reloadList('one', 'tools');
    await until(() => one.received.length === 3, 'the second held request');
    const two = await connect('one', { tools: {} });
    clients.push(two.client);
    expect(names('one')).toEqual([]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(names('one')).toEqual([]);
    expect(sessionOf(useInspectorStore.getState(), 'one').client).toBe(two.client);
  });

  it('loads every connected server\'s lists for the palette, only those each server offers, per server', async () => {
    const full = await connect('full', { tools: {}, resources: {}, prompts: {} });
    const toolsOnly = await connect('tools-only', { tools: {} });
    clients.push(full.client, toolsOnly.client);
    ensureAllListsLoaded();
    const state = () => useInspectorStore.getState();
    await until(() => ['tools', 'resources', 'resourceTemplates', 'prompts'].every((kind) => !listOf(state(), 'full', kind as 'tools').loading) && settled('tools-only')(), 'every list');
    expect(listOf(state(), 'full', 'resources').items.map((resource) => resource.uri)).toEqual(['mem://hello']);
    expect(listOf(state(), 'full', 'resourceTemplates').items.map((template) => template.uriTemplate)).toEqual(['mem://items/{id}']);
    expect(listOf(state(), 'full', 'prompts').items.map((prompt) => prompt.name)).toEqual(['greet']);
    expect(names('tools-only')).toEqual(['alpha', 'bravo']);
    expect([...full.received].sort()).toEqual(['prompts/list', 'resources/list', 'resources/templates/list', 'tools/list']);
    expect(toolsOnly.received).toEqual(['tools/list']);
    expect(listOf(state(), 'tools-only', 'prompts').version).toBeUndefined();
  });
});
