import { describe, expect, it } from 'vitest';
import type { LifecycleEvent, LifecycleEventInput, SessionSnapshot } from '../../../src-shared/events';
import {
  CLOSED_SESSIONS_KEPT,
  EMPTY_SESSIONS,
  STDERR_LINES,
  applyEvents,
  applySnapshot,
  applyStderrBackfill,
  liveOwnedSessions,
  mergeStderr,
  newestOwnedSession,
  newestSessionElsewhere,
  type SessionsState,
} from './session-events';
import { deriveServerStatus, errorHint, sessionStatus } from './server-status';
import { describeServer, elsewhereLabel } from './server-view';

const ME = 'owner-me-123456';
const OTHER = 'owner-other-123456';

/** Stamps events with consecutive seq numbers and times, as the proxy's bus does. */
function stamp(start: number, inputs: LifecycleEventInput[]): LifecycleEvent[] {
  return inputs.map((input, index) => ({ ...input, seq: start + index, at: 1000 + start + index }) as LifecycleEvent);
}

const connecting = (sessionId: string, server: string, owner?: string): LifecycleEventInput => ({
  type: 'session-connecting',
  sessionId,
  server,
  clientTransport: 'streamable-http',
  upstreamTransport: 'stdio',
  owner,
});

function connectAndInitialize(sessionId: string, server: string, owner = ME): LifecycleEventInput[] {
  return [
    connecting(sessionId, server, owner),
    { type: 'child-spawned', sessionId, server, pid: 4242, command: 'node', args: ['server.js'] },
    { type: 'upstream-ready', sessionId, server, connectMs: 12 },
    { type: 'message', sessionId, server, direction: 'client-to-server', kind: 'request', method: 'initialize', id: 0, size: 100 },
    { type: 'message', sessionId, server, direction: 'server-to-client', kind: 'response', id: 0, size: 200 },
    { type: 'session-initialized', sessionId, server, serverInfo: { name: 'everything', version: '2.0.0' }, protocolVersion: '2025-06-18' },
    { type: 'message', sessionId, server, direction: 'client-to-server', kind: 'notification', method: 'notifications/initialized', size: 50 },
  ];
}

const snapshotSession = (overrides: Partial<SessionSnapshot>): SessionSnapshot => ({
  id: 's1',
  server: 'alpha',
  clientTransport: 'streamable-http',
  upstreamTransport: 'stdio',
  state: 'ready',
  owner: ME,
  pid: 99,
  startedAt: 500,
  lastActivityAt: 600,
  clientToServer: 3,
  serverToClient: 2,
  pendingRequests: 0,
  initialized: true,
  serverInfo: { name: 'alpha-server', version: '1.0.0' },
  ...overrides,
});

