// VS Code reaches local Streamable HTTP servers over a Unix domain socket or a Windows named pipe with URLs of the
// schemes `unix` and `pipe`: the URL's path is the socket's path and its fragment the HTTP path (microsoft/vscode
// pull request 268488, "Add support for MCP servers over Unix domain sockets and named pipes", which builds them
// with `Uri.from({ scheme: 'unix' | 'pipe', path: socketPath, fragment: '/mcp' })`). So
// `unix:///run/app/mcp.sock#/mcp` is `POST /mcp` over the socket /run/app/mcp.sock, and
// `pipe:///pipe/app-mcp#/mcp` is the same over the named pipe \\.\pipe\app-mcp.

/** Where a `unix://` or `pipe://` URL goes: the socket (or pipe) to connect to and the HTTP path to ask for. */
export interface SocketTarget {
  kind: 'unix' | 'pipe';
  /** `/run/app/mcp.sock`, or `\\.\pipe\app-mcp` for a named pipe. */
  socketPath: string;
  /** The HTTP path (and query) of the fragment, `/` when there is none. */
  httpPath: string;
}

/** Whether a value starts with the `unix:` or `pipe:` scheme (case-insensitive), whatever follows. */
export function isSocketUrl(value: string): boolean {
  return /^(unix|pipe):/i.test(value.trim());
}

/**
 * The socket a `unix://` or `pipe://` URL names, or why it names none (a sentence to show after the URL). The
 * socket path is the URL's path, percent-decoded; for a pipe, `/pipe/NAME` and a bare `/NAME` both mean
 * `\\.\pipe\NAME`, and a path that already is one (`/\\.\pipe\NAME`, as VS Code's Uri writes it) is kept.
 */
export function parseSocketUrl(value: string): { ok: true; target: SocketTarget } | { ok: false; problem: string } {
  const text = value.trim();
  const scheme = /^(unix|pipe):/i.exec(text)?.[1]?.toLowerCase() as SocketTarget['kind'] | undefined;
  if (scheme === undefined) return { ok: false, problem: 'does not start with unix:// or pipe://' };
  if (!text.slice(scheme.length + 1).startsWith('//')) return { ok: false, problem: `must start with ${scheme}:/// (three slashes, then the ${scheme === 'unix' ? 'socket' : 'pipe'}'s path)` };
  if (!URL.canParse(text)) return { ok: false, problem: 'does not parse as a URL' };
  const url = new URL(text);
  if (url.host !== '') return { ok: false, problem: `names a host; a ${scheme}:// URL names a local ${scheme === 'unix' ? 'socket' : 'pipe'}: ${scheme}:///path` };
  if (url.search !== '') return { ok: false, problem: 'has a query after the socket path; put the HTTP path and query after # (…#/mcp?key=value)' };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, problem: 'has a badly percent-encoded path' };
  }
  const httpPath = url.hash === '' || url.hash === '#' ? '/' : url.hash.slice(1);
  if (!httpPath.startsWith('/')) return { ok: false, problem: `has the HTTP path "${httpPath}" after #, which must start with /` };
  if (scheme === 'unix') {
    if (path === '' || path === '/' || path.endsWith('/')) return { ok: false, problem: 'names no socket file (unix:///path/to/server.sock#/mcp)' };
    return { ok: true, target: { kind: 'unix', socketPath: path, httpPath } };
  }
  const socketPath = namedPipePath(path);
  if (socketPath === undefined) return { ok: false, problem: 'names no pipe (pipe:///pipe/NAME#/mcp for \\\\.\\pipe\\NAME)' };
  return { ok: true, target: { kind: 'pipe', socketPath, httpPath } };
}

function namedPipePath(path: string): string | undefined {
  const written = path.replace(/^\/+(?=\\\\)/, '');
  if (written.startsWith('\\\\')) return /^\\\\[^\\]+\\pipe\\[^\\]+/i.test(written) ? written : undefined;
  const name = path.replace(/^\/+/, '').replace(/^pipe\//i, '').replace(/\//g, '\\');
  return name === '' ? undefined : `\\\\.\\pipe\\${name}`;
}
