import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express, { type NextFunction, type Request, type Response } from 'express';
import { parseFaultPlan } from '../../../src-shared/faults';
import { toPublicServerEntry, type ClientTransportKind, type ServerEntry } from '../../../src-shared/catalog';
import { JSON_RPC_ERRORS, type JsonRpcId } from '../../../src-shared/jsonrpc';
import { resolvePlaceholders } from '../config/placeholders';
import { DEFAULT_EVENT_QUEUE_LIMITS, type EventQueueLimits } from '../events/bounded-event-queue';
import { directPostMessage } from './direct-post';
import { EventBus } from './event-bus';
import { hotPost } from './hot-post';
import { serveEventStream } from './event-stream';
import { advertiseKeepAlive, applyKeepAlivePolicy } from './http-keep-alive';
import { bearerAuth, isLoopbackHostname, originGuard, passesGuardsQuietly, sendJsonRpcError } from './http-guards';
import { ProxySession } from './proxy-session';
import { errorMessage } from './proxy-utils';
import type { SessionSettings } from './session-settings';
import { defaultSharedChildFactory } from './modern/default-shared-child';
import { ModernEvents } from './modern/modern-events';
import { ModernLedger } from './modern/modern-ledger';
import { classifyPost } from './modern/modern-request';
import { serveModernPost, type ModernRouteOptions } from './modern/modern-route';
import { ModernUpstreams } from './modern/modern-upstreams';
import type { SharedChildFactory } from './modern/shared-child-contract';
import { checkSseMessagePost } from './sse-message-check';
import { EndProcessError, ProcessMonitor, type ProcessMonitorOptions } from '../procmon/process-monitor';
import { pidFromPath, PidSchema } from '../../../src-shared/processes';
import { FaultPlans, faultPlanProblem, FaultPlanError } from './faults/fault-plans';
import { mountFaultRoutes } from './faults/fault-routes';
import { SessionRegistry } from './session-registry';
import type { SseWriter } from './sse-writer';

/** Where the proxy reads its catalog from; the proxy only ever starts servers found here. */
export interface CatalogSource {
  list(): ServerEntry[];
  get(name: string): ServerEntry | undefined;
}

/** Options of `startProxy`; every number has a sensible default. */
export interface ProxyOptions {
  catalog: CatalogSource;
  /** Interface to bind; loopback unless the caller insists. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one. Default 0. */
  port?: number;
  /** Bearer token; undefined generates one, null turns authentication off (loopback only). */
  token?: string | null;
  /** Origins besides loopback pages allowed to call the proxy (for example the desktop app's own). */
  allowedOrigins?: string[];
  /** Sessions with no traffic for this long are closed; 0 disables. Default 30 minutes. */
  idleTimeoutMs?: number;
  /** Largest HTTP body accepted from a client. Default 8 MiB. */
  maxBodyBytes?: number;
  /** Events queued for one slow `/api/events` reader before they are dropped and counted. Default 10,000 events, 8 MiB. */
  eventQueue?: Partial<EventQueueLimits>;
  /** The bus to emit lifecycle events on; one is created when absent. */
  bus?: EventBus;
  session?: Partial<SessionSettings>;
  /** Answers to VS Code `${input:id}` placeholders by server (services/inputs); a start that used them spends one-connect answers. */
  inputAnswers?: { answersFor(server: string): Readonly<Record<string, string>>; spend(server: string): void };
  /** Modern-era (MCP 2026-07-28) tunables. */
  modern?: Partial<ModernOptions>;
  /** Tunables of the process monitor of the stdio children (services/procmon). */
  processMonitor?: Omit<ProcessMonitorOptions, 'emit'>;
  /** Fault plans to start with, by server name (serve's `--fault`/`--faults`); each is checked as a PUT would be. */
  faults?: Record<string, unknown>;
  /** Mounts routes that need no token (for example the web UI's static files). */
  publicRoutes?: (app: express.Express) => void;
  /** Mounts more token-protected routes (for example web mode's api bridge). */
  privateRoutes?: (app: express.Express) => void;
}

