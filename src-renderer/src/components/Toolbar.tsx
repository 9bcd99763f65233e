interface ToolbarProps {
  onAdd(): void;
  onConnectAll(): void;
  onDisconnectAll(): void;
}

/** The app's header: its name and the actions on the whole catalog. */
export function Toolbar({ onAdd, onConnectAll, onDisconnectAll }: ToolbarProps) {
  return (
    <header className="toolbar">
      <h1 className="app-title">MCP Patchbay</h1>
      <div className="toolbar-actions">
        <button type="button" className="primary" onClick={onAdd}>
          Add server
        </button>
        <button type="button" onClick={onConnectAll}>
          Connect all
        </button>
        <button type="button" onClick={onDisconnectAll}>
          Disconnect all
        </button>
      </div>
    </header>
  );
}
