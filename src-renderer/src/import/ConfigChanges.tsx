import { useCallback, useEffect, useState } from 'react';
import type { SourceChangesView, WatchedConfigs } from '../../../src-shared/api-contract';
import { getApi } from '../api/get-api';
import { Modal } from '../components/Modal';
import { errorText } from '../error-text';
import { notify } from '../notifications/notification-store';
import { DialogFooter } from '../components/DialogFooter';

/** How often the page asks main about watched files; the call is local and cheap, and there is no push event for it. */
const POLL_MS = 1500;

type Source = WatchedConfigs['sources'][number];

/**
 * "Keep in sync": a notice when a watched config file changed (or cannot be read), and a dialog that shows what the
 * change adds, removes and changes before anything is applied. Apply is one catalog write; "Keep current catalog"
 * declines, and the same content is not offered again.
 */
export function ConfigChanges() {
  const [sources, setSources] = useState<Source[]>([]);
  const [reviewing, setReviewing] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const refresh = useCallback(async () => {
    try {
      setSources((await getApi().watchedConfigs()).sources);
    } catch {
      // The next poll tries again; a closed host ends the page anyway.
    }
  }, []);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const answer = async (source: Source, apply: boolean) => {
    if (!source.pending) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await getApi().answerConfigChange({ path: source.path, hash: source.pending.hash, apply });
      setSources(result.watched.sources);
      setReviewing(undefined);
      const skipped = result.skipped.map((skip) => `"${skip.name}" was not added: ${skip.reason}`).join('; ');
      notify(apply ? 'success' : 'info', apply ? `Applied the changes from ${fileName(source.path)}.${skipped ? ` ${skipped}.` : ''}` : `Kept the current catalog; this version of ${fileName(source.path)} will not be offered again.`);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const unwatch = async (source: Source) => {
    try {
      setSources((await getApi().unwatchConfig({ path: source.path })).sources);
      setReviewing(undefined);
      notify('info', `Stopped watching ${fileName(source.path)}; its servers stay as they are.`);
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  const open = sources.find((source) => source.path === reviewing && source.pending);
  return (
    <>
      {sources.map((source) =>
        source.pending ? (
          <div key={source.path} className="banner" role="status" aria-label={`Changes in ${fileName(source.path)}`}>
            <span>
              {fileName(source.path)} changed on disk: {summarize(source.pending.changes)}.
            </span>{' '}
            <button type="button" onClick={() => setReviewing(source.path)}>
              Review changes
            </button>
          </div>
        ) : source.problem ? (
          <div key={source.path} className="banner banner-error" role="alert">
            <span>Watched file cannot be used: {source.problem}</span>
          </div>
        ) : null,
      )}
      {open?.pending && (
        <Modal label={`Changes in ${fileName(open.path)}`} onClose={() => setReviewing(undefined)} className="modal-wide">
          <p className="mono">{open.path}</p>
          <ChangeList changes={open.pending.changes} />
          {open.pending.changes.changed.length + open.pending.changes.removed.length > 0 && (
            <p className="muted">Connected servers that change or are removed are disconnected when this is applied; connect them again afterwards.</p>
          )}
          <DialogFooter errors={error}>
            <button type="button" onClick={() => void unwatch(open)} disabled={busy}>
              Stop watching
            </button>
            <button type="button" onClick={() => void answer(open, false)} disabled={busy}>
              Keep current catalog
            </button>
            <button type="button" className="primary" onClick={() => void answer(open, true)} disabled={busy} data-autofocus>
              {busy ? 'Applying…' : 'Apply changes'}
            </button>
          </DialogFooter>
        </Modal>
      )}
    </>
  );
}

function ChangeList({ changes }: { changes: SourceChangesView }) {
  return (
    <ul className="import-entries" aria-label="Changes">
      {changes.added.map((name) => (
        <li key={`added ${name}`} className="import-entry">
          Added: <strong>{name}</strong>
        </li>
      ))}
      {changes.removed.map((name) => (
        <li key={`removed ${name}`} className="import-entry">
          Removed: <strong>{name}</strong>
        </li>
      ))}
      {changes.changed.map(({ name, fields }) => (
        <li key={`changed ${name}`} className="import-entry">
          Changed: <strong>{name}</strong>
          <ul>
            {fields.map((field) => (
              <li key={field.field}>
                {field.keys ? (
                  <>
                    {field.field}: {describeKeys(field.keys)} (values hidden)
                  </>
                ) : (
                  <>
                    {field.field}: <span className="mono">{field.before ?? '(none)'}</span> → <span className="mono">{field.after ?? '(none)'}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function describeKeys(keys: { added: string[]; removed: string[]; changed: string[] }): string {
  return [keys.added.length && `added ${keys.added.join(', ')}`, keys.removed.length && `removed ${keys.removed.join(', ')}`, keys.changed.length && `changed ${keys.changed.join(', ')}`]
    .filter(Boolean)
    .join('; ');
}

function summarize(changes: SourceChangesView): string {
  const count = (n: number, word: string) => (n ? `${n} ${word}` : '');
  return [count(changes.added.length, 'added'), count(changes.removed.length, 'removed'), count(changes.changed.length, 'changed')].filter(Boolean).join(', ');
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
