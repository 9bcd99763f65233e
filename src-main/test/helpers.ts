import { createServer, type AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { ClientTransportKind, ServerEntry } from '../../src-shared/catalog';
import type { LifecycleEvent } from '../../src-shared/events';
import { startProxy, type ProxyOptions, type RunningProxy } from '../services/proxy/proxy-server';
import {
  FIXTURE_SERVER,
  MODERN_FIXTURE_SERVER,
  SURFACE_FIXTURE_SERVER,
  isAlive,
  processesMatching,
  startModernRemoteFixture as startTaggedModernRemoteFixture,
  startRemoteFixture as startTaggedRemoteFixture,
  type ModernRemoteFixture,
  type RemoteFixture,
} from './processes';

export { FIXTURE_SERVER, MODERN_FIXTURE_SERVER, SURFACE_FIXTURE_SERVER, isAlive, processesMatching };

/** Marks the fixture processes this test run starts, so leak checks ignore anyone else's. */
export const RUN_TAG = `--patchbay-test-run=${process.pid}`;

/** A catalog entry that starts the dual-era fixture server (SDK 2.x) over stdio. */
export function modernFixtureEntry(name = 'modern-fixture', env: Record<string, string> = {}): ServerEntry {
  return { name, transport: 'stdio', command: process.execPath, args: [MODERN_FIXTURE_SERVER, RUN_TAG], env };
}

/** A catalog entry that starts the surface fixture (FIXTURE_SURFACE v1 or v2) over stdio. */
export function surfaceFixtureEntry(name: string, surface: 'v1' | 'v2', protocolEra?: ServerEntry['protocolEra']): ServerEntry {
  return { name, transport: 'stdio', command: process.execPath, args: [SURFACE_FIXTURE_SERVER, RUN_TAG], env: { FIXTURE_SURFACE: surface }, ...(protocolEra ? { protocolEra } : {}) };
}

/** A catalog entry that starts the fixture server over stdio. */
export function fixtureEntry(name = 'fixture', env: Record<string, string> = {}): ServerEntry {
  return { name, transport: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, RUN_TAG], env };
}

/** A proxy with a fixed catalog, and a record of every lifecycle event it emitted. */
export interface TestProxy extends RunningProxy {
  events: LifecycleEvent[];
  entries: ServerEntry[];
}

/** Starts a proxy on 127.0.0.1 with the given catalog; the caller closes it. */
export async function startTestProxy(entries: ServerEntry[], options: Partial<ProxyOptions> = {}): Promise<TestProxy> {
  const proxy = await startProxy({
    catalog: { list: () => entries, get: (name) => entries.find((entry) => entry.name === name) },
    ...options,
  });
  const events: LifecycleEvent[] = [];
  proxy.bus.subscribe((event) => events.push(event));
  return Object.assign(proxy, { events, entries });
}

export interface ConnectOptions {
  capabilities?: ClientCapabilities;
  /** Called with the client before connecting, to register request handlers. */
  prepare?: (client: Client) => void;
}

/** A connected SDK client and how to end its session the way a polite client does. */
export interface TestClient {
  client: Client;
  transport: StreamableHTTPClientTransport | SSEClientTransport;
  close(): Promise<void>;
}

/** The client-facing URL of a server in the proxy. */
export function serverUrl(proxy: RunningProxy, server: string, kind: ClientTransportKind): URL {
  return new URL(`${proxy.url}/servers/${encodeURIComponent(server)}/${kind === 'sse' ? 'sse' : 'mcp'}`);
}

/** Builds a client transport to the proxy carrying the bearer token. */
export function clientTransport(proxy: RunningProxy, server: string, kind: ClientTransportKind): StreamableHTTPClientTransport | SSEClientTransport {
  const headers = { Authorization: `Bearer ${proxy.token}` };
  const url = serverUrl(proxy, server, kind);
  if (kind === 'streamable-http') return new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  // The SDK sends requestInit headers on the event stream too.
  return new SSEClientTransport(url, { requestInit: { headers } });
}

