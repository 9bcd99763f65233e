import { FAULT_KINDS, FaultPlanInputSchema, type Fault, type FaultKind, type FaultPlan, type FaultPlanInput } from '../../../src-shared/faults';

/** One setting of a fault as the Faults panel edits it: every value a string in its input until Apply. */
export interface FieldSpec {
  key: string;
  label: string;
  type: 'ms' | 'count' | 'percent' | 'methods' | 'text' | 'code' | 'direction';
  placeholder?: string;
}

const methods: FieldSpec = { key: 'methods', label: 'Methods', type: 'methods', placeholder: 'every method (or e.g. tools/call, prompts/list)' };
const share: FieldSpec = { key: 'probability', label: 'Share (%)', type: 'percent', placeholder: '100' };
const direction: FieldSpec = { key: 'direction', label: 'Direction', type: 'direction' };

/** The settings of each kind, in the order the panel shows them. */
export const FIELD_SPECS: Record<FaultKind, FieldSpec[]> = {
  delay: [{ key: 'ms', label: 'Delay (ms)', type: 'ms', placeholder: '500' }, { key: 'jitterMs', label: 'Jitter (ms)', type: 'ms', placeholder: '0' }, direction, methods],
  drop: [share, direction, methods],
  duplicate: [share, methods],
  corrupt: [share, methods],
  kill: [{ key: 'onCall', label: 'On call no.', type: 'count', placeholder: '1' }, { key: 'afterMs', label: 'After (ms)', type: 'ms', placeholder: '0' }, methods],
  'close-stream': [share, methods],
  error: [methods, { key: 'code', label: 'Error code', type: 'code', placeholder: '-32603' }, { key: 'message', label: 'Message', type: 'text', placeholder: 'Injected by Patchbay' }, share],
  stall: [{ key: 'ms', label: 'Stall (ms)', type: 'ms', placeholder: '1000' }, share, methods],
};

/** The labels of the kinds, for the Add list. */
export const KIND_LABELS: Record<FaultKind, string> = {
  delay: 'Delay',
  drop: 'Drop',
  duplicate: 'Duplicate a response',
  corrupt: 'Corrupt (invalid JSON)',
  kill: 'Kill the server',
  'close-stream': 'Close the stream mid-response',
  error: 'Answer with an error',
  stall: 'Stall the server’s output',
};

export { FAULT_KINDS };

export interface FaultDraft {
  kind: FaultKind;
  enabled: boolean;
  /** By FieldSpec key; an empty string takes the schema's default. */
  values: Record<string, string>;
}

/** A new fault of a kind, with the values a user most likely wants filled in. */
export function newDraft(kind: FaultKind): FaultDraft {
  const values: Record<string, string> = {};
  if (kind === 'delay') values.ms = '500';
  if (kind === 'stall') values.ms = '1000';
  if (kind === 'error' || kind === 'kill') values.methods = 'tools/call';
  if (kind === 'drop') values.methods = 'tools/call';
  return { kind, enabled: true, values };
}

/** The drafts of a plan as it applies. */
export function draftsOf(plan: FaultPlan | undefined): FaultDraft[] {
  return (plan?.faults ?? []).map((fault) => {
    const values: Record<string, string> = {};
    for (const spec of FIELD_SPECS[fault.kind]) {
      const value = (fault as Record<string, unknown>)[spec.key];
      if (value === undefined) continue;
      if (spec.type === 'methods') values[spec.key] = (value as string[]).join(', ');
      else if (spec.type === 'percent') values[spec.key] = String(Math.round((value as number) * 10_000) / 100);
      else values[spec.key] = String(value);
    }
    return { kind: fault.kind, enabled: fault.enabled, values };
  });
}

/**
 * The plan the drafts describe, checked by the same schema main checks it with, or one sentence per problem naming
 * the fault (by its number and kind) and the setting.
 */
export function planFromDrafts(drafts: readonly FaultDraft[], seedText: string): { ok: true; plan: FaultPlanInput } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const faults = drafts.map((draft, index) => {
    const fault: Record<string, unknown> = { kind: draft.kind, enabled: draft.enabled };
    for (const spec of FIELD_SPECS[draft.kind]) {
      const raw = (draft.values[spec.key] ?? '').trim();
      if (raw === '') continue;
      if (spec.type === 'methods') fault.methods = raw.split(/[\s,]+/).filter((method) => method !== '');
      else if (spec.type === 'text' || spec.type === 'direction') fault[spec.key] = raw;
      else {
        const number = Number(raw);
        if (!Number.isFinite(number)) problems.push(`Fault ${index + 1} (${draft.kind}): ${spec.label} must be a number, not "${raw}"`);
        fault[spec.key] = spec.type === 'percent' ? number / 100 : number;
      }
    }
    return fault;
  });
  const seed = seedText.trim();
  if (seed !== '' && !/^\d+$/.test(seed)) problems.push(`Seed must be a whole number, or empty for a random one; not "${seed}"`);
  if (problems.length > 0) return { ok: false, problems };
  const parsed = FaultPlanInputSchema.safeParse({ ...(seed === '' ? {} : { seed: Number(seed) }), faults });
  if (parsed.success) return { ok: true, plan: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => {
      const [where, index, key] = issue.path;
      if (where === 'faults' && typeof index === 'number') {
        const draft = drafts[index]!;
        const label = FIELD_SPECS[draft.kind].find((spec) => spec.key === key)?.label ?? String(key ?? '');
        return `Fault ${index + 1} (${draft.kind})${label ? `: ${label}` : ''}: ${issue.message}`;
      }
      return where === 'seed' ? `Seed: ${issue.message}` : issue.message;
    }),
  };
}

/** Whether the drafts say the same as the plan in force (Apply has nothing to do). */
export function sameAsPlan(drafts: readonly FaultDraft[], plan: FaultPlan | undefined): boolean {
  return JSON.stringify(drafts) === JSON.stringify(draftsOf(plan));
}

export type { Fault };
