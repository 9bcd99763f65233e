import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { messageKind, type JsonRpcEnvelope, type JsonRpcId } from '../../../../src-shared/jsonrpc';
import {
  cancelledRequestIdOf,
  progressForClient,
  progressTokenOfNotification,
  responseForClient,
  subscriptionIdOf,
  subscriptionNotificationForClient,
} from './shared-stdio-child-rewrite';

/** One client request on its way through the shared child. */
export interface Route {
  /** The id the child knows it by (also its progress token, and for a listen its subscription id). */
  readonly childId: number;
  /** The id the client gave it. */
  readonly clientId: JsonRpcId;
  /** The client's progress token, when it asked for progress. */
  readonly clientProgressToken?: JsonRpcId;
  readonly method: string;
  /** A `subscriptions/listen`: open until the child ends it or the client goes. */
  readonly isListen: boolean;
  /**
   * Asked for log messages: such requests take turns on the child (see `RouteTable`). Cleared for one that waited
   * too long for its turn and was sent without its log level.
   */
  wantsLogs: boolean;
  /** Who sent it, when the caller said so: lets a client's `notifications/cancelled` name its own request. */
  readonly origin?: string;
}

/** Where a message of the child goes. */
export type Placement =
  /** To this route's client, as `message`; `final` ends the route (its response, or its subscription's end). */
  | { kind: 'deliver'; route: Route; message: JSONRPCMessage; final: boolean }
  /** For a request its client gave up: dropped without a word (the cancellation and the answer crossed). */
  | { kind: 'late' }
  /** Belongs to nobody: reported, not delivered. */
  | { kind: 'unplaced'; why: string };

/** Child ids of given-up requests remembered, so their late answers are told apart from strays; older ones go. */
const REMEMBERED_ABANDONED = 1000;

/**
 * A request with the log turn that its client gave up keeps the turn until its logs have stopped: the server is
 * told to cancel it, but the cancel may sit unread in the pipe (a child still loading), and its handler may still
 * log on its way out (the SDK does not stop it), and such a line must not reach the next request. So the turn is
 * held until a request sent after the cancel has been answered (the child has read the cancel: `barrierPassed`)
 * and then no log line came for this long...
 */
export const LOG_TURN_QUIET_MS = 300;
/** ...or for this long at most, for a child that never answers or goes on logging for a cancelled request. */
export const LOG_TURN_RELEASE_MAX_MS = 10_000;

/**
 * The requests written to the shared child and not yet ended, by child id, and which of them a message of the
 * child belongs to: a response by its id, progress by its token, a subscription's notifications by the
 * `io.modelcontextprotocol/subscriptionId` in their `_meta`. A `notifications/message` carries no link to its
 * request on stdio; since a server may log only for requests that asked for it (`io.modelcontextprotocol/logLevel`),
 * at most one such request is on the child at a time (`logTurnTaken`), and the log goes to that one.
 */
export class RouteTable {
  private readonly sent = new Map<number, Route>();
  private readonly abandoned = new Set<number>();
  private logTurn?: Route;
  /** The log turn is held by a given-up request until its logs stop (see LOG_TURN_QUIET_MS). */
  private logTurnAbandoned = false;
  private logTurnReleaseAt = 0;
  private logTurnBarrierPassed = false;
  private logTurnTimer?: NodeJS.Timeout;

  /** @param onLogTurnFreed told when a given-up request's hold on the log turn ends, so the next may go */
  constructor(private readonly onLogTurnFreed: () => void = () => undefined) {}

  /** Requests on the child now. */
  get size(): number {
    return this.sent.size;
  }

  /** Open `subscriptions/listen` requests on the child. */
  get subscriptions(): number {
    let count = 0;
    for (const route of this.sent.values()) if (route.isListen) count += 1;
    return count;
  }

  /** Whether a request that asked for logs is on the child now (another one must wait its turn). */
  get logTurnTaken(): boolean {
    return this.logTurn !== undefined;
  }

  /** Whether a route has to wait before it can be written: it wants logs and another has the turn. */
  mustWait(route: Route): boolean {
    return route.wantsLogs && !route.isListen && this.logTurn !== undefined;
  }

  /** Records a route as written to the child. */
  add(route: Route): void {
    this.sent.set(route.childId, route);
    if (route.wantsLogs && !route.isListen) this.logTurn = route;
  }

  has(route: Route): boolean {
    return this.sent.get(route.childId) === route;
  }

  /** Ends a route that was answered (or failed): it leaves the table. */
  settle(route: Route): void {
    if (this.sent.get(route.childId) !== route) return;
    this.sent.delete(route.childId);
    if (this.logTurn === route && !this.logTurnAbandoned) this.logTurn = undefined;
  }

