import { InMemoryTransport, ProtocolError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { createPatchbayClient, type ServerMessageSink } from './client-setup';
import { describeConnectError } from './proxy-driver';

const quietSink: ServerMessageSink = {
  opened: () => undefined,
  closed: () => undefined,
  createMessage: () => Promise.reject(new Error('unused')),
  elicit: () => Promise.reject(new Error('unused')),
  roots: () => [],
  notify: () => undefined,
};

/** What a real client pinned to the modern era throws when it meets a legacy-only server (the 1.x SDK's). */
async function modernPinAgainstLegacyServer(): Promise<unknown> {
  const server = new McpServer({ name: 'legacy-only', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = createPatchbayClient({ name: 'test', version: '0' }, 'legacy-only', quietSink, 'modern');
  try {
    await client.connect(clientTransport);
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.close();
    await server.close();
  }
}

describe('describeConnectError', () => {
  it('shows the proxy message and HTTP status of a refused request', () => {
    const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: 'Unknown server "x": it is not in the catalog' }, id: null });
    const refused = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `Error POSTing to endpoint: ${body}`, { status: 404, statusText: 'Not Found', text: body });
    expect(describeConnectError(refused)).toBe('Unknown server "x": it is not in the catalog (HTTP 404)');
  });

  it('gives the JSON-RPC error of a failed initialize as its message alone', () => {
    expect(describeConnectError(new ProtocolError(-32003, 'could not connect to "x": spawn foo ENOENT'))).toBe('could not connect to "x": spawn foo ENOENT');
  });

  it('says when the proxy cannot be reached', () => {
    expect(describeConnectError(new TypeError('Failed to fetch'))).toMatch(/could not be reached/);
  });

  it('says in words that a server pinned to the modern era speaks only the legacy one', async () => {
    const error = await modernPinAgainstLegacyServer();
    expect(error).toBeInstanceOf(Error);
    expect(describeConnectError(error, 'modern')).toBe(
      'The server does not speak the modern protocol (2026-07-28): it did not answer server/discover with that version, so it only speaks the legacy protocol (initialize). Set its protocol era to Auto or Legacy in Edit.',
    );
  });
});
