import { Client, StreamableHTTPClientTransport, type CallToolResult, type Tool } from '@modelcontextprotocol/client';
import { ServerEntrySchema, type RemoteServerEntry } from '../../src-shared/catalog';
import type { ServerAuthState } from '../../src-shared/oauth';
import { versionNegotiationFor, type ProtocolEra } from '../../src-shared/protocol-era';
import { describeZodError } from '../../src-shared/zod-errors';
import { createStaticCatalog } from '../services/config';
import { DEFAULT_SESSION_SETTINGS, startProxy, type RunningProxy } from '../services/proxy/proxy-server';
import { errorMessage } from '../services/proxy/proxy-utils';
import type { ConnectOptions } from './connect-args';

/** Who the command's client says it is. */
const CLIENT_INFO = { name: 'mcp-patchbay-connect', version: '0.1.0' };

/** Pages of tools/list read at most: a server that pages for ever must not keep the command running. */
const MAX_TOOL_PAGES = 100;

/** What one run of `connect` did, as printed (text or --json). */
export interface ConnectReport {
  ok: boolean;
  url: string;
  transport: ConnectOptions['transport'];
  /** The era the connection spoke, and its protocol version. */
  era?: ProtocolEra;
  protocolVersion?: string;
  server?: { name: string; version: string };
  /** How the proxy signed in for the server, when it asked (the last auth state: never a token). */
  auth?: ServerAuthState;
  tools: Array<{ name: string; description?: string }>;
  call?: { tool: string; isError: boolean; content: CallToolResult['content']; structuredContent?: unknown };
  /** What went wrong, as one sentence, when ok is false. */
  error?: string;
}

/** What a caller hears while the run goes on. */
export interface ConnectHooks {
  /** The server's auth state changed (a flow started, a step ran, the browser is awaited, signed in or failed). */
  onAuthState?(state: ServerAuthState): void;
}

/** The one catalog entry the run's proxy serves. */
export function connectEntry(options: ConnectOptions): RemoteServerEntry {
  const parsed = ServerEntrySchema.safeParse({
    name: serverNameFor(options.url),
    transport: options.transport,
    url: options.url,
    headers: {},
    protocolEra: options.era,
    // What the user gave for OAuth; the proxy's engine does the rest when the server asks for it.
    ...(Object.keys(options.oauth).length > 0 ? { oauth: options.oauth } : {}),
  });
  // connect-args checked the URL already; what is left to refuse is said the catalog's way.
  if (!parsed.success) throw new Error(`the server cannot be served: ${describeZodError(parsed.error)}`);
  return parsed.data as RemoteServerEntry;
}

/** The catalog name of the server: its host, as the messages of the proxy then name it. */
export function serverNameFor(url: string): string {
  try {
    return new URL(url).host || 'server';
  } catch {
    return 'server';
  }
}

/**
 * Starts a proxy of its own, in this process, that serves the one server (nothing written to disk), connects a real
 * SDK client to it through the proxy, lists the tools (and calls one when asked), and ends every session it opened.
 * Never throws: a failure is the report's `error`.
 */
export async function runConnect(options: ConnectOptions, hooks: ConnectHooks = {}): Promise<ConnectReport> {
  const report: ConnectReport = { ok: false, url: options.url, transport: options.transport, tools: [] };
  let proxy: RunningProxy | undefined;
  let client: Client | undefined;
  let transport: StreamableHTTPClientTransport | undefined;
  let stopWatching = (): void => undefined;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  try {
    const entry = connectEntry(options);
    // The proxy may wait as long as the run does: a sign-in a person completes in the browser happens inside the
    // upstream's connect (or the request that met the 401).
    const waitMs = Math.max(options.timeoutMs, DEFAULT_SESSION_SETTINGS.connectTimeoutMs);
    proxy = await startProxy({
      catalog: createStaticCatalog([entry]),
      port: 0,
      idleTimeoutMs: 0,
      session: { connectTimeoutMs: waitMs, initializeTimeoutMs: waitMs, maxRequestAgeMs: Math.max(waitMs, DEFAULT_SESSION_SETTINGS.maxRequestAgeMs) },
    });
    stopWatching = proxy.bus.subscribe((event) => {
      if (event.type !== 'auth-state' || event.state.serverId !== entry.name) return;
      report.auth = event.state;
      hooks.onAuthState?.(event.state);
    });
    const endpoint = new URL(`${proxy.url}/servers/${encodeURIComponent(entry.name)}/mcp`);
    transport = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers: { Authorization: `Bearer ${proxy.token}` } } });
    client = new Client(CLIENT_INFO, { capabilities: {}, versionNegotiation: { mode: versionNegotiationFor(options.era) } });
    const requestOptions = { signal: deadline, timeout: options.timeoutMs };
    await untilDeadline(client.connect(transport, requestOptions), deadline, options.timeoutMs, 'connecting');
    report.era = client.getProtocolEra() ?? 'legacy';
    report.protocolVersion = client.getNegotiatedProtocolVersion();
    const info = client.getServerVersion();
    if (info) report.server = { name: info.name, version: info.version };
    report.tools = (await untilDeadline(listAllTools(client, requestOptions), deadline, options.timeoutMs, 'listing the tools')).map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
    }));
    if (options.call) {
      const { tool, args } = options.call;
      const result = (await untilDeadline(client.callTool({ name: tool, arguments: args }, requestOptions), deadline, options.timeoutMs, `calling ${tool}`)) as CallToolResult;
      report.call = { tool, isError: result.isError === true, content: result.content, ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}) };
      if (result.isError === true) throw new Error(`the tool "${tool}" answered with an error`);
    }
    report.ok = true;
  } catch (error) {
    report.error = errorMessage(error);
  } finally {
    await endSessions(client, transport);
    await proxy?.close();
    stopWatching();
  }
  return report;
}

/** Every page of tools/list, up to MAX_TOOL_PAGES. */
async function listAllTools(client: Client, requestOptions: { signal: AbortSignal; timeout: number }): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page += 1) {
    const result = await client.listTools(cursor === undefined ? {} : { cursor }, requestOptions);
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined) return tools;
  }
  throw new Error(`the server kept paging tools/list after ${MAX_TOOL_PAGES} pages`);
}

/** The client's session on the proxy ends (DELETE for a legacy one), then the client closes. */
async function endSessions(client: Client | undefined, transport: StreamableHTTPClientTransport | undefined): Promise<void> {
  if (transport?.sessionId) await transport.terminateSession().catch(() => undefined);
  await client?.close().catch(() => undefined);
}

/** Rejects with a sentence naming what was under way when the run's time is up. */
function untilDeadline<T>(work: Promise<T>, deadline: AbortSignal, timeoutMs: number, doing: string): Promise<T> {
  if (deadline.aborted) return Promise.reject(new Error(`gave up ${doing}: the ${timeoutMs / 1000} s of --timeout are over`));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error(`gave up ${doing}: the ${timeoutMs / 1000} s of --timeout are over`));
    deadline.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        deadline.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        deadline.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
