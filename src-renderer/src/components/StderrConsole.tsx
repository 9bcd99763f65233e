import { useId, useLayoutEffect, useRef } from 'react';
import { usePanelFlag, usePanelSize } from '../layout/panel-sizes';
import { useMediaQuery } from '../layout/use-media-query';
import { Splitter } from '../layout/Splitter';
import { copyWithNotice } from '../notifications/notification-store';

interface StderrConsoleProps {
  server: string;
  /** The lines to show, oldest first (the store keeps the last 1000). */
  lines: readonly string[];
}

/** How close to the bottom (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 8;
/** The log's height (px): a few lines by default (fewer in a short window), so the inspector above keeps the room. */
const LOG_HEIGHT = { initial: 96, short: 60, min: 40 };
/** A window this short starts the log at its short height. */
const SHORT_QUERY = '(max-height: 599px)';
/** The log never takes more than this share of the window's height. */
const LOG_MAX_SHARE = 0.6;

/**
 * A stdio server's stderr, the bottom panel of its detail view: resizable by the bar above it (its height is
 * remembered) and collapsible to its heading. It follows new lines while scrolled to the bottom and stays put once
 * the user scrolls up to read, until they scroll back down. Copy puts every line on the clipboard (and says so as a
 * notification).
 */
export function StderrConsole({ server, lines }: StderrConsoleProps) {
  const ref = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  const logId = useId();
  const max = Math.max(LOG_HEIGHT.min, Math.round(window.innerHeight * LOG_MAX_SHARE));
  const short = useMediaQuery(SHORT_QUERY);
  const [height, setHeight, resetHeight] = usePanelSize('stderr-height', { initial: short ? LOG_HEIGHT.short : LOG_HEIGHT.initial, min: LOG_HEIGHT.min, max });
  const [collapsed, setCollapsed] = usePanelFlag('stderr-collapsed', false);

  useLayoutEffect(() => {
    const element = ref.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [lines, collapsed]);

  const onScroll = () => {
    const element = ref.current;
    if (!element) return;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK;
  };

  const copy = () => copyWithNotice(lines.join('\n'), `the stderr of ${server}`);

  return (
    <div className={`stderr bottom-panel${collapsed ? ' collapsed' : ''}`}>
      {!collapsed && (
        <Splitter label="Resize stderr console" controls={logId} orientation="horizontal" grows={-1} size={Math.min(height, max)} min={LOG_HEIGHT.min} max={max} onResize={setHeight} onReset={resetHeight} />
      )}
      <div className="pane-heading">
        <h3>
          <button type="button" className="disclosure" aria-expanded={!collapsed} aria-controls={logId} onClick={() => setCollapsed(!collapsed)}>
            <span aria-hidden="true">{collapsed ? '▸' : '▾'}</span> stderr
          </button>
        </h3>
        <span className="muted">{lines.length === 0 ? 'no output' : `${lines.length} line${lines.length === 1 ? '' : 's'}`}</span>
        <button type="button" onClick={() => void copy()} disabled={lines.length === 0}>
          Copy
        </button>
      </div>
      <pre
        ref={ref}
        id={logId}
        className="stderr-log"
        role="log"
        aria-label={`stderr of ${server}`}
        tabIndex={0}
        onScroll={onScroll}
        hidden={collapsed}
        style={{ height: Math.min(height, max) }}
      >
        {lines.join('\n')}
      </pre>
    </div>
  );
}
