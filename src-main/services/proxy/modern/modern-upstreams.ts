import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RemoteServerEntry, ServerEntry, StdioServerEntry } from '../../../../src-shared/catalog';
import type { SharedChildSnapshot } from '../../../../src-shared/events';
import { JSON_RPC_ERRORS, type JsonRpcEnvelope } from '../../../../src-shared/jsonrpc';
import { errorMessage, formatSeconds } from '../proxy-utils';
import type { RemoteAuth } from '../remote-auth';
import type { SessionSettings } from '../session-settings';
import type { ModernEvents } from './modern-events';
import { modernChannelId } from './modern-events';
import { FIRST_MODERN_VERSION, isModernVersion, META_KEYS } from './modern-request';
import { remoteTarget, type RemoteTarget } from './remote-upstream';
import type { SharedChild, SharedChildFactory, SharedChildReport } from './shared-child-contract';
import { ToolParamHeaders } from './tool-param-headers';

/** Why a server's modern requests cannot be served, as the client is told. */
export interface UpstreamRefusal {
  status: number;
  code: number;
  message: string;
}

export type Resolved<T> = { ok: true; value: T } | ({ ok: false } & UpstreamRefusal);

interface StdioSlot {
  kind: 'stdio';
  /** The catalog entry it was made from, as JSON: an edited entry gets a new child. */
  key: string;
  child?: SharedChild;
  era: 'modern' | 'legacy' | 'unknown';
  /** Set while the first request asks the child whether it speaks the modern era. */
  probing?: Promise<void>;
  legacyReason?: string;
  /** Why the child could not start while it was being asked: no verdict on its era, the next request asks again. */
  startFailure?: string;
  /** When a request last asked for it: a child nobody asked for in the idle timeout is ended. */
  lastUsedAt: number;
  /** The versions the child's server/discover answer named (a modern server's). */
  supportedVersions?: readonly string[];
  /** Restarts and the last exit outlive a child closed for speaking only the legacy era. */
  lastSnapshot?: ReturnType<SharedChild['snapshot']>;
}

interface RemoteSlot {
  kind: 'remote';
  key: string;
  target: RemoteTarget;
}

export interface ModernUpstreamsOptions {
  resolveEntry: SessionSettings['resolveEntry'];
  childFactory: SharedChildFactory;
  events: ModernEvents;
  /** How long a stdio server may take to answer the proxy's server/discover before it counts as legacy-only. */
  probeTimeoutMs: number;
  /** OAuth for remote servers (their token attached to each POST). */
  remoteAuth?: RemoteAuth;
}

/**
 * Which upstream serves a server's modern requests: one shared child per stdio server, made on the first modern
 * request, asked once with server/discover whether it speaks the modern era (a server that does not is told apart
 * at once, with a clear error, and its child ended); and the target of a remote server, with its placeholders filled
 * once. Everything of a server leaves when it is removed, edited or disabled (`closeServer`), or the proxy stops.
 */
export class ModernUpstreams {
  private readonly slots = new Map<string, StdioSlot | RemoteSlot>();
  private closed = false;
  private reaper?: NodeJS.Timeout;
  /** What each stdio server's tools mirror into Mcp-Param-* headers, for the proxy to check in its place. */
  readonly toolHeaders = new ToolParamHeaders();

  constructor(private readonly options: ModernUpstreamsOptions) {}

