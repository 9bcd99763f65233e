import { Client, StreamableHTTPClientTransport, type CallToolResult, type Tool } from '@modelcontextprotocol/client';
import { ServerEntrySchema, type RemoteServerEntry } from '../../src-shared/catalog';
import type { ServerAuthState } from '../../src-shared/oauth';
import { versionNegotiationFor, type ProtocolEra } from '../../src-shared/protocol-era';
import { describeZodError } from '../../src-shared/zod-errors';
import { createStaticCatalog } from '../services/config';
import { emitAuthStates, headlessOpener, startOAuth, type OAuthEngine } from '../services/oauth';
import { EventBus } from '../services/proxy/event-bus';
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
  /**
   * How the proxy signed in for the server, when it asked: the last auth state (never a token), its steps those of
   * every flow of the run (a step-up's after the first sign-in's).
   */
  auth?: ServerAuthState;
  /** Absent until the tools were listed. */
  tools?: Array<{ name: string; description?: string }>;
  call?: { tool: string; isError: boolean; content: CallToolResult['content']; structuredContent?: unknown };
  /** What went wrong, as one sentence, when ok is false. */
  error?: string;
}

/** What a caller hears while the run goes on. */
export interface ConnectHooks {
  /** The server's auth state changed (a flow started, a step ran, the browser is awaited, signed in or failed). */
  onAuthState?(state: ServerAuthState): void;
  /**
   * The authorization server wants a person (a sign-in page): open this URL in a browser; the run waits for the
   * redirect to its loopback address until --timeout. The CLI prints it.
   */
  onSignInUrl?(url: string, why: string): void;
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
  const report: ConnectReport = { ok: false, url: options.url, transport: options.transport };
  const steps = new Map<string, ServerAuthState['steps'][number]>();
  let proxy: RunningProxy | undefined;
  let client: Client | undefined;
  let transport: StreamableHTTPClientTransport | undefined;
  let stopWatching = (): void => undefined;
  let oauth: OAuthEngine | undefined;
  const deadline = AbortSignal.timeout(options.timeoutMs);
  try {
    const entry = connectEntry(options);
    // The proxy may wait as long as the run does: a sign-in a person completes in the browser happens inside the
    // upstream's connect (or the request that met the 401).
    const waitMs = Math.max(options.timeoutMs, DEFAULT_SESSION_SETTINGS.connectTimeoutMs);
    const catalog = createStaticCatalog([entry]);
    // Signing in is the proxy's: inline (a 401 starts the flow and the request is retried), tokens in memory only.
    oauth = await startOAuth({ catalog, policy: 'inline', openBrowser: signInOpener(hooks), browserTimeoutMs: waitMs });
    const bus = new EventBus();
    emitAuthStates(oauth.service, bus);
    stopWatching = bus.subscribe((event) => {
      if (event.type !== 'auth-state' || event.state.serverId !== entry.name) return;
      for (const step of event.state.steps) steps.set(step.id, step);
      report.auth = { ...event.state, steps: [...steps.values()] };
      hooks.onAuthState?.(event.state);
    });
    proxy = await startProxy({
      catalog,
      bus,
      port: 0,
      idleTimeoutMs: 0,
      session: {
        remoteAuth: oauth.remoteAuth,
        connectTimeoutMs: waitMs,
        initializeTimeoutMs: waitMs,
        maxRequestAgeMs: Math.max(waitMs, DEFAULT_SESSION_SETTINGS.maxRequestAgeMs),
      },
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
    report.error = explainFailure(errorMessage(error), report.auth);
  } finally {
    await endSessions(client, transport);
    await proxy?.close();
    oauth?.service.close();
    stopWatching();
  }
  return report;
}

/**
 * Opens the authorization URL without a person (the authorization server approves at once: its redirect reaches the
 * loopback receiver); where it shows a page instead, the URL goes to the person, and the flow waits for the redirect.
 */
function signInOpener(hooks: ConnectHooks): (url: string) => Promise<void> {
  const headless = headlessOpener();
  return async (url) => {
    try {
      await headless(url);
    } catch (error) {
      hooks.onSignInUrl?.(url, errorMessage(error));
    }
  };
}

/**
 * The sentence of a failed run: what the sign-in broke, when it was that (the client only hears the proxy's 502 or
 * the server's 401/403), else what the client was told.
 */
export function explainFailure(clientError: string, auth: ServerAuthState | undefined): string {
  const last = auth?.steps.at(-1);
  const why = last?.state === 'failed' ? last.failure?.message : auth?.status === 'failed' ? auth.error : undefined;
  return why ? `signing in failed: ${why} (the client was told: ${clientError})` : clientError;
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
