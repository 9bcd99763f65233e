import { DOCTOR_STATUS_LABELS, type DoctorCheck, type DoctorReport } from '../../src-shared/doctor';

const MARKS: Readonly<Record<DoctorCheck['status'], string>> = { passed: '✓', failed: '✗', warning: '!', skipped: '-' };
const INDENT = '               ';

/** The report as lines for a person: one per check, with the fix and the evidence under a failed or warned one. */
export function formatDoctorReport(report: DoctorReport): string[] {
  const lines = [`doctor: ${report.server} (${report.transport}: ${report.target})`];
  for (const check of report.checks) {
    const label = check.status === 'failed' ? 'FAILED' : DOCTOR_STATUS_LABELS[check.status].toLowerCase();
    lines.push(`  ${MARKS[check.status]} ${label.padEnd(8)} ${check.title}: ${check.detail}`);
    if (check.status !== 'failed' && check.status !== 'warning') continue;
    if (check.fix) lines.push(`${INDENT}fix: ${check.fix}`);
    for (const evidence of check.evidence) {
      lines.push(`${INDENT}${evidence.label}:`);
      for (const line of evidence.text.split('\n')) lines.push(`${INDENT}  ${line}`);
    }
  }
  const failed = report.checks.filter((check) => check.status === 'failed');
  const warned = report.checks.filter((check) => check.status === 'warning');
  if (failed.length === 0) lines.push(`every check passed${warned.length > 0 ? ` (${warned.length} warning${warned.length === 1 ? '' : 's'})` : ''} in ${report.durationMs} ms`);
  else lines.push(`${failed.length} check${failed.length === 1 ? '' : 's'} failed, the first: ${failed[0]!.title}`);
  return lines;
}
