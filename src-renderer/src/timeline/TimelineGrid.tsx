import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import type { RequestGroup } from './request-groups';
import { requestStatus, type TimelineEntry } from './timeline-entry';
import type { TimelineStore } from './timeline-store';
import { TimelineRow } from './TimelineRow';
import { scrollTopToReveal, visibleRange } from './virtual-range';

/** Every row has this height (px), which is what lets the list compute what is in view without measuring. */
export const ROW_HEIGHT = 22;
/** How close to the bottom (px) still counts as "at the bottom" (following). */
const BOTTOM_SLACK = ROW_HEIGHT / 2;

interface TimelineGridProps {
  store: TimelineStore;
  /** The store's version: a new value means the shown list may have changed. */
  version: number;
  /** Whether the view is on screen (it is measured and scrolled again when shown). */
  active: boolean;
  selected?: TimelineEntry;
  /** Messages that belong with the selected one. */
  highlighted: ReadonlySet<TimelineEntry>;
  following: boolean;
  /** Incremented to bring the selected message into view (chosen elsewhere, e.g. in the detail panel). */
  revealRequest: number;
  onFollowingChange(following: boolean): void;
  onSelect(entry: TimelineEntry): void;
  onOpen(entry: TimelineEntry): void;
  onCloseDetail(): void;
  /** What to say when nothing is shown. */
  empty: ReactNode;
}

/** The row at the top of the viewport and how far it is scrolled past, to keep the view still as rows come and go. */
interface Anchor {
  ordinal: number;
  offset: number;
}

/**
 * The virtualized message grid: only the rows in view (plus a few) are in the DOM, placed in a spacer as tall as
 * the whole list. It follows new messages while scrolled to the bottom and otherwise keeps the rows in view still,
 * even as the oldest are dropped. Rows are focusable; arrows, Page Up/Down, Home/End select, Enter opens.
 */
