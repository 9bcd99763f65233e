import type { ClientTransportKind, UpstreamTransportKind } from '../../../src-shared/catalog';
import { markStdoutLine } from '../../../src-shared/console-lines';
import { eventEra, type CloseReason, type LifecycleEvent, type SessionSnapshot, type SessionState } from '../../../src-shared/events';

/** stderr lines kept per session, as many as the proxy keeps. */
export const STDERR_LINES = 1000;
/** session-error messages kept per session. */
const ERROR_MESSAGES = 20;
/** Closed sessions remembered beyond the newest one of each server, so memory stays bounded over long runs. */
export const CLOSED_SESSIONS_KEPT = 100;

/** What the renderer knows about one proxy session, built only from the snapshot and lifecycle events. */
export interface SessionView {
  id: string;
  server: string;
  owner?: string;
  clientTransport?: ClientTransportKind;
  upstreamTransport?: UpstreamTransportKind;
  state: SessionState;
  /** The client's initialize request was answered (session-initialized). */
  initialized: boolean;
  pid?: number;
  /** When the session started (proxy clock, ms since the epoch). */
  startedAt: number;
  lastActivityAt: number;
  /** Messages from the client to the server: "out" from the renderer's point of view. */
  messagesOut: number;
  /** Messages from the server to the client: "in". */
  messagesIn: number;
  serverInfo?: { name: string; version: string };
  protocolVersion?: string;
  closeReason?: CloseReason;
  closeDetail?: string;
  exitCode?: number | null;
  signal?: string | null;
  /** The latest session-error messages, oldest first. */
  errors: string[];
  /** The last STDERR_LINES stderr lines, oldest first. */
  stderr: string[];
  /**
   * Whether `stderr` holds every line since the session started: true when we saw it start, false for sessions
   * first met in a snapshot until their earlier lines were fetched with getStderr.
   */
  stderrComplete: boolean;
  /** Arrival order, to break ties between sessions that started in the same millisecond. */
  order: number;
}

/** Every session the renderer knows of, and the sequence number of the last event included. */
export interface SessionsState {
  /** Events with a seq at or below this are already included (they were in the snapshot) and are skipped. */
  seq: number;
  sessions: Readonly<Record<string, SessionView>>;
  /** Counter behind SessionView.order. */
  nextOrder: number;
}

/** The state before any snapshot: nothing known. */
export const EMPTY_SESSIONS: SessionsState = { seq: 0, sessions: {}, nextOrder: 0 };

/**
 * Builds the state from a `getSessions()` snapshot. It replaces what the live sessions looked like; sessions we
 * knew as live that the snapshot no longer lists ended while we were not listening, so they are marked closed.
 * The seq is taken as is, not maxed, since a restarted proxy counts from zero again.
 */
export function applySnapshot(state: SessionsState, snapshot: { sessions: SessionSnapshot[]; seq: number }): SessionsState {
  const sessions: Record<string, SessionView> = {};
  let nextOrder = state.nextOrder;
  for (const [id, known] of Object.entries(state.sessions)) {
    sessions[id] = known.state === 'closed' ? known : { ...known, state: 'closed' };
  }
  for (const live of snapshot.sessions) {
    const known = state.sessions[live.id];
    sessions[live.id] = {
      id: live.id,
      server: live.server,
      owner: live.owner,
      clientTransport: live.clientTransport,
      upstreamTransport: live.upstreamTransport,
      state: live.state,
      initialized: live.initialized,
      pid: live.pid,
      startedAt: live.startedAt,
      lastActivityAt: live.lastActivityAt,
      messagesOut: live.clientToServer,
      messagesIn: live.serverToClient,
      serverInfo: live.serverInfo ? { name: live.serverInfo.name, version: live.serverInfo.version } : undefined,
      protocolVersion: live.protocolVersion ?? known?.protocolVersion,
      errors: known?.errors ?? [],
      stderr: known?.stderr ?? [],
      // Lines may have been written while we were not listening.
      stderrComplete: false,
      order: known?.order ?? nextOrder++,
    };
  }
  return prune({ seq: snapshot.seq, sessions, nextOrder });
}