  /** The shared child of a stdio server, known to speak the modern era, or why its modern requests are refused. */
  async stdioChild(entry: StdioServerEntry): Promise<Resolved<SharedChild>> {
    const key = JSON.stringify(entry);
    let slot = this.slots.get(entry.name);
    if (slot && slot.key !== key) {
      await this.closeServer(entry.name, 'its catalog entry changed');
      slot = undefined;
    }
    if (this.closed) return { ok: false, ...shuttingDown() };
    if (!slot) {
      const resolved = this.resolve(entry);
      if (!resolved.ok) return resolved;
      const stdioSlot: StdioSlot = { kind: 'stdio', key, era: 'unknown', lastUsedAt: Date.now() };
      stdioSlot.child = this.options.childFactory(resolved.value as StdioServerEntry, (report) => this.reportChild(entry.name, report));
      stdioSlot.probing = this.probe(entry.name, stdioSlot);
      this.slots.set(entry.name, stdioSlot);
      slot = stdioSlot;
    }
    if (slot.kind !== 'stdio') return { ok: false, status: 500, code: JSON_RPC_ERRORS.internalError, message: `"${entry.name}" changed its transport` };
    slot.lastUsedAt = Date.now();
    if (slot.era === 'unknown' && !slot.probing && slot.child) slot.probing = this.probe(entry.name, slot);
    await slot.probing;
    if (this.slots.get(entry.name) !== slot) return { ok: false, ...closedMeanwhile(entry.name) };
    if (slot.era === 'legacy') return { ok: false, ...legacyOnly(entry.name, slot.legacyReason ?? 'it did not answer server/discover') };
    if (slot.era === 'unknown') {
      // A server that cannot start is not a legacy one: the client hears why, and the next request tries again.
      return { ok: false, status: 502, code: JSON_RPC_ERRORS.upstreamError, message: `"${entry.name}" could not start: ${slot.startFailure ?? 'its process ended before it answered'}` };
    }
    if (!slot.child) return { ok: false, ...closedMeanwhile(entry.name) };
    slot.lastUsedAt = Date.now();
    return { ok: true, value: this.keepingTime(slot, slot.child) };
  }

  /**
   * Why a stdio server's modern request is refused for the protocol version it claims, or undefined when the server
   * named that version. One child serves every client, and a stdio server may check the version only on its first
   * request (the SDK's does), so the proxy, the HTTP endpoint here, checks each request as the binding requires.
   */
  unsupportedVersion(server: string, requested: unknown): UpstreamRefusal & { data: { supported: readonly string[]; requested: string } } | undefined {
    const slot = this.slots.get(server);
    const supported = slot?.kind === 'stdio' ? slot.supportedVersions : undefined;
    if (!supported || typeof requested !== 'string' || supported.includes(requested)) return undefined;
    return {
      status: 400,
      code: JSON_RPC_ERRORS.unsupportedProtocolVersion,
      message: `Unsupported protocol version: ${requested} ("${server}" supports ${supported.join(', ')})`,
      data: { supported, requested },
    };
  }

  /** Where a remote server is reached, its placeholders filled the first time. */
  remoteTarget(entry: RemoteServerEntry): Resolved<RemoteTarget> {
    if (this.closed) return { ok: false, ...shuttingDown() };
    const key = JSON.stringify(entry);
    const slot = this.slots.get(entry.name);
    if (slot?.kind === 'remote' && slot.key === key) return { ok: true, value: slot.target };
    if (slot) void this.closeServer(entry.name, 'its catalog entry changed');
    const resolved = this.resolve(entry);
    if (!resolved.ok) return resolved;
    const target = remoteTarget(resolved.value as RemoteServerEntry, this.options.remoteAuth);
    this.slots.set(entry.name, { kind: 'remote', key, target });
    return { ok: true, value: target };
  }

  /** Ends what serves a server's modern requests: open requests are answered with the reason, its child ends. */
  async closeServer(server: string, detail: string): Promise<void> {
    const slot = this.slots.get(server);
    this.toolHeaders.forget(server);
    if (!slot) return;
    this.slots.delete(server);
    if (slot.kind === 'remote') {
      await slot.target.close().catch(() => undefined);
      return;
    }
    await slot.child?.close(detail);
  }

  /**
   * Ends the shared children that served nothing for longer than `idleMs` (0 disables), as idle sessions are closed:
   * the next request starts the server again.
   */
  startIdleReaper(idleMs: number): void {
    clearInterval(this.reaper);
    this.reaper = undefined;
    if (idleMs <= 0) return;
    this.reaper = setInterval(() => this.reapIdle(Date.now(), idleMs), Math.max(50, Math.min(30_000, Math.floor(idleMs / 4))));
    this.reaper.unref();
  }

