import { z } from 'zod';

/**
 * The connection doctor's report: the checks it ran on one server, in order, each with what it found and, when it
 * failed, what to do about it in plain words. The same shape reaches the CLI (`npm run doctor`), the app's api and
 * the renderer's panel, so it is checked with these schemas at every boundary.
 */

export const DOCTOR_CHECK_STATUSES = ['passed', 'failed', 'warning', 'skipped'] as const;
export type DoctorCheckStatus = (typeof DOCTOR_CHECK_STATUSES)[number];

/** What a status is called on screen and in the CLI, so it never rests on colour alone. */
export const DOCTOR_STATUS_LABELS: Readonly<Record<DoctorCheckStatus, string>> = {
  passed: 'Passed',
  failed: 'Failed',
  warning: 'Warning',
  skipped: 'Skipped',
};

/** Something the check saw that shows what it found: the offending stdout line, stderr, a response header. */
export const DoctorEvidenceSchema = z.strictObject({
  label: z.string(),
  text: z.string(),
});
export type DoctorEvidence = z.infer<typeof DoctorEvidenceSchema>;

export const DoctorCheckSchema = z.strictObject({
  /** Stable name of the check (`command-resolves`, `stdout-json-only`, `http-status`, ...). */
  id: z.string().min(1),
  title: z.string().min(1),
  status: z.enum(DOCTOR_CHECK_STATUSES),
  /** What was found, in a sentence or two; for a skipped check, why it was not run. */
  detail: z.string(),
  /** What to do about it, in plain words; present when the check failed or warned. */
  fix: z.string().optional(),
  evidence: z.array(DoctorEvidenceSchema).default([]),
  /** How long the check took, in milliseconds. */
  durationMs: z.number().nonnegative(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;

export const DoctorReportSchema = z.strictObject({
  server: z.string(),
  transport: z.enum(['stdio', 'sse', 'streamable-http']),
  /** The command line or the URL that was diagnosed. */
  target: z.string(),
  startedAt: z.string(),
  durationMs: z.number().nonnegative(),
  checks: z.array(DoctorCheckSchema),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

/** The first check that failed, the one the report leads with. */
export function firstFailedCheck(report: DoctorReport): DoctorCheck | undefined {
  return report.checks.find((check) => check.status === 'failed');
}

/** Whether every check that ran passed (warnings allowed). */
export function doctorPassed(report: DoctorReport): boolean {
  return report.checks.every((check) => check.status !== 'failed');
}