describe('applyEvents', () => {
  it('follows a session from connecting to ready, counting messages per direction', () => {
    const state = applyEvents(EMPTY_SESSIONS, stamp(1, connectAndInitialize('s1', 'alpha')));
    const view = state.sessions.s1!;
    expect(view).toMatchObject({
      server: 'alpha',
      owner: ME,
      state: 'ready',
      initialized: true,
      pid: 4242,
      messagesOut: 2,
      messagesIn: 1,
      serverInfo: { name: 'everything', version: '2.0.0' },
      protocolVersion: '2025-06-18',
      stderrComplete: true,
    });
    expect(view.lastActivityAt).toBe(1007);
    expect(state.seq).toBe(7);
    expect(sessionStatus(view)).toEqual({ status: 'ready' });
  });

  it('shows connecting until initialize is answered, even when the upstream is up', () => {
    const state = applyEvents(EMPTY_SESSIONS, stamp(1, connectAndInitialize('s1', 'alpha').slice(0, 3)));
    expect(state.sessions.s1!.state).toBe('ready');
    expect(sessionStatus(state.sessions.s1)).toEqual({ status: 'connecting' });
  });

  it('skips events at or below the seq it already has, so nothing counts twice', () => {
    const events = stamp(1, connectAndInitialize('s1', 'alpha'));
    const once = applyEvents(EMPTY_SESSIONS, events);
    const twice = applyEvents(once, events);
    expect(twice).toBe(once);
    const overlapping = applyEvents(applyEvents(EMPTY_SESSIONS, events.slice(0, 5)), events.slice(3));
    expect(overlapping.sessions.s1!.messagesOut).toBe(2);
    expect(overlapping.sessions.s1!.messagesIn).toBe(1);
  });

  it('does not change the previous state (it is immutable for React)', () => {
    const first = applyEvents(EMPTY_SESSIONS, stamp(1, connectAndInitialize('s1', 'alpha')));
    const before = JSON.stringify(first);
    applyEvents(first, stamp(8, [{ type: 'stderr', sessionId: 's1', server: 'alpha', line: 'hello' }]));
    expect(JSON.stringify(first)).toBe(before);
  });

  it('keeps only the last STDERR_LINES stderr lines', () => {
    const lines = Array.from({ length: STDERR_LINES + 5 }, (_, i): LifecycleEventInput => ({ type: 'stderr', sessionId: 's1', server: 'alpha', line: `line ${i}` }));
    const state = applyEvents(EMPTY_SESSIONS, stamp(1, [connecting('s1', 'alpha', ME), ...lines]));
    expect(state.sessions.s1!.stderr).toHaveLength(STDERR_LINES);
    expect(state.sessions.s1!.stderr[0]).toBe('line 5');
  });

  it('marks the stdout lines among the stderr lines of the console', () => {
    const state = applyEvents(
      EMPTY_SESSIONS,
      stamp(1, [
        connecting('s1', 'alpha', ME),
        { type: 'stderr', sessionId: 's1', server: 'alpha', stream: 'stdout', line: 'Server v1 starting' },
        { type: 'stderr', sessionId: 's1', server: 'alpha', stream: 'stderr', line: 'ready' },
      ]),
    );
    expect(state.sessions.s1!.stderr).toEqual(['[stdout] Server v1 starting', 'ready']);
  });

  it('records why a session closed', () => {
    const state = applyEvents(
      EMPTY_SESSIONS,
      stamp(1, [
        connecting('s1', 'broken', ME),
        { type: 'session-error', sessionId: 's1', server: 'broken', message: 'upstream: spawn failed' },
        { type: 'session-closing', sessionId: 's1', server: 'broken', reason: 'upstream-failed', detail: 'spawn foo ENOENT: command "foo" was not found (PATH searched: /usr/bin)' },
        { type: 'session-closed', sessionId: 's1', server: 'broken', reason: 'upstream-failed', detail: 'spawn foo ENOENT: command "foo" was not found (PATH searched: /usr/bin)', exitCode: null },
      ]),
    );
    expect(state.sessions.s1).toMatchObject({ state: 'closed', closeReason: 'upstream-failed', errors: ['upstream: spawn failed'] });
    expect(sessionStatus(state.sessions.s1)).toEqual({
      status: 'error',
      message: 'spawn foo ENOENT: command "foo" was not found (PATH searched: /usr/bin)',
    });
  });

  it('forgets the oldest closed sessions but keeps each server newest one', () => {
    const inputs: LifecycleEventInput[] = [];
    for (let i = 0; i < CLOSED_SESSIONS_KEPT + 10; i += 1) {
      inputs.push(connecting(`s${i}`, i === 0 ? 'rare' : 'busy', ME));
      inputs.push({ type: 'session-closed', sessionId: `s${i}`, server: i === 0 ? 'rare' : 'busy', reason: 'client-deleted' });
    }
    const state = applyEvents(EMPTY_SESSIONS, stamp(1, inputs));
    expect(Object.keys(state.sessions)).toHaveLength(CLOSED_SESSIONS_KEPT);
    expect(state.sessions.s0).toBeDefined();
    expect(state.sessions.s1).toBeUndefined();
    expect(newestOwnedSession(state, 'busy', ME)!.id).toBe(`s${CLOSED_SESSIONS_KEPT + 9}`);
  });
});

