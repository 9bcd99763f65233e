import { useId } from 'react';
import { CHANGE_KINDS, describeCounts, previewChangeValue, type ServerDiff, type SurfaceChange } from '../../../src-shared/server-diff';
import { snapshotLabel } from './snapshot-label';

const KIND_HEADINGS = { breaking: 'Breaking', additive: 'Additive', cosmetic: 'Cosmetic' } as const;
const KIND_NOTES = {
  breaking: 'An agent written against the first snapshot may fail against the second.',
  additive: 'New or wider; existing callers are unaffected.',
  cosmetic: 'Wording and versions only.',
} as const;

/** A diff: the counts per kind, then the changes grouped, breaking first, each with its path and before → after. */
export function DiffResultView({ diff }: { diff: ServerDiff }) {
  const ids = useId();
  return (
    <section className="df-result" aria-labelledby={`${ids}-title`} data-testid="diff-result">
      <h2 id={`${ids}-title`}>
        {snapshotLabel(diff.before)} → {snapshotLabel(diff.after)}
      </h2>
      <p role="status" className={`df-verdict${diff.counts.breaking > 0 ? ' df-verdict-breaking' : ''}`} data-testid="diff-counts">
        {describeCounts(diff.counts)}
        {diff.counts.breaking > 0 ? ': an agent may break' : diff.changes.length > 0 ? ': nothing breaks' : ''}
      </p>
      {CHANGE_KINDS.map((kind) => {
        const changes = diff.changes.filter((change) => change.kind === kind);
        if (changes.length === 0) return null;
        return (
          <section key={kind} className={`df-group df-group-${kind}`} aria-labelledby={`${ids}-${kind}`} data-testid={`diff-group-${kind}`}>
            <h3 id={`${ids}-${kind}`}>
              {KIND_HEADINGS[kind]} ({changes.length})
            </h3>
            <p className="muted">{KIND_NOTES[kind]}</p>
            <ul className="df-changes">
              {changes.map((change) => (
                <ChangeItem key={`${change.path} ${change.summary}`} change={change} />
              ))}
            </ul>
          </section>
        );
      })}
    </section>
  );
}

function ChangeItem({ change }: { change: SurfaceChange }) {
  return (
    <li className="df-change" data-testid="diff-change" data-kind={change.kind}>
      <span className={`df-badge df-badge-${change.kind}`}>{KIND_HEADINGS[change.kind]}</span> <span className="df-summary">{change.summary}</span>
      <div className="df-detail">
        <code className="df-path">{change.path}</code>
        {(change.before !== undefined || change.after !== undefined) && (
          <span className="df-values">
            {' '}
            <span className="df-before">{change.before === undefined ? <em>absent</em> : <code>{previewChangeValue(change.before)}</code>}</span>
            {' → '}
            <span className="df-after">{change.after === undefined ? <em>absent</em> : <code>{previewChangeValue(change.after)}</code>}</span>
          </span>
        )}
      </div>
    </li>
  );
}
