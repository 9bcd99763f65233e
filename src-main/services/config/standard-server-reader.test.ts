import { describe, expect, it } from 'vitest';
import { readStandardServer } from './standard-server-reader';
import { normalizeTransport } from './transport-spelling';

describe('normalizeTransport', () => {
  it.each([
    ['stdio', 'stdio'],
    ['sse', 'sse'],
    ['http', 'streamable-http'],
    ['streamable-http', 'streamable-http'],
    ['streamableHttp', 'streamable-http'],
    ['HTTP', 'streamable-http'],
    ['websocket', undefined],
    ['constructor', undefined],
  ])('%s → %s', (spelling, expected) => {
    expect(normalizeTransport(spelling)).toBe(expected);
  });
});

describe('readStandardServer', () => {
  it('keeps placeholders verbatim in every field', () => {
    expect(
      readStandardServer('p', {
        command: '${env:NODE}',
        args: ['${input:file}', '${workspaceFolder}'],
        env: { TOKEN: '${TOKEN}', EMPTY: '' },
        cwd: '${workspaceFolder}/srv',
      }),
    ).toEqual({
      ok: true,
      entry: { name: 'p', transport: 'stdio', command: '${env:NODE}', args: ['${input:file}', '${workspaceFolder}'], env: { TOKEN: '${TOKEN}', EMPTY: '' }, cwd: '${workspaceFolder}/srv' },
      warnings: [],
    });
    expect(readStandardServer('r', { type: 'sse', url: 'https://example.com/sse', headers: { Authorization: 'Bearer ${input:token}' } })).toEqual({
      ok: true,
      entry: { name: 'r', transport: 'sse', url: 'https://example.com/sse', headers: { Authorization: 'Bearer ${input:token}' } },
      warnings: [],
    });
  });

  it('keeps disabled: true, and warns that a url without a type was taken for Streamable HTTP', () => {
    expect(readStandardServer('d', { url: 'http://localhost:1/mcp', disabled: true })).toEqual({
      ok: true,
      entry: { name: 'd', transport: 'streamable-http', url: 'http://localhost:1/mcp', headers: {}, disabled: true },
      warnings: ['server "d": no type is given, so it was imported as Streamable HTTP; a server that only answers old-style SSE will need the SSE fallback'],
    });
  });

  it('takes only the fields of the chosen transport into the entry', () => {
    expect(readStandardServer('s', { type: 'stdio', command: 'node', url: 'http://localhost:1/mcp', headers: { a: 'b' } })).toEqual({
      ok: true,
      entry: { name: 's', transport: 'stdio', command: 'node', args: [], env: {} },
      warnings: [],
    });
  });

  it('trims the name as the catalog does', () => {
    expect(readStandardServer(' spaced ', { command: 'node' })).toEqual({ ok: true, entry: { name: 'spaced', transport: 'stdio', command: 'node', args: [], env: {} }, warnings: [] });
  });

  it('explains a name that is too long', () => {
    const name = 'n'.repeat(201);
    expect(readStandardServer(name, { command: 'node' })).toEqual({ ok: false, message: `server "${name}": a server name is at most 200 characters` });
  });

  it('explains a header value of the wrong type', () => {
    expect(readStandardServer('h', { url: 'https://example.com/mcp', headers: { 'X-Retry': 3 } })).toEqual({
      ok: false,
      message: 'server "h": headers must be an object of string values ("X-Retry" is a number)',
    });
  });

  it('explains null and array settings', () => {
    expect(readStandardServer('n', null)).toEqual({ ok: false, message: 'server "n" must be an object with a command or a url, not null' });
    expect(readStandardServer('a', ['npx'])).toEqual({ ok: false, message: 'server "a" must be an object with a command or a url, not an array' });
  });

  it('names an envFile that was left out', () => {
    expect(readStandardServer('e', { command: 'node', envFile: '.env' })).toEqual({
      ok: true,
      entry: { name: 'e', transport: 'stdio', command: 'node', args: [], env: {} },
      warnings: ['server "e": its envFile ".env" was not imported (Patchbay does not read env files); add the variables it needs to env'],
    });
  });

  it('follows a dialect: other url and type keys, another transport for a url without a type', () => {
    const options = { urlKeys: ['serverUrl', 'url'], typeKeys: ['type', 'transportType'], typelessUrl: { kind: 'sse', warning: 'taken for SSE' } } as const;
    expect(readStandardServer('w', { serverUrl: 'https://a.example/x', url: 'https://a.example/x' }, options)).toEqual({
      ok: true,
      entry: { name: 'w', transport: 'sse', url: 'https://a.example/x', headers: {} },
      warnings: ['server "w": taken for SSE'],
    });
    expect(readStandardServer('t', { transportType: 'http', serverUrl: 'https://a.example/mcp' }, options)).toEqual({
      ok: true,
      entry: { name: 't', transport: 'streamable-http', url: 'https://a.example/mcp', headers: {} },
      warnings: [],
    });
    expect(readStandardServer('n', { transportType: 7, command: 'x' }, options)).toEqual({
      ok: false,
      message: 'server "n": transportType must be a string, one of "stdio", "http", "streamable-http", "streamableHttp", "sse"',
    });
    expect(readStandardServer('m', { type: 'sse' }, options)).toEqual({ ok: false, message: 'server "m": type "sse" needs a serverUrl' });
  });
});
