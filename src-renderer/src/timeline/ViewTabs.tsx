import { useRef, type KeyboardEvent } from 'react';

/** The app's views. */
export type AppView = 'servers' | 'timeline' | 'recordings' | 'diff';

const TABS: { view: AppView; label: string }[] = [
  { view: 'servers', label: 'Servers' },
  { view: 'timeline', label: 'Timeline' },
  { view: 'recordings', label: 'Recordings' },
  { view: 'diff', label: 'Diff' },
];

interface ViewTabsProps {
  view: AppView;
  onChange(view: AppView): void;
}

/**
 * Switches between the Servers view and the protocol Timeline. A WAI-ARIA tab list: the chosen tab is the one
 * reached by Tab, Left/Right/Home/End move between tabs. Panels are `view-<name>`, labelled by `tab-<name>`.
 */
export function ViewTabs({ view, onChange }: ViewTabsProps) {
  const refs = useRef<Partial<Record<AppView, HTMLButtonElement | null>>>({});
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.findIndex((tab) => tab.view === view);
    const next =
      event.key === 'ArrowRight' ? (index + 1) % TABS.length : event.key === 'ArrowLeft' ? (index + TABS.length - 1) % TABS.length : event.key === 'Home' ? 0 : event.key === 'End' ? TABS.length - 1 : -1;
    if (next < 0) return;
    event.preventDefault();
    const target = TABS[next]!.view;
    onChange(target);
    refs.current[target]?.focus();
  };
  return (
    <div className="view-tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab.view}
          ref={(element) => {
            refs.current[tab.view] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${tab.view}`}
          aria-controls={`view-${tab.view}`}
          aria-selected={view === tab.view}
          tabIndex={view === tab.view ? 0 : -1}
          className="view-tab"
          onClick={() => onChange(tab.view)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
