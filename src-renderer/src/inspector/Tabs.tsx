import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/** One tab: its id (for the panel's ids), its label, and an optional badge (e.g. a pending count). */
export interface TabDefinition<T extends string> {
  id: T;
  label: string;
  badge?: { text: string; label: string };
}

interface TabListProps<T extends string> {
  /** Prefix for the tab and panel element ids. */
  idPrefix: string;
  label: string;
  tabs: readonly TabDefinition<T>[];
  active: T;
  onSelect(tab: T): void;
}

/** The id of a tab's element and of its panel, so each can point at the other. */
export function tabIds(idPrefix: string, tab: string): { tab: string; panel: string } {
  return { tab: `${idPrefix}-tab-${tab}`, panel: `${idPrefix}-panel-${tab}` };
}

/**
 * A WAI-ARIA tab list: only the active tab is in the Tab order; arrow keys, Home and End move between tabs and
 * select them (automatic activation).
 */
export function TabList<T extends string>({ idPrefix, label, tabs, active, onSelect }: TabListProps<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const move = (event: KeyboardEvent, index: number) => {
    const last = tabs.length - 1;
    const target = event.key === 'ArrowRight' ? (index === last ? 0 : index + 1) : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1) : event.key === 'Home' ? 0 : event.key === 'End' ? last : undefined;
    if (target === undefined) return;
    event.preventDefault();
    const tab = tabs[target]!;
    onSelect(tab.id);
    refs.current.get(tab.id)?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="insp-tabs">
      {tabs.map((tab, index) => {
        const ids = tabIds(idPrefix, tab.id);
        const selected = tab.id === active;
        return (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) refs.current.set(tab.id, element);
              else refs.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={ids.tab}
            aria-selected={selected}
            aria-controls={ids.panel}
            tabIndex={selected ? 0 : -1}
            className="insp-tab"
            onClick={() => onSelect(tab.id)}
            onKeyDown={(event) => move(event, index)}
          >
            {tab.label}
            {tab.badge && (
              <span className="insp-tab-badge" aria-label={tab.badge.label}>
                {tab.badge.text}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}

/**
 * A tab's panel. Its content mounts when the tab is first shown (so nothing is requested from the server before the
 * user asks) and then stays mounted while hidden, so a running call or a half-filled form survives a switch.
 */
export function TabPanel({ idPrefix, tab, active, children }: { idPrefix: string; tab: string; active: boolean; children: ReactNode }) {
  const ids = tabIds(idPrefix, tab);
  const [visited, setVisited] = useState(active);
  if (active && !visited) setVisited(true);
  return (
    <div role="tabpanel" id={ids.panel} aria-labelledby={ids.tab} hidden={!active} tabIndex={0} className="insp-panel">
      {(active || visited) && children}
    </div>
  );
}
