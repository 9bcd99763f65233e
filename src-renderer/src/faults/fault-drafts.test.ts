import { describe, expect, it } from 'vitest';
import { FaultPlanSchema } from '../../../src-shared/faults';
import { draftsOf, newDraft, planFromDrafts, sameAsPlan } from './fault-drafts';

describe('the Faults panel drafts', () => {
  it('turn into the plan main checks: numbers, shares in percent, methods by comma, empty values left to the defaults', () => {
    const drop = { ...newDraft('drop'), values: { probability: '25', methods: 'tools/call, prompts/list', direction: '' } };
    const delay = { ...newDraft('delay'), enabled: false, values: { ms: '200', jitterMs: '' } };
    expect(planFromDrafts([drop, delay], '9')).toEqual({
      ok: true,
      plan: { seed: 9, faults: [{ kind: 'drop', enabled: true, probability: 0.25, methods: ['tools/call', 'prompts/list'], direction: 'server-to-client' }, { kind: 'delay', enabled: false, ms: 200, jitterMs: 0, direction: 'both' }] },
    });
  });

  it('say what is wrong, naming the fault and the setting', () => {
    expect(planFromDrafts([{ ...newDraft('delay'), values: { ms: 'soon' } }], '')).toEqual({ ok: false, problems: ['Fault 1 (delay): Delay (ms) must be a number, not "soon"'] });
    expect(planFromDrafts([newDraft('drop'), { ...newDraft('stall'), values: { ms: '-5' } }], '')).toEqual({ ok: false, problems: ['Fault 2 (stall): Stall (ms): must not be negative'] });
    expect(planFromDrafts([{ ...newDraft('error'), values: { methods: '' } }], '')).toMatchObject({ ok: false, problems: ['Fault 1 (error): Methods: name at least one method to answer with the error, as a list: ["tools/call"]'] });
    expect(planFromDrafts([], 'x')).toEqual({ ok: false, problems: ['Seed must be a whole number, or empty for a random one; not "x"'] });
  });

  it('round-trip a plan as it applies, so an unchanged form is recognised', () => {
    const plan = FaultPlanSchema.parse({ seed: 3, faults: [{ kind: 'kill', onCall: 2, methods: ['tools/call'] }, { kind: 'corrupt', probability: 0.5 }] });
    const drafts = draftsOf(plan);
    expect(drafts[1]!.values.probability).toBe('50');
    expect(sameAsPlan(drafts, plan)).toBe(true);
    const again = planFromDrafts(drafts, '3');
    expect(again.ok && FaultPlanSchema.parse({ ...again.plan, seed: 3 })).toEqual(plan);
  });
});
