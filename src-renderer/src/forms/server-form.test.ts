import { maskSecrets, SECRET_MASK } from '../../../src-shared/catalog';
import { describe, expect, it } from 'vitest';
import {
  emptyForm,
  entryToForm,
  formatArgs,
  formatEnv,
  formatHeaders,
  formToEntry,
  parseArgs,
  parseEnv,
  parseHeaders,
  type ServerFormValues,
} from './server-form';

describe('Arguments', () => {
  it('takes one argument per line, as typed, skipping blank lines', () => {
    expect(parseArgs('-y\r\n@modelcontextprotocol/server-everything\n\n  --flag with spaces \n')).toEqual([
      '-y',
      '@modelcontextprotocol/server-everything',
      '  --flag with spaces ',
    ]);
    expect(parseArgs('')).toEqual([]);
  });

  it('round-trips through formatting', () => {
    const args = ['--port', '8080', 'a=b'];
    expect(parseArgs(formatArgs(args))).toEqual(args);
  });
});

describe('Environment', () => {
  it('parses KEY=VALUE lines, splitting at the first =', () => {
    expect(parseEnv('API_KEY=abc=def\n# comment\n\n DEBUG =1\nEMPTY=')).toEqual({ ok: true, value: { API_KEY: 'abc=def', DEBUG: '1', EMPTY: '' } });
  });

  it('names the bad line', () => {
    expect(parseEnv('A=1\nnot a pair')).toEqual({ ok: false, error: 'Line 2: expected KEY=VALUE, got "not a pair"' });
    expect(parseEnv('=value')).toMatchObject({ ok: false, error: expect.stringContaining('Line 1') });
    expect(parseEnv('A=1\nA=2')).toEqual({ ok: false, error: 'Line 2: A is set twice' });
    expect(parseEnv('MY VAR=1')).toMatchObject({ ok: false });
  });

  it('round-trips through formatting', () => {
    const env = { A: '1', B: 'x=y', C: ' spaced ' };
    expect(parseEnv(formatEnv(env))).toEqual({ ok: true, value: env });
  });
});

describe('Headers', () => {
  it('parses Name: value lines, trimming values', () => {
    expect(parseHeaders('Authorization: Bearer a:b\nX-Trace:  1 \n')).toEqual({ ok: true, value: { Authorization: 'Bearer a:b', 'X-Trace': '1' } });
  });

  it('rejects lines without a colon, bad names and repeats', () => {
    expect(parseHeaders('Authorization Bearer x')).toEqual({ ok: false, error: 'Line 1: expected "Name: value", got "Authorization Bearer x"' });
    expect(parseHeaders('Bad Name: 1')).toMatchObject({ ok: false, error: expect.stringContaining('not a valid header name') });
    expect(parseHeaders('X-A: 1\nx-a: 2')).toEqual({ ok: false, error: 'Line 2: the header x-a is given twice' });
  });

  it('round-trips through formatting', () => {
    const headers = { Authorization: 'Bearer t', 'X-Empty': '' };
    expect(parseHeaders(formatHeaders(headers))).toEqual({ ok: true, value: headers });
  });
});