describe('snapshot then subscribe', () => {
  it('applies buffered events newer than the snapshot and drops those it already includes', () => {
    // Events 1..7 happened before the snapshot (seq 7); 8 and 9 were buffered while it was fetched.
    const history = stamp(1, connectAndInitialize('s1', 'alpha'));
    const buffered = [
      ...history.slice(5),
      ...stamp(8, [
        { type: 'message', sessionId: 's1', server: 'alpha', direction: 'server-to-client', kind: 'notification', method: 'notifications/tools/list_changed', size: 40 },
        { type: 'stderr', sessionId: 's1', server: 'alpha', line: 'after the snapshot' },
      ]),
    ];
    const snapshot = { seq: 7, sessions: [snapshotSession({ id: 's1', clientToServer: 2, serverToClient: 1, pid: 4242 })] };
    const state = applyEvents(applySnapshot(EMPTY_SESSIONS, snapshot), buffered);
    expect(state.sessions.s1).toMatchObject({ messagesOut: 2, messagesIn: 2, state: 'ready', initialized: true, stderr: ['after the snapshot'] });
    expect(state.sessions.s1!.stderrComplete).toBe(false);
    expect(state.seq).toBe(9);
  });

  it('marks sessions that vanished from a new snapshot as closed and takes the new seq even if lower', () => {
    const before = applyEvents(EMPTY_SESSIONS, stamp(50, connectAndInitialize('s1', 'alpha')));
    const after = applySnapshot(before, { seq: 3, sessions: [] });
    expect(after.seq).toBe(3);
    expect(after.sessions.s1!.state).toBe('closed');
    expect(sessionStatus(after.sessions.s1)).toEqual({ status: 'disconnected' });
    // A restarted proxy counts from 1 again; its events must apply.
    const restarted = applyEvents(after, stamp(4, [connecting('s2', 'alpha', ME)]));
    expect(restarted.sessions.s2).toBeDefined();
  });

  it('treats a snapshot session whose initialize is not answered yet as connecting', () => {
    const state = applySnapshot(EMPTY_SESSIONS, { seq: 1, sessions: [snapshotSession({ serverInfo: undefined, initialized: false })] });
    expect(sessionStatus(state.sessions.s1)).toEqual({ status: 'connecting' });
  });
});

