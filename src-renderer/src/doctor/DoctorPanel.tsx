import { useEffect, useRef } from 'react';
import { DOCTOR_STATUS_LABELS, firstFailedCheck, type DoctorCheck, type DoctorReport } from '../../../src-shared/doctor';

/** A mark beside each status word; the word itself carries the meaning (never colour alone). */
const MARKS: Readonly<Record<DoctorCheck['status'], string>> = { passed: '✓', failed: '✗', warning: '!', skipped: '–' };

/** What a diagnosis of one server is doing. */
export type DoctorRun = { state: 'running' } | { state: 'done'; report: DoctorReport } | { state: 'error'; message: string };

interface DoctorPanelProps {
  server: string;
  run: DoctorRun;
  onRunAgain: () => void;
  onClose: () => void;
}

/**
 * The connection doctor's steps for one server, in order: each with its status in words, what it found, and for the
 * one that failed (outlined and labelled, and focused once the run ends) its fix and what it saw.
 */
export function DoctorPanel({ server, run, onRunAgain, onClose }: DoctorPanelProps) {
  const failedRef = useRef<HTMLLIElement>(null);
  const report = run.state === 'done' ? run.report : undefined;
  const failed = report ? firstFailedCheck(report) : undefined;
  // Keyboard and screen reader users land on the step that failed, as sighted users see it outlined.
  useEffect(() => {
    failedRef.current?.focus();
  }, [report]);

  return (
    <section className="doctor" aria-label="Connection doctor" aria-busy={run.state === 'running'}>
      <header className="doctor-header">
        <h3>Connection doctor</h3>
        <div className="doctor-actions">
          <button type="button" onClick={onRunAgain} disabled={run.state === 'running'}>
            Diagnose again
          </button>
          <button type="button" onClick={onClose} aria-label="Close the diagnosis">
            Close
          </button>
        </div>
      </header>
      <p className="doctor-summary" role="status" data-testid="doctor-summary">
        {run.state === 'running'
          ? `Diagnosing ${server}…`
          : run.state === 'error'
            ? `The diagnosis could not run: ${run.message}`
            : failed
              ? `Failed at “${failed.title}”. ${failed.fix ?? ''}`
              : `Every check passed for ${server}.`}
      </p>
      {report && (
        <ol className="doctor-checks">
          {report.checks.map((check) => (
            <li
              key={check.id}
              ref={check === failed ? failedRef : undefined}
              tabIndex={check === failed ? -1 : undefined}
              className={`doctor-check doctor-${check.status}`}
              data-testid={`doctor-check-${check.id}`}
              aria-current={check === failed ? 'step' : undefined}
            >
              <div className="doctor-check-line">
                <span className="doctor-status">
                  <span aria-hidden="true">{MARKS[check.status]} </span>
                  {DOCTOR_STATUS_LABELS[check.status]}
                </span>
                <span className="doctor-title">{check.title}</span>
                <span className="muted doctor-time">{check.durationMs} ms</span>
              </div>
              <p className="doctor-detail">{check.detail}</p>
              {(check.status === 'failed' || check.status === 'warning') && (
                <>
                  {check.fix && (
                    <p className="doctor-fix">
                      <strong>Fix:</strong> {check.fix}
                    </p>
                  )}
                  {check.evidence.map((evidence) => (
                    <figure key={evidence.label} className="doctor-evidence">
                      <figcaption>{evidence.label}</figcaption>
                      <pre tabIndex={0}>{evidence.text}</pre>
                    </figure>
                  ))}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
