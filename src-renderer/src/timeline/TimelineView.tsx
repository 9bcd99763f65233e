import { useCallback, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { usePanelSize } from '../layout/panel-sizes';
import { Splitter } from '../layout/Splitter';
import { groupOf, type TimelineEntry } from './timeline-entry';
import { buildExport, exportFileName } from './timeline-export';
import type { TimelineFilter } from './timeline-filter';
import { timeline } from './timeline-instance';
import { downloadText } from './download';
import { notify } from '../notifications/notification-store';
import { MessageDetail } from './MessageDetail';
import { TimelineFilters } from './TimelineFilters';
import { TimelineGrid } from './TimelineGrid';
import type { TimelineStore } from './timeline-store';
import { useTimelineVersion } from './use-timeline';

const NOTHING_HIGHLIGHTED: ReadonlySet<TimelineEntry> = new Set();
/** Above this many messages the export is written without indentation, to keep the file and the work small. */
const INDENTED_EXPORT_MAX = 10_000;
/** The detail panel's width (px), resizable by the bar at its left edge. */
const DETAIL_WIDTH = { initial: 420, min: 300, max: 900 };

interface TimelineViewProps {
  /** Whether the view is on screen; a hidden view does not re-render as messages arrive. */
  active: boolean;
  /** The app's timeline unless a test passes another. */
  store?: TimelineStore;
  /**
   * Shown inside another view rather than as the Timeline tab's panel (a recording opened read-only): a labelled
   * region of its own, with a line above the filters that says what it shows.
   */
  embedded?: { id: string; label: string; heading: ReactNode };
}

/**
 * The protocol timeline: every JSON-RPC message through the proxy, across servers, filterable, with a side panel
 * for the selected message's JSON. Its tab panel is the `main` element while the Timeline tab is chosen.
 */
export function TimelineView({ active, store = timeline, embedded }: TimelineViewProps) {
  const version = useTimelineVersion(store, active);
  const [selected, setSelected] = useState<TimelineEntry>();
  const [detailOpen, setDetailOpen] = useState(false);
  const [following, setFollowing] = useState(true);
  const [revealRequest, setRevealRequest] = useState(0);
  const [detailWidth, setDetailWidth, resetDetailWidth] = usePanelSize('timeline-detail-width', DETAIL_WIDTH);
  // The group grows as related messages arrive, hence the version among the dependencies.
  const highlighted = useMemo(() => (selected ? groupOf(selected) : NOTHING_HIGHLIGHTED), [selected, version]);

  // Choosing a message to look at pauses following (unless it is the newest), so it does not scroll away.
  const select = useCallback(
    (entry: TimelineEntry) => {
      setSelected(entry);
      if (entry !== store.shown.at(store.shown.length - 1)) setFollowing(false);
    },
    [store],
  );
  const open = useCallback(
    (entry: TimelineEntry) => {
      select(entry);
      setDetailOpen(true);
    },
    [select],
  );
  const jumpTo = useCallback((entry: TimelineEntry) => {
    setSelected(entry);
    setFollowing(false);
    setRevealRequest((count) => count + 1);
  }, []);
  const filter = (change: Partial<TimelineFilter>) => store.setFilter(change);
  const clear = () => {
    store.clear();
    setSelected(undefined);
    setDetailOpen(false);
    setFollowing(true);
  };
  const exportShown = () => {
    const now = new Date();
    const data = buildExport(store.shown.toArray(), store.filter, now);
    downloadText(JSON.stringify(data, null, data.count <= INDENTED_EXPORT_MAX ? 2 : undefined), exportFileName(now));
    notify('success', `Exported ${data.count} timeline message${data.count === 1 ? '' : 's'} as ${exportFileName(now)}`);
  };

  const empty =
    store.total === 0 ? (
      <p>
        No messages yet. Connect a server: every JSON-RPC message through Patchbay&apos;s proxy shows up here, in both
        directions.
      </p>
    ) : (
      <p>No message matches the filters.</p>
    );

  const Panel = embedded ? 'section' : 'main';
  const panelProps = embedded ? { id: embedded.id, 'aria-label': embedded.label } : { id: 'view-timeline', role: 'tabpanel', 'aria-labelledby': 'tab-timeline' };
  return (
    <Panel className={`timeline${embedded ? ' timeline-embedded' : ''}`} {...panelProps} hidden={!active}>
      {embedded?.heading}
      <TimelineFilters
        filter={store.filter}
        servers={store.servers()}
        methods={store.methods()}
        shownCount={store.shown.length}
        total={store.total}
        dropped={store.dropped}
        cap={store.cap}
        following={following}
        onFilter={filter}
        onCap={(cap) => store.setCap(cap)}
        onFollow={() => setFollowing(true)}
        onClear={clear}
        onExport={exportShown}
      />
      <div className={`tl-body${detailOpen && selected ? ' with-detail' : ''}`} style={{ '--tl-detail-width': `${detailWidth}px` } as CSSProperties}>
        <TimelineGrid
          store={store}
          version={version}
          active={active}
          selected={selected}
          highlighted={highlighted}
          following={following}
          revealRequest={revealRequest}
          onFollowingChange={setFollowing}
          onSelect={select}
          onOpen={open}
          onCloseDetail={() => setDetailOpen(false)}
          empty={empty}
        />
        {detailOpen && selected && (
          <>
            <Splitter
              label="Resize message detail"
              controls="timeline-detail"
              orientation="vertical"
              grows={-1}
              size={detailWidth}
              min={DETAIL_WIDTH.min}
              max={DETAIL_WIDTH.max}
              onResize={setDetailWidth}
              onReset={resetDetailWidth}
            />
            <MessageDetail entry={selected} onSelect={jumpTo} onClose={() => setDetailOpen(false)} />
          </>
        )}
      </div>
    </Panel>
  );
}
