import type { DoctorCheck, DoctorEvidence } from '../../../src-shared/doctor';
import { errorMessage } from '../proxy/proxy-utils';

/** What one check found. A skipped check is the runner's to decide, or a check's own when it does not apply. */
export interface CheckOutcome {
  status: 'passed' | 'failed' | 'warning' | 'skipped';
  detail: string;
  fix?: string;
  evidence?: DoctorEvidence[];
}

/** One step of a diagnosis: a small function over the context the earlier steps filled in. */
export interface DoctorStep<Context> {
  id: string;
  title: string;
  /**
   * Checks that must not have failed first; when one failed, or was itself not run for that reason, this one is
   * skipped, saying which. A check that skipped itself because it does not apply (no #! line on Windows) blocks nothing.
   */
  needs?: string[];
  /** Longest the check may take (it may depend on the context's own timeouts); past it the check fails as timed out. */
  timeoutMs?: (context: Context) => number;
  run(context: Context): Promise<CheckOutcome>;
}

/** Longest a step may take unless it says otherwise. */
const DEFAULT_STEP_TIMEOUT_MS = 15_000;

/**
 * Runs the steps in order. A step whose prerequisite failed or was skipped is skipped with the reason; a step that
 * throws or runs past its timeout fails with what happened, and the rest still run.
 */
export async function runSteps<Context>(steps: readonly DoctorStep<Context>[], context: Context): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const notRun = new Set<string>();
  for (const step of steps) {
    const blocker = (step.needs ?? [])
      .map((id) => checks.find((check) => check.id === id))
      .find((check) => check !== undefined && (check.status === 'failed' || notRun.has(check.id)));
    if (blocker) {
      notRun.add(step.id);
      checks.push({ id: step.id, title: step.title, status: 'skipped', detail: `Not run: "${blocker.title}" did not pass.`, evidence: [], durationMs: 0 });
      continue;
    }
    const started = performance.now();
    const outcome = await runWithTimeout(step, context);
    checks.push({
      id: step.id,
      title: step.title,
      status: outcome.status,
      detail: outcome.detail,
      ...(outcome.fix !== undefined ? { fix: outcome.fix } : {}),
      evidence: outcome.evidence ?? [],
      durationMs: Math.round(performance.now() - started),
    });
  }
  return checks;
}

async function runWithTimeout<Context>(step: DoctorStep<Context>, context: Context): Promise<CheckOutcome> {
  const timeoutMs = step.timeoutMs?.(context) ?? DEFAULT_STEP_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'failed', detail: `The check did not finish within ${formatSeconds(timeoutMs)}.`, fix: 'Try again; if it keeps timing out, the server or the network is too slow to answer.' }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      step.run(context).catch((error: unknown): CheckOutcome => ({ status: 'failed', detail: `The check itself failed: ${errorMessage(error)}` })),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** 1500 → "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