  private reapIdle(now: number, idleMs: number): void {
    for (const [server, slot] of this.slots) {
      if (slot.kind !== 'stdio' || !slot.child || slot.probing) continue;
      const { inFlight, waiting } = slot.child.snapshot();
      if (inFlight + waiting > 0) {
        slot.lastUsedAt = now;
        continue;
      }
      if (now - slot.lastUsedAt <= idleMs) continue;
      this.options.events.error(server, modernChannelId(server), `the shared server process of "${server}" served no request for ${formatSeconds(idleMs)}; ended it (the next request starts it again)`);
      void this.closeServer(server, `no request for ${formatSeconds(idleMs)}`);
    }
  }

  /** Ends everything, for a proxy that stops; later requests are refused. */
  async closeAll(detail: string): Promise<void> {
    this.closed = true;
    this.startIdleReaper(0);
    await Promise.all([...this.slots.keys()].map((server) => this.closeServer(server, detail)));
  }

  /** The shared children, as the control API reports them. */
  sharedChildren(): SharedChildSnapshot[] {
    return [...this.slots.entries()].flatMap(([server, slot]) => {
      if (slot.kind !== 'stdio') return [];
      const state = slot.child?.snapshot() ?? slot.lastSnapshot;
      return [
        {
          server,
          channelId: modernChannelId(server),
          state: slot.child ? (slot.era === 'unknown' ? 'probing' : (state?.state ?? 'idle')) : 'closed',
          pid: state?.pid,
          restarts: state?.restarts ?? 0,
          inFlight: slot.child ? (state?.inFlight ?? 0) + (state?.waiting ?? 0) : 0,
          startedAt: state?.startedAt,
          lastExit: state?.lastExit?.reason,
          serverEra: slot.era,
        },
      ];
    });
  }

  /** Children alive now (a leak check for tests: 0 once every server was closed). */
  get liveChildren(): number {
    return [...this.slots.values()].filter((slot) => slot.kind === 'stdio' && slot.child !== undefined).length;
  }

  /** The child, noting when each request it serves ends: idle time counts from the last answer, not the last ask. */
  private keepingTime(slot: StdioSlot, child: SharedChild): SharedChild {
    return {
      request: (message, deliver, signal, options) => child.request(message, deliver, signal, options).finally(() => (slot.lastUsedAt = Date.now())),
      notify: (message, options) => child.notify(message, options),
      close: (detail) => child.close(detail),
      snapshot: () => child.snapshot(),
    };
  }

  private resolve(entry: ServerEntry): Resolved<ServerEntry> {
    const resolved = this.options.resolveEntry ? this.options.resolveEntry(entry) : { ok: true as const, entry };
    if (!resolved.ok) return { ok: false, status: 502, code: JSON_RPC_ERRORS.upstreamError, message: `"${entry.name}" cannot start: ${resolved.message}` };
    return { ok: true, value: resolved.entry };
  }

  /**
   * Asks a new child `server/discover`. A DiscoverResult naming a modern version, or an UnsupportedProtocolVersion
   * error listing one, is a modern server; anything else (another error, no answer in time, a child that exits) is a
   * server of the legacy era only, as the stdio binding's backward compatibility tells them apart.
   */
  private async probe(server: string, slot: StdioSlot): Promise<void> {
    const child = slot.child!;
    slot.startFailure = undefined;
    let answer: JsonRpcEnvelope | undefined;
    const timeout = AbortSignal.timeout(this.options.probeTimeoutMs);
    await child.request(discoverRequest(), (message: JSONRPCMessage) => (answer = message as JsonRpcEnvelope), timeout);
    if (this.slots.get(server) !== slot) return;
    slot.probing = undefined;
    if (slot.startFailure !== undefined) return;
    const verdict = discoverVerdict(answer, this.options.probeTimeoutMs);
    slot.era = verdict.modern ? 'modern' : 'legacy';
    if (verdict.modern) {
      slot.supportedVersions = verdict.supportedVersions;
      return;
    }
    slot.legacyReason = verdict.reason;
    this.options.events.error(server, modernChannelId(server), `"${server}" speaks only the legacy era of MCP: ${verdict.reason}; its modern requests are refused, its legacy sessions are not affected`);
    slot.lastSnapshot = child.snapshot();
    slot.child = undefined;
    await child.close('it speaks only the legacy era').catch((error: unknown) => this.options.events.error(server, modernChannelId(server), errorMessage(error)));
  }

