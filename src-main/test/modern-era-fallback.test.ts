import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerEntry } from '../../src-shared/catalog';
import { expectNothingLeft, fixtureEntry, startRemoteFixture, startTestProxy, type TestProxy } from './helpers';
import { connectModernClient, envelope, MODERN, modernHeaders, textOf } from './modern-helpers';

// A 2.x client in 'auto' against servers that speak only the legacy era, through the proxy: the proxy tells it so
// (a 4xx without a modern error), the client falls back to initialize, and the legacy session works as it always did.

let proxy: TestProxy;
let remote: Awaited<ReturnType<typeof startRemoteFixture>>;

beforeAll(async () => {
  remote = await startRemoteFixture();
  const entries: ServerEntry[] = [
    fixtureEntry('stdio'),
    { name: 'http', transport: 'streamable-http', url: `http://127.0.0.1:${remote.port}/mcp`, headers: {} },
    { name: 'sse', transport: 'sse', url: `http://127.0.0.1:${remote.port}/sse`, headers: {} },
    { name: 'missing', transport: 'stdio', command: 'patchbay-no-such-command', args: [], env: {} },
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

describe.each(['stdio', 'http', 'sse', 'everything'])('a legacy-only %s server', (server) => {
  it("falls back to initialize for a client in 'auto', and works", async () => {
    const connection = await connectModernClient(proxy, server, 'auto');
    try {
      expect(connection.client.getProtocolEra()).toBe('legacy');
      expect(connection.transport.sessionId).toEqual(expect.any(String));
      const tools = await connection.client.listTools(undefined, { cacheMode: 'bypass' });
      expect(tools.tools.map((tool) => tool.name)).toContain('echo');
      const echoed = await connection.client.callTool({ name: 'echo', arguments: server === 'everything' ? { message: 'hi' } : { text: 'hi' } });
      expect(textOf(echoed)).toContain('hi');
    } finally {
      await connection.close();
    }
  });

  it('answers a pinned modern client with an error that says the server speaks only the legacy era', async () => {
    const response = await fetch(`${proxy.url}/servers/${server}/mcp`, {
      method: 'POST',
      headers: modernHeaders(proxy, 'tools/list'),
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: envelope() } }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { id: unknown; error: { code: number; message: string } };
    expect(body.id).toBe(7);
    expect(body.error.code).not.toBe(-32022);
    if (server === 'stdio' || server === 'everything' || server === 'sse') expect(body.error.message).toContain('speaks only the legacy era');
    await expect(connectModernClient(proxy, server, { pin: MODERN })).rejects.toThrow();
  });
});

describe('a stdio server whose command cannot start', () => {
  it('is not taken for a legacy one: a modern request hears why it cannot start, each time', async () => {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await fetch(`${proxy.url}/servers/missing/mcp`, {
        method: 'POST',
        headers: modernHeaders(proxy, 'tools/list'),
        body: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/list', params: { _meta: envelope() } }),
      });
      expect(response.status).toBe(502);
      const body = (await response.json()) as { id: unknown; error: { message: string } };
      expect(body.id).toBe(8);
      expect(body.error.message).toMatch(/^"missing" could not start: .*patchbay-no-such-command/);
      expect(body.error.message).not.toContain('legacy');
    }
    expect(proxy.modern.sharedChildren()).toEqual(expect.arrayContaining([expect.objectContaining({ server: 'missing', serverEra: 'unknown' })]));
    await proxy.modern.closeServer('missing', 'the test is done with it');
  });
});

describe('after the fallbacks', () => {
  it('leaves no session and no shared child behind', async () => {
    await expectNothingLeft(proxy, [remote.child.pid!]);
    expect(proxy.modern.liveChildren).toBe(0);
    // The verdict is kept: the stdio servers are listed as legacy, without a process.
    expect(proxy.modern.sharedChildren()).toEqual(
      expect.arrayContaining([expect.objectContaining({ server: 'stdio', serverEra: 'legacy', state: 'closed' }), expect.objectContaining({ server: 'everything', serverEra: 'legacy', state: 'closed' })]),
    );
  });
});
