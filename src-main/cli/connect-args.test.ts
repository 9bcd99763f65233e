import { describe, expect, it } from 'vitest';
import { CLIENT_SECRET_ENV, DEFAULT_CONNECT_TIMEOUT_S, parseConnectArgs, type ConnectOptions } from './connect-args';
import { UsageError } from './serve-args';

function options(argv: string[], env: Record<string, string> = {}): ConnectOptions {
  const command = parseConnectArgs(argv, env);
  if (command.kind !== 'connect') throw new Error(`expected a connect command, got ${command.kind}`);
  return command.options;
}

function usageError(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseConnectArgs(argv, env);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('parseConnectArgs', () => {
  it('takes a URL alone: Streamable HTTP, Auto, no OAuth settings, the default timeout', () => {
    expect(options(['https://example.com/mcp'])).toEqual({
      url: 'https://example.com/mcp',
      transport: 'streamable-http',
      era: 'auto',
      oauth: {},
      timeoutMs: DEFAULT_CONNECT_TIMEOUT_S * 1000,
      json: false,
    });
  });

  it('reads every flag', () => {
    expect(
      options([
        'http://127.0.0.1:9/sse',
        '--transport=sse',
        '--era',
        'legacy',
        '--client-id',
        'my-client',
        '--client-secret',
        's3cret',
        '--client-metadata-url',
        'https://app.example.com/client.json',
        '--scope',
        'mcp:read  mcp:write',
        '--call',
        'echo',
        '--args',
        '{"text":"hi"}',
        '--timeout',
        '2.5',
        '--json',
      ]),
    ).toEqual({
      url: 'http://127.0.0.1:9/sse',
      transport: 'sse',
      era: 'legacy',
      oauth: { clientId: 'my-client', clientSecret: 's3cret', clientMetadataUrl: 'https://app.example.com/client.json', scopes: ['mcp:read', 'mcp:write'] },
      call: { tool: 'echo', args: { text: 'hi' } },
      timeoutMs: 2500,
      json: true,
    });
  });

  it(`takes the client secret from ${CLIENT_SECRET_ENV} when the flag is absent, and the flag over it`, () => {
    expect(options(['https://example.com/mcp', '--client-id', 'c'], { [CLIENT_SECRET_ENV]: 'from-env' }).oauth).toEqual({ clientId: 'c', clientSecret: 'from-env' });
    expect(options(['https://example.com/mcp', '--client-id', 'c', '--client-secret', 'flag'], { [CLIENT_SECRET_ENV]: 'from-env' }).oauth.clientSecret).toBe('flag');
    // Without a client id the variable is not a pre-registered client's secret.
    expect(options(['https://example.com/mcp'], { [CLIENT_SECRET_ENV]: 'from-env' }).oauth).toEqual({});
  });

  it('asks for help', () => {
    expect(parseConnectArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseConnectArgs(['-h', 'whatever'])).toEqual({ kind: 'help' });
  });

  it.each([
    [[], 'the server URL is missing'],
    [['https://a.example/mcp', 'https://b.example/mcp'], 'one server URL only; also got "https://b.example/mcp"'],
    [['ftp://example.com/mcp'], 'the server URL has the scheme "ftp:"; give an http:// or https:// URL'],
    [['example.com/mcp'], 'the server URL does not start with http:// or https://; give an http:// or https:// URL'],
    [['https://example.com/mcp', '--transport', 'websocket'], '--transport takes http or sse, not "websocket"'],
    [['https://example.com/mcp', '--era', 'future'], '--era takes auto, modern or legacy, not "future"'],
    [['https://example.com/mcp', '--client-secret', 's'], 'a client secret needs --client-id (the pre-registered client it belongs to)'],
    [['https://example.com/mcp', '--client-metadata-url', 'http://app.example.com/client.json'], '--client-metadata-url must be an https:// URL with a path (a Client ID Metadata Document), not "http://app.example.com/client.json"'],
    [['https://example.com/mcp', '--client-metadata-url', 'https://app.example.com/'], '--client-metadata-url must be an https:// URL with a path (a Client ID Metadata Document), not "https://app.example.com/"'],
    [['https://example.com/mcp', '--args', '{}'], '--args needs --call TOOL'],
    [['https://example.com/mcp', '--call', 'echo', '--args', '{"text":'], '--args is not JSON'],
    [['https://example.com/mcp', '--call', 'echo', '--args', '[1]'], '--args must be a JSON object'],
    [['https://example.com/mcp', '--timeout', 'soon'], '--timeout must be a number of seconds, not "soon"'],
    [['https://example.com/mcp', '--timeout', '0'], '--timeout must be more than 0 seconds'],
    [['https://example.com/mcp', '--call', '--json'], '--call needs a value; write --call=--json if "--json" is meant as one'],
    [['https://example.com/mcp', '--json=yes'], '--json does not take a value'],
    [['https://example.com/mcp', '--verbose'], 'unknown option --verbose'],
    [['https://example.com/sse', '--transport', 'sse', '--era', 'modern'], '--era modern needs --transport http'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(argv)).toContain(message);
  });
});