/** Tunables of the modern era's path. */
export interface ModernOptions {
  /** How long a stdio server may take to answer the proxy's server/discover before it counts as legacy-only. */
  probeTimeoutMs: number;
  /** Makes the shared child that serves a stdio server's modern requests (tests may pass their own settings). */
  sharedChildFactory: SharedChildFactory;
}

/** A running proxy. */
export interface RunningProxy {
  /** Base URL, for example http://127.0.0.1:6277 */
  url: string;
  host: string;
  port: number;
  token: string | null;
  bus: EventBus;
  sessions: SessionRegistry;
  /** What serves modern requests: a shared child per stdio server, the remote servers' targets. */
  modern: ModernUpstreams;
  /** The modern requests in flight. */
  modernRequests: ModernLedger;
  /** The stdio children's processes: trees, CPU, memory, leaks (services/procmon; `watch` is the stress runner's hook). */
  processes: ProcessMonitor;
  /** Every server's fault plan (off unless set). */
  faults: FaultPlans;
  /** The open `/api/events` streams, for their queue figures. */
  eventReaders(): SseWriter[];
  /** The underlying HTTP server; read its timeouts, do not close it (use `close`). */
  httpServer: Server;
  /** Closes every session (ending every child) and stops listening. Safe to call repeatedly. */
  close(): Promise<void>;
}

/** Defaults for sessions, exported for the CLI's help text and for tests. */
export const DEFAULT_SESSION_SETTINGS: Omit<SessionSettings, 'isPrivateEnv'> = {
  connectTimeoutMs: 30_000,
  closingGraceMs: 2_000,
  initializeTimeoutMs: 30_000,
  maxRequestAgeMs: 10 * 60_000,
  eventBodyMaxBytes: 256 * 1024,
  stderrLines: 1_000,
  connectQueueMaxMessages: 1_000,
  connectQueueMaxBytes: 16 * 1024 * 1024,
  clientBacklogMaxBytes: 4 * 1024 * 1024,
  standaloneStreamWaitMs: 10_000,
  standaloneHoldMaxMessages: 1_000,
  standaloneHoldMaxBytes: 8 * 1024 * 1024,
  maxMessageBytes: 64 * 1024 * 1024,
  killGraceMs: 2_000,
};

/** Header a client sends with its first request to say who owns the session (an app window's id). */
export const OWNER_HEADER = 'X-Patchbay-Owner';

/** Env variable through which a token can be handed to the proxy; never passed on to children. */
export const TOKEN_ENV = 'PATCHBAY_TOKEN';

/** A proxy option that cannot work (for example --no-auth on a public interface). */
export class ProxyConfigError extends Error {
  override readonly name = 'ProxyConfigError';
}

/**
 * Makes a random per-launch token. Never one that starts with "-": pasted after `--token` it would read as a flag
 * (node's parseArgs refuses it as ambiguous), which broke one restart in 64.
 */
export function generateToken(): string {
  for (;;) {
    const token = randomBytes(24).toString('base64url');
    if (!token.startsWith('-')) return token;
  }
}

