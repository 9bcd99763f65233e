import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useRuntime } from '../runtime-context';
import { useAppStore } from '../store/app-store';
import { describeServer } from '../store/server-view';
import { ServerRow } from './ServerRow';
import { useNow } from './use-now';

/** How long after a typed letter the next one still extends the type-ahead text. */
const TYPE_AHEAD_MS = 700;

/**
 * The catalog as a list of rows. Rows are selectable by click and keyboard: one row is in the Tab order, the
 * arrow keys (and Home/End) move between rows and select them, typing a name's first letters jumps to it, Enter or
 * Space selects the focused row. Only that row's button is in the Tab order, so the whole list is one Tab stop.
 */
export function ServerList() {
  const runtime = useRuntime();
  const catalog = useAppStore((state) => state.catalog);
  const sessions = useAppStore((state) => state.sessions);
  const connections = useAppStore((state) => state.connections);
  const owner = useAppStore((state) => state.owner);
  const selected = useAppStore((state) => state.selected);
  const now = useNow(1000);
  const listRef = useRef<HTMLUListElement>(null);
  /** The row that holds the Tab stop: the last one focused, else the selected one. */
  const [focusName, setFocusName] = useState<string>();
  const typeAhead = useRef({ text: '', at: 0 });

  const views = useMemo(
    () => catalog.map((entry) => describeServer(entry, sessions, owner, connections[entry.name])),
    [catalog, sessions, owner, connections],
  );

  const onSelect = useCallback((name: string) => runtime.select(name), [runtime]);
  const onToggle = useCallback((name: string, connectedNow: boolean) => runtime.toggle(name, connectedNow), [runtime]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLLIElement>, name: string) => {
      // Keys pressed on the row's own button belong to the button.
      if (event.target !== event.currentTarget) return;
      const rows = [...(listRef.current?.querySelectorAll<HTMLLIElement>('li[data-testid="server-row"]') ?? [])];
      const index = rows.indexOf(event.currentTarget);
      let next: HTMLLIElement | undefined;
      switch (event.key) {
        case 'ArrowDown':
          next = rows[Math.min(index + 1, rows.length - 1)];
          break;
        case 'ArrowUp':
          next = rows[Math.max(index - 1, 0)];
          break;
        case 'Home':
          next = rows[0];
          break;
        case 'End':
          next = rows[rows.length - 1];
          break;
        case 'Enter':
        case ' ':
          event.preventDefault();
          runtime.select(name);
          return;
        default: {
          // Type-ahead: letters typed in quick succession jump to the next row whose name starts with them.
          if (event.key.length !== 1 || event.key === '?' || event.ctrlKey || event.metaKey || event.altKey) return;
          const now = Date.now();
          const typed = now - typeAhead.current.at < TYPE_AHEAD_MS ? typeAhead.current.text + event.key.toLowerCase() : event.key.toLowerCase();
          typeAhead.current = { text: typed, at: now };
          const ordered = [...rows.slice(index + (typed.length === 1 ? 1 : 0)), ...rows.slice(0, index + (typed.length === 1 ? 1 : 0))];
          next = ordered.find((row) => (row.dataset.server ?? '').toLowerCase().startsWith(typed));
          if (!next) return;
        }
      }
      event.preventDefault();
      if (next) {
        // Moving also moves the roving tab stop, so Tab comes back to where the user was, and the selection
        // follows the focus (the inspector shows the row the user moved to).
        const target = next.dataset.server;
        setFocusName(target);
        next.focus();
        // In the narrow window's drawer choosing a server closes it, so there arrows only move and Enter chooses.
        const inDrawer = listRef.current?.closest('.drawer') != null;
        if (!inDrawer && target !== undefined && target !== useAppStore.getState().selected) runtime.select(target);
      }
    },
    [runtime],
  );

  // The ways to add servers are in the empty state beside the list (EmptyState).
  if (catalog.length === 0) return <p className="empty-list">No servers yet.</p>;

  const has = (name: string | undefined) => name !== undefined && views.some((view) => view.entry.name === name);
  const tabStop = has(focusName) ? focusName : has(selected) ? selected : views[0]?.entry.name;
  return (
    <ul className="server-list" aria-label="Servers" ref={listRef}>
      {views.map((view) => (
        <ServerRow
          key={view.entry.name}
          view={view}
          selected={view.entry.name === selected}
          tabbable={view.entry.name === tabStop}
          now={now}
          onSelect={onSelect}
          onToggle={onToggle}
          onKeyDown={onKeyDown}
          onFocus={setFocusName}
        />
      ))}
    </ul>
  );
}