describe('stderr backfill', () => {
  it('merges fetched lines with live ones, dropping the overlap', () => {
    expect(mergeStderr(['a', 'b', 'c'], ['b', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(mergeStderr(['a', 'b'], ['c'])).toEqual(['a', 'b', 'c']);
    expect(mergeStderr([], ['x'])).toEqual(['x']);
    expect(mergeStderr(['x', 'x'], ['x', 'x', 'y'])).toEqual(['x', 'x', 'y']);
  });

  it('fills a snapshot session once and then leaves it alone', () => {
    let state: SessionsState = applySnapshot(EMPTY_SESSIONS, { seq: 1, sessions: [snapshotSession({})] });
    state = applyEvents(state, stamp(2, [{ type: 'stderr', sessionId: 's1', server: 'alpha', line: 'live' }]));
    state = applyStderrBackfill(state, 's1', ['early', 'live']);
    expect(state.sessions.s1!.stderr).toEqual(['early', 'live']);
    expect(state.sessions.s1!.stderrComplete).toBe(true);
    expect(applyStderrBackfill(state, 's1', ['other'])).toBe(state);
  });
});

describe('status of a server', () => {
  const events = stamp(1, [
    ...connectAndInitialize('old', 'alpha'),
    { type: 'session-closed', sessionId: 'old', server: 'alpha', reason: 'child-exited', detail: 'exited with code 1; last stderr: boom' },
    connecting('theirs', 'alpha', OTHER),
    connecting('mine', 'beta', ME),
  ]);
  const state = applyEvents(EMPTY_SESSIONS, events);

  it('looks only at sessions this window opened', () => {
    expect(newestOwnedSession(state, 'alpha', ME)!.id).toBe('old');
    expect(newestOwnedSession(state, 'alpha', OTHER)!.id).toBe('theirs');
    expect(newestOwnedSession(state, 'gamma', ME)).toBeUndefined();
    expect(liveOwnedSessions(state, ME).map((view) => view.id)).toEqual(['mine']);
  });

  it('shows failures of the server as errors with the detail', () => {
    expect(sessionStatus(newestOwnedSession(state, 'alpha', ME))).toEqual({ status: 'error', message: 'exited with code 1; last stderr: boom' });
    expect(sessionStatus(newestOwnedSession(state, 'beta', ME))).toEqual({ status: 'connecting' });
    expect(sessionStatus(undefined)).toEqual({ status: 'disconnected' });
  });

  it('shows sessions the client ended as disconnected', () => {
    for (const reason of ['client-deleted', 'client-disconnected', 'client-aborted-connect', 'shutdown'] as const) {
      const closed = applyEvents(EMPTY_SESSIONS, stamp(1, [connecting('s', 'x', ME), { type: 'session-closed', sessionId: 's', server: 'x', reason }]));
      expect(sessionStatus(closed.sessions.s)).toEqual({ status: 'disconnected' });
    }
    for (const reason of ['upstream-failed', 'child-exited', 'upstream-closed', 'idle-timeout'] as const) {
      const closed = applyEvents(EMPTY_SESSIONS, stamp(1, [connecting('s', 'x', ME), { type: 'session-closing', sessionId: 's', server: 'x', reason }]));
      expect(sessionStatus(closed.sessions.s).status).toBe('error');
    }
  });

  it('combines the session with what happened on the client side', () => {
    const failedOld = newestOwnedSession(state, 'alpha', ME)!;
    // An attempt under way shows at once, before its first event.
    expect(deriveServerStatus(failedOld, { connecting: true })).toEqual({ status: 'connecting' });
    // A failure the proxy never saw (404 for a removed server) beats an older session's error.
    expect(deriveServerStatus(failedOld, { connecting: false, error: 'Unknown server "alpha"', attemptStartedAt: 5000 })).toEqual({
      status: 'error',
      message: 'Unknown server "alpha"',
    });
    // When the attempt's own session failed on the proxy, its detail says more than the client's echo.
    expect(deriveServerStatus(failedOld, { connecting: false, error: 'MCP error -32003: could not connect', attemptStartedAt: failedOld.startedAt })).toEqual({
      status: 'error',
      message: 'exited with code 1; last stderr: boom',
    });
    // A timeout: the proxy saw the client give up (disconnected), the client knows it timed out.
    const aborted = applyEvents(EMPTY_SESSIONS, stamp(1, [connecting('t', 'slow', ME), { type: 'session-closed', sessionId: 't', server: 'slow', reason: 'client-aborted-connect' }]));
    expect(deriveServerStatus(aborted.sessions.t, { connecting: false, error: 'Connecting timed out after 30 s', attemptStartedAt: 900 })).toEqual({
      status: 'error',
      message: 'Connecting timed out after 30 s',
    });
    expect(deriveServerStatus(undefined, undefined)).toEqual({ status: 'disconnected' });
  });

  it('suggests what to do for common errors', () => {
    expect(errorHint('spawn foo ENOENT: command "foo" was not found (PATH searched: /bin)')).toMatch(/Command/);
    expect(errorHint('Connecting timed out after 30 s')).toMatch(/in time/);
    expect(errorHint('Server "x" is disabled in the catalog')).toMatch(/Disabled/);
    expect(errorHint('something odd')).toBeUndefined();
  });
});

describe('sessions of another window', () => {
  const entry = { name: 'alpha', transport: 'stdio', command: 'node', args: [], env: {} } as unknown as Parameters<typeof describeServer>[0];

  it('are shown while this window has none, with Open here; not once it opens its own or they end', () => {
    let state = applyEvents(EMPTY_SESSIONS, stamp(1, connectAndInitialize('theirs', 'alpha', OTHER)));
    expect(newestSessionElsewhere(state, 'alpha', ME)?.id).toBe('theirs');
    expect(newestSessionElsewhere(state, 'alpha', OTHER)).toBeUndefined();
    expect(newestSessionElsewhere(state, 'beta', ME)).toBeUndefined();
    const seen = describeServer(entry, state, ME, undefined);
    expect(seen).toMatchObject({ status: 'disconnected', connectedOrWanted: false, elsewhere: { id: 'theirs', pid: 4242 } });
    expect(elsewhereLabel(seen.elsewhere!)).toBe('connected in another window');

    // This window opens its own: it shows its own session only.
    state = applyEvents(state, stamp(20, connectAndInitialize('mine', 'alpha', ME)));
    expect(describeServer(entry, state, ME, undefined)).toMatchObject({ status: 'ready', session: { id: 'mine' } });
    expect(describeServer(entry, state, ME, undefined).elsewhere).toBeUndefined();

    // Theirs closing is no longer offered.
    state = applyEvents(state, stamp(40, [{ type: 'session-closing', sessionId: 'theirs', server: 'alpha', reason: 'client-deleted' }]));
    expect(newestSessionElsewhere(state, 'alpha', ME)).toBeUndefined();
  });

  it('says connecting while the other window’s session is not initialized, and names a client that is no window', () => {
    const state = applyEvents(EMPTY_SESSIONS, stamp(1, [connecting('cli', 'alpha')]));
    expect(elsewhereLabel(newestSessionElsewhere(state, 'alpha', ME)!)).toBe('connecting by another client');
  });
});

describe('a modern-era connection (no proxy session)', () => {
  const entry = { name: 'alpha', transport: 'stdio', command: 'node', args: [], env: {} } as unknown as Parameters<typeof describeServer>[0];
  const modern = { desired: 'connected', phase: 'connected', era: 'modern', protocolVersion: '2026-07-28', serial: 2 } as const;

  it('is not shown as a session of another client: the proxy\'s modern-era events name a channel, not a session', () => {
    const channel = 'modern:alpha';
    const state = applyEvents(
      EMPTY_SESSIONS,
      stamp(1, [
        { type: 'child-spawned', sessionId: channel, server: 'alpha', era: 'modern', pid: 77, command: 'node', args: [] },
        { type: 'message', sessionId: channel, server: 'alpha', era: 'modern', direction: 'client-to-server', kind: 'request', method: 'tools/list', id: 1, size: 90 },
        { type: 'stderr', sessionId: channel, server: 'alpha', era: 'modern', line: 'started' },
      ]),
    );
    expect(state.seq).toBe(3);
    expect(state.sessions).toEqual({});
    expect(describeServer(entry, state, ME, undefined)).toMatchObject({ status: 'disconnected', connectedOrWanted: false });
    expect(describeServer(entry, state, ME, undefined).elsewhere).toBeUndefined();
  });

  it('is ready while it is held, and does not show the session of an earlier legacy connection as its own', () => {
    // The earlier connection was legacy: its session closed when it ended.
    let state = applyEvents(EMPTY_SESSIONS, stamp(1, connectAndInitialize('earlier', 'alpha', ME)));
    state = applyEvents(state, stamp(10, [{ type: 'session-closed', sessionId: 'earlier', server: 'alpha', reason: 'client-deleted' }]));
    expect(describeServer(entry, state, ME, modern)).toMatchObject({ status: 'ready', session: undefined, connectedOrWanted: true });
    expect(describeServer(entry, state, ME, { ...modern, phase: 'idle', desired: 'disconnected' })).toMatchObject({ status: 'disconnected', session: { id: 'earlier' } });
  });
});

describe('process-sample events', () => {
  it('are no news of a session: a tick for an ended session brings no session back, a live one changes nothing', () => {
    const live = applyEvents(EMPTY_SESSIONS, stamp(1, connectAndInitialize('s1', 'alpha')));
    const tick = (sessionId: string): LifecycleEventInput => ({
      type: 'process-sample',
      sessionId,
      server: 'alpha',
      pid: 4242,
      totals: { at: 2000, cpu: 12.5, rssBytes: 50_000_000 },
      processes: [{ pid: 4242, ppid: 1, at: 2000, cpu: 12.5, rssBytes: 50_000_000 }],
    });
    const after = applyEvents(live, stamp(20, [tick('s1'), tick('gone-session')]));
    expect(Object.keys(after.sessions)).toEqual(['s1']);
    expect(after.sessions.s1).toEqual(live.sessions.s1);
    expect(after.seq).toBe(21);
  });
});

describe('fault injection events', () => {
  it('a server\'s faults-changed event makes no session; a fault-injected one counts for the session it names', () => {
    const state = applyEvents(
      EMPTY_SESSIONS,
      stamp(1, [
        ...connectAndInitialize('s1', 'alpha'),
        { type: 'faults-changed', sessionId: 'faults:alpha', server: 'alpha', plan: { seed: 7, faults: [{ kind: 'drop', enabled: true, direction: 'server-to-client', probability: 1 }] } },
        { type: 'fault-injected', sessionId: 's1', server: 'alpha', kind: 'drop', direction: 'server-to-client', detail: 'injected drop: did not send the response', seed: 7 },
      ]),
    );
    expect(Object.keys(state.sessions)).toEqual(['s1']);
  });
});
