import { memo, type KeyboardEvent } from 'react';
import { formatRelativeTime, transportLabel } from '../format';
import { catalogCloseNote } from '../store/server-status';
import { elsewhereLabel, type ServerView } from '../store/server-view';
import { StatusBadge } from './StatusBadge';
import { useFaultsOn } from '../faults/fault-store';

interface ServerRowProps {
  view: ServerView;
  selected: boolean;
  /** Whether this row is the one Tab lands on (roving tabindex). */
  tabbable: boolean;
  now: number;
  onSelect(name: string): void;
  onToggle(name: string, connectedNow: boolean): void;
  onKeyDown(event: KeyboardEvent<HTMLLIElement>, name: string): void;
  onFocus(name: string): void;
}

/** One server in the list: its name, transport, status and traffic, and a Connect/Disconnect button. */
export const ServerRow = memo(function ServerRow({ view, selected, tabbable, now, onSelect, onToggle, onKeyDown, onFocus }: ServerRowProps) {
  const { entry, session, status, connection, elsewhere } = view;
  // Held by another window only: the button opens this window's own session to it.
  const openHere = elsewhere !== undefined && !view.connectedOrWanted;
  const name = entry.name;
  const live = session && session.state !== 'closed';
  const busy = connection?.phase === 'connecting' || connection?.phase === 'disconnecting';
  const closedByCatalog = catalogCloseNote(session);
  const serverInfo = session?.serverInfo ?? connection?.serverInfo;
  const faultsOn = useFaultsOn(name);
  return (
    <li
      data-testid="server-row"
      data-server={name}
      data-status={status}
      className={`server-row${selected ? ' selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => onSelect(name)}
      onKeyDown={(event) => onKeyDown(event, name)}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onFocus(name);
      }}
    >
      <div className="row-main">
        <span className="row-name" title={name}>
          {name}
        </span>
        {faultsOn && (
          <span className="tag tag-faults" data-testid="faults-on-badge" title="The proxy injects faults into this server's traffic (see its Faults tab)">
            <span aria-hidden="true">⚡ </span>faults on
          </span>
        )}
        <StatusBadge status={status} />
      </div>
      <div className="row-meta">
        <span className="tag">{transportLabel(entry.transport)}</span>
        {entry.disabled && <span className="tag tag-muted">disabled</span>}
        {status === 'ready' && serverInfo && (
          <span className="row-info" title="serverInfo">
            {serverInfo.name} {serverInfo.version}
          </span>
        )}
        {status === 'ready' && connection?.era && (
          <span className="row-era" data-testid="row-era" title="Protocol era and version in use">
            {connection.era}
            {connection.protocolVersion ? ` · ${connection.protocolVersion}` : ''}
          </span>
        )}
        <button
          type="button"
          className="row-toggle"
          aria-label={openHere ? `Open ${name} here` : `${view.connectedOrWanted ? 'Disconnect' : 'Connect'} ${name}`}
          disabled={!view.connectedOrWanted && entry.disabled === true}
          title={!view.connectedOrWanted && entry.disabled ? 'Disabled in the catalog: enable it with Edit' : undefined}
          aria-busy={busy || undefined}
          // Only the row holding the list's one Tab stop lets Tab into its button; the others are reached by arrows.
          tabIndex={tabbable ? 0 : -1}
          onClick={(event) => {
            event.stopPropagation();
            onToggle(name, view.connectedOrWanted);
          }}
        >
          {openHere ? 'Open here' : view.connectedOrWanted ? 'Disconnect' : 'Connect'}
        </button>
      </div>
      {elsewhere && (
        <div className="row-meta row-elsewhere" role="status">
          {elsewhereLabel(elsewhere)}
          {elsewhere.pid !== undefined && <span className="row-pid">pid {elsewhere.pid}</span>}
        </div>
      )}
      {closedByCatalog && (
        <div className="row-meta row-close-note" role="status">
          {closedByCatalog}
        </div>
      )}
      {(session || busy) && (
        <div className="row-meta">
          {live && entry.transport === 'stdio' && session.pid !== undefined && <span className="row-pid">pid {session.pid}</span>}
          {session && (
            <>
              <span className="row-counts" title="messages sent ↑ / received ↓">
                ↑{session.messagesOut} ↓{session.messagesIn}
              </span>
              <span className="row-activity" title={`last activity ${new Date(session.lastActivityAt).toLocaleString()}`}>
                {formatRelativeTime(session.lastActivityAt, now)}
              </span>
            </>
          )}
          {connection?.phase === 'connecting' && <span className="row-progress">connecting…</span>}
          {connection?.phase === 'disconnecting' && <span className="row-progress">disconnecting…</span>}
        </div>
      )}
    </li>
  );
});
