import { useMemo, useState } from 'react';
import type { ImportPreview } from '../../../src-shared/api-contract';
import { Modal } from '../components/Modal';
import { checkChoices, choiceKey, defaultChoices, toDecisions, type ImportChoice, type ImportChoices } from './import-choices';
import { useImportStore } from './import-store';
import { DialogFooter } from '../components/DialogFooter';

/**
 * The import preview: per file, what it was read as and what it would add (name, transport, command or URL,
 * warnings, placeholders it needs); a choice for every name that is taken; one confirm applies it all or nothing.
 */
export function ImportDialog({ preview }: { preview: ImportPreview }) {
  const { busy, error, confirm, dismiss, watchablePaths } = useImportStore();
  const [watched, setWatched] = useState<string[]>([]);
  const toggleWatch = (path: string, on: boolean) => setWatched((current) => (on ? [...current, path] : current.filter((candidate) => candidate !== path)));
  const [choices, setChoices] = useState<ImportChoices>(() => defaultChoices(preview));
  const problems = useMemo(() => checkChoices(preview, choices), [preview, choices]);
  const conflictNames = new Set(preview.conflicts.map((conflict) => conflict.name));
  const importable = preview.entries.length > 0;

  const choose = (name: string, file: string, choice: ImportChoice) => setChoices((current) => ({ ...current, [choiceKey(name, file)]: choice }));

  return (
    <Modal label="Import servers" onClose={dismiss} className="modal-wide">
      <div className="import-files">
        {preview.files.map((file) => (
          <section key={file.path} className="import-file" aria-label={`File ${file.path}`}>
            <h3 className="mono">{file.path}</h3>
            {file.ok ? <p className="muted">{file.detection}</p> : <p className="form-error" role="alert">{file.error}</p>}
            {file.ok && watchablePaths.includes(file.path) && (
              <label className="import-watch">
                <input type="checkbox" checked={watched.includes(file.path)} onChange={(event) => toggleWatch(file.path, event.target.checked)} /> Watch this file: offer its
                changes when it is edited
              </label>
            )}
            {[...file.problems, ...file.warnings].map((note) => (
              <p key={note} className={file.problems.includes(note) ? 'form-error' : 'import-warning'}>
                {note}
              </p>
            ))}
            {groupEntries(preview.entries.filter((entry) => entry.file === file.path)).map(({ group, entries }) => (
              <div key={group ?? ''} className="import-group" role={group ? 'group' : undefined} aria-label={group}>
                {group && <h4 className="import-group-title">{group}</h4>}
                <ul className="import-entries">
                  {entries.map((entry) => {
                    const choice = choices[choiceKey(entry.name, entry.file)] ?? { action: 'replace' as const };
                    const conflict = preview.conflicts.find((candidate) => candidate.name === entry.name);
                    return (
                      <li key={entry.name} className="import-entry" data-testid="import-entry" data-server={entry.name}>
                        <div className="import-entry-main">
                          <strong>{entry.name}</strong> <span className="tag">{entry.transport === 'stdio' ? 'STDIO' : entry.transport === 'sse' ? 'SSE' : 'Streamable HTTP'}</span>
                          {entry.disabled && <span className="tag tag-muted">disabled</span>}
                          <div className="mono import-target">{entry.urlWithDefaults ?? entry.url ?? [entry.command, ...(entry.args ?? [])].join(' ')}</div>
                          {entry.urlWithDefaults && <div className="muted mono">as written: {entry.url}</div>}
                          {entry.needs.length > 0 && <div className="muted">Needs at connect time: {entry.needs.join(', ')}</div>}
                          {entry.warnings.map((warning) => (
                            <div key={warning} className="import-warning">
                              {warning}
                            </div>
                          ))}
                        </div>
                        {conflictNames.has(entry.name) && conflict && (
                          <fieldset className="import-choice">
                            <legend>{conflict.message}</legend>
                            <label>
                              <input type="radio" name={`choice-${entry.file}-${entry.name}`} checked={choice.action === 'rename'} onChange={() => choose(entry.name, entry.file, { action: 'rename', newName: conflict.suggestedNames[conflict.files.indexOf(entry.file)] ?? `${entry.name} 2` })} />
                              Rename to
                            </label>
                            <input
                              type="text"
                              aria-label={`New name for ${entry.name} from ${entry.file}`}
                              value={choice.action === 'rename' ? choice.newName : ''}
                              disabled={choice.action !== 'rename'}
                              onChange={(event) => choose(entry.name, entry.file, { action: 'rename', newName: event.target.value })}
                            />
                            <label>
                              <input type="radio" name={`choice-${entry.file}-${entry.name}`} checked={choice.action === 'replace'} onChange={() => choose(entry.name, entry.file, { action: 'replace' })} />
                              {conflict.inCatalog ? 'Replace the existing one' : 'Keep this name'}
                            </label>
                            <label>
                              <input type="radio" name={`choice-${entry.file}-${entry.name}`} checked={choice.action === 'skip'} onChange={() => choose(entry.name, entry.file, { action: 'skip' })} />
                              Skip
                            </label>
                          </fieldset>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </div>
            ))}
          </section>
        ))}
      </div>
      <DialogFooter errors={[...problems, error]}>
        <button type="button" onClick={dismiss}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={busy || problems.length > 0 || !importable} onClick={() => void confirm(toDecisions(preview, choices), watched)}>
          {busy ? 'Importing…' : `Import ${preview.entries.length === 1 ? '1 server' : `${preview.entries.length} servers`}`}
        </button>
      </DialogFooter>
    </Modal>
  );
}

type PreviewEntry = ImportPreview['entries'][number];

/** A file's entries by group (Claude Code's scopes and projects), in the order groups first appear; one unnamed group otherwise. */
function groupEntries(entries: PreviewEntry[]): Array<{ group?: string; entries: PreviewEntry[] }> {
  const groups: Array<{ group?: string; entries: PreviewEntry[] }> = [];
  for (const entry of entries) {
    const found = groups.find((candidate) => candidate.group === entry.group);
    if (found) found.entries.push(entry);
    else groups.push({ group: entry.group, entries: [entry] });
  }
  return groups;
}
