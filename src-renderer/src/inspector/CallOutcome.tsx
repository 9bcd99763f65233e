import { useEffect, useRef, type ReactNode } from 'react';

/**
 * Where a call's outcome is shown (a tool call, a prompt get, a resource read). When a call this view started ends,
 * the focus moves here, so the result or the error is what the keyboard and a screen reader reach next.
 */
export function CallOutcome({ running, label, children }: { running: boolean; label: string; children: ReactNode }) {
  const outcome = useRef<HTMLDivElement>(null);
  const wasRunning = useRef(running);
  useEffect(() => {
    if (wasRunning.current && !running) outcome.current?.focus();
    wasRunning.current = running;
  }, [running]);
  return (
    <div className="insp-call-outcome" ref={outcome} tabIndex={-1} role="group" aria-label={label}>
      {children}
    </div>
  );
}