  private reportChild(server: string, report: SharedChildReport): void {
    const channel = modernChannelId(server);
    const { events } = this.options;
    switch (report.type) {
      case 'started':
        events.emit(server, channel, { type: 'child-spawned', pid: report.pid, command: report.command, args: report.args });
        return;
      case 'stderr':
        events.emit(server, channel, { type: 'stderr', stream: report.stream, line: report.line });
        return;
      case 'start-failed': {
        const slot = this.slots.get(server);
        if (slot?.kind === 'stdio' && slot.era === 'unknown') slot.startFailure = report.message;
        events.error(server, channel, `the shared server process of "${server}" could not start: ${report.message}`);
        return;
      }
      case 'exited':
        if (report.expected) return;
        events.error(server, channel, `the shared server process of "${server}" (pid ${report.pid}) ${report.reason}${report.failedRequests > 0 ? `; ${report.failedRequests} requests in flight failed` : ''}`);
        return;
      case 'restarting':
        events.error(server, channel, `starting the shared server process of "${server}" again in ${formatSeconds(report.delayMs)} (attempt ${report.attempt}): ${report.reason}`);
        return;
      case 'protocol':
        events.error(server, channel, report.message);
        return;
    }
  }
}

function discoverRequest(): JSONRPCRequest {
  return {
    jsonrpc: '2.0',
    id: 'patchbay-era-probe',
    method: 'server/discover',
    params: {
      _meta: {
        [META_KEYS.protocolVersion]: FIRST_MODERN_VERSION,
        [META_KEYS.clientInfo]: { name: 'mcp-patchbay', version: '0' },
        [META_KEYS.clientCapabilities]: {},
      },
    },
  } as JSONRPCRequest;
}

function discoverVerdict(answer: JsonRpcEnvelope | undefined, timeoutMs: number): { modern: true; supportedVersions: string[] } | { modern: false; reason: string } {
  if (answer === undefined) return { modern: false, reason: `it did not answer server/discover within ${formatSeconds(timeoutMs)}` };
  const versionsOf = (versions: unknown): string[] => (Array.isArray(versions) ? versions.filter((version): version is string => typeof version === 'string') : []);
  const modern = (versions: string[]): boolean => versions.some((version) => isModernVersion(version));
  if (answer.result !== undefined) {
    const versions = versionsOf((answer.result as { supportedVersions?: unknown }).supportedVersions);
    if (modern(versions)) return { modern: true, supportedVersions: versions };
    return { modern: false, reason: 'its answer to server/discover names no modern protocol version' };
  }
  const error = answer.error;
  const offered = versionsOf((error?.data as { supported?: unknown } | undefined)?.supported);
  if (error?.code === JSON_RPC_ERRORS.unsupportedProtocolVersion && modern(offered)) return { modern: true, supportedVersions: offered };
  return { modern: false, reason: `it answered server/discover with "${error?.message ?? 'an error'}"${error ? ` (${error.code})` : ''}` };
}

function legacyOnly(server: string, reason: string): UpstreamRefusal {
  return {
    status: 400,
    code: JSON_RPC_ERRORS.invalidRequest,
    message: `"${server}" speaks only the legacy era of MCP (2025-11-25 and earlier): ${reason}. Connect to it with initialize.`,
  };
}

function closedMeanwhile(server: string): UpstreamRefusal {
  return { status: 503, code: JSON_RPC_ERRORS.upstreamError, message: `the shared server process of "${server}" was closed while the request waited for it` };
}

function shuttingDown(): UpstreamRefusal {
  return { status: 503, code: JSON_RPC_ERRORS.upstreamError, message: 'Patchbay is shutting down' };
}
