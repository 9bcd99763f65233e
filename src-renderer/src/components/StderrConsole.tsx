import { useLayoutEffect, useRef } from 'react';
import { copyWithNotice } from '../notifications/notification-store';

interface StderrConsoleProps {
  server: string;
  /** The lines to show, oldest first (the store keeps the last 1000). */
  lines: readonly string[];
}

/** How close to the bottom (px) still counts as "at the bottom". */
const BOTTOM_SLACK = 8;

/**
 * A stdio server's stderr. It follows new lines while scrolled to the bottom and stays put once the user
 * scrolls up to read, until they scroll back down. Copy puts every line on the clipboard (and says so as a notification).
 */
export function StderrConsole({ server, lines }: StderrConsoleProps) {
  const ref = useRef<HTMLPreElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = ref.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  const onScroll = () => {
    const element = ref.current;
    if (!element) return;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK;
  };

  const copy = () => copyWithNotice(lines.join('\n'), `the stderr of ${server}`);

  return (
    <div className="stderr">
      <div className="pane-heading">
        <h3>stderr</h3>
        <span className="muted">{lines.length === 0 ? 'no output' : `${lines.length} line${lines.length === 1 ? '' : 's'}`}</span>
        <button type="button" onClick={() => void copy()} disabled={lines.length === 0}>
          Copy
        </button>
      </div>
      <pre ref={ref} className="stderr-log" role="log" aria-label={`stderr of ${server}`} tabIndex={0} onScroll={onScroll}>
        {lines.join('\n')}
      </pre>
    </div>
  );
}