/**
 * Starts the MCP proxy: Streamable HTTP at `/servers/{id}/mcp`, HTTP+SSE at `/servers/{id}/sse` with
 * `/servers/{id}/messages`, control endpoints under `/api`, and `/health`. Each client session gets its own
 * upstream (one child process per stdio session).
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token === undefined ? generateToken() : options.token;
  const loopback = isLoopbackHostname(host);
  if (token === null && !loopback) {
    throw new ProxyConfigError(`refusing to run without authentication on ${host}: --no-auth is only allowed on a loopback host`);
  }
  if (token !== null && !/^[\x21-\x7e]+$/.test(token)) {
    throw new ProxyConfigError('the token must be non-empty printable ASCII without spaces');
  }
  const bus = options.bus ?? new EventBus();
  const registry = new SessionRegistry();
  const faultPlans = new FaultPlans(bus);
  for (const [server, plan] of Object.entries(options.faults ?? {})) {
    const entry = options.catalog.get(server);
    if (!entry) throw new FaultPlanError(`a fault plan names the server "${server}", which is not in the config`);
    const parsed = parseFaultPlan(plan);
    if (!parsed.ok) throw new FaultPlanError(`the fault plan of "${server}" is wrong: ${parsed.message}`);
    const problem = faultPlanProblem(entry, parsed.plan);
    if (problem) throw new FaultPlanError(problem);
    faultPlans.set(server, parsed.plan);
  }
  // The token never reaches a child: not through its environment, nor through a placeholder filled from ours.
  const isPrivateEnv = (name: string, value: string): boolean => name === TOKEN_ENV || (token !== null && value.includes(token));
  const fillPlaceholders: NonNullable<SessionSettings['resolveEntry']> = (entry) =>
    resolvePlaceholders(entry, { env: process.env, inputs: options.inputAnswers?.answersFor(entry.name), isPrivateEnv });
  // Samples only while someone watches; its ticks go out as process-sample events.
  const processes = new ProcessMonitor({ ...options.processMonitor, emit: (event) => bus.emit(event) });
  const settings: SessionSettings = {
    ...DEFAULT_SESSION_SETTINGS,
    processWatch: processes,
    resolveEntry: (entry) => {
      const outcome = fillPlaceholders(entry);
      if (outcome.ok) options.inputAnswers?.spend(entry.name);
      return outcome;
    },
    faultSlot: (server) => faultPlans.slot(server),
    ...options.session,
    isPrivateEnv,
  };
  // Only a legacy session's start spends the answers given for one connect. The modern path reads them: an Auto
  // connect first asks server/discover of a child of its own and must leave them to the initialize that follows
  // when the server speaks only the legacy era, and a modern server's shared child needs them again to restart.
  const modernSettings: SessionSettings = { ...settings, resolveEntry: options.session?.resolveEntry ?? fillPlaceholders };
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const modernEvents = new ModernEvents(bus, settings.eventBodyMaxBytes);
  const modernUpstreams = new ModernUpstreams({
    resolveEntry: modernSettings.resolveEntry,
    childFactory: options.modern?.sharedChildFactory ?? defaultSharedChildFactory(modernSettings),
    events: modernEvents,
    probeTimeoutMs: options.modern?.probeTimeoutMs ?? 10_000,
    remoteAuth: settings.remoteAuth,
  });
  const modernLedger = new ModernLedger();
  const modernRoute: ModernRouteOptions = { upstreams: modernUpstreams, events: modernEvents, ledger: modernLedger, maxBacklogBytes: settings.clientBacklogMaxBytes, ownerHeader: OWNER_HEADER, maxRequestAgeMs: settings.maxRequestAgeMs };
  let shuttingDown = false;

  const app = express();
  app.disable('x-powered-by');
  app.use(advertiseKeepAlive);
  app.set('etag', false);
  // Bound beyond loopback on purpose: clients will name this machine's address in Host; the token still gates all.
  app.use(originGuard(options.allowedOrigins ?? [], !loopback));
  app.get('/health', (_req, res) => {
    res.json({ status: shuttingDown ? 'stopping' : 'ok', service: 'mcp-patchbay-proxy' });
  });
  options.publicRoutes?.(app);
  app.use(bearerAuth(token));
  // Express answers HEAD with the GET route, which here opens a stream (and starts a server) whose headers a HEAD
  // never flushes: the client would wait forever. Nothing behind the token has a use for HEAD.
  app.use((req, res, next) => {
    if (req.method !== 'HEAD') return next();
    res.setHeader('Allow', 'GET, POST, DELETE');
    sendJsonRpcError(res, 405, `Method Not Allowed: HEAD ${req.path}; use GET`);
  });
  // The Streamable HTTP hot path goes ahead of the routes (hot-post.ts); none mounted below may match its path.
  // With no public routes (which may set headers of their own) before the guards, it goes ahead of Express itself.
  const hot = hotPost(registry, maxBodyBytes, express.json({ limit: maxBodyBytes, type: ['application/json', 'application/*+json'] }));
  const aheadOfExpress = options.publicRoutes === undefined;
  if (!aheadOfExpress) app.use((req, res, next) => hot.handle(req, res, next));
  const jsonBody = hot.jsonBody;
  options.privateRoutes?.(app);

  // Control API.
  app.get('/api/servers', (_req, res) => {
    res.json({ servers: options.catalog.list().map(toPublicServerEntry) });
  });
  app.get('/api/sessions', (_req, res) => {
    res.json({ sessions: registry.list().map((session) => session.snapshot()) });
  });
  app.get('/api/shared-children', (_req, res) => {
    res.json({ children: modernUpstreams.sharedChildren(), requests: modernLedger.list() });
  });
  // The process monitor: `?server=NAME` one server's children, `?watch=SECONDS` samples for that long (at most an
  // hour) and answers after a fresh sample, so a test suite can record its server's trees and read their leaks.
  app.get('/api/processes', guarded(async (req, res) => {
    const server = typeof req.query.server === 'string' && req.query.server !== '' ? req.query.server : undefined;
    if (req.query.watch !== undefined) {
      const seconds = Number(req.query.watch);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) return sendJsonRpcError(res, 400, `Bad Request: watch must be a number of seconds from 1 to 3600, not "${String(req.query.watch)}"`);
      processes.lease(seconds * 1000);
      await processes.sampleNow();
    }
    await processes.refreshLeaks();
    res.json(processes.snapshot(server));
  }));
  app.post('/api/processes/:pid/end', guarded(async (req, res) => {
    const pid = PidSchema.safeParse(pidFromPath(String(req.params.pid)));
    if (!pid.success) return sendJsonRpcError(res, 400, `Bad Request: "${String(req.params.pid)}" is not a pid: ${pid.error.issues[0]?.message ?? 'invalid'}`);
    try {
      res.json(await processes.end(pid.data));
    } catch (error) {
      if (!(error instanceof EndProcessError)) throw error;
      sendJsonRpcError(res, error.status, error.message);
    }
  }));
  mountFaultRoutes(app, options.catalog, faultPlans, jsonBody);
  app.get('/api/sessions/:sessionId/stderr', (req, res) => {
    const session = registry.get(req.params.sessionId);
    if (!session) return sessionNotFound(res, req.params.sessionId);
    res.json({ lines: session.stderr.toArray(), dropped: session.stderr.droppedCount });
  });
  const eventQueueLimits: EventQueueLimits = { ...DEFAULT_EVENT_QUEUE_LIMITS, ...options.eventQueue };
  const eventReaders = new Set<SseWriter>();
  app.get('/api/events', (req, res) => {
    const reader = serveEventStream(req, res, bus, () => registry.list().map((session) => session.snapshot()), eventQueueLimits);
    eventReaders.add(reader);
    reader.onClose(() => eventReaders.delete(reader));
  });

  // Streamable HTTP. A request naming its session finds it by id alone: the catalog is only consulted to open a
  // new session, so a server removed, renamed, disabled or edited meanwhile never strands a live one.
  app.post('/servers/:id/mcp', jsonBody, guarded(async (req, res) => {
    const sessionId = req.header('mcp-session-id');
    if (sessionId !== undefined) {
      const session = findSession(req, res, sessionId, 'streamable-http');
      if (!session) return;
      // The hot path: one message to a ready session, answered without the SDK's transport (see direct-post.ts).
      const direct = session.acceptsDirectPost ? directPostMessage(req, req.body) : undefined;
      if (direct) return session.receiveDirectPost(direct, res);
      const ids = requestIds(req.body);
      session.delivery.requestStreamOpened(ids, res);
      if (ids.length > 0) session.watchRequestStream(res, ids);
      await (session.transport as StreamableHTTPServerTransport).handleRequest(req, res, req.body);
      return;
    }
    // Without a session, a request that declares MCP 2026-07-28 is a stateless modern one (modern/).
    const classified = classifyPost(req.body, (name) => req.header(name));
    if (classified.era === 'modern') {
      const modernEntry = findServer(req, res);
      if (!modernEntry) return;
      if (shuttingDown) return sendJsonRpcError(res, 503, 'Patchbay is shutting down', JSON_RPC_ERRORS.upstreamError);
      await serveModernPost(req, res, modernEntry, classified, modernRoute);
      return;
    }
    const entry = findServer(req, res);
    if (!entry) return;
    if (!containsInitialize(req.body)) {
      sendJsonRpcError(res, 400, 'Bad Request: no Mcp-Session-Id header; a new session must start with an initialize request');
      return;
    }
    if (shuttingDown) return sendJsonRpcError(res, 503, 'Patchbay is shutting down', JSON_RPC_ERRORS.upstreamError);
    const id = randomUUID();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id });
    const session = openSession(id, entry, transport, 'streamable-http', req, res);
    if (!session) return;
    // A client that gives up before its initialize is answered leaves nothing behind.
    res.on('close', () => {
      if (!session.initialized) void session.close('client-aborted-connect');
    });
    const ids = requestIds(req.body);
    session.delivery.requestStreamOpened(ids, res);
    session.watchRequestStream(res, ids);
    await transport.handleRequest(req, res, req.body);
  }));
  app.get('/servers/:id/mcp', guarded(async (req, res) => {
    const session = findSession(req, res, req.header('mcp-session-id'), 'streamable-http');
    if (!session) return;
    // The standalone stream (only an accepted one, an event stream, is ever written to).
    session.watchEventStream(res);
    const streaming = (session.transport as StreamableHTTPServerTransport).handleRequest(req, res);
    // Messages held for the standalone stream go out as soon as the SDK has taken it.
    session.delivery.standaloneStreamOpened(res);
    await streaming;
  }));
  app.delete('/servers/:id/mcp', guarded(async (req, res) => {
    const session = findSession(req, res, req.header('mcp-session-id'), 'streamable-http');
    if (!session) return;
    await session.close('client-deleted');
    res.status(200).end();
  }));

  // HTTP+SSE (the 2024-11-05 transport).
  app.get('/servers/:id/sse', guarded(async (req, res) => {
    const entry = findServer(req, res);
    if (!entry) return;
    if (shuttingDown) return sendJsonRpcError(res, 503, 'Patchbay is shutting down', JSON_RPC_ERRORS.upstreamError);
    const transport = new SSEServerTransport(`/servers/${encodeURIComponent(entry.name)}/messages`, res);
    // The event stream is the session's one stream: everything for the client goes there.
    const session = openSession(transport.sessionId, entry, transport, 'sse', req, res);
    session?.delivery.standaloneStreamOpened(res);
    session?.watchEventStream(res);
  }));
  app.post('/servers/:id/messages', jsonBody, guarded(async (req, res) => {
    const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : undefined;
    const session = findSession(req, res, sessionId, 'sse');
    if (!session) return;
    // Past its event stream the SDK's transport would answer a bare 500; the client is owed why instead.
    if (!session.clientConnected) return sendJsonRpcError(res, 404, `Session ${session.id} is closed: ${session.closedMessage()}`, JSON_RPC_ERRORS.sessionNotFound);
    const problem = checkSseMessagePost(req);
    if (problem) return sendJsonRpcError(res, problem.status, problem.message);
    try {
      await (session.transport as SSEServerTransport).handlePostMessage(req, res, req.body);
    } catch (error) {
      // The transport has already answered (its stream is gone); the session's own close path reports the rest.
      if (!res.headersSent) sendJsonRpcError(res, 410, `the session's event stream is closed: ${errorMessage(error)}`, JSON_RPC_ERRORS.sessionNotFound);
    }
  }));

  app.use((req, res) => sendJsonRpcError(res, 404, `Not found: ${req.method} ${req.path}`));
  app.use((error: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      sendJsonRpcError(res, 413, `Payload too large: the body exceeds the ${formatBytes(maxBodyBytes)} limit`);
    } else if (error.type === 'entity.parse.failed') {
      sendJsonRpcError(res, 400, `Parse error: the body is not valid JSON (${error.message})`, JSON_RPC_ERRORS.parseError);
    } else {
      sendJsonRpcError(res, error.status ?? 500, `Internal error: ${error.message}`, JSON_RPC_ERRORS.internalError);
    }
  });

  function openSession(
    id: string,
    entry: ServerEntry,
    transport: SSEServerTransport | StreamableHTTPServerTransport,
    kind: ClientTransportKind,
    req: Request,
    res: Response,
  ): ProxySession | undefined {
    const owner = req.header(OWNER_HEADER) || undefined;
    if (owner && registry.isGoneOwner(owner)) {
      sendJsonRpcError(res, 409, 'the window that asked for this session has closed', JSON_RPC_ERRORS.sessionNotFound);
      return undefined;
    }
    const session = new ProxySession(id, entry, transport, kind, bus, settings, (closed) => registry.remove(closed), owner);
    registry.add(session);
    void session.open();
    return session;
  }

  function findServer(req: Request, res: Response): ServerEntry | undefined {
    const name = String(req.params.id);
    const entry = options.catalog.get(name);
    if (!entry) {
      sendJsonRpcError(res, 404, `Unknown server "${name}": it is not in the catalog`);
      return undefined;
    }
    if (entry.disabled) {
      sendJsonRpcError(res, 409, `Server "${name}" is disabled in the catalog`);
      return undefined;
    }
    return entry;
  }

  /**
   * The session a request names, by its id alone. It must have been opened at this URL (the server's name when it
   * opened) and over this transport, so messages never cross sessions; the catalog as it is now plays no part.
   */
  function findSession(req: Request, res: Response, sessionId: string | undefined, kind: ClientTransportKind): ProxySession | undefined {
    if (!sessionId) {
      sendJsonRpcError(res, 400, kind === 'sse' ? 'Bad Request: the sessionId query parameter is required' : 'Bad Request: the Mcp-Session-Id header is required');
      return undefined;
    }
    const session = registry.get(sessionId);
    if (!session || session.server !== String(req.params.id) || session.clientTransport !== kind) {
      sessionNotFound(res, sessionId);
      return undefined;
    }
    return session;
  }

  function sessionNotFound(res: Response, sessionId: string): void {
    const why = registry.closedReason(sessionId);
    sendJsonRpcError(res, 404, why ? `Session ${sessionId} is closed: ${why}` : `Session not found: ${sessionId}`, JSON_RPC_ERRORS.sessionNotFound);
  }

  const expectedToken = token === null ? null : Buffer.from(token);
  const requestListener: RequestListener = !aheadOfExpress
    ? app
    : (req, res) => {
        // Only a request the guards would let by without a word; everything else meets them in Express.
        if (!passesGuardsQuietly(req, !loopback, expectedToken)) return void app(req, res);
        advertiseKeepAlive(req as Request, res as Response, () => undefined);
        hot.handle(req, res, () => void app(req, res));
      };
  const server = await listen(requestListener, host, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  registry.startIdleReaper(options.idleTimeoutMs ?? 30 * 60_000);
  modernUpstreams.startIdleReaper(options.idleTimeoutMs ?? 30 * 60_000);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      registry.stopIdleReaper();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([registry.closeAll('shutdown'), modernUpstreams.closeAll('Patchbay is shutting down')]);
      processes.close();
      server.closeAllConnections();
      await stopped;
    })();
    return closing;
  };

  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${urlHost}:${port}`, host, port, token, bus, sessions: registry, modern: modernUpstreams, modernRequests: modernLedger, processes, faults: faultPlans, eventReaders: () => [...eventReaders], httpServer: server, close };
}

/** Wraps an async route so a throw becomes a 500 answer instead of an unhandled rejection. */
function guarded(handler: (req: Request, res: Response) => Promise<void>) {
  return (req: Request, res: Response): void => {
    handler(req, res).catch((error: unknown) => {
      sendJsonRpcError(res, 500, `Internal error: ${errorMessage(error)}`, JSON_RPC_ERRORS.internalError);
    });
  };
}

/** Ids of the requests in a POST body (one message or a batch): their answers go on this POST's response. */
function requestIds(body: unknown): JsonRpcId[] {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  return messages.flatMap((message) => {
    const { method, id } = (typeof message === 'object' && message !== null ? message : {}) as { method?: unknown; id?: unknown };
    return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? [id] : [];
  });
}

function containsInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((message) => typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'initialize');
}

function listen(requestListener: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(requestListener);
    server.listen(port, host);
    applyKeepAlivePolicy(server);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(0)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
