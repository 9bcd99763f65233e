import { InMemoryTransport, StreamableHTTPClientTransport, type Client } from '@modelcontextprotocol/client';
import { McpServer as LegacyOnlyServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createMcpHandler, McpServer as DualEraServer } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProtocolEraSetting } from '../../../src-shared/protocol-era';
import { createPatchbayClient, type ServerMessageSink } from './client-setup';

const quietSink: ServerMessageSink = {
  opened: () => undefined,
  closed: () => undefined,
  createMessage: () => Promise.reject(new Error('unused')),
  elicit: () => Promise.reject(new Error('unused')),
  roots: () => [],
  notify: () => undefined,
};

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/**
 * Connects a Patchbay client in `era` to a real server: the 2.x SDK's HTTP handler (both eras: server/discover, and
 * initialize through its stateless legacy leg), reached through the transport's fetch, or the 1.x SDK's server in
 * memory (legacy only).
 */
async function connectTo(kind: 'dual-era' | 'legacy-only', era: ProtocolEraSetting): Promise<Client> {
  const client = createPatchbayClient({ name: 'test', version: '0' }, kind, quietSink, era);
  if (kind === 'dual-era') {
    const handler = createMcpHandler(() => new DualEraServer({ name: 'dual', version: '2.0.0' }, { capabilities: { tools: {} }, instructions: 'Say hello.' }));
    closers.push(async () => {
      await client.close();
      await handler.close();
    });
    const fetchFromHandler = (input: string | URL | Request, init?: RequestInit) => handler.fetch(new Request(input, init));
    await client.connect(new StreamableHTTPClientTransport(new URL('http://127.0.0.1/mcp'), { fetch: fetchFromHandler }));
    return client;
  }
  const server = new LegacyOnlyServer({ name: 'legacy', version: '1.0.0' }, { capabilities: { tools: {} } });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  closers.push(async () => {
    await client.close();
    await server.close();
  });
  await client.connect(clientTransport);
  return client;
}

describe('the protocol era setting', () => {
  it('Auto speaks the modern era to a server that answers server/discover, and keeps its answer', async () => {
    const client = await connectTo('dual-era', 'auto');
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(client.getDiscoverResult()?.supportedVersions).toContain('2026-07-28');
    expect(client.getInstructions()).toBe('Say hello.');
  });

  it('Auto falls back to initialize with a legacy-only server', async () => {
    const client = await connectTo('legacy-only', 'auto');
    expect(client.getProtocolEra()).toBe('legacy');
    expect(client.getServerVersion()).toMatchObject({ name: 'legacy', version: '1.0.0' });
    expect(client.getDiscoverResult()).toBeUndefined();
  });

  it('Legacy speaks initialize even to a server that knows the modern era', async () => {
    const client = await connectTo('dual-era', 'legacy');
    expect(client.getProtocolEra()).toBe('legacy');
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect(client.getDiscoverResult()).toBeUndefined();
  });

  it('Modern pins 2026-07-28 and refuses a legacy-only server', async () => {
    expect((await connectTo('dual-era', 'modern')).getProtocolEra()).toBe('modern');
    await expect(connectTo('legacy-only', 'modern')).rejects.toThrow(/did not offer pinned protocol version 2026-07-28/);
  });
});
