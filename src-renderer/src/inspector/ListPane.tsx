
/** One entry of a list pane. */
export interface ListPaneItem {
  key: string;
  label: string;
  secondary?: string;
  tags?: string[];
}

interface ListPaneProps {
  title: string;
  /** The list's loading state (for the count, Refresh, Load more and errors). */
  state: { loading: boolean; error?: string; loadMore(): void; reload(): void; list: { nextCursor?: string } };
  items: readonly ListPaneItem[];
  empty: string;
  selected?: string;
  onSelect(key: string): void;
}

/**
 * A list of tools, resources, templates or prompts: its count, Refresh, the entries as buttons (the selected one is
 * aria-current), "Load more" while the server has more pages, and what went wrong.
 */
export function ListPane({ title, state, items, empty, selected, onSelect }: ListPaneProps) {
  return (
    <section className="insp-list-pane" aria-label={title}>
      <div className="insp-list-heading">
        <h3>
          {title} <span className="muted">({items.length}{state.list.nextCursor ? '+' : ''})</span>
        </h3>
        <button type="button" className="icon" onClick={state.reload} disabled={state.loading} aria-label={`Refresh ${title.toLowerCase()}`} title="Refresh">
          ↻
        </button>
      </div>
      {state.error && (
        <p className="form-error" role="alert">
          {state.error}
        </p>
      )}
      {items.length === 0 && !state.loading && !state.error && <p className="muted insp-empty">{empty}</p>}
      <ul className="insp-list">
        {items.map((item) => (
          <li key={item.key}>
            <button type="button" className="insp-list-item" aria-current={item.key === selected ? 'true' : undefined} onClick={() => onSelect(item.key)}>
              <span className="insp-item-label">{item.label}</span>
              {item.secondary && <span className="insp-item-secondary">{item.secondary}</span>}
              {item.tags && item.tags.length > 0 && <span className="insp-item-tags">{item.tags.join(' · ')}</span>}
            </button>
          </li>
        ))}
      </ul>
      {state.loading && (
        <p className="muted insp-empty">
          <span className="spinner" aria-hidden="true" /> Loading…
        </p>
      )}
      {state.list.nextCursor && !state.loading && (
        <button type="button" className="insp-load-more" onClick={state.loadMore}>
          Load more
        </button>
      )}
    </section>
  );
}
