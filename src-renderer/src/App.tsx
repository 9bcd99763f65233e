import { useState } from 'react';
import { Banners } from './components/Banners';
import { ServerDetail } from './components/ServerDetail';
import { ServerFormDialog } from './components/ServerFormDialog';
import { ServerList } from './components/ServerList';
import { Toolbar } from './components/Toolbar';
import { ExportDialog } from './import/ExportDialog';
import { SettingsDialog } from './components/SettingsDialog';
import { ImportController } from './import/ImportController';
import { Toasts } from './notifications/Toasts';
import { useRuntime } from './runtime-context';
import { useAppStore } from './store/app-store';
import { TimelineView } from './timeline/TimelineView';
import { ViewTabs, type AppView } from './timeline/ViewTabs';

/** The app: toolbar, view tabs and banners on top; the Servers view (list left, selected server right) or the Timeline. */
export function App() {
  const runtime = useRuntime();
  const boot = useAppStore((state) => state.boot);
  const link = useAppStore((state) => state.link);
  const [adding, setAdding] = useState(false);
  const [view, setView] = useState<AppView>('servers');
  const [exporting, setExporting] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);

  if (boot.status === 'failed') {
    return (
      <main className="boot boot-failed">
        <h1>MCP Patchbay could not start</h1>
        <p role="alert">{boot.error}</p>
      </main>
    );
  }
  if (boot.status === 'starting') {
    return (
      <main className="boot" aria-busy="true">
        <p>
          <span className="spinner" aria-hidden="true" /> Starting MCP Patchbay…
        </p>
        {link.error && <p className="muted">{link.error}; retrying…</p>}
      </main>
    );
  }

  return (
    <div className="app">
      <Toolbar onAdd={() => setAdding(true)} onExport={() => setExporting(true)} onSettings={() => setSettingsOpen(true)} onConnectAll={() => runtime.connectAll()} onDisconnectAll={() => runtime.disconnectAll()} />
      <ViewTabs view={view} onChange={setView} />
      <Banners />
      {/* Both views stay mounted (hidden), so switching keeps their state. */}
      <main className="layout" id="view-servers" role="tabpanel" aria-labelledby="tab-servers" hidden={view !== 'servers'}>
        <nav className="sidebar" aria-label="Server list">
          <ServerList />
        </nav>
        <ServerDetail />
      </main>
      <TimelineView active={view === 'timeline'} />
      {adding && <ServerFormDialog onSave={(entry) => runtime.addServer(entry)} onClose={() => setAdding(false)} />}
      {exporting && <ExportDialog onClose={() => setExporting(false)} />}
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      <ImportController />
      <Toasts />
    </div>
  );
}
