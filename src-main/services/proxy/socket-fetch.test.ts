import { describe, expect, it } from 'vitest';
import { createSocketFetch, readableSocketError, unsupportedOn } from './socket-fetch';

const unix = { kind: 'unix', socketPath: '/run/app/mcp.sock', httpPath: '/mcp' } as const;
const pipe = { kind: 'pipe', socketPath: '\\\\.\\pipe\\app', httpPath: '/mcp' } as const;

describe('socket urls on each platform', () => {
  it('refuses pipe:// off Windows and unix:// on Windows, readably', async () => {
    expect(unsupportedOn(pipe, 'darwin')).toBe('pipe:// urls name a Windows named pipe (\\\\.\\pipe\\app), which exists only on Windows; on macOS use unix:///path/to/server.sock');
    expect(unsupportedOn(unix, 'win32')).toBe('unix:// urls name a Unix domain socket (/run/app/mcp.sock), which Patchbay cannot reach on Windows; use a named pipe: pipe:///pipe/NAME');
    expect(unsupportedOn(pipe, 'win32')).toBeUndefined();
    expect(unsupportedOn(unix, 'linux')).toBeUndefined();
    const onWindows = createSocketFetch(unix, 'win32');
    expect(onWindows.url.href).toBe('http://localhost/mcp');
    await expect(onWindows.fetch(onWindows.url)).rejects.toThrow('unix:// urls name a Unix domain socket');
  });
});

describe('readableSocketError', () => {
  // Running as root here, no socket can be made unreadable; the error is shaped as undici's `fetch failed` is.
  it('names the socket and the permission problem', () => {
    const cause = Object.assign(new Error('connect EACCES /run/app/mcp.sock'), { code: 'EACCES' });
    const readable = readableSocketError(new TypeError('fetch failed', { cause }), unix) as Error;
    expect(readable.message).toBe("cannot reach unix:// server: permission denied for the socket /run/app/mcp.sock (EACCES): Patchbay's user may not open it");
    expect(readableSocketError(new TypeError('fetch failed', { cause }), pipe)).toMatchObject({ message: expect.stringContaining('the named pipe \\\\.\\pipe\\app') });
  });

  it('leaves aborts and other errors alone', () => {
    const abort = new DOMException('aborted', 'AbortError');
    expect(readableSocketError(abort, unix)).toBe(abort);
    const other = new TypeError('fetch failed', { cause: new Error('other') });
    expect(readableSocketError(other, unix)).toBe(other);
  });
});
