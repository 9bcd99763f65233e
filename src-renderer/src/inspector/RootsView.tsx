import type { Client } from '@modelcontextprotocol/client';
import { useState } from 'react';
import { rootsOf, setRoots, useInspectorStore } from './inspector-store';
import { draftsFromRoots, rootsFromDrafts, sameRoots, type RootDraft, type RootProblem } from './roots-model';
import { errorMessage } from './tool-calls';

/**
 * The Roots tab: the roots this client gives the server (roots/list), edited as rows and saved together; saving a
 * changed list sends notifications/roots/list_changed so the server asks again.
 */
export function RootsView({ server, client }: { server: string; client: Client }) {
  const saved = useInspectorStore((state) => rootsOf(state, server));
  const [drafts, setDrafts] = useState<RootDraft[]>(() => (saved.length > 0 ? draftsFromRoots(saved) : [{ uri: '', name: '' }]));
  const [problems, setProblems] = useState<RootProblem[]>([]);
  const [status, setStatus] = useState<string>();

  const edit = (index: number, change: Partial<RootDraft>) => {
    setDrafts((current) => current.map((draft, position) => (position === index ? { ...draft, ...change } : draft)));
    setStatus(undefined);
  };

  const save = async () => {
    const outcome = rootsFromDrafts(drafts);
    if ('problems' in outcome) {
      setProblems(outcome.problems);
      setStatus(undefined);
      return;
    }
    setProblems([]);
    if (sameRoots(outcome.roots, saved)) {
      setStatus('No change.');
      return;
    }
    setRoots(server, outcome.roots);
    // The modern era has no roots/list_changed: roots travel in the answer to a request's roots input request.
    if (client.getProtocolEra() === 'modern') {
      setStatus(`Saved ${outcome.roots.length} root${outcome.roots.length === 1 ? '' : 's'}; they are sent when a request asks for them.`);
      return;
    }
    try {
      await client.sendRootsListChanged();
      setStatus(`Saved ${outcome.roots.length} root${outcome.roots.length === 1 ? '' : 's'}; the server was told the list changed.`);
    } catch (error) {
      setStatus(`Saved, but the server could not be told: ${errorMessage(error)}`);
    }
  };

  return (
    <form
      className="insp-roots"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <p className="muted">
        The folders this client offers the server (it asks with roots/list). URIs must start with <span className="mono">file://</span>.
      </p>
      <table className="insp-roots-table">
        <thead>
          <tr>
            <th scope="col">URI</th>
            <th scope="col">Name</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {drafts.map((draft, index) => {
            const problem = problems.find((candidate) => candidate.index === index);
            return (
              <tr key={index}>
                <td>
                  <input
                    aria-label={`URI of root ${index + 1}`}
                    className="mono"
                    value={draft.uri}
                    placeholder="file:///path/to/project"
                    aria-invalid={problem ? true : undefined}
                    onChange={(event) => edit(index, { uri: event.target.value })}
                  />
                  {problem && <p className="sf-error">{problem.message}</p>}
                </td>
                <td>
                  <input aria-label={`Name of root ${index + 1}`} value={draft.name} placeholder="optional" onChange={(event) => edit(index, { name: event.target.value })} />
                </td>
                <td>
                  <button type="button" className="icon danger" aria-label={`Remove root ${index + 1}`} onClick={() => setDrafts((current) => current.filter((_, position) => position !== index))}>
                    ✕
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="insp-row insp-actions">
        <button type="button" onClick={() => setDrafts((current) => [...current, { uri: '', name: '' }])}>
          + Add root
        </button>
        <button type="submit" className="primary">
          Save roots
        </button>
        <span className="muted" role="status">
          {status}
        </span>
      </div>
      <p className="muted">
        Given now: {saved.length === 0 ? 'none' : saved.map((root) => root.uri).join(', ')}
      </p>
    </form>
  );
}