/**
 * Applies lifecycle events in order. Events already included (seq at or below the state's seq) are skipped, so
 * events buffered while the snapshot was being fetched can be applied without counting anything twice.
 */
export function applyEvents(state: SessionsState, events: readonly LifecycleEvent[]): SessionsState {
  let seq = state.seq;
  let nextOrder = state.nextOrder;
  let sessions: Record<string, SessionView> | undefined;
  // Sessions already copied in this batch may be changed in place.
  const copied = new Set<string>();

  const touch = (event: LifecycleEvent): SessionView => {
    sessions ??= { ...state.sessions };
    const existing = sessions[event.sessionId];
    if (existing && copied.has(event.sessionId)) return existing;
    const view: SessionView = existing
      ? { ...existing, stderr: existing.stderr.slice(), errors: existing.errors.slice() }
      : {
          id: event.sessionId,
          server: event.server,
          // A session first met mid-way: we never saw it start.
          state: 'connecting',
          initialized: false,
          startedAt: event.at,
          lastActivityAt: event.at,
          messagesOut: 0,
          messagesIn: 0,
          errors: [],
          stderr: [],
          stderrComplete: event.type === 'session-connecting',
          order: nextOrder++,
        };
    sessions[event.sessionId] = view;
    copied.add(event.sessionId);
    return view;
  };

  for (const event of events) {
    if (event.seq <= seq) continue;
    seq = event.seq;
    // A modern-era event belongs to no session: its id names the channel of a stateless server (see events.ts).
    if (eventEra(event) === 'modern') continue;
    // A server's auth state (OAuth) belongs to no session either: its id is `auth:<server>`.
    if (event.type === 'auth-state') continue;
    // The process monitor's ticks are no news of the session (the Processes view reads them).
    if (event.type === 'process-sample') continue;
    // Nor does a server's fault plan: its id is `faults:<server>`.
    if (event.type === 'faults-changed') continue;
    const view = touch(event);
    switch (event.type) {
      case 'session-connecting':
        view.owner = event.owner;
        view.clientTransport = event.clientTransport;
        view.upstreamTransport = event.upstreamTransport;
        view.startedAt = event.at;
        view.lastActivityAt = event.at;
        break;
      case 'child-spawned':
        view.pid = event.pid;
        break;
      case 'upstream-ready':
        if (view.state === 'connecting') view.state = 'ready';
        break;
      case 'session-initialized':
        view.initialized = true;
        if (event.serverInfo) view.serverInfo = { name: event.serverInfo.name, version: event.serverInfo.version };
        view.protocolVersion = event.protocolVersion;
        break;
      case 'message':
        if (event.direction === 'client-to-server') view.messagesOut += 1;
        else view.messagesIn += 1;
        view.lastActivityAt = event.at;
        break;
      case 'stderr':
        // Stray stdout lines share the console, marked as the proxy marks them in its own buffer (the backfill).
        view.stderr.push(event.stream === 'stdout' ? markStdoutLine(event.line) : event.line);
        break;
      case 'session-error':
        view.errors.push(event.message);
        break;
      case 'session-closing':
        if (view.state !== 'closed') view.state = 'closing';
        view.closeReason = event.reason;
        view.closeDetail = event.detail;
        break;
      case 'session-closed':
        view.state = 'closed';
        view.closeReason = event.reason;
        view.closeDetail = event.detail ?? view.closeDetail;
        view.exitCode = event.exitCode;
        view.signal = event.signal;
        break;
    }
  }

  if (!sessions) return seq === state.seq ? state : { ...state, seq };
  for (const id of copied) {
    const view = sessions[id]!;
    if (view.stderr.length > STDERR_LINES) view.stderr = view.stderr.slice(-STDERR_LINES);
    if (view.errors.length > ERROR_MESSAGES) view.errors = view.errors.slice(-ERROR_MESSAGES);
  }
  return prune({ seq, sessions, nextOrder });
}

