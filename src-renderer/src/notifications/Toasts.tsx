import { useEffect, useRef, useState } from 'react';
import { TOAST_MS, useNotificationStore, type AppNotification } from './notification-store';

/**
 * The notifications on screen, bottom right. Results fade after TOAST_MS (the clock stops while the pointer or the
 * keyboard focus is on them); errors stay until dismissed. Results are announced politely (role=status), errors at
 * once (role=alert). Both live regions are always in the page, so screen readers notice what is added to them.
 */
export function Toasts() {
  const toasts = useNotificationStore((state) => state.toasts);
  const [paused, setPaused] = useState(false);
  const region = useRef<HTMLDivElement>(null);
  const transient = toasts.filter((toast) => toast.kind !== 'error');
  const errors = toasts.filter((toast) => toast.kind === 'error');
  return (
    <div
      ref={region}
      className="toasts"
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(region.current?.contains(document.activeElement) ?? false)}
      onFocus={() => setPaused(true)}
      onBlur={(event) => {
        if (!region.current?.contains(event.relatedTarget as Node | null) && !region.current?.matches(':hover')) setPaused(false);
      }}
    >
      <div role="alert" className="toast-stack">
        {errors.map((toast) => (
          <Toast key={toast.id} toast={toast} paused />
        ))}
      </div>
      <div role="status" className="toast-stack">
        {transient.map((toast) => (
          <Toast key={toast.id} toast={toast} paused={paused} />
        ))}
      </div>
    </div>
  );
}

function Toast({ toast, paused }: { toast: AppNotification; paused: boolean }) {
  const dismiss = useNotificationStore((state) => state.dismissToast);
  const remaining = useRef(TOAST_MS);
  useEffect(() => {
    if (paused) return;
    const started = Date.now();
    const timer = setTimeout(() => dismiss(toast.id), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current -= Date.now() - started;
    };
  }, [paused, dismiss, toast.id]);
  return (
    <div className={`toast toast-${toast.kind}`} data-kind={toast.kind}>
      <span className="toast-text">{toast.text}</span>
      <button type="button" className="toast-dismiss" aria-label={`Dismiss: ${toast.text}`} onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}
