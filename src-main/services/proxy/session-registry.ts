import type { CloseReason } from '../../../src-shared/events';
import type { ProxySession } from './proxy-session';

/** How many recently closed sessions are remembered, so a late message learns why its session is gone. */
const REMEMBERED_CLOSES = 1000;

/**
 * The one map of live sessions. A session enters before anything can address it and leaves in its own close
 * path; closed sessions leave only a bounded note of why they closed.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, ProxySession>();
  private readonly recentlyClosed = new Map<string, string>();
  /** Owners that went away; a late connect in their name is refused instead of leaving an orphan. */
  private readonly goneOwners = new Set<string>();
  private reaper?: NodeJS.Timeout;

  /** Registers a session; its id must be new. */
  add(session: ProxySession): void {
    if (this.sessions.has(session.id)) throw new Error(`session ${session.id} is already registered`);
    this.sessions.set(session.id, session);
  }

  get(id: string): ProxySession | undefined {
    return this.sessions.get(id);
  }

  /** Removes a closed session, remembering why it closed. */
  remove(session: ProxySession): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    this.recentlyClosed.set(session.id, session.closedMessage());
    if (this.recentlyClosed.size > REMEMBERED_CLOSES) {
      const oldest = this.recentlyClosed.keys().next().value as string;
      this.recentlyClosed.delete(oldest);
    }
  }

  /** Why a recently closed session ended, if it is still remembered. */
  closedReason(id: string): string | undefined {
    return this.recentlyClosed.get(id);
  }

  list(): ProxySession[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Closes every session an owner (an app window) opened, and refuses that owner's later connects: a window that
   * closes mid-connect leaves nothing behind.
   */
  async closeOwnedBy(owner: string, reason: CloseReason): Promise<void> {
    this.goneOwners.add(owner);
    if (this.goneOwners.size > REMEMBERED_CLOSES) this.goneOwners.delete(this.goneOwners.values().next().value as string);
    await Promise.all(this.list().filter((session) => session.owner === owner).map((session) => session.close(reason)));
  }

  /** Closes every session of a server (its catalog entry was removed or changed), with the reason and a detail. */
  async closeSessionsOf(server: string, reason: CloseReason, detail?: string): Promise<void> {
    await Promise.all(this.list().filter((session) => session.server === server).map((session) => session.close(reason, detail)));
  }

  /** Whether an owner has gone away. */
  isGoneOwner(owner: string): boolean {
    return this.goneOwners.has(owner);
  }

  /** Closes every session and waits until all have left. */
  async closeAll(reason: CloseReason): Promise<void> {
    await Promise.all(this.list().map((session) => session.close(reason)));
  }

  /** Starts closing sessions idle for longer than `idleMs` (0 disables). */
  startIdleReaper(idleMs: number): void {
    this.stopIdleReaper();
    if (idleMs <= 0) return;
    const every = Math.max(50, Math.min(30_000, Math.floor(idleMs / 4)));
    this.reaper = setInterval(() => {
      const now = Date.now();
      for (const session of this.sessions.values()) session.reapIfIdle(now, idleMs);
    }, every);
    this.reaper.unref();
  }

  stopIdleReaper(): void {
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = undefined;
  }
}
