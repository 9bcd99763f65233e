import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { Agent, fetch as undiciFetch } from 'undici';
import type { SocketTarget } from '../../../src-shared/socket-url';

/**
 * A fetch that sends every request over one Unix domain socket or Windows named pipe, for VS Code's
 * `unix:///path.sock#/mcp` and `pipe:///pipe/NAME#/mcp` urls. undici (the library behind Node's own fetch, and
 * what VS Code uses for these urls) connects its Agent to `socketPath` instead of a TCP host; requests keep the
 * same keep-alive and timeout behaviour as Node's fetch for http:// servers, since it is the same client.
 */
export interface SocketFetch {
  /** The URL to hand the SDK transport: `http://localhost` plus the HTTP path; only its path goes anywhere. */
  url: URL;
  fetch: FetchLike;
  /** Ends the socket's connections; requests after this fail. */
  close(): Promise<void>;
}

export function createSocketFetch(target: SocketTarget, platform: NodeJS.Platform = process.platform): SocketFetch {
  const url = new URL(target.httpPath, 'http://localhost');
  const unsupported = unsupportedOn(target, platform);
  if (unsupported !== undefined) {
    return { url, fetch: () => Promise.reject(new Error(unsupported)), close: () => Promise.resolve() };
  }
  const agent = new Agent({ connect: { socketPath: target.socketPath } });
  const fetch: FetchLike = async (input, init) => {
    try {
      // undici's RequestInit and Response are its own types for the same web classes Node's fetch uses.
      return (await undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as Response;
    } catch (error) {
      throw readableSocketError(error, target);
    }
  };
  return { url, fetch, close: () => agent.destroy() };
}

/** Why a socket url cannot be used on this platform, or undefined when it can. */
export function unsupportedOn(target: SocketTarget, platform: NodeJS.Platform): string | undefined {
  // Node connects `socketPath` to a named pipe on Windows and to a Unix domain socket elsewhere, never the other way.
  if (target.kind === 'pipe' && platform !== 'win32') {
    return `pipe:// urls name a Windows named pipe (${target.socketPath}), which exists only on Windows; on ${platformName(platform)} use unix:///path/to/server.sock`;
  }
  if (target.kind === 'unix' && platform === 'win32') {
    return `unix:// urls name a Unix domain socket (${target.socketPath}), which Patchbay cannot reach on Windows; use a named pipe: pipe:///pipe/NAME`;
  }
  return undefined;
}

function platformName(platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'macOS' : platform === 'linux' ? 'Linux' : platform;
}

const CONNECT_PROBLEMS: Readonly<Record<string, (what: string) => string>> = {
  ENOENT: (what) => `${what} does not exist (ENOENT): is the server running, and is the path right?`,
  ECONNREFUSED: (what) => `nothing listens on ${what} (ECONNREFUSED): the server is not running, or left the socket file behind`,
  EACCES: (what) => `permission denied for ${what} (EACCES): Patchbay's user may not open it`,
  EPERM: (what) => `permission denied for ${what} (EPERM): Patchbay's user may not open it`,
  ENOTSOCK: (what) => `${what} is not a socket (ENOTSOCK)`,
  ENOTDIR: (what) => `${what} does not exist: part of its path is not a folder (ENOTDIR)`,
  ECONNRESET: (what) => `${what} closed the connection (ECONNRESET)`,
};

/** fetch's `fetch failed` hides why in its cause; a failure to reach the socket says what, with its path. */
export function readableSocketError(error: unknown, target: SocketTarget): unknown {
  if (!(error instanceof Error) || error.name === 'AbortError') return error;
  const code = errorCode(error.cause) ?? errorCode(error);
  const describe = code === undefined ? undefined : CONNECT_PROBLEMS[code];
  if (describe === undefined) return error;
  const what = target.kind === 'unix' ? `the socket ${target.socketPath}` : `the named pipe ${target.socketPath}`;
  return Object.assign(new Error(`cannot reach ${target.kind}:// server: ${describe(what)}`), { code });
}

function errorCode(value: unknown): string | undefined {
  const code = value instanceof Error ? (value as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