/** Connects an SDK client to a server through the proxy. */
export async function connectClient(proxy: RunningProxy, server: string, kind: ClientTransportKind, options: ConnectOptions = {}): Promise<TestClient> {
  const client = new Client({ name: 'patchbay-test', version: '0.0.0' }, { capabilities: options.capabilities ?? {} });
  options.prepare?.(client);
  const transport = clientTransport(proxy, server, kind);
  await client.connect(transport);
  return {
    client,
    transport,
    async close() {
      if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}

/** The first text of a tool result. */
export function firstText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.find((item) => item.type === 'text')?.text ?? '';
}

/** Polls until the predicate holds, or fails with the message after the timeout. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, message: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Pids of this run's fixture-server processes that are still running. */
export function fixtureProcesses(): number[] {
  return processesMatching(RUN_TAG);
}

/** Pids the proxy reported spawning. */
export function spawnedPids(events: LifecycleEvent[]): number[] {
  return events.flatMap((event) => (event.type === 'child-spawned' ? [event.pid] : []));
}

/** Asserts nothing is left: no session in the registry, no fixture process in the OS, no spawned pid alive. */
export async function expectNothingLeft(proxy: TestProxy, exceptPids: number[] = []): Promise<void> {
  const leftover = () => fixtureProcesses().filter((pid) => !exceptPids.includes(pid));
  await waitFor(() => proxy.sessions.size === 0, `the session map to empty (still ${proxy.sessions.size})`);
  await waitFor(() => spawnedPids(proxy.events).every((pid) => !isAlive(pid)), 'every spawned child to exit');
  await waitFor(() => leftover().length === 0, `no fixture process left (still ${leftover().join(', ')})`);
  // Every session that began ended exactly once.
  const began = proxy.events.filter((event) => event.type === 'session-connecting').map((event) => event.sessionId);
  const ended = proxy.events.filter((event) => event.type === 'session-closed').map((event) => event.sessionId);
  if (new Set(ended).size !== ended.length || began.some((id) => !ended.includes(id))) {
    throw new Error(`sessions did not end exactly once: began ${began.length}, ended ${ended.length} (${new Set(ended).size} distinct)`);
  }
}

/** Starts the fixture as a remote server for this run (Streamable HTTP at /mcp, HTTP+SSE at /sse). */
export function startRemoteFixture(env: Record<string, string> = {}): Promise<RemoteFixture> {
  return startTaggedRemoteFixture(RUN_TAG, env);
}

/** Starts the dual-era fixture as a remote server for this run (both eras at /mcp). */
export function startModernRemoteFixture(env: Record<string, string> = {}): Promise<ModernRemoteFixture> {
  return startTaggedModernRemoteFixture(RUN_TAG, env);
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Sends one raw HTTP request to the proxy and returns status, headers and the body text. */
export async function rawRequest(
  proxy: RunningProxy,
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? proxy.token : init.token;
  if (token !== null) headers.set('Authorization', `Bearer ${token}`);
  const response = await fetch(`${proxy.url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

/** An SSE event read off a raw response. */
export interface RawSseEvent {
  event: string;
  data: string;
}

/** Reads Server-Sent Events off a raw fetch response, keeping its place between calls. */
export class SseReader {
  readonly events: RawSseEvent[] = [];
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';

  constructor(response: Response) {
    this.reader = response.body!.getReader();
  }

  /** Reads until `done` holds for the events read so far, the stream ends, or the timeout passes. */
  async until(done: (events: RawSseEvent[]) => boolean, timeoutMs = 10_000): Promise<RawSseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.events)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out after ${timeoutMs} ms reading events (got ${JSON.stringify(this.events)})`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), remaining))),
      ]).finally(() => clearTimeout(timer));
      if (chunk === 'timeout') continue;
      if (chunk.done) break;
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      this.parse();
    }
    return this.events;
  }

  private parse(): void {
    let boundary = this.buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) this.events.push({ event, data: data.join('\n') });
      boundary = this.buffer.indexOf('\n\n');
    }
  }

  /** Stops reading and releases the connection. */
  async close(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}

/** Reads events from a response until `done` holds, then releases it. */
export async function readSseEvents(response: Response, done: (events: RawSseEvent[]) => boolean, timeoutMs = 10_000): Promise<RawSseEvent[]> {
  const reader = new SseReader(response);
  try {
    return await reader.until(done, timeoutMs);
  } finally {
    await reader.close();
  }
}

/** A minimal initialize request, as a raw client would send it. */
export function initializeRequest(id: number | string = 1): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '0.0.0' } },
  };
}

/** Headers a raw Streamable HTTP client sends. */
export function streamableHeaders(proxy: RunningProxy, sessionId?: string): Record<string, string> {
  return {
    Authorization: `Bearer ${proxy.token}`,
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    ...(sessionId ? { 'Mcp-Session-Id': sessionId, 'Mcp-Protocol-Version': '2025-06-18' } : {}),
  };
}
