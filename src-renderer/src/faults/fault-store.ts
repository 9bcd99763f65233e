import { create } from 'zustand';
import { planIsActive, type FaultPlan, type FaultPlans } from '../../../src-shared/faults';

/**
 * Every server's fault plan as the proxy has it: loaded at start (and after a resync) with getFaults, then kept
 * current by faults-changed events, so a plan set from the control API or another window shows here at once.
 */
interface FaultState {
  plans: FaultPlans;
}

export const useFaultStore = create<FaultState>(() => ({ plans: {} }));

/** Replaces every plan (a fresh read from main). */
export function setFaultPlans(plans: FaultPlans): void {
  useFaultStore.setState({ plans });
}

/** One server's plan changed; undefined: it was cleared. */
export function setFaultPlan(server: string, plan: FaultPlan | undefined): void {
  useFaultStore.setState((state) => {
    const plans = { ...state.plans };
    if (plan) plans[server] = plan;
    else delete plans[server];
    return { plans };
  });
}

/** A server's plan, if it has one. */
export function useFaultPlan(server: string): FaultPlan | undefined {
  return useFaultStore((state) => state.plans[server]);
}

/** Whether any fault of a server's plan is on (the row's badge, the inspector's banner). */
export function useFaultsOn(server: string): boolean {
  return useFaultStore((state) => planIsActive(state.plans[server]));
}
