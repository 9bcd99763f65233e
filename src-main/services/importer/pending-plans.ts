import { randomUUID } from 'node:crypto';
import type { ImportPreview } from '../../../src-shared/api-contract';
import type { ImportPlan } from './import-plan';

/** Plans kept for the user to confirm; old ones are forgotten so memory stays bounded. */
const MAX_PENDING = 20;
const PLAN_LIFETIME_MS = 60 * 60_000;

/**
 * Holds import plans in the main process between preview and confirm: the plan carries env and header values,
 * which may be secrets, so the renderer only ever gets a preview and the plan's id.
 */
export class PendingPlans {
  private readonly plans = new Map<string, { plan: ImportPlan; createdAt: number }>();

  /** Keeps a plan and returns its id. */
  keep(plan: ImportPlan, now = Date.now()): string {
    for (const [id, held] of this.plans) if (now - held.createdAt > PLAN_LIFETIME_MS) this.plans.delete(id);
    while (this.plans.size >= MAX_PENDING) this.plans.delete(this.plans.keys().next().value as string);
    const id = randomUUID();
    this.plans.set(id, { plan, createdAt: now });
    return id;
  }

  /** Takes a plan out (it can be applied once). */
  take(id: string): ImportPlan | undefined {
    const held = this.plans.get(id);
    this.plans.delete(id);
    return held?.plan;
  }

  /** Puts a plan back after a failed apply, so the user can fix the decisions and try again. */
  restore(id: string, plan: ImportPlan): void {
    this.plans.set(id, { plan, createdAt: Date.now() });
  }
}

/** What the renderer may see of a plan: everything but env and header values. */
export function previewOf(planId: string, plan: ImportPlan): ImportPreview {
  return {
    planId,
    files: plan.files.map((file) =>
      file.ok
        ? { path: file.path, ok: true, detection: file.detection, problems: file.problems.map((problem) => problem.message), warnings: file.warnings }
        : { path: file.path, ok: false, error: file.error, problems: [], warnings: [] },
    ),
    entries: plan.entries.map((entry) => ({
      name: entry.name,
      file: entry.file,
      transport: entry.transport,
      command: entry.command,
      args: entry.args,
      url: entry.url,
      urlWithDefaults: entry.urlWithDefaults,
      disabled: entry.disabled,
      group: entry.group,
      warnings: entry.warnings,
      needs: [
        ...entry.needs.env.map((need) => `env ${need.name}`),
        ...entry.needs.inputs.map((need) => `input ${need.id}`),
        ...entry.needs.variables.map((need) => `variable ${need.name}`),
      ],
    })),
    conflicts: plan.conflicts.map((conflict) => ({ ...conflict })),
  };
}
