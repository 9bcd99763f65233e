import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { describeConnectError } from './proxy-driver';

describe('describeConnectError', () => {
  it('shows the proxy message and HTTP status of a refused request', () => {
    const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: 'Unknown server "x": it is not in the catalog' }, id: null });
    expect(describeConnectError(new StreamableHTTPError(404, `Error POSTing to endpoint: ${body}`))).toBe(
      'Unknown server "x": it is not in the catalog (HTTP 404)',
    );
  });

  it('drops the JSON-RPC code of a failed initialize', () => {
    expect(describeConnectError(new McpError(-32003, 'could not connect to "x": spawn foo ENOENT'))).toBe('could not connect to "x": spawn foo ENOENT');
  });

  it('says when the proxy cannot be reached', () => {
    expect(describeConnectError(new TypeError('Failed to fetch'))).toMatch(/could not be reached/);
  });
});
