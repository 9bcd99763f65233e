import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionManager, type ConnectionDriver, type OpenedConnection } from './connection-manager';

/**
 * A stand-in for the proxy: it tracks which sessions are alive on the "server" and how many operations run per
 * server at once. Opens finish after a short random delay unless a test holds them.
 */
class FakeProxy implements ConnectionDriver {
  readonly live = new Map<string, string>();
  readonly opened: string[] = [];
  readonly discarded: string[] = [];
  readonly inFlight = new Map<string, number>();
  maxInFlight = 0;
  private next = 0;
  /** Servers whose connect fails with this message. */
  failures = new Map<string, string>();
  /** Servers whose connect never finishes by itself. */
  hang = new Set<string>();
  /** When set, an aborted connect leaves its session alive on the proxy (the answer crossed the abort). */
  abortLeavesOrphan = false;

  async open(server: string, signal: AbortSignal): Promise<OpenedConnection> {
    const id = `${server}#${++this.next}`;
    this.opened.push(id);
    this.enter(server);
    this.live.set(id, server);
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          if (!this.abortLeavesOrphan) this.live.delete(id);
          reject(new Error('aborted'));
        };
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        if (this.hang.has(server)) return;
        setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          const failure = this.failures.get(server);
          if (failure) {
            this.live.delete(id);
            reject(new Error(failure));
          } else resolve();
        }, Math.random() * 4);
      });
    } finally {
      this.leave(server);
    }
    return {
      sessionId: id,
      close: async () => {
        this.enter(server);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        this.live.delete(id);
        this.leave(server);
      },
      discard: async () => {
        this.discarded.push(id);
      },
    };
  }

  async endSession(_server: string, sessionId: string): Promise<void> {
    this.live.delete(sessionId);
  }

  liveFor(server: string): string[] {
    return [...this.live].filter(([, owner]) => owner === server).map(([id]) => id);
  }

  private enter(server: string): void {
    const count = (this.inFlight.get(server) ?? 0) + 1;
    this.inFlight.set(server, count);
    this.maxInFlight = Math.max(this.maxInFlight, count);
  }

  private leave(server: string): void {
    this.inFlight.set(server, (this.inFlight.get(server) ?? 1) - 1);
  }
}

