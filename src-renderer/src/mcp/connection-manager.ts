/**
 * Keeps each server's MCP connection where the user wants it. Every server has a *desired* state and one
 * reconcile loop that does one operation at a time (open or close) until the actual state matches it, so any
 * burst of Connect/Disconnect presses ends in the state last asked for. A disconnect asked for while a connect
 * is under way aborts that connect (its transport is closed). Sessions this window opened but holds no client
 * for (a connect aborted just as the proxy answered) are found in the lifecycle events and ended.
 */

import type { ProtocolEra } from '../../../src-shared/protocol-era';

/** What the user asked for. */
export type Desired = 'connected' | 'disconnected';
/** What the loop is doing or has reached. */
export type Phase = 'idle' | 'connecting' | 'connected' | 'disconnecting';

/** A server's connection as the UI sees it. */
export interface ServerConnection {
  desired: Desired;
  phase: Phase;
  /** The proxy session of the held connection (a modern-era connection has none: that era has no sessions). */
  sessionId?: string;
  /** The era and protocol version the held connection negotiated, and who the server said it is. */
  era?: ProtocolEra;
  protocolVersion?: string;
  serverInfo?: { name: string; version: string };
  /** Counts the connections this server has held, so views keyed by it start afresh with each one. */
  serial: number;
  /** Why the last connect failed on the client side; cleared by the next attempt or a disconnect. */
  error?: string;
  /** When the last connect attempt started (ms since the epoch). */
  attemptStartedAt?: number;
}

/** An open MCP connection through the proxy. */
export interface OpenedConnection {
  /** The proxy session id (Mcp-Session-Id); undefined in the modern era, which has no sessions. */
  readonly sessionId: string | undefined;
  /** The era and protocol version it negotiated, and the server's name and version, where the driver knows them. */
  readonly era?: ProtocolEra;
  readonly protocolVersion?: string;
  readonly serverInfo?: { name: string; version: string };
  /** Ends the session politely (HTTP DELETE) and closes the client. */
  close(): Promise<void>;
  /** Closes the client only: the proxy has already ended the session. */
  discard(): Promise<void>;
}

/** How connections are made; the real one speaks MCP through the proxy, tests use a fake. */
export interface ConnectionDriver<C extends OpenedConnection = OpenedConnection> {
  /** Opens a connection. Must reject soon after `signal` aborts and leave nothing open behind. */
  open(server: string, signal: AbortSignal): Promise<C>;
  /** Ends a proxy session this window opened but holds no client for. */
  endSession(server: string, sessionId: string): Promise<void>;
}

/** A live proxy session of this window, as the lifecycle events report it. */
export interface OwnedSession {
  server: string;
  id: string;
}

export interface ConnectionManagerOptions<C extends OpenedConnection> {
  driver: ConnectionDriver<C>;
  /** The live sessions this window opened, from the lifecycle events; used to end orphans. */
  ownedLiveSessions?: () => readonly OwnedSession[];
  /** How long a connect may take. Default 30 s. */
  connectTimeoutMs?: number;
  now?: () => number;
}

const DISCONNECTED: ServerConnection = Object.freeze({ desired: 'disconnected', phase: 'idle', serial: 0 });
/** How many ended session ids are remembered (to skip them when sweeping). */
const REMEMBERED_IDS = 2000;

interface Slot<C> {
  desired: Desired;
  phase: Phase;
  conn?: C;
  /** Aborts the connect under way. */
  abort?: AbortController;
  running?: Promise<void>;
  error?: string;
  attemptStartedAt?: number;
  serial: number;
}

class CancelledConnect extends Error {
  constructor(readonly why: 'timeout' | 'cancelled') {
    super(why);
  }
}

