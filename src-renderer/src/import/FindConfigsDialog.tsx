import { useState } from 'react';
import type { LocatedConfig } from '../../../src-shared/api-contract';
import { Modal } from '../components/Modal';
import { useFindConfigsStore } from './find-configs-store';

/**
 * What "Find my configs" found: each existing config file with its host and real path and how many servers it has,
 * ticked when it has some; the ticked ones go through the import preview. The places looked in without finding
 * anything are listed too, folded away.
 */
export function FindConfigsDialog() {
  const { searching, configs, error, importChosen, close } = useFindConfigsStore();
  const found = (configs ?? []).filter((config) => config.exists);
  const missing = (configs ?? []).filter((config) => !config.exists);
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const isTicked = (config: LocatedConfig) => ticked[config.path] ?? (config.servers ?? 0) > 0;
  const chosen = found.filter(isTicked).map((config) => config.path);

  return (
    <Modal label="Find my configs" onClose={close} className="modal-wide">
      {searching && (
        <p role="status">
          <span className="spinner" aria-hidden="true" /> Looking in the places each MCP host keeps its config…
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {configs && found.length === 0 && <p>No MCP host config files were found in the {missing.length} places looked in.</p>}
      {found.length > 0 && (
        <ul className="found-configs" aria-label="Config files found">
          {found.map((config) => (
            <li key={config.path} className="found-config" data-testid="found-config" data-host={config.host}>
              <label>
                <input type="checkbox" checked={isTicked(config)} onChange={(event) => setTicked((current) => ({ ...current, [config.path]: event.target.checked }))} />
                <strong>{config.host}</strong> <span className="muted">{config.label}</span>
                {config.servers !== undefined && <span className="tag">{config.servers === 1 ? '1 server' : `${config.servers} servers`}</span>}
              </label>
              <div className="mono import-target">{config.path}</div>
              {config.problem && <div className="import-warning">{config.problem}</div>}
            </li>
          ))}
        </ul>
      )}
      {missing.length > 0 && (
        <details className="found-configs-missing">
          <summary>Also looked in {missing.length} places where nothing was found</summary>
          <ul>
            {missing.map((config) => (
              <li key={config.path} className="mono">
                {config.host}: {config.path}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="modal-actions">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={chosen.length === 0} onClick={() => void importChosen(chosen)}>
          {chosen.length === 1 ? 'Preview import of 1 file' : `Preview import of ${chosen.length} files`}
        </button>
      </div>
    </Modal>
  );
}
