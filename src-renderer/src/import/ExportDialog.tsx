import { useEffect, useMemo, useState } from 'react';
import { EXPORT_TARGETS } from '../../../src-shared/api-contract';
import { getApi } from '../api/get-api';
import { errorText } from '../error-text';
import { Modal } from '../components/Modal';
import { useAppStore } from '../store/app-store';
import { copyWithNotice, notify } from '../notifications/notification-store';

/** The scope value meaning every server. */
const ALL = '\u0000all';

type Target = (typeof EXPORT_TARGETS)[number];
const TARGET_LABELS: Record<Target, string> = { 'claude-desktop': 'Claude Desktop', vscode: 'VS Code', cursor: 'Cursor' };

/** Shows the catalog (or one server) as another host's config file, to copy or download. */
export function ExportDialog({ onClose }: { onClose(): void }) {
  const catalog = useAppStore((state) => state.catalog);
  const [target, setTarget] = useState<Target>('claude-desktop');
  const [scope, setScope] = useState<string>(ALL);
  const names = useMemo(() => (scope === ALL ? undefined : [scope]), [scope]);
  const [result, setResult] = useState<{ fileName: string; text: string; warnings: string[] }>();
  const [error, setError] = useState<string>();
  // Secret values go into the file only when asked for: it is written in clear.
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const hasSecrets = catalog.some((entry) => (entry.secrets ?? []).length > 0 && (scope === ALL || entry.name === scope));

  useEffect(() => {
    let current = true;
    getApi()
      .exportConfig({ target, names, includeSecrets })
      .then(
        (exported) => current && (setResult(exported), setError(undefined)),
        (caught: unknown) => current && setError(errorText(caught)),
      );
    return () => {
      current = false;
    };
  }, [target, names, includeSecrets]);

  const download = () => {
    if (!result) return;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([result.text], { type: 'application/json' }));
    link.download = result.fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    notify('success', `Exported ${result.fileName} (${TARGET_LABELS[target]} format) `);
  };

  return (
    <Modal label="Export servers" onClose={onClose} className="modal-wide">
      <label className="field">
        <span>Servers</span>
        <select value={scope} onChange={(event) => setScope(event.target.value)}>
          <option value={ALL}>The whole catalog ({catalog.length})</option>
          {catalog.map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Format</span>
        <select value={target} onChange={(event) => setTarget(event.target.value as Target)} data-autofocus>
          {EXPORT_TARGETS.map((option) => (
            <option key={option} value={option}>
              {TARGET_LABELS[option]}
            </option>
          ))}
        </select>
      </label>
      {hasSecrets && (
        <div className="field field-checkbox">
          <input id="export-include-secrets" type="checkbox" checked={includeSecrets} onChange={(event) => setIncludeSecrets(event.target.checked)} />
          <label htmlFor="export-include-secrets">Include secret values (written in clear: keep the file private)</label>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {result?.warnings.map((warning) => (
        <p key={warning} className="import-warning">
          {warning}
        </p>
      ))}
      <pre className="export-text" aria-label="Exported config" tabIndex={0}>
        {result?.text ?? ''}
      </pre>
      <div className="modal-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
        <button type="button" disabled={!result} onClick={() => void copyWithNotice(result!.text, `the ${TARGET_LABELS[target]} config`)}>
          Copy
        </button>
        <button type="button" className="primary" disabled={!result} onClick={download}>
          Download {result?.fileName ?? ''}
        </button>
      </div>
    </Modal>
  );
}