/**
 * Adds the stderr lines fetched with getStderr to a session first met in a snapshot. The fetch carries no seq,
 * so the live lines received meanwhile may repeat its tail: the longest overlap is dropped.
 */
export function applyStderrBackfill(state: SessionsState, sessionId: string, fetched: readonly string[]): SessionsState {
  const view = state.sessions[sessionId];
  if (!view || view.stderrComplete) return state;
  const stderr = mergeStderr(fetched, view.stderr).slice(-STDERR_LINES);
  return { ...state, sessions: { ...state.sessions, [sessionId]: { ...view, stderr, stderrComplete: true } } };
}

/** Joins earlier lines with live ones, dropping the longest suffix of `earlier` that `live` starts with. */
export function mergeStderr(earlier: readonly string[], live: readonly string[]): string[] {
  const max = Math.min(earlier.length, live.length);
  for (let overlap = max; overlap > 0; overlap -= 1) {
    let same = true;
    for (let i = 0; i < overlap; i += 1) {
      if (earlier[earlier.length - overlap + i] !== live[i]) {
        same = false;
        break;
      }
    }
    if (same) return [...earlier, ...live.slice(overlap)];
  }
  return [...earlier, ...live];
}

/** The newest session of a server opened by `owner`, live or closed. */
export function newestOwnedSession(state: SessionsState, server: string, owner: string): SessionView | undefined {
  let newest: SessionView | undefined;
  for (const view of Object.values(state.sessions)) {
    if (view.server !== server || view.owner !== owner) continue;
    if (!newest || view.startedAt > newest.startedAt || (view.startedAt === newest.startedAt && view.order > newest.order)) newest = view;
  }
  return newest;
}

/**
 * The newest live session of `server` that another window (or another client of the proxy) opened, ready or
 * connecting: each window drives the servers through its own sessions, so this one can only show it and offer to
 * open its own.
 */
export function newestSessionElsewhere(state: SessionsState, server: string, owner: string): SessionView | undefined {
  let newest: SessionView | undefined;
  for (const view of Object.values(state.sessions)) {
    if (view.server !== server || view.owner === owner || view.state === 'closing' || view.state === 'closed') continue;
    if (!newest || view.startedAt > newest.startedAt || (view.startedAt === newest.startedAt && view.order > newest.order)) newest = view;
  }
  return newest;
}

/** The sessions opened by `owner` that are not closed yet. */
export function liveOwnedSessions(state: SessionsState, owner: string): SessionView[] {
  return Object.values(state.sessions).filter((view) => view.owner === owner && view.state !== 'closed');
}

/** Forgets the oldest closed sessions beyond CLOSED_SESSIONS_KEPT, always keeping each server's newest session. */
function prune(state: SessionsState): SessionsState {
  const all = Object.values(state.sessions);
  const closed = all.filter((view) => view.state === 'closed');
  if (closed.length <= CLOSED_SESSIONS_KEPT) return state;
  const newestPerServer = new Map<string, SessionView>();
  for (const view of all) {
    const current = newestPerServer.get(`${view.owner ?? ''}\0${view.server}`);
    if (!current || view.startedAt > current.startedAt || (view.startedAt === current.startedAt && view.order > current.order)) {
      newestPerServer.set(`${view.owner ?? ''}\0${view.server}`, view);
    }
  }
  const keep = new Set([...newestPerServer.values()].map((view) => view.id));
  const removable = closed.filter((view) => !keep.has(view.id)).sort((a, b) => a.order - b.order);
  const excess = closed.length - CLOSED_SESSIONS_KEPT;
  const sessions = { ...state.sessions };
  for (const view of removable.slice(0, excess)) delete sessions[view.id];
  return { ...state, sessions };
}
