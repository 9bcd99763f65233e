import { pickConfigFiles } from '../import/config-file-picker';
import { useFindConfigsStore } from '../import/find-configs-store';
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
  const findConfigs = useFindConfigsStore((state) => state.find);
  return (
    <header className="toolbar">
      <h1 className="app-title">MCP Patchbay</h1>
      <div className="toolbar-actions">
        <button type="button" className="primary" onClick={onAdd}>
          Add server
        </button>
        <button type="button" onClick={pickConfigFiles}>
          Import…
        </button>
        <button type="button" onClick={() => void findConfigs()}>
          Find my configs
        </button>
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
