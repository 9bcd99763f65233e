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
    });
    expect(readStandardServer('r', { type: 'sse', url: 'https://example.com/sse', headers: { Authorization: 'Bearer ${input:token}' } })).toEqual({
      ok: true,
      entry: { name: 'r', transport: 'sse', url: 'https://example.com/sse', headers: { Authorization: 'Bearer ${input:token}' } },
    });
  });

  it('keeps disabled: true', () => {
    expect(readStandardServer('d', { url: 'http://localhost:1/mcp', disabled: true })).toEqual({
      ok: true,
      entry: { name: 'd', transport: 'streamable-http', url: 'http://localhost:1/mcp', headers: {}, disabled: true },
    });
  });

  it('takes only the fields of the chosen transport into the entry', () => {
    expect(readStandardServer('s', { type: 'stdio', command: 'node', url: 'http://localhost:1/mcp', headers: { a: 'b' } })).toEqual({
      ok: true,
      entry: { name: 's', transport: 'stdio', command: 'node', args: [], env: {} },
    });
  });

  it('trims the name as the catalog does', () => {
    expect(readStandardServer(' spaced ', { command: 'node' })).toEqual({ ok: true, entry: { name: 'spaced', transport: 'stdio', command: 'node', args: [], env: {} } });
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
});
