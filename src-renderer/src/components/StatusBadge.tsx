import { STATUS_LABELS, type ServerStatus } from '../store/server-status';

/** The status as a coloured badge with its word (colour is never the only cue). */
export function StatusBadge({ status }: { status: ServerStatus }) {
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge">
      {status === 'connecting' && <span className="spinner" aria-hidden="true" />}
      {STATUS_LABELS[status]}
    </span>
  );
}
