import { describe, expect, it } from 'vitest';
import { RemoteServerSchema } from './catalog';
import { parseSocketUrl } from './socket-url';

describe('parseSocketUrl', () => {
  it('reads a unix:// url as the socket path and the HTTP path of its fragment', () => {
    expect(parseSocketUrl('unix:///tmp/hello-world.sock#/mcp')).toEqual({ ok: true, target: { kind: 'unix', socketPath: '/tmp/hello-world.sock', httpPath: '/mcp' } });
    expect(parseSocketUrl('unix:///run/my%20app/mcp.sock#/v1/mcp?team=a')).toEqual({ ok: true, target: { kind: 'unix', socketPath: '/run/my app/mcp.sock', httpPath: '/v1/mcp?team=a' } });
    expect(parseSocketUrl('UNIX:///tmp/a.sock')).toEqual({ ok: true, target: { kind: 'unix', socketPath: '/tmp/a.sock', httpPath: '/' } });
  });

  // Windows named pipes cannot be reached on this machine: the mapping is what is tested.
  it.each([
    ['pipe:///pipe/hello-world#/mcp', '\\\\.\\pipe\\hello-world'],
    ['pipe:///hello-world#/mcp', '\\\\.\\pipe\\hello-world'],
    ['pipe:///pipe/team/app#/mcp', '\\\\.\\pipe\\team\\app'],
    // What VS Code's Uri.from({ scheme: 'pipe', path: '\\\\.\\pipe\\hello-world' }).toString() writes.
    ['pipe:///%5C%5C.%5Cpipe%5Chello-world#/mcp', '\\\\.\\pipe\\hello-world'],
    ['pipe:///%5C%5Cbuild-box%5Cpipe%5Cshared#/mcp', '\\\\build-box\\pipe\\shared'],
  ])('maps %s to the named pipe %s', (url, pipe) => {
    expect(parseSocketUrl(url)).toEqual({ ok: true, target: { kind: 'pipe', socketPath: pipe, httpPath: '/mcp' } });
  });

  it.each([
    ['unix://tmp/app.sock#/mcp', 'names a host; a unix:// URL names a local socket: unix:///path'],
    ['unix:/tmp/app.sock', 'must start with unix:/// (three slashes, then the socket\'s path)'],
    ['unix:///tmp/app.sock?x=1#/mcp', 'has a query after the socket path; put the HTTP path and query after # (…#/mcp?key=value)'],
    ['unix:///tmp/app.sock#mcp', 'has the HTTP path "mcp" after #, which must start with /'],
    ['unix:///', 'names no socket file (unix:///path/to/server.sock#/mcp)'],
    ['pipe:///#/mcp', 'names no pipe (pipe:///pipe/NAME#/mcp for \\\\.\\pipe\\NAME)'],
    ['unix:///tmp/%E0%A4%A.sock', 'has a badly percent-encoded path'],
  ])('refuses %s: it %s', (url, problem) => {
    expect(parseSocketUrl(url)).toEqual({ ok: false, problem });
  });
});

describe('a remote catalog entry', () => {
  it('accepts unix:// and pipe:// urls, and says what is wrong with a broken one', () => {
    for (const url of ['unix:///tmp/a.sock#/mcp', 'pipe:///pipe/a#/mcp', 'https://example.com/mcp', 'unix://${SOCKET_DIR}/a.sock#/mcp']) {
      expect(RemoteServerSchema.safeParse({ name: 'a', transport: 'sse', url }).success).toBe(true);
    }
    const broken = RemoteServerSchema.safeParse({ name: 'a', transport: 'streamable-http', url: 'unix://tmp/a.sock#/mcp' });
    expect(broken.error?.issues.map((issue) => issue.message)).toEqual(['the url names a host; a unix:// URL names a local socket: unix:///path']);
    const other = RemoteServerSchema.safeParse({ name: 'a', transport: 'streamable-http', url: 'ftp://example.com' });
    expect(other.error?.issues.map((issue) => issue.message)).toEqual(['a remote server needs an http:// or https:// URL']);
  });
});