  /**
   * Ends a route its client gave up: what the child still sends for it is dropped quietly. Returns whether it had
   * the log turn, which it then keeps for a while (see LOG_TURN_QUIET_MS): the caller sends the barrier.
   */
  abandon(route: Route): boolean {
    if (this.sent.get(route.childId) !== route) return false;
    const heldLogTurn = this.logTurn === route;
    this.settle(route);
    this.abandoned.add(route.childId);
    if (this.abandoned.size > REMEMBERED_ABANDONED) this.abandoned.delete(this.abandoned.values().next().value as number);
    if (heldLogTurn) {
      this.logTurn = route;
      this.logTurnAbandoned = true;
      this.logTurnBarrierPassed = false;
      this.logTurnReleaseAt = Date.now() + LOG_TURN_RELEASE_MAX_MS;
      this.armLogTurnRelease();
    }
    return heldLogTurn;
  }

  /** The child has read everything written before the given-up log-turn holder's cancel: quiet may now end the hold. */
  barrierPassed(): void {
    if (!this.logTurnAbandoned) return;
    this.logTurnBarrierPassed = true;
    this.armLogTurnRelease();
  }

  /** Waits for the end of a given-up request's hold on the log turn (each log line of it starts the quiet over). */
  private armLogTurnRelease(): void {
    clearTimeout(this.logTurnTimer);
    const untilMax = Math.max(0, this.logTurnReleaseAt - Date.now());
    const wait = this.logTurnBarrierPassed ? Math.min(LOG_TURN_QUIET_MS, untilMax) : untilMax;
    this.logTurnTimer = setTimeout(() => {
      this.releaseLogTurn();
      this.onLogTurnFreed();
    }, wait);
    this.logTurnTimer.unref();
  }

  private releaseLogTurn(): void {
    clearTimeout(this.logTurnTimer);
    this.logTurnTimer = undefined;
    this.logTurn = undefined;
    this.logTurnAbandoned = false;
  }

  /** Every route on the child, oldest first, and forgets them all (the child ended). */
  takeAll(): Route[] {
    const routes = [...this.sent.values()];
    this.sent.clear();
    this.abandoned.clear();
    this.releaseLogTurn();
    return routes;
  }

  /** The route a client's `notifications/cancelled` names: its own request id, from the same origin. */
  findByClientId(clientId: JsonRpcId, origin: string | undefined): Route[] {
    return [...this.sent.values()].filter((route) => route.clientId === clientId && (origin === undefined || route.origin === origin));
  }

  /** Where a message the child sent goes. */
  place(envelope: JsonRpcEnvelope): Placement {
    const kind = messageKind(envelope);
    if (kind === 'response') {
      const route = this.routeFor(envelope.id);
      if (route) return { kind: 'deliver', route, message: responseForClient(envelope, route.clientId), final: true };
      return this.lateOr(envelope.id, `a response to request id ${JSON.stringify(envelope.id)}, which is not open on the shared server process`);
    }
    if (kind === 'request') {
      return { kind: 'unplaced', why: `the server sent a ${envelope.method} request; servers may not send requests over modern-era stdio (MCP 2026-07-28), so it was not delivered` };
    }
    const method = envelope.method!;
    const subscription = subscriptionIdOf(envelope);
    if (subscription !== undefined) {
      const route = this.routeFor(subscription);
      if (route?.isListen) {
        return { kind: 'deliver', route, message: subscriptionNotificationForClient(envelope, route.clientId), final: method === 'notifications/cancelled' };
      }
      return this.lateOr(subscription, `${method} names subscription ${JSON.stringify(subscription)}, which is not open on the shared server process`);
    }
    if (method === 'notifications/progress') {
      const token = progressTokenOfNotification(envelope);
      const route = this.routeFor(token);
      if (route?.clientProgressToken !== undefined) return { kind: 'deliver', route, message: progressForClient(envelope, route.clientProgressToken), final: false };
      return this.lateOr(token, `progress for token ${JSON.stringify(token)}, which no open request carries`);
    }
    if (method === 'notifications/cancelled') {
      const cancelled = cancelledRequestIdOf(envelope);
      const route = this.routeFor(cancelled);
      if (route?.isListen) return { kind: 'deliver', route, message: subscriptionNotificationForClient(envelope, route.clientId), final: true };
      if (route) return { kind: 'unplaced', why: `the server sent notifications/cancelled for ${route.method}; servers may cancel only subscriptions/listen, so it was not delivered` };
      return this.lateOr(cancelled, `notifications/cancelled for request id ${JSON.stringify(cancelled)}, which is not open on the shared server process`);
    }
    if (method === 'notifications/message') {
      if (this.logTurnAbandoned) {
        if (this.logTurnBarrierPassed) this.armLogTurnRelease();
        return { kind: 'late' };
      }
      if (this.logTurn) return { kind: 'deliver', route: this.logTurn, message: envelope as JSONRPCMessage, final: false };
      return { kind: 'unplaced', why: 'a log message (notifications/message) while no request that asked for logs (io.modelcontextprotocol/logLevel) was open' };
    }
    return { kind: 'unplaced', why: `${method} carries no subscription id and belongs to no open request` };
  }

  private routeFor(childId: unknown): Route | undefined {
    return typeof childId === 'number' ? this.sent.get(childId) : undefined;
  }

  private lateOr(childId: unknown, why: string): Placement {
    if (typeof childId === 'number' && this.abandoned.has(childId)) return { kind: 'late' };
    return { kind: 'unplaced', why };
  }
}