describe('formToEntry', () => {
  const stdio = (overrides: Partial<ServerFormValues>): ServerFormValues => ({ ...emptyForm(), name: 'everything', command: 'npx', ...overrides });

  it('builds a stdio entry with only stdio fields', () => {
    expect(formToEntry(stdio({ args: '-y\npkg', env: 'A=1', cwd: ' /tmp ', url: 'ignored', headers: 'ignored' }))).toEqual({
      ok: true,
      entry: { name: 'everything', transport: 'stdio', command: 'npx', args: ['-y', 'pkg'], env: { A: '1' }, cwd: '/tmp' },
    });
  });

  it('builds a remote entry and keeps Disabled', () => {
    expect(formToEntry({ ...emptyForm(), name: ' remote ', transport: 'sse', url: 'http://127.0.0.1:3001/sse', headers: 'X-Key: k', disabled: true })).toEqual({
      ok: true,
      entry: { name: 'remote', transport: 'sse', url: 'http://127.0.0.1:3001/sse', headers: { 'X-Key': 'k' }, disabled: true },
    });
  });

  it('reports each problem next to its field, using the catalog schema messages', () => {
    expect(formToEntry(stdio({ name: '  ', command: '', env: 'oops' }))).toEqual({
      ok: false,
      errors: { name: 'A server needs a name', command: 'A stdio server needs a command', env: 'Line 1: expected KEY=VALUE, got "oops"' },
    });
    expect(formToEntry({ ...emptyForm(), name: 'r', transport: 'streamable-http', url: 'ftp://x', headers: 'nope' })).toEqual({
      ok: false,
      errors: { url: 'A remote server needs an http:// or https:// URL', headers: 'Line 1: expected "Name: value", got "nope"' },
    });
  });

  it('fills the form from an entry and back without change', () => {
    const entries = [
      { name: 'a', transport: 'stdio' as const, command: 'node', args: ['x.js', '--v'], env: { K: 'v' }, cwd: '/srv' },
      { name: 'b', transport: 'streamable-http' as const, url: 'https://example.com/mcp', headers: { Authorization: 'Bearer t' }, disabled: true },
    ];
    for (const entry of entries) expect(formToEntry(entryToForm(entry))).toEqual({ ok: true, entry });
  });

  it('offers the protocol era, Auto by default, and writes only a pinned one into the entry', () => {
    expect(emptyForm().protocolEra).toBe('auto');
    expect(entryToForm({ name: 'old', transport: 'stdio', command: 'node', args: [], env: {} }).protocolEra).toBe('auto');
    expect(formToEntry(stdio({ protocolEra: 'auto' }))).toEqual({ ok: true, entry: { name: 'everything', transport: 'stdio', command: 'npx', args: [], env: {} } });
    for (const protocolEra of ['modern', 'legacy'] as const) {
      const entry = { name: 'pinned', transport: 'streamable-http' as const, url: 'http://127.0.0.1:3001/mcp', headers: {}, protocolEra };
      expect(entryToForm(entry).protocolEra).toBe(protocolEra);
      expect(formToEntry(entryToForm(entry))).toEqual({ ok: true, entry });
    }
  });

  it('shows a secret as set without its value, keeps it untouched, and takes a value typed over it', () => {
    const shown = maskSecrets({ name: 'gh', transport: 'stdio', command: 'node', args: [], env: { GITHUB_TOKEN: 'ghp_real', LOG: 'debug' }, secrets: ['GITHUB_TOKEN'] });
    const form = entryToForm(shown);
    expect(form.env).toBe(`GITHUB_TOKEN=${SECRET_MASK}\nLOG=debug`);
    expect(form.env).not.toContain('ghp_real');
    expect(formToEntry({ ...form, args: '--verbose' })).toMatchObject({ ok: true, entry: { env: { GITHUB_TOKEN: SECRET_MASK, LOG: 'debug' }, args: ['--verbose'] } });
    expect(formToEntry({ ...form, env: form.env.replace(SECRET_MASK, 'ghp_new') })).toMatchObject({ ok: true, entry: { env: { GITHUB_TOKEN: 'ghp_new' } } });
  });

  it("keeps a remote entry's OAuth settings through Edit, the client secret masked, and names a bad one at its field", () => {
    const entry = {
      name: 'oauth',
      transport: 'streamable-http' as const,
      url: 'https://example.com/mcp',
      headers: {},
      oauth: { clientId: 'patchbay', clientSecret: 's3cret', scopes: ['mcp:tools', 'mcp:admin'], clientMetadataUrl: 'https://example.com/client.json' },
    };
    const form = entryToForm(maskSecrets(entry));
    expect(form).toMatchObject({ oauthClientId: 'patchbay', oauthClientSecret: SECRET_MASK, oauthScopes: 'mcp:tools mcp:admin' });
    expect(formToEntry(form)).toEqual({ ok: true, entry: { ...entry, oauth: { ...entry.oauth, clientSecret: SECRET_MASK } } });
    expect(formToEntry(entryToForm(entry))).toEqual({ ok: true, entry });
    expect(formToEntry({ ...form, oauthScopes: 'a, b' })).toMatchObject({ ok: true, entry: { oauth: { scopes: ['a', 'b'] } } });
    expect(formToEntry({ ...form, oauthClientId: '', oauthClientSecret: '', oauthScopes: '', oauthClientMetadataUrl: '' })).toEqual({
      ok: true,
      entry: { name: 'oauth', transport: 'streamable-http', url: 'https://example.com/mcp', headers: {} },
    });
    const bad = formToEntry({ ...form, oauthClientMetadataUrl: 'http://example.com/client.json' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.oauthClientMetadataUrl).toMatch(/^A client metadata document URL is an https:\/\/ URL/);
  });
});
