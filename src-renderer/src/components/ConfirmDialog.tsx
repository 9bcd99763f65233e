import { useState } from 'react';
import { Modal } from './Modal';
import { DialogFooter } from './DialogFooter';

interface ConfirmDialogProps {
  label: string;
  message: string;
  confirmText: string;
  /** Runs the action; a rejection's message is shown in the dialog. */
  onConfirm(): Promise<void>;
  onClose(): void;
}

/** A small confirmation dialog for destructive actions (Remove). Cancel has focus first, so Enter is safe. */
export function ConfirmDialog({ label, message, confirmText, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setBusy(false);
    }
  };

  return (
    <Modal label={label} onClose={onClose} className="modal-small">
      <p>{message}</p>
      <DialogFooter errors={error}>
        <button type="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
          {confirmText}
        </button>
      </DialogFooter>
    </Modal>
  );
}