function managerWith(proxy: FakeProxy, connectTimeoutMs?: number): ConnectionManager {
  return new ConnectionManager({
    driver: proxy,
    connectTimeoutMs,
    ownedLiveSessions: () => [...proxy.live].map(([id, server]) => ({ id, server })),
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.useRealTimers();
});

describe('ConnectionManager', () => {
  it('connects and disconnects, one operation at a time', async () => {
    const proxy = new FakeProxy();
    const manager = managerWith(proxy);
    manager.connect('a');
    expect(manager.get('a')).toMatchObject({ desired: 'connected', phase: 'connecting' });
    await manager.settled();
    expect(manager.get('a')).toMatchObject({ desired: 'connected', phase: 'connected', sessionId: 'a#1' });
    expect(proxy.liveFor('a')).toEqual(['a#1']);
    manager.disconnect('a');
    await manager.settled();
    expect(manager.get('a')).toMatchObject({ desired: 'disconnected', phase: 'idle' });
    expect(proxy.live.size).toBe(0);
  });

  it('ends in the state last asked for after bursts of Connect all / Disconnect all, leaving no session open', async () => {
    const servers = ['a', 'b', 'c', 'd'];
    for (let round = 0; round < 20; round += 1) {
      const proxy = new FakeProxy();
      proxy.abortLeavesOrphan = round % 2 === 1;
      const manager = managerWith(proxy);
      // Five presses in quick succession, alternating, with tiny random gaps.
      for (let press = 0; press < 5; press += 1) {
        if (press % 2 === 0) manager.connectAll(servers);
        else manager.disconnectAll();
        await pause(Math.random() * 3);
      }
      await manager.settled();
      for (const server of servers) {
        expect(manager.get(server)).toMatchObject({ desired: 'connected', phase: 'connected' });
        expect(proxy.liveFor(server)).toEqual([manager.get(server).sessionId]);
      }
      for (let press = 0; press < 5; press += 1) {
        if (press % 2 === 0) manager.disconnectAll();
        else manager.connectAll(servers);
        await pause(Math.random() * 3);
      }
      await manager.settled();
      manager.sweep();
      for (const server of servers) expect(manager.get(server)).toMatchObject({ desired: 'disconnected', phase: 'idle' });
      expect(proxy.live.size).toBe(0);
      expect(proxy.maxInFlight).toBe(1);
    }
  });

  it('aborts a connect when a disconnect is asked for meanwhile', async () => {
    const proxy = new FakeProxy();
    proxy.hang.add('slow');
    const manager = managerWith(proxy);
    manager.connect('slow');
    await pause(1);
    manager.disconnect('slow');
    await manager.settled();
    expect(manager.get('slow')).toMatchObject({ desired: 'disconnected', phase: 'idle', error: undefined });
    expect(proxy.live.size).toBe(0);
  });

  it('gives up after the connect timeout and says so', async () => {
    vi.useFakeTimers();
    const proxy = new FakeProxy();
    proxy.hang.add('slow');
    const manager = managerWith(proxy);
    manager.connect('slow');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(manager.get('slow').phase).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    await manager.settled();
    expect(manager.get('slow')).toMatchObject({ desired: 'disconnected', phase: 'idle', error: 'Connecting timed out after 30 s' });
    expect(proxy.live.size).toBe(0);
  });

  it('keeps a failed connect as an error without retrying, and leaves other servers alone', async () => {
    const proxy = new FakeProxy();
    proxy.failures.set('broken', 'Unknown server "broken": it is not in the catalog (HTTP 404)');
    const manager = managerWith(proxy);
    manager.connectAll(['broken', 'fine']);
    await manager.settled();
    expect(manager.get('broken')).toMatchObject({
      desired: 'disconnected',
      phase: 'idle',
      error: 'Unknown server "broken": it is not in the catalog (HTTP 404)',
    });
    expect(manager.get('fine')).toMatchObject({ phase: 'connected' });
    expect(proxy.opened.filter((id) => id.startsWith('broken'))).toHaveLength(1);
    // Trying again clears the error while it runs; disconnecting clears it too.
    proxy.failures.clear();
    manager.connect('broken');
    expect(manager.get('broken').error).toBeUndefined();
    await manager.settled();
    expect(manager.get('broken').phase).toBe('connected');
  });

  it('drops a connection whose session the proxy ended, and ends orphan sessions', async () => {
    const proxy = new FakeProxy();
    const manager = managerWith(proxy);
    manager.connect('a');
    await manager.settled();
    const id = manager.get('a').sessionId!;
    proxy.live.delete(id);
    manager.sessionEnded(id);
    expect(manager.get('a')).toMatchObject({ desired: 'disconnected', phase: 'idle', sessionId: undefined });
    expect(proxy.discarded).toEqual([id]);

    proxy.live.set('stray', 'a');
    manager.sweep();
    expect(proxy.live.size).toBe(0);
  });

  it('resets everything when the link is lost', async () => {
    const proxy = new FakeProxy();
    proxy.hang.add('slow');
    const manager = managerWith(proxy);
    manager.connectAll(['a', 'slow']);
    await pause(10);
    manager.resetAll();
    await manager.settled();
    expect(manager.get('a')).toMatchObject({ desired: 'disconnected', phase: 'idle' });
    expect(manager.get('slow')).toMatchObject({ desired: 'disconnected', phase: 'idle' });
    expect(proxy.discarded).toEqual(['a#1']);
  });

  it('notifies subscribers with a new snapshot object on every change', async () => {
    const proxy = new FakeProxy();
    const manager = managerWith(proxy);
    const seen: unknown[] = [];
    manager.subscribe(() => seen.push(manager.getSnapshot()));
    manager.connect('a');
    await manager.settled();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
