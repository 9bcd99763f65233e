import { pickConfigFiles } from '../import/config-file-picker';
import { useFindConfigsStore } from '../import/find-configs-store';

interface EmptyStateProps {
  onAdd(): void;
}

/** What an empty catalog shows: the three ways in (add by hand, import or drop a config file, find existing configs). */
export function EmptyState({ onAdd }: EmptyStateProps) {
  const findConfigs = useFindConfigsStore((state) => state.find);
  return (
    <section className="detail empty-state" aria-labelledby="empty-state-title">
      <h2 id="empty-state-title">No servers yet</h2>
      <p className="muted">Add an MCP server to connect to it and inspect its tools, resources and prompts.</p>
      <div className="empty-state-ways">
        <div className="empty-state-way">
          <button type="button" className="primary" onClick={onAdd}>
            Add server
          </button>
          <p className="muted">Enter a command or a URL by hand.</p>
        </div>
        <div className="empty-state-way">
          <button type="button" onClick={pickConfigFiles}>
            Import config file…
          </button>
          <p className="muted">Or drop an mcp.json, claude_desktop_config.json, … anywhere on this window.</p>
        </div>
        <div className="empty-state-way">
          <button type="button" onClick={() => void findConfigs()}>
            Find my configs
          </button>
          <p className="muted">Let Patchbay look for the servers your MCP apps (Claude, Cursor, VS Code, …) already have.</p>
        </div>
      </div>
    </section>
  );
}
