import { useRef } from 'react';
import { useFindConfigsStore } from '../import/find-configs-store';
import { useImportStore } from '../import/import-store';
import { NotificationsButton } from '../notifications/NotificationsButton';

interface ToolbarProps {
  onAdd(): void;
  onExport(): void;
  onSettings(): void;
  onConnectAll(): void;
  onDisconnectAll(): void;
}

/** The app's header: its name and the actions on the whole catalog. */
export function Toolbar({ onAdd, onExport, onSettings, onConnectAll, onDisconnectAll }: ToolbarProps) {
  const picker = useRef<HTMLInputElement>(null);
  const importFiles = useImportStore((state) => state.importFiles);
  const findConfigs = useFindConfigsStore((state) => state.find);
  return (
    <header className="toolbar">
      <h1 className="app-title">MCP Patchbay</h1>
      <div className="toolbar-actions">
        <button type="button" className="primary" onClick={onAdd}>
          Add server
        </button>
        <button type="button" onClick={() => picker.current?.click()}>
          Import…
        </button>
        <button type="button" onClick={() => void findConfigs()}>
          Find my configs
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          accept=".json,.jsonc,.yaml,.yml,.toml,application/json"
          hidden
          aria-label="Config files to import"
          onChange={(event) => {
            void importFiles([...(event.target.files ?? [])]);
            event.target.value = '';
          }}
        />
        <button type="button" onClick={onExport}>
          Export…
        </button>
        <button type="button" onClick={onConnectAll}>
          Connect all
        </button>
        <button type="button" onClick={onDisconnectAll}>
          Disconnect all
        </button>
        <button type="button" onClick={onSettings}>
          Settings…
        </button>
        <NotificationsButton />
      </div>
    </header>
  );
}
