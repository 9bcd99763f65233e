import type { ReactNode } from 'react';

/**
 * The end of a dialog: what went wrong (each error on its own line, announced at once) above its buttons, which
 * the dialog passes as children in reading order (the primary action last).
 */
export function DialogFooter({ errors, children }: { errors?: string | readonly (string | undefined)[]; children: ReactNode }) {
  const shown = (typeof errors === 'string' ? [errors] : errors ?? []).filter((error): error is string => Boolean(error));
  return (
    <>
      {shown.map((error) => (
        <p key={error} className="form-error" role="alert">
          {error}
        </p>
      ))}
      <div className="modal-actions">{children}</div>
    </>
  );
}
