import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { SnapshotSummary } from '../../../src-shared/server-snapshot';
import { useAppStore } from '../store/app-store';
import { useDiffStore } from './diff-store';
import { DiffResultView } from './DiffResultView';
import { snapshotLabel } from './snapshot-label';

/**
 * Server diff: take a snapshot of a server's surface now (or open a snapshot file), the saved snapshots with Export
 * and Delete, two of them compared, and the diff with its changes grouped breaking first.
 */
export function DiffView({ active }: { active: boolean }) {
  const store = useDiffStore();
  // The catalog itself is selected (a new array per read would render for ever), its names derived from it.
  const catalog = useAppStore((state) => state.catalog);
  const servers = useMemo(() => catalog.map((entry) => entry.name), [catalog]);
  const [server, setServer] = useState('');
  const [before, setBefore] = useState('');
  const [after, setAfter] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = useId();

  useEffect(() => {
    if (active) void store.refresh();
  }, [active]);
  const chosenServer = servers.includes(server) ? server : (servers[0] ?? '');
  // The newest two by default: the one before the latest, then the latest.
  const known = (id: string) => store.saved.some((snapshot) => snapshot.id === id);
  const chosenBefore = known(before) ? before : (store.saved[1]?.id ?? store.saved[0]?.id ?? '');
  const chosenAfter = known(after) ? after : (store.saved[0]?.id ?? '');

  const take = async () => {
    const taken = await store.take(chosenServer);
    if (!taken) return;
    // The new snapshot becomes "after"; the one it replaces there becomes "before".
    setBefore(chosenAfter || taken.id);
    setAfter(taken.id);
  };

  return (
    // A tab panel, not a landmark of its own: the element main may not take the tabpanel role.
    <div className="diffs" id="view-diff" role="tabpanel" aria-labelledby="tab-diff" hidden={!active}>
      <section aria-labelledby={`${ids}-take`}>
        <h2 id={`${ids}-take`}>Snapshot</h2>
        <p className="muted">A snapshot keeps what a server offers: its info and capabilities, every tool with its input and output schema and annotations, resources, templates and prompts.</p>
        <div className="rc-row">
          <label htmlFor={`${ids}-server`}>Server</label>
          <select id={`${ids}-server`} value={chosenServer} onChange={(event) => setServer(event.target.value)}>
            {servers.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
          <button type="button" disabled={chosenServer === '' || store.taking !== undefined} onClick={() => void take()}>
            {store.taking ? `Taking a snapshot of ${store.taking}…` : 'Take snapshot now'}
          </button>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Open snapshot…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            hidden
            aria-label="Snapshot file to open"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void store.importFile(file);
            }}
          />
        </div>
      </section>
      <section aria-labelledby={`${ids}-saved`}>
        <h2 id={`${ids}-saved`}>Snapshots</h2>
        {store.problems.map((problem) => (
          <p key={problem} className="rp-warning">
            {problem}
          </p>
        ))}
        {store.saved.length === 0 ? (
          <p className="muted">No snapshots yet. Take one of a server, change the server, take another, then compare the two.</p>
        ) : (
          <table className="rc-table">
            <thead>
              <tr>
                <th scope="col">Server</th>
                <th scope="col">Version</th>
                <th scope="col">Era</th>
                <th scope="col">Tools</th>
                <th scope="col">Resources</th>
                <th scope="col">Prompts</th>
                <th scope="col">Taken</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {store.saved.map((snapshot) => (
                <SavedSnapshot key={snapshot.id} snapshot={snapshot} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {store.saved.length > 0 && (
        <section aria-labelledby={`${ids}-compare`}>
          <h2 id={`${ids}-compare`}>Compare</h2>
          <form
            className="rc-replay-form"
            aria-label="Compare snapshots"
            onSubmit={(event) => {
              event.preventDefault();
              void store.compare(chosenBefore, chosenAfter);
            }}
          >
            <label htmlFor={`${ids}-before`}>Before</label>
            <SnapshotSelect id={`${ids}-before`} value={chosenBefore} onChange={setBefore} snapshots={store.saved} />
            <label htmlFor={`${ids}-after`}>After</label>
            <SnapshotSelect id={`${ids}-after`} value={chosenAfter} onChange={setAfter} snapshots={store.saved} />
            <button type="submit" disabled={chosenBefore === '' || chosenAfter === ''}>
              Compare
            </button>
          </form>
        </section>
      )}
      {store.result && <DiffResultView diff={store.result} />}
    </div>
  );
}

function SnapshotSelect({ id, value, onChange, snapshots }: { id: string; value: string; onChange(id: string): void; snapshots: SnapshotSummary[] }) {
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
      {snapshots.map((snapshot) => (
        <option key={snapshot.id} value={snapshot.id}>
          {snapshotLabel(snapshot)}
        </option>
      ))}
    </select>
  );
}

function SavedSnapshot({ snapshot }: { snapshot: SnapshotSummary }) {
  const store = useDiffStore();
  const label = snapshotLabel(snapshot);
  return (
    <tr data-testid="snapshot-row">
      <th scope="row">{snapshot.server}</th>
      <td>{snapshot.serverInfo ? `${snapshot.serverInfo.name} ${snapshot.serverInfo.version}` : '—'}</td>
      <td>{snapshot.era}</td>
      <td>{snapshot.counts.tools}</td>
      <td>{snapshot.counts.resources + snapshot.counts.resourceTemplates}</td>
      <td>{snapshot.counts.prompts}</td>
      <td>{new Date(snapshot.takenAt).toLocaleString()}</td>
      <td className="rc-actions">
        <button type="button" aria-label={`Export ${label}`} onClick={() => void store.exportFile(snapshot.id)}>
          Export
        </button>
        <button type="button" aria-label={`Delete ${label}`} onClick={() => void store.remove(snapshot.id)}>
          Delete
        </button>
      </td>
    </tr>
  );
}