/** See the module comment. */
export class ConnectionManager<C extends OpenedConnection = OpenedConnection> {
  private readonly slots = new Map<string, Slot<C>>();
  private readonly listeners = new Set<() => void>();
  private snapshot: Readonly<Record<string, ServerConnection>> = {};
  /** Sessions known to be over or being ended, so the sweep leaves them alone. */
  private readonly ended = new Set<string>();
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ConnectionManagerOptions<C>) {
    this.timeoutMs = options.connectTimeoutMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Asks for a server to be connected or disconnected; the server's loop gets there one step at a time. */
  setDesired(server: string, desired: Desired): void {
    const slot = this.slot(server);
    slot.desired = desired;
    if (desired === 'disconnected') {
      slot.error = undefined;
      slot.abort?.abort(new CancelledConnect('cancelled'));
    }
    this.changed();
    this.kick(server, slot);
  }

  connect(server: string): void {
    this.setDesired(server, 'connected');
  }

  disconnect(server: string): void {
    this.setDesired(server, 'disconnected');
  }

  /** Connects every server named (the caller leaves out disabled ones). */
  connectAll(servers: readonly string[]): void {
    for (const server of servers) this.setDesired(server, 'connected');
  }

  /** Disconnects every server this manager has touched. */
  disconnectAll(): void {
    for (const server of [...this.slots.keys()]) this.setDesired(server, 'disconnected');
  }

  /** The proxy ended a session (the lifecycle events say so): a held connection to it is dropped. */
  sessionEnded(sessionId: string): void {
    this.remember(sessionId);
    for (const slot of this.slots.values()) {
      if (slot.conn?.sessionId !== sessionId) continue;
      const conn = slot.conn;
      slot.conn = undefined;
      slot.desired = 'disconnected';
      if (slot.phase === 'connected') slot.phase = 'idle';
      void conn.discard().catch(() => undefined);
      this.changed();
    }
  }

  /**
   * The link to Patchbay was lost: the server is closing every session of this window. Every connect is aborted,
   * every client dropped, and every server set to disconnected.
   */
  resetAll(): void {
    for (const slot of this.slots.values()) {
      slot.desired = 'disconnected';
      slot.abort?.abort(new CancelledConnect('cancelled'));
      const conn = slot.conn;
      slot.conn = undefined;
      if (conn) {
        if (conn.sessionId) this.remember(conn.sessionId);
        void conn.discard().catch(() => undefined);
      }
      if (slot.phase === 'connected') slot.phase = 'idle';
    }
    this.changed();
  }

  /**
   * Ends live sessions of this window that no connection holds, unless their server is connecting (the session
   * may be the attempt under way). Call it whenever the lifecycle events change.
   */
  sweep(): void {
    const live = this.options.ownedLiveSessions?.() ?? [];
    for (const session of live) {
      if (this.ended.has(session.id)) continue;
      const slot = this.slots.get(session.server);
      if (slot && (slot.phase === 'connecting' || slot.conn?.sessionId === session.id)) continue;
      this.remember(session.id);
      void this.options.driver.endSession(session.server, session.id).catch(() => undefined);
    }
  }

  /** The open connection to a server, for views that talk to it (the inspector). */
  connection(server: string): C | undefined {
    return this.slots.get(server)?.conn;
  }

  /** A server's connection state. */
  get(server: string): ServerConnection {
    return this.snapshot[server] ?? DISCONNECTED;
  }

  /** Every server's connection state; a new object whenever anything changed (for React). */
  getSnapshot(): Readonly<Record<string, ServerConnection>> {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every loop has settled (for tests and orderly shutdown). */
  async settled(): Promise<void> {
    for (;;) {
      const running = [...this.slots.values()].map((slot) => slot.running).filter((loop): loop is Promise<void> => loop !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  private slot(server: string): Slot<C> {
    let slot = this.slots.get(server);
    if (!slot) {
      slot = { desired: 'disconnected', phase: 'idle', serial: 0 };
      this.slots.set(server, slot);
    }
    return slot;
  }

  private kick(server: string, slot: Slot<C>): void {
    if (slot.running) return;
    slot.running = this.reconcile(server, slot).finally(() => {
      slot.running = undefined;
      this.changed();
      // The loop is done: sessions that lost their client meanwhile can now be told apart.
      this.sweep();
    });
  }

  /** One server's loop: one operation at a time until the actual state is the desired one. */
  private async reconcile(server: string, slot: Slot<C>): Promise<void> {
    for (;;) {
      if (slot.desired === 'connected' && !slot.conn) {
        await this.openOnce(server, slot);
      } else if (slot.desired === 'disconnected' && slot.conn) {
        const conn = slot.conn;
        slot.conn = undefined;
        slot.phase = 'disconnecting';
        if (conn.sessionId) this.remember(conn.sessionId);
        this.changed();
        await conn.close().catch(() => undefined);
      } else {
        slot.phase = slot.conn ? 'connected' : 'idle';
        return;
      }
    }
  }

  private async openOnce(server: string, slot: Slot<C>): Promise<void> {
    const controller = new AbortController();
    slot.abort = controller;
    slot.phase = 'connecting';
    slot.error = undefined;
    slot.attemptStartedAt = this.now();
    this.changed();
    const timer = setTimeout(() => controller.abort(new CancelledConnect('timeout')), this.timeoutMs);
    try {
      const conn = await this.options.driver.open(server, controller.signal);
      if (controller.signal.aborted || (conn.sessionId !== undefined && this.ended.has(conn.sessionId))) {
        // Cancelled just as it succeeded, or the proxy ended the session before we held it.
        if (!controller.signal.aborted) slot.desired = 'disconnected';
        if (conn.sessionId) this.remember(conn.sessionId);
        await conn.close().catch(() => undefined);
      } else {
        slot.conn = conn;
        slot.serial += 1;
        slot.phase = 'connected';
      }
    } catch (error) {
      const reason: unknown = controller.signal.reason;
      if (reason instanceof CancelledConnect && reason.why === 'cancelled') {
        // The user changed their mind; the loop goes on to whatever is desired now.
      } else {
        slot.error = reason instanceof CancelledConnect ? `Connecting timed out after ${formatSeconds(this.timeoutMs)}` : errorText(error);
        // A failed connect is not retried on its own: the server shows the error and can be connected again.
        slot.desired = 'disconnected';
      }
    } finally {
      clearTimeout(timer);
      slot.abort = undefined;
      this.changed();
    }
  }

  private remember(sessionId: string): void {
    this.ended.add(sessionId);
    if (this.ended.size > REMEMBERED_IDS) this.ended.delete(this.ended.values().next().value as string);
  }

  private changed(): void {
    const next: Record<string, ServerConnection> = {};
    for (const [server, slot] of this.slots) {
      next[server] = {
        desired: slot.desired,
        phase: slot.phase,
        sessionId: slot.conn?.sessionId,
        era: slot.conn?.era,
        protocolVersion: slot.conn?.protocolVersion,
        serverInfo: slot.conn?.serverInfo,
        serial: slot.serial,
        error: slot.error,
        attemptStartedAt: slot.attemptStartedAt,
      };
    }
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
