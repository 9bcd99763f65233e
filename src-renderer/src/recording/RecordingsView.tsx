import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { RecordingSummary } from '../../../src-shared/recording';
import { useAppStore } from '../store/app-store';
import { TimelineView } from '../timeline/TimelineView';
import { recordingTimeline } from './recording-timeline';
import { useRecordingsStore } from './recordings-store';
import { ReplayResultView } from './ReplayResultView';

/** While a recording runs, how often its message count is read again. */
const STATUS_POLL_MS = 1000;
const ALL_SERVERS = '';

const formatDate = (at: number): string => new Date(at).toLocaleString();

/**
 * Record and replay: start and stop recordings (one server or all), the saved recordings with Replay, Open in
 * timeline, Export and Delete, a recording file opened from disk, the last replay's per-request diffs, and an
 * opened recording in a read-only timeline of its own.
 */
export function RecordingsView({ active }: { active: boolean }) {
  const store = useRecordingsStore();
  // The catalog itself is selected (a new array per read would render for ever), its names derived from it.
  const catalog = useAppStore((state) => state.catalog);
  const servers = useMemo(() => catalog.map((entry) => entry.name), [catalog]);
  const [source, setSource] = useState(ALL_SERVERS);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = useId();

  useEffect(() => {
    if (active) void store.refresh();
  }, [active]);
  const recording = store.active.length > 0;
  useEffect(() => {
    if (!active || !recording) return;
    const timer = setInterval(() => void useRecordingsStore.getState().refresh(), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [active, recording]);

  return (
    // A tab panel, not a landmark of its own: the element main may not take the tabpanel role.
    <div className="recordings" id="view-recordings" role="tabpanel" aria-labelledby="tab-recordings" hidden={!active}>
      <section className="rc-record" aria-labelledby={`${ids}-record`}>
        <h2 id={`${ids}-record`}>Record</h2>
        <div className="rc-row">
          <label htmlFor={`${ids}-source`}>Record from</label>
          <select id={`${ids}-source`} value={source} onChange={(event) => setSource(event.target.value)}>
            <option value={ALL_SERVERS}>All servers</option>
            {servers.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void store.start(source === ALL_SERVERS ? undefined : source)}>
            Start recording
          </button>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Open recording…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            aria-label="Recording file to open"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void store.importFile(file);
            }}
          />
        </div>
        {store.active.length > 0 && (
          <ul className="rc-active" aria-label="Recordings under way">
            {store.active.map((item) => (
              <li key={item.id} data-testid="recording-active">
                <span className="rc-dot" aria-hidden="true">
                  ●
                </span>{' '}
                Recording {item.scope.kind === 'all' ? 'all servers' : item.scope.server}: {item.messages} messages{' '}
                <button type="button" onClick={() => void store.stop(item.id)}>
                  Stop recording
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="rc-saved" aria-labelledby={`${ids}-saved`}>
        <h2 id={`${ids}-saved`}>Recordings</h2>
        {store.problems.map((problem) => (
          <p key={problem} className="rp-warning">
            {problem}
          </p>
        ))}
        {store.saved.length === 0 ? (
          <p className="muted">No recordings yet. Start one, then use a server: every message both ways is kept, with the server&apos;s answers and yours.</p>
        ) : (
          <table className="rc-table">
            <thead>
              <tr>
                <th scope="col">Recording</th>
                <th scope="col">Servers</th>
                <th scope="col">Era</th>
                <th scope="col">Messages</th>
                <th scope="col">Date</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {store.saved.map((summary) => (
                <SavedRecording key={summary.id} summary={summary} servers={servers} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {store.replaying && (
        <p role="status" className="muted">
          Replaying…
        </p>
      )}
      {store.result && <ReplayResultView result={store.result} />}
      <OpenedRecording />
    </div>
  );
}

function SavedRecording({ summary, servers }: { summary: RecordingSummary; servers: string[] }) {
  const store = useRecordingsStore();
  const ids = useId();
  const [replayOpen, setReplayOpen] = useState(false);
  const [target, setTarget] = useState(summary.servers.find((name) => servers.includes(name)) ?? servers[0] ?? '');
  const [ignore, setIgnore] = useState('');
  const replaying = store.replaying === summary.id;
  return (
    <>
      <tr data-testid="recording-row">
        <th scope="row">{summary.name}</th>
        <td>{summary.servers.join(', ') || '—'}</td>
        <td>{summary.eras.join(', ') || '—'}</td>
        <td>{summary.messages}</td>
        <td>{formatDate(summary.startedAt)}</td>
        <td className="rc-actions">
          <button type="button" aria-expanded={replayOpen} aria-controls={`${ids}-replay`} onClick={() => setReplayOpen(!replayOpen)}>
            Replay…
          </button>
          <button type="button" onClick={() => void store.open(summary.id)}>
            Open in timeline
          </button>
          <button type="button" onClick={() => void store.exportFile(summary.id)}>
            Export
          </button>
          <button type="button" onClick={() => void store.remove(summary.id)}>
            Delete
          </button>
        </td>
      </tr>
      {replayOpen && (
        <tr id={`${ids}-replay`}>
          <td colSpan={6}>
            <form
              className="rc-replay-form"
              aria-label={`Replay of ${summary.name}`}
              onSubmit={(event) => {
                event.preventDefault();
                const paths = ignore.split('\n').map((line) => line.trim()).filter(Boolean);
                void store.replay(summary.id, target, paths);
              }}
            >
              <label htmlFor={`${ids}-target`}>Replay against</label>
              <select id={`${ids}-target`} value={target} onChange={(event) => setTarget(event.target.value)}>
                {servers.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
              <label htmlFor={`${ids}-ignore`}>Ignore paths (one per line)</label>
              <textarea id={`${ids}-ignore`} rows={2} placeholder="/result/content/0/text" value={ignore} onChange={(event) => setIgnore(event.target.value)} />
              <button type="submit" disabled={replaying || target === ''}>
                {replaying ? 'Replaying…' : 'Run replay'}
              </button>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}

/** The opened recording in a timeline of its own, read-only: nothing live reaches it. */
function OpenedRecording() {
  const opened = useRecordingsStore((state) => state.opened);
  const close = useRecordingsStore((state) => state.close);
  const timeline = useMemo(() => (opened ? recordingTimeline(opened) : undefined), [opened]);
  if (!opened || !timeline) return null;
  const heading = (
    <div className="rc-opened-heading">
      <h2>
        Recording: {opened.name} <span className="rc-readonly">(read-only)</span>
      </h2>
      <p className="muted">
        {opened.messages.length} messages recorded {formatDate(opened.startedAt)} to {formatDate(opened.endedAt)}
        {opened.limitReached && '; it stopped taking messages at its limit'}
      </p>
      <button type="button" onClick={close}>
        Close recording
      </button>
    </div>
  );
  return <TimelineView active store={timeline} embedded={{ id: 'recording-timeline', label: `Recording ${opened.name} (read-only)`, heading }} />;
}
