import { useLayoutEffect, useRef } from 'react';
import { clearLogs, sessionOf, useInspectorStore } from './inspector-store';
import { levelSeverity } from './log-model';
import { formatClock } from './time-format';

/** The server's log messages (notifications/message), newest at the bottom, following while scrolled down. */
export function LogPanel({ server }: { server: string }) {
  const logs = useInspectorStore((state) => sessionOf(state, server).logs);
  const ref = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  useLayoutEffect(() => {
    const element = ref.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [logs]);

  return (
    <section className="insp-log" aria-label="Log messages">
      <div className="pane-heading">
        <h3>Log</h3>
        <span className="muted">{logs.length === 0 ? 'no messages' : `${logs.length} message${logs.length === 1 ? '' : 's'}`}</span>
        <button type="button" onClick={() => clearLogs(server)} disabled={logs.length === 0}>
          Clear
        </button>
      </div>
      <ol
        ref={ref}
        className="insp-log-list"
        role="log"
        aria-label={`Log messages of ${server}`}
        tabIndex={0}
        onScroll={() => {
          const element = ref.current;
          if (element) following.current = element.scrollHeight - element.scrollTop - element.clientHeight <= 8;
        }}
      >
        {logs.map((entry) => (
          <li key={entry.id} data-severity={levelSeverity(entry.level) >= 4 ? 'high' : levelSeverity(entry.level) >= 3 ? 'warn' : 'low'}>
            <span className="muted">{formatClock(entry.at)}</span> <span className="insp-level">{entry.level}</span>
            {entry.logger && <span className="muted"> [{entry.logger}]</span>} {entry.text}
          </li>
        ))}
      </ol>
    </section>
  );
}
