import { randomInt } from 'node:crypto';
import { faultsChannelId } from '../../../../src-shared/events';
import { MAX_FAULT_SEED, parseFaultPlan, planIsActive, type FaultPlan, type FaultPlans as FaultPlansView } from '../../../../src-shared/faults';
import type { ServerEntry } from '../../../../src-shared/catalog';
import type { EventBus } from '../event-bus';

/**
 * What a session reads on every message to learn whether faults apply: one object per server, kept for the
 * proxy's life, whose `plan` is undefined unless a plan with at least one enabled fault is set. A session holds
 * its server's slot, so the check costs one property read and allocates nothing when no plan is set.
 */
export interface FaultSlot {
  readonly server: string;
  /** The plan in force, only while it has an enabled fault. */
  plan: FaultPlan | undefined;
  /** Grows with every change of the plan, so a session knows to start its counters and generator over. */
  generation: number;
}

/** A plan that cannot apply to its server (a kill for a server that has no process of its own). */
export class FaultPlanError extends Error {
  override readonly name = 'FaultPlanError';
}

/** Every server's fault plan, set and cleared through the control API, the app's api and `serve`'s flags. */
export class FaultPlans {
  private readonly slots = new Map<string, FaultSlot>();
  /** Plans as set, switched-off faults included (the slot only carries plans that do something). */
  private readonly plans = new Map<string, FaultPlan>();

  constructor(private readonly bus: EventBus) {}

  /** The slot of a server; the same object for the proxy's life. */
  slot(server: string): FaultSlot {
    let slot = this.slots.get(server);
    if (!slot) {
      slot = { server, plan: undefined, generation: 0 };
      this.slots.set(server, slot);
    }
    return slot;
  }

  /** A server's plan as set, or undefined. */
  get(server: string): FaultPlan | undefined {
    return this.plans.get(server);
  }

  /** Every plan that is set, by server. */
  list(): FaultPlansView {
    return Object.fromEntries(this.plans);
  }

  /**
   * Sets a server's plan (validated here too: callers in main may pass what a file said), giving it a random seed
   * when it names none. Sessions already open apply it from their next message, counting calls from there.
   * @throws FaultPlanError with a sentence when the plan is invalid.
   */
  set(server: string, input: unknown): FaultPlan {
    const parsed = parseFaultPlan(input);
    if (!parsed.ok) throw new FaultPlanError(parsed.message);
    const plan: FaultPlan = { ...parsed.plan, seed: parsed.plan.seed ?? randomInt(0, MAX_FAULT_SEED) };
    this.plans.set(server, plan);
    this.apply(server, plan);
    return plan;
  }

  /** Removes a server's plan: the proxy is transparent for it again. Returns whether there was one. */
  clear(server: string): boolean {
    const had = this.plans.delete(server);
    if (had) this.apply(server, undefined);
    return had;
  }

  /** Removes every plan (the proxy is stopping, or a test starts over). */
  clearAll(): void {
    for (const server of [...this.plans.keys()]) this.clear(server);
  }

  private apply(server: string, plan: FaultPlan | undefined): void {
    const slot = this.slot(server);
    slot.plan = planIsActive(plan) ? plan : undefined;
    slot.generation += 1;
    this.bus.emit({ type: 'faults-changed', sessionId: faultsChannelId(server), server, ...(plan ? { plan } : {}) });
  }
}

/** The slot of a session whose proxy has no fault plans at all (tests that build sessions by hand). */
export const NO_FAULTS: Readonly<FaultSlot> = Object.freeze({ server: '', plan: undefined, generation: 0 });

/** Why a plan cannot apply to a server, or undefined: a kill needs a process of the server's own (stdio). */
export function faultPlanProblem(entry: ServerEntry, plan: { faults: ReadonlyArray<{ kind: string }> }): string | undefined {
  if (entry.transport !== 'stdio' && plan.faults.some((fault) => fault.kind === 'kill')) {
    return `a kill fault needs a server process Patchbay started, and "${entry.name}" is a remote server (${entry.transport}); use close-stream or drop instead`;
  }
  return undefined;
}
