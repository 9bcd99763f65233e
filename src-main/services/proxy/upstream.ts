import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ServerEntry } from '../../../src-shared/catalog';
import { parseSocketUrl } from '../../../src-shared/socket-url';
import { ChildProcessTransport, type ChildExit } from './child-process-transport';
import type { ChildProcessWatch, WatchedChildInfo } from '../procmon/child-watch';
import type { ChildTracker } from './child-record';
import type { SignalProcess } from './kill-process-tree';
import { gatedFetch, ReadGate } from './read-gate';
import { withReadableErrorPages } from './remote-error-pages';
import type { RemoteAuth } from './remote-auth';
import { createSocketFetch, type SocketFetch } from './socket-fetch';

/** What a session needs from its upstream beyond the SDK's Transport. */
export interface Upstream {
  transport: Transport;
  /** The child's pid for a stdio server, once spawned. */
  readonly pid: number | undefined;
  /** How the child ended, for a stdio server that has. */
  readonly exit: ChildExit | undefined;
  /**
   * Stops taking messages from the server until `resumeReading()` (backpressure from a slow client): a child's
   * stdout is no longer read, a remote server's response streams are no longer read.
   */
  pauseReading(): void;
  resumeReading(): void;
  readonly readingPaused: boolean;
}

export interface UpstreamHooks {
  onSpawn: (pid: number, command: string, args: string[]) => void;
  onStderrLine: (line: string) => void;
  /** A child's process tree could not be signalled (EPERM and the like). */
  onTreeSignalError: (message: string) => void;
  /** A line a stdio child wrote to stdout that is not a JSON-RPC message. */
  onStdoutLine: (line: string) => void;
  /** Whom a stdio child serves, as the process monitor lists it (a legacy session, or a shared modern child's channel). */
  processOwner?: Pick<WatchedChildInfo, 'sessionId' | 'era'>;
}

export interface UpstreamLimits {
  maxMessageBytes: number;
  killGraceMs: number;
  /** Records every child spawned and ended, so the next start can end what a crash left running. */
  childTracker?: ChildTracker;
  /** Sends the signals that end a child's tree; `process.kill` unless a test injects one. */
  signalProcess?: SignalProcess;
  /** Variables never passed to a child (the proxy's own secrets). */
  isPrivateEnv: (name: string, value: string) => boolean;
  /** Told of every stdio child's start, stderr and end (the process monitor, services/procmon). */
  processWatch?: ChildProcessWatch;
  /** OAuth for remote servers: their fetch attaches the server's token (absent: requests go as the catalog says). */
  remoteAuth?: RemoteAuth;
}

/** Builds the environment of a child: the proxy's own, minus its secrets, plus the entry's variables. */
export function childEnvironment(entryEnv: Record<string, string>, isPrivateEnv: UpstreamLimits['isPrivateEnv']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !isPrivateEnv(name, value)) env[name] = value;
  }
  for (const [name, value] of Object.entries(entryEnv)) {
    if (!isPrivateEnv(name, value)) env[name] = value;
  }
  return env;
}

/** Creates the (not yet started) upstream transport for one session of a catalog entry. */
export function createUpstream(entry: ServerEntry, hooks: UpstreamHooks, limits: UpstreamLimits): Upstream {
  if (entry.transport === 'stdio') {
    let watched: ReturnType<ChildProcessWatch['childStarted']> | undefined;
    const child: ChildProcessTransport = new ChildProcessTransport({
      command: entry.command,
      args: entry.args,
      env: childEnvironment(entry.env, limits.isPrivateEnv),
      cwd: entry.cwd,
      maxMessageBytes: limits.maxMessageBytes,
      killGraceMs: limits.killGraceMs,
      onSpawn: (pid) => {
        limits.childTracker?.spawned(pid, entry.command);
        const owner = hooks.processOwner ?? { sessionId: `pid:${pid}`, era: 'legacy' as const };
        watched = limits.processWatch?.childStarted({ pid, server: entry.name, command: entry.command, args: entry.args, ...owner });
        hooks.onSpawn(pid, entry.command, entry.args);
      },
      onFinished: (pid) => {
        limits.childTracker?.ended(pid);
        watched?.ended(child.exit);
      },
      onStderrLine: (line) => {
        watched?.stderrLine(line);
        hooks.onStderrLine(line);
      },
      signalProcess: limits.signalProcess,
      onTreeSignalError: hooks.onTreeSignalError,
      onStdoutLine: hooks.onStdoutLine,
    });
    return {
      transport: child,
      get pid() {
        return child.pid;
      },
      get exit() {
        return child.exit;
      },
      pauseReading: () => child.pauseReading(),
      resumeReading: () => child.resumeReading(),
      get readingPaused() {
        return child.readingPaused;
      },
    };
  }
  // A unix:// or pipe:// url (checked by the catalog schema) goes over its socket; the SDK sees an http URL.
  const socketTarget = parseSocketUrl(entry.url);
  const socket: SocketFetch | undefined = socketTarget.ok ? createSocketFetch(socketTarget.target) : undefined;
  const url = socket?.url ?? new URL(entry.url);
  const requestInit: RequestInit = { headers: entry.headers };
  const gate = new ReadGate();
  // Both SDK transports send requestInit headers on every request, the SSE event stream included.
  const transport = withReadableErrorPages((pageAwareFetch) => {
    const fetch = gatedFetch(gate, pageAwareFetch);
    return entry.transport === 'sse' ? new SSEClientTransport(url, { requestInit, fetch }) : new StreamableHTTPClientTransport(url, { requestInit, fetch });
  }, socket ? socket.fetch : limits.remoteAuth ? limits.remoteAuth.wrapFetch(entry.name, entry, fetch) : undefined);
  const close = transport.close.bind(transport);
  // A read waiting on the gate must not outlive the upstream.
  transport.close = async () => {
    gate.release();
    try {
      await close();
    } finally {
      await socket?.close();
    }
  };
  return {
    transport,
    pid: undefined,
    exit: undefined,
    pauseReading: () => gate.pause(),
    resumeReading: () => gate.resume(),
    get readingPaused() {
      return gate.isShut;
    },
  };
}