export function TimelineGrid({ store, version, active, selected, highlighted, following, revealRequest, onFollowingChange, onSelect, onOpen, onCloseDetail, empty }: TimelineGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ scrollTop: 0, height: 0 });
  const anchor = useRef<Anchor | undefined>(undefined);
  const focusAfterRender = useRef<number | undefined>(undefined);
  const shown = store.shown;
  const count = shown.length;
  const selectedIndex = selected ? shown.indexOfOrdinal(selected.ordinal) : -1;

  const rememberAnchor = (scrollTop: number) => {
    const index = Math.floor(scrollTop / ROW_HEIGHT);
    const entry = shown.at(index);
    anchor.current = entry ? { ordinal: entry.ordinal, offset: scrollTop - index * ROW_HEIGHT } : undefined;
  };

  // Measure the viewport, and again whenever it is resized (panel opened, window resized, tab shown).
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const measure = () => {
      setViewport({ scrollTop: element.scrollTop, height: element.clientHeight });
      // The header sits outside the scrolling rows; it is padded by the scroll bar's width to line up.
      element.parentElement?.style.setProperty('--tl-scrollbar', `${element.offsetWidth - element.clientWidth}px`);
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // After the list changed: stick to the bottom while following; after a new filter, bring the selected message
  // into view; otherwise keep the anchored row where it was (the oldest may have been dropped above it).
  const previousShown = useRef(shown);
  const previousReveal = useRef(revealRequest);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element || !active) return;
    const reveal = previousShown.current !== shown || previousReveal.current !== revealRequest;
    previousShown.current = shown;
    previousReveal.current = revealRequest;
    if (following) {
      element.scrollTop = element.scrollHeight;
    } else if (reveal && selectedIndex >= 0) {
      element.scrollTop = Math.max(0, selectedIndex * ROW_HEIGHT - element.clientHeight / 2);
    } else if (anchor.current) {
      const index = shown.indexOfOrdinal(anchor.current.ordinal);
      if (index >= 0) element.scrollTop = index * ROW_HEIGHT + anchor.current.offset;
    }
    setViewport((current) => (current.scrollTop === element.scrollTop ? current : { scrollTop: element.scrollTop, height: element.clientHeight }));
  }, [version, active, following, shown, selectedIndex, revealRequest]);

  // Keyboard selection moves focus to the new row once it is rendered.
  useEffect(() => {
    const ordinal = focusAfterRender.current;
    if (ordinal === undefined) return;
    focusAfterRender.current = undefined;
    scrollRef.current?.querySelector<HTMLElement>(`[data-ordinal="${ordinal}"]`)?.focus({ preventScroll: true });
  });

  const onScroll = () => {
    const element = scrollRef.current;
    if (!element) return;
    // Rendered before this frame is painted: a scroll update would otherwise wait a frame and show blank rows.
    flushSync(() => setViewport({ scrollTop: element.scrollTop, height: element.clientHeight }));
    rememberAnchor(element.scrollTop);
    const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK;
    if (atBottom !== following) onFollowingChange(atBottom);
  };

  const selectIndex = (index: number) => {
    const entry = shown.at(Math.max(0, Math.min(count - 1, index)));
    const element = scrollRef.current;
    if (!entry || !element) return;
    const target = Math.max(0, Math.min(count - 1, index));
    const top = scrollTopToReveal(target, element.scrollTop, element.clientHeight, ROW_HEIGHT);
    if (top !== element.scrollTop) {
      element.scrollTop = top;
      rememberAnchor(top);
      setViewport({ scrollTop: top, height: element.clientHeight });
    }
    focusAfterRender.current = entry.ordinal;
    onSelect(entry);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(viewport.height / ROW_HEIGHT) - 1);
    const current = selectedIndex >= 0 ? selectedIndex : visibleRange(viewport.scrollTop, viewport.height, ROW_HEIGHT, count, 0).start - 1;
    const moves: Record<string, number | undefined> = {
      ArrowDown: current + 1,
      ArrowUp: Math.max(0, current - 1),
      PageDown: current + page,
      PageUp: Math.max(0, current - page),
      Home: 0,
      End: count - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      selectIndex(target);
    } else if ((event.key === 'ArrowRight' || event.key === 'ArrowLeft') && selected?.group && !event.altKey && !event.ctrlKey && !event.metaKey) {
      // Tree-grid style: right expands a multi round-trip request or task, left collapses it (from any of its rows).
      event.preventDefault();
      const group = selected.group;
      const rootIndex = shown.indexOfOrdinal(group.root.ordinal);
      if (event.key === 'ArrowLeft' && selected !== group.root && rootIndex >= 0) selectIndex(rootIndex);
      store.setGroupExpanded(group, event.key === 'ArrowRight');
    } else if (event.key === 'Enter' && selected) {
      event.preventDefault();
      onOpen(selected);
    } else if (event.key === 'Escape') {
      onCloseDetail();
    }
  };

  const pick = useCallback((entry: TimelineEntry) => onOpen(entry), [onOpen]);
  const toggleGroup = useCallback((group: RequestGroup) => store.setGroupExpanded(group, !group.expanded), [store]);

  // Tabbing onto a row selects it, as arrows would.
  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const ordinal = Number((event.target as HTMLElement).dataset.ordinal);
    if (!Number.isInteger(ordinal) || ordinal === selected?.ordinal) return;
    const entry = shown.at(shown.indexOfOrdinal(ordinal));
    if (entry) onSelect(entry);
  };

  const range = visibleRange(viewport.scrollTop, viewport.height, ROW_HEIGHT, count);
  const indexes: number[] = [];
  // The selected row stays rendered when scrolled away, so the focus it may hold is not lost.
  if (selectedIndex >= 0 && selectedIndex < range.start) indexes.push(selectedIndex);
  for (let index = range.start; index < range.end; index += 1) indexes.push(index);
  if (selectedIndex >= range.end) indexes.push(selectedIndex);
  const tabbableIndex = selectedIndex >= 0 ? selectedIndex : Math.min(count - 1, Math.ceil(viewport.scrollTop / ROW_HEIGHT));

  return (
    <div className="tl-grid" role="grid" aria-label="Messages" aria-rowcount={count + 1} aria-readonly="true">
      <div role="rowgroup" className="tl-head">
        <div role="row" className="tl-row tl-head-row" aria-rowindex={1}>
          <span role="columnheader" className="tl-dir" aria-label="Direction" title="Direction">
            ⇄
          </span>
          <span role="columnheader">Time</span>
          <span role="columnheader">Server</span>
          <span role="columnheader">Kind</span>
          <span role="columnheader">Method</span>
          <span role="columnheader">ID</span>
          <span role="columnheader" className="tl-size">
            Size
          </span>
          <span role="columnheader" className="tl-duration">
            Duration
          </span>
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="tl-scroll" onScroll={onScroll} onKeyDown={onKeyDown} onFocus={onFocus} data-testid="timeline-scroll">
        {count === 0 ? (
          <div className="tl-empty">{empty}</div>
        ) : (
          <div className="tl-spacer" style={{ height: count * ROW_HEIGHT }}>
            {indexes.map((index) => {
              const entry = shown.at(index)!;
              return (
                <TimelineRow
                  key={entry.ordinal}
                  entry={entry}
                  index={index}
                  top={index * ROW_HEIGHT}
                  selected={entry === selected}
                  related={highlighted.has(entry)}
                  tabbable={index === tabbableIndex}
                  status={entry.event.kind === 'request' ? requestStatus(entry) : undefined}
                  groupVersion={entry.group?.version}
                  onPick={pick}
                  onToggleGroup={toggleGroup}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
