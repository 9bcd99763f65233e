import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { faultMatches, type Fault, type FaultPlan } from '../../../../src-shared/faults';
import type { MessageKind } from '../../../../src-shared/jsonrpc';
import type { FaultSlot } from './fault-plans';

/** What a fault does to a message from the client. */
export interface ClientFaultOutcome {
  /** The fault that decides the message's fate: `drop` (not sent), `error` (answered by the proxy), `delay`. */
  injected?: 'drop' | 'error' | 'delay';
  /** For `error`: the error to answer with. */
  error?: { code: number; message: string; data?: unknown };
  /** For `delay`: how long it is held before it goes on. */
  delayMs: number;
  /** Once sent: kill the server this long after (a kill fault's call). */
  killAfterMs?: number;
  /** Once sent: stop reading the server's output for this long. */
  stallMs?: number;
}

/** What a fault does to a message from the server, on its way to the client. */
export interface ServerFaultOutcome {
  injected?: 'drop' | 'duplicate' | 'corrupt' | 'close-stream' | 'delay';
  delayMs: number;
}

/** A fault that changes how a message is written to the client (the rest are decided before it is queued). */
export type DeliveryFault = 'duplicate' | 'corrupt' | 'close-stream';

/**
 * One session's side of its server's fault plan: which messages a fault hits, drawn from a generator seeded with the
 * plan's seed (so a session replays the same choices for the same traffic), and its per-session call counts. A
 * changed plan starts both over. Decisions only: the session carries them out.
 */
export class SessionFaults {
  private generation = -1;
  private rng: RandomGenerator = xoroshiro128plus(0);
  /** Matching calls seen per fault of the plan, by index (for a kill's onCall). */
  private calls: number[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly slot: FaultSlot) {}

  /** The plan in force (only called while the slot has one). */
  private current(): FaultPlan {
    const plan = this.slot.plan!;
    if (this.generation !== this.slot.generation) {
      this.generation = this.slot.generation;
      this.rng = xoroshiro128plus(plan.seed);
      this.calls = plan.faults.map(() => 0);
    }
    return plan;
  }

  get seed(): number {
    return this.slot.plan?.seed ?? 0;
  }

  /** Decides the fate of a message from the client; undefined when no fault touches it. */
  fromClient(kind: MessageKind, method: string | undefined): ClientFaultOutcome | undefined {
    const plan = this.current();
    let outcome: ClientFaultOutcome | undefined;
    const result = (): ClientFaultOutcome => (outcome ??= { delayMs: 0 });
    for (let index = 0; index < plan.faults.length; index += 1) {
      const fault = plan.faults[index]!;
      if (!fault.enabled || !faultMatches(fault, method)) continue;
      switch (fault.kind) {
        case 'error':
          if (kind === 'request' && result().injected === undefined && this.chance(fault.probability)) {
            Object.assign(result(), { injected: 'error', error: { code: fault.code, message: fault.message, ...(fault.data === undefined ? {} : { data: fault.data }) } });
          }
          break;
        case 'drop':
          if (towardServer(fault.direction) && result().injected === undefined && this.chance(fault.probability)) result().injected = 'drop';
          break;
        case 'delay':
          if (towardServer(fault.direction)) result().delayMs += this.delayOf(fault);
          break;
        case 'kill':
          if (kind === 'request') {
            this.calls[index] = (this.calls[index] ?? 0) + 1;
            if (this.calls[index] === fault.onCall) result().killAfterMs = fault.afterMs;
          }
          break;
        case 'stall':
          if (kind === 'request' && this.chance(fault.probability)) result().stallMs = Math.max(result().stallMs ?? 0, fault.ms);
          break;
        default:
          break;
      }
    }
    if (outcome && outcome.injected === undefined && outcome.delayMs > 0) outcome.injected = 'delay';
    // A message that never reaches the server cannot start a kill or a stall.
    if (outcome && (outcome.injected === 'drop' || outcome.injected === 'error')) {
      outcome.delayMs = 0;
      delete outcome.killAfterMs;
      delete outcome.stallMs;
    }
    return outcome;
  }

  /** Decides the fate of a message from the server (`method`: a response's request's); undefined when untouched. */
  fromServer(kind: MessageKind, method: string | undefined): ServerFaultOutcome | undefined {
    const plan = this.current();
    let outcome: ServerFaultOutcome | undefined;
    const result = (): ServerFaultOutcome => (outcome ??= { delayMs: 0 });
    for (const fault of plan.faults) {
      if (!fault.enabled || !faultMatches(fault, method)) continue;
      switch (fault.kind) {
        case 'drop':
          if (towardClient(fault.direction) && result().injected === undefined && this.chance(fault.probability)) result().injected = 'drop';
          break;
        case 'delay':
          if (towardClient(fault.direction)) result().delayMs += this.delayOf(fault);
          break;
        case 'duplicate':
        case 'close-stream':
          if (kind === 'response' && result().injected === undefined && this.chance(fault.probability)) result().injected = fault.kind;
          break;
        case 'corrupt':
          if (result().injected === undefined && this.chance(fault.probability)) result().injected = 'corrupt';
          break;
        default:
          break;
      }
    }
    if (outcome && outcome.injected === undefined && outcome.delayMs > 0) outcome.injected = 'delay';
    return outcome;
  }

  /** Resolves after `ms`, or at once when the session ends (`cancel`). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.timers.add(timer);
      this.sleepers.add(wake);
    });
  }

  /** Runs `action` after `ms` unless the session ends first. */
  after(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  /** The session is ending: no timer of a fault outlives it; pending delays end at once. */
  cancel(): void {
    for (const wake of [...this.sleepers]) wake();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private chance(probability: number): boolean {
    if (probability >= 1) return true;
    if (probability <= 0) return false;
    return uniformFloat64(this.rng) < probability;
  }

  private delayOf(fault: Extract<Fault, { kind: 'delay' }>): number {
    return fault.jitterMs > 0 ? fault.ms + Math.floor(uniformFloat64(this.rng) * (fault.jitterMs + 1)) : fault.ms;
  }
}

function towardServer(direction: 'client-to-server' | 'server-to-client' | 'both'): boolean {
  return direction !== 'server-to-client';
}

function towardClient(direction: 'client-to-server' | 'server-to-client' | 'both'): boolean {
  return direction !== 'client-to-server';
}
